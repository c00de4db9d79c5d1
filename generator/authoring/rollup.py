"""Build a city input from county inputs (pure: checked inputs in, YAML text out).

A city bureau reports on the money of all its counties (seeds 003 and 004). Domain
practice is "totals first, then the score": money is summed by source, absolute
indicator actuals are summed, relative values (rates, per-capita standards, durations)
are averaged weighted by each county's fund size, and qualitative indicators take the
weakest county's rating. The city's score is then computed from those totals by the
normal pipeline, never by averaging county scores. Narrative cannot be summed: the
counties' text is collected, clearly marked, for the author to condense.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.analysis.compute import AUTO, FundResult, IndicatorResult
from generator.core.markers import CONDENSE_MARK
from generator.core.money import convert_amount, format_number, round_half_up
from generator.core.quantities import Kind
from generator.core.vocabulary import NARRATIVE_SLOTS
from generator.errors import InputError, Problem
from generator.inputs.source import FieldPath
from generator.inputs.yaml_write import dump_yaml, funding_row
from generator.pipeline import Checked

__all__ = ["COUNT_UNITS", "Rollup", "city_input_text", "rollup"]

#: Units of absolute counts: these actuals (and targets) are summed over counties.
COUNT_UNITS = frozenset(
    {
        "",
        "人",
        "人次",
        "户",
        "户次",
        "家",
        "个",
        "次",
        "场",
        "场次",
        "篇",
        "份",
        "件",
        "所",
        "项",
        "台",
        "套",
        "名",
        "条",
        "期",
        "批",
        "例",
        "张",
    }
)
# CONDENSE_MARK (generator.analysis.textchecks) heads every collected narrative: the author
# condenses the text and deletes the line.
_RATINGS = ("未达成", "部分达成", "达成")  # weakest first
_COMPARATORS = {Kind.GE: "≥", Kind.GT: ">", Kind.LE: "≤", Kind.LT: "<", Kind.EQ: ""}

IndicatorKey = tuple[str, str, str]


@dataclass(frozen=True)
class Rollup:
    """The city input as plain data (money in ``Decimal``) and notes for the file header."""

    data: dict[str, Any]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class _County:
    checked: Checked
    unit: str
    money_unit: str

    def where(self, path: FieldPath) -> Any:
        return self.checked.loaded.location(path)


def _key(result: IndicatorResult) -> IndicatorKey:
    m = result.model
    return (m.level1, m.level2 or "", m.name)


def _show(key: IndicatorKey) -> str:
    return "/".join(part for part in key if part)


def rollup(counties: Sequence[Checked], unit: str) -> Rollup:
    """The city input for ``unit``; mismatches between counties raise :class:`InputError`."""
    if not counties:
        raise ValueError("rollup needs at least one county")
    members = [
        _County(c, c.result.model.report.unit, c.result.model.report.money_unit) for c in counties
    ]
    problems: list[Problem] = []
    first = members[0]
    info = first.checked.result.model.report
    source = first.checked.loaded.file
    for county in members[1:]:
        other = county.checked.result.model.report
        if other.year != info.year:
            where = county.where(("报告", "年度"))
            why = f"年度{other.year}与 {source} 的{info.year}不同；只能汇总同一年度的输入"
            problems.append(Problem(where, why))
        if other.rule_set != info.rule_set:
            where = county.where(("报告", "评分规则"))
            why = f"评分规则“{other.rule_set}”与 {source} 的“{info.rule_set}”不同"
            problems.append(Problem(where, why))
    funds = _match_funds(members, problems)
    for fund_type, by_county in funds.items():
        _match_indicators(fund_type, by_county, problems)
    if problems:
        raise InputError(problems)

    notes: list[str] = [
        f"汇总自 {len(members)} 个县区："
        + "、".join(f"{m.unit}（{m.checked.loaded.file}）" for m in members)
    ]
    report: dict[str, Any] = {"单位": unit, "年度": info.year, "金额单位": info.money_unit}
    if info.rule_set != "国家":
        report["评分规则"] = info.rule_set
    projects = [_fund(by_county, info.money_unit, notes) for by_county in funds.values()]
    return Rollup({"报告": report, "项目": projects}, tuple(notes))


def _match_funds(
    members: list[_County], problems: list[Problem]
) -> dict[str, list[tuple[_County, FundResult]]]:
    """Funds by 类型, each with every county's fund of that type (in county order)."""
    funds: dict[str, list[tuple[_County, FundResult]]] = {}
    for county in members:
        seen: dict[str, int] = {}
        for fund in county.checked.result.funds:
            kind: str = fund.fund.type
            if kind in seen:
                problems.append(
                    Problem(
                        county.where(("项目", fund.index, "类型")),
                        f"与项目[{seen[kind] + 1}]类型相同；汇总按类型对应各县区"
                        "的资金，每个县区每种类型只能有一项",
                    )
                )
                continue
            seen[kind] = fund.index
            funds.setdefault(kind, []).append((county, fund))
    for kind, entries in funds.items():
        have = {id(c) for c, _ in entries}
        missing = [c for c in members if id(c) not in have]
        if missing:
            county, fund = entries[0]
            names = "、".join(f"{c.unit}（{c.checked.loaded.file}）" for c in missing)
            problems.append(
                Problem(
                    county.where(("项目", fund.index, "类型")),
                    f"类型为“{kind}”的资金在 {names} 中没有；汇总要求各县区的资金按类型一一对应",
                )
            )
    return funds


