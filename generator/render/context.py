"""Build the one object a template sees: every figure formatted, every slot filled.

The names here are the documented template context (docs/模板上下文.md); templates
never compute, they only place text, so a template edit cannot break a figure.

Year over year (from 上年完成值 or ``--previous``):
- placeholders in 说明: ``上年完成值`` ("318905人", "" if none) and ``同比``
  ("较上年提高2.26个百分点" for rates, "较上年下降2.02%" for counts and amounts);
- 自评表.指标行[].上年完成值: the same text, "" if none;
- 自评表.显示上年: bool, true when any row has a 上年完成值 (a template may then add the column);
- 指标分析 paragraphs end with "上年为…，较上年…。" unless the 说明 speaks of 上年/同比 itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.analysis.compute import FundResult, IndicatorResult, ReportResult
from generator.analysis.yoy import change_text, previous_sentence
from generator.config.wording import Wording
from generator.core.money import (
    format_amount,
    format_date,
    format_number,
    format_rate,
    format_score,
    ratio,
    round_half_up,
)
from generator.core.rules import RuleSet, grade_for
from generator.errors import InputError, Location, Problem
from generator.inputs.source import FieldPath
from generator.render.narrative import (
    conclusion_sentence,
    indicator_paragraphs,
    money_paragraph,
    overall_sentence,
    rescale_sentence,
    score_sentence,
)
from generator.render.placeholders import PlaceholderError, placeholder_names, render_text

__all__ = ["ReportContext", "build_contexts", "chinese_numeral"]


Context = dict[str, Any]
Locator = Callable[[FieldPath], Location]

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for section numbers)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


@dataclass(frozen=True)
class ReportContext:
    """One fund's rendered-ready context and what the summary needs."""

    fund: FundResult
    values: Context


def build_contexts(
    result: ReportResult, locate: Locator, rules: RuleSet, wording: Wording
) -> list[ReportContext]:
    """Contexts for every fund; placeholder errors from all funds are raised together."""
    problems: list[Problem] = []
    contexts = [
        ReportContext(fund, _fund_context(result, fund, locate, rules, wording, problems))
        for fund in result.funds
    ]
    if problems:
        raise InputError(problems)
    return contexts


def placeholder_names_or_empty(text: str) -> set[str]:
    """Names used in ``text``; a syntax error is reported by the renderer instead."""
    try:
        return placeholder_names(text)
    except PlaceholderError:
        return set()


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _fund_context(
    result: ReportResult,
    fund: FundResult,
    locate: Locator,
    rules: RuleSet,
    wording: Wording,
    problems: list[Problem],
) -> Context:
    info = result.model.report
    unit = info.money_unit
    money = fund.money
    base: FieldPath = ("项目", fund.index)

    def fill(text: str, values: Mapping[str, object], path: FieldPath) -> list[str]:
        if values.get("同比") == "" and "同比" in placeholder_names_or_empty(text):
            problems.append(
                Problem(
                    locate((*base, *path)),
                    "用了 {{ 同比 }}，但该指标没有上年完成值：请填写“上年完成值”，"
                    "或用 --previous 指定上一年度的输入文件",
                )
            )
            return []
        try:
            return _paragraphs(render_text(text, values))
        except PlaceholderError as exc:
            problems.append(Problem(locate((*base, *path)), str(exc)))
            return []

    report_values: dict[str, str] = {
        "单位": info.unit,
        "地区": result.region,
        "自称": result.self_name,
        "年度": str(info.year),
        "上年度": str(info.year - 1),
    }
    fund_values: dict[str, str] = {
        **report_values,
        "类型": fund.fund.type,
        "名称": fund.name,
        "资金用途": wording.purpose(fund.fund.type),
        "预算合计": format_amount(money.budget, unit),
        "到位合计": format_amount(money.received, unit),
        "执行合计": format_amount(money.spent, unit),
        "到位率": format_rate(money.received_rate),
        "执行率": format_rate(money.execution_rate),
        "结余": format_amount(money.balance, unit),
        "总分": format_score(fund.total),
        "等级": fund.grade,
    }

    slots: dict[str, list[str]] = {}
    given = fund.fund.narrative.slots()
    for slot, text in given.items():
        if text and text.strip():
            slots[slot] = fill(text, fund_values, ("叙述", slot))
    money_text = money_paragraph(fund, info.year, unit)
    overall = overall_sentence(fund)
    # 资金安排 stays empty when not given: 资金情况 always carries the money sentence.
    generated = {
        "资金安排": [],
        "总体完成": [fund.fund.goal_result or overall],
        "评价结论": [conclusion_sentence(fund, fund_values)],
    }
    for slot in given:
        if slot in slots:
            continue
        if slot in generated:
            slots[slot] = generated[slot]
        else:
            default = wording.default_slots.get(slot, "无。")
            slots[slot] = _paragraphs(render_text(default, fund_values)) or ["无。"]

    analysis, table_rows, budget_row = _indicators(fund, fund_values, fill)
    return {
        **fund_values,
        "提纲": fund.outline,
        "标题": f"{result.region}{info.year}年度{fund.name}绩效自评报告",
        "金额单位": unit,
        "成文日期": format_date(info.date) if info.date else "",
        "主送": info.addressee or "",
        "总分说明": score_sentence(fund, rules),
        "折算说明": rescale_sentence(fund),
        "总体目标": fund.fund.goal,
        "总体完成情况": fund.fund.goal_result or overall,
        "节": slots,
        "资金情况": [money_text],
        "目标列表": [f"{r.model.name}：{r.model.target}" for r in fund.indicators if r.applicable],
        "指标分析": analysis,
        "自评表": _table(result, fund, table_rows, budget_row),
        "县区对比": _counties(fund, rules),
    }


