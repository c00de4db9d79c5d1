"""Load a fill-in workbook (.xlsx) into the same plain data as the YAML loader.

The result is an :class:`ExcelInput`, a :class:`LoadedInput` whose locations name
``sheet!cell（column header）`` instead of a line, so every later step (validation,
computation) reports problems in the workbook's own terms without knowing it came
from Excel. The cells come from :mod:`generator.inputs.excel.sheetxml`, which keeps
only the cells a sheet really has, so the work follows what the file holds (a stray
cell at row 1,048,576 is one cell, a merged range over a million rows is four
numbers); which sheet and column is which follows :mod:`generator.inputs.excel.names`
(exact names only).
"""

from __future__ import annotations

import bisect
import difflib
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import limits
from generator.core.text import visible
from generator.core.vocabulary import MANAGEMENT_ASPECTS, NARRATIVE_SLOTS
from generator.errors import InputError, Location, Problem
from generator.inputs.excel.cells import to_value
from generator.inputs.excel.guard import open_workbook_archive
from generator.inputs.excel.names import (
    HeaderCell,
    missing_sheet_hint,
    resolve_headers,
    resolve_sheets,
    trim_key,
)
from generator.inputs.excel.schema import (
    ASPECT,
    ASPECT_SHEET,
    RECORD_SHEETS,
    REF,
    REPORT_KEYS,
    REQUIRED_SHEETS,
    ROW_SHEETS,
    SHEETS,
    Kind,
    Sheet,
)
from generator.inputs.excel.sheetxml import CellData, SheetData, Span, WorkbookXml, column_letter
from generator.inputs.models import Fund, ReportInfo
from generator.inputs.source import FieldPath, LoadedInput

__all__ = ["ExcelInput", "Row", "Table", "load_workbook_input", "open_workbook"]

#: Columns whose merged cells apply to every row they span (grouping columns).
_FILL_DOWN = {REF, "一级", "二级"}

Point = tuple[int, int]


@dataclass
class ExcelInput(LoadedInput):
    """Loaded workbook data; ``cells`` maps a field path to ``sheet!cell（header）``."""

    cells: dict[FieldPath, str] = field(default_factory=dict)

    def location(self, path: FieldPath) -> Location:
        probe = tuple(path)
        while probe and probe not in self.cells:
            probe = probe[:-1]
        return Location(self.file, 0, tuple(path), cell=self.cells.get(probe, ""))


@dataclass
class Row:
    """One data row of a sheet: contract values and their cell addresses by column."""

    number: int
    values: dict[str, Any]
    cells: dict[str, str]


@dataclass
class Table:
    sheet: Sheet
    rows: list[Row]
    #: Columns present in the sheet (contract names).
    columns: set[str]


