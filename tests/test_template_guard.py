"""A Word template from a user's folder is input: guarded before anything parses it.

Through the real CLI, with the template in ``--templates`` or in the input's 模板目录:
a file that is not a .docx, a zip bomb (one part, or many parts that only add up), too
many parts, encrypted parts, a DTD, too many tags to compile in time, or a named pipe
each end in one exact Chinese line, exit code 1 and nothing written. Bounds are stated
as sizes and counts, never as time.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import limits

from .conftest import (
    TEMPLATES,
    VALID_INPUT,
    VALID_TEXT,
    CliResult,
    assert_refused,
    make_docx,
    write_input,
    write_zip,
)

Run = Callable[..., CliResult]

NAME = "评价报告.docx"  # the outline of valid.yaml's fund (医疗救助)


def _parts() -> dict[str, bytes]:
    """The shipped template's parts, to build variants from."""
    with zipfile.ZipFile(TEMPLATES / NAME) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def _not_a_zip(path: Path) -> None:
    path.write_text("这不是 Word 文件", encoding="utf-8")


def _old_word(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)


def _workbook(path: Path) -> None:
    write_zip(path, {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})


def _bomb_part(path: Path) -> None:
    write_zip(path, {**_parts(), "word/media/image1.png": b"\0" * (4 * 1024 * 1024)})


#: The two parts every Word package has: the size and part-count checks are stated on
#: these, not on the shipped template, whose size changes whenever it is rebuilt.
SKELETON = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}


def _bomb_parts(path: Path) -> None:
    """Twelve parts each under the 1 MB floor of the per-part check: only the total tells."""
    pieces = {f"customXml/item{i}.bin": b"\0" * (1024 * 1024 - 1) for i in range(12)}
    write_zip(path, {**SKELETON, **pieces})


def _many_parts(path: Path) -> None:
    pieces = {f"customXml/p{i}.bin": b"x" for i in range(limits.MAX_TEMPLATE_ENTRIES)}
    write_zip(path, {**SKELETON, **pieces})


def _encrypted(path: Path) -> None:
    """The shipped template with word/document.xml marked encrypted, as a zip tool marks it.

    zipfile cannot write encrypted entries, so the flag is set in the written headers.
    """
    write_zip(path, _parts())
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    with zipfile.ZipFile(path) as package:
        local = package.getinfo(name.decode()).header_offset
    data[local + 6] |= 0x1  # local file header: general purpose flags
    central = data.find(b"PK\x01\x02", data.find(name, local + 30))
    while central >= 0 and data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 8] |= 0x1  # central directory entry: general purpose flags
    path.write_bytes(bytes(data))


def _doctype(path: Path) -> None:
    parts = _parts()
    body = parts["word/document.xml"].split(b"?>", 1)[1]
    parts["word/document.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>' + body
    )
    write_zip(path, parts)


def _too_many_tags(path: Path) -> None:
    make_docx(path, ["{{ 标题 }}"] * (limits.MAX_TEMPLATE_TAGS + 1))


BOMB = "疑似压缩炸弹，已拒绝"

# (id, how the template is made, the message after the template's path)
CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "not_a_zip",
        _not_a_zip,
        "不是有效的 Word（.docx）文件：文件不是 zip 格式，可能已损坏或改过扩展名",
    ),
    (
        "old_word_or_password",
        _old_word,
        "这是旧版 Word 97-2003 文档（.doc）或设置了打开密码的文件：请在 Word 中去掉密码，"
        "“另存为”Word 文档（.docx）后重试",
    ),
    (
        "workbook_renamed",
        _workbook,
        "不是 Word 文档：zip 中没有 word/document.xml（可能是 Excel 文件或其他压缩包改了扩展名）",
    ),
    (
        "bomb_in_one_part",
        _bomb_part,
        "模板中的“word/media/image1.png”压缩比异常（1028:1），" + BOMB,
    ),
    (
        "bomb_over_many_parts",
        _bomb_parts,
        "模板解压后共12 MB，是压缩后大小的1013倍（上限200倍），" + BOMB,
    ),
    (
        "too_many_parts",
        _many_parts,
        f"模板内部文件过多（{limits.MAX_TEMPLATE_ENTRIES + len(SKELETON)}个，上限{limits.MAX_TEMPLATE_ENTRIES}个），"
        "不像 Word 生成的文件，已拒绝",
    ),
    ("encrypted_part", _encrypted, "模板中的“word/document.xml”已加密，无法读取：请去掉密码后另存"),
    (
        "doctype",
        _doctype,
        "模板中的“word/document.xml”含有 DTD 声明（<!DOCTYPE），Word 不会生成这种内容，为安全起见已拒绝",
    ),
    (
        "too_many_tags",
        _too_many_tags,
        f"模板含有{limits.MAX_TEMPLATE_TAGS + 1}个模板标签（{{{{ … }}}}、{{% … %}}），超过上限"
        f"{limits.MAX_TEMPLATE_TAGS}个，无法在时限内编译；报告模板只需一两百个标签",
    ),
]


@pytest.mark.parametrize(("make", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_template_in_the_templates_option_is_refused(
    run_cli: Run, tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    make(folder / NAME)
    out = tmp_path / "out"
    assert_refused(
        run_cli(str(VALID_INPUT), "--templates", str(folder), "-o", str(out)),
        f"{folder / NAME}: {message}",
        out=out,
        errors=1,
    )


@pytest.mark.parametrize(("make", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_template_in_the_inputs_folder_is_refused_by_check(
    run_cli: Run, tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    (tmp_path / "我的模板").mkdir()
    make(tmp_path / "我的模板" / NAME)
    path = write_input(
        tmp_path / "输入.yaml",
        VALID_TEXT,
        ("  金额单位: 万元\n", "  金额单位: 万元\n  模板目录: 我的模板\n"),
    )
    assert_refused(
        run_cli("check", str(path)), f"{tmp_path / '我的模板' / NAME}: {message}", errors=1
    )


def test_a_template_larger_than_the_limit_is_refused_before_it_is_read(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    shutil.copy(TEMPLATES / NAME, folder / NAME)
    size = (folder / NAME).stat().st_size
    monkeypatch.setattr(limits, "MAX_TEMPLATE_BYTES", size - 1)
    out = tmp_path / "out"
    assert_refused(
        run_cli(str(VALID_INPUT), "--templates", str(folder), "-o", str(out)),
        f"{folder / NAME}: 文件过大（{limits.describe_size(size)}），模板不能超过"
        f"{limits.describe_size(size - 1)}；请确认选对了文件",
        out=out,
        errors=1,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_templates_check_refuses_a_named_pipe_without_waiting_on_it(
    run_cli: Run, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / NAME)
    code, _, err = run_cli("templates", "check", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / NAME}: 不是普通文件（可能是目录、命名管道或设备），不能作为模板" in (
        err.splitlines()
    )


def test_a_guarded_template_renders_as_before(run_cli: Run, tmp_path: Path) -> None:
    """The shipped template passes every guard, from a user's folder too."""
    folder = tmp_path / "模板"
    folder.mkdir()
    shutil.copy(TEMPLATES / NAME, folder / NAME)
    out = tmp_path / "out"
    code, _, err = run_cli(str(VALID_INPUT), "--templates", str(folder), "-o", str(out))
    assert code == 0, err
    assert len(list((out / "2024").glob("*.docx"))) == 1
