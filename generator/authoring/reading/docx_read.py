"""Read a Word report (.docx) into blocks: the body's paragraphs and tables in reading order.

Last year's report comes from anywhere (a bureau's website, an e-mail), so the file is
checked before anything parses it, with the rules every zip we open follows
(generator/inputs/zipguard.py): size, part count, compression ratio, encrypted parts,
DTD declarations; a macro part (vbaProject.bin) is refused too. The body is parsed
once with lxml and walked directly: python-docx builds an object per paragraph and its
``table.cell`` is quadratic, which a 40-page volume with a dozen large tables feels.

What is read: each body paragraph's text (runs, hyperlinks, insertions, content
controls; not deleted text, text boxes, headers or footers) and style name; each
table as rows of cell texts on the table's grid, a merged cell (``gridSpan``,
``vMerge``) repeated in every grid cell it covers and a nested table flattened into
its cell's text (cells joined by a tab, rows by a line break). Paragraphs and tables
are numbered as a user counts them: «第N段» among the non-empty paragraphs,
«第N个表格». The bookmarks genreport puts around the user's own words
(generator/core/bookmarks.py) set ``Paragraph.slot`` / ``note_of`` / ``own_text``.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from generator import limits
from generator.authoring.reading.blocks import Block, Paragraph, SourceDocument, Table
from generator.core.bookmarks import PREFIX, Bookmark, parse_bookmark
from generator.errors import InputError, Location, Problem
from generator.inputs.files import open_regular
from generator.inputs.models import Fund, Narrative
from generator.inputs.zipguard import (
    DTD_MARKERS,
    PROLOG_BYTES,
    OfficeFile,
    ZipBudget,
    check_office_file,
    check_zip_sizes,
)
from generator.render.fingerprint import FINGERPRINT_PROPERTY, safe_parser

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
#: Stream that only an encrypted OOXML package has, as stored in the OLE directory.
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_MACROS = "vbaproject.bin"


def _slot_names() -> dict[str, str]:
    """Narrative field → the slot's Chinese name, as the input and the recognisers call it."""
    model = Fund.model_fields["narrative"].annotation
    narrative = model if isinstance(model, type) and issubclass(model, Narrative) else Narrative
    return {name: info.alias or name for name, info in narrative.model_fields.items()}


_SLOT_NAMES = _slot_names()
#: python-docx shows these built-in style names capitalised; so do we.
_UI_NAMES = {"caption", "footer", "header", *(f"heading {n}" for n in range(1, 10))}

_P, _TBL, _TR, _TC, _R, _T = (f"{_W}{tag}" for tag in ("p", "tbl", "tr", "tc", "r", "t"))
_BOOKMARK_START, _BOOKMARK_END = f"{_W}bookmarkStart", f"{_W}bookmarkEnd"
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
#: Inline containers whose runs a reader sees (deleted and moved-away text is not read).
_INLINE = frozenset(
    f"{_W}{tag}" for tag in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo")
)
#: Run children and the text they stand for (a page or column break stands for none).
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-", f"{_W}ptab": "\t"}
_BR = f"{_W}br"
_ID, _NAME, _VAL, _TYPE = (f"{_W}{a}" for a in ("id", "name", "val", "type"))


def _fail(name: str, message: str) -> InputError:
    return InputError([Problem(Location(name), message)])


def _budget() -> ZipBudget:
    """Read when checking, so the limits stay adjustable (and testable) in one place."""
    return ZipBudget(
        what="文档",
        maker="Word",
        entries=limits.MAX_REPORT_ENTRIES,
        uncompressed=limits.MAX_REPORT_UNCOMPRESSED,
        ratio=limits.MAX_REPORT_RATIO,
    )


def read_docx(path: Path, name: str) -> SourceDocument:
    """The blocks of the Word report at ``path``; ``name`` is the file as messages show it."""
    with open_regular(path, name) as handle:
        check_office_file(handle, name, _REPORT)
        try:
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                parts = _read_parts(archive, name)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise _damaged(name) from None
    document, styles, custom = parts
    try:
        root = etree.fromstring(document, safe_parser())
        style_names = _style_names(styles)
    except etree.XMLSyntaxError:
        raise _damaged(name) from None
    reader = _Reader(style_names)
    body = root.find(f"{_W}body")
    if body is not None:
        reader.walk(body)
    properties = _custom_properties(custom)
    marked = reader.marked or FINGERPRINT_PROPERTY in properties
    return SourceDocument(Path(name).name, tuple(reader.blocks), "docx", marked, properties)


def _custom_properties(custom: bytes) -> dict[str, str]:
    """The text custom properties (Word: 文件→属性→自定义); {} when absent or unreadable."""
    if not custom:
        return {}
    try:
        root = etree.fromstring(custom, safe_parser())
    except etree.XMLSyntaxError:
        return {}
    found: dict[str, str] = {}
    for prop in root:
        name = prop.get("name")
        if name:
            found[name] = "".join(prop.itertext()).strip()
    return found


