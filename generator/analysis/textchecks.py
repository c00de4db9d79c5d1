"""Read the narrative the way a careful reviewer does, against the computed figures.

Pure functions: each takes a fund's result and one piece of its text and returns
findings. Most are warnings, because text may legitimately quote a figure that the
input does not hold; the hint says how to make the text follow the data. A figure
whose own words name the computed quantity it contradicts (「结余282.88万元」 where
结余 is 282.87) is a contradiction the tool is sure of: it stops the document unless
the fund's 确认数字 acknowledges it (analysis/contradictions.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from generator.analysis.compute import AUTO, FundResult
from generator.analysis.contradictions import Contradiction, rate_of_indicator
from generator.analysis.quoted_figures import (
    MONEY,
    PERCENT,
    Figure,
    FigureIndex,
    Literal,
    fund_figures,
    indicator_figures,
    literals,
    near_miss,
    plain_text,
    rate_fits,
    rates_named,
    same_as,
    subset_sums,
)
from generator.core.markers import CONDENSE_MARK
from generator.core.money import HUNDRED, MONEY_UNITS, format_score, round_half_up
from generator.core.rules import RuleSet, grade_bands
from generator.core.vocabulary import NARRATIVE_SLOTS
from generator.core.years import YEAR, is_history
from generator.errors import Location, Problem, Severity, format_path
from generator.inputs.source import FieldPath

__all__ = ["Finding", "Text", "check_fund_texts", "fund_texts", "names_quantity"]

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

    @functools.cached_property
    def plain(self) -> str:
        """Read by several checks; computed once."""
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


#: Findings listed for one text: a text pasted from elsewhere can quote hundreds of
#: numbers near a computed one; past this, one line says there are more, and the rest
#: of the text is not searched.
_PER_TEXT = 5


@dataclass(frozen=True)
class Finding:
    """One thing wrong in one text."""

    message: str
    hint: str
    #: (数字 as typed, 所指) when the text names the computed quantity it contradicts:
    #: an error unless 确认数字 acknowledges it (analysis/contradictions.py).
    sure: tuple[str, str] | None = None
    #: Position of the number in the text (-1 for findings about the whole text).
    start: int = -1


def check_fund_texts(
    fund: FundResult, year: int, money_unit: str, rules: RuleSet, locate: Locator
) -> tuple[list[Problem], list[Contradiction]]:
    """All text checks of one fund: warnings, and the contradictions the tool is sure of."""
    figures = fund_figures(fund, money_unit)
    index = FigureIndex(figures)
    owns: dict[int, list[Figure]] = {}
    found: list[Problem] = []
    sure: list[Contradiction] = []
    base: FieldPath = ("项目", fund.index)
    texts = list(fund_texts(fund))
    flagged: set[tuple[FieldPath, int]] = set()
    for text in texts:
        own: list[Figure] = []
        if text.indicator is not None:
            if text.indicator not in owns:  # its 说明, 偏差原因… share them
                owns[text.indicator] = indicator_figures(fund.indicators[text.indicator], own=True)
            own = owns[text.indicator]
        count = 0
        for finding in _text_findings(fund, text, own, index, figures, (year, money_unit, rules)):
            flagged.add((text.path, finding.start))
            if finding.sure is not None:
                # Never left out: each one stops the document.
                figure, refers_to = finding.sure
                sure.append(
                    Contradiction(text.path, finding.message, finding.hint, figure, refers_to)
                )
                continue
            if count < _PER_TEXT:
                message, hint = finding.message, finding.hint
            elif count == _PER_TEXT:
                message, hint = (
                    "这段文字还有更多类似的问题，未逐一列出",
                    "请逐一核对这段文字中的数字和年份",
                )
            else:
                continue
            count += 1
            found.append(Problem(locate((*base, *text.path)), message, Severity.WARNING, hint))
    for path, message, hint in _stated_twice(fund, texts, flagged):
        found.append(Problem(locate((*base, *path)), message, Severity.WARNING, hint))
    return found, sure


def _text_findings(
    fund: FundResult,
    text: Text,
    own: Sequence[Figure],
    index: FigureIndex,
    figures: Sequence[Figure],
    report: tuple[int, str, RuleSet],
) -> Iterator[Finding]:
    """Each finding in one text, in the order they are listed."""
    year, money_unit, rules = report
    plain = text.plain
    if not text.years_only:
        flagged: set[int] = set()
        for finding, start in _numbers(fund, text, own, index, money_unit):
            flagged.add(start)
            yield finding
        if text.fund_level:
            for finding, start in _stated_rates(fund, plain, figures, text):
                if start not in flagged:
                    yield finding
            yield from _stated_score(fund, plain, text)
            for message, hint in _grade_bands(text.raw, plain, rules):
                yield Finding(message, hint)
            if text.path[-1] in {"总体完成情况", "总体完成", "评价结论"}:
                for message, hint in _all_done_claims(fund, plain):
                    yield Finding(message, hint)
    for message, hint in _years(plain, year):
        yield Finding(message, hint)


#: Verbs that say what a sum of money is; two sums with the same verb that differ by one
#: keystroke are most likely one quantity typed twice (seed 003: 下达 2630.85 / 2680.85).
_MONEY_VERBS = ("下达", "拨付", "到位", "安排", "筹集", "支出", "执行", "结余", "结转", "收入")


def _stated_twice(
    fund: FundResult, texts: Sequence[Text], flagged: set[tuple[FieldPath, int]]
) -> Iterator[tuple[FieldPath, str, str]]:
    """The same quantity stated twice with different values within a fund.

    The tool cannot know which is right (it computes neither), so this is a warning:
    two sums of money whose clauses use the same verb and that differ by one keystroke.
    Numbers already reported against a computed figure are left to that finding, and a
    gap the text or the 资金 rows explain (「预算4.37亿元，同步清算0.02亿元，实际下达4.35亿元」)
    is no contradiction.
    """
    unit = MONEY_UNITS[fund.money_unit]
    explained = {
        abs(amount) * unit
        for source in fund.money.sources
        for amount in (source.adjustment, source.clearing, source.adjustment + source.clearing)
        if amount
    }
    found = {text.path: list(literals(text.plain, {MONEY})) for text in texts}
    seen: list[tuple[Text, Literal, str]] = []
    for text in texts:
        if text.years_only:
            continue
        for literal in found[text.path]:
            if (text.path, literal.start) in flagged:
                continue
            clause = _clause_before(text.plain, literal.start)
            verb = max(
                (verb for verb in _MONEY_VERBS if verb in clause),
                key=clause.rfind,
                default="",
            )
            if not verb:
                continue
            for earlier, other, other_verb in seen:
                figure = Figure("", other.value, MONEY)
                if other_verb != verb or not near_miss(literal, figure):
                    continue
                gap = abs(literal.value - other.value)
                stated = (x.value for x in (*found[text.path], *found[earlier.path]))
                if gap in explained or gap in stated:
                    continue
                where = "同一段" if earlier.path == text.path else format_path(earlier.path)
                yield (
                    text.path,
                    f"“{literal.text}”与{where}中同样“{verb}”的“{other.text}”只差一处数字，"
                    "可能是同一笔资金写成了两个数",
                    "若是同一笔资金，请改为同一数字；若所指不同（如是否含某级资金），"
                    "请在文中写明区别",
                )
                break
            seen.append((text, literal, verb))


def _placeholder_hint(text: Text, figure: Figure, shown: str) -> str:
    if text.placeholders and figure.placeholder:
        return f"建议改用 {{{{ {figure.placeholder} }}}}"
    return f"请改为 {shown}，或核对所依据的数据"


def _numbers(
    fund: FundResult,
    text: Text,
    own: Sequence[Figure],
    index: FigureIndex,
    money_unit: str,
) -> Iterator[tuple[Finding, int]]:
    """Literal numbers one keystroke or one rounding step away from a computed figure.

    ``own`` are the figures of the indicator the text belongs to; they come before the
    fund's (``index``).
    """
    units = {MONEY, PERCENT} | {f.unit for f in own} | index.units
    for literal in literals(text.plain, units):
        if any(same_as(literal, figure) for figure in own) or index.same(literal):
            continue
        # A rate is compared only with the rate its clause names (执行率 vs 到位率 vs 使用率).
        named = (
            rates_named(_clause_before(text.plain, literal.start))
            if literal.unit == PERCENT
            else frozenset()
        )
        fits = functools.partial(rate_fits, named=named)
        figure = next((f for f in own if fits(f) and near_miss(literal, f)), None)
        figure = figure or index.near(literal, fits)
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
        sure = None
        if not partial and names_quantity(text.plain, literal, figure):
            sure = (literal.text, figure.label)
        message = f"“{literal.text}”与计算所得{figure.label} {shown} 不一致"
        yield Finding(message, hint, sure, literal.start), literal.start


_TOTALS = {"预算合计", "到位合计", "执行合计"}

#: Words that name each computed figure in the clause before a number. A near miss
#: whose clause names its figure is a contradiction, not a coincidence.
_NAMING_WORDS: dict[str, tuple[str, ...]] = {
    "结余": ("结余",),
    "预算合计": ("预算",),
    "到位合计": ("到位",),
    "执行合计": ("执行", "支出"),
    "到位率": ("到位率",),
    "执行率": ("执行率",),
    "可支付月数": ("可支付", "可支配", "月数"),
    "基金当期结余": ("当期结余",),
}
#: A clause that sets a target or a bound quotes a goal, not a result.
_GOAL_WORDS = re.compile(r"目标值|指标值|要求|不低于|不少于|不高于|不超过|力争|确保|≥|≤|>|<")
_BOUND_AFTER = re.compile(r"\s*(?:以上|以下|左右|及以上|及以下|以内)")
_CLAUSE_END = "。；;，,：:\n（(、"


def _clause_before(plain: str, start: int) -> str:
    cut = max(plain.rfind(mark, 0, start) for mark in _CLAUSE_END) + 1
    return plain[cut:start]


def names_quantity(plain: str, literal: Literal, figure: Figure) -> bool:
    """Whether the clause before ``literal`` names the computed ``figure`` it nearly is.

    「当期结余资金282.88万元」 names 结余; 「完成…任务的96.58%」 names a completion rate;
    「到位率95%以上」 quotes a bound, and 「合计1965万元」 names no particular total.
    """
    if not figure.computed or _BOUND_AFTER.match(plain, literal.start + len(literal.text)):
        return False
    clause = _clause_before(plain, literal.start)
    if _GOAL_WORDS.search(clause):
        return False
    label = figure.label
    words = _NAMING_WORDS.get(label)
    if words is None and label.endswith(("到位率", "执行率")):
        words = (label[-3:],)
    if words is None and label.endswith("的完成率"):
        words = ("完成",)
    if label == "结余" and ("累计结余" in clause or "结转" in clause):
        return False
    return words is not None and any(word in clause for word in words)


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
    fund: FundResult, plain: str, figures: Sequence[Figure], text: Text
) -> Iterator[tuple[Finding, int]]:
    """“到位率98%” must be the fund's rate or one source's rate, whatever the difference.

    An indicator that states the fund's rate (「当年各级财政补助资金到位率」) is held to the
    computed rate too (contradictions.rate_indicator_contradictions), so body and
    indicator cannot print two values for it.
    """
    for match in _STATED_RATE.finditer(plain):
        key = match["key"]
        literal = next(literals(match["num"] + "%", {PERCENT}))
        computed = [f for f in figures if f.unit == PERCENT and f.label.endswith(key)]
        if not computed:
            continue
        if any(same_as(literal, f) for f in computed):
            continue  # an indicator stating this rate otherwise is reported at the indicator
        if any(same_as(literal, f) for f in _uncomputed_rates(fund, key)):
            continue  # the rate of an indicator the tool cannot compute (中央资金到位率)
        main = next((f for f in computed if f.label == key), computed[0])
        shown = literal.shown(main)
        clause = _clause_before(plain, match.start("num"))
        sure = None if _GOAL_WORDS.search(clause) else (literal.text, main.label)
        message = f"文中{key}“{match['num']}%”与计算所得{main.label} {shown} 不一致"
        start = match.start("num")
        yield Finding(message, _placeholder_hint(text, main, shown), sure, start), start


def _uncomputed_rates(fund: FundResult, key: str) -> Iterator[Figure]:
    """Typed actuals of indicators named for a rate the tool cannot compute."""
    for result in fund.indicators:
        actual = result.actual
        if actual is None or actual.unit != PERCENT or result.model.actual == AUTO:
            continue
        if result.model.name.endswith(key) and rate_of_indicator(fund, result) is None:
            yield Figure(f"指标“{result.model.name}”的完成值", actual.value, PERCENT)


_STATED_SCORE = re.compile(
    r"(?P<key>自评得分|自评总分|评价得分|综合得分|总得分|最终得分|总分)"
    r"(?:为|是|达到|达|共|:)?\s*(?P<num>\d+(?:\.\d+)?)\s*分"
)
_STATED_GRADE = re.compile(
    r"(?:等级|等次)(?:为|是|评定为|评为|:)\s*[“\"「『]?"
    r"(?P<grade>优秀|良好|中等|较差|优|良|中|差)"
)
_GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}


def _bracketed(plain: str, match: re.Match[str]) -> bool:
    """«（自评得分10分）» after a part's analysis is that part's score, not the total."""
    before = plain[: match.start()].rstrip()
    after = plain[match.end() :].lstrip()
    return before.endswith(("（", "(")) and after.startswith(("）", ")"))


def _sentence_at(plain: str, pos: int) -> str:
    start = max(plain.rfind(mark, 0, pos) for mark in "。；;\n") + 1
    ends = [i for i in (plain.find(mark, pos) for mark in "。；;\n") if i >= 0]
    return plain[start : min(ends) if ends else len(plain)]


def _stated_score(fund: FundResult, plain: str, text: Text) -> Iterator[Finding]:
    """A score typed into the conclusion must be the computed one (the tool is sure: it
    names 总分); a grade that differs is a warning (it may be another year's)."""
    for match in _STATED_SCORE.finditer(plain):
        sentence = _sentence_at(plain, match.start())
        if "满分" in sentence or _bracketed(plain, match):
            continue
        written = Decimal(match["num"])
        places = len(match["num"].partition(".")[2])
        if round_half_up(fund.total, places) == written:
            continue
        hint = (
            "建议改用 {{ 总分 }}" if text.placeholders else f"请改为 {format_score(fund.total)} 分"
        )
        sure = None if _GOAL_WORDS.search(sentence) else (f"{match['num']}分", "总分")
        message = (
            f"文中{match['key']}“{match['num']}分”与计算所得总分 "
            f"{format_score(fund.total)} 分不一致"
        )
        yield Finding(message, hint, sure)
    for match in _STATED_GRADE.finditer(plain):
        grade = _GRADE_WORDS.get(match["grade"], match["grade"])
        if grade == fund.grade:
            continue
        hint = "建议改用 {{ 等级 }}" if text.placeholders else f"请改为“{fund.grade}”"
        yield Finding(f"文中等级“{match['grade']}”与计算所得等级“{fund.grade}”不一致", hint)


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
