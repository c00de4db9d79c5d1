"""Many inputs in one run: rendered in worker processes, written by this one.

Rendering is the CPU work and runs in parallel; writing stays in the parent so that
output names can be checked for collisions between inputs before anything is written,
and so each directory's manifest has a single writer. Results are taken in input order
(a small window runs ahead), which keeps the output deterministic and memory flat.
One bad input never stops the others.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import pipeline
from generator.errors import GenreportError, InputError, Location, Problem
from generator.inputs.source import INPUT_SUFFIXES
from generator.output.write import OutputWriter, WriteFailed
from generator.pipeline import (
    Checked,
    Generated,
    Rendered,
    generated_rows,
    output_folder,
    write_rendered,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["Outcome", "check_all", "collect_inputs", "default_jobs", "run_batch"]

#: What a directory given on the command line contributes: YAML files and workbooks.
#: Inputs submitted ahead of the one being written, per worker.
_AHEAD = 4


@dataclass(frozen=True)
class Outcome:
    """What became of one input: its rows when written, or why not.

    A write that failed part-way and could not be undone has both: the problem, and
    ``generated`` listing the files that are nevertheless new on disk.
    """

    input: str
    generated: Generated | None = None
    problems: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.generated is not None and not any(p.is_error for p in self.problems)

    @property
    def written(self) -> int:
        """How many of this input's files are on disk in their new version."""
        return len(self.generated.rows) if self.generated is not None else 0


def _is_input(path: Path, root: Path) -> bool:
    hidden = any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)
    return path.is_file() and path.suffix.lower() in INPUT_SUFFIXES and not hidden


def collect_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Files as given; a directory stands for every input under it, sorted by path."""
    found: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            inside = sorted(
                (p for p in path.rglob("*") if _is_input(p, path)),
                key=lambda p: p.relative_to(path).parts,
            )
            if not inside:
                suffixes = "、".join(INPUT_SUFFIXES)
                problems.append(Problem(Location(str(path)), f"目录中没有输入文件（{suffixes}）"))
        else:
            inside = [path]
        for item in inside:
            try:
                key = item.resolve()
            except (OSError, RuntimeError):  # a symlink loop: the loader says so in Chinese
                key = Path(os.path.abspath(item))
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found, problems


def check_all(given: Sequence[Path], *, templates: Path | None = None) -> list[Checked]:
    """Check every input (directories expanded); one InputError lists every problem of all.

    Roll-ups and summaries need all inputs at once: a county's problem is reported with
    the others' instead of stopping at the first file.
    """
    paths, problems = collect_inputs(given)
    checked = []
    for path in paths:
        try:
            checked.append(pipeline.check_file(path, templates=templates))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return checked


def default_jobs() -> int:
    """One worker per core the process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class _Options:
    """What every input of a run is generated with (crosses to the workers)."""

    templates: Path | None = None
    strict: bool = False
    previous: Path | None = None
    xlsx: bool = False  # each fund's 自评表 also as a workbook


def _render(path: Path, options: _Options) -> Rendered | tuple[Problem, ...]:
    """Worker body: every failure becomes located problems, never an exception."""
    try:
        return pipeline.render_file(
            path,
            templates=options.templates,
            strict=options.strict,
            previous=options.previous,
            xlsx=options.xlsx,
        )
    except InputError as exc:
        return tuple(exc.problems)
    except GenreportError as exc:
        located = getattr(exc, "problems", None)  # a broken rule or wording file
        return tuple(located) if located else (Problem(Location(str(path)), str(exc)),)
    except Exception as exc:  # a bug must not stop the other inputs
        if isinstance(exc.__cause__, KeyboardInterrupt):
            raise  # Ctrl-C, wrapped by Python (in a class's __set_name__): not a bug
        return (Problem(Location(str(path)), f"内部错误：{type(exc).__name__}: {exc}"),)


