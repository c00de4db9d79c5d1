"""Write input data as a workbook a person can fill in without reading the docs.

Used by ``convert`` (YAML → Excel) and ``excel-template``. The layout comes from
:mod:`generator.inputs.excel.schema`, so what is written here is exactly what
:mod:`generator.inputs.excel.read` reads back: a round trip loses nothing.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from generator.core.money import MONEY_UNITS
from generator.core.vocabulary import (
    FUND_TYPES,
    INDICATOR_KINDS,
    MANAGEMENT_ASPECTS,
    NARRATIVE_SLOTS,
    OUTLINES,
    RATINGS,
)
from generator.inputs.excel.schema import (
    ASPECT,
    ASPECT_SHEET,
    RECORD_SHEETS,
    REF,
    REPORT_KEYS,
    SHEETS,
    Kind,
    column_help,
    report_key_help,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["LEVEL1_NAMES", "LEVEL2_NAMES", "SOURCES", "fund_labels", "workbook_bytes"]

#: Offered in drop-downs; other values may still be typed (a warning, not a refusal).
LEVEL1_NAMES = (
    "预算执行",
    "项目决策",
    "过程管理",
    "项目产出",
    "项目效益",
    "产出指标",
    "效益指标",
    "满意度指标",
)
LEVEL2_NAMES = (
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "社会效益指标",
    "经济效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "满意度指标",
    "决策依据",
    "决策过程",
    "绩效目标",
    "资金分配",
    "资金管理",
    "组织管理",
)
SOURCES = ("中央财政", "省级财政", "市级财政", "县级财政", "彩票公益金", "上年结转", "其他资金")

#: Rows that carry drop-downs; enough for any fund list, cheap to declare.
_LAST_ROW = 500
_WIDTHS = {
    "项目": 12,
    "值": 36,
    "类型": 14,
    "名称": 30,
    "提纲": 10,
    "总体目标": 50,
    "总体完成情况": 50,
    "来源": 14,
    "一级": 12,
    "二级": 18,
    "指标值": 16,
    "完成值": 16,
    "评级": 10,
    "评分说明": 30,
    "偏差原因": 30,
    "改进措施": 30,
    "说明": 40,
    "上年完成值": 12,
    "不适用": 8,
    "栏目": 12,
    "内容": 80,
    "主管部门": 20,
    "实施单位": 20,
    "转移支付名称": 30,
    "中央主管部门": 20,
    "地方主管部门": 20,
    "资金使用单位": 20,
    "标题": 50,
    "文号": 24,
    "方面": 16,
    "情况说明": 60,
    "存在问题和改进措施": 50,
    "数字": 14,
    "所指": 20,
    "理由": 50,
}
_WRAP = {
    "指标值",
    "完成值",
    "总体目标",
    "总体完成情况",
    "评分说明",
    "偏差原因",
    "改进措施",
    "说明",
    "内容",
    "名称",
    "值",
    "标题",
    "情况说明",
    "存在问题和改进措施",
    "理由",
}
_TEXT_COLUMNS = {"指标值", "完成值", "上年完成值"}
_REQUIRED_REPORT_KEYS = {"单位", "年度"}
_CENTRED = {Kind.NUMBER, Kind.INTEGER, Kind.BOOL}
#: Excel keeps 15 significant digits; longer numbers are written as text to stay exact.
_EXCEL_DIGITS = 15


def fund_labels(funds: Sequence[Mapping[str, Any]]) -> list[str]:
    """The 项目 label of each fund: its 类型 when unique, else 类型 plus its number."""
    types = [str(f.get("类型") or "项目") for f in funds]
    return [t if types.count(t) == 1 else f"{t}{n + 1}" for n, t in enumerate(types)]


def workbook_bytes(
    data: Mapping[str, Any],
    *,
    hints: Mapping[tuple[int, int], str] | None = None,
    instructions: Sequence[str] = (),
    optional_sheets: bool = False,
) -> bytes:
    """An .xlsx of ``data`` (contract keys); ``hints[(fund, indicator)]`` become comments
    on that indicator's 指标值 cell; ``instructions`` fill a 填写说明 sheet.

    The optional sheets (政策依据…) are written when some fund uses them, or always
    with ``optional_sheets`` (the fill-in template shows every place to write).
    """
    from openpyxl import Workbook

    wb = Workbook()
    for default in list(wb.worksheets):
        wb.remove(default)
    report = data.get("报告") or {}
    funds = list(data.get("项目") or [])
    labels = fund_labels(funds)

    ws = _sheet(wb, "报告")
    for key in REPORT_KEYS:
        ws.append([key, _cell_value(report.get(key))])
        _comment(ws.cell(ws.max_row, 1), report_key_help(key))
        _style_value(ws.cell(ws.max_row, 2), key)
    _list(ws, f"B{REPORT_KEYS.index('金额单位') + 2}", tuple(MONEY_UNITS))
    _list(ws, f"B{REPORT_KEYS.index('提纲') + 2}", OUTLINES)

    ws = _sheet(wb, "项目")
    for label, fund in zip(labels, funds, strict=True):
        ws.append([label, *(_cell_value(fund.get(c)) for c in SHEETS["项目"].columns[1:])])
    _list(ws, _column_range(ws, "类型"), FUND_TYPES)
    _list(ws, _column_range(ws, "提纲"), OUTLINES)
    _list(ws, _column_range(ws, "金额单位"), tuple(MONEY_UNITS))

    with_counties = any(fund.get("县区对比") for fund in funds)
    for name in ("资金", "指标", *(("县区对比",) if with_counties else ())):
        _row_sheet(wb, name, labels, funds, hints or {})
    ws = wb["资金"]
    _list(ws, _column_range(ws, "来源"), SOURCES, strict=False)
    ws = wb["指标"]
    _list(ws, _column_range(ws, "一级"), LEVEL1_NAMES, strict=False)
    _list(ws, _column_range(ws, "二级"), LEVEL2_NAMES, strict=False)
    _list(ws, _column_range(ws, "评级"), RATINGS)
    _list(ws, _column_range(ws, "不适用"), ("是", "否"))
    _list(ws, _column_range(ws, "指标类型"), INDICATOR_KINDS)

    ws = _sheet(wb, "叙述")
    for label, fund in zip(labels, funds, strict=True):
        for slot, text in (fund.get("叙述") or {}).items():
            ws.append([label, slot, _cell_value(text)])
    _fund_list(ws, len(labels))
    _list(ws, _column_range(ws, "栏目"), NARRATIVE_SLOTS)

    def used(name: str) -> bool:
        return optional_sheets or any(fund.get(name) for fund in funds)

    if used("政策依据"):
        _row_sheet(wb, "政策依据", labels, funds, {})
    for name in RECORD_SHEETS:
        if used(name):
            _record_sheet(wb, name, labels, funds)
    if used(ASPECT_SHEET):
        _aspect_sheet(wb, labels, funds)
    if used("确认数字"):
        _row_sheet(wb, "确认数字", labels, funds, {})

    if instructions:
        _instructions(wb, instructions)
    for sheet in wb.worksheets:
        _finish(sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _row_sheet(
    wb: Any,
    name: str,
    labels: Sequence[str],
    funds: Sequence[Mapping[str, Any]],
    hints: Mapping[tuple[int, int], str],
) -> None:
    """A sheet of one row per list item (资金, 指标…), each tied to its fund."""
    ws = _sheet(wb, name)
    columns = SHEETS[name].columns
    for k, (label, fund) in enumerate(zip(labels, funds, strict=True)):
        for i, row in enumerate(fund.get(name) or []):
            ws.append([label, *(_cell_value(row.get(c), c) for c in columns[1:])])
            hint = hints.get((k, i)) if name == "指标" else None
            if hint:
                _comment(ws.cell(ws.max_row, columns.index("指标值") + 1), hint)
    _fund_list(ws, len(labels))


def _record_sheet(
    wb: Any, name: str, labels: Sequence[str], funds: Sequence[Mapping[str, Any]]
) -> None:
    """A sheet of at most one row per fund (基金收支)."""
    ws = _sheet(wb, name)
    columns = SHEETS[name].columns
    for label, fund in zip(labels, funds, strict=True):
        record = fund.get(name)
        if record:
            ws.append([label, *(_cell_value(record.get(c), c) for c in columns[1:])])
    _fund_list(ws, len(labels))


def _aspect_sheet(wb: Any, labels: Sequence[str], funds: Sequence[Mapping[str, Any]]) -> None:
    """资金管理情况: one row per aspect a fund describes, in the form's order."""
    ws = _sheet(wb, ASPECT_SHEET)
    columns = SHEETS[ASPECT_SHEET].columns
    for label, fund in zip(labels, funds, strict=True):
        for aspect, item in (fund.get(ASPECT_SHEET) or {}).items():
            if item is None:
                continue
            ws.append([label, aspect, *(_cell_value(item.get(c), c) for c in columns[2:])])
    _fund_list(ws, len(labels))
    _list(ws, _column_range(ws, ASPECT), MANAGEMENT_ASPECTS)


