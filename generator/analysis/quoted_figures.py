"""The figures a fund's text may quote, and the numbers its text actually quotes.

Retyped reports go wrong in a few typical ways: a digit mistyped (2630.85 for
2680.85), a rate rounded by hand the wrong way (96.58% for 96.57%), a figure
copied from an older draft (282.88 for 282.87). These functions tell such a
near miss from an honest mention of another figure: the literal either equals a
known figure (possibly rounded to fewer decimals), or is one keystroke or one unit
of its last decimal away from a computed one, or is simply unrelated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from generator.analysis.compute import FundResult, IndicatorResult
from generator.core.money import HUNDRED, MONEY_UNITS, format_number, multiply, round_half_up
from generator.core.quantities import Kind, Quantity

__all__ = [
    "Figure",
    "Literal",
    "fund_figures",
    "indicator_figures",
    "literals",
    "near_miss",
    "plain_text",
    "same_as",
    "subset_sums",
]

MONEY = "元"
PERCENT = "%"
_MULTIPLIERS = {"": Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
#: A digit-level near miss needs enough digits to be more than a coincidence.
_MIN_DIGITS = 3
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@dataclass(frozen=True)
class Figure:
    """A value the report states or computes, in base units (money in 元, rates in %)."""

    label: str
    value: Decimal
    unit: str
    #: The placeholder that prints it, when there is one (``结余``, ``完成率``…).
    placeholder: str = ""
    #: Computed figures may trigger a near-miss warning; stated ones only excuse a literal.
    computed: bool = True


@dataclass(frozen=True)
class Literal:
    """A number with a unit found in narrative text."""

    text: str
    digits: str
    value: Decimal
    unit: str
    scale: Decimal
    start: int

    @property
    def places(self) -> int:
        return len(self.digits.partition(".")[2])

    def shown(self, figure: Figure) -> str:
        """The figure written the way this literal is written (same multiplier and unit)."""
        value = figure.value / self.scale
        suffix = self.text[len(self.digits) :].strip()
        return f"{format_number(value)}{suffix}"


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def plain_text(text: str) -> str:
    """Full-width forms folded (NFKC) and placeholders blanked, so only typed numbers remain.

    Every character maps to one character, so a position in the result is the same
    position in ``text`` and messages can quote what the user typed.
    """
    blanked = _PLACEHOLDER.sub(lambda m: "□" * len(m.group(0)), text)
    return "".join(_fold(c) for c in blanked)


def literals(text: str, units: Iterable[str]) -> Iterator[Literal]:
    """Numbers followed by one of ``units`` (with an optional 万/亿 before it)."""
    alternatives = sorted({u for u in units if u}, key=len, reverse=True)
    if not alternatives:
        return
    pattern = re.compile(
        r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>[万亿]?)(?P<unit>"
        + "|".join(re.escape(u) for u in alternatives)
        + ")"
    )
    for match in pattern.finditer(text):
        # 万/亿 are multipliers for every unit: 282.88万元 is 2828800 元, 9.86万人次 is 98600 人次.
        scale = _MULTIPLIERS[match["mult"]]
        value = multiply(Decimal(match["num"]), scale)
        yield Literal(match.group(0), match["num"], value, match["unit"], scale, match.start())


def same_as(literal: Literal, figure: Figure) -> bool:
    """Equal, or equal once the figure is rounded to the literal's decimals (“约2.9亿元”)."""
    if literal.unit != figure.unit:
        return False
    scaled = figure.value / literal.scale
    return round_half_up(scaled, literal.places) == Decimal(literal.digits)


def near_miss(literal: Literal, figure: Figure) -> bool:
    """One unit of the last decimal away, or one mistyped or swapped digit away."""
    if literal.unit != figure.unit or not figure.computed or same_as(literal, figure):
        return False
    places = literal.places
    expected = round_half_up(figure.value / literal.scale, places)
    written = Decimal(literal.digits)
    if len(literal.digits.replace(".", "").lstrip("0")) < _MIN_DIGITS:
        return False
    if abs(expected - written) <= Decimal(1).scaleb(-places):
        return True
    a, b = f"{written:.{places}f}", f"{expected:.{places}f}"
    if len(a) != len(b):
        return False
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(differ) == 1:
        return True
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and a[differ[0]] == b[differ[1]]
        and a[differ[1]] == b[differ[0]]
    )


