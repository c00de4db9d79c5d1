"""Never lose work: hand edits survive a re-run, inputs are never touched, and a killed
run's leftovers do not break the next one. Driven through the real CLI.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from generator.output.write import MANIFEST, TEMP_PREFIX
from generator.render.fingerprint import (
    FINGERPRINT_PROPERTY,
    add_fingerprint,
    is_unedited,
    read_fingerprint,
)

from .conftest import VALID_INPUT, VALID_TEXT, docx_texts, write_input, write_zip, zip_parts

REPORT = "测试县医疗保障局-医疗救助补助资金（城乡医疗救助部分）-绩效自评报告.docx"


def _generate(run_cli, out: Path, *extra: str) -> tuple[str, str]:
    code, stdout, stderr = run_cli(str(VALID_INPUT), "-o", str(out), *extra)
    assert code == 0, stderr
    return stdout, stderr


def _edit(path: Path, text: str) -> None:
    document = Document(str(path))
    document.add_paragraph(text)
    document.save(str(path))


def _texts(path: Path) -> str:
    return "\n".join(docx_texts(path))


def _docx_names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.suffix == ".docx")


def _edit_part(path: Path, part: str, old: str, new: str) -> None:
    """Change one part of the package and nothing else, as Explorer's 属性 dialog does."""
    parts = zip_parts(path)
    text = parts[part].decode("utf-8")
    assert old in text, old
    write_zip(path, {**parts, part: text.replace(old, new, 1).encode("utf-8")})


#: Edits a person makes in Explorer's 属性 dialog (or Word's 高级属性) without opening
#: the document: (part, what genreport wrote, what the person made of it).
PROPERTY_EDITS = [
    ("docProps/core.xml", "<dc:title>", "<dc:title>改过的标题"),
    ("docProps/core.xml", "<dc:creator>测试县医疗保障局", "<dc:creator>张三"),
    ("docProps/core.xml", "<cp:keywords></cp:keywords>", "<cp:keywords>绩效;自评</cp:keywords>"),
    (
        "docProps/core.xml",
        "<dc:description></dc:description>",
        "<dc:description>待审</dc:description>",
    ),
    ("docProps/app.xml", "<Company/>", "<Company>某某局</Company>"),
    (
        "docProps/custom.xml",
        "</Properties>",
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="审核人">'
        "<vt:lpwstr>李四</vt:lpwstr></property></Properties>",
    ),
]
PROPERTY_IDS = ["title", "author", "keywords", "comments", "company", "custom property"]


def test_every_output_records_a_fingerprint_of_what_was_written(run_cli, tmp_path: Path) -> None:
    _generate(run_cli, tmp_path)
    data = (tmp_path / "2024" / REPORT).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        custom = package.read("docProps/custom.xml").decode("utf-8")
        assert "docProps/custom.xml" in package.read("_rels/.rels").decode("utf-8")
        assert "/docProps/custom.xml" in package.read("[Content_Types].xml").decode("utf-8")
    assert FINGERPRINT_PROPERTY in custom
    assert read_fingerprint(data) is not None
    assert is_unedited(data) is True
    Document(io.BytesIO(data))  # still a valid Word document


def test_fingerprinting_is_deterministic_and_idempotent(run_cli, tmp_path: Path) -> None:
    _generate(run_cli, tmp_path)
    data = (tmp_path / "2024" / REPORT).read_bytes()
    again = add_fingerprint(data)
    assert again == data
    with zipfile.ZipFile(io.BytesIO(again)) as package:
        custom = package.read("docProps/custom.xml").decode("utf-8")
    assert custom.count(FINGERPRINT_PROPERTY) == 1


def test_a_rerun_without_edits_replaces_quietly(run_cli, tmp_path: Path) -> None:
    _generate(run_cli, tmp_path)
    first = (tmp_path / "2024" / REPORT).read_bytes()
    stdout, _ = _generate(run_cli, tmp_path)
    assert "手工修改" not in stdout
    assert _docx_names(tmp_path / "2024") == [REPORT]
    assert (tmp_path / "2024" / REPORT).read_bytes() == first


def test_a_hand_edited_report_survives_a_rerun(run_cli, tmp_path: Path) -> None:
    _generate(run_cli, tmp_path)
    report = tmp_path / "2024" / REPORT
    _edit(report, "这是科长花两个小时改的一段话。")
    stdout, _ = _generate(run_cli, tmp_path)
    kept = [n for n in _docx_names(tmp_path / "2024") if "手工修改" in n]
    assert len(kept) == 1
    assert kept[0].startswith(REPORT.removesuffix(".docx") + "（手工修改-")
    assert "这是科长花两个小时改的一段话。" in _texts(tmp_path / "2024" / kept[0])
    assert "这是科长花两个小时改的一段话。" not in _texts(report)
    assert "被手工修改过，原文件已另存为" in stdout
    assert is_unedited(report.read_bytes()) is True


@pytest.mark.parametrize(("part", "old", "new"), PROPERTY_EDITS, ids=PROPERTY_IDS)
def test_an_edit_of_the_document_properties_alone_survives_a_rerun(
    run_cli, tmp_path: Path, part: str, old: str, new: str
) -> None:
    _generate(run_cli, tmp_path)
    report = tmp_path / "2024" / REPORT
    _edit_part(report, part, old, new)
    edited_bytes = report.read_bytes()
    stdout, _ = _generate(run_cli, tmp_path)
    kept = [n for n in _docx_names(tmp_path / "2024") if "手工修改" in n]
    assert len(kept) == 1
    assert (tmp_path / "2024" / kept[0]).read_bytes() == edited_bytes
    assert "被手工修改过，原文件已另存为" in stdout
    assert is_unedited(report.read_bytes()) is True


