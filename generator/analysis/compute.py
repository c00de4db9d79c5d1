"""Compute every figure of every fund: money, indicator scores, total and grade.

Pure: takes validated models and a locator, returns results or raises one
:class:`InputError` carrying every problem, so a user fixes them all in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from generator.config.wording import Wording
from generator.core.money import HUNDRED, format_number, format_score, ratio, round_half_up
from generator.core.quantities import (
    Kind,
    Quantity,
    Target,
    parse_actual,
    parse_target,
    units_compatible,
)
from generator.core.rules import RuleSet, grade_for
from generator.core.scoring import Score, in_band, score_qualitative, score_quantitative
from generator.errors import InputError, Location, Problem
from generator.inputs.models import Fund, FundingRow, Indicator, ReportInput
from generator.inputs.source import FieldPath
from generator.limits import MAX_QUANTITY

__all__ = [
    "AUTO",
    "FundResult",
    "IndicatorResult",
    "Money",
    "ReportResult",
    "compute_report",
]

AUTO = "自动"
CARRYOVER = "上年结转"

Locator = Callable[[FieldPath], Location]


@dataclass(frozen=True)
class Money:
    """Fund totals in the file's unit; rates are unrounded fractions (None if no budget)."""

    rows: tuple[FundingRow, ...]
    budget: Decimal
    received: Decimal
    spent: Decimal
    received_rate: Decimal | None
    execution_rate: Decimal | None
    balance: Decimal

    @staticmethod
    def received_of(row: FundingRow) -> Decimal:
        return row.budget if row.received is None else row.received


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator as scored; ``score`` is the final (possibly overridden) score."""

    model: Indicator
    path: FieldPath
    target: Target
    actual: Quantity | None
    applicable: bool
    qualitative: bool
    computed: Decimal | None
    score: Decimal | None
    met: bool | None
    completion: Decimal | None
    overridden: bool
    #: Scored as w × min(1, 执行率) rather than against its target.
    by_execution_rate: bool = False
    #: 上年完成值 parsed, for year-over-year sentences (None when not given or qualitative).
    previous: Quantity | None = None

    @property
    def actual_text(self) -> str:
        if not self.applicable:
            return "不适用"
        if self.qualitative:
            return self.model.actual or self.model.rating or ""
        if self.model.actual == AUTO and self.actual is not None:
            return f"{format_number(self.actual.value)}{self.actual.unit}"
        return self.model.actual or ""


@dataclass(frozen=True)
class FundResult:
    """One fund's report figures."""

    fund: Fund
    index: int
    name: str
    outline: str
    money: Money
    indicators: tuple[IndicatorResult, ...]
    total: Decimal
    grade: str
    applicable_weight: Decimal


@dataclass(frozen=True)
class ReportResult:
    """Everything computed from one input file, plus its warnings."""

    model: ReportInput
    region: str
    self_name: str
    funds: tuple[FundResult, ...]
    warnings: tuple[Problem, ...]


def compute_report(
    model: ReportInput, locate: Locator, rules: RuleSet, wording: Wording
) -> ReportResult:
    """Compute all funds; raise :class:`InputError` listing every error found."""
    problems: list[Problem] = []
    funds = []
    for index, fund in enumerate(model.funds):
        result = _compute_fund(fund, index, model, locate, rules, wording, problems)
        if result is not None:
            funds.append(result)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise InputError(errors)
    info = model.report
    region = info.region or wording.region_of(info.unit)
    return ReportResult(
        model=model,
        region=region,
        self_name=info.self_name or wording.self_name_of(region),
        funds=tuple(funds),
        warnings=tuple(p for p in problems if not p.is_error),
    )


def compute_money(rows: tuple[FundingRow, ...], rules: RuleSet) -> Money:
    """Totals and rates by the contract: 到位率 = Σ到位/Σ预算, 执行率 = Σ执行/Σ预算."""
    budget = sum((r.budget for r in rows), Decimal(0))
    received = sum((Money.received_of(r) for r in rows), Decimal(0))
    spent = sum((r.spent for r in rows), Decimal(0))
    denominator = budget
    if not rules.carryover_in_denominator:
        denominator = sum((r.budget for r in rows if CARRYOVER not in r.source), Decimal(0))
    return Money(
        rows=rows,
        budget=budget,
        received=received,
        spent=spent,
        received_rate=ratio(received, budget),
        execution_rate=ratio(spent, denominator),
        balance=received - spent,
    )


