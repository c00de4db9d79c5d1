"""Read the narrative the way a careful reviewer does, against the computed figures.

Pure functions: each takes a fund's result and one piece of its text and returns
warnings. They only ever warn, because text may legitimately quote a figure that
the input does not hold; the hint says how to make the text follow the data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from generator.analysis.compute import FundResult
from generator.analysis.quoted_figures import (
    MONEY,
    PERCENT,
    Figure,
    Literal,
    fund_figures,
    indicator_figures,
    literals,
    near_miss,
    plain_text,
    same_as,
    subset_sums,
)
from generator.core.markers import CONDENSE_MARK
from generator.core.money import HUNDRED, format_score, round_half_up
from generator.core.rules import RuleSet, grade_bands
from generator.core.vocabulary import NARRATIVE_SLOTS
from generator.core.years import YEAR, is_history
from generator.errors import Location, Problem, Severity
from generator.inputs.source import FieldPath

__all__ = ["Text", "check_fund_texts", "fund_texts"]

Locator = Callable[[FieldPath], Location]


@dataclass(frozen=True)
class Text:
    """One field of free text, where it sits and what may be checked in it."""

    path: FieldPath
    raw: str
    #: Placeholders are rendered in this field (叙述 and 说明, not 偏差原因).
    placeholders: bool
    #: Index of the indicator whose 说明 this is (its figures have placeholders).
    indicator: int | None = None
    #: Fund-level prose: statements of 到位率, 总分, 等级 refer to the whole fund.
    fund_level: bool = False
    #: Only years are checked (总体目标 quotes targets, not results).
    years_only: bool = False

    @property
    def plain(self) -> str:
        return plain_text(self.raw)


def fund_texts(fund: FundResult) -> Iterator[Text]:
    """Every free-text field of one fund, in file order."""
    model = fund.fund
    yield Text(("总体目标",), model.goal, False, years_only=True)
    if model.goal_result:
        yield Text(
            ("总体完成情况",),
            model.goal_result,
            False,
            fund_level=True,
            years_only=CONDENSE_MARK in model.goal_result,
        )
    for j, result in enumerate(fund.indicators):
        ind = result.model
        index = result.path[-1]
        assert isinstance(index, int)
        for key, value, rendered in (
            ("评分说明", ind.score_note, False),
            ("偏差原因", ind.deviation, False),
            ("改进措施", ind.measures, False),
            ("说明", ind.note, True),
        ):
            if value:
                yield Text(("指标", index, key), value, rendered, indicator=j)
    slots = model.narrative.slots()
    for slot in NARRATIVE_SLOTS:
        value = slots.get(slot)
        if value:
            yield Text(
                ("叙述", slot), value, True, fund_level=True, years_only=CONDENSE_MARK in value
            )


def check_fund_texts(
    fund: FundResult, year: int, money_unit: str, rules: RuleSet, locate: Locator
) -> list[Problem]:
    """All text checks of one fund."""
    figures = fund_figures(fund, money_unit)
    found: list[Problem] = []
    base: FieldPath = ("项目", fund.index)

    def warn(text: Text, message: str, hint: str) -> None:
        found.append(Problem(locate((*base, *text.path)), message, Severity.WARNING, hint))

    for text in fund_texts(fund):
        plain = text.plain
        flagged: set[int] = set()
        if not text.years_only:
            for message, hint, start in _numbers(fund, text, figures, money_unit):
                flagged.add(start)
                warn(text, message, hint)
            if text.fund_level:
                for message, hint, start in _stated_rates(plain, figures, text):
                    if start not in flagged:
                        warn(text, message, hint)
                for message, hint in _stated_score(fund, plain, text):
                    warn(text, message, hint)
                for message, hint in _grade_bands(text.raw, plain, rules):
                    warn(text, message, hint)
                if text.path[-1] in {"总体完成情况", "总体完成", "评价结论"}:
                    for message, hint in _all_done_claims(fund, plain):
                        warn(text, message, hint)
        for message, hint in _years(plain, year):
            warn(text, message, hint)
    return found


def _placeholder_hint(text: Text, figure: Figure, shown: str) -> str:
    if text.placeholders and figure.placeholder:
        return f"建议改用 {{{{ {figure.placeholder} }}}}"
    return f"请改为 {shown}，或核对所依据的数据"


def _numbers(
    fund: FundResult, text: Text, figures: Sequence[Figure], money_unit: str
) -> Iterator[tuple[str, str, int]]:
    """Literal numbers one keystroke or one rounding step away from a computed figure."""
    pool = list(figures)
    if text.indicator is not None:
        pool = indicator_figures(fund.indicators[text.indicator], own=True) + pool
    units = {MONEY, PERCENT} | {f.unit for f in pool}
    for literal in literals(text.plain, units):
        if any(same_as(literal, figure) for figure in pool):
            continue
        figure = next((f for f in pool if near_miss(literal, f)), None)
        if figure is None:
            continue
        partial = _partial_sum(fund, literal, money_unit)
        if partial and figure.label not in _TOTALS:
            # “合计2358万元” next to a 2258 source is a subtotal, not a typo.
            continue
        shown = literal.shown(figure)
        hint = _placeholder_hint(text, figure, shown)
        if partial:
            hint += f"；该数等于{partial}，若文中指的正是这部分资金，可忽略本提示"
        yield f"“{literal.text}”与计算所得{figure.label} {shown} 不一致", hint, literal.start


_TOTALS = {"预算合计", "到位合计", "执行合计"}


def _partial_sum(fund: FundResult, literal: Literal, money_unit: str) -> str:
    """The label of the sources' partial sum this literal equals, if any."""
    if literal.unit != MONEY:
        return ""
    for label, value in subset_sums(fund, money_unit):
        if same_as(literal, Figure(label, value, MONEY)):
            return label
    return ""


