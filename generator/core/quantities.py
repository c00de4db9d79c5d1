"""The grammar of 指标值 (targets) and 完成值 (actuals).

Staff type targets the way they appear in printed tables (``≥40000人次``,
``67.5万人``, ``6～9个月``, ``＞＝９５％``, ``普遍开展``), so parsing is lenient about
width, spaces and separators, and anything that is not a number is simply a
qualitative target rather than an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from generator.core.money import multiply, strip_zeros

__all__ = [
    "Kind",
    "Quantity",
    "Target",
    "classify_target",
    "describe_reading",
    "normalize_text",
    "parse_actual",
    "parse_target",
    "units_compatible",
]


class Kind(Enum):
    """How a target compares the actual with its value(s)."""

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="
    RANGE = "区间"
    QUALITATIVE = "定性"


@dataclass(frozen=True)
class Quantity:
    """A number after its 万/亿 multiplier, with the unit text that followed it."""

    value: Decimal
    unit: str


@dataclass(frozen=True)
class Target:
    """A parsed 指标值; single values sit in ``low``, ranges use ``low`` and ``high``."""

    text: str
    kind: Kind
    low: Decimal | None
    high: Decimal | None
    unit: str

    @property
    def is_qualitative(self) -> bool:
        return self.kind is Kind.QUALITATIVE


_COMPARATORS: dict[str, Kind] = {
    ">=": Kind.GE,
    "≥": Kind.GE,
    ">": Kind.GT,
    "<=": Kind.LE,
    "≤": Kind.LE,
    "<": Kind.LT,
    "=": Kind.EQ,
}

_MULTIPLIERS: dict[str, Decimal] = {
    "": Decimal(1),
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
}

# Characters NFKC leaves alone but people type for the same thing.
_REPLACEMENTS = str.maketrans(
    {
        "≧": "≥",
        "≦": "≤",
        "〜": "~",
        "～": "~",
        "–": "-",
        "—": "-",
        "－": "-",
        "−": "-",
        "＝": "=",
    }
)

_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SINGLE = re.compile(
    rf"(?P<cmp>>=|<=|≥|≤|>|<|=)?(?P<num>-?{_NUMBER})(?P<mult>[万亿]?)(?P<unit>\D*)"
)
_RANGE = re.compile(
    rf"(?P<n1>{_NUMBER})(?P<m1>[万亿]?)(?P<u1>[^\d\-~至]*)[\-~至]"
    rf"(?P<n2>{_NUMBER})(?P<m2>[万亿]?)(?P<u2>\D*)"
)
_QUALITATIVE_WORD = "定性"
# A unit never starts with number punctuation: "95.%" or "5-" is a typo, not a unit.
_BAD_UNIT_START = (".", ",", "-", "~")


def normalize_text(text: str) -> str:
    """Full-width forms to ASCII (NFKC), dash/tilde variants unified, spaces removed."""
    folded = unicodedata.normalize("NFKC", text).translate(_REPLACEMENTS)
    return "".join(folded.split())


def _number(digits: str, original: str) -> Decimal:
    """Read a number that may carry thousands separators; refuse misplaced ones."""
    unsigned = digits.lstrip("-")
    if "," in unsigned and not _GROUPED.fullmatch(unsigned):
        raise ValueError(f"“{original}”中的千分位分隔符位置不对（应为 1,040,000 这样每三位一个）")
    return Decimal(digits.replace(",", ""))


def _scaled(digits: str, multiplier: str, original: str) -> Decimal:
    return strip_zeros(multiply(_number(digits, original), _MULTIPLIERS[multiplier]))


def parse_target(text: str) -> Target:
    """Parse a 指标值; non-numeric text is QUALITATIVE, never an error.

    Raises ValueError only for numbers written wrongly (misplaced thousands
    separators, a range whose ends are reversed or have different units, a
    comparator before a range).
    """
    original = text.strip()
    norm = normalize_text(original)
    if not norm or norm == _QUALITATIVE_WORD:
        return Target(original, Kind.QUALITATIVE, None, None, "")

    ranged = _RANGE.fullmatch(norm.lstrip("=<>≥≤"))
    if ranged:
        if norm[0] in "=<>≥≤":
            raise ValueError(f"“{original}”：区间前不能有比较符")
        return _range_target(original, ranged)

    single = _SINGLE.fullmatch(norm)
    if not single:
        return Target(original, Kind.QUALITATIVE, None, None, "")
    if single["unit"].startswith(_BAD_UNIT_START):
        raise ValueError(f"无法识别“{original}”中的数字")
    kind = _COMPARATORS[single["cmp"] or "="]
    value = _scaled(single["num"], single["mult"], original)
    return Target(original, kind, value, None, single["unit"])


def classify_target(
    text: str, *, declared: str | None = None, rated: bool = False, measured: bool = False
) -> Target:
    """The 指标值 as its indicator uses it, so official wording is kept as issued.

    ``declared`` is the indicator's 指标类型 (定量/定性), which settles any case.
    Without it, an indicator rated (评级) and not measured (no 完成值) is qualitative
    whatever its text starts with (「30日内下达」); otherwise the text decides, as in
    :func:`parse_target`. Raises ValueError for a number written wrongly in a target
    read as a number, and for a 定量 indicator whose target is not a number.
    """
    if declared == _QUALITATIVE_WORD or (declared is None and rated and not measured):
        return Target(text.strip(), Kind.QUALITATIVE, None, None, "")
    target = parse_target(text)
    if declared is not None and target.is_qualitative:
        raise ValueError(
            f"指标类型为“{declared}”，但指标值“{target.text}”不是数字（写法见“指标值语法”）；"
            "如按评级计分，请把指标类型改为“定性”"
        )
    return target


def describe_reading(target: Target) -> str:
    """How a target was read as a number: «读作“=30”，单位“日内下达”»."""
    if target.is_qualitative or target.low is None:
        return "读作定性指标（文字）"
    if target.kind is Kind.RANGE and target.high is not None:
        shown = f"{format(target.low, 'f')}～{format(target.high, 'f')}"
    else:
        shown = f"{target.kind.value}{format(target.low, 'f')}"
    unit = f"，单位“{target.unit}”" if target.unit else "，不带单位"
    return f"读作“{shown}”{unit}"


def _range_target(original: str, match: re.Match[str]) -> Target:
    """``6-9个月``, ``6个月至9个月``; ``1-2万人`` means 1万 to 2万, as it is read aloud."""
    low_mult, high_mult = match["m1"], match["m2"]
    low_unit, unit = match["u1"], match["u2"]
    if not low_mult and not low_unit:
        low_mult = high_mult
    if low_unit and low_unit != unit:
        raise ValueError(f"“{original}”：区间两端的单位不一致（“{low_unit}”和“{unit}”）")
    low = _scaled(match["n1"], low_mult, original)
    high = _scaled(match["n2"], high_mult, original)
    if low > high:
        raise ValueError(f"“{original}”：区间下限大于上限")
    return Target(original, Kind.RANGE, low, high, unit)


def parse_actual(text: str) -> Quantity:
    """Parse a 完成值: a number, optional 万/亿, optional unit; anything else is an error."""
    original = text.strip()
    match = re.fullmatch(
        rf"(?P<num>-?{_NUMBER})(?P<mult>[万亿]?)(?P<unit>\D*)", normalize_text(original)
    )
    if not match or match["unit"].startswith(_BAD_UNIT_START):
        raise ValueError(
            f"无法识别“{original}”：完成值应为数字或数字加单位（如 53733人次、96.57%）"
        )
    return Quantity(_scaled(match["num"], match["mult"], original), match["unit"])


def units_compatible(target: Target, actual: Quantity) -> bool:
    """Target and actual agree on the unit, or the actual leaves it implicit."""
    return actual.unit == "" or actual.unit == target.unit
