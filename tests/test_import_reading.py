"""Reading last year's report (.docx, .txt) for ``genreport import``, and the marks we leave.

A report genreport wrote reads back as python-docx sees it, and carries a hidden
bookmark around every paragraph the user wrote (叙述 slots, 说明), so an import can
tell them from generated sentences; the marks never change the visible text. Text
files come in the encodings Chinese websites use, and a table flattened to tab lines
is rebuilt. Hostile files are refused by name with a Chinese reason.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from generator import limits
from generator.authoring.reading.blocks import Paragraph, SourceDocument, Table
from generator.authoring.reading.read import read_report
from generator.core.bookmarks import MARK_CHARS, mark, note_key, parse_bookmark, slot_bookmark
from generator.errors import InputError
from generator.pipeline import Checked, check_file, render_file
from generator.render.marks import place_bookmarks
from generator.render.slots import slots_used
from generator.render.template import find_template, render_document
from tests.conftest import (
    EXAMPLES,
    FIXTURES,
    VALID_TEXT,
    docx_texts,
    make_docx,
    write_input,
    write_zip,
)
from tests.seeds import seed_path

REPORTS = FIXTURES / "reports"
COUNTY = EXAMPLES[0]


# ------------------------------------------------------------------ helpers


def _paragraphs(doc: SourceDocument) -> list[Paragraph]:
    return [b for b in doc.blocks if isinstance(b, Paragraph)]


def _tables(doc: SourceDocument) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def _refusal(path: Path) -> str:
    """The one line ``read_report`` refuses ``path`` with."""
    with pytest.raises(InputError) as caught:
        read_report(path)
    (problem,) = caught.value.problems
    return str(problem)


def _docx_bytes(paragraphs: list[str]) -> bytes:
    out = io.BytesIO()
    doc: Any = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(out)
    return out.getvalue()


def _with_parts(path: Path, extra: dict[str, bytes | str]) -> Path:
    """A real .docx with parts replaced or added."""
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(["正文"]))) as package:
        parts: dict[str, bytes | str] = {i.filename: package.read(i) for i in package.infolist()}
    return write_zip(path, {**parts, **extra})


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Checked, list[Path]]:
    """inputs/2024.yaml checked, and its reports (each fund's, then the volume) on disk."""
    folder = tmp_path_factory.mktemp("county")
    paths = []
    for rendered in render_file(COUNTY).files:
        if rendered.name.endswith(".docx"):
            path = folder / rendered.name
            path.write_bytes(rendered.data)
            paths.append(path)
    return check_file(COUNTY), paths


# ------------------------------------------------------------------ our own reports


def test_a_generated_report_reads_back_as_python_docx_sees_it(
    county: tuple[Checked, list[Path]],
) -> None:
    _, paths = county
    for path in paths:
        doc = read_report(path)
        seen: Any = Document(str(path))
        expected = [(p.text, p.style.name) for p in seen.paragraphs if p.text.strip()]
        assert [(p.text, p.style) for p in _paragraphs(doc)] == expected, path.name
        assert [p.where for p in _paragraphs(doc)] == [
            f"第{n}段" for n in range(1, len(expected) + 1)
        ]
        tables = [tuple(tuple(c.text for c in row.cells) for row in t.rows) for t in seen.tables]
        assert [t.rows for t in _tables(doc)] == tables, path.name
        assert [t.where for t in _tables(doc)] == [
            f"第{n}个表格" for n in range(1, len(tables) + 1)
        ]
        assert doc.kind == "docx" and doc.made_by_genreport


def test_every_filled_slot_and_note_of_the_county_input_is_found_as_the_users_own_words(
    county: tuple[Checked, list[Path]],
) -> None:
    checked, paths = county
    for ctx in checked.contexts:
        path = next(p for p in paths if ctx.fund.name in p.name)
        paragraphs = _paragraphs(read_report(path))
        printed = slots_used(
            find_template(ctx.fund.outline, ctx.fund.fund.type, checked.template_dirs)
        )
        filled = {
            slot
            for slot, text in ctx.fund.fund.narrative.slots().items()
            if text and text.strip() and slot in printed
        }
        assert filled, ctx.fund.name
        for slot in filled:
            own = [p.own_text for p in paragraphs if p.slot == slot]
            assert own == ctx.values["节"][slot], (ctx.fund.name, slot)
        notes = {note_key(r.model.name) for r in ctx.fund.indicators if r.model.note}
        found = {p.note_of for p in paragraphs if p.note_of}
        assert found == notes, ctx.fund.name
        for p in paragraphs:
            if p.note_of:  # the 说明 itself: the generated score or 上年 sentence stays outside
                assert p.own_text and p.own_text in p.text
        assert all(p.slot is None for p in paragraphs if p.own_text is None)


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_marks_change_no_visible_text_and_never_reach_the_document(source: Path) -> None:
    checked = check_file(source)
    for ctx in checked.contexts:
        template = find_template(ctx.fund.outline, ctx.fund.fund.type, checked.template_dirs)
        meta: dict[str, Any] = {"title": ctx.values["标题"], "author": "示例", "created": None}
        plain = render_document(ctx.values, template, **meta)
        marked = render_document(ctx.printed, template, **meta)
        assert docx_texts(marked) == docx_texts(plain)
        with zipfile.ZipFile(io.BytesIO(marked)) as package:
            for info in package.infolist():
                text = package.read(info).decode("utf-8", "replace")
                assert not any(char in text for char in MARK_CHARS), info.filename
        assert render_document(ctx.printed, template, **meta) == marked  # same bytes each run


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        pytest.param(
            f"<w:r><w:rPr><w:b/></w:rPr><w:t>前{mark('甲乙', '_genreport_f0_problems')}后</w:t></w:r>",
            '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">前</w:t></w:r>'
            '<w:bookmarkStart w:id="1000001" w:name="_genreport_f0_problems"/>'
            '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">甲乙</w:t></w:r>'
            '<w:bookmarkEnd w:id="1000001"/>'
            '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">后</w:t></w:r>',
            id="split inside a run, its properties kept",
        ),
        pytest.param(
            f"<w:r><w:t>{mark('甲', '_genreport_f2_other')}</w:t></w:r>"
            f"<w:r><w:t>{mark('乙', '_genreport_f2_other')}</w:t></w:r>",
            '<w:bookmarkStart w:id="3000001" w:name="_genreport_f2_other"/>'
            '<w:r><w:t xml:space="preserve">甲</w:t></w:r><w:bookmarkEnd w:id="3000001"/>'
            '<w:bookmarkStart w:id="3000002" w:name="_genreport_f2_other_2"/>'
            '<w:r><w:t xml:space="preserve">乙</w:t></w:r><w:bookmarkEnd w:id="3000002"/>',
            id="a repeated name is numbered",
        ),
        pytest.param(
            f"<w:r><w:t>{mark('甲乙丙', '_genreport_f0_problems')[:-3]}</w:t></w:r>",
            '<w:r><w:t xml:space="preserve">甲</w:t></w:r>',
            id="a mark cut short by a filter leaves nothing behind",
        ),
        pytest.param(
            f'<w:p w:x="{mark("甲", "_genreport_f0_problems")}"/>',
            '<w:p w:x="甲"/>',
            id="a mark outside run text is removed",
        ),
    ],
)
def test_marks_become_bookmarks_without_changing_the_text(run: str, expected: str) -> None:
    assert place_bookmarks(run) == expected


