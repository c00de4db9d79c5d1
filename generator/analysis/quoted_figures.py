"""The figures a fund's text may quote, and the numbers its text actually quotes.

Retyped reports go wrong in a few typical ways: a digit mistyped (2630.85 for
2680.85), a rate rounded by hand the wrong way (96.58% for 96.57%), a figure
copied from an older draft (282.88 for 282.87). These functions tell such a
near miss from an honest mention of another figure: the literal either equals a
known figure (possibly rounded to fewer decimals), or is one keystroke or one unit
of its last decimal away from a computed one, or is simply unrelated.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from generator.analysis.compute import FundResult, IndicatorResult
from generator.core.money import HUNDRED, MONEY_UNITS, format_number, multiply, round_half_up
from generator.core.quantities import Kind, Quantity

__all__ = [
    "MONEY",
    "MONTHS",
    "PERCENT",
    "Figure",
    "FigureIndex",
    "Literal",
    "fund_figures",
    "indicator_figures",
    "literals",
    "near_miss",
    "plain_text",
    "rate_fits",
    "rates_named",
    "same_as",
    "subset_sums",
]

MONEY = "元"
PERCENT = "%"
MONTHS = "个月"
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


class _Folds(dict[int, int | str]):
    """NFKC of each character, as a ``str.translate`` table filled on first sight.

    Only one-character folds are kept (full-width ``１`` → ``1``), so positions stay put.
    """

    def __missing__(self, code: int) -> int | str:
        folded = unicodedata.normalize("NFKC", chr(code))
        value: int | str = folded if len(folded) == 1 else code
        self[code] = value
        return value


_FOLDS = _Folds()


def plain_text(text: str) -> str:
    """Full-width forms folded (NFKC) and placeholders blanked, so only typed numbers remain.

    Every character maps to one character, so a position in the result is the same
    position in ``text`` and messages can quote what the user typed. One pass of
    ``str.translate``: a long input has thousands of texts, and few distinct characters.
    """
    blanked = _PLACEHOLDER.sub(lambda m: "□" * len(m.group(0)), text) if "{" in text else text
    if blanked.isascii() or unicodedata.is_normalized("NFKC", blanked):
        return blanked  # nothing to fold (most Chinese text): each character is its own NFKC
    return blanked.translate(_FOLDS)


def literals(text: str, units: Iterable[str]) -> Iterator[Literal]:
    """Numbers followed by one of ``units`` (with an optional 万/亿 before it)."""
    pattern = _literal_pattern(frozenset(u for u in units if u))
    if pattern is None:
        return
    for match in pattern.finditer(text):
        # 万/亿 are multipliers for every unit: 282.88万元 is 2828800 元, 9.86万人次 is 98600 人次.
        scale = _MULTIPLIERS[match["mult"]]
        value = multiply(Decimal(match["num"]), scale)
        yield Literal(match.group(0), match["num"], value, match["unit"], scale, match.start())


@functools.lru_cache(maxsize=256)
def _literal_pattern(units: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern per set of units (a fund's texts share theirs), longest unit first."""
    if not units:
        return None
    alternatives = sorted(units, key=lambda unit: (-len(unit), unit))
    return re.compile(
        r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>[万亿]?)(?P<unit>"
        + "|".join(re.escape(u) for u in alternatives)
        + ")"
    )


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


#: Characters of a number written by ``f"{value:.Nf}"``: the digits a typo may produce.
_NUMBER_CHARS = "0123456789.-"


class FigureIndex:
    """A fund's figures sorted by value, so that a literal is matched in logarithmic time.

    A fund may have 300 indicators, each with a 说明 quoting numbers; comparing every
    literal with every figure of the fund made checking a large input quadratic. The
    index only narrows the candidates: :func:`same_as` and :func:`near_miss` decide, and
    the first figure in list order wins, as a pass over the list would give.
    """

    def __init__(self, figures: Sequence[Figure]) -> None:
        self.figures = list(figures)
        self.units = {figure.unit for figure in self.figures}
        self._scaled: dict[tuple[str, Decimal], tuple[list[Decimal], list[int]]] = {}
        self._written: dict[tuple[str, Decimal, int], tuple[dict[str, list[int]], set[int]]] = {}

    def _within(self, unit: str, scale: Decimal, low: Decimal, high: Decimal) -> list[int]:
        """Positions of the figures whose value in ``scale`` lies in [low, high]."""
        key = (unit, scale)
        if key not in self._scaled:
            pairs = sorted(
                (figure.value / scale, position)
                for position, figure in enumerate(self.figures)
                if figure.unit == unit
            )
            self._scaled[key] = ([value for value, _ in pairs], [p for _, p in pairs])
        values, positions = self._scaled[key]
        return positions[bisect_left(values, low) : bisect_right(values, high)]

    def _by_text(
        self, unit: str, scale: Decimal, places: int
    ) -> tuple[dict[str, list[int]], set[int]]:
        """Computed figures by how they print rounded to ``places`` (as near_miss prints
        them), and the lengths of those prints."""
        key = (unit, scale, places)
        if key not in self._written:
            table: dict[str, list[int]] = {}
            for position, figure in enumerate(self.figures):
                if figure.unit == unit and figure.computed:
                    expected = round_half_up(figure.value / scale, places)
                    table.setdefault(f"{expected:.{places}f}", []).append(position)
            self._written[key] = (table, {len(text) for text in table})
        return self._written[key]

    def same(self, literal: Literal) -> bool:
        """Whether any figure is what ``literal`` says (:func:`same_as`)."""
        written, step = Decimal(literal.digits), Decimal(1).scaleb(-literal.places)
        # Rounding to ``places`` moves a value by at most half a step.
        candidates = self._within(literal.unit, literal.scale, written - step, written + step)
        return any(same_as(literal, self.figures[position]) for position in candidates)

    def near(self, literal: Literal, fits: Callable[[Figure], bool] | None = None) -> Figure | None:
        """The first figure ``literal`` is a near miss of (:func:`near_miss`), if any;
        only figures ``fits`` accepts, when given."""
        if len(literal.digits.replace(".", "").lstrip("0")) < _MIN_DIGITS:
            return None  # too few digits to be a near miss of anything
        places = literal.places
        written, step = Decimal(literal.digits), Decimal(1).scaleb(-places)
        candidates = set(
            self._within(literal.unit, literal.scale, written - 2 * step, written + 2 * step)
        )
        shown = f"{written:.{places}f}"
        by_text, lengths = self._by_text(literal.unit, literal.scale, places)
        if len(shown) in lengths:
            for variant in _one_typo_away(shown) & by_text.keys():
                candidates.update(by_text[variant])
        for position in sorted(candidates):
            figure = self.figures[position]
            if (fits is None or fits(figure)) and near_miss(literal, figure):
                return figure
        return None


