"""What every reader of an input returns: plain data plus where each field came from.

Shared by the YAML and the workbook readers, and by every message that names a line
or a cell, so it lives apart from both readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.errors import Location

__all__ = ["EXCEL_SUFFIXES", "INPUT_SUFFIXES", "YAML_SUFFIXES", "FieldPath", "LoadedInput"]

#: A field's place in the input: ``("项目", 1, "指标", 4, "分值")`` is 项目[2].指标[5].分值.
FieldPath = tuple[str | int, ...]

#: Input files written by hand or by ``genreport new``.
YAML_SUFFIXES = (".yaml", ".yml")
#: Workbook inputs, read by :mod:`generator.inputs.excel.read`.
EXCEL_SUFFIXES = (".xlsm", ".xlsx")
#: Every file a directory of inputs is searched for.
INPUT_SUFFIXES = (*YAML_SUFFIXES, *EXCEL_SUFFIXES)


@dataclass
class LoadedInput:
    """Plain data as read, with the line of each field path (1-based)."""

    file: str
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def location(self, path: FieldPath) -> Location:
        """The location of ``path``, falling back to its nearest located ancestor."""
        probe = tuple(path)
        while probe and probe not in self.lines:
            probe = probe[:-1]
        return Location(self.file, self.lines.get(probe, 0), tuple(path))
