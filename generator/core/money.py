"""Decimal arithmetic and display formats for money, rates and scores.

Reports are checked by auditors with a calculator: every figure is computed in
decimal and rounded half-up (四舍五入), never through binary floats, so 2.675 prints
as 2.68 and a rate always matches its inputs.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = [
    "HUNDRED",
    "MONEY_UNITS",
    "convert_amount",
    "divide",
    "format_amount",
    "format_date",
    "format_number",
    "format_rate",
    "format_score",
    "multiply",
    "ratio",
    "round_half_up",
    "strip_zeros",
]

#: One context for every intermediate result, so even the 34th digit rounds half-up.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP)

#: Size of each money unit in 元.
MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
}

#: Rates and scores are out of a hundred.
HUNDRED = Decimal(100)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round the way Chinese finance staff do (四舍五入), not banker's rounding.

    A result wider than the context's 34 digits (a completion rate of 10^40 % from a
    tiny target) gets a wider context instead of raising InvalidOperation.
    """
    return value.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_wide_enough(value, places)
    )


def _wide_enough(value: Decimal, places: int) -> Context:
    if value.is_finite() and value.adjusted() + places + 2 > _CONTEXT.prec:
        return Context(prec=value.adjusted() + places + 2, rounding=ROUND_HALF_UP)
    return _CONTEXT


def multiply(a: Decimal, b: Decimal) -> Decimal:
    """Product in the half-up context (exact for any realistic figure)."""
    return _CONTEXT.multiply(a, b)


def divide(num: Decimal, den: Decimal) -> Decimal:
    """Quotient in the half-up context; the caller guarantees ``den != 0``."""
    return _CONTEXT.divide(num, den)


def ratio(num: Decimal, den: Decimal) -> Decimal | None:
    """``num / den`` at full precision, or None when the denominator is zero.

    None (not 0, not an exception) lets the report print "—" for a rate that
    does not exist, e.g. an execution rate without a budget.
    """
    if den == 0:
        return None
    return divide(num, den)


def strip_zeros(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form (675000.0 → 675000)."""
    if value == 0:
        return Decimal(0)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_wide_enough(value, 0))
    return value.normalize(_CONTEXT)


def format_number(value: Decimal) -> str:
    """Two decimals at most, trailing zeros dropped: 236.50 → "236.5", 2023 → "2023"."""
    return f"{strip_zeros(round_half_up(value)):f}"


def format_amount(value: Decimal, unit: str) -> str:
    """An amount with its unit, as the reports print it: "32030.18万元"."""
    return f"{format_number(value)}{unit}"


def format_rate(fraction: Decimal | None) -> str:
    """A fraction as a percent with two decimals at most: 1.343325 → "134.33%"."""
    if fraction is None:
        return "—"
    return f"{format_number(multiply(fraction, HUNDRED))}%"


def format_score(value: Decimal) -> str:
    """A score as printed in tables and text: "95", "97.44", "9.5"."""
    return format_number(value)


def format_date(d: datetime.date) -> str:
    """Official documents write dates without leading zeros: 2025年2月20日."""
    return f"{d.year}年{d.month}月{d.day}日"


def convert_amount(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert between 元, 万元 and 亿元 exactly (no rounding: display rounds later)."""
    for unit in (from_unit, to_unit):
        if unit not in MONEY_UNITS:
            raise ValueError(f"未知的金额单位“{unit}”，应为元、万元或亿元")
    if from_unit == to_unit:
        return value
    return divide(multiply(value, MONEY_UNITS[from_unit]), MONEY_UNITS[to_unit])
