"""One open data directory: its database, file store and signing key.

``Workbench.open`` creates what is missing and migrates the schema; the command line
(``genreport users``) and the server both use it. Only the server calls ``recover``:
it turns uploads a killed server left half-done into failed versions and empties the
scratch space, which is safe only while no other server uses the directory.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from generator.errors import OutputError
from generator.web.audit import Action, record
from generator.web.datadir import DataDir
from generator.web.db import make_engine, migrate, session_factory
from generator.web.models import Version, VersionStatus, utcnow
from generator.web.preview import Previews
from generator.web.security import load_secret
from generator.web.store import FileStore

__all__ = ["INTERRUPTED", "Workbench"]

log = logging.getLogger("genreport.web")

#: Why a version left running by a stopped server failed.
INTERRUPTED = "处理时服务器停止，本次上传未完成，未生成报告；请重新上传。此前的版本不受影响。"


class Workbench:
    def __init__(self, root: Path) -> None:
        self.dirs = DataDir(root)
        try:
            for folder in (root, self.dirs.store, self.dirs.work):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"无法创建数据目录“{root}”：{exc.strerror or exc}") from None
        self.engine = make_engine(self.dirs.database)
        self.sessions = session_factory(self.engine)
        self.store = FileStore(self.dirs.store)
        self.secret = load_secret(self.dirs.secret)
        self.previews = Previews(root / "previews", self.dirs.work)

    @classmethod
    def open(cls, root: Path) -> Workbench:
        """Open (creating if needed) the data directory and bring its schema up to date."""
        bench = cls(root)
        migrate(bench.engine)
        return bench

    @contextlib.contextmanager
    def db(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def recover(self) -> int:
        """Mark versions a stopped server left running as failed; clear scratch; return count."""
        self.store.remove_temporaries()
        for leftover in self.dirs.work.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)
        with self.db() as db:
            stuck = list(db.scalars(select(Version).where(Version.status == VersionStatus.RUNNING)))
            for version in stuck:
                version.status = VersionStatus.FAILED
                version.message = INTERRUPTED
                version.finished_at = utcnow()
                record(
                    db,
                    Action.INTERRUPTED,
                    username="",
                    unit_id=version.unit_id,
                    version_id=version.id,
                    detail=INTERRUPTED,
                )
            db.commit()
        if stuck:
            log.warning("%d 个上传在服务器停止时未完成，已标记为失败", len(stuck))
        return len(stuck)

    def close(self) -> None:
        self.previews.close()
        self.engine.dispose()
