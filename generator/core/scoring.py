"""Score one indicator (domain.md §6): pure functions of target, actual, weight and rules.

Scores are what auditors recompute first, so each rule is one small branch here,
the rounding is half-up to 2 places, and no score ever exceeds its weight. A rule
set may score a target kind (or a named indicator) by tiers of completion instead
of proportionally; the tier used is kept in the score for the text to explain.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.core.money import HUNDRED, divide, multiply, round_half_up
from generator.core.quantities import Kind, Quantity, Target, units_compatible
from generator.core.rules import RuleSet, Tier, TierTable

__all__ = [
    "MET_RATING",
    "Score",
    "TierUse",
    "in_band",
    "overachieved",
    "score_qualitative",
    "score_quantitative",
]

#: The qualitative rating that counts as "target met".
MET_RATING = "达成"

_ONE = Decimal(1)
_ZERO = Decimal(0)


@dataclass(frozen=True)
class TierUse:
    """Which tier scored an indicator, so a sentence can say why it got these points."""

    #: The table's target kind (正向, 执行率…) or, when ``named``, the indicator's name.
    table: str
    named: bool
    #: The completion the tiers were read with: a fraction rounded as printed (0.991).
    completion: Decimal
    #: 1-based position of the tier, and the tier; both None below the last tier.
    position: int | None
    tier: Tier | None
    #: How a completion below the last tier was scored (零分 or 按比例).
    below: str


@dataclass(frozen=True)
class Score:
    """Points (≤ weight), whether the target was met, the completion fraction the
    narrative quotes (None for qualitative indicators) and the tier used, if any."""

    value: Decimal
    met: bool
    completion: Decimal | None
    tier: TierUse | None = None


# A share of the weight kept as numerator and denominator, so w × B/A is computed
# as (w × B)/A with one division: an exact x.xx5 then always rounds up.
_Share = tuple[Decimal, Decimal]
_ALL: _Share = (_ONE, _ONE)
_NONE: _Share = (_ZERO, _ONE)


def _points(weight: Decimal, share: _Share, places: int = 2) -> Decimal:
    """w × share, clamped to [0, w] before and after rounding."""
    num, den = share
    raw = divide(multiply(weight, num), den)
    return min(round_half_up(min(max(raw, _ZERO), weight), places), weight)


def _assess(target: Target, b: Decimal, rules: RuleSet) -> tuple[bool, _Share, Decimal]:
    """(met, share of the weight earned, completion) for a numeric target."""
    kind = target.kind
    a = target.low
    if a is None:
        raise ValueError(f"指标值“{target.text}”是定性指标，应按评级计分")
    if kind in (Kind.GE, Kind.GT, Kind.EQ):
        met = b > a if kind is Kind.GT else (b == a if kind is Kind.EQ and a == 0 else b >= a)
        if a <= 0:
            # "=0" (e.g. 重复参保人数) or a non-positive floor: all or nothing.
            return met, _ALL if met else _NONE, _ONE if met else _ZERO
        return met, _ALL if met else (b, a), divide(b, a)
    if kind in (Kind.LE, Kind.LT):
        met = b < a if kind is Kind.LT else b <= a
        if met:
            return True, _ALL, _ONE
        if a <= 0 or b <= 0:
            return False, _NONE, _ZERO
        if rules.reverse_mode == "线性":
            # Full marks at A, nothing from 2A on, a straight line between.
            return False, (2 * a - b, a), divide(a, b)
        return False, (a, b), divide(a, b)
    if kind is Kind.RANGE and target.high is not None:
        high = target.high
        if a <= b <= high:
            return True, _ALL, _ONE
        share: _Share = (b, a) if b < a else (high, b)
        if share[1] <= 0:
            return False, _NONE, _ZERO
        return False, share, divide(*share)
    raise ValueError(f"指标值“{target.text}”无法按定量指标计分")


def score_quantitative(
    target: Target,
    actual: Quantity,
    weight: Decimal,
    rules: RuleSet,
    *,
    execution_rate: bool = False,
    name: str = "",
) -> Score:
    """Score a numeric indicator; ``execution_rate`` scores w × min(1, B/100) instead.

    When the rule set has tiers for the target's kind, or for the indicator ``name``,
    the tier the completion reaches gives the share of the weight instead.

    Raises ValueError (Chinese) for a qualitative target or mismatched units,
    which validation reports before scoring ever runs.
    """
    if target.kind is Kind.QUALITATIVE:
        raise ValueError(f"指标值“{target.text}”是定性指标，应按评级计分")
    if not units_compatible(target, actual):
        raise ValueError(
            f"完成值的单位“{actual.unit}”与指标值“{target.text}”的单位“{target.unit}”不一致"
        )
    met, share, completion = _assess(target, actual.value, rules)
    if execution_rate:
        # Met or not by its own target, but the points follow the rate itself.
        share = (actual.value, HUNDRED)
    found = _tier_table(target, rules, name, execution_rate=execution_rate)
    if found is None:
        return Score(_points(weight, share), met, completion)
    table, named = found
    # The tiers read the completion as the report prints it (2 decimals of a percent),
    # so a printed "95%" always falls in the "≥95%" tier; an 执行率 indicator's is its rate.
    measured = divide(actual.value, HUNDRED) if execution_rate else completion
    measured = round_half_up(measured, 4)
    position, tier = _tier_for(table, measured)
    if tier is not None:
        share = (tier.share, _ONE)
    elif table.below == "零分":
        share = _NONE
    use = TierUse(name if named else table.kind, named, measured, position, tier, table.below)
    return Score(_points(weight, share, rules.tier_places), met, completion, use)


def _tier_kind(target: Target, *, execution_rate: bool) -> str | None:
    """The tier kind of a target; None for a zero floor or ceiling, which is all or nothing."""
    if execution_rate:
        return "执行率"
    if target.kind is Kind.RANGE:
        return "区间"
    if target.low is None or target.low <= 0:
        return None
    if target.kind in (Kind.GE, Kind.GT):
        return "正向"
    return "反向" if target.kind in (Kind.LE, Kind.LT) else "等于"


def _applies(table_kind: str, kind: str) -> bool:
    """An "=A" target is scored as "≥A", so a 正向 table also covers it."""
    return table_kind == kind or (table_kind == "正向" and kind == "等于")


def _tier_table(
    target: Target, rules: RuleSet, name: str, *, execution_rate: bool
) -> tuple[TierTable, bool] | None:
    """(table, whether it is the indicator's own) for this target, or None: proportional."""
    kind = _tier_kind(target, execution_rate=execution_rate)
    if kind is None:
        return None
    own = rules.named_tiers.get(name) if name else None
    if own is not None and _applies(own.kind, kind):
        return own, True
    table = rules.kind_tiers.get(kind)
    if table is None and kind == "等于":
        table = rules.kind_tiers.get("正向")
    return None if table is None else (table, False)


def _tier_for(table: TierTable, completion: Decimal) -> tuple[int | None, Tier | None]:
    """The first tier whose threshold the completion reaches (thresholds descend)."""
    for position, tier in enumerate(table.tiers, 1):
        if completion >= tier.threshold:
            return position, tier
    return None, None


def _band(rating: str, rules: RuleSet) -> tuple[Decimal, Decimal, bool, Decimal]:
    band = rules.bands.get(rating)
    if band is None:
        raise ValueError(f"未知的评级“{rating}”，应为{'、'.join(rules.bands)}之一")
    return band.low, band.high, band.high_inclusive, band.default


def score_qualitative(rating: str, weight: Decimal, rules: RuleSet) -> Score:
    """A qualitative indicator scores its rating's default share of the weight."""
    default = _band(rating, rules)[3]
    return Score(_points(weight, (default, _ONE)), rating == MET_RATING, None)


def in_band(rating: str, score: Decimal, weight: Decimal, rules: RuleSet) -> bool:
    """Whether a manual score fits the rating's band (so 达成 cannot score 50%)."""
    low, high, inclusive, _ = _band(rating, rules)
    if score < 0 or score > weight:
        return False
    lower, upper = multiply(weight, low), multiply(weight, high)
    return lower <= score and (score <= upper if inclusive else score < upper)


def overachieved(target: Target, actual: Quantity, rules: RuleSet) -> bool:
    """B above factor × A on an upward target suggests the target was set too low."""
    a = target.low
    if target.kind not in (Kind.GE, Kind.GT, Kind.EQ) or a is None or a <= 0:
        return False
    return actual.value > multiply(rules.overachievement_factor, a)
