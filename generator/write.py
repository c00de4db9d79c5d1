"""Write outputs so that no run can lose work.

- Atomic: a temporary file in the same directory, fsync, then ``os.replace``; a
  crash leaves either the old file or the new one, never half of one.
- Names are made safe for every file system and can never leave the output directory.
- A document edited by hand since genreport wrote it is moved aside, not overwritten:
  the manifest beside the outputs records the SHA-256 of every file we wrote.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError

__all__ = ["MANIFEST", "OutputWriter", "WriteResult", "safe_name", "write_file", "write_outputs"]

MANIFEST = ".genreport-manifest.json"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
#: Bytes a name may take before its suffix (file systems allow 255).
_MAX_NAME_BYTES = 200


def safe_name(name: str, suffix: str = ".docx") -> str:
    """A file name that is valid on Windows, macOS and Linux and stays in its directory."""
    text = unicodedata.normalize("NFC", name)
    text = re.sub(r"\.{2,}", "_", _UNSAFE.sub("_", text)).strip().strip(".").strip()
    text = re.sub(r"_{2,}", "_", text) or "报告"
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    encoded = text.encode("utf-8")
    if len(encoded) > _MAX_NAME_BYTES:
        text = encoded[:_MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(". ")
    return f"{text}{suffix}"


@dataclass(frozen=True)
class WriteResult:
    path: Path
    #: Where a hand-edited previous version was moved, if any.
    kept_aside: Path | None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(directory: Path) -> dict[str, str]:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".~genreport-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_file(path: Path, data: bytes) -> None:
    """Write one file atomically (a city input written by ``rollup``, for example)."""
    try:
        _atomic_write(path, data)
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{exc.strerror or exc}") from None


def _aside_name(path: Path) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}（手工修改-{stamp}）{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}（手工修改-{stamp}-{n}）{path.suffix}")
        n += 1
    return candidate


class OutputWriter:
    """Writes the outputs of many inputs; each directory's manifest is saved once, at close.

    A batch writes hundreds of files into one directory: rewriting the manifest after each
    input would make the run quadratic. Use as a context manager so the manifests are
    saved even when the run is interrupted.
    """

    def __init__(self) -> None:
        self._manifests: dict[Path, dict[str, str]] = {}

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, directory: Path, files: dict[str, bytes]) -> list[WriteResult]:
        """Write ``files`` (safe name → bytes) into ``directory``, keeping hand edits."""
        root = directory.resolve()
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"无法创建输出目录“{directory}”：{exc.strerror}") from None
        manifest = self._manifests.get(root)
        if manifest is None:
            manifest = self._manifests[root] = _read_manifest(root)
        results = []
        for name, data in files.items():
            path = (root / name).resolve()
            if path.parent != root:
                raise OutputError(f"拒绝写入输出目录之外的文件“{name}”")
            kept: Path | None = None
            try:
                if path.exists():
                    current = _sha256(path.read_bytes())
                    if manifest.get(name) != current and current != _sha256(data):
                        kept = _aside_name(path)
                        os.replace(path, kept)
                _atomic_write(path, data)
            except OSError as exc:
                raise OutputError(f"无法写入“{path.name}”：{exc.strerror or exc}") from None
            manifest[name] = _sha256(data)
            results.append(WriteResult(path, kept))
        return results

    def close(self) -> None:
        """Save every manifest touched; an unsaved one only means fewer files are protected."""
        manifests, self._manifests = self._manifests, {}
        for root, manifest in manifests.items():
            try:
                _atomic_write(root / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1,
                                                          sort_keys=True).encode("utf-8"))
            except OSError as exc:
                raise OutputError(f"无法写入清单文件：{exc.strerror or exc}") from None


def write_outputs(directory: Path, files: dict[str, bytes]) -> list[WriteResult]:
    """Write ``files`` (safe name → bytes) into ``directory``, keeping hand edits."""
    with OutputWriter() as writer:
        return writer.write(directory, files)