def _money(value: Decimal, unit: str) -> Decimal:
    return multiply(value, MONEY_UNITS[unit])


def _percent(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else multiply(fraction, HUNDRED)


def fund_figures(fund: FundResult, money_unit: str) -> list[Figure]:
    """Totals, 结余, rates and every source's amounts, in the order a message prefers them."""
    money = fund.money
    figures = [
        Figure("预算合计", _money(money.budget, money_unit), MONEY, "预算合计"),
        Figure("到位合计", _money(money.received, money_unit), MONEY, "到位合计"),
        Figure("执行合计", _money(money.spent, money_unit), MONEY, "执行合计"),
        Figure("结余", _money(money.balance, money_unit), MONEY, "结余"),
    ]
    for label, rate, name in (
        ("到位率", money.received_rate, "到位率"),
        ("执行率", money.execution_rate, "执行率"),
    ):
        value = _percent(rate)
        if value is not None:
            figures.append(Figure(label, value, PERCENT, name))
    for row in money.rows:
        received = money.received_of(row)
        figures += [
            Figure(f"{row.source}预算数", _money(row.budget, money_unit), MONEY),
            Figure(f"{row.source}到位数", _money(received, money_unit), MONEY),
            Figure(f"{row.source}执行数", _money(row.spent, money_unit), MONEY),
            Figure(
                f"{row.source}结余", _money(received - row.spent, money_unit), MONEY, computed=False
            ),
            Figure(
                f"{row.source}未到位数",
                _money(row.budget - received, money_unit),
                MONEY,
                computed=False,
            ),
        ]
        if row.budget:
            figures += [
                Figure(f"{row.source}到位率", received / row.budget * HUNDRED, PERCENT),
                Figure(f"{row.source}执行率", row.spent / row.budget * HUNDRED, PERCENT),
            ]
    if fund.fund.initial_budget is not None:
        figures.append(
            Figure(
                "年初预算数", _money(fund.fund.initial_budget, money_unit), MONEY, computed=False
            )
        )
    for result in fund.indicators:
        figures += indicator_figures(result, own=False)
    return figures


def _base(quantity: Quantity) -> tuple[Decimal, str]:
    """Parsed quantities already carry 万/亿 in the value, so ``2.9亿元`` is in 元 like money."""
    return quantity.value, quantity.unit


def indicator_figures(result: IndicatorResult, *, own: bool) -> list[Figure]:
    """An indicator's actual and completion (computed), target and previous value (stated).

    ``own`` marks the indicator whose 说明 is being read: its figures have placeholders.
    """
    name = result.model.name
    figures: list[Figure] = []
    if result.actual is not None:
        value, unit = _base(result.actual)
        figures.append(Figure(f"指标“{name}”的完成值", value, unit, "完成值" if own else ""))
    completion = _percent(result.completion)
    if completion is not None and result.target.kind in (Kind.GE, Kind.GT, Kind.EQ):
        figures.append(
            Figure(f"指标“{name}”的完成率", completion, PERCENT, "完成率" if own else "")
        )
    target = result.target
    for end in (target.low, target.high):
        if end is not None:
            value, unit = _base(Quantity(end, target.unit))
            figures.append(
                Figure(
                    f"指标“{name}”的指标值", value, unit, "指标值" if own else "", computed=False
                )
            )
    if result.previous is not None:
        value, unit = _base(result.previous)
        figures.append(Figure(f"指标“{name}”的上年完成值", value, unit, computed=False))
    return figures


def subset_sums(fund: FundResult, money_unit: str) -> list[tuple[str, Decimal]]:
    """Sums of two or more (not all) sources, to explain a partial total in a hint."""
    rows = fund.money.rows
    if not 2 < len(rows) <= 8:
        return []
    sums = []
    for size in range(2, len(rows)):
        for group in combinations(rows, size):
            names = "、".join(r.source for r in group)
            sums.append(
                (
                    f"{names}预算数之和",
                    _money(sum((r.budget for r in group), Decimal(0)), money_unit),
                )
            )
    return sums
