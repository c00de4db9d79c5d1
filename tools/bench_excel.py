"""Benchmark: what Excel support costs, printed as ratios (never asserted in tests).

1. Start-up of a YAML run (``genreport check inputs/2024.yaml``) as shipped, where
   openpyxl is imported only for .xlsx inputs, against the same run with openpyxl or
   pandas imported eagerly at start-up.
2. Reading the workbook twin of inputs/2024.yaml: genreport's openpyxl reader against
   pandas (openpyxl engine), pandas (calamine engine) and python-calamine alone.
   pandas and python-calamine are optional here; rows are skipped when absent.

Usage: python tools/bench_excel.py [runs]
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUT = ROOT / "inputs" / "2024.yaml"


def _startup(prelude: str, runs: int) -> float:
    code = (
        f"{prelude}\nfrom generator.cli import main\n"
        f"raise SystemExit(main(['check', {str(INPUT)!r}]))"
    )
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _timed(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    sys.path.insert(0, str(ROOT))
    base = _startup("", runs)
    print(f"YAML check start-up, median of {runs} runs: {base * 1000:.0f} ms (openpyxl lazy)")
    for name in ("openpyxl", "pandas"):
        if importlib.util.find_spec(name) is None:
            print(f"  {name}: not installed, skipped")
            continue
        eager = _startup(f"import {name}", runs)
        print(f"  with {name} imported eagerly: {eager * 1000:.0f} ms, ratio {eager / base:.2f}")

    from generator.authoring.convert import to_workbook
    from generator.inputs.excel.read import load_workbook_input

    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "2024.xlsx"
        book.write_bytes(to_workbook(INPUT))
        ours = _timed(lambda: load_workbook_input(book, book.name), runs)
        print(f"\nReading {INPUT.name}'s workbook twin, median of {runs} runs:")
        print(f"  genreport reader (openpyxl, formats/merges/formulas): {ours * 1000:.1f} ms")
        if importlib.util.find_spec("pandas") is not None:
            import pandas

            for engine in ("openpyxl", "calamine"):
                if engine == "calamine" and importlib.util.find_spec("python_calamine") is None:
                    continue
                took = _timed(
                    lambda engine=engine: pandas.read_excel(  # type: ignore[misc]
                        book, sheet_name=None, engine=engine
                    ),
                    runs,
                )
                print(
                    f"  pandas.read_excel(engine={engine}) values only: {took * 1000:.1f} ms,"
                    f" ratio {took / ours:.2f}"
                )
        if importlib.util.find_spec("python_calamine") is not None:
            from python_calamine import CalamineWorkbook

            def calamine() -> None:
                wb = CalamineWorkbook.from_path(str(book))
                for name in wb.sheet_names:
                    wb.get_sheet_by_name(name).to_python()

            took = _timed(calamine, runs)
            print(f"  python-calamine values only: {took * 1000:.1f} ms, ratio {took / ours:.2f}")


if __name__ == "__main__":
    main()