def _compute_fund(
    fund: Fund,
    index: int,
    model: ReportInput,
    locate: Locator,
    rules: RuleSet,
    wording: Wording,
    problems: list[Problem],
) -> FundResult | None:
    base: FieldPath = ("项目", index)

    def error(path: FieldPath, message: str) -> None:
        problems.append(Problem(locate((*base, *path)), message))

    money = compute_money(tuple(fund.funding), rules)
    weight_total = sum((i.weight for i in fund.indicators), Decimal(0))
    if weight_total != HUNDRED:
        error(("指标",), f"各指标分值合计应为100，实际为{format_score(weight_total)}")

    results = []
    for i, indicator in enumerate(fund.indicators):
        result = _compute_indicator(indicator, (*base, "指标", i), money, rules, locate, problems)
        if result is not None:
            results.append(result)
    if len(results) != len(fund.indicators):
        return None

    applicable = [r for r in results if r.applicable]
    applicable_weight = sum((r.model.weight for r in applicable), Decimal(0))
    if not applicable:
        error(("指标",), "所有指标均为“不适用”，无法计分")
        return None
    if not applicable_weight:
        # Rescaling divides by this: 0 would silently give 0 points and grade 差.
        error(("指标",), "适用指标的分值合计为0（有分值的指标都是“不适用”），无法折算计分")
        return None
    raw = sum((r.score or Decimal(0) for r in applicable), Decimal(0))
    total = round_half_up(raw * HUNDRED / applicable_weight)
    if fund.expected_score is not None and round_half_up(fund.expected_score) != total:
        error(
            ("自评得分",),
            f"填写的自评得分{format_score(fund.expected_score)}分与按指标计算的总分"
            f"{format_score(total)}分不一致；请核对各指标得分，或删除“自评得分”",
        )
    outline = fund.outline or model.report.outline or wording.default_outline(fund.type)
    return FundResult(
        fund=fund,
        index=index,
        name=fund.name or wording.full_name(fund.type),
        outline=outline,
        money=money,
        indicators=tuple(results),
        total=total,
        grade=grade_for(total, rules),
        applicable_weight=applicable_weight,
    )


def _is_budget_indicator(indicator: Indicator) -> bool:
    return indicator.level1.strip() in {"预算执行", "预算执行率"}


def _auto_actual(indicator: Indicator, money: Money) -> Quantity | None:
    """``完成值: 自动`` takes 执行率 or 到位率 from the fund's money."""
    if "执行率" in indicator.name and money.execution_rate is not None:
        return Quantity(round_half_up(money.execution_rate * HUNDRED), "%")
    if "到位率" in indicator.name and money.received_rate is not None:
        return Quantity(round_half_up(money.received_rate * HUNDRED), "%")
    return None


def _compute_indicator(
    indicator: Indicator,
    path: FieldPath,
    money: Money,
    rules: RuleSet,
    locate: Locator,
    problems: list[Problem],
) -> IndicatorResult | None:
    """Score one indicator; None when it has errors, which are added to ``problems``."""
    found: list[Problem] = []

    def error(key: str, message: str) -> None:
        found.append(Problem(locate((*path, key)), message))

    result = _score_indicator(indicator, path, money, rules, error)
    problems.extend(found)
    return None if found else result


def _score_indicator(
    indicator: Indicator,
    path: FieldPath,
    money: Money,
    rules: RuleSet,
    error: Callable[[str, str], None],
) -> IndicatorResult | None:
    """The indicator's result; None when an error leaves nothing to score.

    Checks go on as far as they can, so one pass reports every mistake of the indicator.
    """
    if not indicator.level2 and not _is_budget_indicator(indicator):
        error("二级", "缺少必填项（除“预算执行”外，每个指标都须填写二级指标）")
    target = _parse_target(indicator, error)
    if target is None:
        return None
    qualitative = target.kind is Kind.QUALITATIVE
    if indicator.not_applicable:
        return IndicatorResult(
            indicator, path, target, None, False, qualitative, None, None, None, None, False
        )
    by_execution_rate = indicator.name in rules.execution_rate_names
    actual: Quantity | None = None
    previous: Quantity | None = None
    if qualitative:
        score = _qualitative_score(indicator, rules, error)
    else:
        actual, score = _quantitative_score(
            indicator, target, money, rules, error, execution_rate=by_execution_rate
        )
        previous = _parse_previous(indicator, target, error)
    if score is None:
        return None
    final, overridden = _final_score(indicator, score, qualitative, rules, error)
    if not score.met and not (indicator.deviation or "").strip():
        shown = indicator.rating if qualitative else (indicator.actual or "")
        error(
            "偏差原因", f"未完成目标（指标值“{indicator.target}”，完成值“{shown}”），须填写偏差原因"
        )
    return IndicatorResult(
        indicator,
        path,
        target,
        actual,
        True,
        qualitative,
        score.value,
        final,
        score.met,
        score.completion,
        overridden,
        by_execution_rate and not qualitative,
        previous,
    )