def _sheet(wb: Any, name: str) -> Worksheet:
    ws: Worksheet = wb.create_sheet(name)
    sheet = SHEETS[name]
    ws.append(list(sheet.columns))
    for j, column in enumerate(sheet.columns, start=1):
        _comment(ws.cell(1, j), column_help(name, column))
    return ws


def _cell_value(value: Any, column: str = "") -> Any:
    """A contract value as a cell value that reads back identically."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        digits = len(value.normalize().as_tuple().digits)
        return format(value, "f") if digits > _EXCEL_DIGITS else value
    if isinstance(value, int | datetime.date) or column not in _TEXT_COLUMNS:
        return value
    return str(value)


def _column_range(ws: Worksheet, column: str) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(SHEETS[ws.title].columns.index(column) + 1)
    return f"{letter}2:{letter}{_LAST_ROW}"


def _list(ws: Worksheet, cells: str, choices: Sequence[str], *, strict: bool = True) -> None:
    """A drop-down; ``strict=False`` lets other values through after a warning."""
    from openpyxl.worksheet.datavalidation import DataValidation

    check = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showDropDown=False,
        errorStyle="stop" if strict else "warning",
        showErrorMessage=True,
    )
    check.error = (
        ("请从下拉列表中选择：" + "、".join(choices))
        if strict
        else ("不是常用的取值，确定要使用吗？")
    )
    check.errorTitle = "取值不在列表中"
    ws.add_data_validation(check)
    check.add(cells)


def _fund_list(ws: Worksheet, count: int) -> None:
    """The 项目 column offers the labels of the 项目 sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    check = DataValidation(
        type="list",
        formula1=f"'项目'!$A$2:$A${max(count, 1) + 1 + 20}",
        allow_blank=True,
        errorStyle="warning",
        showErrorMessage=True,
    )
    check.error = "“项目”表中没有这个项目，确定要使用吗？"
    check.errorTitle = "未知的项目"
    ws.add_data_validation(check)
    check.add(f"A2:A{_LAST_ROW}")


