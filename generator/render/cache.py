"""A per-user cache of compiled report templates.

Preparing a Word template (reading the package, docxtpl's XML patching, compiling the
Jinja code) costs more than generating a whole report, and people re-run genreport after
every correction. The prepared form is kept in the user's cache directory, keyed by the
template's bytes and everything that shapes the compiled form, so an edited template or
an upgraded library is simply a miss. The cache is an optimisation only: any failure to
read or write it is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["CACHE_ENV", "cache_dir", "cache_key", "load", "store"]

#: Set to a directory to move the cache, or to an empty string to turn it off.
CACHE_ENV = "GENREPORT_CACHE_DIR"


def cache_dir() -> Path | None:
    """Where compiled templates live; None when caching is turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "genreport" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "genreport"


def cache_key(data: bytes, *salt: str) -> str:
    digest = hashlib.sha256()
    for part in (sys.version, *salt):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def load(key: str) -> Any | None:
    """The value stored under ``key``, or None (missing, unreadable or from another Python)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        return marshal.loads((directory / f"{key}.bin").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def store(key: str, value: Any) -> None:
    """Keep ``value`` (marshal-able data and code objects) under ``key``, atomically."""
    directory = cache_dir()
    if directory is None:
        return
    with contextlib.suppress(OSError, ValueError):
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps(value))
            os.replace(tmp, directory / f"{key}.bin")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