def open_workbook(path: Path, name: str, *, data_only: bool = True) -> Any:
    """An openpyxl workbook, for readers that need one (the 自评表 import).

    openpyxl builds every cell of each sheet's used rectangle and of every merged
    range, so the sheets are first measured with the streaming reader: a sheet whose
    rectangle (from A1 to its farthest cell or merged range, values or not) exceeds
    ``limits.MAX_WORKBOOK_GRID`` is refused, naming the sheet and its far corner.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    with open_workbook_archive(path, name) as (archive, handle):
        book = WorkbookXml(archive, name)
        for entry in book.entries:
            data = book.sheet(entry, extent=True)
            far_row, far_column = data.extent
            if far_row * far_column > limits.MAX_WORKBOOK_GRID:
                corner = f"{column_letter(far_column)}{far_row}"
                title = visible(entry.title)
                raise InputError(
                    [
                        Problem(
                            Location(name, cell=f"{title}!{corner}"),
                            f"工作表“{title}”用到的范围过大（A1:{corner}，"
                            f"超过{limits.MAX_WORKBOOK_GRID}个单元格）：多半是远处有多余的"
                            "单元格、格式或合并单元格；请删除多余的行和列后另存",
                        )
                    ]
                )
        try:
            handle.seek(0)
            return openpyxl.load_workbook(handle, data_only=data_only)
        except (InvalidFileException, KeyError, ValueError, OSError, IndexError, TypeError):
            raise InputError(
                [
                    Problem(
                        Location(name),
                        "无法读取工作簿：文件不是有效的 .xlsx 文件"
                        "（.xls 旧格式请先在 Excel 或 WPS 中另存为 .xlsx）",
                    )
                ]
            ) from None


def _containing(spans: list[Span], points: Iterable[Point]) -> dict[Point, Span]:
    """The merged range holding each point, by one sweep down the rows.

    Ranges active at a row are kept sorted by first column, so each point costs a
    bisection: the work follows the points and the ranges, never the ranges' area.
    (Excel never saves overlapping ranges; for such a file one of them is taken.)
    """
    found: dict[Point, Span] = {}
    if not spans:
        return found
    ordered = sorted(range(len(spans)), key=lambda k: spans[k].min_row)
    active: list[tuple[int, int]] = []
    ends: list[tuple[int, int]] = []
    waiting = 0
    for point in sorted(points):
        row, column = point
        while waiting < len(ordered) and spans[ordered[waiting]].min_row <= row:
            k = ordered[waiting]
            bisect.insort(active, (spans[k].min_col, k))
            heapq.heappush(ends, (spans[k].max_row, k))
            waiting += 1
        while ends and ends[0][0] < row:
            _, k = heapq.heappop(ends)
            active.remove((spans[k].min_col, k))
        index = bisect.bisect_right(active, (column, len(spans))) - 1
        if index >= 0:
            span = spans[active[index][1]]
            if span.min_col <= column <= span.max_col:
                found[point] = span
    return found


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def problem(self, cell: str, message: str) -> None:
        self.problems.append(Problem(Location(self.name, cell=cell), message))

    def table(self, data: SheetData, sheet: Sheet) -> Table:
        for where, message in data.problems:
            self.problem(where, message)
        rows: dict[int, dict[int, CellData]] = {}
        for (r, c), cell in _visible_cells(data).items():
            rows.setdefault(r, {})[c] = cell
        numbers = sorted(rows)
        header = next(
            (r for r in numbers if any(_filled(cell.value) for cell in rows[r].values())), None
        )
        if header is None:
            self.problem(
                sheet.name, "工作表是空的：第一行应为列名（" + "、".join(sheet.columns) + "）"
            )
            return Table(sheet, [], set())
        columns = self._columns(data, sheet, header, rows)
        body = [r for r in numbers if r > header]
        grouping = [j for j, column in columns.items() if column in _FILL_DOWN]
        fills = _containing(data.merged, ((r, j) for r in body for j in grouping))
        read = []
        for number in body:
            row = self._row(data, sheet, number, rows[number], columns, fills)
            if row is not None:
                read.append(row)
        return Table(sheet, read, set(columns.values()))

    def _columns(
        self, data: SheetData, sheet: Sheet, header: int, rows: dict[int, dict[int, CellData]]
    ) -> dict[int, str]:
        """The header row read against the contract; every problem recorded."""
        titled: set[int] = set()
        cells: list[HeaderCell] = []
        for j, cell in sorted(rows[header].items()):
            if _filled(cell.value):
                titled.add(j)
                cells.append(HeaderCell(j, str(cell.value), data.is_hidden_column(j)))
        headers = resolve_headers(sheet, header, cells)
        for where, message in headers.problems:
            self.problem(where, message)
        self._untitled(data, sheet, header, rows, titled)
        columns = headers.columns
        missing = [
            c for c in sheet.required if c not in columns.values() and c not in headers.spoken_for
        ]
        listing = "、".join(sheet.columns)
        for where, text in headers.unknown:
            guess = difflib.get_close_matches(text, missing or list(sheet.columns), n=1, cutoff=0.3)
            hint = f"，是否应为“{guess[0]}”？" if guess else ""
            if guess and guess[0] in missing:
                missing.remove(guess[0])
            self.problem(where, f"未知的列“{visible(text)}”{hint}（可用的列：{listing}）")
        for column in missing:
            self.problem(f"{sheet.name}!第{header}行", f"缺少列“{column}”（可用的列：{listing}）")
        return columns

    def _untitled(
        self,
        data: SheetData,
        sheet: Sheet,
        header: int,
        rows: dict[int, dict[int, CellData]],
        titled: set[int],
    ) -> None:
        """A visible column with content under a blank header: named by its first cell."""
        first: dict[int, int] = {}
        for r in sorted(rows):
            if r <= header:
                continue
            for j, cell in rows[r].items():
                if j not in titled and j not in first and _filled(cell.value):
                    first[j] = r
        for j in sorted(first):
            if data.is_hidden_column(j):
                continue
            letter = column_letter(j)
            self.problem(
                f"{sheet.name}!{letter}{header}",
                f"此列有内容（如 {letter}{first[j]}）但没有列名：请填写列名或删除该列",
            )

    def _row(
        self,
        data: SheetData,
        sheet: Sheet,
        number: int,
        row: dict[int, CellData],
        columns: dict[int, str],
        fills: dict[Point, Span],
    ) -> Row | None:
        """One data row, or None when it holds nothing but merged group labels."""
        values: dict[str, Any] = {}
        cells: dict[str, str] = {}
        real = False
        for j, column in columns.items():
            coordinate = f"{column_letter(j)}{number}"
            ref = f"{sheet.name}!{coordinate}（{column}）"
            cells[column] = ref
            own = row.get(j)
            value = own.value if own is not None else None
            number_format = own.number_format if own is not None else "General"
            span = fills.get((number, j))
            if span is not None:
                top = data.cells.get(span.top_left)
                value = top.value if top is not None else None
                number_format = top.number_format if top is not None else "General"
            if own is not None and own.error:
                self.problem(
                    ref, f"单元格是错误值“{own.value}”（公式计算出错）：请改正公式或直接填写数值"
                )
                real = True
                continue
            if value is None:
                if own is not None and own.formula:
                    self.problem(
                        ref,
                        f"公式“{own.formula}”没有计算结果（文件可能由程序生成、"
                        "未经 Excel 计算）：请在 Excel 或 WPS 中打开并保存后重试",
                    )
                    real = True
                continue
            converted = to_value(value, number_format, sheet.kind(column))
            if converted is None:
                continue
            values[column] = converted
            real = real or span is None
        return Row(number, values, cells) if real else None


def _visible_cells(data: SheetData) -> dict[Point, CellData]:
    """The cells as Excel shows them: inside a merged range only the top-left counts."""
    if not data.merged:
        return data.cells
    covered = _containing(data.merged, data.cells)
    return {
        point: cell
        for point, cell in data.cells.items()
        if point not in covered or covered[point].top_left == point
    }


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _span(sheet: str, rows: Iterable[Row]) -> str:
    numbers = [r.number for r in rows]
    if not numbers:
        return sheet
    low, high = min(numbers), max(numbers)
    return f"{sheet}!第{low}行" if low == high else f"{sheet}!第{low}-{high}行"


def load_workbook_input(path: Path, name: str) -> ExcelInput:
    """Read a contract workbook; every problem found is reported together."""
    reader = _Reader(name)
    tables: dict[str, Table] = {}
    with open_workbook_archive(path, name) as (archive, _):
        book = WorkbookXml(archive, name)
        chosen, messages = resolve_sheets(book.entries, SHEETS)
        for sheet_name, sheet in SHEETS.items():
            entry = chosen.get(sheet_name)
            if entry is not None:
                tables[sheet_name] = reader.table(book.sheet(entry), sheet)
            elif sheet_name in messages:
                reader.problems.append(Problem(Location(name), messages[sheet_name]))
            elif sheet_name in REQUIRED_SHEETS:
                hint = missing_sheet_hint(book.entries, sheet_name, SHEETS)
                reader.problems.append(
                    Problem(
                        Location(name),
                        f"缺少工作表“{sheet_name}”{hint}（须有工作表："
                        + "、".join((*REQUIRED_SHEETS, "叙述"))
                        + "，其中“叙述”可省略）",
                    )
                )
    if reader.problems:
        raise InputError(reader.problems)
    return _assemble(name, tables, reader)


def _assemble(name: str, tables: dict[str, Table], reader: _Reader) -> ExcelInput:
    cells: dict[FieldPath, str] = {(): "", ("报告",): "报告", ("项目",): "项目"}
    report = _report_values(tables["报告"], cells, reader)
    funds, refs = _fund_values(tables["项目"], cells, reader)
    owners = _Owners(funds, cells, reader, refs, _aliases(funds))
    for table in (tables[sheet] for sheet in ROW_SHEETS if sheet in tables):
        owners.attach_rows(table)
    for table in (tables[sheet] for sheet in RECORD_SHEETS if sheet in tables):
        owners.attach_records(table)
    if "叙述" in tables:
        owners.attach_narratives(tables["叙述"])
    if ASPECT_SHEET in tables:
        owners.attach_aspects(tables[ASPECT_SHEET])
    if reader.problems:
        raise InputError(reader.problems)
    ordered = [_in_model_order(f) for f in funds]
    data: dict[str, Any] = {}
    if report or tables["报告"].rows:
        data["报告"] = report
    if ordered:
        data["项目"] = ordered
    return ExcelInput(file=name, data=data, lines={}, cells=cells)


def _report_values(table: Table, cells: dict[FieldPath, str], reader: _Reader) -> dict[str, Any]:
    """The 报告 sheet's key/value rows as the 报告 mapping; records each key's cell."""
    report: dict[str, Any] = {}
    seen: set[str] = set()
    for row in table.rows:
        key = trim_key(row.values.get(REF))
        if not key:
            reader.problem(
                row.cells.get(REF, f"报告!第{row.number}行"), "缺少键名（如 单位、年度）"
            )
            continue
        if key in seen:
            reader.problem(row.cells[REF], f"键“{key}”重复出现；请只保留一行")
            continue
        seen.add(key)
        known = key in REPORT_KEYS
        cells[("报告", key)] = row.cells["值"] if known else row.cells[REF]
        raw = row.values.get("值")
        if raw is None:
            if not known:  # an unknown key is reported even when its value is empty
                report[key] = None
            continue
        kind = Sheet("报告", (), (), ReportInfo).kind(key) if known else Kind.TEXT
        report[key] = _rekind(raw, kind)
    return report


def _fund_values(
    table: Table, cells: dict[FieldPath, str], reader: _Reader
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One fund per 项目 row, and the label each row gives its fund (its number if none)."""
    funds: list[dict[str, Any]] = []
    refs: dict[str, int] = {}
    for k, row in enumerate(table.rows):
        label = str(row.values.get(REF) or k + 1)
        if label in refs:
            reader.problem(row.cells.get(REF, ""), f"项目“{label}”重复出现；每个项目只能有一行")
        refs.setdefault(label, k)
        cells[("项目", k)] = f"项目!第{row.number}行"
        fund = {c: v for c, v in row.values.items() if c != REF}
        funds.append(fund)
        for column, ref in row.cells.items():
            if column != REF:
                cells[("项目", k, column)] = ref
    return funds, refs


