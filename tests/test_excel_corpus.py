"""Bad workbooks through the real CLI: exact message, exit 1, nothing written.

The guards are generator/inputs/excel/guard.py's, which the Excel loader runs before
any part is parsed; the formula cases start from ``genreport convert`` of
tests/fixtures/valid.yaml and put a formula where 预算数 was. The far-away cells,
merged ranges, size claims and padded sheets of a few KB that once took minutes are
answered here through the CLI; tests/test_workbook_properties.py bounds their work.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator import limits

from .conftest import VALID_INPUT, assert_refused, command_args, validated, write_zip
from .workbooks import (
    add_cells,
    add_formatted_rows,
    add_merged_ranges,
    bare_workbook,
    declare_dimension,
    ole_file,
    pad_hidden_sheets,
    set_cached_values,
    valid_sheets,
    write_workbook,
)


def _not_a_zip(path: Path) -> None:
    path.write_text("年度,单位\n2024,测试县医疗保障局\n", encoding="utf-8")


def _password(path: Path) -> None:
    path.write_bytes(ole_file("EncryptedPackage"))


def _old_xls(path: Path) -> None:
    path.write_bytes(ole_file("Workbook"))


def _bomb(path: Path) -> None:
    bare_workbook(path, {"xl/worksheets/sheet1.xml": bytes(64 * 1024 * 1024)})


def _entities(path: Path) -> None:
    bare_workbook(
        path,
        {
            "xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet>&b;</worksheet>'
        },
    )


def _word(path: Path) -> None:
    write_zip(path, {"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"})


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "不是zip",
        _not_a_zip,
        "不是有效的 Excel 工作簿（.xlsx）：文件不是 zip 格式，"
        "可能已损坏，或只是把其他文件的扩展名改成了 .xlsx",
    ),
    (
        "设置了密码",
        _password,
        "工作簿设置了打开密码（已加密），无法读取：请在 Excel 中打开，"
        "“文件→信息→保护工作簿→用密码进行加密”，清空密码后保存，再重试",
    ),
    (
        "旧版xls",
        _old_xls,
        "这是旧版 Excel 97-2003 工作簿（.xls）或其他旧版 Office 文件："
        "请在 Excel 中“另存为”Excel 工作簿（.xlsx）后重试",
    ),
    (
        "压缩炸弹",
        _bomb,
        "工作簿中的“xl/worksheets/sheet1.xml”压缩比异常（1028:1），疑似压缩炸弹，已拒绝",
    ),
    (
        "XML实体",
        _entities,
        "工作簿中的“xl/worksheets/sheet1.xml”含有 DTD 声明（<!DOCTYPE），"
        "Excel 不会生成这种内容，为安全起见已拒绝",
    ),
    (
        "Word改名",
        _word,
        "不是 Excel 工作簿：zip 中没有 xl/workbook.xml（可能是 Word 文件或其他压缩包改了扩展名）",
    ),
]


@pytest.mark.parametrize(("name", "build", "expected"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["generate", "check"])
def test_bad_workbook_gives_one_clear_line_and_writes_nothing(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    build: Callable[[Path], None],
    expected: str,
    command: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    build(tmp_path / f"{name}.xlsx")
    args = command_args(command, f"{name}.xlsx", "out")
    assert_refused(run_cli(*args), f"{name}.xlsx: {expected}", out=tmp_path / "out")


def _converted(run_cli, tmp_path: Path) -> Path:
    target = tmp_path / "输入.xlsx"
    code, _, stderr = run_cli("convert", str(VALID_INPUT), "-o", str(target))
    assert code == 0, stderr
    return target


def _put_formula(path: Path) -> tuple[str, str]:
    """Replace the cell holding 预算数 1000 with =500+500; return (sheet, cell)."""
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if (
                    not isinstance(cell.value, bool)
                    and isinstance(cell.value, int | float | Decimal)
                    and Decimal(str(cell.value)) == 1000
                ):
                    cell.value = "=500+500"
                    book.save(path)
                    return sheet.title, cell.coordinate
    pytest.fail("the converted workbook has no cell holding 1000")


def test_a_formula_without_a_saved_result_is_refused_naming_its_cell(
    run_cli, tmp_path: Path
) -> None:
    path = _converted(run_cli, tmp_path)
    where = "!".join(_put_formula(path))
    code, _, stderr = run_cli(str(path), "-o", str(tmp_path / "out"))
    assert code == 1
    assert where in stderr and "公式" in stderr
    assert "Traceback" not in stderr and "内部错误" not in stderr
    assert not (tmp_path / "out").exists()


def test_a_formula_with_a_saved_result_uses_that_result(run_cli, tmp_path: Path) -> None:
    path = _converted(run_cli, tmp_path)
    # What Excel does on save: keep the formula and store its last result beside it.
    set_cached_values(path, {_put_formula(path): "1000"})
    code, _, stderr = run_cli("check", str(path))
    assert code == 0, stderr


# ------------------------------------------------------------------ far cells and big claims


def _valid(path: Path) -> Path:
    return write_workbook(path, valid_sheets())


def _formatted_cell_at_the_last_row(path: Path) -> None:
    add_cells(_valid(path), "指标", {"XFD1048576": None})


def _merged_project_column_down_to_the_last_row(path: Path) -> None:
    add_merged_ranges(_valid(path), "指标", "A2:A1048576")


def _merged_empty_area(path: Path) -> None:
    add_merged_ranges(_valid(path), "资金", "G1:XFD1048576")


def _whole_grid_claimed(path: Path) -> None:
    declare_dimension(_valid(path), "指标", "A1:XFD1048576")


def _formatted_empty_rows(path: Path) -> None:
    add_formatted_rows(_valid(path), "叙述", 10, 5_000, 26)


READABLE: list[tuple[str, Callable[[Path], None]]] = [
    ("formatting only at XFD1048576", _formatted_cell_at_the_last_row),
    ("项目 column merged over a million rows", _merged_project_column_down_to_the_last_row),
    ("an empty area merged to the grid's corner", _merged_empty_area),
    ("a dimension claiming the whole grid", _whole_grid_claimed),
    ("thousands of formatted empty rows", _formatted_empty_rows),
]


@pytest.mark.parametrize(("name", "build"), READABLE, ids=[r[0] for r in READABLE])
def test_what_a_sheet_claims_or_formats_far_away_changes_nothing(
    run_cli, tmp_path: Path, name: str, build: Callable[[Path], None]
) -> None:
    path = tmp_path / "远处.xlsx"
    build(path)
    code, out, err = run_cli("check", str(path))
    assert (code, err) == (0, ""), err
    assert out.splitlines()[-1] == f"{path}：检查完成，未发现问题。"
    assert validated(path) == validated(VALID_INPUT)


def test_a_value_far_away_is_reported_at_its_column_and_cell(run_cli, tmp_path: Path) -> None:
    add_cells(_valid(tmp_path / "远处.xlsx"), "指标", {"XFD1048576": "备注"})
    assert_refused(
        run_cli(str(tmp_path / "远处.xlsx"), "-o", str(tmp_path / "out")),
        f"{tmp_path / '远处.xlsx'} 指标!XFD1：此列有内容（如 XFD1048576）但没有列名："
        "请填写列名或删除该列",
        out=tmp_path / "out",
        errors=1,
    )


def test_hidden_sheets_each_under_the_ratio_floor_count_against_one_total(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    path = pad_hidden_sheets(_valid(tmp_path / "备份.xlsx"), 40, 1024 * 1024 - 100)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    assert path.stat().st_size < 300 * 1024
    assert all(i.file_size < 1024 * 1024 for i in infos), "each part is under the floor"
    assert_refused(
        run_cli("备份.xlsx", "-o", "out"),
        f"备份.xlsx: 工作簿解压后共{limits.describe_size(total)}，是压缩后大小的"
        f"{total // packed}倍（上限200倍），疑似压缩炸弹，已拒绝",
        out=tmp_path / "out",
        errors=1,
    )


def test_reading_stops_at_the_workbook_element_budget(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(limits, "MAX_WORKBOOK_XML_ELEMENTS", 5_000)
    add_formatted_rows(_valid(tmp_path / "格式.xlsx"), "指标", 10, 200, 26)
    assert_refused(
        run_cli("check", "格式.xlsx"),
        "格式.xlsx: 工作表“指标”内容过多：整个工作簿读取的 XML 元素超过5000个"
        "（常见原因：大片只有格式、没有内容的行和列）；请删除多余的行和列后另存",
        errors=1,
    )


def test_a_sheet_with_too_many_merged_ranges_is_refused(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(limits, "MAX_WORKBOOK_MERGED_RANGES", 3)
    add_merged_ranges(_valid(tmp_path / "合并.xlsx"), "指标", "J1:J2", "J3:J4", "J5:J6", "J7:J8")
    assert_refused(
        run_cli("check", "合并.xlsx"),
        "合并.xlsx: 工作表“指标”的合并单元格过多（超过3处）：请取消不需要的合并后另存",
        errors=1,
    )


def test_import_refuses_a_sheet_whose_grid_reaches_far_away(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    add_cells(_valid(tmp_path / "自评表.xlsx"), "资金", {"XFD1048576": None})
    code, _, err = run_cli("import", "自评表.xlsx", "-o", "导入.yaml")
    assert code == 1
    assert err.splitlines()[0] == (
        "自评表.xlsx 资金!XFD1048576：工作表“资金”用到的范围过大（A1:XFD1048576，"
        "超过200000个单元格）：多半是远处有多余的单元格、格式或合并单元格；"
        "请删除多余的行和列后另存"
    )
    assert not (tmp_path / "导入.yaml").exists()
