"""Reports as the import's readers see them, for the recogniser tests.

Reports genreport writes are rendered in memory and read back with the product's own
reader; a plain-text volume is cut into its reports where a line starts as given
(the outline recognition does this in the product).
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from generator.authoring.reading.blocks import Block
from generator.authoring.reading.model import ReportPart
from generator.authoring.reading.read import read_report
from generator.authoring.reading.txt_read import text_blocks
from generator.pipeline import render_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "reports"


def part_of(blocks: Sequence[Block]) -> ReportPart:
    return ReportPart(title="", blocks=tuple(blocks), where="")


def text_parts(text: str, starts: Sequence[str] = ()) -> list[ReportPart]:
    """A volume of plain text cut where a line starts with one of ``starts``, in order."""
    lines = text.splitlines()
    cuts = [0]
    for start in starts:
        cuts.append(
            next(i for i, line in enumerate(lines) if i > cuts[-1] and line.startswith(start))
        )
    cuts.append(len(lines))
    pieces = ["\n".join(lines[a:b]) for a, b in itertools.pairwise(cuts)]
    return [part_of(text_blocks(piece)) for piece in pieces if piece.strip()]


def fixture_part(name: str) -> ReportPart:
    return text_parts((FIXTURES / name).read_text(encoding="utf-8"))[0]


@cache
def rendered(path: Path) -> tuple[ReportPart, ...]:
    """Each report genreport writes from ``path`` (not the volume), as read back."""
    result = render_file(path)
    files = result.files[:-1] if len(result.files) > 1 else result.files
    parts = []
    with tempfile.TemporaryDirectory() as folder:
        for written in files:
            target = Path(folder) / written.name
            target.write_bytes(written.data)
            parts.append(part_of(read_report(target).blocks))
    return tuple(parts)
