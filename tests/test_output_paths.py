"""Whatever 单位 and 名称 say, output files get safe names inside the output directory.

Driven through the real CLI with hostile names; every file under the test's directory
is listed afterwards, so a write anywhere else would show up.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from docx import Document

from .conftest import NOTHING_WRITTEN, VALID_TEXT, command_args, edited, write_input

RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?$", re.IGNORECASE)

HOSTILE = [
    ("slashes", "../../局/子局", "资金/名称"),
    ("backslashes", "..\\..\\局", "C:\\Windows\\资金"),
    ("dots only", "..", "..."),
    ("colons and wildcards", '局:1*?<>|"', "资金:名称"),
    ("control characters", "局\t名\n称\u007f\u0085", "资\r金"),
    ("bidi override", "局\u202egpj.exe", "资金\u200b"),
    ("reserved names", "CON", "NUL"),
    ("reserved with extension", "com1.txt", "LPT9"),
    ("300 characters", "医" * 300, "资" * 300),
    ("absolute path", "/etc/passwd", "/根/资金"),
]


def _input(tmp_path: Path, unit: str, name: str) -> Path:
    text = edited(
        VALID_TEXT,
        ("单位: 测试县医疗保障局", f"单位: {json.dumps(unit)}"),
        ("  - 类型: 医疗救助\n", f"  - 类型: 医疗救助\n    名称: {json.dumps(name)}\n"),
    )
    second = text.split("项目:\n", 1)[1]  # a second fund makes a volume too
    return write_input(tmp_path / "in" / "输入.yaml", text + second)


def _valid_everywhere(name: str) -> None:
    assert "/" not in name and "\\" not in name and name not in {".", ".."}
    assert not re.search(r'[<>:"|?*]', name)
    assert not any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in name)
    assert not RESERVED.match(name)
    assert name == name.strip() and not name.endswith(".")
    assert len(name.encode("utf-8")) <= 255


@pytest.mark.parametrize(("unit", "name"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_names_give_safe_files_inside_the_output_directory_or_none(
    run_cli, tmp_path: Path, unit: str, name: str
) -> None:
    """Names the input check refuses (invisible characters) write nothing at all."""
    source = _input(tmp_path, unit, name)
    out = tmp_path / "out"
    code, _, stderr = run_cli(str(source), "-o", str(out))
    everything = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    outside = [p for p in everything if out not in p.parents and p != source]
    assert outside == []
    if code == 1:
        assert stderr.splitlines()[-1].endswith(NOTHING_WRITTEN), stderr
        assert not out.exists()
        return
    assert code == 0, stderr
    written = sorted((out / "2024").iterdir())
    assert {p.parent for p in everything if out in p.parents} == {out / "2024"}
    docx = [p for p in written if p.suffix == ".docx"]
    assert len(docx) == 3, [p.name for p in written]  # two funds (same name) and the volume
    for path in docx:
        _valid_everywhere(path.name)
        Document(str(path))


def test_two_funds_with_the_same_name_get_two_files(run_cli, tmp_path: Path) -> None:
    source = _input(tmp_path, "测试县医疗保障局", "医疗救助补助资金")
    code, _, stderr = run_cli(str(source), "-o", str(tmp_path / "out"))
    assert code == 0, stderr
    names = sorted(p.name for p in (tmp_path / "out" / "2024").glob("*.docx"))
    assert names == [
        "测试县医疗保障局-2024年度医保转移支付补助资金绩效自评报告.docx",
        "测试县医疗保障局-医疗救助补助资金-绩效自评报告.docx",
        "测试县医疗保障局-医疗救助补助资金-绩效自评报告（2）.docx",
    ]


def test_long_names_that_share_a_beginning_stay_distinct(run_cli, tmp_path: Path) -> None:
    source = _input(tmp_path, "局", "资" * 300)
    text = source.read_text(encoding="utf-8")
    first, second = text.rsplit(json.dumps("资" * 300), 1)
    source.write_text(first + json.dumps("资" * 299 + "金") + second, encoding="utf-8")
    code, _, stderr = run_cli(str(source), "-o", str(tmp_path / "out"))
    assert code == 0, stderr
    names = [p.name for p in (tmp_path / "out" / "2024").glob("*.docx")]
    assert len(names) == 3 and not any("（2）" in n for n in names)


@pytest.mark.skipif(os.name != "posix", reason="symlinks need privileges on Windows")
def test_a_symlinked_year_directory_is_written_through_not_escaped(run_cli, tmp_path: Path) -> None:
    # The user's own -o may be anything; genreport only guarantees names below it.
    source = _input(tmp_path, "局", "资金")
    target = tmp_path / "elsewhere"
    target.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "2024").symlink_to(target, target_is_directory=True)
    code, _, stderr = run_cli(str(source), "-o", str(out))
    assert code == 0, stderr
    assert len(list(target.glob("*.docx"))) == 3


@pytest.mark.parametrize("command", ["generate", "check"])
def test_brackets_in_names_and_messages_are_printed_not_taken_as_markup(
    run_cli, tmp_path: Path, command: str
) -> None:
    # The terminal tables use rich, where "[/x]" would be a closing tag and crash the run.
    source = write_input(
        tmp_path / "输入.yaml",
        VALID_TEXT,
        ("单位: 测试县医疗保障局", '单位: "测试[/x]县[bold]局"'),
        (
            '指标值: "≥40000人次", 完成值: 53733人次}',
            '指标值: "≥40000人次[/y]", 完成值: "93733人次[/y]"}',
        ),
    )
    args = command_args(command, str(source), str(tmp_path / "out"))
    code, stdout, stderr = run_cli(*args)
    assert code == 0, stderr
    assert "内部错误" not in stderr
    assert "[/y]" in stdout + stderr