def _worker_init() -> None:
    """Leave Ctrl-C to the parent process.

    A terminal sends it to every process of the run: workers that raised too would each
    print a traceback. The parent stops the workers (:func:`_stop_workers`), says so in
    one line and exits 130.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _results(
    inputs: Sequence[Path],
    jobs: int,
    options: _Options,
    started: Callable[[], None],
) -> Generator[tuple[Path, Rendered | tuple[Problem, ...]], None, None]:
    """Render results in input order: in this process for one worker, else in a pool."""
    if jobs <= 1:
        started()
        for path in inputs:
            yield path, _render(path, options)
        return
    # Imported here: a single input runs in this process and need not pay for it.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
        waiting: deque[tuple[Path, Future[Rendered | tuple[Problem, ...]]]] = deque()
        queue = iter(inputs)

        def submit() -> None:
            path = next(queue, None)
            if path is not None:
                waiting.append((path, pool.submit(_render, path, options)))

        for _ in range(jobs * _AHEAD):
            submit()
        # Workers exist now (they are forked on the first submit), so a progress thread
        # started from here on is never copied into them.
        started()
        try:
            while waiting:
                path, future = waiting.popleft()
                try:
                    result = future.result()
                except BrokenProcessPool:
                    result = (
                        Problem(
                            Location(str(path)),
                            "工作进程意外退出（可能内存不足），未生成该输入的文件",
                        ),
                    )
                submit()
                yield path, result
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            _stop_workers()
            raise


def _stop_workers() -> None:
    """End the workers now: they only render in memory, so nothing of value is lost.

    Shutting the pool down without waiting leaves them finishing the input in hand,
    and a process that then leaves at once (as an interrupted run does) would orphan
    them; waiting for them would delay the answer to a Ctrl-C.
    """
    import multiprocessing

    workers = multiprocessing.active_children()
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(timeout=5)


def run_batch(
    inputs: Sequence[Path],
    output_dir: Path,
    *,
    jobs: int,
    templates: Path | None = None,
    strict: bool = False,
    previous: Path | None = None,
    force: bool = False,
    xlsx: bool = False,
    started: Callable[[], None] = lambda: None,
    done: Callable[[Outcome], None] = lambda _: None,
    noted: Callable[[str], None] = lambda _: None,
) -> list[Outcome]:
    """Generate every input; ``done`` is called once per input, in input order.

    Each input's files are written as one set: all of them, or none (then the folder is
    as it was), or — when a failed set cannot even be undone — exactly the ones its
    outcome lists. ``noted`` receives what concerns the run rather than one input (a
    manifest that could not be saved). ``previous`` (last year's input) applies to every
    input, as ``--previous`` does for one; ``force`` overwrites hand-edited outputs
    instead of moving them aside.
    """
    jobs = max(1, min(jobs, len(inputs)))
    options = _Options(templates, strict, previous, xlsx)
    claimed: dict[str, str] = {}
    outcomes: list[Outcome] = []
    writer = OutputWriter(force=force)
    # Closed on the way out, interrupted or not: its worker pool is shut down there.
    results = _results(inputs, jobs, options, started)
    try:
        for path, result in results:
            if isinstance(result, Rendered):
                clash = _collision(result, output_dir, claimed)
                outcome = (
                    _write(path, result, output_dir, writer)
                    if clash is None
                    else Outcome(str(path), None, (clash,))
                )
            else:
                outcome = Outcome(str(path), None, result)
            outcomes.append(outcome)
            done(outcome)
    except BaseException:
        results.close()
        writer.close()  # what was written stays protected; the interruption is the news
        raise
    for text in writer.close():
        noted(text)
    return outcomes


def _write(path: Path, rendered: Rendered, output_dir: Path, writer: OutputWriter) -> Outcome:
    """Write one input's set; a failure names the input and says what is on disk."""
    try:
        return Outcome(str(path), write_rendered(rendered, output_dir, writer))
    except WriteFailed as exc:
        problem = Problem(Location(str(path)), str(exc))
        partial = generated_rows(rendered, exc.written) if exc.written else None
        return Outcome(str(path), partial, (problem, *rendered.warnings))
    except GenreportError as exc:
        problem = Problem(Location(str(path)), str(exc))
        return Outcome(str(path), None, (problem, *rendered.warnings))


def _collision(rendered: Rendered, output_dir: Path, claimed: dict[str, str]) -> Problem | None:
    """Refuse an input whose output would overwrite another input's output in this run."""
    folder = output_folder(output_dir, rendered.year)
    keys = {f.name: str((folder / f.name).resolve()).casefold() for f in rendered.files}
    for name, key in keys.items():
        other = claimed.get(key)
        if other is not None:
            return Problem(
                Location(rendered.input),
                f"输出文件“{folder / name}”与 {other} 的输出重名（单位、年度和资金名称相同），"
                "本输入的文件均未写入；请检查是否重复输入，或修改“报告.单位”",
            )
    for key in keys.values():
        claimed[key] = rendered.input
    return None
