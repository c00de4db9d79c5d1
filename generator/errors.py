"""One exception tree for the whole tool; the CLI maps it to exit codes.

Every problem a user can cause is a :class:`Problem` with a :class:`Location`, so
messages always name the file, the line and the field (``文件:行: 字段路径：说明``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "ConfigError",
    "GenreportError",
    "InputError",
    "Location",
    "OutputError",
    "Problem",
    "Severity",
    "TemplateError",
    "format_path",
]


def format_path(path: Sequence[str | int]) -> str:
    """Render a field path the way users read it: ``项目[2].指标[5].分值`` (1-based)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True)
class Location:
    """Where a value came from: file, line (1-based, 0 = unknown) and field path."""

    file: str
    line: int = 0
    path: tuple[str | int, ...] = ()
    #: For spreadsheets: ``指标!F12（指标值）``; replaces ``:line`` when set.
    cell: str = ""

    def __str__(self) -> str:
        if self.cell:
            label = f"{self.file} {self.cell}"
            # ``指标!F12（指标值）`` already names its field; ``报告!B2（值）`` does not.
            if not self.path or str(self.path[-1]) in self.cell:
                return label
            return f"{label}: {format_path(self.path)}"
        head = f"{self.file}:{self.line}" if self.line else self.file
        field_path = format_path(self.path)
        return f"{head}: {field_path}" if field_path else head


class Severity(Enum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True)
class Problem:
    """One finding about the input, printed as one line."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR
    #: What the user should do about it (shown by ``check``).
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}：{self.message}"
        if self.location.path == () and not self.location.cell:
            text = f"{self.location}: {self.message}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class GenreportError(Exception):
    """Base of every error the CLI reports without a traceback (exit code 1)."""

    exit_code = 1


class InputError(GenreportError):
    """The input is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(GenreportError):
    """A rule set, wording file or other shipped/user data file is invalid.

    Raised with a message alone (an unknown rule set name, a missing file) or with every
    located problem of a broken file, printed like an input's.
    """

    def __init__(self, message: str = "", *, problems: Iterable[Problem] = ()) -> None:
        self.problems = list(problems)
        super().__init__(message or "\n".join(str(p) for p in self.problems))


class TemplateError(GenreportError):
    """A Word template cannot be read or rendered."""


class OutputError(GenreportError):
    """The output cannot be written (permissions, disk, a file edited by hand…)."""