_STATED_RATE = re.compile(
    r"(?P<key>到位率|执行率)(?:为|是|达到|达|仅为|仅|只有|约为|约|:)?\s*"
    r"(?P<num>\d+(?:\.\d+)?)\s*%(?!\s*(?:以上|以下|及以上|左右))"
)


def _stated_rates(
    plain: str, figures: Sequence[Figure], text: Text
) -> Iterator[tuple[str, str, int]]:
    """“到位率98%” must be the fund's rate or one source's rate, whatever the difference."""
    for match in _STATED_RATE.finditer(plain):
        key = match["key"]
        literal = next(literals(match["num"] + "%", {PERCENT}))
        candidates = [f for f in figures if f.unit == PERCENT and key in f.label]
        if not candidates or any(same_as(literal, f) for f in candidates):
            continue
        main = next((f for f in candidates if f.label == key), candidates[0])
        shown = literal.shown(main)
        yield (
            f"文中{key}“{match['num']}%”与计算所得{main.label} {shown} 不一致",
            _placeholder_hint(text, main, shown),
            match.start("num"),
        )


_STATED_SCORE = re.compile(
    r"(?P<key>自评得分|自评总分|评价得分|综合得分|总得分|最终得分|总分)"
    r"(?:为|是|达到|达|共|:)?\s*(?P<num>\d+(?:\.\d+)?)\s*分"
)
_STATED_GRADE = re.compile(
    r"(?:等级|等次)(?:为|是|评定为|评为|:)\s*[“\"「『]?"
    r"(?P<grade>优秀|良好|中等|较差|优|良|中|差)"
)
_GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}


def _sentence_at(plain: str, pos: int) -> str:
    start = max(plain.rfind(mark, 0, pos) for mark in "。；;\n") + 1
    ends = [i for i in (plain.find(mark, pos) for mark in "。；;\n") if i >= 0]
    return plain[start : min(ends) if ends else len(plain)]


def _stated_score(fund: FundResult, plain: str, text: Text) -> Iterator[tuple[str, str]]:
    """A score or grade typed into the conclusion must be the computed one."""
    for match in _STATED_SCORE.finditer(plain):
        if "满分" in _sentence_at(plain, match.start()):
            continue
        written = Decimal(match["num"])
        places = len(match["num"].partition(".")[2])
        if round_half_up(fund.total, places) == written:
            continue
        hint = (
            "建议改用 {{ 总分 }}" if text.placeholders else f"请改为 {format_score(fund.total)} 分"
        )
        yield (
            f"文中{match['key']}“{match['num']}分”与计算所得总分 "
            f"{format_score(fund.total)} 分不一致",
            hint,
        )
    for match in _STATED_GRADE.finditer(plain):
        grade = _GRADE_WORDS.get(match["grade"], match["grade"])
        if grade == fund.grade:
            continue
        hint = "建议改用 {{ 等级 }}" if text.placeholders else f"请改为“{fund.grade}”"
        yield f"文中等级“{match['grade']}”与计算所得等级“{fund.grade}”不一致", hint


