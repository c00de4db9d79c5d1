"""The checks every zip we open must pass first: workbooks and Word templates alike.

An .xlsx input and a .docx template are both zips that someone may have crafted: too
many parts, parts that inflate a thousandfold (one part or all of them together),
encrypted parts, or XML that declares a DTD. The budgets differ by kind of file; the
rules and the wording of the refusals are the same, so they live here once.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from generator import limits
from generator.errors import InputError, Location, Problem
from generator.inputs.files import describe_os_error
from generator.limits import describe_size

__all__ = [
    "DTD_MARKERS",
    "OLE_MAGIC",
    "PROLOG_BYTES",
    "OfficeFile",
    "ZipBudget",
    "check_office_file",
    "check_zip_sizes",
    "declares_dtd",
]

#: The first bytes of an OLE compound file: an encrypted Office file or an old .xls/.doc.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

#: Parts smaller than this are never called bombs, whatever their ratio (XML compresses ~10×).
RATIO_FLOOR = 1024 * 1024
#: Bytes of each XML part read to look for a DTD (it must precede the root element).
PROLOG_BYTES = 4096
DTD_MARKERS = tuple(
    word.encode(codec)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


@dataclass(frozen=True)
class ZipBudget:
    """What one kind of zip may hold, and how messages name it."""

    #: How the file is named in messages: 工作簿, 模板.
    what: str
    #: The program that writes such files: Excel, Word.
    maker: str
    entries: int
    uncompressed: int
    ratio: int


def check_zip_sizes(
    infos: Sequence[zipfile.ZipInfo], budget: ZipBudget, fail: Callable[[str], Exception]
) -> None:
    """Refuse too many parts, too much inflated data, a bomb part or set, an encrypted part."""
    what = budget.what
    if len(infos) > budget.entries:
        raise fail(
            f"{what}内部文件过多（{len(infos)}个，上限{budget.entries}个），"
            f"不像 {budget.maker} 生成的文件，已拒绝"
        )
    total = sum(info.file_size for info in infos)
    if total > budget.uncompressed:
        raise fail(
            f"{what}解压后过大（{describe_size(total)}，上限"
            f"{describe_size(budget.uncompressed)}），疑似压缩炸弹，已拒绝"
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR and (
            info.file_size > budget.ratio * max(info.compress_size, 1)
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise fail(f"{what}中的“{info.filename}”压缩比异常（{ratio}:1），疑似压缩炸弹，已拒绝")
        if info.flag_bits & 0x1:
            raise fail(f"{what}中的“{info.filename}”已加密，无法读取：请去掉密码后另存")
    # One budget for the whole zip: parts each just under the per-part floor add up.
    packed = sum(info.compress_size for info in infos)
    if total > RATIO_FLOOR and total > budget.ratio * max(packed, 1):
        raise fail(
            f"{what}解压后共{describe_size(total)}，是压缩后大小的"
            f"{total // max(packed, 1)}倍（上限{budget.ratio}倍），疑似压缩炸弹，已拒绝"
        )


def declares_dtd(prolog: bytes) -> bool:
    """Whether the start of an XML part declares a DTD or an entity (in any UTF encoding)."""
    return any(marker in prolog[:PROLOG_BYTES] for marker in DTD_MARKERS)


@dataclass(frozen=True)
class OfficeFile:
    """How the messages about one kind of Office file read (workbook input, Word report)."""

    #: «Excel 工作簿（.xlsx）», «Word 文档（.docx）».
    kind: str
    #: «Excel 输入», «报告文件»: what may not exceed ``max_bytes``.
    role: str
    suffix: str
    #: The name of its size limit in :mod:`generator.limits` (read when checking).
    limit: str
    #: What to do with an encrypted file, and with an old-format (OLE) one.
    encrypted: str
    old_format: str


def check_office_file(handle: BinaryIO, shown: str, office: OfficeFile) -> None:
    """Size and first bytes, decided before the zip directory is read: a file too large,
    an encrypted or old-format Office file, or not a zip at all is refused in Chinese."""

    def fail(message: str) -> InputError:
        return InputError([Problem(Location(shown), message)])

    try:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(8)
    except OSError as exc:
        raise fail(describe_os_error(exc)) from None
    max_bytes: int = getattr(limits, office.limit)
    if size > max_bytes:
        raise fail(
            f"文件过大（{describe_size(size)}），{office.role}不能超过"
            f"{describe_size(max_bytes)}；请确认选对了文件"
        )
    if head.startswith(OLE_MAGIC):
        raise fail(office.encrypted if _encrypted(handle, max_bytes) else office.old_format)
    if not head.startswith(_ZIP_MAGIC):
        raise fail(
            f"不是有效的 {office.kind}：文件不是 zip 格式，"
            f"可能已损坏，或只是把其他文件的扩展名改成了 {office.suffix}"
        )


def _encrypted(handle: BinaryIO, max_bytes: int) -> bool:
    """An OLE file holding an «EncryptedPackage» stream is a password-protected Office file."""
    try:
        handle.seek(0)
        data = handle.read(min(max_bytes, 8 * 1024 * 1024))
    except OSError:
        return False
    return _ENCRYPTED_STREAM in data
