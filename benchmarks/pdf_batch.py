"""What ``--pdf`` costs a batch: 40 one-fund inputs with and without it, side by side.

Run ``python benchmarks/pdf_batch.py`` from the repository, or import :func:`pdf_batch`
(bench.py adds ``pdf_vs_docx`` to its JSON line). Both commands run in fresh processes,
interleaved round by round so a noisy machine hurts both alike; medians are reported.
``pdf_vs_docx`` is the wall time with ``--pdf`` divided by the wall time without.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench import standard_fund_input  # noqa: E402  (a sibling script, not a package)

__all__ = ["pdf_batch"]

#: Inputs in the batch, as the issue sets it.
COUNT = 40


def _inputs(folder: Path, count: int) -> Path:
    inputs = folder / f"pdf-inputs-{count}"
    if not inputs.exists():
        inputs.mkdir(parents=True)
        for i in range(count):
            (inputs / f"{i:04d}.yaml").write_text(
                standard_fund_input(f"示例{i:04d}县医疗保障局"), encoding="utf-8"
            )
    return inputs


def _run(inputs: Path, out: Path, pdf: bool, count: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "generator", str(inputs), "-o", str(out)]
    start = time.perf_counter()
    subprocess.run(
        [*command, *(["--pdf"] if pdf else [])],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    suffix = "pdf" if pdf else "docx"
    produced = len(list((out / "2024").glob(f"*.{suffix}")))
    if produced != count:
        raise SystemExit(f"{count} 个输入：只写出 {produced} 个 .{suffix}")
    return elapsed


def pdf_batch(folder: Path, rounds: int = 3, count: int = COUNT) -> dict[str, float]:
    """Median wall seconds of ``genreport DIR`` and ``genreport DIR --pdf``, and their ratio."""
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    inputs = _inputs(folder, count)
    _run(inputs, folder / "pdf-warmup", False, count)  # bytecode and template caches
    samples: dict[str, list[float]] = {"docx_s": [], "pdf_s": []}
    for i in range(rounds):
        order = [False, True] if i % 2 == 0 else [True, False]
        for pdf in order:
            key = "pdf_s" if pdf else "docx_s"
            samples[key].append(_run(inputs, folder / f"pdf-out-{key}", pdf, count))
    docx = statistics.median(samples["docx_s"])
    with_pdf = statistics.median(samples["pdf_s"])
    return {"docx_s": docx, "pdf_s": with_pdf, "pdf_vs_docx": with_pdf / docx}


def main() -> None:
    parser = argparse.ArgumentParser(description="--pdf 对批量生成的耗时影响")
    parser.add_argument("--rounds", type=int, default=3, help="轮数（取中位数）")
    parser.add_argument("--count", type=int, default=COUNT, help="输入个数（每个一项资金）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="genreport-pdf-bench-") as tmp:
        result = pdf_batch(Path(tmp), args.rounds, args.count)
    print(f"{args.count} 个一项资金的输入：不加 --pdf {result['docx_s']:.2f} 秒，")
    print(f"加 --pdf {result['pdf_s']:.2f} 秒，比值 pdf_vs_docx = {result['pdf_vs_docx']:.2f}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