def test_bookmark_names_say_the_fund_and_the_slot_or_note() -> None:
    name = slot_bookmark(12, "improvements")
    assert len(name + "_99") <= 40  # Word's limit for bookmark names
    assert parse_bookmark(name + "_3") == parse_bookmark(name)
    meaning = parse_bookmark(f"_genreport_f3_n{note_key('参保人数')}")
    assert meaning is not None and (meaning.fund, meaning.note) == (3, note_key("参保人数"))
    assert parse_bookmark("_GoBack") is None


@pytest.mark.parametrize("char", list(MARK_CHARS), ids=lambda c: f"U+{ord(c):04X}")
def test_the_mark_characters_cannot_be_typed_into_an_input(tmp_path: Path, char: str) -> None:
    path = write_input(
        tmp_path / "输入.yaml", VALID_TEXT, ("督促县级配套资金", f"督促{char}县级配套资金")
    )
    with pytest.raises(InputError) as caught:
        check_file(path)
    assert f"U+{ord(char):04X}" in str(caught.value)


# ------------------------------------------------------------------ any Word report


def test_merged_cells_are_repeated_and_nested_tables_flattened(tmp_path: Path) -> None:
    doc: Any = Document()
    doc.add_paragraph("表前")
    doc.add_paragraph("")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate(("甲乙丙", "丁戊己", "庚辛壬")):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(0, 1)).text = "横向"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "纵向"
    inner = table.cell(2, 0).add_table(rows=2, cols=2)
    for r, row in enumerate(("子一", "子二")):
        for c in range(2):
            inner.cell(r, c).text = f"{row}{c}"
    doc.add_paragraph("表后")
    path = tmp_path / "合并.docx"
    doc.save(str(path))
    read = read_report(path)
    assert [(p.text, p.where) for p in _paragraphs(read)] == [("表前", "第1段"), ("表后", "第2段")]
    (only,) = _tables(read)
    assert only.where == "第1个表格"
    assert only.rows == (
        ("横向", "横向", "丙"),
        ("丁", "戊", "纵向"),
        ("庚\n子一0\t子一1\n子二0\t子二1\n", "辛", "纵向"),
    )
    assert not read.made_by_genreport


