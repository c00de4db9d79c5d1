"""Read a workbook's XML parts with expat, keeping only what the input contract needs.

openpyxl materialises every cell of a sheet's used rectangle and every cell of a merged
range, so a file of a few KB with one stray cell at row 1,048,576, or one merged range
over a million rows, costs minutes and gigabytes. This reader walks each part once: it
keeps the cells that hold a value or a formula (cells with formatting only are counted
and dropped), keeps a merged range as its four corners, ignores what a part declares
about its own size (``<dimension>``, ``spans``), and charges every byte and every XML
element it reads, in every part, to one :class:`Budget`. The work is therefore bounded
by what the file really holds and by the budget, never by what it claims.

Values are the ones openpyxl's ``data_only`` load gives (the same number casts, date
rules and shared-string text), so a workbook reads the same as before, cell by cell.
The parser refuses a DTD, so entity expansion cannot happen whatever the guard missed.
"""

from __future__ import annotations

import datetime
import math
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast
from xml.parsers import expat

from generator import limits
from generator.core.text import visible
from generator.errors import InputError, Location, Problem

__all__ = [
    "Budget",
    "CellData",
    "SheetData",
    "SheetEntry",
    "Span",
    "WorkbookXml",
    "column_letter",
]

#: Excel's grid: columns A..XFD, rows 1..1,048,576.
MAX_COLUMN = 16_384
MAX_ROW = 1_048_576
_CHUNK = 64 * 1024
_COORDINATE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
#: Column letters seen so far → column number (at most Excel's 16,384 columns).
_COLUMNS: dict[str, int] = {}
_REL_TYPE_STYLES = "/styles"
_REL_TYPE_STRINGS = "/sharedStrings"


def column_letter(index: int) -> str:
    """1 → A, 28 → AB (the spreadsheet's own column names)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index


def parse_coordinate(text: str) -> tuple[int, int] | None:
    """``"B12"`` → (12, 2); None when it is not a cell of Excel's grid."""
    letters = text.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is None:
        match = _COORDINATE.fullmatch(text.strip())
        if match is None:
            return None
        letters, digits = match.group(1), match.group(2)
        column = _column_index(letters)
        if len(_COLUMNS) < MAX_COLUMN and letters.isupper() and 1 <= column <= MAX_COLUMN:
            _COLUMNS[letters] = column
    else:
        digits = text[len(letters) :]
        if not digits.isascii() or not digits.isdigit() or len(digits) > 7:
            return None
    row = int(digits)
    if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
        return None
    return row, column


@dataclass(frozen=True, slots=True)
class CellData:
    """A cell that holds something: its value as openpyxl gives it, and how it is shown."""

    value: Any
    number_format: str = "General"
    #: An error value (``#DIV/0!``) that a formula left.
    error: bool = False
    #: The formula (``=900+50``), kept only when Excel saved no result for it.
    formula: str = ""


@dataclass(frozen=True, slots=True)
class Span:
    """A merged range, as its corners; it is never expanded cell by cell."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def top_left(self) -> tuple[int, int]:
        return self.min_row, self.min_col


@dataclass
class SheetData:
    """What one sheet holds: only real cells, merged ranges and hidden column ranges."""

    title: str
    cells: dict[tuple[int, int], CellData] = field(default_factory=dict)
    merged: list[Span] = field(default_factory=list)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    #: (row, column) of the far corner of every ``<c>`` element and merged range,
    #: values or not: the rectangle openpyxl would build for this sheet.
    extent: tuple[int, int] = (0, 0)
    #: Cells the reader could not make sense of: (cell, message).
    problems: list[tuple[str, str]] = field(default_factory=list)

    def is_hidden_column(self, column: int) -> bool:
        return any(low <= column <= high for low, high in self.hidden_columns)


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook lists it."""

    title: str
    hidden: bool
    #: The zip member holding its cells ("" when the workbook names none).
    part: str


