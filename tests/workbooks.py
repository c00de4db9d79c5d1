"""Build test workbooks with openpyxl, including what openpyxl cannot write itself.

openpyxl never computes formulas, so a formula it saves has no cached value, like a
file produced by a program. To test a formula *with* a cached value (what Excel and
WPS save), :func:`set_cached_values` writes the ``<v>`` element into the sheet XML.
What a careless or hostile file holds and openpyxl would take minutes to write (a stray
cell at XFD1048576, a merged range over a million rows, a huge ``<dimension>``, tens of
thousands of formatted empty rows, hidden sheets padded to just under the zip-ratio
floor) is written straight into the sheet XML by :func:`edit_sheet_xml` and the
helpers after it. The files the workbook guard must refuse (bare zips, OLE files) are
built by hand.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import openpyxl.utils

from generator.inputs.zipguard import OLE_MAGIC

Cell = Any
Rows = Sequence[Sequence[Cell]]

REPORT: list[list[Cell]] = [
    ["项目", "值"],
    ["单位", "测试县医疗保障局"],
    ["年度", 2024],
    ["成文日期", "2025-02-18"],
    ["主送", "测试市医疗保障局"],
    ["金额单位", "万元"],
]
FUNDS: list[list[Cell]] = [
    ["项目", "类型", "总体目标"],
    ["医疗救助", "医疗救助", "困难群众应助尽助，“一站式”结算全覆盖。"],
]
FUNDING: list[list[Cell]] = [
    ["项目", "来源", "预算数", "到位数", "执行数"],
    ["医疗救助", "中央财政", 1000, None, 950],
    ["医疗救助", "县级财政", 200, 180, 170],
]
INDICATORS: list[list[Cell]] = [
    ["项目", "一级", "二级", "名称", "分值", "指标值", "完成值", "评级"],
    ["医疗救助", "预算执行", None, "预算执行率", 10, "≥90%", "自动", None],
    [
        "医疗救助",
        "产出指标",
        "数量指标",
        "医疗救助对象人次规模",
        40,
        "≥40000人次",
        "53733人次",
        None,
    ],
    ["医疗救助", "产出指标", "质量指标", "资助参保覆盖率", 20, "100%", "100%", None],
    [
        "医疗救助",
        "效益指标",
        "社会效益指标",
        "困难群众就医负担减轻程度",
        20,
        "有效减轻",
        None,
        "达成",
    ],
    ["医疗救助", "满意度指标", "服务对象满意度指标", "救助对象满意度", 10, "≥90%", "96%", None],
]
NARRATIVE: list[list[Cell]] = [
    ["项目", "栏目", "内容"],
    ["医疗救助", "存在问题", "县级配套资金到位率为{{ 到位率 }}，未全额到位。"],
    ["医疗救助", "评价工作", "财务股牵头，对照年初绩效目标逐项核对数据后评分，经局务会审定。"],
    ["医疗救助", "改进措施", "督促县级配套资金足额、及时到位。"],
]


def valid_sheets() -> dict[str, list[list[Cell]]]:
    """The workbook twin of tests/fixtures/valid.yaml, as fresh lists to modify."""
    return {
        "报告": [list(r) for r in REPORT],
        "项目": [list(r) for r in FUNDS],
        "资金": [list(r) for r in FUNDING],
        "指标": [list(r) for r in INDICATORS],
        "叙述": [list(r) for r in NARRATIVE],
    }


def write_workbook(
    path: Path,
    sheets: Mapping[str, Rows],
    *,
    merges: Mapping[str, Sequence[str]] | None = None,
    formats: Mapping[tuple[str, str], str] | None = None,
    hidden_columns: Mapping[str, Sequence[str]] | None = None,
    hidden_sheets: Sequence[str] = (),
) -> Path:
    """Write ``sheets`` (name → rows, in order) to ``path``; returns the path."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for merged in (merges or {}).get(name, ()):
            # Excel keeps only the top-left value of a merged range; so do we.
            first = merged.partition(":")[0]
            keep = ws[first].value
            for line in ws[merged]:
                for cell in line:
                    if cell.coordinate != first:
                        cell.value = None
            ws.merge_cells(merged)
            ws[first].value = keep
        for letter in (hidden_columns or {}).get(name, ()):
            ws.column_dimensions[letter].hidden = True
        if name in hidden_sheets:
            ws.sheet_state = "hidden"
    for (name, coordinate), number_format in (formats or {}).items():
        wb[name][coordinate].number_format = number_format
    wb.save(path)
    return path


def set_cached_values(path: Path, values: Mapping[tuple[str, str], str]) -> None:
    """Give formula cells the cached result Excel would have stored when saving."""
    for (sheet, coordinate), value in values.items():
        edit_sheet_xml(path, sheet, partial(_with_value, coordinate=coordinate, value=value))