#: A rate named in words: 执行率, 到位率, 使用率, 参保率… (the two characters before 率).
_RATE_WORD = re.compile(r"[\u4e00-\u9fff]{2}率")


def rates_named(clause: str) -> frozenset[str]:
    """The rates a clause names (「全市预算执行率为」 names 执行率)."""
    return frozenset(match.group(0) for match in _RATE_WORD.finditer(clause))


def rate_fits(figure: Figure, named: frozenset[str]) -> bool:
    """Whether a percentage after a clause naming ``named`` may be a slip for ``figure``.

    A typed rate is compared only with the rate its clause names: with no 执行数 there is
    no 执行率, and 「预算执行率为97.8%」 (seed 003) or 「资金使用率达99.9%」 (seed 004) is
    not a mistyped 到位率 of 97.73% or 100%.
    """
    return not named or figure.unit != PERCENT or any(word in figure.label for word in named)


@functools.lru_cache(maxsize=1024)
def _one_typo_away(text: str) -> frozenset[str]:
    """Every string one changed character or one swap of neighbours away from ``text``."""
    variants: set[str] = set()
    for i, char in enumerate(text):
        head, tail = text[:i], text[i + 1 :]
        variants.update(head + other + tail for other in _NUMBER_CHARS if other != char)
        if tail:
            variants.add(head + tail[0] + char + tail[1:])
    return frozenset(variants)


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
    if money.adjusted:
        figures.append(Figure("调整后预算合计", _money(money.adjusted_budget, money_unit), MONEY))
    for source in money.sources:
        name = source.source
        figures += [
            Figure(f"{name}预算数", _money(source.budget, money_unit), MONEY),
            Figure(f"{name}到位数", _money(source.received, money_unit), MONEY),
            Figure(f"{name}执行数", _money(source.spent, money_unit), MONEY),
            Figure(f"{name}结余", _money(source.balance, money_unit), MONEY, computed=False),
            Figure(
                f"{name}未到位数",
                _money(source.adjusted_budget - source.received, money_unit),
                MONEY,
                computed=False,
            ),
        ]
        if source.adjusted:
            figures.append(
                Figure(f"{name}调整后预算数", _money(source.adjusted_budget, money_unit), MONEY)
            )
        # 「调减了344万元」: adjustments are quoted without their sign.
        for label, amount in (("调整数", source.adjustment), ("清算数", source.clearing)):
            if amount:
                figures.append(
                    Figure(f"{name}{label}", _money(abs(amount), money_unit), MONEY, computed=False)
                )
        for label, rate in (("到位率", source.received_rate), ("执行率", source.execution_rate)):
            value = _percent(rate)
            if value is not None:
                figures.append(Figure(f"{name}{label}", value, PERCENT))
    figures += _account_figures(fund, money_unit)
    if fund.fund.initial_budget is not None:
        figures.append(
            Figure(
                "年初预算数", _money(fund.fund.initial_budget, money_unit), MONEY, computed=False
            )
        )
    for result in fund.indicators:
        figures += indicator_figures(result, own=False)
    return figures


def _account_figures(fund: FundResult, money_unit: str) -> list[Figure]:
    """基金收支 as typed, with the balance and 可支付月数 the tool computes from it."""
    accounts = fund.accounts
    if accounts is None:
        return []
    figures = []
    for label, value, computed in (
        ("基金收入", accounts.income, False),
        ("基金支出", accounts.expenditure, False),
        ("基金当期结余", accounts.current_balance, accounts.balance_computed),
        ("基金累计结余", accounts.accumulated_balance, False),
    ):
        if value is not None:
            figures.append(Figure(label, _money(abs(value), money_unit), MONEY, computed=computed))
    if accounts.months_payable is not None:
        figures.append(Figure("可支付月数", accounts.months_payable, MONTHS))
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
