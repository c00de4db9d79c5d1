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

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from generator import limits
from generator.errors import InputError, Location, Problem
from generator.inputs.files import open_regular
from generator.inputs.zipguard import (
    PROLOG_BYTES,
    OfficeFile,
    ZipBudget,
    check_office_file,
    check_zip_sizes,
    declares_dtd,
)

__all__ = ["check_archive", "check_workbook", "open_workbook_archive"]

#: First bytes of an OLE compound file: .xls, .doc, and every password-protected
#: Office file (Office wraps an encrypted .xlsx in one).
#: Stream that only an encrypted OOXML package has, as stored in the OLE directory.


def _budget() -> ZipBudget:
    """Read when checking, so the limits stay adjustable (and testable) in one place."""
    return ZipBudget(
        what="工作簿",
        maker="Excel",
        entries=limits.MAX_WORKBOOK_ENTRIES,
        uncompressed=limits.MAX_WORKBOOK_UNCOMPRESSED,
        ratio=limits.MAX_WORKBOOK_RATIO,
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
        check_office_file(handle, name, _WORKBOOK)
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


_WORKBOOK = OfficeFile(
    kind="Excel 工作簿（.xlsx）",
    role="Excel 输入",
    suffix=".xlsx",
    limit="MAX_WORKBOOK_BYTES",
    encrypted=(
        "工作簿设置了打开密码（已加密），无法读取：请在 Excel 中打开，"
        "“文件→信息→保护工作簿→用密码进行加密”，清空密码后保存，再重试"
    ),
    old_format=(
        "这是旧版 Excel 97-2003 工作簿（.xls）或其他旧版 Office 文件：请在 Excel 中"
        "“另存为”Excel 工作簿（.xlsx）后重试"
    ),
)


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip bomb, encrypted parts, a zip that is not a workbook, or a DTD."""
    infos = archive.infolist()
    check_zip_sizes(infos, _budget(), lambda message: _fail(name, message))
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
                prolog = part.read(PROLOG_BYTES)
            if declares_dtd(prolog):
                raise _fail(
                    name,
                    f"工作簿中的“{info.filename}”含有 DTD 声明（<!DOCTYPE），"
                    "Excel 不会生成这种内容，为安全起见已拒绝",
                )
