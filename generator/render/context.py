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
from generator.config.search import WORDING_FILE
from generator.config.wording import Wording, fill_phrase
from generator.core.bookmarks import mark, note_bookmark, slot_bookmark, strip_marks
from generator.core.money import (
    HUNDRED,
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
from generator.inputs.models import Narrative
from generator.inputs.source import FieldPath
from generator.render.form_context import form_values, score_group
from generator.render.headings import nested_paragraphs
from generator.render.narrative import (
    Phrasing,
    bands_sentence,
    conclusion_sentence,
    group_paragraphs,
    indicator_paragraphs,
    marker,
    money_text,
    overall_sentence,
    rescale_sentence,
    score_sentence,
)
from generator.render.placeholders import (
    PlaceholderError,
    SnippetBudgetError,
    placeholder_names,
    render_text,
)

__all__ = ["ReportContext", "build_contexts", "chinese_numeral"]


Context = dict[str, Any]
Locator = Callable[[FieldPath], Location]

_DIGITS = "零一二三四五六七八九"
_PLACES = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 105 → 一百零五, 10010 → 一万零一十: any count of items.

    A group may hold hundreds of indicators; section numbers must never run out.
    """
    if n < 0:
        return "负" + chinese_numeral(-n)
    if n == 0:
        return _DIGITS[0]
    text = _spelled(n)
    return text[1:] if text.startswith("一十") else text  # 十二, not 一十二


def _spelled(n: int) -> str:
    """``n`` ≥ 1 in full (一十 kept): 亿 and 万 split off, then 千百十 with one 零 per gap."""
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            rest = "" if not low else ("零" if low < size // 10 else "") + _spelled(low)
            return _spelled(high) + unit + rest
    out: list[str] = []
    gap = False
    for place, unit in _PLACES:
        digit = n // place % 10
        if not digit:
            gap = bool(out)
            continue
        if gap:
            out.append(_DIGITS[0])
            gap = False
        out.append(_DIGITS[digit] + unit)
    return "".join(out)


@dataclass(frozen=True)
class ReportContext:
    """One fund's rendered-ready context and what the summary needs."""

    fund: FundResult
    values: Context
    marked: Context | None = None
    """``values`` with genreport's marks around the user's own words (the 叙述 slots and
    说明 they wrote, generator/core/bookmarks.py): what the template is given, so that
    the report carries them as bookmarks while every other reader sees plain text."""

    @property
    def printed(self) -> Context:
        """The values a template renders."""
        return self.values if self.marked is None else self.marked


def build_contexts(
    result: ReportResult, locate: Locator, rules: RuleSet, wording: Wording
) -> list[ReportContext]:
    """Contexts for every fund; placeholder errors from all funds are raised together."""
    problems: list[Problem] = []
    contexts = []
    for fund in result.funds:
        marked = _fund_context(result, fund, locate, rules, wording, problems)
        plain = {**marked, **{key: _unmarked(marked[key]) for key in _MARKED}}
        contexts.append(ReportContext(fund, plain, marked))
    if problems:
        raise InputError(problems)
    return contexts


#: The context keys that may hold marks (the slots and the indicator analysis).
_MARKED = ("节", "节段", "指标分析")


def _unmarked(value: Any) -> Any:
    """``value`` (text, or lists and mappings of it) with every mark removed."""
    if isinstance(value, str):
        return strip_marks(value)
    if isinstance(value, dict):
        return {key: _unmarked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unmarked(item) for item in value]
    return value


def _marked_slots(
    fund: int, narrative: Narrative, slots: Mapping[str, list[str]], own: set[str]
) -> dict[str, list[str]]:
    """The slots with each paragraph the user wrote marked for its bookmark.

    A bookmark names the slot by its field (「存在问题」 → ``problems``).
    """
    fields = {info.alias or name: name for name, info in type(narrative).model_fields.items()}
    return {
        slot: [mark(text, slot_bookmark(fund, fields[slot])) for text in paragraphs]
        if slot in own
        else paragraphs
        for slot, paragraphs in slots.items()
    }


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
    unit = fund.fund.money_unit or info.money_unit
    fund_values: dict[str, str] = {
        **report_values,
        "类型": fund.fund.type,
        "名称": fund.name,
        "资金用途": wording.purpose(fund.fund.type),
        "预算合计": format_amount(money.budget, unit),
        "到位合计": format_amount(money.received, unit),
        # Without 执行数 nothing is said of spending: the placeholders are empty.
        "执行合计": format_amount(money.spent, unit) if money.executed else "",
        "到位率": format_rate(money.received_rate),
        "执行率": format_rate(money.execution_rate) if money.executed else "",
        "结余": format_amount(money.balance, unit) if money.executed else "",
        "总分": format_score(fund.total),
        "等级": fund.grade,
    }

    slots: dict[str, list[str]] = {}
    given = fund.fund.narrative.slots()
    for slot, text in given.items():
        if text and text.strip():
            slots[slot] = fill(text, fund_values, ("叙述", slot))
    generated = _generated_slots(fund, rules, fund_values)
    for slot in given:
        if slot in slots:
            continue
        default = wording.default_slots.get(slot)
        if default is None:
            slots[slot] = generated.get(slot, [])
            continue
        try:  # 措辞.yaml's own wording: the province (or the user) supplied it
            slots[slot] = _paragraphs(render_text(default, fund_values))
        except SnippetBudgetError as exc:  # the input's own snippets used the budget up
            problems.append(Problem(locate((*base, "叙述")), str(exc)))
            slots[slot] = []
        except PlaceholderError as exc:  # a 措辞.yaml from the user's template folder
            problems.append(Problem(Location(WORDING_FILE, 0, ("缺省叙述", slot)), str(exc)))
            slots[slot] = []

    own = {slot for slot, text in given.items() if text and text.strip()}
    printed = _marked_slots(fund.index, fund.fund.narrative, slots, own)
    say = Phrasing(wording.phrases)
    analysis, table_rows, budget_row = _indicators(fund, fund_values, fill, say, printed)
    texts = money_text(fund, info.year, unit, say)
    overall = overall_sentence(fund)
    basis = _policy_basis(fund)
    opening = fill_phrase(
        wording.openings.get(fund.outline, ""),
        {
            "依据": _basis_clause(basis),
            "单位": info.unit,
            "年度": str(info.year),
            "名称": fund.name,
            "方面": _aspects([group["名称"] for group in analysis]),
        },
    )
    return {
        **fund_values,
        "提纲": fund.outline,
        "标题": f"{result.region}{info.year}年度{fund.name}绩效自评报告",
        "金额单位": unit,
        "成文日期": format_date(info.date) if info.date else "",
        "主送": info.addressee or "",
        "单位简称": _short_self(info.unit, info.self_name),
        "开头": opening,
        "政策依据": basis,
        # The grade bands are said once: in 评价方法和等次 where it prints the generated
        # sentence, otherwise (other outlines, or the user's own text there) after the score.
        "总分说明": score_sentence(
            fund, rules, bands=slots.get("评价方法和等次") != [bands_sentence(rules)]
        ),
        "折算说明": rescale_sentence(fund),
        "总体目标": fund.fund.goal,
        "总体完成情况": fund.fund.goal_result or overall,
        "节": printed,
        # Levels are read past the marks: a mark must not hide a typed 「（一）」.
        "节段": {
            slot: nested_paragraphs(paragraphs, chinese_numeral)
            for slot, paragraphs in printed.items()
        },
        "资金情况": [texts.combined],
        "资金下达": [texts.allocated],
        "资金到位执行": [texts.used],
        "目标列表": [f"{r.model.name}：{r.model.target}" for r in fund.indicators if r.applicable],
        "指标分析": analysis,
        "自评表": _table(result, fund, table_rows, budget_row),
        "县区对比": _counties(fund, rules),
        **form_values(result, fund, table_rows, budget_row),  # the fund's own form, layout
    }


#: Sections an outline prints that a generated sentence may stand in for. The user's own
#: text replaces the sentence: in 评价目的对象范围 and 指标体系 it names the object and the
#: groups itself, and repeating them would say each twice; in 评价方法和等次 the bands the
#: sentence states move to 总分说明, so the grade is still explained once.
_OUTLINE_SECTIONS: dict[str, tuple[str, ...]] = {
    "评价报告": ("评价目的对象范围", "评价方法和等次", "指标体系"),
}

#: Slots each outline must print under their own heading: empty, they become a marker.
MUST_WRITE: dict[str, tuple[str, ...]] = {
    "转移支付": ("资金管理", "改进措施", "结果应用"),
    "评价报告": ("评价工作", "存在问题", "改进措施"),
    "项目支出": ("职能职责", "结果应用"),
}


def _generated_slots(
    fund: FundResult, rules: RuleSet, values: Mapping[str, str]
) -> dict[str, list[str]]:
    """What an empty slot holds: figures restated, a marker, or nothing (left out)."""
    outline = fund.outline
    unmet = [r for r in fund.indicators if r.applicable and r.met is False]
    all_met = all(r.met for r in fund.indicators if r.applicable)
    slots: dict[str, list[str]] = {
        "总体完成": [fund.fund.goal_result or overall_sentence(fund)],
        "评价结论": [conclusion_sentence(fund)],
    }
    if outline in _OUTLINE_SECTIONS:
        groups = _groups(fund)
        listed = "、".join(
            f"{name}（{_points(_sum_scores([r for _, g in subs for r in g])[0])}分）"
            if fund.scored
            else name
            for name, subs in groups
        )
        total = f"，合计{_points(_weight_total(fund))}分" if fund.scored else ""
        slots["评价目的对象范围"] = [
            f"本次自评的对象为{values['年度']}年度{values['名称']}，"
            f"范围为年度绩效目标确定的{len(fund.indicators)}项绩效指标。"
        ]
        slots["评价方法和等次"] = [bands_sentence(rules)]
        slots["指标体系"] = [
            f"指标体系设{chinese_numeral(len(groups))}个一级指标：{listed}{total}。"
        ]
    reasons = [
        f"“{r.model.name}”未达到年度指标值：{_plain(r.model.deviation)}"
        for r in unmet
        if r.model.deviation and r.model.deviation.strip()
    ]
    measures = [
        f"针对“{r.model.name}”：{_plain(r.model.measures)}"
        for r in unmet
        if r.model.measures and r.model.measures.strip()
    ]
    if reasons:
        slots["存在问题"] = _numbered(reasons)
    elif outline == "转移支付":
        # An indicator with no stated result may have missed: the author says so, not we.
        slots["存在问题"] = ["各项绩效指标均达到年度指标值。"] if all_met else [marker("存在问题")]
    if measures:
        slots["改进措施"] = _numbered(measures)
    for slot in MUST_WRITE.get(outline, ()):
        slots.setdefault(slot, [marker(slot)])
    return slots


_ORDINALS = "一二三四五六七八九十"


def _numbered(items: list[str]) -> list[str]:
    """「一是……」 paragraphs, as the seeds list problems and measures; one item stays plain."""
    if len(items) == 1:
        return items
    return [
        f"{_ORDINALS[i] if i < len(_ORDINALS) else chinese_numeral(i + 1)}是{item}"
        for i, item in enumerate(items)
    ]


def _plain(text: str | None) -> str:
    text = (text or "").strip()
    return text if text.endswith(("。", "！", "？")) else f"{text}。"


def _short_self(unit: str, given: str | None) -> str:
    """How the unit names itself after the first full mention: 自称 if given, else 我局."""
    if given:
        return given
    for suffix, short in (("局", "我局"), ("中心", "我中心"), ("处", "我处")):
        if unit.endswith(suffix):
            return short
    return "我单位"


def _policy_basis(fund: FundResult) -> list[dict[str, str]]:
    """Each 政策依据 as title, number and the way the opening cites it."""
    out = []
    for doc in fund.fund.policy_basis:
        title, number = doc.title or "", doc.number or ""
        cited = f"《{title}》" if title else ""
        if number:
            cited += f"（{number}）" if title else number
        out.append({"标题": title, "文号": number, "引用": cited})
    return out


def _basis_clause(basis: list[dict[str, str]]) -> str:
    """「根据《…》（…号）要求，」, or "" without a policy basis."""
    if not basis:
        return ""
    cited = "、".join(doc["引用"] for doc in basis)
    return f"根据{cited}{'要求' if basis[-1]['标题'] else '文件要求'}，"


def _aspects(names: list[str]) -> str:
    """「项目决策、过程管理、项目产出和项目效益」: only the groups the fund has."""
    if len(names) < 2:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


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
        "分值": _points(model.weight),
        "得分": format_score(r.score) if r.score is not None else ("—" if model.weight else ""),
        "达成": _outcome(r),
        "上年完成值": _previous_text(r),
        "同比": change,
    }


