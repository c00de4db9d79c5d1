"""Interruption: a run killed at any moment leaves only whole reports, and the next run
produces everything; Ctrl-C, whenever it lands, ends with one line and exit code 130,
leaves no temporary file, and leaves the input's set of reports whole or untouched.

These start the real CLI as a subprocess on inputs/2024.yaml (four funds and a volume).
They take about a minute, are marked slow, and run in CI like every other test.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from generator.cli import INTERRUPTED
from generator.output.write import TEMP_PREFIX
from generator.render.fingerprint import is_unedited

from .conftest import EXAMPLES, ROOT, write_input

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals"),
]

INPUT = EXAMPLES[0]  # inputs/2024.yaml
RUNS = 20


def _start(
    out: Path, *inputs: Path, new_session: bool = False, flags: tuple[str, ...] = ()
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [
            sys.executable,
            *flags,
            "-m",
            "generator",
            *(str(i) for i in inputs or (INPUT,)),
            "-o",
            str(out),
        ],
        cwd=out.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=new_session,
    )


def _assert_only_whole_reports(out: Path, note: str) -> None:
    for path in out.rglob("*.docx"):
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None, f"{note}: {path.name} is corrupt"
        Document(str(path))
        assert is_unedited(path.read_bytes()) is True, f"{note}: {path.name} is partial"


def test_a_run_killed_at_random_moments_never_leaves_a_partial_report(
    run_cli, tmp_path: Path
) -> None:
    seed = int(os.environ.get("GENREPORT_KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    reference = tmp_path / "reference"
    durations = []
    for _ in range(2):  # the first run may be slowed by a cold start; time the faster one
        started = time.perf_counter()
        finished = _start(reference)
        _, err = finished.communicate(timeout=120)
        assert finished.returncode == 0, err.decode("utf-8")
        durations.append(time.perf_counter() - started)
    duration = min(durations)
    expected = sorted(p.name for p in (reference / "2024").glob("*.docx"))
    assert len(expected) == 5

    out = tmp_path / "out"
    killed_midway = temporaries = 0
    for run in range(RUNS):
        if run % 4 == 0:
            shutil.rmtree(out, ignore_errors=True)  # sometimes fresh, sometimes replacing
        out.mkdir(exist_ok=True)
        # Half the kills aim at the last stretch, where the files are written.
        delay = duration * (rng.uniform(0.6, 1.05) if run % 2 else rng.uniform(0.0, 1.0))
        process = _start(out)
        time.sleep(delay)
        process.kill()
        process.communicate(timeout=60)
        code = process.returncode
        killed_midway += code == -signal.SIGKILL
        note = f"seed {seed}, run {run + 1}, killed after {delay:.3f}s"
        _assert_only_whole_reports(out, note)
        temporaries += bool(list(out.rglob(f"{TEMP_PREFIX}*")))

        code, _, stderr = run_cli(str(INPUT), "-o", str(out))
        assert code == 0, f"{note}: {stderr}"
        year = out / "2024"
        assert sorted(p.name for p in year.glob("*.docx")) == expected, note
        assert not list(year.glob(f"{TEMP_PREFIX}*")), f"{note}: temporary files left"
        _assert_only_whole_reports(out, note)
    print(
        f"kill test: seed {seed}, {RUNS} runs, {killed_midway} killed mid-run, "
        f"{temporaries} left a temporary file behind"
    )
    assert killed_midway >= RUNS // 4, "kills must land while the run is still going"


@pytest.mark.parametrize("whole_group", [False, True], ids=["parent-only", "like-a-terminal"])
def test_ctrl_c_ends_with_one_line_and_exit_code_130(tmp_path: Path, whole_group: bool) -> None:
    """A terminal sends Ctrl-C to every process of the run, batch workers included."""
    out = tmp_path / "out"
    out.mkdir()
    # Many inputs (distinct units: a batch refuses two inputs writing the same files) make
    # the run long enough to be interrupted in the middle, in worker processes.
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    text = INPUT.read_text(encoding="utf-8")
    for n in range(80):
        write_input(
            inputs / f"{n:02d}.yaml", text, ("示例县医疗保障局", f"示例{n:02d}县医疗保障局")
        )
    process = _start(out, inputs, new_session=whole_group)
    time.sleep(1.5)
    if whole_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    lines = [line for line in stderr.decode("utf-8").splitlines() if line.strip()]
    assert process.returncode == 130, lines
    assert lines == [INTERRUPTED]
    _assert_only_whole_reports(out, "after Ctrl-C")
    assert not list(out.rglob(f"{TEMP_PREFIX}*"))


#: ``python -X importtime`` reports each import on stderr as it completes; this one
#: completes just before genreport's own code starts running.
ENTRY_IMPORTED = "| generator.cli"
CTRL_C_RUNS = 40


def _ours_started(process: subprocess.Popen[bytes], lines: list[str]) -> threading.Event:
    """Collect stderr on a thread; the event is set once genreport's code is running.

    ``_read_to_end(process)`` then waits until the thread has read the last line.
    """
    started = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode("utf-8").rstrip("\n")
            lines.append(line)
            if line.endswith(ENTRY_IMPORTED):
                started.set()
        started.set()  # ended before that: the assertions will say how

    reader = threading.Thread(target=read, daemon=True)
    _READERS[process.pid] = reader
    reader.start()
    return started


_READERS: dict[int, threading.Thread] = {}


def _read_to_end(process: subprocess.Popen[bytes]) -> None:
    """Wait for the stderr reader to reach the end (a busy machine may lag behind)."""
    _READERS.pop(process.pid).join(timeout=30)


def test_ctrl_c_whenever_it_lands_gives_one_line_130_and_no_temporary_file(
    tmp_path: Path,
) -> None:
    """From the first line of genreport's own code (imports included) to the last write.

    Before that, the interpreter itself is starting: a Ctrl-C there ends Python the way
    Python ends, which no program can change. Half the signals aim at the writes.
    """
    seed = int(os.environ.get("GENREPORT_KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    reference = tmp_path / "reference"
    durations = []
    for _ in range(2):  # the first run may be slowed by a cold start; time the faster one
        lines: list[str] = []
        finished = _start(reference, flags=("-X", "importtime"))
        assert _ours_started(finished, lines).wait(timeout=60)
        started = time.perf_counter()
        assert finished.wait(timeout=120) == 0, lines[-5:]
        durations.append(time.perf_counter() - started)
        _read_to_end(finished)
    duration = min(durations)
    expected = sorted(p.name for p in (reference / "2024").glob("*.docx"))
    out = tmp_path / "out"
    interrupted = 0
    for run in range(CTRL_C_RUNS):
        if run % 4 == 0:
            shutil.rmtree(out, ignore_errors=True)  # sometimes fresh, sometimes replacing
        out.mkdir(exist_ok=True)
        delay = duration * (rng.uniform(0.6, 1.05) if run % 2 else rng.uniform(0.0, 0.8))
        lines: list[str] = []
        process = _start(out, flags=("-X", "importtime"))
        assert _ours_started(process, lines).wait(timeout=60)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        _read_to_end(process)  # the last lines, however busy the machine
        said = [line for line in lines if line.strip() and not line.startswith("import time:")]
        note = f"seed {seed}, run {run + 1}, Ctrl-C {delay:.3f}s after start-up: {said}"
        if process.returncode == 0:  # the run was over before the signal
            assert said == [], note
        else:
            assert (process.returncode, said) == (130, [INTERRUPTED]), note
            interrupted += 1
        assert not list(out.rglob(f"{TEMP_PREFIX}*")), f"{note}: temporary file left"
        # One input, one set: all of its reports are there, or none ever were.
        assert sorted(p.name for p in out.rglob("*.docx")) in ([], expected), note
        _assert_only_whole_reports(out, note)
    print(f"Ctrl-C test: seed {seed}, {CTRL_C_RUNS} runs, {interrupted} interrupted")
    assert interrupted >= CTRL_C_RUNS // 2, "Ctrl-C must land while the run is still going"


def test_the_entry_point_loads_nothing_before_it_can_answer_ctrl_c() -> None:
    """``genreport`` imports generator.cli before calling run(): a Ctrl-C during that import
    would be Python's traceback, so it must load nothing the interpreter has not."""
    probe = (
        "import sys; before = set(sys.modules); import generator.cli; "
        "print(sorted(set(sys.modules) - before))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.strip() == "['generator', 'generator.cli']"


class _DropsItsInterrupt:
    """Python prints "Exception ignored" for an exception raised in ``__del__``, and goes on."""

    def __del__(self) -> None:
        raise KeyboardInterrupt


def _lost_in_del() -> None:
    _DropsItsInterrupt()


def _wrapped_by_python() -> None:
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as exc:  # as a class's __set_name__ does
        raise RuntimeError("Error calling __set_name__") from exc


@pytest.mark.parametrize("ctrl_c", [_lost_in_del, _wrapped_by_python], ids=["dropped", "wrapped"])
def test_a_ctrl_c_that_python_drops_or_wraps_is_still_answered(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ctrl_c: Callable[[], None]
) -> None:
    from generator import pipeline

    render = pipeline.render_file

    def interrupted_render(*args: Any, **kwargs: Any) -> Any:
        ctrl_c()
        return render(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render_file", interrupted_render)
    code, _, stderr = run_cli(str(INPUT), "-o", str(tmp_path / "out"))
    assert code == 130
    assert [line for line in stderr.splitlines() if line.strip()] == [INTERRUPTED]