def _counties(fund: FundResult, rules: RuleSet) -> list[Context]:
    """Rows of the county comparison table of a roll-up; empty for a single bureau."""
    rows = []
    for row in fund.fund.counties:
        received = row.budget if row.received is None else row.received
        rows.append(
            {
                "县区": row.name,
                "得分": format_score(row.score),
                "等级": grade_for(round_half_up(row.score), rules),
                "执行率": format_rate(ratio(row.spent, row.budget)),
                "到位率": format_rate(ratio(received, row.budget)),
                "预算数": format_number(row.budget),
                "执行数": format_number(row.spent),
            }
        )
    return rows


def _previous_text(r: IndicatorResult) -> str:
    if r.previous is None:
        return ""
    return f"{format_number(r.previous.value)}{r.previous.unit}"


def _indicator_values(base: Mapping[str, str], r: IndicatorResult) -> dict[str, str]:
    model = r.model
    change = ""
    if r.previous is not None and r.actual is not None and r.applicable:
        change = change_text(r.previous, r.actual)
    return {
        **base,
        "名称": model.name,
        "指标值": model.target,
        "完成值": r.actual_text,
        "完成率": format_rate(r.completion),
        "分值": format_score(model.weight),
        "得分": format_score(r.score) if r.score is not None else "—",
        "达成": "达成" if r.met else ("不适用" if not r.applicable else "未达成"),
        "上年完成值": _previous_text(r),
        "同比": change,
    }


def _groups(fund: FundResult) -> list[tuple[str, list[tuple[str, list[IndicatorResult]]]]]:
    """Group indicators by 一级 then 二级, in order of first appearance."""
    level1: dict[str, dict[str, list[IndicatorResult]]] = {}
    for r in fund.indicators:
        level1.setdefault(r.model.level1, {}).setdefault(r.model.level2 or "", []).append(r)
    return [(name, list(level2.items())) for name, level2 in level1.items()]


def _sum_scores(results: list[IndicatorResult]) -> tuple[Decimal, Decimal]:
    weight = sum((r.model.weight for r in results), Decimal(0))
    score = sum((r.score or Decimal(0) for r in results if r.applicable), Decimal(0))
    return weight, score


def _indicators(
    fund: FundResult,
    fund_values: Mapping[str, str],
    fill: Callable[[str, Mapping[str, object], FieldPath], list[str]],
) -> tuple[list[Context], list[Context], Context | None]:
    analysis: list[Context] = []
    rows: list[Context] = []
    budget_row: Context | None = None
    for i, (level1, level2_groups) in enumerate(_groups(fund), start=1):
        everything = [r for _, group in level2_groups for r in group]
        weight, score = _sum_scores(everything)
        subgroups = []
        for j, (level2, group) in enumerate(level2_groups, start=1):
            items = []
            for k, r in enumerate(group, start=1):
                values = _indicator_values(fund_values, r)
                note = r.model.note
                given = fill(note, values, (*r.path[2:], "说明")) if note else []
                # A 说明 that speaks of last year itself gets no generated comparison.
                own_words = note is not None and ("同比" in note or "上年" in note)
                items.append(
                    {
                        "序号": k,
                        "中文序号": chinese_numeral(k),
                        "名称": r.model.name,
                        "段落": indicator_paragraphs(
                            r, given, "" if own_words else previous_sentence(r)
                        ),
                    }
                )
                row = {
                    "一级": level1,
                    "二级": level2,
                    "名称": r.model.name,
                    "指标值": r.model.target,
                    "完成值": r.actual_text,
                    "上年完成值": values["上年完成值"],
                    "分值": format_score(r.model.weight),
                    "得分": values["得分"],
                    "偏差": _deviation(r),
                }
                if budget_row is None and not level2 and "执行率" in r.model.name:
                    budget_row = {**row, "执行率": format_rate(fund.money.execution_rate)}
                rows.append(row)
            sub_weight, sub_score = _sum_scores(group)
            subgroups.append(
                {
                    "序号": j,
                    "中文序号": chinese_numeral(j),
                    "名称": level2,
                    "分值": format_score(sub_weight),
                    "得分": format_score(sub_score),
                    "指标": items,
                }
            )
        analysis.append(
            {
                "序号": i,
                "中文序号": chinese_numeral(i),
                "名称": level1,
                "分值": format_score(weight),
                "得分": format_score(score),
                "二级组": subgroups,
            }
        )
    return analysis, rows, budget_row


