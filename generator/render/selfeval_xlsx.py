"""The 自评表 as an .xlsx workbook: finance systems and provincial platforms take a spreadsheet.

Same form as the Word attachment (form_context.py chooses it): merged cells, borders,
widths, number formats and an A4 print area. The 项目支出 form is laid out as the
finance system's own table, so ``genreport import`` reads it back. openpyxl is imported
only when a workbook is written.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from generator.render.deterministic_zip import read_parts, write_package

__all__ = ["selfeval_workbook"]

_FIXED_TIME = datetime.datetime(2000, 1, 1)
_CORE = "docProps/core.xml"
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")

_SCORE_WIDTHS = (10, 12, 14, 24, 14, 14, 8, 9, 14, 14)
_TRANSFER_WIDTHS = (10, 12, 24, 14, 14, 12, 14, 14)


def _number(text: str) -> Decimal | str:
    """A figure as a number (the sheet computes with it); other text unchanged."""
    try:
        return Decimal(text.replace(",", "")) if text else text
    except InvalidOperation:
        return text


def _rate(text: str) -> Decimal | str:
    if text.endswith("%"):
        value = _number(text[:-1])
        if isinstance(value, Decimal):
            return value / 100
    return text


class _Sheet:
    """Writes rows of (value, span) cells, merging spans and drawing every border."""

    def __init__(self, ws: Any, width: int) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        self.ws = ws
        self.width = width
        self.row = 0
        side = Side(style="thin")
        self.border = Border(left=side, right=side, top=side, bottom=side)
        self.wrap = Alignment(wrap_text=True, vertical="center", horizontal="left")
        self.centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.bold = Font(name="黑体", size=10.5)
        self.plain = Font(name="仿宋_GB2312", size=10.5)

    def title(self, text: str, size: float) -> None:
        from openpyxl.styles import Font

        self.row += 1
        cell = self.ws.cell(self.row, 1, text)
        cell.font = Font(name="方正小标宋简体", size=size)
        cell.alignment = self.centre
        self.ws.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=self.width
        )

    def put(self, cells: Sequence[tuple[Any, int]], *, head: bool = False) -> int:
        """One row; a cell is (value, columns it spans); numbers and rates keep their type."""
        self.row += 1
        column = 1
        for value, span in cells:
            cell = self.ws.cell(self.row, column, value if value != "" else None)
            cell.font = self.bold if head else self.plain
            numeric = isinstance(value, Decimal)
            cell.alignment = self.centre if head or numeric else self.wrap
            for offset in range(span):
                self.ws.cell(self.row, column + offset).border = self.border
            if span > 1:
                self.ws.merge_cells(
                    start_row=self.row,
                    start_column=column,
                    end_row=self.row,
                    end_column=column + span - 1,
                )
            column += span
        return self.row

    def merge_down(self, column: int, first: int, last: int) -> None:
        if last > first:
            self.ws.merge_cells(
                start_row=first, start_column=column, end_row=last, end_column=column
            )

    def rate_format(self, row: int, column: int) -> None:
        self.ws.cell(row, column).number_format = "0.00%"

    def amount_format(self, row: int, column: int) -> None:
        self.ws.cell(row, column).number_format = "#,##0.00"


def _indicator_runs(rows: Sequence[Mapping[str, Any]], key: str) -> list[tuple[int, int]]:
    """(first, last) index of each run of rows merged in the ``key`` column."""
    runs: list[tuple[int, int]] = []
    for index, row in enumerate(rows):
        if row.get(f"{key}合并") == "continue" and runs:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _score_form(sheet: _Sheet, table: Mapping[str, Any], unit: str) -> None:
    """项目支出绩效自评表 in the finance system's layout (ten columns, A–J)."""
    sheet.put([("项目名称", 2), (table["项目名称"], 8)], head=False)
    sheet.put([("主管部门", 2), (table["主管部门"], 3), ("实施单位", 2), (table["实施单位"], 3)])
    first = sheet.put(
        [
            (f"项目资金（{unit}）", 1),
            ("", 1),
            ("年初预算数", 1),
            ("全年预算数", 1),
            ("全年执行数", 1),
            ("分值", 1),
            ("执行率", 1),
            ("得分", 1),
            ("", 2),
        ],
        head=True,
    )
    for money in table["资金行"]:
        row = sheet.put(
            [
                ("", 1),
                (money["名称"], 1),
                (_number(money["年初预算数"]), 1),
                (_number(money["全年预算数"]), 1),
                (_number(money["全年执行数"]), 1),
                (_number(money["分值"]), 1),
                (_rate(money["执行率"]), 1),
                (_number(money["得分"]), 1),
                ("", 2),
            ]
        )
        for column in (3, 4, 5):
            sheet.amount_format(row, column)
        sheet.rate_format(row, 7)
    sheet.merge_down(1, first, sheet.row)
    goals = sheet.put([("年度总体目标", 1), ("预期目标", 4), ("实际完成情况", 5)], head=True)
    sheet.put([("", 1), (table["总体目标"], 4), (table["总体完成情况"], 5)])
    sheet.merge_down(1, goals, sheet.row)
    head = sheet.put(
        [
            ("绩效指标", 1),
            ("一级指标", 1),
            ("二级指标", 1),
            ("三级指标", 1),
            ("年度指标值", 1),
            ("实际完成值", 1),
            ("分值", 1),
            ("得分", 1),
            ("偏差原因分析及改进措施", 2),
        ],
        head=True,
    )
    rows = table["指标行"]
    for r in rows:
        sheet.put(
            [
                ("", 1),
                (r["一级"], 1),
                (r["二级"], 1),
                (r["名称"], 1),
                (r["指标值"], 1),
                (r["完成值"], 1),
                (_number(r["分值"]), 1),
                (_number(r["得分"]) if r["得分"] != "—" else "—", 1),
                (r["偏差"], 2),
            ]
        )
    _merge_levels(sheet, rows, head + 1, columns=(2, 3))
    sheet.merge_down(1, head, sheet.row)
    sheet.put(
        [("总分", 6), (_number(table["分值合计"]), 1), (_number(table["总分"]), 1), ("", 2)],
        head=True,
    )


