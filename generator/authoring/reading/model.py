"""What the import recognises in one report, before it is written as an input.

Each recogniser fills its part (:mod:`outline` the header and the sections,
:mod:`figures` the money, :mod:`indicators` the indicators); :mod:`assemble` turns a
:class:`ReportPart` and its findings into the commented YAML input. Every value is a
:class:`~generator.authoring.reading.blocks.Found`, so its origin and certainty travel
with it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from generator.authoring.reading.blocks import Block, Found, Paragraph

__all__ = [
    "Heading",
    "IndicatorRow",
    "MoneyRow",
    "PolicyDocument",
    "ReportPart",
    "Section",
]


@dataclass(frozen=True)
class Heading:
    """A numbered heading: ``number`` as written («二、», «（一）», «1.», «（1）»), its level 1–4."""

    number: str
    title: str
    level: int


@dataclass
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level."""

    heading: Heading
    where: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    path: tuple[str, ...] = ()
    """The numbers from the top: («二、», «（一）») — provenance reads «二、（一）第2段»."""


@dataclass
class ReportPart:
    """One report of a file (a volume holds several), with its header as found."""

    title: str
    blocks: tuple[Block, ...]
    where: str
    fund_name: Found[str] | None = None
    fund_type: Found[str] | None = None
    outline: Found[str] | None = None
    unit: Found[str] | None = None
    year: Found[int] | None = None
    recipient: Found[str] | None = None
    date: Found[datetime.date] | None = None
    money_unit: Found[str] | None = None
    preamble: list[Paragraph] = field(default_factory=list)
    """Paragraphs between the title (and 主送) and the first heading."""
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class PolicyDocument:
    """A document the report cites as its basis: 《title》 and its 文号 (brackets as 〔〕)."""

    title: str
    number: str | None
    where: str


@dataclass
class MoneyRow:
    """One source of money (中央财政, 省级财政, …) with the amounts the report gives, in ``unit``."""

    source: Found[str]
    budget: Found[Decimal] | None = None
    """全年预算数 (before any adjustment)."""
    initial: Found[Decimal] | None = None
    """年初预算数."""
    arrived: Found[Decimal] | None = None
    spent: Found[Decimal] | None = None
    adjustment: Found[Decimal] | None = None
    """调整数: the budget changed during the year (negative when reduced)."""
    clearing: Found[Decimal] | None = None
    """清算数: settled against an earlier year (negative when deducted)."""


@dataclass
class IndicatorRow:
    """One indicator with what the report gives of it; text values as printed."""

    name: Found[str]
    where: str
    level1: Found[str] | None = None
    level2: Found[str] | None = None
    weight: Found[Decimal] | None = None
    target: Found[str] | None = None
    actual: Found[str] | None = None
    rating: Found[str] | None = None
    """达成 / 部分达成 / 未达成 for a qualitative indicator."""
    score: Found[Decimal] | None = None
    reason: Found[str] | None = None
    measure: Found[str] | None = None
    previous: Found[str] | None = None
    """上年完成值, as printed."""
    note: Found[str] | None = None
    """说明: the report's own paragraph about this indicator."""
    kind: Found[str] | None = None
    """定量 / 定性 when the report settles it."""