@dataclass
class _Owners:
    """The funds being assembled, and how a row of another sheet names its fund."""

    funds: list[dict[str, Any]]
    cells: dict[FieldPath, str]
    reader: _Reader
    refs: dict[str, int]
    aliases: dict[str, int]

    def attach_rows(self, table: Table) -> None:
        """Give each fund the rows of a per-row sheet (资金, 指标…) that name it."""
        sheet_name = table.sheet.name
        grouped: dict[int, list[Row]] = {}
        for row in table.rows:
            owner = self.owner(row, table)
            if owner is not None:
                grouped.setdefault(owner, []).append(row)
        for k, fund in enumerate(self.funds):
            rows = grouped.get(k, [])
            self.cells[("项目", k, sheet_name)] = _span(sheet_name, rows)
            if rows:
                fund[sheet_name] = [{c: v for c, v in r.values.items() if c != REF} for r in rows]
            for i, r in enumerate(rows):
                self.cells[("项目", k, sheet_name, i)] = f"{sheet_name}!第{r.number}行"
                for column, ref in r.cells.items():
                    self.cells[("项目", k, sheet_name, i, column)] = ref

    def attach_records(self, table: Table) -> None:
        """Give each fund the one row of a per-fund sheet (基金收支) that names it."""
        sheet_name = table.sheet.name
        taken: dict[int, int] = {}
        for row in table.rows:
            owner = self.owner(row, table)
            if owner is None:
                continue
            if owner in taken:
                self.reader.problem(
                    row.cells.get(REF, f"{sheet_name}!第{row.number}行"),
                    f"本项目在“{sheet_name}”表第{taken[owner]}行已有一行；每个项目只能有一行",
                )
                continue
            taken[owner] = row.number
            self.funds[owner][sheet_name] = {c: v for c, v in row.values.items() if c != REF}
            self.cells[("项目", owner, sheet_name)] = f"{sheet_name}!第{row.number}行"
            for column, ref in row.cells.items():
                if column != REF:
                    self.cells[("项目", owner, sheet_name, column)] = ref

    def attach_aspects(self, table: Table) -> None:
        """Give each fund its 资金管理情况 rows, keyed by the aspect each row names."""
        columns = [c for c in table.sheet.columns if c not in (REF, ASPECT)]
        for row in table.rows:
            owner = self.owner(row, table)
            if owner is None:
                continue
            aspect = trim_key(row.values.get(ASPECT))
            if not aspect:
                self.reader.problem(
                    row.cells.get(ASPECT, f"{ASPECT_SHEET}!第{row.number}行"),
                    f"缺少{ASPECT}（可用：" + "、".join(MANAGEMENT_ASPECTS) + "）",
                )
                continue
            values = {c: row.values[c] for c in columns if c in row.values}
            if not values:  # an aspect left blank, as the fill-in template lists them
                continue
            block = self.funds[owner].setdefault(ASPECT_SHEET, {})
            if aspect in block:
                self.reader.problem(
                    row.cells[ASPECT], f"“{aspect}”重复出现；同一项目的每个方面只能有一行"
                )
                continue
            block[aspect] = values
            base = ("项目", owner, ASPECT_SHEET)
            self.cells.setdefault(base, f"{ASPECT_SHEET}!第{row.number}行")
            self.cells[(*base, aspect)] = row.cells[ASPECT]
            for column in columns:
                if column in row.cells:
                    self.cells[(*base, aspect, column)] = row.cells[column]

    def attach_narratives(self, table: Table) -> None:
        """Give each fund its 叙述 rows; several rows of one 栏目 join into one text."""
        for row in table.rows:
            owner = self.owner(row, table)
            if owner is None:
                continue
            slot = trim_key(row.values.get("栏目"))
            if not slot:
                self.reader.problem(
                    row.cells.get("栏目", f"叙述!第{row.number}行"),
                    "缺少栏目（可用：" + "、".join(NARRATIVE_SLOTS) + "）",
                )
                continue
            narrative = self.funds[owner].setdefault("叙述", {})
            self.cells.setdefault(("项目", owner, "叙述"), f"叙述!第{row.number}行")
            self.cells[("项目", owner, "叙述", slot)] = row.cells[
                "内容" if slot in NARRATIVE_SLOTS else "栏目"
            ]
            text = row.values.get("内容")
            if text is None:
                if slot not in NARRATIVE_SLOTS:
                    narrative.setdefault(slot, None)  # an unknown 栏目 is reported, never skipped
                continue
            previous = narrative.get(slot)
            narrative[slot] = f"{previous}\n{text}" if previous else str(text)

    def owner(self, row: Row, table: Table) -> int | None:
        """The index of the fund ``row`` belongs to, or None (with a problem recorded)."""
        return _fund_of(row, table, self.refs, self.aliases, len(self.funds), self.reader)


