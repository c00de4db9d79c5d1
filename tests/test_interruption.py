"""Interruption: a run killed at any moment leaves only whole reports, and the next run
produces everything; Ctrl-C ends with one line and exit code 130.

These start the real CLI as a subprocess on inputs/2024.yaml (four funds and a volume).
They take about half a minute, are marked slow, and run in CI like every other test.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

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


def _start(out: Path, *inputs: Path, new_session: bool = False) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *(str(i) for i in inputs or (INPUT,)), "-o", str(out)],
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
