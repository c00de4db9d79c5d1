"""The pipeline's Problems as table rows: sheet, row, column, field, message, fix.

A Problem carries ``location.cell`` for workbooks (``指标!F12（指标值）``) and
``location.line`` for YAML; both become the same columns, so one table shows either.
Rows are stored as JSON with the version and shown as stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from generator.errors import Problem, format_path

__all__ = ["Finding", "dump_findings", "finding", "load_findings", "split_cell"]

#: ``指标!F12（指标值）``, ``指标!F1``, ``资金!第1行``, ``指标``.
_CELL = re.compile(
    r"^(?P<sheet>[^!（]+?)"
    r"(?:!(?:(?P<column>[A-Z]{1,3})(?P<row>\d+)|第(?P<line>\d+)行))?"
    r"(?:（(?P<field>[^）]*)）)?$"
)


@dataclass(frozen=True)
class Finding:
    severity: str
    file: str
    sheet: str
    row: str
    column: str
    field: str
    message: str
    hint: str

    @property
    def is_error(self) -> bool:
        return self.severity == "错误"


def split_cell(cell: str) -> tuple[str, str, str, str]:
    """``指标!F12（指标值）`` → (sheet, row, column, header); unknown shapes go to sheet."""
    match = _CELL.match(cell)
    if match is None:
        return cell, "", "", ""
    row = match.group("row") or match.group("line") or ""
    return match.group("sheet"), row, match.group("column") or "", match.group("field") or ""


def finding(problem: Problem) -> Finding:
    where = problem.location
    sheet, row, column, header = split_cell(where.cell) if where.cell else ("", "", "", "")
    if not where.cell and where.line:
        row = str(where.line)
    return Finding(
        problem.severity.value,
        where.file,
        sheet,
        row,
        column,
        format_path(where.path) or header,
        problem.message,
        problem.hint,
    )


def _order(problems: Iterable[Problem]) -> list[Problem]:
    """Errors first, then warnings, each in file order: as the command line lists them."""
    return sorted(problems, key=lambda p: (not p.is_error, p.location.file, p.location.line))


def dump_findings(problems: Sequence[Problem]) -> str:
    return json.dumps([asdict(finding(p)) for p in _order(problems)], ensure_ascii=False)


def load_findings(text: str) -> list[Finding]:
    try:
        rows = json.loads(text or "[]")
    except ValueError:
        return []
    fields = Finding.__dataclass_fields__
    return [Finding(**{k: str(row.get(k, "")) for k in fields}) for row in rows]
