"""Cross-checks over a computed report: figures that contradict each other.

Validation (validate.py, compute.py) refuses input that cannot be computed; these
checks look at input that computes fine but that a careful reviewer would query
before leadership signs: money that does not add up the usual way, targets that
look mistyped, narrative that disagrees with the figures. Every finding is a
WARNING with a location and a hint; ``--strict`` turns them into errors.
Pure: the result, the rule set and a locator in, problems out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from generator.analysis.compute import FundResult, IndicatorResult, ReportResult
from generator.analysis.contradictions import (
    accounts_contradictions,
    rate_indicator_contradictions,
    settle,
)
from generator.analysis.textchecks import check_fund_texts
from generator.core.money import HUNDRED, format_amount, format_date, format_number
from generator.core.quantities import Kind
from generator.core.rules import RuleSet
from generator.core.scoring import overachieved
from generator.errors import Location, Problem, Severity
from generator.inputs.source import FieldPath

__all__ = ["MAX_WARNINGS", "at_most", "run_checks"]

Locator = Callable[[FieldPath], Location]

#: Warnings listed for one input. A real input has a handful; a pasted or generated one
#: can have a warning for every number it quotes, and listing hundreds of thousands
#: would take longer than the answer may (and help nobody).
MAX_WARNINGS = 500


def at_most(warnings: Sequence[Problem], where: Location) -> list[Problem]:
    """The first :data:`MAX_WARNINGS` warnings, and one more saying how many were left out."""
    if len(warnings) <= MAX_WARNINGS:
        return list(warnings)
    left = len(warnings) - MAX_WARNINGS
    return [
        *warnings[:MAX_WARNINGS],
        Problem(
            where,
            f"另有{left}条警告未列出（每次最多列出{MAX_WARNINGS}条）",
            Severity.WARNING,
            "请先处理以上警告，再运行 genreport check 查看其余的",
        ),
    ]


def run_checks(result: ReportResult, rules: RuleSet, locate: Locator) -> list[Problem]:
    """Every cross-check on every fund, sorted by line.

    Contradictions the tool is sure of are errors unless the fund's 确认数字 lists them
    (analysis/contradictions.py); every other finding is a warning.
    """
    info = result.model.report
    found: list[Problem] = list(_report_date(result, locate))
    for fund in result.funds:
        base: FieldPath = ("项目", fund.index)
        for path, message, hint in (*_money(fund, fund.money_unit), *_indicators(fund, rules)):
            found.append(Problem(locate((*base, *path)), message, Severity.WARNING, hint))
        warnings, contradictions = check_fund_texts(fund, info.year, fund.money_unit, rules, locate)
        found += warnings
        found += settle(
            fund,
            [
                *rate_indicator_contradictions(fund),
                *accounts_contradictions(fund),
                *contradictions,
            ],
            locate,
        )
    return sorted(found, key=lambda p: p.location.line)


Finding = tuple[FieldPath, str, str]


def _report_date(result: ReportResult, locate: Locator) -> Iterator[Problem]:
    """A 成文日期 inside the evaluated year was usually copied from last year's report."""
    info = result.model.report
    if info.date is not None and info.date.year <= info.year:
        yield Problem(
            locate(("报告", "成文日期")),
            f"成文日期{format_date(info.date)}早于评价年度{info.year}年结束",
            Severity.WARNING,
            "可能沿用了往年报告的日期，请改为本报告实际成文的日期",
        )


_OVER_BUDGET = (
    "到位数一般不超过全年预算数；若年中追加了预算或清算补拨了上年资金，请填写调整数或清算数"
)
#: With 调整后预算数 the row's 预算数 predates an adjustment that was not split by source.
_OVER_BUDGET_AS_A_WHOLE = (
    "本行预算数是调整前的数额（调整后预算数未分来源），请核对到位数；"
    "若知道本来源的调整数，可改在各行填写调整数并删去调整后预算数"
)


def _money(fund: FundResult, unit: str) -> Iterator[Finding]:
    money = fund.money
    if money.adjusted_as_a_whole and money.received > money.adjusted_budget:
        yield (
            ("调整后预算数",),
            f"各来源到位数合计{format_amount(money.received, unit)}大于调整后预算数"
            f"{format_amount(money.adjusted_budget, unit)}",
            "到位合计一般不超过调整后的全年预算数；请核对调整后预算数和各行的到位数",
        )
    for k, source in enumerate(money.sources):
        row = source.row
        where: FieldPath = ("资金", k)
        budget, said_budget = (
            source.adjusted_budget,
            "调整后预算数" if source.adjusted else "预算数",
        )
        if row.received is not None and row.received > budget:
            yield (
                (*where, "到位数"),
                f"{row.source}到位数{format_amount(row.received, unit)}大于{said_budget}"
                f"{format_amount(budget, unit)}",
                _OVER_BUDGET_AS_A_WHOLE if money.adjusted_as_a_whole else _OVER_BUDGET,
            )
        if row.spent is not None and row.spent > source.received:
            said = "到位数" if row.received is not None else f"{said_budget}（未填到位数）"
            yield (
                (*where, "执行数"),
                f"{row.source}执行数{format_amount(row.spent, unit)}大于{said}"
                f"{format_amount(source.received, unit)}",
                "执行数不应超过到位资金；若动用了上年结转资金，请把结转资金单列一行“来源: 上年结转”",
            )
    yield from _same_level(fund)
    yield from _combined_levels(fund)


