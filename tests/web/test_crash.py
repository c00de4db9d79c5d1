"""Kill -9 the real server during a generation: nothing accepted is lost, nothing half is served.

A real ``genreport serve`` (uvicorn) on 127.0.0.1 and a free port; a county's first upload
is accepted, then a 48-fund input is uploaded and the server is killed while that version
is still running. After a restart the first version's files download byte for byte, the
interrupted version is reported as failed, and the store holds no partial file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from generator.output.write import TEMP_PREFIX
from generator.web.store import sha256
from generator.web.workbench import INTERRUPTED

from ..conftest import ROOT, VALID_INPUT
from .conftest import PASSWORD, csrf_of, make_accounts

pytestmark = pytest.mark.slow

#: Bounds of every wait in this module, in seconds.
START_TIMEOUT = 60
RUN_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def server(data: Path, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--data", str(data), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/login", timeout=2).status_code == 200:
                    break
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield process, url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=RUN_TIMEOUT, follow_redirects=True)
    page = client.get("/login")
    client.post(
        "/login", data={"csrf": csrf_of(page.text), "username": "county", "password": PASSWORD}
    )
    return client


def _upload(client: httpx.Client, name: str, data: bytes) -> httpx.Response:
    token = csrf_of(client.get("/units/1").text)
    return client.post(
        "/units/1/upload", data={"csrf": token, "year": "2024"}, files={"file": (name, data)}
    )


def _statuses(data: Path) -> dict[int, str]:
    with contextlib.closing(
        sqlite3.connect(f"file:{data / 'genreport.sqlite3'}?mode=ro", uri=True)
    ) as db:
        return dict(db.execute("SELECT id, status FROM versions"))


def _big_input() -> bytes:
    """Four funds twelve times over: about two seconds to generate, long enough to kill."""
    text = (ROOT / "inputs" / "2024.yaml").read_text(encoding="utf-8")
    head, marker, funds = text.partition("\n项目:\n")
    unit = next(line for line in head.splitlines() if line.strip().startswith("单位:"))
    head = head.replace(unit, "  单位: 测试县医疗保障局")
    return (head + marker + funds * 12).encode("utf-8")


def test_a_killed_generation_loses_nothing_and_is_reported_failed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    make_accounts(data)
    log = tmp_path / "server.log"
    with server(data, log) as (process, url):
        client = _signed_in(url)
        first = _upload(client, "2024.yaml", VALID_INPUT.read_bytes())
        assert "检查完成，未发现问题" in first.text
        kept = {
            "input": client.get("/versions/1/input").content,
            "zip": client.get("/versions/1/reports.zip").content,
        }
        worker = threading.Thread(
            target=_quietly,
            args=(_upload, _signed_in(url), "大输入.yaml", _big_input()),
            daemon=True,
        )
        worker.start()
        deadline = time.monotonic() + RUN_TIMEOUT
        while _statuses(data).get(2) != "running":
            assert time.monotonic() < deadline, "the second upload never started"
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=RUN_TIMEOUT)
        worker.join(timeout=RUN_TIMEOUT)
    assert _statuses(data) == {1: "accepted", 2: "running"}  # killed mid-generation

    with server(data, log) as (_process, url):
        client = _signed_in(url)
        assert _statuses(data) == {1: "accepted", 2: "failed"}
        assert INTERRUPTED in client.get("/versions/2").text
        assert client.get("/versions/1/input").content == kept["input"]
        assert client.get("/versions/1/reports.zip").content[:2] == b"PK"
        unit_page = client.get("/units/1?year=2024").text
        assert '当前版本：<a href="/versions/1">' in unit_page
    stored = [p for p in (data / "store").rglob("*") if p.is_file()]
    assert not [p for p in stored if p.name.startswith(TEMP_PREFIX)]
    assert all(sha256(p.read_bytes()) == p.name for p in stored)
    assert list((data / "work").iterdir()) == []
    assert kept["zip"]


def _quietly(function: Callable[..., object], *args: object) -> None:
    """Run ``function``; the connection dies with the killed server, which is the point."""
    with contextlib.suppress(httpx.HTTPError):
        function(*args)


def test_a_second_server_on_the_same_data_directory_refuses_to_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    make_accounts(data)
    with server(data, tmp_path / "first.log"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "serve",
                "--data",
                str(data),
                "--port",
                str(_free_port()),
            ],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            cwd=ROOT,
        )
    assert done.returncode == 1
    assert "已被另一个正在运行的工作台使用" in done.stderr
    assert "Traceback" not in done.stderr
    assert os.path.exists(data / "genreport.sqlite3")