def _comment(cell: Any, text: str) -> None:
    from openpyxl.comments import Comment

    if text:
        comment = Comment(text, "genreport")
        comment.width = 320
        comment.height = 120
        cell.comment = comment


def _style_value(cell: Any, key: str) -> None:
    if key == "成文日期":
        cell.number_format = "yyyy-mm-dd"


def _finish(ws: Worksheet) -> None:
    """Header style, frozen header (and 项目 column), widths, text formats."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    if ws.title == "填写说明":
        return
    sheet = SHEETS[ws.title]
    thin = Side(style="thin", color="9BB0C8")
    required = PatternFill("solid", fgColor="F4B183")
    optional = PatternFill("solid", fgColor="BDD7EE")
    for j, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, j)
        cell.font = Font(bold=True)
        cell.fill = required if column in sheet.required and column != REF else optional
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = _WIDTHS.get(column, 10)
        wrap = column in _WRAP
        centred = "center" if sheet.kind(column) in _CENTRED else None
        for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            for body in row:
                body.alignment = Alignment(horizontal=centred, vertical="top", wrap_text=wrap)
                if column in _TEXT_COLUMNS:
                    body.number_format = "@"
                if isinstance(body.value, str) and body.value.startswith("="):
                    body.data_type = "s"  # a target like "=0" is text, not a formula
    if ws.title == "报告":
        for row in ws.iter_rows(min_row=2, max_col=2):
            row[0].font = Font(bold=True)
            row[1].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            if row[0].value in _REQUIRED_REPORT_KEYS:
                row[0].fill = required
    ws.row_dimensions[1].height = 22
    ws.freeze_panes = "B2"
    # Printed (or exported to PDF) a sheet keeps whole rows on a landscape page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is not None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _instructions(wb: Any, lines: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("填写说明")
    ws.column_dimensions["A"].width = 110
    for n, text in enumerate(lines, start=1):
        cell = ws.cell(n, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if n == 1:
            cell.font = Font(bold=True, size=14)
