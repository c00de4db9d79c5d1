"""What every reader of an input returns: plain data plus where each field came from.

Shared by the YAML and the workbook readers, and by every message that names a line
or a cell, so it lives apart from both readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from generator.core.markers import TO_CONFIRM
from generator.core.text import visible
from generator.errors import Location, Problem, Severity

__all__ = [
    "EXCEL_SUFFIXES",
    "INPUT_SUFFIXES",
    "YAML_SUFFIXES",
    "FieldPath",
    "LoadedInput",
    "visible_path",
    "with_visible_path",
]

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
    to_confirm: tuple[tuple[int, str], ...] = ()
    """Lines (number, text) still marked 【待核对】 by ``genreport import``."""

    def location(self, path: FieldPath) -> Location:
        """The location of ``path``, falling back to its nearest located ancestor."""
        probe = tuple(path)
        while probe and probe not in self.lines:
            probe = probe[:-1]
        return Location(self.file, self.lines.get(probe, 0), visible_path(path))

    def unconfirmed(self) -> list[Problem]:
        """A warning per line still marked 【待核对】, at the deepest field on that line."""
        on_line: dict[int, list[FieldPath]] = {}
        for path, line in self.lines.items():
            on_line.setdefault(line, []).append(path)
        by_line = {line: _field_of_line(paths) for line, paths in on_line.items()}
        return [
            Problem(
                Location(self.file, n, visible_path(by_line.get(n, ()))),
                f"标有{TO_CONFIRM}的导入值尚未确认：{text}",
                Severity.WARNING,
                hint=f"对照原报告核对后删去“{TO_CONFIRM}”",
            )
            for n, text in self.to_confirm
        ]


def _field_of_line(paths: list[FieldPath]) -> FieldPath:
    """The field a line stands for: its one innermost key, or the item that holds the
    several keys a one-line row (``- {来源: …, 预算数: …}``) puts on it."""
    inner = [p for p in paths if not any(q != p and q[: len(p)] == p for q in paths)]
    if len(inner) == 1:
        return inner[0]
    common = inner[0]
    for path in inner[1:]:
        size = 0
        while size < min(len(common), len(path)) and common[size] == path[size]:
            size += 1
        common = common[:size]
    return common


def visible_path(path: FieldPath) -> FieldPath:
    """``path`` as messages print it: a key's hidden characters written as ``<U+200B>``."""
    return tuple(visible(part) if isinstance(part, str) else part for part in path)


def with_visible_path(location: Location) -> Location:
    """``location`` with its field path made visible, whatever reader located it."""
    path = visible_path(location.path)
    return location if path == location.path else replace(location, path=path)
