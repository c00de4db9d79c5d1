"""The file store: every accepted input and report, named by its SHA-256, written once.

A file is written with the CLI's atomic writer (temporary file, fsync, rename) and is
never rewritten: the same content has the same name, so storing it again is a no-op.
Every read checks the content against its name, so a damaged file is reported, never
served. Files no database row points at (left by a server killed between writing a
file and recording the version) are harmless and simply never shown.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

from generator.errors import OutputError
from generator.output.write import TEMP_PREFIX, write_file

__all__ = ["FileStore", "StoreError", "sha256"]

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class StoreError(OutputError):
    """A stored file is missing or no longer matches its hash."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._files = root / "sha256"

    def path(self, digest: str) -> Path:
        if not _DIGEST.match(digest):
            raise StoreError(f"文件库中没有“{digest}”")
        return self._files / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store ``data`` (atomically, once) and return its SHA-256."""
        digest = sha256(data)
        path = self.path(digest)
        if self._intact(path, digest):
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_file(path, data)
        except OutputError:
            # Written meanwhile by another upload of the same content: fine if whole.
            if not self._intact(path, digest):
                raise
        with contextlib.suppress(OSError):
            os.chmod(path, 0o444)
        return digest

    def get(self, digest: str) -> bytes:
        """The stored bytes, checked against their hash."""
        path = self.path(digest)
        try:
            data = path.read_bytes()
        except OSError:
            raise StoreError(f"文件库中缺少文件 {digest[:12]}…：请从备份恢复数据目录") from None
        if sha256(data) != digest:
            raise StoreError(f"文件库中的文件 {digest[:12]}… 已损坏：请从备份恢复数据目录")
        return data

    def _intact(self, path: Path, digest: str) -> bool:
        try:
            return sha256(path.read_bytes()) == digest
        except OSError:
            return False

    def remove_temporaries(self) -> int:
        """Delete half-written files left by a killed server; call only before serving."""
        removed = 0
        for temp in self._files.glob(f"*/{TEMP_PREFIX}*.tmp"):
            with contextlib.suppress(OSError):
                temp.unlink()
                removed += 1
        return removed
