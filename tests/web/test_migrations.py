"""A database written by an earlier version opens under this one, its data intact.

tests/fixtures/web/v0001.sqlite3 was made by the first migration (``python -m
tests.web.test_migrations`` rebuilds it): two units, a county account, an accepted
version with one report, and its audit entries. Every start must upgrade such a file.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import inspect

from generator.web.db import current_revision, make_engine, migrate
from generator.web.models import Base
from generator.web.workbench import Workbench

from ..conftest import FIXTURES
from .conftest import PASSWORD, Web

FIXTURE = FIXTURES / "web" / "v0001.sqlite3"
FIRST = "0001"


def build_fixture(path: Path) -> None:
    """The database as the first revision created it, with a little of everything."""
    from generator.web.security import hash_password

    path.unlink(missing_ok=True)
    engine = make_engine(path)
    migrate(engine, FIRST)
    engine.dispose()
    now = "2025-02-18 09:30:00.000000"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        db.executemany(
            "INSERT INTO units (id, name, city_id, created_at) VALUES (?, ?, ?, ?)",
            [(1, "示例市医疗保障局", None, now), (2, "测试县医疗保障局", 1, now)],
        )
        db.execute(
            "INSERT INTO users (id, username, role, unit_id, password_hash, disabled, created_at)"
            " VALUES (1, 'county', 'county', 2, ?, 0, ?)",
            (hash_password(PASSWORD), now),
        )
        db.execute(
            "INSERT INTO versions (id, unit_id, year, file_name, input_sha256, input_size, stored,"
            " status, errors, warnings, findings, message, created_by, created_at, finished_at)"
            " VALUES (1, 2, 2024, '2024.yaml', ?, 1309, 1, 'accepted', 0, 0, '[]', '', 1, ?, ?)",
            ("a" * 64, now, now),
        )
        db.execute(
            "INSERT INTO reports (id, version_id, position, name, fund, score, grade, warnings,"
            " sha256, size) VALUES (1, 1, 0, '报告.docx', '医疗救助', '99.33', '优', 0, ?, 100)",
            ("b" * 64,),
        )
        db.execute(
            "INSERT INTO audit (at, user_id, username, action, unit_id, version_id, detail, client)"
            " VALUES (?, 1, 'county', '上传', 2, 1, '2024.yaml：已生成 1 份报告', '127.0.0.1')",
            (now,),
        )
    with sqlite3.connect(path) as db:
        db.execute("VACUUM")


def test_the_fixture_is_at_the_first_revision(tmp_path: Path) -> None:
    engine = make_engine(Path(shutil.copy(FIXTURE, tmp_path / "copy.sqlite3")))
    try:
        assert current_revision(engine) == FIRST
    finally:
        engine.dispose()


def test_a_first_revision_database_upgrades_with_its_data_intact(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURE, data / "genreport.sqlite3")
    web = Web(data)  # starting the app upgrades the database
    try:
        assert current_revision(web.bench.engine) == _head()
        (version,) = web.versions()
        assert (version.file_name, version.status, version.year) == ("2024.yaml", "accepted", 2024)
        assert [r.score for r in web.reports(version.id)] == ["99.33"]
        client = web.signed_in("county")  # the account and its password hash survived
        assert "测试县医疗保障局" in client.get("/units/2?year=2024").text
    finally:
        web.bench.close()


def test_upgrading_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "genreport.sqlite3"
    shutil.copy(FIXTURE, path)
    for _ in range(2):
        bench = Workbench.open(tmp_path)
        bench.close()
    engine = make_engine(path)
    try:
        assert current_revision(engine) == _head()
    finally:
        engine.dispose()


def test_the_models_describe_the_migrated_schema(tmp_path: Path) -> None:
    bench = Workbench.open(tmp_path)
    try:
        inspector = inspect(bench.engine)
        for table in Base.metadata.sorted_tables:
            migrated = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
            modelled = {c.name: c.nullable for c in table.columns}
            assert migrated == modelled, table.name
        assert set(inspector.get_table_names()) - {"alembic_version"} == set(Base.metadata.tables)
    finally:
        bench.close()


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from generator.web.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


if __name__ == "__main__":  # rebuild the fixture: python -m tests.web.test_migrations
    build_fixture(FIXTURE)
    sys.exit(0)
