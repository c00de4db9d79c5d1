"""Load a fill-in workbook (.xlsx) into the same plain data as the YAML loader.

The result is an :class:`ExcelInput`, a :class:`LoadedInput` whose locations name
``sheet!cell（column header）`` instead of a line, so every later step (validation,
computation) reports problems in the workbook's own terms without knowing it came
from Excel. openpyxl is imported here only, so a YAML run never pays for it; it is
used directly rather than through pandas because the reader needs what a
DataFrame throws away: number formats, merged ranges, hidden columns and formulas.
"""

from __future__ import annotations

import difflib
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.vocabulary import NARRATIVE_SLOTS
from generator.errors import InputError, Location, Problem
from generator.inputs.excel.cells import to_value
from generator.inputs.excel.schema import (
    REF,
    REPORT_KEYS,
    REQUIRED_SHEETS,
    ROW_SHEETS,
    SHEETS,
    Kind,
    Sheet,
)
from generator.inputs.models import Fund, ReportInfo
from generator.inputs.source import FieldPath, LoadedInput

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["ExcelInput", "Row", "Table", "load_workbook_input", "normalize_header", "open_workbook"]

#: Columns whose merged cells apply to every row they span (grouping columns).
_FILL_DOWN = {REF, "一级", "二级"}


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


