"""Workbook guards (generator/inputs/excel/guard.py): decided from first bytes and the zip
directory, before anything is unzipped or parsed. The workbooks are built with zipfile.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator import limits
from generator.errors import InputError
from generator.inputs.excel.guard import check_workbook

from .conftest import write_zip
from .workbooks import CONTENT_TYPES, bare_workbook, ole_file


def _with_encrypted_entry(path: Path, name: str) -> Path:
    """zipfile cannot encrypt: set the flag of ``name`` in the central directory."""
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 8] |= 0x1
    path.write_bytes(bytes(data))
    return path


def _message(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        check_workbook(path, path.name)
    (problem,) = caught.value.problems
    assert problem.location.file == path.name
    return problem.message


def test_a_plain_workbook_passes(tmp_path: Path) -> None:
    check_workbook(
        bare_workbook(tmp_path / "好.xlsx", {"xl/worksheets/sheet1.xml": b"<worksheet/>"})
    )


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    path.write_text("年度,单位\n2024,测试县\n", encoding="utf-8")
    assert _message(path) == (
        "不是有效的 Excel 工作簿（.xlsx）：文件不是 zip 格式，"
        "可能已损坏，或只是把其他文件的扩展名改成了 .xlsx"
    )


def test_a_truncated_zip_is_refused(tmp_path: Path) -> None:
    whole = bare_workbook(tmp_path / "整.xlsx").read_bytes()
    path = tmp_path / "残.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert (
        _message(path)
        == "不是有效的 Excel 工作簿（.xlsx）：zip 结构已损坏，请在 Excel 中打开并另存后重试"
    )


def test_a_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    # Office stores an encrypted .xlsx as an OLE file with an EncryptedPackage stream.
    path = tmp_path / "加密.xlsx"
    path.write_bytes(ole_file("EncryptionInfo", "EncryptedPackage"))
    assert _message(path) == (
        "工作簿设置了打开密码（已加密），无法读取：请在 Excel 中打开，"
        "“文件→信息→保护工作簿→用密码进行加密”，清空密码后保存，再重试"
    )


def test_an_old_xls_is_told_to_be_saved_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "旧.xlsx"
    path.write_bytes(ole_file("Workbook"))
    assert _message(path) == (
        "这是旧版 Excel 97-2003 工作簿（.xls）或其他旧版 Office 文件："
        "请在 Excel 中“另存为”Excel 工作簿（.xlsx）后重试"
    )


def test_a_zip_bomb_is_refused_by_its_ratio_without_unzipping_any_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = bare_workbook(
        tmp_path / "炸弹.xlsx", {"xl/worksheets/sheet1.xml": bytes(50 * 1024 * 1024)}
    )
    assert path.stat().st_size < 200 * 1024
    opened: list[str] = []
    open_part = zipfile.ZipFile.open

    def counting_open(archive: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(getattr(name, "filename", name))
        return open_part(archive, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    message = _message(path)
    assert opened == [], "the zip directory alone decides"
    assert message.startswith("工作簿中的“xl/worksheets/sheet1.xml”压缩比异常（")
    assert message.endswith(":1），疑似压缩炸弹，已拒绝")


def test_a_workbook_too_big_once_unzipped_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_WORKBOOK_UNCOMPRESSED", 1024 * 1024)
    path = bare_workbook(
        tmp_path / "大.xlsx",
        {"xl/media/a.bin": os.urandom(600 * 1024), "xl/media/b.bin": os.urandom(600 * 1024)},
    )
    assert _message(path) == "工作簿解压后过大（1.17 MB，上限1 MB），疑似压缩炸弹，已拒绝"


def test_a_workbook_with_too_many_parts_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_WORKBOOK_ENTRIES", 5)
    path = bare_workbook(tmp_path / "多.xlsx", {f"xl/p{i}.xml": b"<p/>" for i in range(5)})
    assert _message(path) == "工作簿内部文件过多（7个，上限5个），不像 Excel 生成的文件，已拒绝"


def test_a_workbook_larger_than_the_limit_is_refused_from_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_WORKBOOK_BYTES", 100)
    path = bare_workbook(tmp_path / "胖.xlsx", {"xl/media/a.bin": os.urandom(1000)})
    assert _message(path).startswith("文件过大（1.")


def test_encrypted_zip_entries_are_refused(tmp_path: Path) -> None:
    path = _with_encrypted_entry(bare_workbook(tmp_path / "密.xlsx"), "xl/workbook.xml")
    assert _message(path) == "工作簿中的“xl/workbook.xml”已加密，无法读取：请去掉密码后另存"


def test_a_word_file_renamed_xlsx_is_refused(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "文档.xlsx",
        {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"},
    )
    assert _message(path) == (
        "不是 Excel 工作簿：zip 中没有 xl/workbook.xml（可能是 Word 文件或其他压缩包改了扩展名）"
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
def test_xml_parts_with_a_dtd_are_refused(tmp_path: Path, encoding: str) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet>&lol2;</worksheet>'
    )
    path = bare_workbook(
        tmp_path / "实体.xlsx", {"xl/worksheets/sheet1.xml": laughs.encode(encoding)}
    )
    assert _message(path) == (
        "工作簿中的“xl/worksheets/sheet1.xml”含有 DTD 声明（<!DOCTYPE），"
        "Excel 不会生成这种内容，为安全起见已拒绝"
    )


def test_a_workbook_saved_by_openpyxl_passes(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "年度"
    book.active["B1"] = "=1+1"
    path = tmp_path / "真.xlsx"
    book.save(path)
    check_workbook(path)
