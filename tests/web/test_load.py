"""Twenty counties upload at once to a real server: every answer right, no version lost or mixed.

A real ``genreport serve`` (uvicorn) on 127.0.0.1; twenty accounts sign in one after
another, then upload twenty different inputs from twenty threads at the same moment.
Each must land as its own unit's accepted version holding exactly the bytes it sent,
and the server's resident memory must stay bounded.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import httpx
import pytest

from generator.web.accounts import add_user
from generator.web.store import sha256
from generator.web.workbench import Workbench

from ..conftest import VALID_TEXT, edited
from .conftest import PASSWORD, csrf_of
from .test_crash import RUN_TIMEOUT, server

COUNTIES = 20
#: How much the server may grow over twenty concurrent generations (bytes).
MAX_GROWTH = 150 * 1024 * 1024  # measured: about 55 MiB

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").is_file(), reason="reads resident memory from /proc"
)


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _unit(n: int) -> str:
    return f"负载{n:02d}县医疗保障局"


def _input(n: int) -> bytes:
    """A different input per county: its own unit throughout."""
    return edited(VALID_TEXT, ("测试县医疗保障局", _unit(n))).encode("utf-8")


def test_twenty_simultaneous_uploads_are_all_answered_and_kept_apart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bench = Workbench.open(data)
    try:
        with bench.db() as db:
            for n in range(COUNTIES):
                add_user(db, f"county{n:02d}", PASSWORD, "county", _unit(n), ())
    finally:
        bench.close()
    with server(data, tmp_path / "server.log") as (process, url):
        clients: list[tuple[httpx.Client, str]] = []
        for n in range(COUNTIES):
            client = httpx.Client(base_url=url, timeout=RUN_TIMEOUT, follow_redirects=True)
            page = client.get("/login")
            home = client.post(
                "/login",
                data={
                    "csrf": csrf_of(page.text),
                    "username": f"county{n:02d}",
                    "password": PASSWORD,
                },
            )
            assert home.status_code == 200 and "/login" not in str(home.url)
            clients.append((client, csrf_of(home.text)))
        before = _rss(process.pid)
        start = threading.Barrier(COUNTIES)
        answers: dict[int, httpx.Response] = {}

        def upload(n: int) -> None:
            client, token = clients[n]
            start.wait(timeout=RUN_TIMEOUT)
            answers[n] = client.post(
                f"/units/{n + 1}/upload",
                data={"csrf": token, "year": "2024"},
                files={"file": (f"{n:02d}.yaml", _input(n))},
            )

        threads = [threading.Thread(target=upload, args=(n,)) for n in range(COUNTIES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=RUN_TIMEOUT)
        after = _rss(process.pid)
        for n, reply in sorted(answers.items()):
            assert reply.status_code == 200, reply.text
            assert "检查完成，未发现问题" in reply.text and _unit(n) in reply.text
        for client, _token in clients:
            client.close()
    assert len(answers) == COUNTIES
    with sqlite3.connect(f"file:{data / 'genreport.sqlite3'}?mode=ro", uri=True) as db:
        rows = list(
            db.execute(
                "SELECT units.name, versions.status, versions.input_sha256, versions.file_name"
                " FROM versions JOIN units ON units.id = versions.unit_id ORDER BY units.name"
            )
        )
        reports = list(
            db.execute(
                "SELECT units.name, reports.name FROM reports"
                " JOIN versions ON versions.id = reports.version_id"
                " JOIN units ON units.id = versions.unit_id"
            )
        )
    assert rows == [
        (_unit(n), "accepted", sha256(_input(n)), f"{n:02d}.yaml") for n in range(COUNTIES)
    ]
    assert len(reports) >= COUNTIES
    assert all(name.startswith(unit) for unit, name in reports)
    assert after - before < MAX_GROWTH, f"server grew by {(after - before) >> 20} MiB"