def _match_indicators(
    fund_type: str, entries: list[tuple[_County, FundResult]], problems: list[Problem]
) -> None:
    """Every county must have the same indicators (by 一级/二级/名称) with the same weights.

    The odd one out is named: weights and target forms are compared with the value most
    counties use, so one county's typo is reported on that county, not on the others.
    """
    base_county, base_fund = entries[0]
    base = {_key(r): r for r in base_fund.indicators}
    tables = [(c, {_key(r): r for r in f.indicators}, f) for c, f in entries]
    for county, mine, fund in tables[1:]:
        for key, result in mine.items():
            if key not in base:
                problems.append(
                    Problem(
                        county.where(result.path),
                        f"指标“{_show(key)}”在 {base_county.checked.loaded.file} "
                        f"的“{fund_type}”中没有；汇总要求各县区指标一致",
                    )
                )
        for key in base:
            if key not in mine:
                problems.append(
                    Problem(
                        county.where(("项目", fund.index, "指标")),
                        f"缺少指标“{_show(key)}”（{base_county.checked.loaded.file}"
                        "中有）；汇总要求各县区指标一致",
                    )
                )
    for key in base:
        present = [(c, mine[key]) for c, mine, _ in tables if key in mine]
        checks: list[
            tuple[str, Callable[[IndicatorResult], object], Callable[[IndicatorResult], str]]
        ] = [
            (
                "分值",
                lambda r: r.model.weight,
                lambda r: (
                    "未填分值" if r.model.weight is None else f"分值{format_number(r.model.weight)}"
                ),
            ),
            (
                "指标值",
                lambda r: (r.target.kind, r.target.unit),
                lambda r: f"指标值“{r.model.target}”的类型或单位",
            ),
        ]
        for field, value, describe in checks:
            common, _ = Counter(value(r) for _, r in present).most_common(1)[0]
            agree = [c for c, r in present if value(r) == common]
            sample = next(r for _, r in present if value(r) == common)
            for county, result in present:
                if value(result) != common:
                    others = "、".join(c.checked.loaded.file for c in agree)
                    problems.append(
                        Problem(
                            county.where((*result.path, field)),
                            f"指标“{_show(key)}”的{describe(result)}与其他县区（{others}）的"
                            f"{describe(sample)}不同，无法汇总",
                        )
                    )


def _convert(value: Decimal, fund: FundResult, unit: str) -> Decimal:
    """An amount of ``fund`` (in its own 金额单位) in the city input's unit, exactly."""
    return convert_amount(value, fund.money_unit, unit)