# ------------------------------------------------------------------ text reports

FLATTENED = REPORTS / "reader_flattened_table.txt"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_a_text_report_reads_the_same_in_every_encoding_websites_use(
    tmp_path: Path, codec: str
) -> None:
    path = tmp_path / "报告.txt"
    path.write_bytes(FLATTENED.read_text(encoding="utf-8").encode(codec))
    assert read_report(path).blocks == read_report(FLATTENED).blocks


def test_a_table_flattened_to_tab_lines_is_rebuilt_row_by_row() -> None:
    doc = read_report(FLATTENED)
    assert doc.kind == "txt" and doc.name == FLATTENED.name
    (table,) = _tables(doc)
    assert table.rows == (
        ("一级指标", "二级指标", "三级指标", "指标值"),
        ("项目决策 (20分)", "决策依据", "政策依据充分", "符合医保制度改革要求"),
        ("", "", "管理办法健全", "资金管理办法完备"),
        ("过程管理\n（30分）", "资金管理", "预算执行率", "≥90%"),
        ("", "", "统筹层次提升\n程度", "稳步提高"),
        ("项目效益 (10分)", "满意度指标", "参保群众满意度", "≥85%"),
    )
    assert table.where == "第1个表格" and table.row_where(3) == "第1个表格第4行"
    texts = [(b.text, b.where) if isinstance(b, Paragraph) else b.where for b in doc.blocks]
    assert texts[4:] == [
        ("（1） 下达绩效目标情况", "第6行"),
        "第1个表格",
        ("二、绩效目标完成情况分析", "第40行"),
        ("全年补助资金到位1000万元，到位率100%。", "第41行"),
    ]


def test_seed_002_table_reads_as_rows_of_four_cells() -> None:
    doc = read_report(seed_path(2))
    (table,) = _tables(doc)
    assert table.rows[0] == ("一级指标", "二级指标", "三级指标", "标准值")
    assert all(len(row) == 4 for row in table.rows)


def test_conversion_debris_and_invisible_characters_are_dropped() -> None:
    doc = read_report(REPORTS / "reader_debris.txt")
    assert [(p.text, p.where) for p in _paragraphs(doc)] == [
        ("根据上级文件要求，我局开展了自评。", "第1行"),
        ("全年资金到位率100%，执行　率98.5%。", "第2行"),
        ("独自缩进的一行不是表格。", "第4行"),
    ]
    assert _tables(doc) == []


# ------------------------------------------------------------------ refused files


def _bomb(path: Path) -> Path:
    return _with_parts(path, {"word/document.xml": b"<w:document/>" + b" " * (3 * 1024 * 1024)})