class Budget:
    """One allowance of bytes and XML elements for everything read from one workbook."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.bytes_left = limits.MAX_WORKBOOK_UNCOMPRESSED
        self.elements_left = limits.MAX_WORKBOOK_XML_ELEMENTS

    def spend_bytes(self, count: int, what: str) -> None:
        self.bytes_left -= count
        if self.bytes_left < 0:
            raise _fail(
                self.name,
                f"{what}：读取的内容超过{limits.describe_size(limits.MAX_WORKBOOK_UNCOMPRESSED)}"
                "（整个工作簿共用这一上限），已停止读取",
            )

    def exhausted(self, what: str) -> InputError:
        return _fail(
            self.name,
            f"{what}内容过多：整个工作簿读取的 XML 元素超过{limits.MAX_WORKBOOK_XML_ELEMENTS}个"
            "（常见原因：大片只有格式、没有内容的行和列）；请删除多余的行和列后另存",
        )


def _fail(name: str, message: str, cell: str = "") -> InputError:
    return InputError([Problem(Location(name, cell=cell), message)])


def _local(name: str) -> str:
    """``x:c`` → ``c``: names are matched without their prefix (expat's namespace
    processing would cost a third of the reading time, and no part mixes two
    vocabularies under one local name where it matters)."""
    return name[name.find(":") + 1 :]


#: The sheet elements the reader looks at, for a dictionary hit on the usual spelling.
_LOCAL = {local: local for local in ("c", "v", "f", "is", "t", "r", "rPh", "row", "col")}


def _attribute(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by local name, whatever namespace prefix it was written with."""
    value = attrs.get(local)
    if value is not None:
        return value
    for key, found in attrs.items():
        if key.endswith(":" + local):
            return found
    return None


def _true(text: str | None) -> bool:
    return text is not None and text.strip().lower() not in ("", "false", "f", "0")


class _Handler:
    """Base of the per-part handlers: counts elements against the budget."""

    def __init__(self, budget: Budget, what: str) -> None:
        self.budget = budget
        self.what = what

    def count(self) -> None:
        budget = self.budget
        budget.elements_left -= 1
        if budget.elements_left < 0:
            raise budget.exhausted(self.what)

    def start(self, _name: str, _attrs: dict[str, str]) -> None:
        self.count()

    def end(self, _name: str) -> None:
        """Most parts need only their start tags."""

    def text(self, _data: str) -> None:
        """Most parts need no text."""


def _refuse_dtd(name: str, what: str) -> Callable[..., None]:
    def refuse(*_: Any) -> None:
        raise _fail(
            name, f"{what}含有 DTD 声明（<!DOCTYPE），Excel 不会生成这种内容，为安全起见已拒绝"
        )

    return refuse