def _parse_target(indicator: Indicator, error: Callable[[str, str], None]) -> Target | None:
    """指标值 parsed, with its numbers within the bound every figure must keep."""
    try:
        target = parse_target(indicator.target)
    except ValueError as exc:
        error("指标值", str(exc))
        return None
    if any(v is not None and abs(v) > MAX_QUANTITY for v in (target.low, target.high)):
        error("指标值", _too_large(indicator.target))
        return None
    return target


def _qualitative_score(
    indicator: Indicator, rules: RuleSet, error: Callable[[str, str], None]
) -> Score | None:
    """A qualitative indicator is scored by its 评级, which it must therefore have."""
    if indicator.rating is None:
        error("评级", f"定性指标（指标值“{indicator.target}”）须填写评级：达成、部分达成或未达成")
        return None
    return score_qualitative(indicator.rating, indicator.weight, rules)


def _quantitative_score(
    indicator: Indicator,
    target: Target,
    money: Money,
    rules: RuleSet,
    error: Callable[[str, str], None],
    *,
    execution_rate: bool,
) -> tuple[Quantity | None, Score | None]:
    """(完成值, score) of a quantitative indicator; a 完成值 in another unit scores nothing."""
    if indicator.rating is not None:
        error("评级", "定量指标按完成值计分，不应填写评级；定性指标的指标值应为文字")
    actual = _parse_actual(indicator, money, error)
    if actual is None:
        return None, None
    if not units_compatible(target, actual):
        error(
            "完成值",
            f"单位与指标值不一致：指标值“{indicator.target}”的单位为“{target.unit}”，"
            f"完成值“{indicator.actual}”的单位为“{actual.unit}”",
        )
        return None, None
    score = score_quantitative(
        target, actual, indicator.weight, rules, execution_rate=execution_rate
    )
    return actual, score


def _final_score(
    indicator: Indicator,
    score: Score,
    qualitative: bool,
    rules: RuleSet,
    error: Callable[[str, str], None],
) -> tuple[Decimal, bool]:
    """(final score, whether a hand-written 得分 overrides the rules' one).

    A hand-written 得分 must fit the 分值 and the 评级's band, and a changed score needs
    a 评分说明; a 得分 that does not fit is reported and the rules' score kept.
    """
    weight = indicator.weight
    if indicator.score is None:
        return score.value, False
    if indicator.score > weight:
        error("得分", f"得分{format_score(indicator.score)}超过分值{format_score(weight)}")
        return score.value, False
    if (
        qualitative
        and indicator.rating
        and not in_band(indicator.rating, indicator.score, weight, rules)
    ):
        band = rules.bands[indicator.rating]
        error(
            "得分",
            f"评级“{indicator.rating}”的得分应在{format_score(band.low * weight)}～"
            f"{format_score(band.high * weight)}分之间，实际为{format_score(indicator.score)}",
        )
        return score.value, False
    final = round_half_up(indicator.score)
    overridden = final != score.value
    if overridden and not (indicator.score_note or "").strip():
        error(
            "评分说明",
            f"手工得分{format_score(final)}与按规则计算的得分"
            f"{format_score(score.value)}不同，须写明评分说明",
        )
    return final, overridden


def _parse_previous(
    indicator: Indicator, target: Target, error: Callable[[str, str], None]
) -> Quantity | None:
    """上年完成值 follows the grammar of 完成值 and must share the target's unit."""
    text = (indicator.previous or "").strip()
    if not text:
        return None
    try:
        previous = parse_actual(text)
    except ValueError as exc:
        error("上年完成值", str(exc))
        return None
    if not units_compatible(target, previous):
        error(
            "上年完成值",
            f"单位与指标值不一致：指标值“{indicator.target}”的单位为“{target.unit}”，"
            f"上年完成值“{text}”的单位为“{previous.unit}”",
        )
        return None
    if previous.unit == "" and target.unit:
        return Quantity(previous.value, target.unit)
    return previous


def _parse_actual(
    indicator: Indicator, money: Money, error: Callable[[str, str], None]
) -> Quantity | None:
    text = (indicator.actual or "").strip()
    if not text:
        error("完成值", "缺少完成值（定量指标必填；不适用的指标请写“不适用: true”）")
        return None
    if text == AUTO:
        auto = _auto_actual(indicator, money)
        if auto is None:
            error("完成值", "“自动”只能用于名称含“执行率”或“到位率”的指标，且资金预算数不能为0")
        return auto
    try:
        actual = parse_actual(text)
    except ValueError as exc:
        error("完成值", str(exc))
        return None
    if abs(actual.value) > MAX_QUANTITY:
        error("完成值", _too_large(text))
        return None
    return actual


def _too_large(text: str) -> str:
    shown = text if len(text) <= 40 else f"{text[:40]}…"
    return f"数字过大：“{shown}”超过一千万亿，请检查是否多写了位数"
