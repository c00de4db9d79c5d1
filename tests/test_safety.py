"""Guards before any input is parsed: what is not a regular file (every input kind), and
the workbook guards (generator/inputs/excel/guard.py), decided from first bytes and the
zip directory before anything is unzipped or parsed. The workbooks are built with zipfile.
"""

from __future__ import annotations

import os
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from generator import limits
from generator.errors import InputError
from generator.inputs.excel.guard import check_workbook
from generator.inputs.load import load_input

from .conftest import VALID_INPUT, CliResult, assert_refused, command_args, write_zip
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


def test_parts_each_under_the_ratio_floor_are_judged_by_their_total(tmp_path: Path) -> None:
    filler = b"<row/>" * (170 * 1024)  # just under 1 MB, compresses about 1000:1
    path = bare_workbook(
        tmp_path / "分散.xlsx", {f"xl/worksheets/sheet{n}.xml": filler for n in range(1, 21)}
    )
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    assert max(i.file_size for i in infos) < 1024 * 1024
    assert _message(path) == (
        f"工作簿解压后共{limits.describe_size(total)}，是压缩后大小的{total // packed}倍"
        "（上限200倍），疑似压缩炸弹，已拒绝"
    )


# ------------------------------------------------------------------ not a regular file


@contextmanager
def _never_hangs(path: Path) -> Iterator[None]:
    """Should a reader open the pipe after all, feed it junk after 5 s: the test then
    fails on its message instead of waiting forever."""

    def feed() -> None:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            return  # nobody is reading, as it should be
        os.write(descriptor, b"junk")
        os.close(descriptor)

    timer = threading.Timer(5, feed)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _pipe(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _dangling_link(path: Path) -> None:
    path.symlink_to(path.with_name("已删除" + path.suffix))


NOT_REGULAR: list[tuple[str, Callable[[Path], None], str]] = [
    ("命名管道", _pipe, "不是普通文件（是命名管道），无法作为输入：请指定 .yaml 或 .xlsx 文件本身"),
    ("设备", _device, "不是普通文件（是设备），无法作为输入：请指定 .yaml 或 .xlsx 文件本身"),
    ("失效链接", _dangling_link, "文件不存在（这是一个符号链接，它指向的文件已不存在）"),
]


@pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev/zero are POSIX")
@pytest.mark.parametrize(("name", "make", "expected"), NOT_REGULAR, ids=[n[0] for n in NOT_REGULAR])
@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
@pytest.mark.parametrize("command", ["generate", "check"])
def test_what_is_not_a_regular_file_is_refused_before_it_is_opened(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    make: Callable[[Path], None],
    expected: str,
    suffix: str,
    command: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path / f"{name}{suffix}")
    args = command_args(command, f"{name}{suffix}", "out")
    with _never_hangs(tmp_path / f"{name}{suffix}"):
        result = run_cli(*args)
    assert_refused(result, f"{name}{suffix}: {expected}", out=tmp_path / "out", errors=1)


@pytest.mark.skipif(os.name != "posix", reason="named pipes are POSIX")
@pytest.mark.parametrize(
    "args",
    [["import", "管道.xlsx", "-o", "导入.yaml"], ["convert", "管道.xlsx", "-o", "转换.yaml"]],
)
def test_the_workbook_commands_refuse_a_pipe_too(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "管道.xlsx")
    with _never_hangs(tmp_path / "管道.xlsx"):
        code, _, err = run_cli(*args)
    assert code == 1
    assert err.splitlines()[0] == (
        "管道.xlsx: 不是普通文件（是命名管道），无法作为输入：请指定 .yaml 或 .xlsx 文件本身"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["管道.xlsx"]


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _directory(path: Path) -> None:
    path.mkdir()


@pytest.mark.skipif(os.name != "posix", reason="symlinks need privileges on Windows")
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_loop, "符号链接形成了循环（链接最终又指回自己），找不到真正的文件"),
        (_directory, "这是一个目录，不是输入文件"),
    ],
    ids=["symlink loop", "directory"],
)
@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_a_symlink_loop_or_a_directory_is_not_read_as_an_input(
    tmp_path: Path, make: Callable[[Path], None], expected: str, suffix: str
) -> None:
    path = tmp_path / f"输入{suffix}"
    make(path)
    with pytest.raises(InputError) as caught:
        load_input(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}: {expected}"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks need privileges on Windows")
@pytest.mark.parametrize("command", ["check", "generate"])
@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_a_symlink_loop_named_on_the_command_line_is_refused_in_chinese(
    tmp_path: Path, run_cli: Callable[..., CliResult], command: str, suffix: str
) -> None:
    path = tmp_path / f"输入{suffix}"
    _loop(path)
    out = tmp_path / "out"
    args = command_args(command, str(path), str(out))
    assert_refused(
        run_cli(*args),
        f"{path}: 符号链接形成了循环（链接最终又指回自己），找不到真正的文件",
        out=out,
    )


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    link = tmp_path / "链接.yaml"
    link.symlink_to(VALID_INPUT)
    assert load_input(link).data == load_input(VALID_INPUT).data
