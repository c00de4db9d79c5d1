"""Write outputs so that no run can lose work.

- Atomic: a temporary file in the same directory, fsync, then ``os.replace``; a
  crash leaves either the old file or the new one, never half of one.
- Names are made safe for every file system and can never leave the output directory.
- A document edited by hand since genreport wrote it is moved aside, not overwritten
  (unless ``force``). Every .docx carries a fingerprint of what genreport wrote in a
  custom document property, so this works for copied folders too; the manifest beside
  the outputs (SHA-256 of every file written) covers files without one.
- Temporary files carry the writer's process id; one left by a killed run is removed
  by the next run, and never mistaken for a report.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OutputError

__all__ = [
    "MANIFEST",
    "TEMP_PREFIX",
    "OutputWriter",
    "WriteResult",
    "safe_name",
    "unique_name",
    "write_file",
    "write_outputs",
]

MANIFEST = ".genreport-manifest.json"
#: Temporary files are ``.~genreport-<pid>-<random>.tmp`` beside their target.
TEMP_PREFIX = ".~genreport-"
#: A temporary file whose writer cannot be checked is stale after this many seconds.
_STALE_SECONDS = 3600
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
#: Bytes a name may take before its suffix (file systems allow 255).
_MAX_NAME_BYTES = 200
#: Unicode categories that never belong in a file name: controls, format characters
#: (bidi overrides, zero-width), line/paragraph separators, surrogates, private use.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})


def safe_name(name: str) -> str:
    """A .docx file name that is valid on Windows, macOS and Linux and stays in its directory.

    Separators, ``..``, control and invisible formatting characters (a right-to-left
    override can disguise ``.exe``) become ``_``; reserved device names get a prefix; a
    name too long for the file system is cut and ends with a hash of the full name, so
    two long names that share a beginning still get two files.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join("_" if unicodedata.category(c) in _INVISIBLE_CATEGORIES else c for c in text)
    text = re.sub(r"\.{2,}", "_", _UNSAFE.sub("_", text)).strip().strip(".").strip()
    text = re.sub(r"_{2,}", "_", text) or "报告"
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = f"_{text}"
    encoded = text.encode("utf-8")
    if len(encoded) > _MAX_NAME_BYTES:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        head = encoded[: _MAX_NAME_BYTES - 9].decode("utf-8", errors="ignore").rstrip(". ")
        text = f"{head}-{digest}"
    return f"{text}.docx"


def unique_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``name（2）`` … when another output already has it.

    Compared case-insensitively, as Windows and macOS do: two funds with the same
    name must not silently overwrite each other's report.
    """
    used = {t.casefold() for t in taken}
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 2
    while candidate.casefold() in used:
        candidate = f"{stem}（{n}）{dot}{suffix}"
        n += 1
    return candidate


@dataclass(frozen=True)
class WriteResult:
    path: Path
    #: Where a hand-edited previous version was moved, if any.
    kept_aside: Path | None
    #: A hand-edited previous version was overwritten because of ``force``.
    forced: bool = False


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(directory: Path) -> dict[str, str]:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(
        prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); a report is an ordinary document.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (a laptop closed right after a run keeps the file)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _writer_gone(pid: int) -> bool:
    if pid == os.getpid():
        return True  # our own writes never outlive _atomic_write
    if os.name != "posix":
        return False  # os.kill would terminate the process on Windows: rely on age
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _remove_stale_temporaries(directory: Path) -> None:
    """Delete temporary files left by runs that were killed mid-write.

    A file whose writer is still running (another genreport writing here right now)
    is left alone unless it is over an hour old.
    """
    now = time.time()
    for temp in directory.glob(f"{TEMP_PREFIX}*.tmp"):
        middle = temp.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        try:
            stale = (middle.isdigit() and _writer_gone(int(middle))) or (
                now - temp.stat().st_mtime > _STALE_SECONDS
            )
            if stale:
                temp.unlink()
        except OSError:
            continue


def _untouched(name: str, current: bytes, manifest: dict[str, str]) -> bool:
    """Whether the file on disk is exactly what genreport last wrote there."""
    if name.lower().endswith(".docx"):
        from generator.render.fingerprint import is_unedited

        verdict = is_unedited(current)
        if verdict is not None:
            return verdict
    return manifest.get(name) == _sha256(current)


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
    input would make the run quadratic, and so would looking for stale temporary files
    each time. Use as a context manager so the manifests are saved even when the run is
    interrupted (a missing manifest entry only matters for files without a fingerprint).
    ``force`` overwrites hand-edited files instead of moving them aside.
    """

    def __init__(self, *, force: bool = False) -> None:
        self.force = force
        self._manifests: dict[Path, dict[str, str]] = {}

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, directory: Path, files: dict[str, bytes]) -> list[WriteResult]:
        """Write ``files`` (safe name → bytes) into ``directory``, keeping hand edits.

        Every .docx carries its fingerprint (set when it was finalised; added here for
        one that lacks it), so any document genreport writes can later be recognised
        as untouched.
        """
        if not files:
            return []
        from generator.render.fingerprint import add_fingerprint, read_fingerprint

        root = directory.resolve()
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"无法创建输出目录“{directory}”：{exc.strerror}") from None
        for name in files:
            if (root / name).resolve().parent != root:
                raise OutputError(f"拒绝写入输出目录之外的文件“{name}”")
        manifest = self._manifests.get(root)
        if manifest is None:
            _remove_stale_temporaries(root)
            manifest = self._manifests[root] = _read_manifest(root)
        results = []
        for name, content in files.items():
            data = content
            if name.lower().endswith(".docx") and read_fingerprint(content) is None:
                data = add_fingerprint(content)
            path = root / name
            kept: Path | None = None
            forced = False
            try:
                if path.exists():
                    current = path.read_bytes()
                    if current != data and not _untouched(name, current, manifest):
                        if self.force:
                            forced = True
                        else:
                            kept = _aside_name(path)
                            os.replace(path, kept)
                _atomic_write(path, data)
            except OSError as exc:
                raise OutputError(f"无法写入“{path.name}”：{exc.strerror or exc}") from None
            manifest[name] = _sha256(data)
            results.append(WriteResult(path, kept, forced))
        return results

    def close(self) -> None:
        """Save every manifest touched; an unsaved one only means fewer files are protected."""
        manifests, self._manifests = self._manifests, {}
        for root, manifest in manifests.items():
            try:
                _atomic_write(
                    root / MANIFEST,
                    json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode(
                        "utf-8"
                    ),
                )
            except OSError as exc:
                raise OutputError(f"无法写入清单文件：{exc.strerror or exc}") from None


def write_outputs(
    directory: Path, files: dict[str, bytes], *, force: bool = False
) -> list[WriteResult]:
    """Write ``files`` (safe name → bytes) into ``directory``, keeping hand edits.

    ``force`` overwrites hand-edited files instead.
    """
    with OutputWriter(force=force) as writer:
        return writer.write(directory, files)


def write_file(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write one file the user owns (an input YAML or workbook) atomically.

    Such a file may hold hours of typing, so an existing one is replaced only when
    the user asks (``--force``), and never by the file it was made from.
    """
    if path.is_dir():
        raise OutputError(f"“{path}”是一个目录，请给出文件名")
    if path.exists() and not overwrite:
        raise OutputError(f"“{path}”已存在：为免覆盖已填写的内容，未写入（确需覆盖请加 --force）")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, data)
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{exc.strerror or exc}") from None
    return path
