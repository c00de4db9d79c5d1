"""Bad workbooks through the real CLI: exact message, exit 1, nothing written.

The guards are generator/inputs/excel/guard.py's, which the Excel loader runs before
openpyxl opens a file; the formula cases start from ``genreport convert`` of
tests/fixtures/valid.yaml and put a formula where 预算数 was.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from .conftest import VALID_INPUT, assert_refused, write_zip
from .workbooks import bare_workbook, ole_file, set_cached_values


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
    args = [command, f"{name}.xlsx"] + (["-o", "out"] if command == "generate" else [])
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