def _merge_levels(
    sheet: _Sheet, rows: Sequence[Mapping[str, Any]], top: int, columns: tuple[int, int]
) -> None:
    for key, column in zip(("一级", "二级"), columns, strict=True):
        for first, last in _indicator_runs(rows, key):
            sheet.merge_down(column, top + first, top + last)


def _transfer_form(sheet: _Sheet, table: Mapping[str, Any], unit: str) -> None:
    """转移支付项目绩效目标自评表 (eight columns, A–H), no scores."""
    sheet.put([("转移支付（项目）名称", 2), (table["转移支付名称"], 6)])
    sheet.put(
        [
            ("中央主管部门", 2),
            (table["中央主管部门"], 2),
            ("地方主管部门", 2),
            (table["地方主管部门"], 2),
        ]
    )
    sheet.put([("资金使用单位", 2), (table["资金使用单位"], 6)])
    first = sheet.put(
        [
            (f"资金情况（{unit}）", 1),
            ("", 2),
            ("全年预算数（A）", 1),
            ("全年执行数（B）", 1),
            ("执行率（B/A）", 1),
            ("", 2),
        ],
        head=True,
    )
    for money in table["资金行"]:
        row = sheet.put(
            [
                ("", 1),
                (money["名称"], 2),
                (_number(money["全年预算数"]), 1),
                (_number(money["全年执行数"]), 1),
                (_rate(money["执行率"]), 1),
                ("", 2),
            ]
        )
        sheet.amount_format(row, 4)
        sheet.amount_format(row, 5)
        sheet.rate_format(row, 6)
    sheet.merge_down(1, first, sheet.row)
    first = sheet.put(
        [("资金管理情况", 1), ("方面", 1), ("情况说明", 3), ("存在问题和改进措施", 3)], head=True
    )
    for item in table["资金管理行"]:
        sheet.put(
            [("", 1), (item["方面"], 1), (item["情况说明"], 3), (item["存在问题和改进措施"], 3)]
        )
    sheet.merge_down(1, first, sheet.row)
    goals = sheet.put([("年度总体目标", 1), ("总体目标", 4), ("全年实际完成情况", 3)], head=True)
    sheet.put([("", 1), (table["总体目标"], 4), (table["总体完成情况"], 3)])
    sheet.merge_down(1, goals, sheet.row)
    head = sheet.put(
        [
            ("一级指标", 1),
            ("二级指标", 1),
            ("三级指标", 1),
            ("指标值", 1),
            ("全年实际完成值", 1),
            ("未完成原因和改进措施", 3),
        ],
        head=True,
    )
    rows = table["指标行"]
    for r in rows:
        sheet.put(
            [
                (r["一级"], 1),
                (r["二级"], 1),
                (r["名称"], 1),
                (r["指标值"], 1),
                (r["完成值"], 1),
                (r["偏差"], 3),
            ]
        )
    _merge_levels(sheet, rows, head + 1, columns=(1, 2))


def selfeval_workbook(values: Mapping[str, Any]) -> bytes:
    """One fund's 自评表 (from its report context) as .xlsx bytes, printable on A4."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    table = values["自评表"]
    transfer = table["布局"] == "转移支付"
    widths = _TRANSFER_WIDTHS if transfer else _SCORE_WIDTHS
    workbook = openpyxl.Workbook()
    ws: Any = workbook.active
    ws.title = "绩效自评表"
    sheet = _Sheet(ws, len(widths))
    sheet.title(table["表名"], 16)
    sheet.title(f"（{values['年度']}年度）", 12)
    if transfer:
        _transfer_form(sheet, table, values["金额单位"])
    else:
        _score_form(sheet, table, values["金额单位"])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.print_area = f"A1:{get_column_letter(len(widths))}{sheet.row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    # The same input gives the same bytes: fixed times, entries in a fixed order.
    workbook.properties.creator = values.get("单位", "")
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    out = io.BytesIO()
    workbook.save(out)
    parts = read_parts(out.getvalue())
    core = parts.get(_CORE)
    if isinstance(core, bytes):  # openpyxl stamps the save time over ours
        parts[_CORE] = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", core)
    return write_package(parts)
