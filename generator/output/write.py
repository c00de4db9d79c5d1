"""Write outputs so that no run can lose work, and every run can say what it wrote.

- All or nothing: the outputs of one input are first written to temporary files beside
  their targets (written and synced), then renamed into place in one short step. If a
  rename fails (a report open in Word, a disk that fills up) the renames already done
  are undone, so the folder holds the previous set again; only when even that fails
  does :class:`WriteFailed` list exactly which files are new and which are not.
- Ctrl-C is held while a set is written and renamed, then acted on: it never leaves
  half a set or a temporary file behind.
- Names are made safe for every file system and can never leave the output directory.
- A document edited by hand since genreport wrote it is moved aside, not overwritten
  (unless ``force``). Every .docx carries a fingerprint of what genreport wrote in a
  custom document property, so this works for copied folders too; the manifest beside
  the outputs (SHA-256 of every file written) covers files without one.
- Temporary files carry the writer's process id; one left by a killed run is removed
  by the next run, and never mistaken for a report.
- Operating-system errors are told in Chinese (:func:`describe_os_error`).
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import hashlib
import json
import os
import re
import secrets
import signal
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from generator.errors import OutputError

__all__ = [
    "MANIFEST",
    "TEMP_PREFIX",
    "OutputWriter",
    "WriteFailed",
    "WriteResult",
    "describe_os_error",
    "held_interrupts",
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

#: What an errno means to a person saving files (the system's own text is English).
_ERRNO_TEXT = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EISDIR: "路径中有同名文件夹",
    errno.ENOTDIR: "路径中有同名文件（此处应为文件夹）",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.ENOENT: "文件夹不存在（可能刚被移动或删除）",
    errno.EBUSY: "文件正被其他程序使用",
    errno.EIO: "磁盘读写出错",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.ELOOP: "路径中的符号链接形成了循环",
    errno.EXDEV: "不能跨磁盘改名",
    errno.EINVAL: "文件名无效",
    errno.EFBIG: "文件过大",
    **({errno.EDQUOT: "超出磁盘配额"} if hasattr(errno, "EDQUOT") else {}),
    **({errno.ETXTBSY: "文件正被其他程序使用"} if hasattr(errno, "ETXTBSY") else {}),
}
#: Windows reports some conditions only through ``winerror``.
_WINERROR_TEXT = {
    5: "没有写入权限，或文件正被其他程序打开",
    32: "文件正被其他程序打开（如 Word、WPS），请关闭后重试",
    33: "文件正被其他程序打开（如 Word、WPS），请关闭后重试",
    112: "磁盘空间不足",
    123: "文件名无效",
    206: "文件名或路径过长",
}


def describe_os_error(exc: OSError) -> str:
    """The reason for ``exc`` in Chinese, as a person saving files would put it."""
    winerror = getattr(exc, "winerror", None)
    if isinstance(winerror, int) and winerror in _WINERROR_TEXT:
        return _WINERROR_TEXT[winerror]
    if exc.errno in _ERRNO_TEXT:
        return _ERRNO_TEXT[exc.errno]
    code = errno.errorcode.get(exc.errno, str(exc.errno)) if exc.errno else type(exc).__name__
    return f"系统错误（{code}）"


@contextlib.contextmanager
def held_interrupts() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, then deliver it to the handler it was meant for.

    Around the few milliseconds that create, rename or remove a set of files, so an
    interrupt can never land between creating a temporary file and removing it, or
    between two renames of one set. Signals are only handled in the main thread;
    elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
        if held:
            signal.raise_signal(signal.SIGINT)


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


class WriteFailed(OutputError):
    """A set of outputs could not be written; says exactly what is on disk now.

    ``written`` holds the files whose new version is in place: empty when nothing was
    written or every rename could be undone (the usual case), and then the folders
    hold what they held before the run.
    """

    def __init__(
        self,
        message: str,
        *,
        written: Iterable[WriteResult] = (),
        unwritten: Iterable[Path] = (),
    ) -> None:
        self.written = tuple(written)
        self.unwritten = tuple(unwritten)
        super().__init__(message)


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


def _temporary(directory: Path, data: bytes, made: list[Path]) -> Path:
    """``data`` in a new temporary file in ``directory``, on disk; it is listed in ``made``
    as soon as it exists, so the caller can always remove it."""
    fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp", dir=directory)
    temp = Path(name)
    made.append(temp)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    # mkstemp makes the file private (0600); a report is an ordinary document.
    os.chmod(temp, 0o666 & ~_umask())
    return temp


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _atomic_write(path: Path, data: bytes) -> None:
    made: list[Path] = []
    with held_interrupts():
        try:
            os.replace(_temporary(path.parent, data, made), path)
        finally:
            _remove(p for p in made if p.exists())
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
        return True  # our own temporary files never outlive a write
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


def _untouched(name: str, current: bytes, fresh: bytes, manifest: dict[str, str]) -> bool:
    """Whether the file on disk is exactly what genreport last wrote there.

    A .docx is judged by its fingerprint (text, tables, styles…) and by its document
    properties (标题, 作者, 关键词…), which must be those genreport writes for the same
    report — or, when they legitimately changed, those the manifest recorded.
    """
    recorded = manifest.get(name)
    if name.lower().endswith(".docx"):
        from generator.render.fingerprint import is_unedited, same_properties

        verdict = is_unedited(current)
        if verdict is False:
            return False
        if verdict is True:
            return same_properties(current, fresh) or recorded == _sha256(current)
    return recorded == _sha256(current)


def _aside_name(path: Path) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}（手工修改-{stamp}）{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}（手工修改-{stamp}-{n}）{path.suffix}")
        n += 1
    return candidate


@dataclass
class _Step:
    """One file of a set on its way into place, with what undoing it needs."""

    path: Path
    #: As the caller named it (relative when the output directory was), for messages.
    shown: Path
    data: bytes
    #: What the file held before (None: there was no file).
    previous: bytes | None
    #: The previous version is a hand edit: it is moved aside, not replaced.
    keep_edit: bool = False
    forced: bool = False
    temp: Path | None = None
    #: A second name for the previous version, so undoing a replace needs no disk space.
    backup: Path | None = None
    aside: Path | None = None
    placed: bool = False

    def result(self) -> WriteResult:
        return WriteResult(self.path, self.aside, self.forced)


@dataclass
class _Set:
    """What one call to :meth:`OutputWriter.write_many` has done so far, to finish or undo."""

    #: Every file of the set, in order, and how many there are.
    total: int = 0
    steps: list[_Step] = field(default_factory=list)
    #: Files already exactly as they should be: nothing to write.
    current: list[WriteResult] = field(default_factory=list)
    #: Every temporary file and backup link made, so none is ever left behind.
    made: list[Path] = field(default_factory=list)
    #: Folders this set created, outermost first, removed again when nothing is written.
    created: list[Path] = field(default_factory=list)

    def nothing_written(self, reason: str) -> WriteFailed:
        """The error for a set of which nothing reached its final name (or all was undone)."""
        _remove(p for p in self.made if p.exists())
        for folder in reversed(self.created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if self.total == 1:
            return WriteFailed(f"{reason}；未写入该文件")
        return WriteFailed(f"{reason}；本次应写出的 {self.total} 个文件均未写入，输出目录保持原样")


def _listed(paths: Iterable[Path]) -> str:
    return "、".join(p.name for p in paths) or "无"


def _missing_folders(root: Path) -> list[Path]:
    """The folders ``mkdir(parents=True)`` will create for ``root``, outermost first."""
    missing = []
    for folder in (root, *root.parents):
        if os.path.lexists(folder):
            break
        missing.append(folder)
    return missing[::-1]


class OutputWriter:
    """Writes the outputs of many inputs; each directory's manifest is saved once, at close.

    A batch writes hundreds of files into one directory: rewriting the manifest after each
    input would make the run quadratic, and so would looking for stale temporary files
    each time. Use as a context manager so the manifests are saved even when the run is
    interrupted (a missing manifest entry only matters for files without a fingerprint).
    A manifest that cannot be saved is not an error (every report is already in place):
    :attr:`warnings` says so, for the caller to show. ``force`` overwrites hand-edited
    files instead of moving them aside.
    """

    def __init__(self, *, force: bool = False) -> None:
        self.force = force
        self.warnings: list[str] = []
        self._manifests: dict[Path, dict[str, str]] = {}
        #: Each manifest as read, so an unchanged one is not written again.
        self._read: dict[Path, dict[str, str]] = {}
        self._shown: dict[Path, Path] = {}

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, directory: Path, files: Mapping[str, bytes]) -> list[WriteResult]:
        """Write ``files`` (safe name → bytes) into ``directory``, all or nothing."""
        return self.write_many({directory: files})

    def write_many(self, groups: Mapping[Path, Mapping[str, bytes]]) -> list[WriteResult]:
        """Write every group (directory → safe name → bytes) as one set, keeping hand edits.

        Either every file is in place afterwards, or :class:`WriteFailed` is raised and
        the folders hold what they held before (or, if that cannot be restored, the
        exception lists what is new and what is not). Every .docx carries its
        fingerprint (added here for one that lacks it), so any document genreport writes
        can later be recognised as untouched.
        """
        batch = _Set(total=sum(len(files) for files in groups.values()))
        if not batch.total:
            return []
        with held_interrupts():
            try:
                for directory, files in groups.items():
                    self._prepare(directory, files, batch)
                self._commit(batch)
            finally:
                _remove(p for p in batch.made if p.exists())
        done = {step.path: step.result() for step in batch.steps}
        done.update({result.path: result for result in batch.current})
        return [done[self._root(d) / name] for d, files in groups.items() for name in files]

    def _root(self, directory: Path) -> Path:
        root = directory.resolve()
        self._shown.setdefault(root, directory)
        return root

    def _prepare(self, directory: Path, files: Mapping[str, bytes], batch: _Set) -> None:
        """Check every target, then write every new version to a temporary file beside it."""
        from generator.render.fingerprint import add_fingerprint, read_fingerprint

        root = self._root(directory)
        for name in files:
            if (root / name).resolve().parent != root:
                raise batch.nothing_written(f"拒绝写入输出目录之外的文件“{name}”")
        missing: list[Path] = []
        try:
            if root.exists() and not root.is_dir():
                raise batch.nothing_written(f"无法写入“{directory}”：已有同名文件，此处应为文件夹")
            missing = _missing_folders(root)
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            batch.created.extend(m for m in missing if os.path.isdir(m))
            reason = f"无法创建输出目录“{directory}”：{describe_os_error(exc)}"
            raise batch.nothing_written(reason) from None
        batch.created.extend(missing)
        manifest = self._manifests.get(root)
        if manifest is None:
            _remove_stale_temporaries(root)
            manifest = self._manifests[root] = _read_manifest(root)
            self._read[root] = dict(manifest)
        for name, content in files.items():
            data = content
            if name.lower().endswith(".docx") and read_fingerprint(content) is None:
                data = add_fingerprint(content)
            path, shown = root / name, directory / name
            try:
                if path.is_dir():
                    reason = f"无法写入“{shown}”：已有同名文件夹，请移走或改名后重试"
                    raise batch.nothing_written(reason)
                previous = path.read_bytes() if path.exists() else None
            except OSError as exc:
                reason = f"无法读取已有的“{shown}”：{describe_os_error(exc)}"
                raise batch.nothing_written(reason) from None
            if previous == data:
                batch.current.append(WriteResult(path, None))
                continue
            step = _Step(path, shown, data, previous)
            if previous is not None and not _untouched(name, previous, data, manifest):
                step.forced, step.keep_edit = self.force, not self.force
            batch.steps.append(step)
            try:
                step.temp = _temporary(root, data, batch.made)
                if previous is not None and not step.keep_edit:
                    step.backup = _backup(path, batch.made)
            except OSError as exc:
                reason = f"无法写入“{shown}”：{describe_os_error(exc)}"
                raise batch.nothing_written(reason) from None

    def _commit(self, batch: _Set) -> None:
        """Rename every temporary file into place; on failure undo the renames done."""
        for step in batch.steps:
            try:
                if step.keep_edit:
                    aside = _aside_name(step.path)
                    os.replace(step.path, aside)
                    step.aside = aside
                assert step.temp is not None
                os.replace(step.temp, step.path)
                step.placed = True
            except OSError as exc:
                self._undo(batch, f"无法写入“{step.shown}”：{describe_os_error(exc)}")
        for directory in {step.path.parent for step in batch.steps}:
            _sync_directory(directory)
        self._record(batch.steps, batch.current)

    def _record(self, steps: Iterable[_Step], current: Iterable[WriteResult]) -> None:
        """Note in the manifests what is now on disk (saved at :meth:`close`)."""
        for step in steps:
            self._manifests[step.path.parent][step.path.name] = _sha256(step.data)
        for result in current:
            self._manifests[result.path.parent][result.path.name] = _sha256(
                result.path.read_bytes()
            )

    def _undo(self, batch: _Set, reason: str) -> NoReturn:
        """Put back what every rename replaced, then raise :class:`WriteFailed` saying so."""
        backups = {s.backup for s in batch.steps if s.backup is not None}
        _remove(p for p in batch.made if p not in backups and p.exists())  # room to restore
        failures: list[str] = []
        for step in reversed(batch.steps):
            try:
                _restore(step)
            except OSError as exc:
                failures.append(f"“{step.shown.name}”：{describe_os_error(exc)}")
        if not failures:
            raise batch.nothing_written(reason)
        written = [s for s in batch.steps if s.placed]
        unwritten = [s for s in batch.steps if not s.placed]
        self._record(written, batch.current)
        moved = "".join(
            f"；“{s.shown.name}”的原文件现名为“{s.aside.name}”"
            for s in unwritten
            if s.aside is not None
        )
        raise WriteFailed(
            f"{reason}，且无法恢复运行前的文件（{'；'.join(failures)}）："
            f"已写入新版本的有 {_listed(s.path for s in written)}，"
            f"未写入的有 {_listed(s.path for s in unwritten)}{moved}",
            written=[*batch.current, *(s.result() for s in written)],
            unwritten=[s.path for s in unwritten],
        )

    def close(self) -> list[str]:
        """Save every manifest touched; return (and keep in :attr:`warnings`) what failed.

        An unsaved manifest only means fewer files are protected next time, so it is a
        warning to show, never a reason to hide what was written.
        """
        manifests, self._manifests = self._manifests, {}
        failed: list[str] = []
        for root, manifest in manifests.items():
            if manifest == self._read.get(root):
                continue  # nothing new in this folder (a failed set writes nothing at all)
            shown = self._shown.get(root, root) / MANIFEST
            text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
            try:
                _atomic_write(root / MANIFEST, text.encode("utf-8"))
            except OSError as exc:
                failed.append(
                    f"无法写入清单文件“{shown}”：{describe_os_error(exc)}；报告已写出，"
                    "但下次运行时无法据此识别没有指纹的文件（如 PDF）是否被手工修改过"
                )
        self.warnings.extend(failed)
        return failed


def _backup(path: Path, made: list[Path]) -> Path | None:
    """A hard link to ``path`` under a temporary name, or None where links are unsupported.

    Undoing a replace is then one rename, which needs no free space.
    """
    name = path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.tmp")
    try:
        os.link(path, name)
    except OSError:
        return None
    made.append(name)
    return name


def _restore(step: _Step) -> None:
    """Undo one step: the hand edit back in place, the previous version back, or no file."""
    if step.aside is not None:
        os.replace(step.aside, step.path)  # over the new version, if it was placed
        step.aside = None
    elif not step.placed:
        return
    elif step.previous is None:
        step.path.unlink()
    elif step.backup is not None:
        os.replace(step.backup, step.path)
    else:
        _atomic_write(step.path, step.previous)
    step.placed = False


def write_outputs(
    directory: Path, files: dict[str, bytes], *, force: bool = False
) -> list[WriteResult]:
    """Write ``files`` (safe name → bytes) into ``directory``, all or nothing, keeping hand edits.

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
        raise OutputError(f"无法写入“{path}”：{describe_os_error(exc)}") from None
    return path
