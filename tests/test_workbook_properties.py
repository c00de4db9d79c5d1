"""Property tests for workbooks as people and programs leave them.

A copy of a sheet or a column (Excel's 「资金 (2)」, a hidden 「指标（旧）」, a column
「执行数（旧）」) is never read in place of the real one: the error names both. A cell, a
merged range or a size claim anywhere in the grid costs work in proportion to what the
file holds, never to the area it spans. Work is measured, not timed: the peak memory of
the load (tracemalloc), the cells handed to the value reader, and the bytes unzipped.
Example counts follow the hypothesis profile in tests/conftest.py.
"""

from __future__ import annotations

import re
import tempfile
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.text import visible
from generator.errors import InputError
from generator.inputs.excel import read
from generator.inputs.load import load_input
from generator.inputs.validate import validate_input

from .conftest import VALID_INPUT, validated
from .workbooks import (
    add_cells,
    add_merged_ranges,
    declare_dimension,
    pad_hidden_sheets,
    valid_sheets,
    write_workbook,
)

SHEETS = ("报告", "项目", "资金", "指标", "叙述")
EXPECTED = validated(VALID_INPUT)
#: Cells of the valid workbook (tests/workbooks.py), values or not.
CELLS = sum(len(row) for rows in valid_sheets().values() for row in rows)
#: Peak memory of loading the valid workbook is about 1 MB; the loads below may not
#: need more than a few times that, wherever their far cells and ranges are.
PEAK = 4 * 1024 * 1024
LAST_ROW = 1_048_576
LAST_COLUMN = 16_384

#: How copies are named: Excel, WPS, LibreOffice, Google Sheets, and people.
COPY_NAMES = (
    "{} (2)",
    "{}(2)",
    "{}_2",
    "{} 的副本",
    "Copy of {}",
    "{}（旧）",
    "{}(旧)",
    "{}-备份",
    "{}备份",
    "旧{}",
    "{} ",
    " {}",
    "{}\u3000",
    "{}【2023】",
    "{}2",
    "{}（2）",
    "{}\u200b",
)


def _examples(share: float) -> int:
    return max(5, int(settings.default.max_examples * share))


