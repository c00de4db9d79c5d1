"""``genreport import`` on last year's reports: what it recovers and how fast.

Run ``python benchmarks/import_report.py`` from the repository. Prints:

(a) for each seed report at hand (``GENREPORT_SEEDS`` or ``../shared/seeds``; the
    published texts are not part of the repository), the share of what the seed holds
    that the import recovered: reports, indicators (with target, with actual), money
    figures and sections, against the seed's own content as tests/seed_content.py lists it;
(b) the time to read and assemble the bound volume genreport writes for inputs/2024.yaml
    (about 40 pages, five funds), beside the time to render it, measured interleaved;
and last one line of JSON. Not a test: nothing here asserts.
"""

from __future__ import annotations

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

from generator.authoring.reading.assemble import assemble  # noqa: E402
from generator.authoring.reading.read import read_report  # noqa: E402
from generator.pipeline import render_file  # noqa: E402
from tests.seed_content import SEEDS, recovered  # noqa: E402
from tests.seeds import seeds_folder  # noqa: E402

STANDARD = ROOT / "inputs" / "2024.yaml"


def _median_seconds(action: Callable[[], Any], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seeds() -> dict[str, Any]:
    """The recovered share of each seed at hand."""
    folder = seeds_folder()
    shares: dict[str, Any] = {}
    for number, expected in SEEDS.items():
        found = sorted(folder.glob(f"{number:03d}_*.txt")) if folder.is_dir() else []
        if not found:
            print(f"seed {number:03d}: not at hand")
            continue
        document = read_report(found[0])
        counts = recovered(expected, document)
        shares[f"{number:03d}"] = counts
        line = "，".join(f"{what} {got}/{total}" for what, (got, total) in counts.items())
        print(f"seed {number:03d}: {line}")
    return shares


def speed() -> dict[str, float]:
    """Import of the ~40-page volume beside its rendering, interleaved."""
    rendered = render_file(STANDARD)
    volume = max((f for f in rendered.files if f.name.endswith(".docx")), key=lambda f: len(f.data))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / volume.name
        path.write_bytes(volume.data)
        read = _median_seconds(lambda: read_report(path))
        whole = _median_seconds(lambda: assemble(read_report(path)))
        render = _median_seconds(lambda: render_file(STANDARD), repeat=3)
    print(f"read the volume: {read * 1000:.0f} ms; read and assemble: {whole * 1000:.0f} ms")
    print(f"render the same input: {render * 1000:.0f} ms; import ÷ render = {whole / render:.2f}")
    return {"read_s": read, "import_s": whole, "render_s": render}


def main() -> None:
    result = {"seeds": seeds(), "speed": speed()}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
