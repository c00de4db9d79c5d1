"""What a reader makes of a report file: paragraphs and tables in reading order.

Every block keeps its place in the file (``where``) so that each value the import infers
can say where it came from, in the words a user would use to find it («第12段»,
«第2个表格第5行»).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = [
    "Block",
    "Found",
    "Paragraph",
    "SourceDocument",
    "Table",
]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of text, as the reader found it.

    ``style`` is the Word paragraph style name (empty for plain text); ``slot`` is the
    叙述 slot a report written by genreport marked this paragraph as the user's own
    text of (a bookmark around it), ``note_of`` the key of the indicator whose 说明 it
    is (generator.core.bookmarks.note_key of its name). ``own_text`` is the text inside
    those marks when there are any: a 说明 is often followed, in the same paragraph, by
    sentences genreport generated (the score, last year's figure).
    """

    text: str
    where: str
    style: str = ""
    slot: str | None = None
    note_of: str | None = None
    own_text: str | None = None


@dataclass(frozen=True)
class Table:
    """One table: rows of cell texts, a merged cell repeated in every grid cell it covers."""

    rows: tuple[tuple[str, ...], ...]
    where: str

    def row_where(self, r: int) -> str:
        """The place of row ``r`` (0-based) for a provenance comment."""
        return f"{self.where}第{r + 1}行"


Block = Paragraph | Table


@dataclass(frozen=True)
class SourceDocument:
    """A whole report file: its display name and its blocks in reading order."""

    name: str
    blocks: tuple[Block, ...]
    kind: str = "txt"
    """``docx`` or ``txt``: what the reader read."""
    made_by_genreport: bool = False
    """The file carries genreport's marks (bookmarks around the user's own text)."""
    properties: Mapping[str, str] = field(default_factory=dict)
    """The custom document properties (text ones), e.g. the facts genreport records."""


T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    """A value inferred from the report, where it came from, and whether to confirm it.

    ``sure`` is False when the reading is a guess (a heading matched loosely, a figure
    taken from a sentence); the import marks such values 【待核对】.
    """

    value: T
    where: str
    sure: bool = True
    note: str = ""
