"""Build test workbooks with openpyxl, including what openpyxl cannot write itself.

openpyxl never computes formulas, so a formula it saves has no cached value, like a
file produced by a program. To test a formula *with* a cached value (what Excel and
WPS save), :func:`set_cached_values` writes the ``<v>`` element into the sheet XML.
The files the workbook guard must refuse (bare zips, OLE files) are built by hand.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from generator.inputs.excel.guard import OLE_MAGIC

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
) -> Path:
    """Write ``sheets`` (name → rows) to ``path``; returns the path."""
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
    for (name, coordinate), number_format in (formats or {}).items():
        wb[name][coordinate].number_format = number_format
    wb.save(path)
    return path


def set_cached_values(path: Path, values: Mapping[tuple[str, str], str]) -> None:
    """Give formula cells the cached result Excel would have stored when saving."""
    wb = openpyxl.load_workbook(path)
    index = {name: i + 1 for i, name in enumerate(wb.sheetnames)}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.xlsx"
        shutil.copy(path, copy)
        with zipfile.ZipFile(copy) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for item in src.infolist():
                data = src.read(item)
                for (sheet, coordinate), value in values.items():
                    if item.filename == f"xl/worksheets/sheet{index[sheet]}.xml":
                        data = _with_value(data, coordinate, value)
                out.writestr(item, data)


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
