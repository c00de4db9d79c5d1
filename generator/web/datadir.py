"""Where the workbench keeps its data: one directory holding the database and the file store.

Kept free of heavy imports: ``genreport serve --help`` and ``genreport users --help``
read the default from here without loading the web stack.

Layout of a data directory (back it up as a whole, with the server stopped or not:
the store is append-only and the database is SQLite in WAL mode)::

    genreport.sqlite3      accounts, versions, findings, audit log
    secret.key             signs session cookies (created on first start, private)
    store/sha256/ab/…      every file ever accepted, named by its SHA-256, never rewritten
    work/                  per-upload scratch directories, emptied at every start
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATA_ENV", "DataDir", "default_data_dir"]

#: Set to a directory to move the workbench's data (used when --data is not given).
DATA_ENV = "GENREPORT_DATA_DIR"


def default_data_dir() -> Path:
    """The user's application-data folder: ``%APPDATA%\\genreport`` or ``~/.local/share/genreport``."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "genreport"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "genreport"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "genreport"


@dataclass(frozen=True)
class DataDir:
    """The paths inside one data directory."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "genreport.sqlite3"

    @property
    def secret(self) -> Path:
        return self.root / "secret.key"

    @property
    def store(self) -> Path:
        return self.root / "store"

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def lock(self) -> Path:
        return self.root / "server.lock"
