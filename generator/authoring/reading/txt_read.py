"""Read a report as plain text (copied from a website, or saved from Word as .txt).

Chinese websites still serve GB18030/GBK as often as UTF-8, and Windows editors save
UTF-16, so all three are accepted (UTF-16 only with its byte order mark, which Windows
always writes). Debris of the conversion (``[bookmark: _GoBack]``) and characters that
print nothing (zero-width spaces, direction marks, generator/core/text.py) are dropped;
a full-width space inside a line is kept, at its ends stripped like any space.

Each non-empty line is a paragraph, numbered by its line in the file («第N行»). A table
saved as text arrives flattened: each cell on its own line starting with a tab, rows
separated by a blank line, and a cell whose text had a line break continued on the next
line without a tab. Such a block is rebuilt as a :class:`Table` (cells in row order, the
continued line joined to its cell by a line break, as a Word cell's paragraphs are); a
lone tab-indented line stays a paragraph.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import limits
from generator.authoring.reading.blocks import Block, Paragraph, SourceDocument, Table
from generator.core.text import HIDDEN_RANGES
from generator.errors import InputError, Location, Problem
from generator.inputs.files import describe_os_error, open_regular

__all__ = ["decode_report_text", "read_txt", "text_blocks"]

_DEBRIS = re.compile(r"\[bookmark: [^\]\n]*\]")
_HIDDEN = str.maketrans(
    {
        point: None
        for low, high in HIDDEN_RANGES
        for point in range(low, high + 1)
        if point not in (0x09, 0x0A, 0x0D, 0x85, 0x2028, 0x2029)
    }
)
#: Lines end at these (str.splitlines also takes form feeds and other controls).
_LINE_BREAK = re.compile("\r\n|[\r\n\u0085\u2028\u2029]")
#: Leading bytes of files people save as .txt by mistake, and what to call them.
_NOT_TEXT: tuple[tuple[bytes, str], ...] = (
    (
        b"PK\x03\x04",
        "这是 Word 文档（.docx）或其他压缩文件，不是纯文本：请把扩展名改回 .docx 后重试",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "这是旧版 Word 文档（.doc）或加密的 Office 文件，不是纯文本："
        "请在 Word 或 WPS 中“另存为”Word 文档（.docx）后重试",
    ),
    (b"%PDF", "这是 PDF 文件，不是纯文本：请从 PDF 中复制文字另存为 .txt，或使用 Word 版报告"),
    (b"{\\rtf", "这是 RTF 文档，不是纯文本：请在 Word 中“另存为”Word 文档（.docx）后重试"),
)


def _fail(name: str, message: str) -> InputError:
    return InputError([Problem(Location(name), message)])


def read_txt(path: Path, name: str) -> SourceDocument:
    """The blocks of the text report at ``path``; ``name`` is the file as messages show it."""
    with open_regular(path, name) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if size > limits.MAX_REPORT_TEXT_BYTES:
                raise _too_large(name, size)
            raw = handle.read(limits.MAX_REPORT_TEXT_BYTES + 1)
        except OSError as exc:
            raise _fail(name, describe_os_error(exc)) from None
    if len(raw) > limits.MAX_REPORT_TEXT_BYTES:  # grew while being read
        raise _too_large(name, len(raw))
    return SourceDocument(Path(name).name, text_blocks(decode_report_text(raw, name)), "txt")


def _too_large(name: str, size: int) -> InputError:
    return _fail(
        name,
        f"文件过大（{limits.describe_size(size)}），纯文本报告不能超过"
        f"{limits.describe_size(limits.MAX_REPORT_TEXT_BYTES)}；请确认选对了文件",
    )


def decode_report_text(raw: bytes, name: str) -> str:
    """The text of a report file: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail(
                name, "文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文本，可能已损坏"
            ) from None
    for magic, message in _NOT_TEXT:
        if raw.startswith(magic):
            raise _fail(name, message)
    if b"\x00" in raw:
        raise _fail(
            name,
            "文件含有空字节，不是纯文本（可能是没有字节序标记的 UTF-16 文本，或其他格式的文件）："
            "请用记事本打开，“另存为”时编码选 UTF-8 后重试",
        )
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    raise _fail(
        name,
        "无法识别文件的文字编码（既不是 UTF-8，也不是 GB18030/GBK 或带标记的 UTF-16）："
        "请用记事本打开，“另存为”时编码选 UTF-8 后重试",
    )


def _clean(line: str) -> str:
    """A line without conversion debris and invisible characters (its ends not stripped)."""
    return _DEBRIS.sub("", line).translate(_HIDDEN)


@dataclass
class _Flat:
    """A run of tab lines being read back as a table, and where it started."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    """Each line as read (number, text): the paragraphs, should it be no table."""
    rows: list[list[str]] = field(default_factory=lambda: [[]])

    def is_table(self) -> bool:
        """Two rows, one with two cells at least: a lone indented line is a paragraph."""
        return len(self.rows) >= 2 and any(len(row) >= 2 for row in self.rows)


def text_blocks(text: str) -> tuple[Block, ...]:
    """Paragraphs («第N行») and the tables rebuilt from tab-led lines, in order."""
    blocks: list[Block] = []
    tables = 0
    flat: _Flat | None = None
    blank = False  # the previous line was blank (inside a table: a row ended)

    def close() -> None:
        nonlocal flat, tables
        if flat is None:
            return
        flat.rows = [row for row in flat.rows if row]
        if flat.is_table():
            tables += 1
            rows = tuple(tuple(row) for row in flat.rows)
            blocks.append(Table(rows, f"第{tables}个表格"))
        else:
            blocks.extend(Paragraph(text, f"第{n}行") for n, text in flat.lines if text)
        flat = None

    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        line = _clean(raw)
        if line.startswith("\t"):
            cell = line.strip()
            if flat is None:
                flat = _Flat()
            elif blank:
                flat.rows.append([])
            flat.rows[-1].append(cell)
            flat.lines.append((number, cell))
            blank = False
            continue
        stripped = line.strip()
        if not stripped:
            blank = True
            continue
        if flat is not None and not blank and flat.rows[-1]:
            # A cell's text continued on the next line (its line break in the table).
            cell = flat.rows[-1][-1]
            flat.rows[-1][-1] = f"{cell}\n{stripped}" if cell else stripped
            flat.lines.append((number, stripped))
            continue
        close()
        blank = False
        blocks.append(Paragraph(stripped, f"第{number}行"))
    close()
    return tuple(blocks)
