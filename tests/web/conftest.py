"""The workbench under test: a fresh data directory, four accounts, signed-in clients.

Units: 测试县 (the unit tests/fixtures/valid.yaml and tests/workbooks.py name) and 乙县,
counties; 示例市, a city with 测试县 assigned; and an administrator. Most tests use
Starlette's TestClient, which runs the real app in-process without a socket.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Starlette announces its move to another HTTP client package; httpx still works.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from generator.web import security
from generator.web.accounts import add_user
from generator.web.app import create_app
from generator.web.models import Report, Unit, Version
from generator.web.workbench import Workbench

from ..conftest import VALID_INPUT

PASSWORD = "correct-horse-1"
COUNTY = "测试县医疗保障局"
OTHER_COUNTY = "乙县医疗保障局"
CITY = "示例市医疗保障局"
#: username → (role, unit, counties)
ACCOUNTS = {
    "county": ("county", COUNTY, ()),
    "other": ("county", OTHER_COUNTY, ()),
    "city": ("city", CITY, (COUNTY,)),
    "admin": ("admin", None, ()),
}
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def make_accounts(data: Path) -> None:
    bench = Workbench.open(data)
    try:
        with bench.db() as db:
            for name, (role, unit, counties) in ACCOUNTS.items():
                add_user(db, name, PASSWORD, role, unit, counties)
    finally:
        bench.close()


@dataclass
class Web:
    """The app over one data directory, with helpers to sign in and look inside."""

    data: Path
    client_kwargs: dict[str, object] = field(default_factory=dict)
    max_upload_bytes: int | None = None

    def __post_init__(self) -> None:
        extra = {} if self.max_upload_bytes is None else {"max_upload_bytes": self.max_upload_bytes}
        self.app = create_app(self.data, **extra)  # type: ignore[arg-type]
        self.bench: Workbench = self.app.state.bench

    def anonymous(self) -> TestClient:
        return TestClient(self.app, **self.client_kwargs)  # type: ignore[arg-type]

    def signed_in(self, username: str) -> TestClient:
        client = self.anonymous()
        page = client.get("/login")
        reply = client.post(
            "/login",
            data={"csrf": csrf_of(page.text), "username": username, "password": PASSWORD},
        )
        assert reply.status_code == 200 and "/login" not in str(reply.url), reply.text
        return client

    def unit_id(self, name: str) -> int:
        with self.bench.db() as db:
            unit = db.query(Unit).filter_by(name=name).one()
            return unit.id

    def upload(
        self, client: TestClient, name: str, data: bytes, unit: str = COUNTY, year: int = 2024
    ) -> Version:
        """Upload through the unit page's form; return the version it created."""
        page = client.get(f"/units/{self.unit_id(unit)}?year={year}")
        reply = client.post(
            f"/units/{self.unit_id(unit)}/upload",
            data={"csrf": csrf_of(page.text), "year": str(year)},
            files={"file": (name, data)},
        )
        assert reply.status_code == 200, reply.text
        match = re.search(r"/versions/(\d+)$", str(reply.url))
        assert match, reply.url
        return self.version(int(match.group(1)))

    def version(self, version_id: int) -> Version:
        with self.bench.db() as db:
            return db.get_one(Version, version_id)

    def versions(self) -> list[Version]:
        with self.bench.db() as db:
            return list(db.query(Version).order_by(Version.id))

    def reports(self, version_id: int) -> list[Report]:
        with self.bench.db() as db:
            return list(db.query(Report).filter_by(version_id=version_id).order_by(Report.position))

    def stored_files(self) -> set[str]:
        """Names (SHA-256) of every file in the store."""
        return {p.name for p in (self.data / "store").rglob("*") if p.is_file()}

    def scratch_left(self) -> list[Path]:
        return list((self.data / "work").iterdir())


@pytest.fixture(autouse=True)
def _quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its cheapest: the real parameters cost about a third of a second a hash."""
    monkeypatch.setattr(
        security, "HASH_PARAMETERS", {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    )


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    data = tmp_path / "data"
    make_accounts(data)
    bench = Web(data)
    yield bench
    bench.bench.close()


@pytest.fixture
def accepted(web: Web) -> Version:
    """An accepted version of 测试县, uploaded by its own account."""
    version = web.upload(web.signed_in("county"), "2024.yaml", VALID_INPUT.read_bytes())
    assert version.status == "accepted"
    return version
