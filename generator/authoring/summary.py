"""The 汇总表 workbook: every county's funds and indicators side by side, for the city.

One sheet 汇总 with a row per county and fund (budget, arrived, spent, rates, score,
grade, and the same figures of earlier years where given), then one sheet per fund type
with every indicator's target and actual by county. Figures come from the checked
inputs (the pipeline's own computation), never recomputed here. pandas builds the
tables and is imported only when a workbook is asked for, so a YAML run never loads it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from generator.core.money import HUNDRED, round_half_up
from generator.pipeline import Checked

__all__ = ["SUMMARY_SHEET", "summary_rows", "summary_workbook"]

SUMMARY_SHEET = "汇总"
_KEYS = ("单位", "资金类型", "资金")
_FIGURES = ("预算数", "到位数", "支出数", "到位率(%)", "执行率(%)", "总分", "等级")


def _rate(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value * HUNDRED, 2)


def summary_rows(checked: Sequence[Checked]) -> list[dict[str, Any]]:
    """One row per county and fund, money in each input's own unit (named in 金额单位)."""
    rows = []
    for item in checked:
        report = item.result.model.report
        for fund in item.result.funds:
            money = fund.money
            rows.append(
                {
                    "单位": report.unit,
                    "资金类型": fund.fund.type,
                    "资金": fund.name,
                    "金额单位": fund.fund.money_unit or report.money_unit,
                    "预算数": money.budget,
                    "到位数": money.received,
                    "支出数": money.spent,
                    "到位率(%)": _rate(money.received_rate),
                    "执行率(%)": _rate(money.execution_rate),
                    "总分": fund.total,
                    "等级": fund.grade,
                }
            )
    return rows


def _indicator_rows(checked: Sequence[Checked]) -> dict[str, list[dict[str, Any]]]:
    by_type: dict[str, list[dict[str, Any]]] = {}
    for item in checked:
        unit = item.result.model.report.unit
        for fund in item.result.funds:
            for result in fund.indicators:
                model = result.model
                by_type.setdefault(fund.fund.type, []).append(
                    {
                        "一级指标": model.level1,
                        "二级指标": model.level2 or "",
                        "三级指标": model.name,
                        "单位": unit,
                        "指标值": str(model.target),
                        "完成值": result.actual_text,
                    }
                )
    return by_type


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "资金"
    candidate, n = clean, 2
    while candidate in used:
        candidate = f"{clean[:28]}({n})"
        n += 1
    used.add(candidate)
    return candidate


def summary_workbook(
    checked: Sequence[Checked], earlier: Mapping[int, Sequence[Checked]] | None = None
) -> bytes:
    """The 汇总表 as .xlsx bytes; ``earlier`` maps a past year to its checked inputs."""
    import pandas as pd  # type: ignore[import-untyped]

    current = pd.DataFrame(summary_rows(checked))
    if current.empty:
        current = pd.DataFrame(columns=[*_KEYS, "金额单位", *_FIGURES])
    for year, inputs in sorted((earlier or {}).items(), reverse=True):
        past = pd.DataFrame(summary_rows(inputs))
        if past.empty:
            continue
        past = past[[*_KEYS, *_FIGURES]].rename(columns={f: f"{year}年{f}" for f in _FIGURES})
        current = current.merge(past, on=list(_KEYS), how="left")
    buffer = io.BytesIO()
    used = {SUMMARY_SHEET}
    with pd.ExcelWriter(buffer, engine="openpyxl") as excel:
        _numbers(current).to_excel(excel, sheet_name=SUMMARY_SHEET, index=False)
        for fund_type, rows in _indicator_rows(checked).items():
            table = pd.DataFrame(rows).pivot_table(
                index=["一级指标", "二级指标", "三级指标"],
                columns="单位",
                values=["指标值", "完成值"],
                aggfunc="first",
                sort=False,
            )
            table = table.swaplevel(0, 1, axis=1).sort_index(axis=1, level=0, sort_remaining=False)
            table.to_excel(excel, sheet_name=_sheet_name(fund_type, used))
    return buffer.getvalue()


def _numbers(frame: Any) -> Any:
    """Decimals as floats for Excel cells (already rounded by the pipeline to cents)."""
    return frame.map(lambda v: float(v) if isinstance(v, Decimal) else v)