def edit_parts(path: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Rewrite the zip at ``path`` part by part; ``change`` returns new bytes or None."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.xlsx"
        shutil.copy(path, copy)
        with zipfile.ZipFile(copy) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for item in src.infolist():
                data = src.read(item)
                replaced = change(item.filename, data)
                out.writestr(item, data if replaced is None else replaced)
    return path


def edit_sheet_xml(path: Path, sheet: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite the XML of one sheet of a workbook written by :func:`write_workbook`."""
    book = openpyxl.load_workbook(path, read_only=True)
    names = book.sheetnames
    book.close()
    part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    return edit_parts(path, lambda name, data: change(data) if name == part else None)


def _cell_xml(coordinate: str, value: Cell) -> bytes:
    if value is None:  # formatting only, as Excel writes a formatted empty cell
        return f'<c r="{coordinate}" s="0"/>'.encode()
    if isinstance(value, int | float):
        return f'<c r="{coordinate}"><v>{value}</v></c>'.encode()
    text = escape(str(value))
    return f'<c r="{coordinate}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _rows_xml(cells: Mapping[str, Cell]) -> bytes:
    by_row: dict[int, list[bytes]] = {}
    for coordinate, value in cells.items():
        row = int(coordinate.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        by_row.setdefault(row, []).append(_cell_xml(coordinate, value))
    return b"".join(
        f'<row r="{row}">'.encode() + b"".join(found) + b"</row>"
        for row, found in sorted(by_row.items())
    )


def _append_rows(xml: bytes, rows: bytes) -> bytes:
    if b"<sheetData/>" in xml:
        return xml.replace(b"<sheetData/>", b"<sheetData>" + rows + b"</sheetData>")
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def add_cells(path: Path, sheet: str, cells: Mapping[str, Cell]) -> Path:
    """Put cells below and right of the table (``None``: formatting only, no value)."""
    return edit_sheet_xml(path, sheet, lambda xml: _append_rows(xml, _rows_xml(cells)))


def add_merged_ranges(path: Path, sheet: str, *ranges: str) -> Path:
    """Merge ``ranges`` (any size: nothing is written cell by cell)."""
    merged = "".join(f'<mergeCell ref="{r}"/>' for r in ranges).encode()

    def change(xml: bytes) -> bytes:
        if b"</mergeCells>" in xml:
            return xml.replace(b"</mergeCells>", merged + b"</mergeCells>")
        block = f'<mergeCells count="{len(ranges)}">'.encode() + merged + b"</mergeCells>"
        if b"<sheetData/>" in xml:
            return xml.replace(b"<sheetData/>", b"<sheetData/>" + block)
        return xml.replace(b"</sheetData>", b"</sheetData>" + block)

    return edit_sheet_xml(path, sheet, change)


def declare_dimension(path: Path, sheet: str, ref: str) -> Path:
    """Make the sheet claim ``ref`` as its used range, as a careless writer might."""
    tag = f'<dimension ref="{ref}"/>'.encode()
    return edit_sheet_xml(path, sheet, lambda xml: re.sub(rb"<dimension [^>]*/>", tag, xml))


def add_formatted_rows(path: Path, sheet: str, first: int, count: int, columns: int) -> Path:
    """``count`` empty rows from row ``first``, each with ``columns`` formatted empty cells."""
    letters = [_letter(j) for j in range(1, columns + 1)]
    rows = b"".join(
        f'<row r="{r}" s="0" customFormat="1">'.encode()
        + b"".join(f'<c r="{c}{r}" s="0"/>'.encode() for c in letters)
        + b"</row>"
        for r in range(first, first + count)
    )
    return edit_sheet_xml(path, sheet, lambda xml: _append_rows(xml, rows))


def pad_hidden_sheets(path: Path, count: int, size: int) -> Path:
    """Add ``count`` hidden sheets of at most ``size`` bytes of formatted empty cells."""
    wb = openpyxl.load_workbook(path)
    first = len(wb.sheetnames) + 1
    for n in range(count):
        wb.create_sheet(f"备份{n + 1}").sheet_state = "hidden"
    wb.save(path)
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    tail = b"</sheetData></worksheet>"
    # Rows without an address (allowed: each follows the last) compress a thousandfold.
    row = b'<row><c s="0"/></row>'
    rows = [row] * ((size - len(head) - len(tail)) // len(row))
    padded = head + b"".join(rows) + tail
    parts = {f"xl/worksheets/sheet{first + n}.xml" for n in range(count)}
    return edit_parts(path, lambda name, _: padded if name in parts else None)


def _letter(column: int) -> str:
    return openpyxl.utils.get_column_letter(column)


def _with_value(xml: bytes, coordinate: str, value: str) -> bytes:
    pattern = re.compile(rb'(<c r="' + coordinate.encode() + rb'"[^>]*>)(.*?)(</c>)', re.S)
    match = pattern.search(xml)
    assert match, f"no formula cell {coordinate}"
    inner = re.sub(rb"<v\s*/>|<v>.*?</v>", b"", match.group(2))
    replaced = match.group(1) + inner + b"<v>" + value.encode() + b"</v>" + match.group(3)
    return xml[: match.start()] + replaced + xml[match.end() :]


# ------------------------------------------------------------------ files the guard refuses

CONTENT_TYPES = (
    b'<?xml version="1.0"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
WORKBOOK = (
    b'<?xml version="1.0"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
)


def bare_workbook(path: Path, extra: Mapping[str, bytes] | None = None) -> Path:
    """The two parts every .xlsx has, plus ``extra``: enough for the workbook guard."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def ole_file(*streams: str) -> bytes:
    """An OLE compound file naming ``streams`` in its directory, as the guard reads it.

    An encrypted .xlsx is an OLE file with an ``EncryptedPackage`` stream; an old .xls
    has a ``Workbook`` stream instead.
    """
    directory = b"".join(name.encode("utf-16-le") + bytes(512) for name in streams)
    return OLE_MAGIC + bytes(504) + directory
