"""Start next year's input from this year's: ``genreport new 2025 --from inputs/2024.yaml``.

The structure a bureau keeps from year to year (funds, sources, indicators, targets,
weights, narrative) is copied; every figure that must be retyped becomes ``待填`` with
a comment saying what goes there, so validation lists exactly what is left to do.
The file is edited as a round trip (generator.inputs.yaml_write.RoundTrip), so the user's comments, key order
and quoting survive. Each indicator's actual becomes its 上年完成值 for the
year-over-year sentences, and years in the text move on with the report year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.analysis.compute import AUTO, FundResult, ReportResult
from generator.core.markers import TO_FILL
from generator.core.years import YEAR, is_history
from generator.errors import InputError, Location, OutputError, Problem
from generator.inputs.source import YAML_SUFFIXES
from generator.inputs.validate import to_fill_paths
from generator.inputs.yaml_read import load_yaml_text
from generator.inputs.yaml_write import (
    CommentedMap,
    CommentedSeq,
    RoundTrip,
    RoundTripError,
    drop,
    is_flow,
    retyped,
    set_after,
)
from generator.output.write import write_file

__all__ = ["NewYear", "new_from_previous", "next_year_text", "shift_years"]

_NARRATIVE_KEYS = ("总体目标", "说明")
_DROPPED = ("得分", "评分说明", "偏差原因", "改进措施")


@dataclass(frozen=True)
class NewYear:
    """What ``new`` wrote: the file and how many fields are left to fill."""

    path: Path
    to_fill: int


def shift_years(text: str, old_year: int, new_year: int) -> str:
    """Move 上年度/年度/下一年度 on by the same step; history (“自2018年起”) stays put."""
    step = new_year - old_year
    window = {old_year - 1, old_year, old_year + 1}

    def move(match: re.Match[str]) -> str:
        named = int(match.group(1))
        if named not in window or is_history(text, match):
            return match.group(0)
        return str(named + step) + match.group(0)[4:]

    return YEAR.sub(move, text)


def _fill(
    doc: RoundTrip,
    node: CommentedMap,
    key: str,
    comment: str,
    parent: CommentedSeq | None = None,
    index: int = 0,
) -> None:
    """Mark ``key`` 待填 with a comment at the end of its line (of its item, if one-line)."""
    node[key] = TO_FILL
    if is_flow(node) and parent is not None:
        doc.comment(parent, index, comment)
    else:
        doc.comment(node, key, comment)


def next_year_text(text: str, result: ReportResult, year: int, source_name: str) -> str:
    """The YAML of next year's input, from this year's text and its computed result.

    Pure: ``result`` supplies the computed actuals (``完成值: 自动``) that become
    上年完成值; nothing is read or written here.
    """
    doc = RoundTrip(text)
    data = doc.data
    old_year = result.model.report.year
    unit = result.model.report.money_unit

    report = data["报告"]
    report["年度"] = year
    if "成文日期" in report:
        _fill(doc, report, "成文日期", "待填：本报告的成文日期")

    for fund_node, fund in zip(data["项目"], result.funds, strict=True):
        _next_fund(doc, fund_node, fund, unit, old_year, year)
    return _header(source_name, old_year, year) + doc.dump()


def _next_rows(doc: RoundTrip, rows: CommentedSeq, unit: str) -> None:
    """Every amount of 资金 is this year's to type; last year's adjustments are dropped."""
    for k, row in enumerate(rows):
        for key in ("预算数", "到位数", "执行数"):
            if key in row:
                row[key] = TO_FILL
        for key in ("调整数", "清算数"):
            drop(row, key)
        keys = "、".join(key for key in ("预算数", "到位数", "执行数") if key in row)
        comment = f"待填：{row.get('来源', '')}本年度{keys}（{unit}）"
        if is_flow(row):
            doc.comment(rows, k, comment)
        else:
            doc.comment(row, "执行数", comment)


def _next_accounts(doc: RoundTrip, node: CommentedMap, unit: str) -> None:
    """基金收支 figures are this year's to type; 当期结余 is computed when it can be."""
    accounts = node.get("基金收支")
    if accounts is None:
        return
    if "收入" in accounts and "支出" in accounts:
        drop(accounts, "当期结余")
    keys = [key for key in ("收入", "支出", "当期结余", "累计结余") if key in accounts]
    if is_flow(accounts):  # one comment after the braces: a comment inside them breaks the line
        for key in keys:
            accounts[key] = TO_FILL
        doc.comment(node, "基金收支", f"待填：本年度基金{'、'.join(keys)}（{unit}）")
        return
    for key in keys:
        _fill(doc, accounts, key, f"待填：本年度基金{key}（{unit}）")