def _damaged(name: str) -> InputError:
    return _fail(
        name, "不是有效的 Word 文档（.docx）：文件结构已损坏，请在 Word 中打开并另存后重试"
    )


_REPORT = OfficeFile(
    kind="Word 文档（.docx）",
    role="报告文件",
    suffix=".docx",
    limit="MAX_REPORT_BYTES",
    encrypted=(
        "文档设置了打开密码（已加密），无法读取：请在 Word 中打开，"
        "“文件→信息→保护文档→用密码进行加密”，清空密码后“另存为”Word 文档（.docx），再重试"
    ),
    old_format=(
        "这是旧版 Word 97-2003 文档（.doc）或其他旧版 Office 文件：请在 Word 或 WPS 中"
        "“另存为”Word 文档（.docx）后重试"
    ),
)


def _declares_dtd(data: bytes) -> bool:
    return any(marker in data for marker in DTD_MARKERS)


def _read_parts(archive: zipfile.ZipFile, name: str) -> tuple[bytes, bytes, bytes]:
    """The checked body, styles and custom properties of the package (b"" when absent)."""
    infos = archive.infolist()
    check_zip_sizes(infos, _budget(), lambda message: _fail(name, message))
    by_name = {info.filename: info for info in infos}
    for info in infos:
        if posixpath.basename(info.filename).lower() == _MACROS:
            raise _fail(
                name,
                f"文档含有宏（{info.filename}），可能是启用宏的文档（.docm）改了扩展名，"
                "为安全起见不读取：请在 Word 中“另存为”Word 文档（.docx）后重试",
            )
    for info in infos:
        if info.filename.endswith(_XML_SUFFIXES) and info.file_size:
            with archive.open(info) as part:
                prolog = part.read(PROLOG_BYTES)
            if _declares_dtd(prolog):
                raise _dtd(name, info.filename)

    def read(part: str, *, whole_limit: int = limits.MAX_REPORT_XML) -> bytes:
        info = by_name.get(part)
        if info is None:
            return b""
        if info.file_size > whole_limit:
            raise _fail(
                name,
                f"文档正文过大（{limits.describe_size(info.file_size)}，上限"
                f"{limits.describe_size(whole_limit)}），不像一份报告；请确认选对了文件",
            )
        data = archive.read(info)
        if _declares_dtd(data):  # anywhere, not only in the prolog: markup text is escaped
            raise _dtd(name, part)
        return data

    main = _target(read("_rels/.rels"), "", "officeDocument") or "word/document.xml"
    if "[Content_Types].xml" not in by_name or main not in by_name:
        raise _fail(
            name,
            f"不是 Word 文档：zip 中没有 {main}（可能是 Excel 文件或其他压缩包改了扩展名）",
        )
    folder = posixpath.dirname(main)
    rels = read(posixpath.join(folder, "_rels", posixpath.basename(main) + ".rels"))
    styles = _target(rels, folder, "styles") or posixpath.join(folder, "styles.xml")
    return read(main), read(styles), read("docProps/custom.xml")


def _dtd(name: str, part: str) -> InputError:
    return _fail(
        name, f"文档中的“{part}”含有 DTD 声明（<!DOCTYPE），Word 不会生成这种内容，为安全起见已拒绝"
    )


def _target(rels: bytes, folder: str, kind: str) -> str:
    """The part a relationship of ``kind`` points at, as a path in the zip ("" if none)."""
    if not rels:
        return ""
    try:
        root = etree.fromstring(rels, safe_parser())
    except etree.XMLSyntaxError:
        return ""
    for rel in root.iter(_REL):
        if rel.get("Type", "").endswith(f"/{kind}") and rel.get("TargetMode") != "External":
            target: str = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join(folder, target))
    return ""


@dataclass(frozen=True)
class _Styles:
    names: dict[str, str]
    default: str


def _style_names(styles: bytes) -> _Styles:
    """Paragraph style id → name, and the name of the default paragraph style."""
    names: dict[str, str] = {}
    default = ""
    if not styles:
        return _Styles(names, default)
    for style in etree.fromstring(styles, safe_parser()).iter(f"{_W}style"):
        if style.get(_TYPE) != "paragraph":
            continue
        found = style.find(f"{_W}name")
        shown = found.get(_VAL, "") if found is not None else ""
        shown = shown.capitalize() if shown in _UI_NAMES else shown
        names[style.get(f"{_W}styleId", "")] = shown
        if style.get(f"{_W}default") in ("1", "true", "on"):
            default = shown
    return _Styles(names, default)


@dataclass
class _Text:
    """The text of one paragraph as it is walked, and the part inside genreport's marks."""

    pieces: list[str] = field(default_factory=list)
    own: list[str] = field(default_factory=list)
    marks: list[Bookmark] = field(default_factory=list)