def _years(plain: str, year: int) -> Iterator[tuple[str, str]]:
    """Years other than 年度, 上年度 and the next year are usually left over from an old report."""
    allowed = {year - 1, year, year + 1}
    seen: set[int] = set()
    for match in YEAR.finditer(plain):
        named = int(match.group(1))
        if named in allowed or named in seen or is_history(plain, match):
            continue
        seen.add(named)
        yield (
            f"提到“{named}年”，不是本报告的年度{year}年、上年度{year - 1}年或下一年度{year + 1}年",
            f"若是沿用往年报告的文字，请改为本年度（可用 {{{{ 年度 }}}}）；若确指{named}年，可忽略",
        )


_LABEL = r"(?P<label>优秀|良好|中等|合格|及格|一般|较差|不合格|不及格|优|良|中|差)"
_NUM = r"\d+(?:\.\d+)?"
_INCL = r"(?:\((?:含|不含)\))?"
_BAND = re.compile(
    _LABEL + r"[^\d，。；,;、]{0,6}?(?:"
    rf"(?P<low>{_NUM})\s*分?\s*{_INCL}\s*[-~—–至到]\s*(?P<high>{_NUM})\s*分?"
    rf"|(?:≥|>=|>|大于等于|不低于|不少于)\s*(?P<ge>{_NUM})\s*分"
    rf"|(?:<|≤|<=|低于|小于)\s*(?P<lt>{_NUM})\s*分"
    rf"|(?P<above>{_NUM})\s*分\s*{_INCL}\s*(?:及|或)?以上"
    rf"|(?P<below>{_NUM})\s*分\s*{_INCL}\s*以下)"
)


def _band_ranges(plain: str) -> list[tuple[str, Decimal, Decimal, int, int]]:
    bands = []
    for match in _BAND.finditer(plain):
        if match["low"] is not None:
            low, high = Decimal(match["low"]), Decimal(match["high"])
        elif match["ge"] is not None or match["above"] is not None:
            low, high = Decimal(match["ge"] or match["above"]), HUNDRED
        else:
            low, high = Decimal(0), Decimal(match["lt"] or match["below"])
        bands.append((match["label"], low, high, match.start(), match.end()))
    return bands


def _grade_bands(raw: str, plain: str, rules: RuleSet) -> Iterator[tuple[str, str]]:
    """“合格60-70分，良好71-80分，优秀90分以上” leaves 80 to 90 with no grade."""
    bands = _band_ranges(plain)
    if len(bands) < 2 or len({b[0] for b in bands}) < 2:
        return
    end = bands[-1][4]
    while end < len(plain) and plain[end] in ")]）】":
        end += 1
    quoted = raw[bands[0][3] : end]
    ordered = sorted(bands, key=lambda b: (b[1], b[2]))
    gaps: list[str] = []
    overlaps: list[str] = []
    for (_, _, high, _, _), (_, low, next_high, _, _) in pairwise(ordered):
        # Whole-point bands (60-70, 71-80) are contiguous for integer scores.
        if low > high and not (high == high.to_integral_value() and low == high + 1):
            gaps.append(f"{format_score(high)}分至{format_score(low)}分之间")
        elif low < high and next_high > low:
            overlaps.append(f"{format_score(low)}分至{format_score(min(high, next_high))}分")
    if ordered[0][1] > 0:
        gaps.append(f"{format_score(ordered[0][1])}分以下")
    if max(b[2] for b in ordered) < HUNDRED:
        gaps.append(f"{format_score(max(b[2] for b in ordered))}分以上")
    hint = f"请按评分规则“{rules.name}”写全等级：{grade_bands(rules)}"
    if gaps:
        yield f"等级划分“{quoted}”有空档：{'、'.join(gaps)}的得分没有对应等级", hint
    if overlaps:
        yield f"等级划分“{quoted}”有重叠：{'、'.join(overlaps)}同时属于两个等级", hint


_ALL_DONE = re.compile(
    r"全部完成|全部实现|均已完成|均已实现|全面完成|全部达到|均已达到|均达到|全部达标"
)
_EXCEPT = re.compile(r"其余|除|以外|之外|未|基本|部分|大部分|多数")


def _all_done_claims(fund: FundResult, plain: str) -> Iterator[tuple[str, str]]:
    """“目标全部完成” while an indicator missed its target misleads the reader."""
    unmet = [r.model.name for r in fund.indicators if r.applicable and r.met is False]
    if not unmet:
        return
    for match in _ALL_DONE.finditer(plain):
        if _EXCEPT.search(_sentence_at(plain, match.start())):
            continue
        names = "、".join(f"“{n}”" for n in unmet)
        yield (
            f"文中称“{match.group(0)}”，但指标{names}未达到目标值",
            "请写明未完成的指标和原因，或删去该句以使用生成的总体完成情况",
        )
        return