class WorkbookXml:
    """An opened workbook: its sheet list, number formats and shared strings.

    Sheets are read on demand by :meth:`sheet`, so sheets the contract does not name
    (instructions, hidden helpers, copies) cost nothing beyond their place in the list.
    """

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive = archive
        self.name = name
        self.budget = Budget(name)
        self.members = {info.filename for info in archive.infolist()}
        self.epoch_1904 = False
        self.entries: list[SheetEntry] = []
        self.formats: list[tuple[str, bool, bool]] = []
        self.strings: list[str] = []
        rels = self._relationships("xl/_rels/workbook.xml.rels", "xl")
        self._read_workbook(rels)
        self._read_styles(self._target(rels, _REL_TYPE_STYLES, "xl/styles.xml"))
        self._read_strings(self._target(rels, _REL_TYPE_STRINGS, "xl/sharedStrings.xml"))

    # ---------------------------------------------------------------- plumbing

    def _parse(self, part: str, handler: _Handler, what: str) -> None:
        """Feed one zip member to ``handler`` through expat, charging the budget."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = _refuse_dtd(self.name, what)
        parser.EntityDeclHandler = _refuse_dtd(self.name, what)
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        try:
            with self.archive.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    self.budget.spend_bytes(len(chunk), what)
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _fail(
                self.name,
                f"{what}不是有效的 XML（第{exc.lineno}行）：文件可能已损坏，"
                "请在 Excel 中打开并另存后重试",
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise _fail(
                self.name, f"{what}无法解压：文件可能已损坏，请在 Excel 中打开并另存后重试"
            ) from None

    def _relationships(self, part: str, base: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, zip member) of one ``.rels`` part."""
        found: dict[str, tuple[str, str]] = {}
        if part not in self.members:
            return found

        budget = self.budget

        class Rels(_Handler):
            def start(self, name: str, attrs: dict[str, str]) -> None:
                self.count()
                if _local(name) != "Relationship" or attrs.get("TargetMode") == "External":
                    return
                target = attrs.get("Target", "")
                member = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(base, target))
                )
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), member)

        self._parse(part, Rels(budget, part), f"工作簿中的“{part}”")
        return found

    def _target(self, rels: dict[str, tuple[str, str]], suffix: str, default: str) -> str:
        for kind, member in rels.values():
            if kind.endswith(suffix) and member in self.members:
                return member
        return default if default in self.members else ""

    # ---------------------------------------------------------------- workbook parts

    def _read_workbook(self, rels: dict[str, tuple[str, str]]) -> None:
        entries = self.entries
        reader = self

        class Book(_Handler):
            def start(self, name: str, attrs: dict[str, str]) -> None:
                self.count()
                local = _local(name)
                if local == "workbookPr":
                    reader.epoch_1904 = _true(attrs.get("date1904"))
                elif local == "sheet":
                    if len(entries) >= limits.MAX_WORKBOOK_ENTRIES:
                        # Each sheet is a part of the zip, and parts are bounded.
                        raise _fail(
                            reader.name,
                            f"工作簿列出的工作表过多（超过{limits.MAX_WORKBOOK_ENTRIES}张），"
                            "不像 Excel 生成的文件，已拒绝",
                        )
                    target = rels.get(_attribute(attrs, "id") or "", ("", ""))[1]
                    entries.append(
                        SheetEntry(
                            title=attrs.get("name", ""),
                            hidden=attrs.get("state", "visible") != "visible",
                            part=target if target in reader.members else "",
                        )
                    )

        self._parse("xl/workbook.xml", Book(self.budget, "xl/workbook.xml"), "工作簿目录")

    def _read_styles(self, part: str) -> None:
        """Each cell style's number format, and whether openpyxl reads it as a date."""
        if not part:
            return
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        custom: dict[int, str] = {}
        format_ids: list[int] = []

        class Styles(_Handler):
            def __init__(self, budget: Budget, what: str) -> None:
                super().__init__(budget, what)
                self.path: list[str] = []

            def start(self, name: str, attrs: dict[str, str]) -> None:
                self.count()
                local = _local(name)
                parent = self.path[-1] if self.path else ""
                self.path.append(local)
                if local == "numFmt" and parent == "numFmts":
                    number = _int(attrs.get("numFmtId"))
                    if number is not None:
                        custom[number] = attrs.get("formatCode", "")
                elif local == "xf" and parent == "cellXfs":
                    format_ids.append(_int(attrs.get("numFmtId")) or 0)

            def end(self, _name: str) -> None:
                self.path.pop()

        self._parse(part, Styles(self.budget, part), f"工作簿中的“{part}”")
        known: dict[int, tuple[str, bool, bool]] = {}
        for number in format_ids:
            if number not in known:
                code = custom[number] if number in custom else BUILTIN_FORMATS.get(number)
                known[number] = (code or "General", is_date_format(code), is_timedelta_format(code))
            self.formats.append(known[number])

    def _read_strings(self, part: str) -> None:
        """The shared strings, as openpyxl reads them (phonetic runs left out)."""
        if not part:
            return
        strings = self.strings

        class Strings(_Handler):
            def __init__(self, budget: Budget, what: str) -> None:
                super().__init__(budget, what)
                self.pieces: list[str] = []
                self.phonetic = 0
                self.in_text = False

            def start(self, name: str, _attrs: dict[str, str]) -> None:
                self.count()
                local = _local(name)
                if local == "si":
                    self.pieces = []
                elif local == "rPh":
                    self.phonetic += 1
                elif local == "t" and not self.phonetic:
                    self.in_text = True

            def end(self, name: str) -> None:
                local = _local(name)
                if local == "si":
                    strings.append("".join(self.pieces).replace("x005F_", ""))
                elif local == "rPh":
                    self.phonetic -= 1
                elif local == "t":
                    self.in_text = False

            def text(self, data: str) -> None:
                if self.in_text:
                    self.pieces.append(data)

        self._parse(part, Strings(self.budget, part), f"工作簿中的“{part}”")

    # ---------------------------------------------------------------- sheets

    def sheet(self, entry: SheetEntry, *, extent: bool = False) -> SheetData:
        """Read one sheet's cells; every element is charged to the workbook's budget.

        ``extent=True`` also measures the rectangle of every cell, values or not.
        """
        data = SheetData(entry.title)
        if entry.part:
            what = f"工作表“{visible(entry.title)}”"
            self._parse(entry.part, _SheetHandler(self, data, what, extent), what)
        return data


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _number(text: str) -> int | float | None:
    """openpyxl's cast of a number cell; None for text no number reads as, or ±inf."""
    try:
        value: int | float = (
            float(text) if ("." in text or "e" in text or "E" in text) else int(text)
        )
    except ValueError:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class _SheetHandler(_Handler):
    """Collects one sheet's real cells, merged ranges and hidden columns.

    Most elements of a large sheet are cells with formatting only; they take the
    shortest path (no address parsed unless the sheet's extent is wanted).
    """

    def __init__(self, book: WorkbookXml, data: SheetData, what: str, extent: bool) -> None:
        super().__init__(book.budget, what)
        self.book = book
        self.data = data
        self.track_extent = extent
        self.row = 0
        self.column = 0
        #: Address of the last cell whose column was not worked out yet.
        self.pending: str | None = None
        self.depth_in_cell = 0
        self.capture: list[str] | None = None
        self.phonetic = 0
        self.shared_formulas: dict[str, tuple[str, str]] = {}
        self.cell_attrs: dict[str, str] = {}
        self.value_text: list[str] | None = None
        self.inline_text: list[str] | None = None
        self.formula_text: list[str] | None = None
        self.formula_attrs: dict[str, str] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        budget = self.budget
        budget.elements_left -= 1
        if budget.elements_left < 0:
            raise budget.exhausted(self.what)
        local = _LOCAL.get(name) or _local(name)
        if self.depth_in_cell:
            self.depth_in_cell += 1
            self._start_in_cell(local, attrs)
        elif local == "c":
            self.depth_in_cell = 1
            self.cell_attrs = attrs
            self.value_text = self.inline_text = self.formula_text = None
        elif local == "row":
            number = _int(attrs.get("r"))
            self.row = number if number is not None else self.row + 1
            self.column = 0
            self.pending = None
        elif local == "mergeCell":
            self._merge(attrs.get("ref", ""))
        elif local == "col" and _true(attrs.get("hidden")):
            low, high = _int(attrs.get("min")), _int(attrs.get("max"))
            if low is not None and high is not None:
                self.data.hidden_columns.append((low, high))

    def _start_in_cell(self, local: str, attrs: dict[str, str]) -> None:
        if self.depth_in_cell != 2 and not (self.inline_text is not None and local == "t"):
            if local == "rPh":
                self.phonetic += 1
            return
        if local == "v":
            self.value_text = self.capture = []
        elif local == "f":
            self.formula_attrs = attrs
            self.formula_text = self.capture = []
        elif local == "is":
            self.inline_text = []
        elif local == "t" and self.inline_text is not None and not self.phonetic:
            self.capture = self.inline_text

    def end(self, name: str) -> None:
        if not self.depth_in_cell:
            return
        self.depth_in_cell -= 1
        if self.depth_in_cell == 0:
            self.capture = None
            if self.value_text is None and self.inline_text is None and self.formula_text is None:
                self._formatting_only()
            else:
                self._finish_cell()
            return
        local = _LOCAL.get(name) or _local(name)
        if local == "rPh" and self.phonetic:
            self.phonetic -= 1
        elif local in ("v", "f", "t"):
            self.capture = None

    def text(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)

    def _where(self, row: int, column: int) -> str:
        return f"{self.data.title}!{column_letter(column)}{row}"

    def _formatting_only(self) -> None:
        """A cell with no value and no formula: only its place may matter."""
        ref = self.cell_attrs.get("r")
        if ref is None:
            self.column = self._current_column() + 1
        elif self.track_extent:
            self._place(ref)
        else:
            self.pending = ref

    def _current_column(self) -> int:
        """The column of the last cell: openpyxl numbers an unaddressed cell after it."""
        if self.pending is not None:
            place = parse_coordinate(self.pending)
            self.column = place[1] if place is not None else self.column
            self.pending = None
        return self.column

    def _place(self, ref: str | None) -> tuple[int, int] | None:
        """Row and column of the cell just read; None (with a problem) for a bad address."""
        if ref is None:
            place = (self.row, self._current_column() + 1)
        else:
            found = parse_coordinate(ref)
            if found is None:
                self.data.problems.append(
                    (
                        self.data.title,
                        f"单元格地址“{ref[:20]}”不在 Excel 的表格范围内"
                        "（文件可能已损坏）：请在 Excel 中打开并另存后重试",
                    )
                )
                return None
            place = found
        self.pending = None
        self.column = place[1]
        far_row, far_column = self.data.extent
        if place[0] > far_row or place[1] > far_column:
            self.data.extent = (max(far_row, place[0]), max(far_column, place[1]))
        return place

    def _finish_cell(self) -> None:
        place = self._place(self.cell_attrs.get("r"))
        if place is None:
            return
        cell = self._cell(*place)
        if cell is not None:
            self.data.cells[place] = cell

    def _cell(self, row: int, column: int) -> CellData | None:
        """The cell as openpyxl's data_only load reads it; None when it holds nothing."""
        attrs = self.cell_attrs
        style = _int(attrs.get("s")) or 0
        number_format, is_date, is_timedelta = (
            self.book.formats[style]
            if 0 <= style < len(self.book.formats)
            else ("General", False, False)
        )
        kind = attrs.get("t", "n")
        raw = "".join(self.value_text) if self.value_text is not None else ""
        value: Any = None
        error = False
        if kind == "inlineStr":
            value = "".join(self.inline_text) if self.inline_text is not None else None
        elif raw:
            if kind == "n":
                value, error = self._number_value(raw, is_date, is_timedelta)
            elif kind == "s":
                value = self._shared(raw, row, column)
            elif kind == "b":
                flag = _int(raw.strip())
                value = raw if flag is None else bool(flag)
            elif kind == "e":
                value, error = raw, True
            elif kind == "d":
                value = _iso_date(raw)
            else:
                value = raw
        if value is None and self.formula_text is None:
            return None
        formula = self._formula(row, column)
        return CellData(value, number_format, error, formula if value is None else "")

    def _number_value(self, raw: str, is_date: bool, is_timedelta: bool) -> tuple[Any, bool]:
        """A number cell's value and whether it is an error (a date out of range)."""
        number = _number(raw)
        if number is None:
            return raw.strip(), False
        if not is_date:
            return number, False
        from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

        epoch = MAC_EPOCH if self.book.epoch_1904 else WINDOWS_EPOCH
        try:
            return from_excel(number, epoch, is_timedelta), False
        except (OverflowError, ValueError):
            return "#VALUE!", True

    def _shared(self, raw: str, row: int, column: int) -> str | None:
        index = _int(raw)
        strings = self.book.strings
        if index is None or not 0 <= index < len(strings):
            self.data.problems.append(
                (
                    self._where(row, column),
                    "单元格引用的文字在工作簿中不存在（文件可能已损坏）："
                    "请在 Excel 中打开并另存后重试",
                )
            )
            return None
        return strings[index]

    def _formula(self, row: int, column: int) -> str:
        """The cell's formula as openpyxl shows it (a shared one translated to the cell).

        Every cell with a formula comes here, so the first cell of a shared formula is
        remembered even when it has a saved result and the others do not.
        """
        if self.formula_text is None:
            return ""
        text = "=" + "".join(self.formula_text)
        attrs = self.formula_attrs
        if attrs.get("t") != "shared":
            return text
        index = attrs.get("si", "")
        coordinate = f"{column_letter(column)}{row}"
        if text != "=":
            self.shared_formulas.setdefault(index, (text, coordinate))
            return text
        master = self.shared_formulas.get(index)
        if master is None or self.value_text:
            return text
        from openpyxl.formula.translate import Translator

        try:
            return str(Translator(master[0], master[1]).translate_formula(coordinate))
        except Exception:  # the formula is only quoted in a message
            return master[0]

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        start = parse_coordinate(first)
        stop = parse_coordinate(last) if last else start
        if start is None or stop is None:
            return
        span = Span(
            min(start[0], stop[0]),
            min(start[1], stop[1]),
            max(start[0], stop[0]),
            max(start[1], stop[1]),
        )
        if len(self.data.merged) >= limits.MAX_WORKBOOK_MERGED_RANGES:
            raise _fail(
                self.book.name,
                f"工作表“{visible(self.data.title)}”的合并单元格过多（超过"
                f"{limits.MAX_WORKBOOK_MERGED_RANGES}处）：请取消不需要的合并后另存",
            )
        self.data.merged.append(span)
        far_row, far_column = self.data.extent
        self.data.extent = (max(far_row, span.max_row), max(far_column, span.max_col))


def _iso_date(text: str) -> Any:
    """A ``t="d"`` cell (ISO 8601 text), as openpyxl reads it; the text if it is none."""
    from openpyxl.utils.datetime import from_ISO8601

    parse = cast("Callable[[str], datetime.datetime | datetime.time | None]", from_ISO8601)
    try:
        return parse(text)
    except (ValueError, TypeError):
        return text