def _outcome(r: IndicatorResult) -> str:
    """{{ 达成 }}: empty for an indicator whose result the input does not state."""
    if not r.applicable:
        return "不适用"
    return {True: "达成", False: "未达成", None: ""}[r.met]


def _groups(fund: FundResult) -> list[tuple[str, list[tuple[str, list[IndicatorResult]]]]]:
    """Group indicators by 一级 then 二级, in order of first appearance."""
    level1: dict[str, dict[str, list[IndicatorResult]]] = {}
    for r in fund.indicators:
        level1.setdefault(r.model.level1, {}).setdefault(r.model.level2 or "", []).append(r)
    return [(name, list(level2.items())) for name, level2 in level1.items()]


def _sum_scores(results: list[IndicatorResult]) -> tuple[Decimal | None, Decimal | None]:
    """(分值, 得分) of a group; both None when its indicators carry no weights."""
    if any(r.model.weight is None for r in results):
        return None, None
    weight = sum((r.model.weight or Decimal(0) for r in results), Decimal(0))
    score = sum((r.score or Decimal(0) for r in results if r.applicable), Decimal(0))
    return weight, score


def _points(value: Decimal | None) -> str:
    """A weight or score as printed; empty where the input states none."""
    return "" if value is None else format_score(value)


def _weight_total(fund: FundResult) -> Decimal | None:
    """分值合计: the weights' sum, or the 100-point scale of a bureau's stated total."""
    if fund.score_stated:
        return HUNDRED
    return sum((r.model.weight or Decimal(0) for r in fund.indicators), Decimal(0))