def _each(share: float) -> settings:
    return settings(
        max_examples=_examples(share),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@contextmanager
def _workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@dataclass
class Work:
    peak: int = 0
    cells: int = 0
    unzipped: int = 0


@contextmanager
def _measured() -> Iterator[Work]:
    """Peak memory, cells read as values and bytes unzipped while the block runs."""
    work = Work()
    to_value = read.to_value
    unzip = zipfile.ZipExtFile.read

    def counting_value(*args: Any) -> Any:
        work.cells += 1
        return to_value(*args)

    def counting_unzip(stream: zipfile.ZipExtFile, n: int = -1) -> bytes:
        data = unzip(stream, n)
        work.unzipped += len(data)
        return data

    tracemalloc.start()
    try:
        with (
            mock.patch.object(read, "to_value", counting_value),
            mock.patch.object(zipfile.ZipExtFile, "read", counting_unzip),
        ):
            yield work
        work.peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _load(path: Path) -> tuple[Any, Work]:
    """The validated model, or the InputError, and the work the load took."""
    with _measured() as work:
        try:
            loaded = load_input(path)
        except InputError as exc:
            return exc, work
    try:
        return validate_input(loaded), work
    except InputError as exc:
        return exc, work


def _assert_bounded(work: Work, unzipped: int = 512 * 1024) -> None:
    assert work.peak < PEAK, f"peak memory {work.peak}"
    assert work.cells <= CELLS, f"{work.cells} cells read as values"
    assert work.unzipped < unzipped, f"{work.unzipped} bytes unzipped"


def _letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _doubled(rows: list[list[Any]]) -> list[list[Any]]:
    """A copy whose figures differ, as an old backup's do."""
    return [[v * 2 if isinstance(v, int) else v for v in row] for row in rows]


# ------------------------------------------------------------------ copies of sheets


@_each(0.1)
@given(
    sheet=st.sampled_from(SHEETS),
    pattern=st.sampled_from(COPY_NAMES),
    hidden=st.booleans(),
    first=st.booleans(),
    keep_original=st.booleans(),
)
def test_a_copy_of_a_sheet_is_named_and_never_read_in_its_place(
    sheet: str, pattern: str, hidden: bool, first: bool, keep_original: bool
) -> None:
    copy = pattern.format(sheet)
    sheets = valid_sheets()
    copied = _doubled(sheets[sheet])
    if not keep_original:
        del sheets[sheet]
    ordered = {copy: copied, **sheets} if first else {**sheets, copy: copied}
    with _workdir() as tmp:
        path = write_workbook(tmp / "副本.xlsx", ordered, hidden_sheets=[copy] if hidden else [])
        result, work = _load(path)
    assert isinstance(result, InputError), "a copy was read as the real sheet"
    (problem,) = [p for p in result.problems if f"“{visible(copy)}”" in p.message]
    assert problem.location.file == str(path)
    assert f"“{sheet}”" in problem.message
    if keep_original:
        assert f"只留下名为“{sheet}”的一张" in problem.message
    else:
        assert f"请改名为“{sheet}”" in problem.message
    assert ("（隐藏）" in problem.message) == hidden
    _assert_bounded(work)


# ------------------------------------------------------------------ copies of columns


@_each(0.1)
@given(data=st.data(), pattern=st.sampled_from(COPY_NAMES), hidden=st.booleans())
def test_a_copy_of_a_column_is_named_with_both_cells(
    data: st.DataObject, pattern: str, hidden: bool
) -> None:
    sheets = valid_sheets()
    sheet = data.draw(st.sampled_from(SHEETS))
    rows = sheets[sheet]
    index = data.draw(st.integers(0, len(rows[0]) - 1))
    column = rows[0][index]
    copy = pattern.format(column)
    for i, row in enumerate(rows):
        row.append(copy if i == 0 else (row[index] * 2 if isinstance(row[index], int) else "x"))
    original, added = _letter(index + 1), _letter(len(rows[0]))
    with _workdir() as tmp:
        path = write_workbook(
            tmp / "列.xlsx", sheets, hidden_columns={sheet: [added]} if hidden else None
        )
        result, work = _load(path)
    assert isinstance(result, InputError), "a copied column was read as the real one"
    (problem,) = [p for p in result.problems if f"{added}1“{visible(copy)}”" in p.message]
    assert problem.location.cell == f"{sheet}!第1行"
    assert f"{original}1“{column}”" in problem.message
    assert ("（隐藏列）" in problem.message) == hidden
    _assert_bounded(work)


# ------------------------------------------------------------------ far cells and size claims

FAR_ROWS = st.integers(100, LAST_ROW)
FAR_COLUMNS = st.integers(20, LAST_COLUMN)
ANY_COLUMN = st.integers(1, LAST_COLUMN)


@_each(0.1)
@given(
    sheet=st.sampled_from(SHEETS),
    place=st.one_of(
        st.tuples(FAR_ROWS, ANY_COLUMN), st.tuples(st.integers(1, LAST_ROW), FAR_COLUMNS)
    ),
    claim=st.one_of(st.none(), st.tuples(FAR_ROWS, ANY_COLUMN)),
)
def test_formatting_far_away_costs_nothing_and_changes_nothing(
    sheet: str, place: tuple[int, int], claim: tuple[int, int] | None
) -> None:
    row, column = place
    with _workdir() as tmp:
        path = write_workbook(tmp / "格式.xlsx", valid_sheets())
        add_cells(path, sheet, {f"{_letter(column)}{row}": None})
        if claim is not None:
            declare_dimension(path, sheet, f"A1:{_letter(claim[1])}{claim[0]}")
        result, work = _load(path)
    assert result == EXPECTED
    _assert_bounded(work)


@_each(0.1)
@given(
    sheet=st.sampled_from(SHEETS),
    place=st.one_of(
        st.tuples(FAR_ROWS, ANY_COLUMN), st.tuples(st.integers(2, LAST_ROW), FAR_COLUMNS)
    ),
    value=st.one_of(st.sampled_from(["备注", "x", "0"]), st.integers(0, 10**6)),
)
def test_a_value_far_away_is_reported_where_it_is(
    sheet: str, place: tuple[int, int], value: str | int
) -> None:
    row, column = place
    cell = f"{_letter(column)}{row}"
    with _workdir() as tmp:
        path = write_workbook(tmp / "远处.xlsx", valid_sheets())
        add_cells(path, sheet, {cell: value})
        result, work = _load(path)
    assert isinstance(result, InputError), f"{sheet}!{cell} was silently read"
    text = "\n".join(str(p) for p in result.problems)
    # Its column (a value under no header) or its row (a row of the table) is named.
    assert cell in text or re.search(rf"{sheet}!(?:[A-Z]+|第){row}(?!\d)", text), text
    _assert_bounded(work)


# ------------------------------------------------------------------ merged ranges


def _span(top: int, left: int, bottom: int, right: int) -> str:
    return f"{_letter(left)}{top}:{_letter(right)}{bottom}"


@st.composite
def far_ranges(draw: st.DrawFn) -> str:
    """A merged range of any size that holds no cell of the table."""
    if draw(st.booleans()):
        top, left = draw(FAR_ROWS), draw(ANY_COLUMN)
    else:
        top, left = draw(st.integers(1, LAST_ROW)), draw(FAR_COLUMNS)
    bottom = draw(st.integers(top, LAST_ROW))
    right = draw(st.integers(left, LAST_COLUMN))
    return _span(top, left, bottom, right)


@_each(0.1)
@given(data=st.data())
def test_a_merged_range_of_any_size_costs_nothing_more(data: st.DataObject) -> None:
    """Far-away ranges change nothing; a 项目 column merged down to any row fills down
    the one fund it names, as the same cells typed on every row would."""
    ranges: dict[str, list[str]] = {}
    for _ in range(data.draw(st.integers(1, 4))):
        ranges.setdefault(data.draw(st.sampled_from(SHEETS)), []).append(data.draw(far_ranges()))
    if data.draw(st.booleans()):
        sheet = data.draw(st.sampled_from(["资金", "指标"]))
        last = len(valid_sheets()[sheet])
        bottom = data.draw(st.integers(last, LAST_ROW))
        ranges.setdefault(sheet, []).append(f"A2:A{bottom}")
    with _workdir() as tmp:
        path = write_workbook(tmp / "合并.xlsx", valid_sheets())
        for sheet, refs in ranges.items():
            add_merged_ranges(path, sheet, *refs)
        result, work = _load(path)
    assert result == EXPECTED
    _assert_bounded(work)


# ------------------------------------------------------------------ parts not read


@pytest.mark.parametrize("count", [1, 20])
def test_sheets_the_contract_does_not_name_are_never_unzipped(count: int) -> None:
    """Hidden helper sheets of almost 1 MB each: only the guard's look at their first
    bytes is spent on them, so the work does not grow with their number or size."""
    with _workdir() as tmp:
        path = pad_hidden_sheets(
            write_workbook(tmp / "隐藏.xlsx", valid_sheets()), count, 150 * 1024
        )
        result, work = _load(path)
    assert result == EXPECTED
    _assert_bounded(work, unzipped=64 * 1024 + count * 4096)