def _fund(entries: list[tuple[_County, FundResult]], unit: str, notes: list[str]) -> dict[str, Any]:
    base_fund = entries[0][1]
    model = base_fund.fund
    sizes = [_convert(f.money.budget, f, unit) for _, f in entries]
    out: dict[str, Any] = {"类型": model.type}
    if all(f.fund.name == model.name for _, f in entries) and model.name:
        out["名称"] = model.name
    if all(f.fund.outline == model.outline for _, f in entries) and model.outline:
        out["提纲"] = model.outline
    out["资金"] = _money(entries, unit)
    if any(f.money.adjusted_as_a_whole for _, f in entries):
        _adjusted_as_a_whole(out, entries, unit)
    accounts = _accounts(entries, unit)
    if accounts:
        out["基金收支"] = accounts
    if all(f.fund.initial_budget is not None for _, f in entries):
        out["年初预算数"] = sum(
            (_convert(f.fund.initial_budget or Decimal(0), f, unit) for _, f in entries), Decimal(0)
        )
    out["总体目标"] = _collect([(c.unit, [f.fund.goal]) for c, f in entries])
    results = [(c.unit, f.fund.goal_result) for c, f in entries if f.fund.goal_result]
    if results:
        out["总体完成情况"] = _collect([(u, [t]) for u, t in results if t])
    indicators = []
    for position, result in enumerate(base_fund.indicators):
        key = _key(result)
        rows = [
            (c, next(r for r in f.indicators if _key(r) == key), size)
            for (c, f), size in zip(entries, sizes, strict=True)
        ]
        indicators.append(_indicator(result, rows, notes, f"{model.type}·指标{position + 1}"))
    out["指标"] = indicators
    narrative = _narrative(entries)
    if narrative:
        out["叙述"] = narrative
    out["县区对比"] = [
        {
            "县区": c.unit,
            "预算数": _convert(f.money.budget, f, unit),
            "到位数": _convert(f.money.received, f, unit),
            "执行数": _convert(f.money.spent, f, unit),
            "得分": f.total,
        }
        for c, f in entries
    ]
    return out


_ROW_KEYS = ("预算数", "调整数", "清算数", "到位数", "执行数")


def _money(entries: list[tuple[_County, FundResult]], unit: str) -> list[dict[str, Any]]:
    """Each source's amounts summed over counties (each converted from its fund's unit),
    in first-seen order; 调整数, 清算数 and 到位数 appear where some county gave them."""
    sums: dict[str, dict[str, Decimal]] = {}
    given: dict[str, set[str]] = {}
    for _, fund in entries:
        for source in fund.money.sources:
            row = source.row
            bucket = sums.setdefault(row.source, dict.fromkeys(_ROW_KEYS, Decimal(0)))
            values = (source.budget, source.adjustment, source.clearing, source.received)
            for key, value in zip(_ROW_KEYS, (*values, source.spent), strict=True):
                bucket[key] += _convert(value, fund, unit)
            keys = given.setdefault(row.source, set())
            for key, typed in (("调整数", row.adjustment), ("清算数", row.clearing)):
                if typed is not None:
                    keys.add(key)
            if row.received is not None:
                keys.add("到位数")
    out: list[dict[str, Any]] = []
    for name, bucket in sums.items():
        line: dict[str, Any] = {"来源": name}
        for key in _ROW_KEYS:
            if key in ("预算数", "执行数") or key in given[name]:
                line[key] = bucket[key]
        out.append(line)
    return out


def _adjusted_as_a_whole(
    out: dict[str, Any], entries: list[tuple[_County, FundResult]], unit: str
) -> None:
    """A county stated only its fund's 调整后预算数: the city's is the counties' adjusted
    budgets summed (each county's own adjustments, by source or not, inside it); the rows
    keep their budgets before adjustment and state what arrived, as the key requires."""
    out["调整后预算数"] = sum(
        (_convert(f.money.adjusted_budget, f, unit) for _, f in entries), Decimal(0)
    )
    received: dict[str, Decimal] = {}
    for _, fund in entries:
        for source in fund.money.sources:
            name = source.row.source
            received[name] = received.get(name, Decimal(0)) + _convert(source.received, fund, unit)
    for line in out["资金"]:
        line.pop("调整数", None)
        line.pop("清算数", None)
        line["到位数"] = received[line["来源"]]