def _next_fund(
    doc: RoundTrip, node: CommentedMap, fund: FundResult, unit: str, old_year: int, year: int
) -> None:
    unit = fund.money_unit  # a fund may keep its figures in its own unit
    _next_rows(doc, node["资金"], unit)
    if "年初预算数" in node:
        _fill(doc, node, "年初预算数", f"待填：本年度年初预算数（{unit}）")
    if "总体完成情况" in node:
        _fill(doc, node, "总体完成情况", "待填：本年度总体目标的实际完成情况")
    if fund.score_stated:  # indicators without 分值: the total is the bureau's to state
        _fill(doc, node, "自评得分", "待填：本年度单位公布的自评得分（各指标未填分值）")
    else:
        drop(node, "自评得分")
    drop(node, "确认数字")  # confirmed figures of last year's text; this year's are checked anew
    drop(node, "调整后预算数")  # last year's mid-year adjustment, like 调整数 and 清算数
    _next_accounts(doc, node, unit)
    indicators: CommentedSeq = node["指标"]
    for j, (ind, result) in enumerate(zip(indicators, fund.indicators, strict=True)):
        _next_indicator(doc, ind, result.actual_text, indicators, j)
        for key in _NARRATIVE_KEYS:
            if isinstance(ind.get(key), str):
                ind[key] = retyped(ind[key], shift_years(ind[key], old_year, year))
    for key in ("总体目标",):
        if isinstance(node.get(key), str):
            node[key] = retyped(node[key], shift_years(node[key], old_year, year))
    narrative = node.get("叙述")
    if isinstance(narrative, CommentedMap):
        for slot, value in narrative.items():
            if isinstance(value, str):
                narrative[slot] = retyped(value, shift_years(value, old_year, year))
        doc.comment(
            node,
            "叙述",
            "沿用上年文字，年份已顺延；文中写明的数字请逐一核对，能用占位符的请改用占位符",
        )


def _next_indicator(
    doc: RoundTrip, ind: CommentedMap, actual_text: str, parent: CommentedSeq, index: int
) -> None:
    for key in _DROPPED:
        drop(ind, key)
    if ind.get("不适用") is True:
        if is_flow(ind):
            doc.comment(parent, index, "上年不适用：请确认本年度是否仍不适用")
        else:
            doc.comment(ind, "不适用", "上年不适用：请确认本年度是否仍不适用")
        return
    if "评级" in ind:
        _fill(doc, ind, "评级", "待填：达成、部分达成或未达成", parent, index)
        if "完成值" in ind:
            ind["完成值"] = TO_FILL
        return
    actual = ind.get("完成值")
    if actual is None:
        return
    set_after(ind, "完成值", "上年完成值", actual_text)
    if str(actual).strip() == AUTO:
        return
    _fill(doc, ind, "完成值", f"待填：本年度完成值（上年为{actual_text}）", parent, index)


def _header(source_name: str, old_year: int, year: int) -> str:
    lines = [
        f"{year} 年度输入：由 {source_name}（{old_year} 年度）生成。",
        f"凡值为“{TO_FILL}”的地方都要填写本年度的数字或内容，行尾注释说明填什么；",
        "运行 genreport check 会一次列出所有尚未填写的项。",
        f"已沿用：资金来源、指标（名称、分值、指标值）和叙述；叙述中的年份已顺延{year - old_year}年，",
        "文中直接写出的数字仍是上年的，请逐一核对（能用 {{ 结余 }} 等占位符的尽量改用占位符）。",
        "已清空：各项金额、完成值、定性评级、总体完成情况、成文日期；上年的完成值已记入“上年完成值”。",
        "已删除：自评得分、手工得分及评分说明、偏差原因和改进措施（按本年度情况重新填写）。",
        "以下为原文件的内容和注释。",
    ]
    return "".join(f"# {line}\n" for line in lines) + "\n"


def new_from_previous(year: int, source: Path, output: Path, *, force: bool = False) -> NewYear:
    """Check this year's input, then write next year's; never overwrite unless forced."""
    from generator.pipeline import check_file

    if source.suffix.lower() not in YAML_SUFFIXES:
        raise InputError(
            [
                Problem(
                    Location(str(source)),
                    "new --from 需要 YAML 文件；Excel 输入请先用 genreport convert 转为 YAML",
                )
            ]
        )
    result = check_file(source).result
    old_year = result.model.report.year
    name = str(output)
    if year <= old_year:
        raise InputError(
            [Problem(Location(str(source)), f"新年度{year}应晚于原文件的年度{old_year}")]
        )
    if output.exists() and not force:
        raise OutputError(f"“{name}”已存在：为免覆盖已填写的内容，未写入（确需覆盖请加 --force）")
    try:
        text = next_year_text(source.read_text(encoding="utf-8-sig"), result, year, source.name)
    except RoundTripError as exc:  # pragma: no cover - the source was just validated
        raise InputError([Problem(Location(str(source)), f"无法改写：{exc}")]) from None
    marked = to_fill_paths(load_yaml_text(text, name).data)
    write_file(output, text.encode("utf-8"), overwrite=force)
    return NewYear(output, len(marked))
