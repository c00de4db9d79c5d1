"""``genreport import REPORT.docx|REPORT.txt``: last year's report as this project's input.

Reading, recognising and writing live in :mod:`generator.authoring.reading`; this module
adds what a user needs around them: the checker's view of the result, so that figures
of the old report that disagree with each other are known before the first year starts.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.authoring.reading.assemble import Assembled, Given, assemble
from generator.authoring.reading.read import read_report
from generator.core.markers import TO_CONFIRM, TO_FILL
from generator.errors import InputError, Problem
from generator.inputs.source import FieldPath
from generator.pipeline import check_file

__all__ = ["ImportedReport", "import_report"]


@dataclass(frozen=True)
class ImportedReport:
    """The input text, what it holds, and what ``check`` says of it as imported."""

    assembled: Assembled
    findings: tuple[Problem, ...]
    """Problems ``check`` finds in the imported input, other than the 【待核对】 marks."""


def import_report(path: Path, output: Path, given: Given | None = None) -> ImportedReport:
    """Read ``path`` (.docx or .txt) and assemble its input for ``output``; nothing is written."""
    assembled = assemble(read_report(path), given)
    findings = _checked(assembled.text, output)
    if _ask_for_missing(assembled, findings):
        findings = _checked(assembled.text, output)
    return ImportedReport(assembled, findings)


#: What the checker may require that an old report simply does not say (why a missed
#: target was missed): a 待填 place marked 【待核对】 rather than an input that does not load.
_MAY_BE_UNSAID = ("偏差原因",)


def _ask_for_missing(assembled: Assembled, findings: tuple[Problem, ...]) -> bool:
    """Put a 待填 value where the checker asks for a key the imported input lacks."""
    added = False
    for problem in findings:
        path = problem.location.path
        if path and path[-1] in _MAY_BE_UNSAID and _lacks(assembled.data, path):
            assembled.fill(path, f"{TO_FILL}：原报告未写", "原报告未写，请补充")
            added = True
    return added


def _lacks(data: Any, path: FieldPath) -> bool:
    """Whether the mapping at ``path[:-1]`` exists and has no key ``path[-1]``."""
    target = data
    for part in path[:-1]:
        try:
            target = target[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(target, dict) and path[-1] not in target


def _checked(text: str, output: Path) -> tuple[Problem, ...]:
    """Run the checker on the imported text as if the user ran ``genreport check`` on it."""
    with tempfile.TemporaryDirectory(prefix="genreport-import-") as folder:
        probe = Path(folder) / "导入.yaml"
        probe.write_text(text, encoding="utf-8")
        try:
            problems: tuple[Problem, ...] = check_file(probe).warnings
        except InputError as exc:
            problems = tuple(exc.problems)
    return tuple(_renamed(p, str(output)) for p in problems if TO_CONFIRM not in p.message)


def _renamed(problem: Problem, name: str) -> Problem:
    """The problem as it will read once the input is written under its real name."""
    return dataclasses.replace(problem, location=dataclasses.replace(problem.location, file=name))
