"""Word/WPS fidelity of every generated document, reproducible output and the PDF converter.

WPS lays tables out by ``w:tblGrid`` alone and drops some newer Word constructs, so
every table of every example (after row loops and vertical merges) is checked, and so
are the document properties and byte-identical output of two runs through the CLI.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import stat
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator.errors import OutputError
from generator.output.pdf import convert_to_pdf, find_soffice
from generator.render.document import finalize_docx

from .conftest import EXAMPLES, VALID_INPUT, generate, validated


def _created(path: Path) -> datetime.datetime | None:
    """The 成文日期 of an input as the document's creation time (none when not given)."""
    date = validated(path).report.date
    return None if date is None else datetime.datetime(*date.timetuple()[:3], tzinfo=datetime.UTC)


# Unit and 成文日期 per example, for the document properties.
PROPERTIES = {validated(path).report.unit: _created(path) for path in EXAMPLES}
#: A report per fund, and a bound volume for a file of several (docs/输入格式.md).
DOCUMENTS = sum(n + (n > 1) for n in (len(validated(path).funds) for path in EXAMPLES))
# Constructs WPS or LibreOffice drop or render differently, checked in the parts that
# hold content (settings.xml may carry ignorable w14 metadata such as w14:docId).
UNSUPPORTED = [
    "<w:sdt>",
    "<w:sdt ",
    "mc:AlternateContent",
    "<w14:",
    "<w15:",
    "<wp14:",
    "<w:altChunk",
    "<w:customXml",
    "<w:fitText",
    "<w:subDoc",
    "<w:object",
]


def _generate(out: Path) -> list[Path]:
    generate(*map(str, EXAMPLES), "-o", str(out))
    return sorted(out.rglob("*.docx"))


@pytest.fixture(scope="session")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _generate(tmp_path_factory.mktemp("fidelity"))


def _tables(path: Path) -> list[Any]:
    return list(Document(str(path)).element.body.iter(qn("w:tbl")))


def test_every_example_document_was_generated(documents: list[Path]) -> None:
    assert len(documents) == DOCUMENTS


def test_every_table_has_grid_widths_equal_to_its_cell_widths_and_fixed_layout(
    documents: list[Path],
) -> None:
    problems = []
    tables = 0
    for path in documents:
        for t, table in enumerate(_tables(path), start=1):
            tables += 1
            where = f"{path.name} 表{t}"
            layout = table.find(f"{qn('w:tblPr')}/{qn('w:tblLayout')}")
            if layout is None or layout.get(qn("w:type")) != "fixed":
                problems.append(f"{where}：不是固定布局")
            grid = [int(c.get(qn("w:w"))) for c in table.find(qn("w:tblGrid"))]
            for r, row in enumerate(table.findall(qn("w:tr")), start=1):
                column = 0
                for c, cell in enumerate(row.findall(qn("w:tc")), start=1):
                    props = cell.find(qn("w:tcPr"))
                    span_el = props.find(qn("w:gridSpan"))
                    span = 1 if span_el is None else int(span_el.get(qn("w:val")))
                    width = props.find(qn("w:tcW"))
                    expected = sum(grid[column : column + span])
                    if (
                        width is None
                        or int(width.get(qn("w:w"))) != expected
                        or width.get(qn("w:type")) != "dxa"
                    ):
                        problems.append(f"{where} 第{r}行第{c}格：宽度与网格 {expected} 不符")
                    column += span
                if column != len(grid):
                    problems.append(f"{where} 第{r}行：占 {column} 列，网格 {len(grid)} 列")
    assert tables >= 2 * len(documents)
    assert problems == []


def test_vertical_merges_continue_a_restart_in_the_same_column(documents: list[Path]) -> None:
    """A dangling ``w:vMerge`` continue is shown differently by Word, WPS and LibreOffice."""
    problems = []
    for path in documents:
        for t, table in enumerate(_tables(path), start=1):
            open_columns: set[int] = set()
            for r, row in enumerate(table.findall(qn("w:tr")), start=1):
                column = 0
                for cell in row.findall(qn("w:tc")):
                    props = cell.find(qn("w:tcPr"))
                    merge = props.find(qn("w:vMerge"))
                    span_el = props.find(qn("w:gridSpan"))
                    span = 1 if span_el is None else int(span_el.get(qn("w:val")))
                    if merge is None:
                        open_columns.discard(column)
                    elif merge.get(qn("w:val")) == "restart":
                        open_columns.add(column)
                    elif column not in open_columns:
                        problems.append(f"{path.name} 表{t} 第{r}行：合并单元格没有起始格")
                    column += span
    assert problems == []


