"""Scoring rule sets as plain values: bands, grades and conventions of one province.

generator.config reads them from data files; scoring and text only need these values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal, get_args

from generator.core.money import format_score, round_half_up

__all__ = [
    "BELOW_MODES",
    "REVERSE_MODES",
    "TIER_KINDS",
    "TIER_ROUNDINGS",
    "Band",
    "BelowMode",
    "ReverseMode",
    "RuleSet",
    "Tier",
    "TierKind",
    "TierRounding",
    "TierTable",
    "grade_bands",
    "grade_for",
]

#: 比例: w × A/B; 线性: w × (1 − (B−A)/A), zero from 2A on.
ReverseMode = Literal["比例", "线性"]
REVERSE_MODES: tuple[str, ...] = get_args(ReverseMode)

#: The target kinds a tier table is given for: ≥/> · ≤/< · a-b · =A · 执行率 indicators.
TierKind = Literal["正向", "反向", "区间", "等于", "执行率"]
TIER_KINDS: tuple[str, ...] = get_args(TierKind)

#: Below the last tier: nothing, or the proportional score the rule set gives without tiers.
BelowMode = Literal["零分", "按比例"]
BELOW_MODES: tuple[str, ...] = get_args(BelowMode)

#: How a tiered score is rounded (half-up): to 2 decimals or to whole points.
TierRounding = Literal["两位小数", "整数"]
TIER_ROUNDINGS: tuple[str, ...] = get_args(TierRounding)


@dataclass(frozen=True)
class Band:
    """The share of the weight a qualitative rating may score, as fractions (0.8 = 80%)."""

    rating: str
    low: Decimal
    high: Decimal
    high_inclusive: bool
    default: Decimal


@dataclass(frozen=True)
class Tier:
    """Completion at or above ``threshold`` earns ``share`` of the weight (fractions: 0.95)."""

    threshold: Decimal
    share: Decimal


@dataclass(frozen=True)
class TierTable:
    """Tiers of completion for one target kind, from the highest threshold down.

    Thresholds strictly descend and the first is at most 1, so a met target always has
    a tier; a completion under the last threshold is scored by ``below``.
    """

    kind: str
    tiers: tuple[Tier, ...]
    below: str


def _no_tables() -> Mapping[str, TierTable]:
    return MappingProxyType({})


@dataclass(frozen=True)
class RuleSet:
    """One province's (or the national) scoring conventions."""

    name: str
    description: str
    reverse_mode: str
    bands: Mapping[str, Band]
    #: (grade, lower bound) from the best grade down; the last bound is 0.
    grades: tuple[tuple[str, Decimal], ...]
    overachievement_factor: Decimal = Decimal("1.5")
    execution_rate_names: tuple[str, ...] = ("预算执行率",)
    carryover_in_denominator: bool = True
    #: Tier tables by target kind (TierKind); kinds without one are scored proportionally.
    kind_tiers: Mapping[str, TierTable] = field(default_factory=_no_tables)
    #: Tier tables of named indicators, which win over the kind's table when kinds agree.
    named_tiers: Mapping[str, TierTable] = field(default_factory=_no_tables)
    #: Decimal places of a tiered score: 2, or 0 for whole points.
    tier_places: int = 2
    source: str = field(default="", compare=False)


def grade_for(total: Decimal, rules: RuleSet) -> str:
    """The grade of a total as printed (rounded to 2 places), so text and grade agree."""
    shown = round_half_up(total)
    for grade, bound in rules.grades:
        if shown >= bound:
            return grade
    return rules.grades[-1][0]


def grade_bands(rules: RuleSet) -> str:
    """ "优≥90分，良80～90分，…" from the rule set, so the bands never have holes."""
    parts = []
    upper: Decimal | None = None
    for grade, lower in rules.grades:
        if upper is None:
            parts.append(f"{grade}≥{format_score(lower)}分")
        elif lower == 0:
            parts.append(f"{grade}<{format_score(upper)}分")
        else:
            parts.append(f"{grade}{format_score(lower)}（含）～{format_score(upper)}分")
        upper = lower
    return "，".join(parts)
