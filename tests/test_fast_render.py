"""The compiled-once render path gives the same documents as docxtpl's own rendering."""

from __future__ import annotations

import copy
import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree

from generator.render.deterministic_zip import read_parts, write_package
from generator.render.document import finalize_docx
from generator.render.docx_jinja import always_well_formed
from generator.render.fingerprint import is_unedited
from generator.render.template import ReportTemplate, load_template, render_document

from .conftest import OUTLINES, TEMPLATES, make_docx, outline_context


@pytest.fixture
def reparses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every re-parse of rendered XML: docxtpl's table fix parses the whole body again."""
    calls: list[str] = []
    fix_tables = DocxTemplate.fix_tables

    def counting(self: Any, xml: str) -> Any:
        calls.append(xml)
        return fix_tables(self, xml)

    monkeypatch.setattr(DocxTemplate, "fix_tables", counting)
    return calls


def canonical(parts: dict[str, bytes]) -> dict[str, bytes]:
    """XML parts in canonical form (C14N), other parts as they are."""
    out = {}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            out[name] = etree.tostring(etree.fromstring(data), method="c14n")
        else:
            out[name] = data
    return out


def variants(outline: str) -> list[dict[str, Any]]:
    """The fixture context, plus markup characters and a line break/tab in narrative."""
    plain = outline_context(outline)
    marked = copy.deepcopy(plain)
    marked["节"]["存在问题"] = ["结算时限 < 30日 & 上报 > 5家", "第一行\n第二行\t制表"]
    marked["县区对比"] = [
        {
            "县区": "甲县医疗保障局",
            "得分": "99.33",
            "等级": "优",
            "执行率": "93.33%",
            "到位率": "98.33%",
        }
    ]
    return [plain, marked]


@pytest.mark.parametrize("outline", OUTLINES)
@pytest.mark.parametrize("variant", [0, 1], ids=["fixture", "markup-line-breaks-and-county-table"])
def test_fast_path_writes_the_same_parts_as_docxtpl(outline: str, variant: int) -> None:
    ctx = variants(outline)[variant]
    template = load_template(TEMPLATES / f"{outline}.docx")
    fast = read_parts(template.render(ctx))
    reference = read_parts(template.render_docxtpl(ctx))
    assert list(fast) == sorted(fast, key=list(fast).index)  # deterministic order
    assert canonical(fast) == canonical(reference)


@pytest.mark.parametrize("outline", OUTLINES)
def test_render_document_equals_finalized_docxtpl_output(outline: str) -> None:
    ctx = outline_context(outline)
    day = datetime.date(2025, 2, 20)
    path = TEMPLATES / f"{outline}.docx"
    fast = render_document(ctx, path, title="标题", author="示例局", created=day)
    reference = finalize_docx(
        load_template(path).render_docxtpl(ctx), title="标题", author="示例局", created=day
    )
    # The fingerprints hash each path's own bytes (equal once canonical, not as written).
    fast_parts, reference_parts = read_parts(fast), read_parts(reference)
    assert is_unedited(fast) is True and is_unedited(reference) is True
    del fast_parts["docProps/custom.xml"], reference_parts["docProps/custom.xml"]
    assert canonical(fast_parts) == canonical(reference_parts)
    props = Document(io.BytesIO(fast)).core_properties
    assert (props.title, props.author, props.revision) == ("标题", "示例局", 1)
    assert render_document(ctx, path, title="标题", author="示例局", created=day) == fast


@pytest.mark.parametrize("outline", OUTLINES)
def test_outline_templates_render_without_reparsing_the_xml(
    outline: str, reparses: list[str]
) -> None:
    template = load_template(TEMPLATES / f"{outline}.docx")
    reparses.clear()  # compiling may look at the template's tables; rendering must not
    template.render(outline_context(outline))
    assert reparses == []


def zipfile_package(parts: dict[str, bytes]) -> bytes:
    """What zipfile writes for the same entries with fixed order and metadata."""
    first = ["[Content_Types].xml", "_rels/.rels"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in first + sorted(set(parts) - set(first)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()


def test_package_writer_matches_zipfile_byte_for_byte() -> None:
    parts = {
        "word/document.xml": b"<w:document/>" * 500,
        "_rels/.rels": b"<Relationships/>",
        "[Content_Types].xml": b"<Types/>",
        "word/media/\u56fe.png": bytes(range(256)),
    }
    data = write_package(parts)
    assert data == zipfile_package(parts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.read("word/media/\u56fe.png") == bytes(range(256))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<a>{% if x %}<b/>{% else %}<c></c>{% endif %}</a>", True),
        ("<a>{%- for i in x -%}<b>{{ i }}</b>{% endfor %}</a>", True),
        ('<a w:val="{% if loop.first %}restart{% endif %}"/>', True),
        ("<a>{% set n = 1 %}</a>", True),
        ("<a>{% if x %}<b>{% endif %}</b></a>", False),
        ("<a>{% if x %}</a><a>{% endif %}</a>", False),
        ("<a>{{ x|safe }}</a>", False),
        ("<a>{% include 'x' %}</a>", False),
        ("<a><!-- note --></a>", False),
        ("</a>", False),
    ],
    ids=[
        "branches-balanced",
        "loop-balanced",
        "tags-in-attribute",
        "inline-set",
        "open-in-branch",
        "close-outer-in-branch",
        "raw-markup",
        "unknown-tag",
        "comment",
        "stray-close",
    ],
)
def test_only_templates_whose_every_rendering_is_well_formed_skip_reparsing(
    source: str, expected: bool
) -> None:
    assert always_well_formed(source) is expected


@pytest.mark.parametrize(
    ("paragraphs", "reparsed"),
    [
        (["{{ 标题 }}", "{%p if 显示 %}", "显示的段落", "{%p endif %}"], False),
        (["{{ 标题|safe }}"], True),
    ],
    ids=["plain", "raw-output-reparsed"],
)
def test_hand_made_templates_render_like_docxtpl_reparsing_only_raw_output(
    tmp_path: Path, paragraphs: list[str], reparsed: bool, reparses: list[str]
) -> None:
    template = ReportTemplate(make_docx(tmp_path / "自制.docx", paragraphs))
    ctx = {"标题": "甲 &amp; 乙", "显示": True}
    reparses.clear()
    fast = read_parts(template.render(ctx))
    assert bool(reparses) is reparsed
    assert canonical(fast) == canonical(read_parts(template.render_docxtpl(ctx)))
