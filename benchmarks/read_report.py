"""How fast ``genreport import`` reads a report: run ``python benchmarks/read_report.py``.

Reads the bound volume of inputs/2024.yaml (four reports with their 自评表, 38 pages)
with the import's reader (one lxml parse of the body) and, for comparison, with
python-docx (paragraph texts and every table cell through ``row.cells``), and the text
of that volume as a .txt report; prints the median of each in milliseconds and one line
of JSON. The reader must stay well under a second for a 40-page volume.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def median_ms(action: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> int:
    from docx import Document

    from generator.authoring.reading.blocks import Paragraph
    from generator.authoring.reading.read import read_report
    from generator.pipeline import render_file

    files = render_file(ROOT / "inputs" / "2024.yaml").files
    volume = max((f for f in files if f.name.endswith(".docx")), key=lambda f: len(f.data))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "合订本.docx"
        path.write_bytes(volume.data)
        doc = read_report(path)
        text = Path(folder) / "合订本.txt"
        text.write_text(
            "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph)), encoding="utf-8"
        )

        def python_docx() -> None:
            opened: Any = Document(io.BytesIO(volume.data))
            [p.text for p in opened.paragraphs]
            [[c.text for c in row.cells] for t in opened.tables for row in t.rows]

        figures = {
            "blocks": len(doc.blocks),
            "docx_ms": round(median_ms(lambda: read_report(path), 15), 1),
            "python_docx_ms": round(median_ms(python_docx, 5), 1),
            "txt_ms": round(median_ms(lambda: read_report(text), 15), 1),
        }
    for key, value in figures.items():
        print(f"{key:>16}: {value}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
