"""Guards an .xlsx must pass before any library unzips or parses it.

A workbook is a zip of XML parts. Before anything parses one, the Excel readers call
:func:`open_workbook_archive`, which opens the file without blocking (a named pipe
called .xlsx is refused, not waited on) and decides from the file's first bytes and the
zip's central directory alone: too large, not a zip (a CSV renamed .xlsx), an OLE file
(a password-protected workbook or an old .xls), a zip bomb, encrypted entries, a zip
that is not a workbook, or XML parts that declare a DTD (the door to entity expansion
and external entities). A zip bomb is judged on one total: the declared sizes of all
parts together, and their ratio to the compressed sizes together, so many parts each
just under a per-part threshold add up instead of slipping through one by one. Declared
sizes can be trusted because Python's zipfile stops at the declared size and verifies
the CRC, so a part that lies about its size fails instead of expanding.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from generator import limits
from generator.errors import InputError, Location, Problem
from generator.inputs.files import describe_os_error, open_regular

__all__ = ["OLE_MAGIC", "check_archive", "check_workbook", "open_workbook_archive"]

#: First bytes of an OLE compound file: .xls, .doc, and every password-protected
#: Office file (Office wraps an encrypted .xlsx in one).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: Stream that only an encrypted OOXML package has, as stored in the OLE directory.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
#: Parts above this size must also pass the compression-ratio check.
_RATIO_FLOOR = 1024 * 1024
#: Bytes of each XML part read to look for a DTD (it must precede the root element).
_PROLOG_BYTES = 4096
_DTD_MARKERS = tuple(
    word.encode(codec)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


def _fail(name: str, message: str) -> InputError:
    return InputError([Problem(Location(name), message)])


def check_workbook(path: Path, name: str | None = None) -> None:
    """Raise :class:`InputError` unless ``path`` is a bounded, unencrypted .xlsx zip."""
    with open_workbook_archive(path, name or str(path)):
        pass


@contextmanager
def open_workbook_archive(path: Path, name: str) -> Iterator[tuple[zipfile.ZipFile, BinaryIO]]:
    """The checked workbook as an open zip and its file, opened once and never blocking."""
    with open_regular(path, name) as handle:
        _check_file(handle, name)
        try:
            handle.seek(0)
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise _damaged(name) from None
        with archive:
            try:
                check_archive(archive, name)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                raise _damaged(name) from None
            yield archive, handle


def _damaged(name: str) -> InputError:
    return _fail(
        name, "不是有效的 Excel 工作簿（.xlsx）：zip 结构已损坏，请在 Excel 中打开并另存后重试"
    )


def _check_file(handle: BinaryIO, shown: str) -> None:
    """Size and first bytes: decided before the zip directory is read."""
    try:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(8)
    except OSError as exc:
        raise _fail(shown, describe_os_error(exc)) from None
    if size > limits.MAX_WORKBOOK_BYTES:
        raise _fail(
            shown,
            f"文件过大（{limits.describe_size(size)}），Excel 输入不能超过"
            f"{limits.describe_size(limits.MAX_WORKBOOK_BYTES)}；请确认选对了文件",
        )
    if head.startswith(OLE_MAGIC):
        raise _fail(shown, _ole_message(handle))
    if not head.startswith(_ZIP_MAGIC):
        raise _fail(
            shown,
            "不是有效的 Excel 工作簿（.xlsx）：文件不是 zip 格式，"
            "可能已损坏，或只是把其他文件的扩展名改成了 .xlsx",
        )


def _ole_message(handle: BinaryIO) -> str:
    try:
        handle.seek(0)
        data = handle.read(min(limits.MAX_WORKBOOK_BYTES, 8 * 1024 * 1024))
    except OSError:
        data = b""
    if _ENCRYPTED_STREAM in data:
        return (
            "工作簿设置了打开密码（已加密），无法读取：请在 Excel 中打开，"
            "“文件→信息→保护工作簿→用密码进行加密”，清空密码后保存，再重试"
        )
    return (
        "这是旧版 Excel 97-2003 工作簿（.xls）或其他旧版 Office 文件：请在 Excel 中"
        "“另存为”Excel 工作簿（.xlsx）后重试"
    )


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip bomb, encrypted parts, a zip that is not a workbook, or a DTD."""
    infos = archive.infolist()
    if len(infos) > limits.MAX_WORKBOOK_ENTRIES:
        raise _fail(
            name,
            f"工作簿内部文件过多（{len(infos)}个，上限{limits.MAX_WORKBOOK_ENTRIES}个），"
            "不像 Excel 生成的文件，已拒绝",
        )
    total = sum(info.file_size for info in infos)
    if total > limits.MAX_WORKBOOK_UNCOMPRESSED:
        raise _fail(
            name,
            f"工作簿解压后过大（{limits.describe_size(total)}，上限"
            f"{limits.describe_size(limits.MAX_WORKBOOK_UNCOMPRESSED)}），"
            "疑似压缩炸弹，已拒绝",
        )
    for info in infos:
        if info.file_size > _RATIO_FLOOR and (
            info.file_size > limits.MAX_WORKBOOK_RATIO * max(info.compress_size, 1)
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _fail(
                name, f"工作簿中的“{info.filename}”压缩比异常（{ratio}:1），疑似压缩炸弹，已拒绝"
            )
        if info.flag_bits & 0x1:
            raise _fail(name, f"工作簿中的“{info.filename}”已加密，无法读取：请去掉密码后另存")
    # One budget for the whole zip: parts each just under the per-part floor add up.
    packed = sum(info.compress_size for info in infos)
    if total > _RATIO_FLOOR and total > limits.MAX_WORKBOOK_RATIO * max(packed, 1):
        raise _fail(
            name,
            f"工作簿解压后共{limits.describe_size(total)}，是压缩后大小的"
            f"{total // max(packed, 1)}倍（上限{limits.MAX_WORKBOOK_RATIO}倍），"
            "疑似压缩炸弹，已拒绝",
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _fail(
            name,
            "不是 Excel 工作簿：zip 中没有 xl/workbook.xml"
            "（可能是 Word 文件或其他压缩包改了扩展名）",
        )
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")) and info.file_size:
            with archive.open(info) as part:
                prolog = part.read(_PROLOG_BYTES)
            if any(marker in prolog for marker in _DTD_MARKERS):
                raise _fail(
                    name,
                    f"工作簿中的“{info.filename}”含有 DTD 声明（<!DOCTYPE），"
                    "Excel 不会生成这种内容，为安全起见已拒绝",
                )
