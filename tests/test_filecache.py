"""Data files are parsed once while unchanged, again after an edit, and errors stay the reader's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.config.filecache import per_file_version


def test_an_unchanged_file_is_parsed_once_and_an_edited_one_again(tmp_path: Path) -> None:
    calls: list[str] = []

    @per_file_version(maxsize=4)
    def parse(path: Path) -> str:
        calls.append(path.read_text(encoding="utf-8"))
        return calls[-1]

    data = tmp_path / "规则.yaml"
    data.write_text("一", encoding="utf-8")
    assert parse(data) == parse(data) == "一"
    data.write_text("二二", encoding="utf-8")
    os.utime(data, ns=(1, 2))
    assert parse(data) == "二二"
    assert calls == ["一", "二二"]


def test_a_missing_file_is_reported_by_the_reader_itself(tmp_path: Path) -> None:
    @per_file_version(maxsize=4)
    def parse(path: Path) -> str:
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            raise ValueError(f"无法读取“{path.name}”") from None

    with pytest.raises(ValueError, match=r"无法读取“不存在\.yaml”"):
        parse(tmp_path / "不存在.yaml")
