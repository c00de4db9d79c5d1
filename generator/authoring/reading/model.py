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
    "MoneyFindings",
    "MoneyRow",
    "Placement",
    "PolicyDocument",
    "ReportPart",
    "Route",
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
    made_by_genreport: bool = False
    """genreport wrote the file: marked paragraphs are the user's text, the rest its own."""


@dataclass(frozen=True)
class Route:
    """Where a section's own text went: a 叙述 slot, «绩效目标», «指标说明» or «待归类»."""

    path: str
    """The section's numbers from the top, «二、（一）»."""
    title: str
    to: str
    sure: bool = True


@dataclass
class Placement:
    """A report's narrative sorted into the input's 叙述 slots, each text with its origin.

    A slot's texts are its lines in order; sub-headings are lines starting with their
    number («（一）…», «1.…»), which the renderer sets as headings again.
    """

    slots: dict[str, list[Found[str]]] = field(default_factory=dict)
    goals: list[Found[str]] = field(default_factory=list)
    """Text under 绩效目标 headings: the 总体目标 and the targets (not a 叙述 slot)."""
    notes: dict[str, Found[str]] = field(default_factory=dict)
    """Per-indicator analysis keyed by its heading's title, for the indicator's 说明."""
    unplaced: list[Found[str]] = field(default_factory=list)
    """Text no slot fits (the 开头, unknown sections, table text): the assembly's 待归类."""
    routes: list[Route] = field(default_factory=list)
    """Every section and where its own text went, in reading order."""


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
    not_applicable: Found[bool] | None = None
    """The form prints 不适用 for it (the contract's ``不适用: true``)."""
    group_weight: Found[Decimal] | None = None
    """The 一级 group's points as its cell prints them («项目决策 (20分)»)."""


@dataclass
class MoneyFindings:
    """The money of one report: a row per source, and what the import could not settle.

    ``initial`` is the project's 年初预算数 (the 项目支出 form prints it for the whole
    project, the contract keeps it beside 资金). ``conflicts`` says, in the user's words,
    where the 自评表 and the text give different figures for the same money; both
    figures stay in the findings so the user decides.
    """

    rows: list[MoneyRow]
    unit: str
    initial: Found[Decimal] | None = None
    conflicts: list[str] = field(default_factory=list)
    adjusted_total: Found[Decimal] | None = None
    """调整后预算数: the fund's budget after an adjustment the report does not split by source."""
