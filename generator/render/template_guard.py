"""Guards a Word template must pass before python-docx, docxtpl or lxml reads it.

A template from ``--templates`` or the input's 模板目录 is input like any other: it may
be mailed in, damaged or hostile. :func:`read_template` opens it without blocking (a
named pipe called 评价报告.docx is refused, not waited on) and decides from its first
bytes and the zip's central directory alone: too large, not a zip, an old or
password-protected Word file, a zip bomb (judged on all parts together, so many parts
each just under a threshold add up), encrypted entries, a zip that is not a Word
document, too much XML to compile within the answer time, or XML that declares a DTD
(the door to entity expansion). Declared sizes can be trusted: Python's zipfile stops at
the declared size and checks the CRC. The workbook guard
(generator/inputs/excel/guard.py) applies the same rules to .xlsx inputs.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

from generator import limits
from generator.errors import Location, Problem, TemplateError
from generator.inputs.files import describe_os_error
from generator.inputs.zipguard import (
    OLE_MAGIC,
    PROLOG_BYTES,
    ZipBudget,
    check_zip_sizes,
    declares_dtd,
)

__all__ = ["TemplateFileError", "check_template_bytes", "read_template"]

#: First bytes of an OLE compound file: a .doc, or any password-protected Office file.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: Parts compiled or parsed as XML (media and fonts are only copied).
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_REQUIRED = ("[Content_Types].xml", "word/document.xml")
#: Parts compiled as Jinja templates: the body, headers and footers.
_COMPILED = re.compile(r"word/(?:document|header\d*|footer\d*)\.xml")
_MARKUP = re.compile(rb"<[^>]*>")


class TemplateFileError(TemplateError):
    """A template refused by the guards: one problem, located at the template file."""

    def __init__(self, shown: str, message: str) -> None:
        self.problems = [Problem(Location(shown), message)]
        super().__init__(f"{shown}: {message}")


def _budget() -> ZipBudget:
    """Read when checking, so the limits stay adjustable (and testable) in one place."""
    return ZipBudget(
        what="模板",
        maker="Word",
        entries=limits.MAX_TEMPLATE_ENTRIES,
        uncompressed=limits.MAX_TEMPLATE_UNCOMPRESSED,
        ratio=limits.MAX_TEMPLATE_RATIO,
    )


def _fail(shown: str, message: str) -> TemplateFileError:
    return TemplateFileError(shown, message)


def read_template(path: Path) -> bytes:
    """The bytes of the template at ``path``, once they passed every guard."""
    data = _read_regular(path, str(path))
    check_template_bytes(data, str(path))
    return data


def _read_regular(path: Path, name: str) -> bytes:
    """Read a regular file of at most the size limit, never blocking on a pipe or device."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise _fail(name, f"无法读取：{describe_os_error(exc)}") from None
    with os.fdopen(descriptor, "rb") as handle:
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise _fail(name, "不是普通文件（可能是目录、命名管道或设备），不能作为模板")
            if status.st_size > limits.MAX_TEMPLATE_BYTES:
                raise _too_large(name, status.st_size)
            data = handle.read(limits.MAX_TEMPLATE_BYTES + 1)
        except OSError as exc:
            raise _fail(name, f"无法读取：{describe_os_error(exc)}") from None
    if len(data) > limits.MAX_TEMPLATE_BYTES:  # grew while being read
        raise _too_large(name, len(data))
    return data


def _too_large(name: str, size: int) -> TemplateError:
    return _fail(
        name,
        f"文件过大（{limits.describe_size(size)}），模板不能超过"
        f"{limits.describe_size(limits.MAX_TEMPLATE_BYTES)}；请确认选对了文件",
    )


def check_template_bytes(data: bytes, name: str) -> None:
    """Raise :class:`TemplateFileError` unless ``data`` is a bounded, unencrypted .docx.

    ``name`` is the file as messages show it.
    """
    if len(data) > limits.MAX_TEMPLATE_BYTES:
        raise _too_large(name, len(data))
    if data.startswith(OLE_MAGIC):
        raise _fail(
            name,
            "这是旧版 Word 97-2003 文档（.doc）或设置了打开密码的文件：请在 Word 中去掉密码，"
            "“另存为”Word 文档（.docx）后重试",
        )
    if not data.startswith(_ZIP_MAGIC):
        raise _fail(name, "不是有效的 Word（.docx）文件：文件不是 zip 格式，可能已损坏或改过扩展名")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_package(archive, name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise _fail(
            name, "不是有效的 Word（.docx）文件：zip 结构已损坏，请在 Word 中打开并另存后重试"
        ) from None


def _check_package(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    check_zip_sizes(infos, _budget(), lambda message: _fail(name, message))
    names = {info.filename for info in infos}
    missing = [part for part in _REQUIRED if part not in names]
    if missing:
        raise _fail(
            name,
            f"不是 Word 文档：zip 中没有 {missing[0]}（可能是 Excel 文件或其他压缩包改了扩展名）",
        )
    xml = [info for info in infos if info.filename.endswith(_XML_SUFFIXES)]
    markup = sum(info.file_size for info in xml)
    if markup > limits.MAX_TEMPLATE_XML:
        raise _fail(
            name,
            f"模板的文字和格式部分过大（{limits.describe_size(markup)}，上限"
            f"{limits.describe_size(limits.MAX_TEMPLATE_XML)}），无法在时限内编译；"
            "报告模板只需几十 KB，请删去多余内容后重试",
        )
    tags = 0
    for info in xml:
        if not info.file_size:
            continue
        compiled = _COMPILED.fullmatch(info.filename) is not None
        with archive.open(info) as part:
            data = part.read() if compiled else part.read(PROLOG_BYTES)
        if declares_dtd(data):
            raise _fail(
                name,
                f"模板中的“{info.filename}”含有 DTD 声明（<!DOCTYPE），"
                "Word 不会生成这种内容，为安全起见已拒绝",
            )
        if compiled:
            # Counted in the text without its markup: Word splits a tag over several runs.
            plain = _MARKUP.sub(b"", data)
            tags += plain.count(b"{{") + plain.count(b"{%")
    if tags > limits.MAX_TEMPLATE_TAGS:
        raise _fail(
            name,
            f"模板含有{tags}个模板标签（{{{{ … }}}}、{{% … %}}），超过上限{limits.MAX_TEMPLATE_TAGS}个，"
            "无法在时限内编译；报告模板只需一两百个标签",
        )