def _rekind(value: Any, kind: Kind) -> Any:
    """报告 values were read as text; give them the kind their key calls for."""
    return to_value(value, "General", kind) if isinstance(value, str) else value


def _aliases(funds: list[dict[str, Any]]) -> dict[str, int]:
    """Other ways to name a fund: its number, its 名称, its 类型 when unique."""
    found: dict[str, int] = {}
    types = [str(f.get("类型", "")) for f in funds]
    for k, fund in enumerate(funds):
        found.setdefault(str(k + 1), k)
        if fund.get("名称"):
            found.setdefault(str(fund["名称"]), k)
        if types[k] and types.count(types[k]) == 1:
            found.setdefault(types[k], k)
    return found


def _fund_of(
    row: Row,
    table: Table,
    refs: dict[str, int],
    aliases: dict[str, int],
    count: int,
    reader: _Reader,
) -> int | None:
    label = row.values.get(REF)
    where = row.cells.get(REF, f"{table.sheet.name}!第{row.number}行")
    if label is None:
        if count == 1:
            return 0
        if REF not in table.columns:
            reader.problem(where, "有多个项目时须有“项目”列，指明每行属于哪个项目")
        else:
            reader.problem(where, "须填写本行属于哪个项目（" + "、".join(refs) + "）")
        return None
    label = str(label)
    if label in refs:
        return refs[label]
    if label in aliases:
        return aliases[label]
    guess = difflib.get_close_matches(label, list(refs) + list(aliases), n=1, cutoff=0.3)
    hint = f"，是否应为“{guess[0]}”？" if guess else ""
    reader.problem(where, f"未知的项目“{label}”{hint}（“项目”表中有：{'、'.join(refs)}）")
    return None


def _in_model_order(fund: dict[str, Any]) -> dict[str, Any]:
    """Keys in the contract's order, so a conversion to YAML reads like a hand-written file."""
    order = [info.alias or n for n, info in Fund.model_fields.items()]
    known = {k: fund[k] for k in order if k in fund}
    extra = {k: v for k, v in fund.items() if k not in known}
    known.update(extra)
    return known