def _bomb_ratio(path: Path) -> int:
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("word/document.xml")
    return info.file_size // info.compress_size


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
SAVE_AS = "请在 Word 或 WPS 中“另存为”Word 文档（.docx）后重试"
Case = tuple[str, Callable[[Path], object], Callable[[Path], str]]
REFUSED: list[Case] = [
    (
        "报告.docx",
        _bomb,
        lambda p: (
            f"文档中的“word/document.xml”压缩比异常（{_bomb_ratio(p)}:1），疑似压缩炸弹，已拒绝"
        ),
    ),
    (
        "报告.docx",
        lambda p: _with_parts(
            p,
            {
                "word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
                "<d>&a;</d>"
            },
        ),
        lambda p: (
            "文档中的“word/document.xml”含有 DTD 声明（<!DOCTYPE），"
            "Word 不会生成这种内容，为安全起见已拒绝"
        ),
    ),
    (
        "报告.docx",
        lambda p: _with_parts(p, {"word/vbaProject.bin": b"\x00" * 64}),
        lambda p: (
            "文档含有宏（word/vbaProject.bin），可能是启用宏的文档（.docm）改了扩展名，"
            "为安全起见不读取：请在 Word 中“另存为”Word 文档（.docx）后重试"
        ),
    ),
    (
        "报告.docx",
        lambda p: p.write_bytes(OLE),
        lambda p: f"这是旧版 Word 97-2003 文档（.doc）或其他旧版 Office 文件：{SAVE_AS}",
    ),
    (
        "报告.docx",
        lambda p: p.write_bytes(OLE + "EncryptedPackage".encode("utf-16-le")),
        lambda p: (
            "文档设置了打开密码（已加密），无法读取：请在 Word 中打开，"
            "“文件→信息→保护文档→用密码进行加密”，清空密码后“另存为”Word 文档（.docx），再重试"
        ),
    ),
    (
        "报告.doc",
        lambda p: p.write_bytes(OLE),
        lambda p: f"不能直接读取旧版 Word 97-2003 文档（.doc）：{SAVE_AS}",
    ),
    (
        "报告.wps",
        lambda p: p.write_bytes(b"x"),
        lambda p: f"不能直接读取WPS 文字文档（.wps）：{SAVE_AS}",
    ),
    (
        "报告.pdf",
        lambda p: p.write_bytes(b"%PDF-1.7"),
        lambda p: "不支持的文件类型“.pdf”：请提供 Word 文档（.docx）或纯文本文件（.txt）",
    ),
    (
        "报告.txt",
        lambda p: p.write_bytes(OLE),
        lambda p: f"这是旧版 Word 文档（.doc）或加密的 Office 文件，不是纯文本：{SAVE_AS}",
    ),
    (
        "报告.txt",
        lambda p: p.write_bytes("全年资金".encode() + b"\xff\x80\x80\xff"),
        lambda p: (
            "无法识别文件的文字编码（既不是 UTF-8，也不是 GB18030/GBK 或带标记的 UTF-16）："
            "请用记事本打开，“另存为”时编码选 UTF-8 后重试"
        ),
    ),
    (
        "报告.docx",
        lambda p: p.mkdir(),
        lambda p: "这是一个目录，不是输入文件",
    ),
    (
        "报告.docx",
        lambda p: os.mkfifo(p),
        lambda p: "不是普通文件（是命名管道），无法作为输入：请指定 .yaml 或 .xlsx 文件本身",
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "message"),
    REFUSED,
    ids=[
        "zip bomb",
        "DTD entity",
        "macros",
        "old Word",
        "encrypted",
        ".doc",
        ".wps",
        ".pdf",
        "OLE as .txt",
        "no encoding",
        "directory",
        "named pipe",
    ],
)
def test_a_hostile_or_unreadable_file_is_refused_by_name(
    tmp_path: Path, name: str, make: Callable[[Path], object], message: Callable[[Path], str]
) -> None:
    path = tmp_path / name
    make(path)
    assert _refusal(path) == f"{path}: {message(path)}"


@pytest.mark.parametrize(
    ("name", "limit", "kind"),
    [
        ("报告.docx", "MAX_REPORT_BYTES", "报告文件"),
        ("报告.txt", "MAX_REPORT_TEXT_BYTES", "纯文本报告"),
    ],
)
def test_an_oversize_report_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, limit: str, kind: str
) -> None:
    path = tmp_path / name
    if name.endswith(".docx"):
        make_docx(path, ["全年资金到位率100%。"] * 50)
    else:
        path.write_text("全年资金到位率100%。\n" * 200, encoding="utf-8")
    monkeypatch.setattr(limits, limit, 1000)
    size = limits.describe_size(path.stat().st_size)
    assert _refusal(path) == (
        f"{path}: 文件过大（{size}），{kind}不能超过1000 字节；请确认选对了文件"
    )