def _same_level(fund: FundResult) -> Iterator[Finding]:
    """Two rows for one level of government are often the same money entered twice.

    Lottery funds (彩票公益金, 福彩公益金) and carry-over are sources of their own, not a
    second row of the level that manages them.
    """
    seen: list[tuple[int, str, frozenset[str]]] = []
    for k, source in enumerate(fund.money.sources):
        kind, levels = source.kind, source.levels - {"各级"}
        if not levels:
            continue
        for first, other_kind, other in seen:
            shared = levels & other
            if kind == other_kind and shared:
                earlier = fund.money.rows[first].source
                yield (
                    ("资金", k, "来源"),
                    f"资金来源“{source.source}”与第{first + 1}行“{earlier}”都属于"
                    f"{'、'.join(sorted(shared))}资金",
                    "同一级次的资金请合并为一行（或在名称中注明批次），以免重复计算",
                )
                break
        seen.append((k, kind, levels))


def _combined_levels(fund: FundResult) -> Iterator[Finding]:
    """「各级财政补助」 holds central money in an unknown share: tables show it whole.

    Only a row that may hold central money is worth splitting (市县财政 is not asked
    about); the tables never invent the split.
    """
    for k, source in enumerate(fund.money.sources):
        levels = source.levels
        central = "各级" in levels or ("中央" in levels and len(levels) > 1)
        if source.kind != "财政" or not central:
            continue
        yield (
            ("资金", k, "来源"),
            f"资金来源“{source.source}”合并了几级财政的资金，其中中央财政资金的数额无法单列",
            "若有分级数字，建议按级次分行填写（中央财政、省级财政、市级财政、县级财政）；"
            "否则自评表按合计列示，不拆分",
        )


#: Shares of a whole: a value above 100% is impossible whatever the target says.
_SHARE = re.compile(r"率|比例|比重|占比|满意度")
#: Names whose “rate” may exceed 100%: growth, completion of a quota, population bases.
_MAY_EXCEED = re.compile(r"增长|增幅|增速|完成|参保率|采购量|节约|提高|较上年|倍")


def _indicators(fund: FundResult, rules: RuleSet) -> Iterator[Finding]:
    names: dict[str, int] = {}
    for result in fund.indicators:
        ind = result.model
        where = result.path[2:]
        index = where[-1]
        assert isinstance(index, int)
        if ind.name in names:
            yield (
                (*where, "名称"),
                f"指标名称“{ind.name}”与第{names[ind.name] + 1}个指标重复",
                "请删去重复的指标，或改用能区分二者的名称",
            )
        else:
            names[ind.name] = index
        yield from _overachievement(result, rules, where)
        yield from _far_below(result, where)
        yield from _impossible_share(result, where)
        if (
            result.previous is not None
            and result.actual is not None
            and result.previous.unit != "%"
            and result.previous.value != 0
            and result.previous.value == result.actual.value
        ):
            yield (
                (*where, "上年完成值"),
                f"上年完成值“{ind.previous}”与本年完成值相同",
                "可能忘了更新完成值（或上年完成值），请核对",
            )


def _overachievement(
    result: IndicatorResult, rules: RuleSet, where: FieldPath
) -> Iterator[Finding]:
    if result.actual is None or not overachieved(result.target, result.actual, rules):
        return
    ind = result.model
    yield (
        (*where, "完成值"),
        f"完成值“{result.actual_text}”超过指标值“{ind.target}”的"
        f"{format_number(rules.overachievement_factor)}倍，指标值设定可能偏低",
        "请核实完成值；若确实大幅超额完成，下一年度应调高指标值",
    )


def _far_below(result: IndicatorResult, where: FieldPath) -> Iterator[Finding]:
    """A tenth of the target is more often a unit or magnitude slip (人 for 万人) than a
    miss; a real one (seed 002: 0.1 against 6-9个月) keeps the warning for the reviewer."""
    target, actual = result.target, result.actual
    if actual is None or target.kind in (Kind.LE, Kind.LT, Kind.QUALITATIVE):
        return
    if target.low is None or target.low <= 0 or actual.value * 10 >= target.low:
        return
    yield (
        (*where, "完成值"),
        f"完成值“{result.actual_text}”不足指标值“{result.model.target}”的十分之一",
        "请核对完成值的单位和数量级（如“万人”与“人”、“月”与“年”）；若确实如此，请在偏差原因中说明",
    )


def _impossible_share(result: IndicatorResult, where: FieldPath) -> Iterator[Finding]:
    ind = result.model
    if not _SHARE.search(ind.name) or _MAY_EXCEED.search(ind.name):
        return
    target = result.target
    if target.unit == "%" and target.kind is not Kind.QUALITATIVE:
        top = target.high if target.high is not None else target.low
        if top is not None and top > HUNDRED:
            yield (
                (*where, "指标值"),
                f"“{ind.name}”是比率，指标值“{ind.target}”超过100%",
                "比率不会超过100%，请核对指标值",
            )
    automatic = ind.actual == "自动"  # 执行数 above 预算数 is reported on the money row
    if (
        result.actual is not None
        and not automatic
        and target.unit == "%"
        and result.actual.value > HUNDRED
    ):
        yield (
            (*where, "完成值"),
            f"“{ind.name}”是比率，完成值“{result.actual_text}”超过100%",
            "比率不会超过100%，请核对完成值；若口径确实可以超过100%，可忽略本提示",
        )