def _deviation(r: IndicatorResult) -> str:
    parts = [
        t.strip().rstrip("。；;，, ")
        for t in (r.model.deviation, r.model.measures)
        if t and t.strip()
    ]
    return "；".join(parts) + "。" if parts else ""


def _mark_merges(rows: list[Context]) -> list[Context]:
    """Vertical-merge markers for runs of equal 一级 (and 二级 within them)."""
    marked = [dict(row) for row in rows]
    for key, scope in (("一级", ("一级",)), ("二级", ("一级", "二级"))):
        start = 0
        while start < len(marked):
            end = start
            ident = tuple(marked[start][k] for k in scope)
            while end + 1 < len(marked) and tuple(marked[end + 1][k] for k in scope) == ident:
                end += 1
            run = end - start + 1
            for n in range(start, end + 1):
                if run == 1:
                    marked[n][f"{key}合并"] = ""
                else:
                    marked[n][f"{key}合并"] = "restart" if n == start else "continue"
            start = end + 1
    return marked


_FISCAL_WORDS = (
    "财政",
    "中央",
    "省级",
    "市级",
    "县级",
    "区级",
    "本级",
    "彩票公益金",
    "补助",
    "拨款",
)


def _source_group(source: str, layout: str) -> str:
    """Table row of a source: by its words, since 来源 is free text."""
    if layout == "得分":
        if "结转" in source:
            return "上年结转资金"
        fiscal = any(word in source for word in _FISCAL_WORDS) and "其他" not in source
        return "当年财政拨款" if fiscal else "其他资金"
    if "中央" in source:
        return "中央财政资金"
    if "结转" in source or "其他" in source:
        return "其他资金"
    return "地方资金"


def _table(
    result: ReportResult, fund: FundResult, rows: list[Context], budget_row: Context | None
) -> Context:
    info = result.model.report
    layout = "转移支付" if fund.outline == "转移支付" else "得分"
    money = fund.money
    groups = (
        ["当年财政拨款", "上年结转资金", "其他资金"]
        if layout == "得分"
        else ["中央财政资金", "地方资金", "其他资金"]
    )
    sums = {g: [Decimal(0), Decimal(0), Decimal(0)] for g in groups}
    for row in money.rows:
        bucket = sums[_source_group(row.source, layout)]
        bucket[0] += row.budget
        bucket[1] += row.spent
        bucket[2] += row.budget if row.received is None else row.received

    def money_row(name: str, budget: Decimal, spent: Decimal, received: Decimal) -> Context:
        from generator.core.money import ratio

        return {
            "名称": name,
            "年初预算数": "",
            "全年预算数": format_number(budget),
            "全年执行数": format_number(spent),
            "到位数": format_number(received),
            "执行率": format_rate(ratio(spent, budget)),
            "分值": "",
            "得分": "",
        }

    first = money_row("年度资金总额", money.budget, money.spent, money.received)
    first["执行率"] = format_rate(money.execution_rate)
    if fund.fund.initial_budget is not None:
        first["年初预算数"] = format_number(fund.fund.initial_budget)
    if layout == "得分" and budget_row is not None:
        first["分值"] = budget_row["分值"]
        first["得分"] = budget_row["得分"]
        rows = [r for r in rows if r is not budget_row and r["名称"] != budget_row["名称"]]
    money_rows = [first] + [
        money_row(("其中：" if i == 0 else "") + g, *sums[g]) for i, g in enumerate(groups)
    ]
    return {
        "布局": layout,
        "项目名称": fund.name,
        "主管部门": info.unit,
        "实施单位": info.unit,
        "资金行": money_rows,
        "总体目标": fund.fund.goal,
        "总体完成情况": fund.fund.goal_result or overall_sentence(fund),
        "指标行": _mark_merges(rows),
        "显示上年": any(row["上年完成值"] for row in rows),
        "分值合计": format_score(sum((r.model.weight for r in fund.indicators), Decimal(0))),
        "总分": format_score(fund.total),
    }
