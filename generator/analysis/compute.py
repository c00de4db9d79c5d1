"""Compute every figure of every fund: money, indicator scores, total and grade.

Pure: takes validated models and a locator, returns results or raises one
:class:`InputError` carrying every problem, so a user fixes them all in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from generator.config.wording import Wording
from generator.core.money import (
    HUNDRED,
    divide,
    format_number,
    format_rate,
    format_score,
    ratio,
    round_half_up,
)
from generator.core.quantities import (
    Kind,
    Quantity,
    Target,
    classify_target,
    describe_reading,
    parse_actual,
    units_compatible,
)
from generator.core.rules import RuleSet, grade_for
from generator.core.scoring import Score, in_band, score_qualitative, score_quantitative
from generator.errors import InputError, Location, Problem
from generator.inputs.models import (
    KIND_HINT,
    Fund,
    FundAccounts,
    FundingRow,
    Indicator,
    ReportInput,
)
from generator.inputs.source import FieldPath
from generator.limits import MAX_QUANTITY

__all__ = [
    "AUTO",
    "Accounts",
    "FundResult",
    "IndicatorResult",
    "Money",
    "ReportResult",
    "SourceMoney",
    "compute_accounts",
    "compute_money",
    "compute_report",
    "source_levels",
]

AUTO = "自动"
CARRYOVER = "上年结转"
LOTTERY = "彩票公益金"
PUBLIC_FINANCE = "财政"

#: Words naming a level of government in a source, and the level they name.
_LEVELS = (
    ("中央", "中央"),
    ("省", "省级"),
    ("市", "市级"),
    ("县", "县级"),
    ("区", "县级"),
    ("旗", "县级"),
)
#: Words of a source that combines levels it does not name (「各级财政补助」, 「上级补助」).
_SOME_LEVELS = ("各级", "上级")
#: Lottery funds under any of their names: 彩票公益金, 福彩公益金, 体彩公益金.
_LOTTERY_WORDS = ("彩票", "福彩", "体彩", "公益金")

Locator = Callable[[FieldPath], Location]


def source_levels(source: str) -> tuple[str, frozenset[str]]:
    """(kind, levels) of a 资金来源: lottery funds and carry-over are kinds of their own.

    ``levels`` are the government levels the name states (中央, 省级, 市级, 县级); a name
    that says 各级/上级 states none it can be split by, and gets ``{"各级"}``.
    """
    if "结转" in source:
        return CARRYOVER, frozenset({"结转"})
    kind = LOTTERY if any(word in source for word in _LOTTERY_WORDS) else PUBLIC_FINANCE
    levels = {level for word, level in _LEVELS if word in source}
    if any(word in source for word in _SOME_LEVELS):
        levels.add("各级")
    return kind, frozenset(levels)


def adjusted_budget_of(row: FundingRow) -> Decimal:
    """预算数 + 调整数 + 清算数: the budget rates are taken against."""
    return row.budget + (row.adjustment or 0) + (row.clearing or 0)


@dataclass(frozen=True)
class SourceMoney:
    """One 资金来源 as computed: its adjusted budget, what arrived and was spent, its rates.

    Amounts are in the fund's unit; rates are unrounded fractions (None without a budget).
    Without 执行数 (``executed`` false) ``spent`` and ``balance`` are 0 and say nothing.
    """

    row: FundingRow
    budget: Decimal
    adjustment: Decimal
    clearing: Decimal
    adjusted_budget: Decimal
    received: Decimal
    spent: Decimal
    received_rate: Decimal | None
    execution_rate: Decimal | None
    balance: Decimal
    #: 财政, 彩票公益金 or 上年结转.
    kind: str
    #: Levels of government the name states; several (or 各级) when it combines them.
    levels: frozenset[str]
    #: 执行数 was given: spending, 执行率 and 结余 are known.
    executed: bool = True

    @property
    def source(self) -> str:
        return self.row.source

    @property
    def adjusted(self) -> bool:
        """The budget was adjusted or cleared (the text states it)."""
        return bool(self.adjustment or self.clearing)

    @property
    def combined_levels(self) -> bool:
        """Money of several levels in one row: its central share is unknown, not 0."""
        return "各级" in self.levels or len(self.levels) > 1


@dataclass(frozen=True)
class Money:
    """Fund totals in the fund's unit; rates are unrounded fractions (None if no budget).

    ``budget`` is the sum of 预算数 as typed; rates are taken against
    ``adjusted_budget``: Σ(预算数 + 调整数 + 清算数), or the fund's 调整后预算数 when the
    bureau adjusted the budget without splitting it by source (``stated_adjusted``; each
    source's rates then stay against its own 预算数). Without 执行数 (``executed`` false)
    ``execution_rate`` is None and ``spent`` and ``balance`` are 0: nothing is said of them.
    """

    rows: tuple[FundingRow, ...]
    budget: Decimal
    received: Decimal
    spent: Decimal
    received_rate: Decimal | None
    execution_rate: Decimal | None
    balance: Decimal
    adjustment: Decimal = Decimal(0)
    clearing: Decimal = Decimal(0)
    adjusted_budget: Decimal = Decimal(0)
    sources: tuple[SourceMoney, ...] = ()
    #: 元, 万元 or 亿元: the fund's 金额单位, else the report's.
    unit: str = "万元"
    #: Every source gives its 执行数 (an input gives all or none).
    executed: bool = True
    #: The fund's 调整后预算数 as stated: one adjustment for the fund, not split by source.
    stated_adjusted: Decimal | None = None

    @staticmethod
    def received_of(row: FundingRow) -> Decimal:
        """到位数, by default the adjusted budget (all that was due arrived)."""
        return adjusted_budget_of(row) if row.received is None else row.received

    @property
    def adjusted(self) -> bool:
        """The fund's budget, or some source's, was adjusted or cleared."""
        return self.adjusted_as_a_whole or any(source.adjusted for source in self.sources)

    @property
    def adjusted_as_a_whole(self) -> bool:
        """The budget was adjusted for the fund as a whole (调整后预算数), not by source."""
        return self.stated_adjusted is not None

    def sources_with_own_rates(self) -> tuple[SourceMoney, ...]:
        """Sources whose 到位率 or 执行率, as printed, differs from the fund's."""
        own = []
        for source in self.sources:
            if format_rate(source.received_rate) != format_rate(self.received_rate) or (
                format_rate(source.execution_rate) != format_rate(self.execution_rate)
            ):
                own.append(source)
        return tuple(own)


@dataclass(frozen=True)
class Accounts:
    """The 城乡居民医保 fund's own accounts (基金收支), in the fund's unit.

    ``current_balance`` is the stated one or 收入 − 支出; ``months_payable`` is
    累计结余 ÷ (支出 ÷ 12), unrounded (domain.md §7), None when either is missing or
    支出 is 0.
    """

    income: Decimal | None
    expenditure: Decimal | None
    current_balance: Decimal | None
    accumulated_balance: Decimal | None
    months_payable: Decimal | None
    #: The current balance was computed (收入 − 支出), not typed.
    balance_computed: bool = False


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
    #: A qualitative indicator's 完成值 in words (「已全面覆盖」), printed beside its 评级.
    stated_actual: str | None = None

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
    #: 元, 万元 or 亿元: every amount of this fund (资金, 基金收支) is in this unit.
    money_unit: str = "万元"
    #: 基金收支 computed (城乡居民医保 only), None when not given.
    accounts: Accounts | None = None
    #: The indicators carry no 分值: ``total`` is the bureau's 自评得分, not computed.
    score_stated: bool = False

    @property
    def scored(self) -> bool:
        """Each indicator has a weight and a score, and the total is their sum."""
        return not self.score_stated


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


def _source_money(row: FundingRow) -> SourceMoney:
    adjusted = adjusted_budget_of(row)
    received = Money.received_of(row)
    kind, levels = source_levels(row.source)
    spent = row.spent or Decimal(0)
    executed = row.spent is not None
    return SourceMoney(
        row=row,
        budget=row.budget,
        adjustment=row.adjustment or Decimal(0),
        clearing=row.clearing or Decimal(0),
        adjusted_budget=adjusted,
        received=received,
        spent=spent,
        received_rate=ratio(received, adjusted),
        execution_rate=ratio(spent, adjusted) if executed else None,
        balance=received - spent if executed else Decimal(0),
        kind=kind,
        levels=levels,
        executed=executed,
    )


def compute_money(
    rows: tuple[FundingRow, ...],
    rules: RuleSet,
    unit: str = "万元",
    adjusted_budget: Decimal | None = None,
) -> Money:
    """Totals and rates by the contract, against the adjusted budget (预算 + 调整 + 清算):
    到位率 = Σ到位/Σ调整后预算, 执行率 = Σ执行/Σ调整后预算; no 执行率 without 执行数.

    With the fund's 调整后预算数 (``adjusted_budget``) the fund's rates are taken against
    it instead; a 上年结转 row the rule set leaves out of 执行率 is taken off it at its
    own 预算数, since carry-over is not what a mid-year adjustment changes.
    """
    sources = tuple(_source_money(row) for row in rows)
    executed = all(s.executed for s in sources)
    budget = sum((r.budget for r in rows), Decimal(0))
    adjusted = sum((s.adjusted_budget for s in sources), Decimal(0))
    if adjusted_budget is not None:
        adjusted = adjusted_budget
    received = sum((s.received for s in sources), Decimal(0))
    spent = sum((s.spent for s in sources), Decimal(0)) if executed else Decimal(0)
    denominator = adjusted
    if not rules.carryover_in_denominator:
        denominator -= sum(
            (s.adjusted_budget for s in sources if CARRYOVER in s.source), Decimal(0)
        )
    return Money(
        rows=rows,
        budget=budget,
        received=received,
        spent=spent,
        received_rate=ratio(received, adjusted),
        execution_rate=ratio(spent, denominator) if executed and denominator > 0 else None,
        balance=received - spent if executed else Decimal(0),
        adjustment=adjusted - budget - sum((s.clearing for s in sources), Decimal(0)),
        clearing=sum((s.clearing for s in sources), Decimal(0)),
        adjusted_budget=adjusted,
        sources=sources,
        unit=unit,
        executed=executed,
        stated_adjusted=adjusted_budget,
    )


def compute_accounts(accounts: FundAccounts) -> Accounts:
    """基金收支 with its current balance and 可支付月数 = 累计结余 ÷ (支出 ÷ 12)."""
    income, spending = accounts.income, accounts.expenditure
    balance = accounts.current_balance
    computed = balance is None and income is not None and spending is not None
    if computed:
        assert income is not None and spending is not None
        balance = income - spending
    months = None
    if accounts.accumulated_balance is not None and spending:
        months = divide(accounts.accumulated_balance * 12, spending)
    return Accounts(
        income=income,
        expenditure=spending,
        current_balance=balance,
        accumulated_balance=accounts.accumulated_balance,
        months_payable=months,
        balance_computed=computed,
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

    unit = fund.money_unit or model.report.money_unit
    _all_or_none(
        [row.spent is not None for row in fund.funding],
        lambda i: ("资金", i, "执行数"),
        "执行数须各来源都填写或都不填写（原始资料未载明执行数时各行都不写），本行缺少执行数",
        error,
    )
    money = compute_money(tuple(fund.funding), rules, unit, fund.adjusted_budget)
    if fund.adjusted_budget is not None:
        _adjusted_as_a_whole(fund, money, error)
    stated = all(i.weight is None for i in fund.indicators)
    _all_or_none(
        [i.weight is not None for i in fund.indicators],
        lambda i: ("指标", i, "分值"),
        "分值须各指标都填写或都不填写（只公布总分时各指标都不写，另写自评得分），本指标缺少分值",
        error,
    )
    if stated and fund.expected_score is None:
        error(
            ("自评得分",),
            "各指标都没有填写分值，须填写自评得分（单位公布的总分）；"
            "工具无法按指标计算总分，也不代为估计",
        )
    weight_total = sum((i.weight or Decimal(0) for i in fund.indicators), Decimal(0))
    if not stated and weight_total != HUNDRED:
        error(("指标",), f"各指标分值合计应为100，实际为{format_score(weight_total)}")

    results = []
    for i, indicator in enumerate(fund.indicators):
        result = _compute_indicator(indicator, (*base, "指标", i), money, rules, locate, problems)
        if result is not None:
            results.append(result)
    if len(results) != len(fund.indicators):
        return None
    if stated:
        if fund.expected_score is None:
            return None
        total = round_half_up(fund.expected_score)
        return _result(fund, index, model, wording, rules, money, results, total, unit, HUNDRED)

    applicable = [r for r in results if r.applicable]
    applicable_weight = sum((r.model.weight or Decimal(0) for r in applicable), Decimal(0))
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
    return _result(
        fund, index, model, wording, rules, money, results, total, unit, applicable_weight
    )


def _adjusted_as_a_whole(fund: Fund, money: Money, error: Callable[[FieldPath, str], None]) -> None:
    """A budget adjusted without a split by source leaves each source's 到位数 to be stated.

    The tool cannot tell what part of 调整后预算数 each source owed, so it cannot default a
    missing 到位数; and 执行率 needs a denominator left once carry-over is taken off.
    """
    for k, row in enumerate(fund.funding):
        if row.received is None:
            error(
                ("资金", k, "到位数"),
                "填写了调整后预算数（调整未分来源）时，各来源须填写到位数："
                "调整后预算未分到各来源，本行的到位数无从推定",
            )
    if money.executed and money.execution_rate is None and money.adjusted_budget:
        error(
            ("调整后预算数",),
            f"调整后预算数{format_number(money.adjusted_budget)}不大于上年结转资金的预算数，"
            "按评分规则（执行率不含上年结转）执行率无从计算；请核对调整后预算数是否含上年结转",
        )


def _all_or_none(
    given: list[bool],
    path_of: Callable[[int], FieldPath],
    message: str,
    error: Callable[[FieldPath, str], None],
) -> None:
    """A key every row must have or none may: each row without it is reported."""
    if any(given) and not all(given):
        for i, present in enumerate(given):
            if not present:
                error(path_of(i), message)


def _result(
    fund: Fund,
    index: int,
    model: ReportInput,
    wording: Wording,
    rules: RuleSet,
    money: Money,
    results: list[IndicatorResult],
    total: Decimal,
    unit: str,
    applicable_weight: Decimal,
) -> FundResult:
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
        money_unit=unit,
        accounts=None if fund.accounts is None else compute_accounts(fund.accounts),
        score_stated=all(i.weight is None for i in fund.indicators),
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
    if indicator.weight is None:
        return _unweighted(indicator, path, target, money, rules, error)
    actual: Quantity | None = None
    previous: Quantity | None = None
    stated: str | None = None
    if qualitative:
        score = _qualitative_score(indicator, rules, error)
        stated = (indicator.actual or "").strip() or None
    else:
        actual, score = _quantitative_score(
            indicator, target, money, rules, error, execution_rate=by_execution_rate
        )
        previous = _parse_previous(indicator, target, error)
    if score is None:
        return None
    final, overridden = _final_score(indicator, score, qualitative, rules, error)
    if not score.met:
        _require_deviation(indicator, qualitative, error)
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
        stated,
    )


def _require_deviation(
    indicator: Indicator, qualitative: bool, error: Callable[[str, str], None]
) -> None:
    """A missed target must say why (偏差原因), whether the indicator is scored or not."""
    if not (indicator.deviation or "").strip():
        shown = indicator.rating if qualitative else (indicator.actual or "")
        error(
            "偏差原因", f"未完成目标（指标值“{indicator.target}”，完成值“{shown}”），须填写偏差原因"
        )


def _unweighted(
    indicator: Indicator,
    path: FieldPath,
    target: Target,
    money: Money,
    rules: RuleSet,
    error: Callable[[str, str], None],
) -> IndicatorResult | None:
    """An indicator of a fund that publishes only its total: no score of its own.

    What the bureau states of it (评级, 完成值) is checked and says whether the target
    was met; what it does not state is left unsaid (``met`` None), never guessed.
    """
    if indicator.score is not None:
        error("得分", "指标没有填写分值，不能填写得分；总分写在项目的“自评得分”")
    qualitative = target.kind is Kind.QUALITATIVE
    actual: Quantity | None = None
    previous: Quantity | None = None
    score: Score | None = None
    stated: str | None = None
    if qualitative:
        stated = (indicator.actual or "").strip() or None
        if indicator.rating is not None:
            score = score_qualitative(indicator.rating, HUNDRED, rules)
    elif (indicator.actual or "").strip():
        actual, score = _quantitative_score(
            indicator, target, money, rules, error, execution_rate=False, weight=HUNDRED
        )
        if actual is None:
            return None
        previous = _parse_previous(indicator, target, error)
    met = None if score is None else score.met
    if met is False:
        _require_deviation(indicator, qualitative, error)
    return IndicatorResult(
        indicator,
        path,
        target,
        actual,
        True,
        qualitative,
        None,
        None,
        met,
        None if score is None else score.completion,
        False,
        False,
        previous,
        stated,
    )


def _parse_target(indicator: Indicator, error: Callable[[str, str], None]) -> Target | None:
    """指标值 as the indicator uses it (core.quantities.classify_target), within the bound
    every figure must keep.

    Official wording is kept as issued: with 评级 and no 完成值 the target is qualitative
    whatever it starts with (「30日内下达」); 指标类型 settles any other case.
    """
    try:
        target = classify_target(
            indicator.target,
            declared=indicator.kind,
            rated=indicator.rating is not None,
            measured=bool((indicator.actual or "").strip()),
        )
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
    return score_qualitative(indicator.rating, indicator.weight or Decimal(0), rules)


def _quantitative_score(
    indicator: Indicator,
    target: Target,
    money: Money,
    rules: RuleSet,
    error: Callable[[str, str], None],
    *,
    execution_rate: bool,
    weight: Decimal | None = None,
) -> tuple[Quantity | None, Score | None]:
    """(完成值, score) of a quantitative indicator; a 完成值 in another unit scores nothing."""
    if indicator.rating is not None:
        error("评级", f"{_reading(target)}，是定量指标，按完成值计分，不应填写评级；{KIND_HINT}")
    actual = _parse_actual(indicator, target, money, error)
    if actual is None:
        return None, None
    if not units_compatible(target, actual):
        error(
            "完成值",
            f"单位与指标值不一致：{_reading(target)}，"
            f"完成值“{indicator.actual}”的单位为“{actual.unit}”{_kind_hint(target)}",
        )
        return None, None
    score = score_quantitative(
        target,
        actual,
        indicator.weight or Decimal(0) if weight is None else weight,
        rules,
        execution_rate=execution_rate,
        name=indicator.name,
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
    weight = indicator.weight or Decimal(0)
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


def _reading(target: Target) -> str:
    """«指标值“30日内下达”读作“=30”，单位“日内下达”»: how a target was read as a number."""
    return f"指标值“{target.text}”{describe_reading(target)}"


def _kind_hint(target: Target) -> str:
    """How to say a target is qualitative, for a target that may be official wording.

    「≥40000人次」 is plainly a number; 「30日内下达」 (no comparator, a long "unit") may
    be a sentence the province issued, meant to be rated.
    """
    typed = target.text.lstrip()
    if typed[:1] in "≥≤><=＞＜＝" or len(target.unit) < 3:
        return ""
    return f"；{KIND_HINT}"


def _parse_actual(
    indicator: Indicator, target: Target, money: Money, error: Callable[[str, str], None]
) -> Quantity | None:
    text = (indicator.actual or "").strip()
    if not text:
        error(
            "完成值",
            f"缺少完成值：{_reading(target)}，是定量指标，须填写完成值"
            f"（不适用的指标请写“不适用: true”）{_kind_hint(target)}",
        )
        return None
    if text == AUTO:
        auto = _auto_actual(indicator, money)
        if auto is None and not money.executed and "执行率" in indicator.name:
            error("完成值", "资金各行没有填写执行数，执行率无从计算：请填写执行数，或写明完成值")
        elif auto is None:
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