def normalize_header(text: Any) -> str:
    """A header as the contract spells it: width folded, spaces and notes removed.

    ``“ 预算数（万元）”`` → ``预算数``; ``“*分值”`` (a required-column marker) → ``分值``.
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = "".join(folded.split()).lstrip("*＊")
    for opening in ("(", "（"):
        if opening in folded and folded.endswith((")", "）")):
            folded = folded[: folded.index(opening)]
    return folded


def open_workbook(path: Path, name: str, *, data_only: bool = True) -> Any:
    """Open with openpyxl; a file that is not an .xlsx becomes a clear input error."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from generator.inputs.excel.guard import check_workbook

    # Size, zip bomb, password and DTD checks come before anything is unzipped.
    check_workbook(path, name)
    try:
        return openpyxl.load_workbook(path, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise InputError(
            [
                Problem(
                    Location(name),
                    "无法读取工作簿：文件不是有效的 .xlsx 文件"
                    "（.xls 旧格式请先在 Excel 或 WPS 中另存为 .xlsx）",
                )
            ]
        ) from None


def _has_formulas(path: Path) -> bool:
    """Cheap scan of the sheet XML, so formula-free workbooks are opened only once."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    data = archive.read(info)
                    if b"<f>" in data or b"<f " in data or b"<x:f" in data:
                        return True
    except (zipfile.BadZipFile, OSError):
        return False
    return False


class _Reader:
    def __init__(self, name: str, formulas: Any | None) -> None:
        self.name = name
        self.formulas = formulas
        self.problems: list[Problem] = []

    def problem(self, cell: str, message: str) -> None:
        self.problems.append(Problem(Location(self.name, cell=cell), message))

    def table(self, ws: Worksheet, sheet: Sheet) -> Table:
        from openpyxl.utils import get_column_letter

        hidden = _hidden_columns(ws)
        merged = _merged_values(ws)
        # iter_rows() starts at A1, so row i / column j are numbers i+1 / j+1.
        grid = [list(row) for row in ws.iter_rows()]
        header_index = next(
            (i for i, row in enumerate(grid) if any(_filled(c.value) for c in row)), None
        )
        if header_index is None:
            self.problem(
                sheet.name, "工作表是空的：第一行应为列名（" + "、".join(sheet.columns) + "）"
            )
            return Table(sheet, [], set())
        header_number = header_index + 1
        body = grid[header_index + 1 :]
        columns: dict[int, str] = {}
        unknown: list[tuple[str, str]] = []
        for j, cell in enumerate(grid[header_index], start=1):
            column = normalize_header(cell.value)
            letter = get_column_letter(j)
            where = f"{sheet.name}!{letter}{header_number}"
            if not column:
                if j not in hidden and any(len(r) >= j and _filled(r[j - 1].value) for r in body):
                    self.problem(where, "此列有内容但没有列名：请填写列名或删除该列")
                continue
            if column not in sheet.columns:
                if j not in hidden:
                    unknown.append((where, column))
                continue
            if column in columns.values():
                if j in hidden:
                    continue
                first = get_column_letter(next(k for k, v in columns.items() if v == column))
                self.problem(where, f"列“{column}”重复出现（第一次在 {first} 列）；请只保留一列")
                continue
            columns[j] = column
        missing = [c for c in sheet.required if c not in columns.values()]
        listing = "、".join(sheet.columns)
        for where, column in unknown:
            guess = difflib.get_close_matches(
                column, missing or list(sheet.columns), n=1, cutoff=0.3
            )
            hint = f"，是否应为“{guess[0]}”？" if guess else ""
            if guess and guess[0] in missing:
                missing.remove(guess[0])
            self.problem(where, f"未知的列“{column}”{hint}（可用的列：{listing}）")
        for column in missing:
            self.problem(
                f"{sheet.name}!第{header_number}行", f"缺少列“{column}”（可用的列：{listing}）"
            )
        rows = []
        for i, row in enumerate(body, start=header_number + 1):
            read = self._row(ws.title, sheet, i, row, columns, merged)
            if read is not None:
                rows.append(read)
        return Table(sheet, rows, set(columns.values()))

    def _row(
        self,
        title: str,
        sheet: Sheet,
        number: int,
        row: list[Any],
        columns: dict[int, str],
        merged: dict[str, tuple[Any, str]],
    ) -> Row | None:
        """One data row, or None when it holds nothing but merged group labels."""
        from openpyxl.utils import get_column_letter

        values: dict[str, Any] = {}
        cells: dict[str, str] = {}
        real = False
        for j, cell in enumerate(row, start=1):
            column = columns.get(j)
            if column is None:
                continue
            coordinate = f"{get_column_letter(j)}{number}"
            ref = f"{sheet.name}!{coordinate}（{column}）"
            cells[column] = ref
            value = cell.value
            number_format = str(cell.number_format or "General")
            from_merge = coordinate in merged and column in _FILL_DOWN
            if from_merge:
                value, number_format = merged[coordinate]
            if getattr(cell, "data_type", None) == "e":
                self.problem(
                    ref, f"单元格是错误值“{value}”（公式计算出错）：请改正公式或直接填写数值"
                )
                real = True
                continue
            if value is None:
                formula = self._formula(title, coordinate)
                if formula:
                    self.problem(
                        ref,
                        f"公式“{formula}”没有计算结果（文件可能由程序生成、"
                        "未经 Excel 计算）：请在 Excel 或 WPS 中打开并保存后重试",
                    )
                    real = True
                continue
            converted = to_value(value, number_format, sheet.kind(column))
            if converted is None:
                continue
            values[column] = converted
            real = real or not from_merge
        return Row(number, values, cells) if real else None

    def _formula(self, title: str, coordinate: str) -> str:
        if self.formulas is None:
            return ""
        value = self.formulas[title][coordinate].value
        if isinstance(value, str) and value.startswith("="):
            return value
        text = getattr(value, "text", None)  # array formulas
        return str(text) if text else ""


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _hidden_columns(ws: Worksheet) -> set[int]:
    hidden: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min is not None and dim.max is not None:
            hidden.update(range(dim.min, dim.max + 1))
    return hidden


def _merged_values(ws: Worksheet) -> dict[str, tuple[Any, str]]:
    """Every cell of a merged range → the value and format of its top-left cell."""
    from openpyxl.utils import get_column_letter

    found: dict[str, tuple[Any, str]] = {}
    for merged in ws.merged_cells.ranges:
        top = ws.cell(merged.min_row, merged.min_col)
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                found[f"{get_column_letter(c)}{r}"] = (top.value, str(top.number_format))
    return found


def _span(sheet: str, rows: Iterable[Row]) -> str:
    numbers = [r.number for r in rows]
    if not numbers:
        return sheet
    low, high = min(numbers), max(numbers)
    return f"{sheet}!第{low}行" if low == high else f"{sheet}!第{low}-{high}行"


def load_workbook_input(path: Path, name: str) -> ExcelInput:
    """Read a contract workbook; every problem found is reported together."""
    workbook = open_workbook(path, name)
    formulas = open_workbook(path, name, data_only=False) if _has_formulas(path) else None
    reader = _Reader(name, formulas)
    present = {normalize_header(title): title for title in workbook.sheetnames}
    strays = [t for t in present if t not in SHEETS]
    tables: dict[str, Table] = {}
    for sheet_name, sheet in SHEETS.items():
        if sheet_name not in present:
            if sheet_name in REQUIRED_SHEETS:
                guess = (
                    difflib.get_close_matches(sheet_name, strays, n=1, cutoff=0.3)
                    or [t for t in strays if set(t) & set(sheet_name)][:1]
                )
                hint = f"；工作表“{present[guess[0]]}”是否应改名为“{sheet_name}”？" if guess else ""
                reader.problems.append(
                    Problem(
                        Location(name),
                        f"缺少工作表“{sheet_name}”{hint}（须有工作表："
                        + "、".join((*REQUIRED_SHEETS, "叙述"))
                        + "，其中“叙述”可省略）",
                    )
                )
            continue
        tables[sheet_name] = reader.table(workbook[present[sheet_name]], sheet)
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
    if "叙述" in tables:
        owners.attach_narratives(tables["叙述"])
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
    for row in table.rows:
        key = normalize_header(row.values.get(REF))
        if not key:
            reader.problem(
                row.cells.get(REF, f"报告!第{row.number}行"), "缺少键名（如 单位、年度）"
            )
            continue
        if key in report:
            reader.problem(row.cells[REF], f"键“{key}”重复出现；请只保留一行")
            continue
        known = key in REPORT_KEYS
        cells[("报告", key)] = row.cells["值"] if known else row.cells[REF]
        raw = row.values.get("值")
        if raw is None:
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

    def attach_narratives(self, table: Table) -> None:
        """Give each fund its 叙述 rows; several rows of one 栏目 join into one text."""
        for row in table.rows:
            owner = self.owner(row, table)
            if owner is None:
                continue
            slot = normalize_header(row.values.get("栏目"))
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
