"""Outputs: safe names, sets written whole or not at all, and hand-edited documents kept aside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.output.write import MANIFEST, OutputWriter, WriteFailed, safe_name, write_outputs


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("示例县医疗保障局-医疗救助补助资金", "示例县医疗保障局-医疗救助补助资金.docx"),
        ("a/b\\c:d", "a_b_c_d.docx"),
        ("../../etc/passwd", "_etc_passwd.docx"),
        ("CON", "_CON.docx"),
        ("nul.txt", "_nul.txt.docx"),
        ("带\x00控制\x1f字符", "带_控制_字符.docx"),
        ("  . 前后空格与点 .  ", "前后空格与点.docx"),
        ("", "报告.docx"),
    ],
    ids=[
        "chinese kept",
        "separators replaced",
        "parent dirs cannot escape",
        "reserved name",
        "reserved name with suffix",
        "control characters",
        "leading dots and spaces",
        "empty",
    ],
)
def test_safe_name_is_valid_everywhere(name: str, expected: str) -> None:
    assert safe_name(name) == expected


def test_long_names_are_cut_below_the_file_system_limit() -> None:
    name = safe_name("医" * 300)
    assert len(name.encode("utf-8")) <= 255
    assert name.endswith(".docx")


def test_write_replaces_what_genreport_wrote_before_by_the_manifest(tmp_path: Path) -> None:
    write_outputs(tmp_path, {"a.txt": b"one"})
    (result,) = write_outputs(tmp_path, {"a.txt": b"two"})
    assert result.kept_aside is None
    assert (tmp_path / "a.txt").read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "a.txt"]


def test_a_hand_edited_file_without_fingerprint_is_moved_aside_by_the_manifest(
    tmp_path: Path,
) -> None:
    write_outputs(tmp_path, {"a.txt": b"generated"})
    (tmp_path / "a.txt").write_bytes(b"edited by a person")
    (result,) = write_outputs(tmp_path, {"a.txt": b"generated again"})
    assert result.kept_aside is not None
    assert result.kept_aside.read_bytes() == b"edited by a person"
    assert "手工修改" in result.kept_aside.name
    assert (tmp_path / "a.txt").read_bytes() == b"generated again"


def test_an_unknown_file_in_the_way_is_kept(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"somebody else's")
    (result,) = write_outputs(tmp_path, {"a.txt": b"new"})
    assert result.kept_aside is not None
    assert result.kept_aside.read_bytes() == b"somebody else's"


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    write_outputs(tmp_path, {"a.txt": b"x", "b.txt": b"y"})
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~genreport")]


def test_nothing_is_written_outside_the_output_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        write_outputs(tmp_path / "out", {"../escape.docx": b"x"})
    assert not (tmp_path / "escape.docx").exists()


def test_a_file_already_as_it_should_be_is_not_rewritten(tmp_path: Path) -> None:
    write_outputs(tmp_path, {"a.txt": b"same"})
    os.utime(tmp_path / "a.txt", (0, 0))
    (result,) = write_outputs(tmp_path, {"a.txt": b"same"})
    assert result.kept_aside is None
    assert (tmp_path / "a.txt").stat().st_mtime == 0


def test_a_set_across_folders_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    """The PDFs of a run are one set, whatever folders they go to."""
    (tmp_path / "乙" / "b.pdf").mkdir(parents=True)
    with OutputWriter() as writer, pytest.raises(WriteFailed) as failed:
        writer.write_many({tmp_path / "甲": {"a.pdf": b"a"}, tmp_path / "乙": {"b.pdf": b"b"}})
    assert failed.value.written == ()
    assert str(failed.value).endswith("本次应写出的 2 个文件均未写入，输出目录保持原样")
    assert not (tmp_path / "甲").exists()
    assert sorted(p.name for p in (tmp_path / "乙").iterdir()) == ["b.pdf"]