@pytest.mark.parametrize(("part", "old", "new"), PROPERTY_EDITS, ids=PROPERTY_IDS)
def test_a_property_edit_is_recognised_in_a_copied_folder_after_the_input_changed(
    run_cli, tmp_path: Path, part: str, old: str, new: str
) -> None:
    """No manifest, and a new 成文日期 changes the text and the dates: still recognised."""
    _generate(run_cli, tmp_path / "原")
    shutil.copytree(tmp_path / "原", tmp_path / "副本")
    (tmp_path / "副本" / "2024" / MANIFEST).unlink()
    _edit_part(tmp_path / "副本" / "2024" / REPORT, part, old, new)
    redated = write_input(tmp_path / "新日期.yaml", VALID_TEXT, ("2025-02-18", "2025-02-19"))
    code, stdout, stderr = run_cli(str(redated), "-o", str(tmp_path / "副本"))
    assert code == 0, stderr
    assert len([n for n in _docx_names(tmp_path / "副本" / "2024") if "手工修改" in n]) == 1
    assert "被手工修改过" in stdout


def test_a_new_date_alone_is_not_taken_for_a_hand_edit(run_cli, tmp_path: Path) -> None:
    """成文日期 sets the document dates; a changed input is no edit (manifest or not)."""
    _generate(run_cli, tmp_path / "原")
    shutil.copytree(tmp_path / "原", tmp_path / "副本")
    (tmp_path / "副本" / "2024" / MANIFEST).unlink()
    redated = write_input(tmp_path / "新日期.yaml", VALID_TEXT, ("2025-02-18", "2025-02-19"))
    for folder in ("原", "副本"):
        code, stdout, stderr = run_cli(str(redated), "-o", str(tmp_path / folder))
        assert code == 0, stderr
        assert _docx_names(tmp_path / folder / "2024") == [REPORT]
        assert "手工修改" not in stdout


def test_edits_are_recognised_without_the_manifest_in_a_copied_folder(
    run_cli, tmp_path: Path
) -> None:
    _generate(run_cli, tmp_path / "原")
    shutil.copytree(tmp_path / "原", tmp_path / "副本")
    (tmp_path / "副本" / "2024" / MANIFEST).unlink()
    _edit(tmp_path / "副本" / "2024" / REPORT, "在副本里改的。")
    _generate(run_cli, tmp_path / "副本")
    names = _docx_names(tmp_path / "副本" / "2024")
    assert len(names) == 2 and any("手工修改" in n for n in names)


def test_an_untouched_report_in_a_copied_folder_is_simply_replaced(run_cli, tmp_path: Path) -> None:
    _generate(run_cli, tmp_path / "原")
    shutil.copytree(tmp_path / "原", tmp_path / "副本")
    (tmp_path / "副本" / "2024" / MANIFEST).unlink()
    changed = write_input(tmp_path / "改了数字.yaml", VALID_TEXT, ("执行数: 950", "执行数: 960"))
    code, stdout, stderr = run_cli(str(changed), "-o", str(tmp_path / "副本"))
    assert code == 0, stderr
    assert _docx_names(tmp_path / "副本" / "2024") == [REPORT]
    assert "手工修改" not in stdout


def test_force_overwrites_a_hand_edited_report_and_says_so(run_cli, tmp_path: Path) -> None:
    _generate(run_cli, tmp_path)
    report = tmp_path / "2024" / REPORT
    _edit(report, "要被覆盖的修改。")
    stdout, _ = _generate(run_cli, tmp_path, "--force")
    assert _docx_names(tmp_path / "2024") == [REPORT]
    assert "要被覆盖的修改。" not in _texts(report)
    assert "已按 --force 覆盖" in stdout


def test_a_foreign_file_with_the_report_name_is_kept(run_cli, tmp_path: Path) -> None:
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / REPORT).write_bytes(b"not even a zip")
    _generate(run_cli, tmp_path)
    kept = [n for n in _docx_names(tmp_path / "2024") if "手工修改" in n]
    assert len(kept) == 1
    assert (tmp_path / "2024" / kept[0]).read_bytes() == b"not even a zip"


def test_the_input_is_never_modified(run_cli, tmp_path: Path) -> None:
    source = tmp_path / "输入.yaml"
    shutil.copy2(VALID_INPUT, source)
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    code, _, stderr = run_cli(str(source), "-o", str(tmp_path))
    assert code == 0, stderr
    code, _, stderr = run_cli(str(source), "-o", str(tmp_path), "--force")
    assert code == 0, stderr
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before


def test_a_stale_temporary_file_does_not_break_the_next_run_and_is_removed(
    run_cli, tmp_path: Path
) -> None:
    year = tmp_path / "2024"
    year.mkdir()
    dead = year / f"{TEMP_PREFIX}999999999-abcd.tmp"  # no process has this id
    dead.write_bytes(b"PK\x03\x04 half a report")
    legacy = year / f"{TEMP_PREFIX}oldstyle.tmp"
    legacy.write_bytes(b"")
    os.utime(legacy, (0, 0))
    _generate(run_cli, tmp_path)
    assert not dead.exists() and not legacy.exists()
    assert _docx_names(year) == [REPORT]


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_reports_get_ordinary_permissions_not_private_temp_ones(run_cli, tmp_path: Path) -> None:
    _generate(run_cli, tmp_path)
    mask = os.umask(0o022)
    os.umask(mask)
    assert (tmp_path / "2024" / REPORT).stat().st_mode & 0o777 == 0o666 & ~mask