_ACCOUNT_KEYS = (
    ("收入", "income"),
    ("支出", "expenditure"),
    ("当期结余", "current_balance"),
    ("累计结余", "accumulated_balance"),
)


def _accounts(entries: list[tuple[_County, FundResult]], unit: str) -> dict[str, Decimal]:
    """基金收支 summed over counties: each figure that every county typed (a balance
    the tool computes is computed again from the sums)."""
    out: dict[str, Decimal] = {}
    for key, name in _ACCOUNT_KEYS:
        values = [(f, getattr(f.fund.accounts, name, None)) for _, f in entries]
        if values and all(value is not None for _, value in values):
            out[key] = sum((_convert(v, f, unit) for f, v in values if v is not None), Decimal(0))
    return out


def _weighted(values: list[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ(w·v)/Σw; a plain mean when every weight is zero."""
    total = sum((w for w, _ in values), Decimal(0))
    if total == 0:
        return sum((v for _, v in values), Decimal(0)) / len(values)
    return sum((w * v for w, v in values), Decimal(0)) / total


def _target_text(kind: Kind, low: Decimal | None, high: Decimal | None, unit: str) -> str:
    if kind is Kind.RANGE:
        return f"{format_number(low or Decimal(0))}-{format_number(high or Decimal(0))}{unit}"
    return f"{_COMPARATORS.get(kind, '')}{format_number(low or Decimal(0))}{unit}"


def _indicator(
    base: IndicatorResult,
    rows: list[tuple[_County, IndicatorResult, Decimal]],
    notes: list[str],
    label: str,
) -> dict[str, Any]:
    m = base.model
    out: dict[str, Any] = {"一级": m.level1}
    if m.level2:
        out["二级"] = m.level2
    out.update({"名称": m.name, "分值": m.weight, "指标值": m.target})
    applicable = [(c, r, w) for c, r, w in rows if r.applicable]
    if not applicable:
        out["不适用"] = True
        return out

    def reasons(chosen: list[tuple[_County, IndicatorResult, Decimal]]) -> None:
        for field in ("偏差原因", "改进措施"):
            texts = [f"{c.unit}：{text}" for c, r, _ in chosen if (text := _given(r, field))]
            if texts:
                out[field] = "；".join(t.rstrip("。；;") for t in texts) + "。"

    if base.qualitative:
        weakest = min((r.model.rating or "达成" for _, r, _ in applicable), key=_RATINGS.index)
        out["评级"] = weakest
        if weakest != "达成":
            chosen = [(c, r, w) for c, r, w in applicable if r.model.rating == weakest]
            names = "、".join(c.unit for c, _, _ in chosen)
            notes.append(f"{label}“{m.name}”评级取各县区最弱：{names}为“{weakest}”")
            out["偏差原因"] = (
                "；".join(
                    f"{c.unit}评级为“{weakest}”"
                    + (
                        f"：{_given(r, '偏差原因').rstrip('。；;')}"
                        if _given(r, "偏差原因")
                        else ""
                    )
                    for c, r, _ in chosen
                )
                + "。"
            )
            measures = [
                f"{c.unit}：{_given(r, '改进措施').rstrip('。；;')}"
                for c, r, _ in chosen
                if _given(r, "改进措施")
            ]
            if measures:
                out["改进措施"] = "；".join(measures) + "。"
        return out
    if any((r.model.actual or "").strip() == AUTO for _, r, _ in applicable):
        out["完成值"] = AUTO
        return out
    summed = base.target.unit in COUNT_UNITS and base.target.unit != "%"
    actuals = [(w, r.actual.value) for _, r, w in applicable if r.actual is not None]
    unit = next(
        (r.actual.unit for _, r, _ in applicable if r.actual and r.actual.unit), base.target.unit
    )
    if summed:
        value = sum((v for _, v in actuals), Decimal(0))
        targets = [r.target for _, r, _ in rows]
        if (
            len({t.text for t in targets}) > 1
            or base.target.kind is not Kind.EQ
            or base.target.low not in (None, Decimal(0))
        ):
            low = sum((t.low or Decimal(0) for t in targets), Decimal(0))
            high = sum((t.high or Decimal(0) for t in targets), Decimal(0))
            out["指标值"] = _target_text(base.target.kind, low, high or None, base.target.unit)
        how = "各县区求和"
    else:
        value = _weighted(actuals)
        targets = [r.target for _, r, _ in rows]
        if len({t.text for t in targets}) > 1:
            weights = [w for _, _, w in rows]
            low = _weighted(
                [(w, t.low or Decimal(0)) for w, t in zip(weights, targets, strict=True)]
            )
            high = _weighted(
                [(w, t.high or Decimal(0)) for w, t in zip(weights, targets, strict=True)]
            )
            out["指标值"] = _target_text(
                base.target.kind,
                round_half_up(low),
                round_half_up(high) if base.target.high else None,
                base.target.unit,
            )
        how = "按各县区资金规模加权平均"
    out["完成值"] = f"{format_number(round_half_up(value))}{unit}"
    notes.append(f"{label}“{m.name}”：{how}")
    reasons([(c, r, w) for c, r, w in applicable if r.met is False])
    return out


def _given(result: IndicatorResult, field: str) -> str:
    text = result.model.deviation if field == "偏差原因" else result.model.measures
    return (text or "").strip()


def _collect(texts: list[tuple[str, list[str]]]) -> str:
    """One text when every county wrote the same; otherwise each county's, marked."""
    distinct = {"\n".join(paragraphs) for _, paragraphs in texts}
    if len(distinct) == 1:
        return distinct.pop()
    lines = [CONDENSE_MARK]
    for unit, paragraphs in texts:
        lines.extend(f"{unit}：{p}" for p in paragraphs if p.strip())
    return "\n".join(lines)


def _narrative(entries: list[tuple[_County, FundResult]]) -> dict[str, str]:
    """Each slot some county wrote, with every county's text (placeholders already filled)."""
    out: dict[str, str] = {}
    for slot in NARRATIVE_SLOTS:
        texts = []
        for county, fund in entries:
            given = fund.fund.narrative.slots().get(slot)
            if given and given.strip():
                context = next(ctx for ctx in county.checked.contexts if ctx.fund is fund)
                texts.append((county.unit, list(context.values["节"].get(slot, []))))
        if texts:
            out[slot] = _collect(texts)
    return out


def city_input_text(result: Rollup) -> str:
    """The city input as YAML, with a header saying how each figure was built."""
    header = [
        "由 genreport rollup 根据各县区输入汇总生成，请核对后使用。",
        "- 资金按来源求和；计数类指标的完成值求和，比率等相对值按各县区资金规模（预算数）加权平均；",
        "  总分按汇总后的数字重新计算（先汇总、后评分），不取各县区得分的平均。",
        "- 定性指标取各县区最弱的评级，并在“偏差原因”中写明是哪个县区。",
        f"- 标有“{CONDENSE_MARK}”的文字是各县区原文，请压缩为全市表述并删除该行。",
        "- “县区对比”供报告中的县区对比表使用。",
    ]
    header.extend(result.notes)
    return dump_yaml(_plain_numbers(result.data), header=header, flow=funding_row)


def _plain_numbers(data: Any) -> Any:
    """Sums and weighted means without trailing zeros: 1.50 reads as the 1.5 it is."""
    if isinstance(data, dict):
        return {key: _plain_numbers(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain_numbers(value) for value in data]
    if isinstance(data, Decimal) and data == data.to_integral_value():
        return data.quantize(Decimal(1))
    if isinstance(data, Decimal):
        return data.normalize()
    return data