#: 叙述 slots that lead the analysis of the 一级 group whose name holds the word.
_GROUP_SLOTS = (("项目决策", "决策"), ("过程管理", "过程"))


def _indicators(
    fund: FundResult,
    fund_values: Mapping[str, str],
    fill: Callable[[str, Mapping[str, object], FieldPath], list[str]],
    say: Phrasing,
    slots: Mapping[str, list[str]],
) -> tuple[list[Context], list[Context], Context | None]:
    analysis: list[Context] = []
    rows: list[Context] = []
    budget_row: Context | None = None
    alone = Phrasing(say.phrases)  # per-indicator texts must not use up the report's turns
    groups = _groups(fund)
    written = [
        (slot, word)
        for slot, word in _GROUP_SLOTS
        if slots.get(slot) and not any(word in name for name, _ in groups)
    ]
    for slot, _word in written:  # 项目决策 written for a fund without such indicators
        analysis.append(
            {
                "名称": slot,
                "分值": "",
                "得分": "",
                "段落": slots[slot],
                "节段": nested_paragraphs(slots[slot], chinese_numeral),
                "二级组": [],
            }
        )
    for level1, level2_groups in groups:
        everything = [r for _, group in level2_groups for r in group]
        weight, score = _sum_scores(everything)
        subgroups = []
        for j, (level2, group) in enumerate(level2_groups, start=1):
            items = []
            notes: dict[int, list[str]] = {}
            quiet: set[int] = set()  # indicators whose 说明 speaks of last year itself
            for k, r in enumerate(group, start=1):
                values = _indicator_values(fund_values, r)
                note = r.model.note
                given = fill(note, values, (*r.path[2:], "说明")) if note else []
                given = [mark(text, note_bookmark(fund.index, r.model.name)) for text in given]
                if given:
                    notes[k - 1] = given
                # A 说明 that speaks of last year itself gets no generated comparison.
                own_words = note is not None and ("同比" in note or "上年" in note)
                if own_words:
                    quiet.add(id(r))
                items.append(
                    {
                        "序号": k,
                        "中文序号": chinese_numeral(k),
                        "名称": r.model.name,
                        "段落": indicator_paragraphs(
                            r, given, _no_history if own_words else previous_sentence, alone
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
                    "分值": values["分值"],
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
                    "分值": _points(sub_weight),
                    "得分": _points(sub_score),
                    "段落": group_paragraphs(
                        group,
                        notes,
                        say,
                        _history_unless(quiet),
                    ),
                    "指标": items,
                }
            )
        lead = next((slots.get(slot, []) for slot, word in _GROUP_SLOTS if word in level1), [])
        analysis.append(
            {
                "名称": level1,
                "分值": _points(weight),
                "得分": _points(score),
                "段落": list(lead),
                "节段": nested_paragraphs(lead, chinese_numeral),
                "二级组": subgroups,
            }
        )
    for i, entry in enumerate(analysis, start=1):
        entry["序号"] = i
        entry["中文序号"] = chinese_numeral(i)
    return analysis, rows, budget_row


def _no_history(_result: IndicatorResult) -> str:
    return ""


def _history_unless(quiet: set[int]) -> Callable[[IndicatorResult], str]:
    """The year-over-year sentence, except for indicators whose 说明 already gives it."""

    def history(result: IndicatorResult) -> str:
        return "" if id(result) in quiet else previous_sentence(result)

    return history


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


def _source_group(source: str, layout: str) -> str:
    """Table row of a source: by its words, since 来源 is free text."""
    if layout == "得分":
        return score_group(source)
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
        bucket[1] += row.spent or Decimal(0)
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

    year_budget = money.adjusted_budget if money.adjusted_as_a_whole else money.budget
    first = money_row("年度资金总额", year_budget, money.spent, money.received)
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
        "分值合计": _points(_weight_total(fund)),
        "总分": format_score(fund.total),
    }
