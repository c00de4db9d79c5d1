"""What an import of last year's report found, kept with the version it made.

The version page shows it above the checker's findings: how many funds, sources,
indicators and narrative slots the report gave, what could not be placed, and how many
values are marked 【待核对】. It is stored as JSON with the version (``Version.imported``),
"" for an ordinary upload, and shown as stored.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from generator.authoring.reading.assemble import FundSummary

__all__ = ["ImportNote", "dump_note", "load_note"]


@dataclass(frozen=True)
class ImportNote:
    #: The report's file name as uploaded.
    source: str
    funds: tuple[FundSummary, ...]
    #: Figures of the report that disagree, and what the server settled for it (unit, year).
    remarks: tuple[str, ...]
    #: Values marked 【待核对】 in the imported input.
    to_confirm: int

    @property
    def unplaced(self) -> int:
        return sum(f.unplaced for f in self.funds)


def dump_note(note: ImportNote) -> str:
    return json.dumps(asdict(note), ensure_ascii=False)


def load_note(text: str) -> ImportNote | None:
    """The stored note, or None for an upload (or a note this version cannot read)."""
    try:
        data = json.loads(text) if text else None
        if not isinstance(data, dict):
            return None
        return ImportNote(
            str(data["source"]),
            tuple(FundSummary(**fund) for fund in data["funds"]),
            tuple(str(r) for r in data["remarks"]),
            int(data["to_confirm"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