def test_no_construct_that_wps_or_libreoffice_drop(documents: list[Path]) -> None:
    found = []
    for path in documents:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not re.fullmatch(
                    r"word/(document|styles|header\d*|footer\d*|numbering)\.xml", name
                ):
                    continue
                xml = archive.read(name).decode("utf-8")
                found += [f"{path.name}/{name}: {c}" for c in UNSUPPORTED if c in xml]
    assert found == []


def test_document_properties_name_title_unit_and_date(documents: list[Path]) -> None:
    for path in documents:
        props = Document(str(path)).core_properties
        unit = path.name.split("-")[0]
        assert props.author == unit
        assert props.last_modified_by == unit
        assert props.title and props.title.endswith("绩效自评报告")
        assert props.created == PROPERTIES[unit]


def test_page_number_fields_alone_do_not_ask_word_to_update_fields(
    documents: list[Path],
) -> None:
    """Reports have only PAGE fields; a volume's 目录 (PAGEREF) must be refreshed on opening."""
    for path in documents:
        settings = Document(str(path)).settings.element
        is_volume = "年度医保转移支付补助资金绩效自评报告" in path.name
        assert (settings.find(qn("w:updateFields")) is not None) == is_volume, path.name


def test_a_table_of_contents_field_asks_word_to_update_fields() -> None:
    doc: Any = Document()
    doc.add_paragraph()
    paragraph = doc.element.body.findall(qn("w:p"))[-1]
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        paragraph.append(parse_xml(xml.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))
    out = io.BytesIO()
    doc.save(out)
    data = finalize_docx(out.getvalue(), title="t", author="a", created=None)
    assert b"w:updateFields" in zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml")


def test_two_runs_give_byte_identical_documents(tmp_path: Path, documents: list[Path]) -> None:
    """Same input, same bytes: no timestamps, random ids or zip metadata leak in."""
    time.sleep(1.1)  # a clock-dependent field would now differ
    second = _generate(tmp_path / "again")
    assert [p.name for p in second] == [p.name for p in documents]
    different = [
        a.name for a, b in zip(documents, second, strict=True) if a.read_bytes() != b.read_bytes()
    ]
    assert different == []


# ------------------------------------------------------------------ PDF converter errors


def test_pdf_without_libreoffice_is_a_chinese_error_and_writes_nothing(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("GENREPORT_SOFFICE", raising=False)
    try:
        found = find_soffice()
    except OutputError:
        pass
    else:
        pytest.skip(f"LibreOffice is installed where genreport looks besides PATH: {found}")
    out = tmp_path / "out"
    code, _, err = run_cli(str(VALID_INPUT), "-o", str(out), "--pdf")
    assert code == 1
    assert "找不到 LibreOffice（soffice），无法生成 PDF" in err
    assert "apt-get install libreoffice-writer-nogui fonts-noto-cjk" in err
    assert not out.exists()


def test_pdf_with_a_wrong_soffice_setting_names_it(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENREPORT_SOFFICE", str(tmp_path / "无此程序"))
    code, _, err = run_cli(str(VALID_INPUT), "-o", str(tmp_path / "out"), "--pdf")
    assert code == 1
    assert "环境变量 GENREPORT_SOFFICE 指定的" in err and "无此程序" in err


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for LibreOffice")
def test_a_hanging_converter_is_stopped_at_the_timeout(tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    pid_file = tmp_path / "pid"
    fake.write_text(f"#!/bin/sh\necho $$ > '{pid_file}'\nexec sleep 60\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    document = tmp_path / "报告.docx"
    document.write_bytes(b"")
    with pytest.raises(OutputError, match=r"LibreOffice 转换 PDF 超时（0.5秒）"):
        convert_to_pdf([document], soffice=str(fake), timeout=0.5)
    with pytest.raises(ProcessLookupError):  # stopped, not left running in the background
        os.kill(int(pid_file.read_text(encoding="utf-8")), 0)
    assert not (tmp_path / "报告.pdf").exists()


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for LibreOffice")
def test_a_converter_that_writes_no_pdf_is_reported(tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text(
        "#!/bin/sh\necho 'Error: source file could not be loaded' >&2\n", encoding="utf-8"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    document = tmp_path / "报告.docx"
    document.write_bytes(b"")
    with pytest.raises(OutputError, match=r"未能把以下文件转换为 PDF：报告\.docx"):
        convert_to_pdf([document], soffice=str(fake))
