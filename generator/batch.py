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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import pipeline
from generator.errors import GenreportError, InputError, Location, Problem
from generator.inputs.source import INPUT_SUFFIXES
from generator.output.write import OutputWriter
from generator.pipeline import Generated, Rendered, output_folder, write_rendered

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["Outcome", "collect_inputs", "default_jobs", "run_batch"]

#: What a directory given on the command line contributes: YAML files and workbooks.
#: Inputs submitted ahead of the one being written, per worker.
_AHEAD = 4


@dataclass(frozen=True)
class Outcome:
    """What became of one input: its rows when written, or why not."""

    input: str
    generated: Generated | None = None
    problems: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.generated is not None


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
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found, problems


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


def _render(path: Path, options: _Options) -> Rendered | tuple[Problem, ...]:
    """Worker body: every failure becomes located problems, never an exception."""
    try:
        return pipeline.render_file(
            path, templates=options.templates, strict=options.strict, previous=options.previous
        )
    except InputError as exc:
        return tuple(exc.problems)
    except GenreportError as exc:
        located = getattr(exc, "problems", None)  # a broken rule or wording file
        return tuple(located) if located else (Problem(Location(str(path)), str(exc)),)
    except Exception as exc:  # a bug must not stop the other inputs
        return (Problem(Location(str(path)), f"内部错误：{type(exc).__name__}: {exc}"),)


def _worker_init() -> None:
    """Leave Ctrl-C to the parent process.

    A terminal sends it to every process of the run: workers that raised too would each
    print a traceback. The parent stops submitting, says so in one line and exits 130;
    a worker finishes the input in hand, which the parent no longer writes.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _results(
    inputs: Sequence[Path],
    jobs: int,
    options: _Options,
    started: Callable[[], None],
) -> Iterator[tuple[Path, Rendered | tuple[Problem, ...]]]:
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
            raise


def run_batch(
    inputs: Sequence[Path],
    output_dir: Path,
    *,
    jobs: int,
    templates: Path | None = None,
    strict: bool = False,
    previous: Path | None = None,
    force: bool = False,
    started: Callable[[], None] = lambda: None,
    done: Callable[[Outcome], None] = lambda _: None,
) -> list[Outcome]:
    """Generate every input; ``done`` is called once per input, in input order.

    ``previous`` (last year's input) applies to every input, as ``--previous`` does for
    one; ``force`` overwrites hand-edited outputs instead of moving them aside.
    """
    jobs = max(1, min(jobs, len(inputs)))
    options = _Options(templates, strict, previous)
    claimed: dict[str, str] = {}
    outcomes: list[Outcome] = []
    with OutputWriter(force=force) as writer:
        for path, result in _results(inputs, jobs, options, started):
            if isinstance(result, Rendered):
                clash = _collision(result, output_dir, claimed)
                if clash is None:
                    try:
                        outcome = Outcome(str(path), write_rendered(result, output_dir, writer))
                    except GenreportError as exc:
                        outcome = Outcome(
                            str(path), None, (Problem(Location(str(path)), str(exc)),)
                        )
                else:
                    outcome = Outcome(str(path), None, (clash,))
            else:
                outcome = Outcome(str(path), None, result)
            outcomes.append(outcome)
            done(outcome)
    return outcomes


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
