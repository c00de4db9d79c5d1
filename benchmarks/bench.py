"""genreport's speed against the floor: run ``python benchmarks/bench.py`` from the repository.

Measures in one run, on the standard input (the 30-row 城乡居民医保 fund of
inputs/2024.yaml), and prints each figure and ratio:

(a) genreport's render + write per document (context → final .docx bytes → file);
(b) a naive docxtpl loop (new DocxTemplate, render, save per document), same template
    and context;
(c) the floor: writing the same final .docx entries with zipfile;
then a/c, b/c; the CLI wall time for ``genreport inputs/2024.yaml`` divided by the time of
``python -c "import docx, jinja2, lxml"``; ``genreport check`` and ``genreport`` on the
largest valid input (tests/fixtures/large/最大输入.yaml, written by largest_input.py from
generator/limits.py), interleaved with the standard CLI run; 10, 100 and 1,000 documents (one input each,
default worker count), each size in a fresh process, with wall time and peak memory
(largest resident set of the main process or any worker); and last one line of JSON.
Child processes use a bytecode cache (as after ``pip install``) in a temporary directory.

The machine may be noisy: measurements are interleaved and repeated, medians reported.
Not a test: nothing here asserts; the figures go in the README.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STANDARD = ROOT / "inputs" / "2024.yaml"
LARGEST = ROOT / "tests" / "fixtures" / "large" / "最大输入.yaml"
sys.path.insert(0, str(ROOT))


def standard_fund_input(unit: str) -> str:
    """inputs/2024.yaml with only its first fund (30 indicator rows), for ``unit``."""
    text = STANDARD.read_text(encoding="utf-8")
    head, funds = text.split("\n项目:\n", 1)
    first = "  - 类型:" + funds.split("\n  - 类型:")[1]
    return f"{head}\n项目:\n{first}\n".replace("单位: 示例县医疗保障局", f"单位: {unit}", 1)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def per_document(rounds: int, folder: Path) -> dict[str, float]:
    """(a), (b) and (c), interleaved round by round on the same context and template."""
    from generator.config.search import find_template, template_dirs
    from generator.pipeline import check_file
    from generator.render.deterministic_zip import read_parts
    from generator.render.docx_jinja import docx_class, sentence
    from generator.render.sandbox import BoundedSandbox
    from generator.render.template import load_template, render_document

    source = folder / "standard.yaml"
    source.write_text(standard_fund_input("示例县医疗保障局"), encoding="utf-8")
    ctx = check_file(source).contexts[0]
    template = find_template(ctx.fund.outline, ctx.fund.fund.type, template_dirs())
    load_template(template)  # compiled once per process, as in a run
    values = ctx.printed  # what the pipeline renders: with the marks for the bookmarks
    meta = {"title": values["标题"], "author": "示例县医疗保障局", "created": None}
    final = render_document(values, template, **meta)
    entries = read_parts(final)

    def genreport() -> None:
        data = render_document(values, template, **meta)
        (folder / "a.docx").write_bytes(data)

    # docxtpl as documented, with the same bounded sandbox and our vmerge tag (the
    # templates need it), but nothing kept between documents.
    docx_template = docx_class()
    plain = BoundedSandbox(autoescape=True)
    plain.filters["成句"] = sentence

    def naive() -> None:
        document = docx_template(str(template))
        document.render(values, jinja_env=plain)
        document.save(str(folder / "b.docx"))

    def floor() -> None:
        with zipfile.ZipFile(folder / "c.docx", "w", compression=zipfile.ZIP_DEFLATED) as out:
            for name, data in entries.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, data, compresslevel=6)

    def genreport_memory() -> None:
        render_document(values, template, **meta)

    def floor_memory() -> None:
        with zipfile.ZipFile(io.BytesIO(), "w", compression=zipfile.ZIP_DEFLATED) as out:
            for name, data in entries.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, data, compresslevel=6)

    runs: dict[str, Callable[[], None]] = {
        "a": genreport,
        "b": naive,
        "c": floor,
        "a_mem": genreport_memory,
        "c_mem": floor_memory,
    }
    samples: dict[str, list[float]] = {name: [] for name in runs}
    order = list(runs)
    for i in range(rounds):
        for name in order[i % len(order) :] + order[: i % len(order)]:  # no step always first
            repeat = 1 if name == "b" else 5
            start = time.perf_counter()
            for _ in range(repeat):
                runs[name]()
            samples[name].append((time.perf_counter() - start) / repeat)
    rows = len(values["自评表"]["指标行"])
    return {"rows": rows, **{name: median_ms(s) for name, s in samples.items()}}


def wall(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def cli_vs_import(rounds: int, folder: Path) -> dict[str, float]:
    """The CLI on inputs/2024.yaml (five documents) against importing its libraries."""
    cli = [sys.executable, "-m", "generator", str(STANDARD), "-o", str(folder / "cli")]
    floor = [sys.executable, "-c", "import docx, jinja2, lxml"]
    cold = wall(cli, ROOT)  # compiles the templates (and the bytecode) into the caches
    wall(floor, ROOT)  # the floor's bytecode too
    samples: dict[str, list[float]] = {"cli": [], "import": []}
    for _ in range(rounds):
        samples["import"].append(wall(floor, ROOT))
        samples["cli"].append(wall(cli, ROOT))
    return {"cold_ms": cold * 1000, **{name: median_ms(s) for name, s in samples.items()}}


def largest(rounds: int, folder: Path) -> dict[str, float]:
    """``check`` and a full run on the largest valid input, beside the standard CLI run.

    The promise is an answer within 10 seconds for any valid input; the ratio to the
    standard run tells a slow machine from a slow change.
    """
    base = [sys.executable, "-m", "generator"]
    standard = [*base, str(STANDARD), "-o", str(folder / "standard")]
    check = [*base, "check", str(LARGEST)]
    wall(standard, ROOT)  # caches warm, as in cli_vs_import
    samples: dict[str, list[float]] = {"standard": [], "check": [], "generate": []}
    for i in range(rounds):
        samples["standard"].append(wall(standard, ROOT))
        samples["check"].append(wall(check, ROOT))
        generate = [*base, str(LARGEST), "-o", str(folder / f"largest-{i}")]
        samples["generate"].append(wall(generate, ROOT))
    return {name: statistics.median(s) for name, s in samples.items()}


def help_vs_python(rounds: int) -> dict[str, float]:
    """``genreport --help`` against a bare interpreter: what a user waits for before anything."""
    shown = [sys.executable, "-m", "generator", "--help"]
    bare = [sys.executable, "-c", "pass"]
    wall(shown, ROOT)  # bytecode into the cache, as after pip install
    samples: dict[str, list[float]] = {"help": [], "python": []}
    for _ in range(rounds):
        samples["python"].append(wall(bare, ROOT))
        samples["help"].append(wall(shown, ROOT))
    return {name: median_ms(s) for name, s in samples.items()}


RUNNER = """
import json, resource, sys, time
from generator.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
elapsed = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "inner_s": elapsed, "self_kb": own, "workers_kb": workers}))
"""


def many(count: int, folder: Path) -> dict[str, float]:
    """``count`` one-fund inputs generated by one command in a fresh process."""
    inputs = folder / f"inputs-{count}"
    if not inputs.exists():
        inputs.mkdir()
        for i in range(count):
            (inputs / f"{i:04d}.yaml").write_text(
                standard_fund_input(f"示例{i:04d}县医疗保障局"), encoding="utf-8"
            )
    out = folder / f"out-{count}"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(inputs), "-o", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["code"] != 0:
        raise SystemExit(f"{count} documents: genreport exited {report['code']}")
    produced = len(list((out / "2024").glob("*.docx")))
    if produced != count:
        raise SystemExit(f"{count} documents: {produced} written")
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # ru_maxrss: KB (macOS: bytes)
    return {
        "wall_s": elapsed,
        "self_mb": report["self_kb"] / scale,
        "workers_mb": report["workers_kb"] / scale,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="genreport 性能基准（打印各项数字与比值）")
    parser.add_argument("--rounds", type=int, default=15, help="每项测量的轮数（取中位数）")
    parser.add_argument("--repeat", type=int, default=3, help="10/100/1000 份文档各运行几次")
    parser.add_argument("--large-rounds", type=int, default=3, help="最大输入运行几轮（取中位数）")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    with tempfile.TemporaryDirectory(prefix="genreport-bench-") as tmp:
        folder = Path(tmp)
        # Child processes keep compiled bytecode, as an installed package has it (pip
        # compiles on install), even where PYTHONDONTWRITEBYTECODE is set; in a
        # temporary directory, so the repository is left alone.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
        doc = per_document(args.rounds, folder)
        print(f"标准输入：inputs/2024.yaml 第一项资金（自评表 {doc['rows']} 行）")
        print(f"(a) genreport 渲染+写入，每份：{doc['a']:.2f} ms")
        print(f"(b) 朴素 docxtpl 循环，每份：  {doc['b']:.2f} ms")
        print(f"(c) 下限：zipfile 写同样内容：  {doc['c']:.2f} ms")
        print(f"a/c = {doc['a'] / doc['c']:.2f}    b/c = {doc['b'] / doc['c']:.2f}")
        print(
            f"（只在内存中：genreport {doc['a_mem']:.2f} ms，zipfile {doc['c_mem']:.2f} ms，"
            f"比值 {doc['a_mem'] / doc['c_mem']:.2f}）"
        )

        cli = cli_vs_import(args.rounds, folder)
        ratio = cli["cli"] / cli["import"]
        print(
            f"CLI genreport inputs/2024.yaml：{cli['cli']:.0f} ms（首次运行，编译模板：{cli['cold_ms']:.0f} ms）"
        )
        print(f"import docx, jinja2, lxml：     {cli['import']:.0f} ms    比值 {ratio:.2f}")

        start = help_vs_python(args.rounds)
        help_ratio = start["help"] / start["python"]
        print(
            f"genreport --help：{start['help']:.0f} ms    python -c pass：{start['python']:.0f} ms"
            f"    比值 {help_ratio:.2f}"
        )

        from generator import limits

        large = largest(args.large_rounds, folder)
        print(
            f"最大输入（{limits.MAX_FUNDS} 项资金、共 {limits.MAX_TOTAL_INDICATORS} 个指标、"
            f"文字近 {limits.MAX_TOTAL_TEXT // 10000} 万字）：genreport check {large['check']:.2f} s，"
            f"genreport {large['generate']:.2f} s（上限 10 s）；同时测得标准输入 "
            f"{large['standard'] * 1000:.0f} ms，比值 {large['generate'] / large['standard']:.1f}"
        )

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from pdf_batch import COUNT, pdf_batch

        pdf = pdf_batch(folder / "pdf", rounds=args.repeat)
        print(
            f"{COUNT} 个单项资金输入：不加 --pdf {pdf['docx_s']:.2f} s，加 --pdf {pdf['pdf_s']:.2f} s，"
            f"比值 pdf_vs_docx = {pdf['pdf_vs_docx']:.2f}"
        )

        sizes: dict[int, list[dict[str, float]]] = {10: [], 100: [], 1000: []}
        for _ in range(args.repeat):
            for count in sizes:
                sizes[count].append(many(count, folder))
        figures: dict[int, dict[str, float]] = {}
        for count, runs in sizes.items():
            figures[count] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            f = figures[count]
            print(
                f"{count:>5} 份：{f['wall_s']:.2f} s，峰值内存 主进程 {f['self_mb']:.0f} MB、"
                f"工作进程 {f['workers_mb']:.0f} MB"
            )
        linear = figures[1000]["wall_s"] / figures[100]["wall_s"]
        mem = {n: max(f["self_mb"], f["workers_mb"]) for n, f in figures.items()}
        print(f"t1000/t100 = {linear:.2f}    mem1000/mem10 = {mem[1000] / mem[10]:.2f}")
        result: dict[str, Any] = {
            "render_vs_floor": round(doc["a"] / doc["c"], 2),
            "naive_vs_floor": round(doc["b"] / doc["c"], 2),
            "cli_vs_import": round(ratio, 2),
            "help_vs_python": round(help_ratio, 2),
            "largest_check_s": round(large["check"], 2),
            "largest_generate_s": round(large["generate"], 2),
            "largest_vs_standard": round(large["generate"] / large["standard"], 1),
            "pdf_vs_docx": round(pdf["pdf_vs_docx"], 2),
            "t10_s": round(figures[10]["wall_s"], 2),
            "t100_s": round(figures[100]["wall_s"], 2),
            "t1000_s": round(figures[1000]["wall_s"], 2),
            "mem10_mb": round(mem[10], 1),
            "mem1000_mb": round(mem[1000], 1),
        }
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