class _Reader:
    """Walks a body once, in reading order, collecting its blocks."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self.open: dict[str, Bookmark] = {}
        self.marked = False

    # ------------------------------------------------------------------ body

    def walk(self, container: Any) -> None:
        for child in container:
            tag = child.tag
            if tag == _P:
                self.paragraph(child)
            elif tag == _TBL:
                self.tables += 1
                rows = tuple(tuple(row) for row in self.grid(child))
                self.blocks.append(Table(rows, f"第{self.tables}个表格"))
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.walk(content)
            elif tag == _CUSTOM_XML:
                self.walk(child)
            elif tag in (_BOOKMARK_START, _BOOKMARK_END):
                self.bookmark(child, None)

    def paragraph(self, p: Any) -> None:
        text = _Text()
        self.inline(p, text)
        whole = "".join(text.pieces)
        if not whole.strip():
            return
        self.paragraphs += 1
        slot = next((_SLOT_NAMES.get(m.field) for m in text.marks if m.field), None)
        note = next((m.note for m in text.marks if m.note), None)
        self.blocks.append(
            Paragraph(
                whole,
                f"第{self.paragraphs}段",
                self.style(p),
                slot,
                note,
                "".join(text.own) if text.marks else None,
            )
        )

    def style(self, p: Any) -> str:
        properties = p.find(f"{_W}pPr")
        found = properties.find(f"{_W}pStyle") if properties is not None else None
        if found is None:
            return self.styles.default
        return self.styles.names.get(found.get(_VAL, ""), self.styles.default)

    # ------------------------------------------------------------------ text

    def bookmark(self, element: Any, text: _Text | None) -> None:
        ident = element.get(_ID, "")
        if element.tag == _BOOKMARK_END:
            self.open.pop(ident, None)
            return
        name = element.get(_NAME, "")
        if not name.startswith(PREFIX):
            return
        meaning = parse_bookmark(name)
        if meaning is None:
            return
        self.marked = True
        self.open[ident] = meaning
        if text is not None:
            text.marks.append(meaning)

    def inline(self, parent: Any, text: _Text | None) -> None:
        """The text of a paragraph's content (``text`` None: only follow the bookmarks)."""
        for child in parent:
            tag = child.tag
            if tag == _R:
                if text is not None:
                    piece = _run_text(child)
                    text.pieces.append(piece)
                    if self.open and piece:
                        text.own.append(piece)
                        for meaning in self.open.values():
                            if meaning not in text.marks:
                                text.marks.append(meaning)
            elif tag in (_BOOKMARK_START, _BOOKMARK_END):
                self.bookmark(child, text)
            elif tag in _INLINE:
                self.inline(child, text)
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.inline(content, text)

    # ------------------------------------------------------------------ tables

    def grid(self, tbl: Any) -> list[list[str]]:
        """Rows of cell texts on the table's grid, merged cells repeated."""
        rows: list[list[str]] = []
        for tr in _children(tbl, _TR):
            row: list[str] = [""] * _number(tr.find(f"{_W}trPr"), "gridBefore", 0)
            for tc in _children(tr, _TC):
                properties = tc.find(f"{_W}tcPr")
                span = max(_number(properties, "gridSpan", 1), 1)
                merge = properties.find(f"{_W}vMerge") if properties is not None else None
                if merge is not None and merge.get(_VAL, "continue") == "continue":
                    column = len(row)
                    above = rows[-1] if rows else []
                    text = above[column] if column < len(above) else ""
                    self.cell(tc)  # follow its bookmarks; its text is the cell above's
                else:
                    text = self.cell(tc)
                row.extend([text] * span)
            rows.append(row)
        return rows

    def cell(self, tc: Any) -> str:
        """A cell's paragraphs joined by line breaks, a nested table flattened among them."""
        lines: list[str] = []
        for child in _children(tc, _P, _TBL):
            if child.tag == _P:
                text = _Text()
                self.inline(child, text)
                lines.append("".join(text.pieces))
            else:
                lines.extend("\t".join(_distinct(row)) for row in self.grid(child))
        return "\n".join(lines)


def _children(parent: Any, *tags: str) -> list[Any]:
    """Children of the given tags, looking through content controls and custom XML."""
    found: list[Any] = []
    for child in parent:
        if child.tag in tags:
            found.append(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                found.extend(_children(content, *tags))
        elif child.tag == _CUSTOM_XML:
            found.extend(_children(child, *tags))
    return found


def _distinct(row: list[str]) -> list[str]:
    """A nested row without the repeats of a cell spanning several columns."""
    return [text for i, text in enumerate(row) if i == 0 or text != row[i - 1]]


def _number(properties: Any, tag: str, default: int) -> int:
    found = properties.find(f"{_W}{tag}") if properties is not None else None
    if found is None:
        return default
    try:
        return min(int(found.get(_VAL, default)), 64)
    except ValueError:
        return default


def _run_text(run: Any) -> str:
    """A run's text as Word shows it: text, tabs, line breaks (not page breaks)."""
    out: list[str] = []
    for child in run:
        tag = child.tag
        if tag == _T:
            out.append(child.text or "")
        elif tag == _BR:
            if child.get(_TYPE, "textWrapping") == "textWrapping":
                out.append("\n")
        else:
            known = _RUN_TEXT.get(tag)
            if known:
                out.append(known)
    return "".join(out)
