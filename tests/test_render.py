"""Rendering the shipped Word templates, binding volumes and reproducible output."""

from __future__ import annotations

import copy
import datetime
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator.errors import TemplateError
from generator.render.context import chinese_numeral
from generator.render.document import build_volume, finalize_docx
from generator.render.headings import nested_paragraphs
from generator.render.template import ReportTemplate, find_template, render_report

from .conftest import OUTLINES, ROOT, TEMPLATES, make_docx, outline_context

TEXT_WIDTH = 8845

HEADINGS: dict[str, list[str]] = {
    "转移支付": [
        "一、绩效目标分解下达情况",
        "二、绩效目标完成情况分析",
        "（一）资金投入情况分析",
        "（二）总体绩效目标完成情况分析",
        "（三）绩效指标完成情况分析",
        "2.产出指标（分值45分，得分45分）",
        "三、偏离绩效目标的原因和下一步改进措施",
        "四、绩效自评结果拟应用和公开情况",
        "五、其他需要说明的问题",
    ],
    "评价报告": [
        "一、基本情况",
        "（一）项目总体情况",
        "（二）项目绩效目标",
        "二、绩效评价工作开展情况",
        "（一）评价目的、对象和范围",
        "（二）评价方法和评价等次",
        "（三）指标体系设置",
        "（四）评价工作过程",
        "三、绩效评价结论",
        "（一）评价得分",
        "（二）评价结论",
        "四、绩效评价指标分析",
        "（二）产出指标（分值50分，得分49.67分）",
        "1.数量指标",
        "2.质量指标",
        "五、存在问题",
        "六、有关建议",
    ],
    "项目支出": [
        "一、项目基本概况",
        "（四）部门职能职责",
        "二、绩效目标完成情况分析",
        "（二）绩效指标完成情况分析",
        "（三）评价结果",
        "三、存在问题",
        "四、绩效自评结果拟应用和公开情况",
        "五、其他需要说明的问题",
    ],
}

FIGURES: dict[str, list[str]] = {
    "转移支付": ["75400万元", "到位率100%", "≥707568人", "5.2个月", "合计得分98.67分"],
    "评价报告": ["1850.15万元", "98.53%", "13562人次", "按95分满分折算", "示例市医疗保障局："],
    "项目支出": [
        "2603030.56元",
        "（1）服务对象满意度指标。抽样调查政策知晓率为76%。",
        "政策知晓率：部分偏远村组",
        "99.5分",
    ],
}


def render(outline: str, ctx: dict[str, Any] | None = None) -> Any:
    data = render_report(ctx or outline_context(outline), TEMPLATES / f"{outline}.docx")
    return Document(io.BytesIO(data))


def body_text(doc: Any) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def heading_texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]


def is_subsequence(wanted: list[str], actual: list[str]) -> bool:
    remaining = iter(actual)
    return all(any(item == seen for seen in remaining) for item in wanted)


def cells(row: Any) -> list[tuple[str, str | None]]:
    """(text, vMerge value) per cell; vMerge is None when absent, "continue" when bare."""
    out = []
    for tc in row.findall(qn("w:tc")):
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
        value = None if merge is None else merge.get(qn("w:val"), "continue")
        out.append((text, value))
    return out


def tables(doc: Any) -> list[Any]:
    """The body's tables as XML (w:tbl), to read merges, grids and widths."""
    return list(doc.element.body.findall(qn("w:tbl")))


def indicator_rows(doc: Any) -> list[Any]:
    return list(tables(doc)[-1].findall(qn("w:tr")))


@pytest.mark.parametrize("outline", OUTLINES)
def test_outline_headings_appear_in_order(outline: str) -> None:
    headings = heading_texts(render(outline))
    assert is_subsequence(HEADINGS[outline], headings), headings


@pytest.mark.parametrize("outline", OUTLINES)
def test_title_uses_title_style_and_context_text(outline: str) -> None:
    """The title is printed in the lines form_context.py broke it into, one paragraph."""
    first = render(outline).paragraphs[0]
    context = outline_context(outline)
    assert first.text.split("\n") == context["标题行"]
    assert first.text.replace("\n", "") == context["标题"]
    assert first.style.name == "Title"


@pytest.mark.parametrize("outline", OUTLINES)
def test_figures_from_context_reach_the_text(outline: str) -> None:
    text = body_text(render(outline))
    for figure in FIGURES[outline]:
        assert figure in text


@pytest.mark.parametrize("outline", OUTLINES)
def test_no_template_tags_survive(outline: str) -> None:
    doc = render(outline)
    xml = doc.element.xml
    assert "{%" not in xml and "{{" not in xml


@pytest.mark.parametrize(
    ("outline", "present", "absent"),
    [
        ("评价报告", ["示例市医疗保障局：", "2025年2月18日"], []),
        ("项目支出", ["示例区医疗保障局"], ["："]),
    ],
)
def test_addressee_and_date_only_when_given(
    outline: str, present: list[str], absent: list[str]
) -> None:
    doc = render(outline)
    short = [p.text for p in doc.paragraphs if p.style.name in ("主送", "落款")]
    for text in present:
        assert text in short
    for text in absent:
        assert all(text not in s for s in short)


@pytest.mark.parametrize(
    ("outline", "header", "extra_rows"),
    [
        (
            "转移支付",
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值",
                "全年实际完成值",
                "未完成原因和改进措施",
            ],
            0,
        ),
        (
            "评价报告",
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            ],
            1,
        ),
        (
            "项目支出",
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            ],
            1,
        ),
    ],
)
def test_indicator_table_has_one_row_per_indicator(
    outline: str, header: list[str], extra_rows: int
) -> None:
    ctx = outline_context(outline)
    rows = indicator_rows(render(outline))
    assert [text for text, _ in cells(rows[0])] == header
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    expected = ctx["自评表"]["指标行"]
    assert len(rows) == 1 + len(expected) + extra_rows
    for row, item in zip(rows[1:], expected, strict=False):
        texts = [text for text, _ in cells(row)]
        previous = f"（上年{item['上年完成值']}）" if item["上年完成值"] else ""
        assert texts[2:5] == [item["名称"], item["指标值"], item["完成值"] + previous]
        assert texts[-1] == item["偏差"]
    if extra_rows:
        total = [text for text, _ in cells(rows[-1])]
        assert total[:3] == ["总分", ctx["自评表"]["分值合计"], ctx["自评表"]["总分"]]


@pytest.mark.parametrize("outline", OUTLINES)
def test_group_cells_merge_vertically(outline: str) -> None:
    expected = outline_context(outline)["自评表"]["指标行"]
    rows = indicator_rows(render(outline))[1 : 1 + len(expected)]
    for row, item in zip(rows, expected, strict=True):
        row_cells = cells(row)
        for column, key in ((0, "一级"), (1, "二级")):
            text, merge = row_cells[column]
            mark = item[f"{key}合并"]
            assert merge == (mark or None)
            assert text == ("" if mark == "continue" else item[key])
    marks = {m for item in expected for m in (item["一级合并"], item["二级合并"])}
    assert {"restart", "continue"} <= marks


@pytest.mark.parametrize("outline", OUTLINES)
def test_money_rows_follow_the_layout(outline: str) -> None:
    ctx = outline_context(outline)
    table = tables(render(outline))[0]
    texts = [[text for text, _ in cells(tr)] for tr in table.findall(qn("w:tr"))]
    names = [row["名称"] for row in ctx["自评表"]["资金行"]]
    found = [row[1] for row in texts if len(row) > 1 and row[1] in names]
    assert found == names
    assert any(ctx["自评表"]["总体目标"] in row for row in texts)


@pytest.mark.parametrize("outline", OUTLINES)
def test_tables_are_fixed_and_fill_the_text_block(outline: str) -> None:
    for tbl in tables(render(outline)):
        layout = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblLayout')}")
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        grid = [int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid"))]
        assert sum(grid) == TEXT_WIDTH
        for tr in tbl.findall(qn("w:tr")):
            column = 0
            for tc in tr.findall(qn("w:tc")):
                props = tc.find(qn("w:tcPr"))
                span_el = props.find(qn("w:gridSpan"))
                span = 1 if span_el is None else int(span_el.get(qn("w:val")))
                width = int(props.find(qn("w:tcW")).get(qn("w:w")))
                assert width == sum(grid[column : column + span])
                column += span
            assert column == len(grid)


@pytest.mark.parametrize("outline", OUTLINES)
def test_page_setup_follows_gb_9704(outline: str) -> None:
    doc = render(outline)
    section = doc.sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        element = footer.part.element
        xml = element.xml
        assert "PAGE" in "".join(t.text or "" for t in element.iter(qn("w:instrText")))
        assert f'w:val="{align}"' in xml
        assert "— " in xml and " —" in xml


@pytest.mark.parametrize(
    ("style", "font", "size"),
    [
        ("Normal", "仿宋_GB2312", 16),
        ("Title", "方正小标宋简体", 22),
        ("Heading 1", "黑体", 16),
        ("Heading 2", "楷体_GB2312", 16),
        ("Heading 3", "仿宋_GB2312", 16),
        ("表格文字", "仿宋_GB2312", 10.5),
    ],
)
def test_styles_set_the_east_asian_font(style: str, font: str, size: float) -> None:
    doc = render("转移支付")
    s = doc.styles[style]
    fonts = s.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == font
    assert fonts.get(qn("w:ascii")) == font
    assert fonts.get(qn("w:asciiTheme")) is None
    assert s.font.size.pt == size


def test_body_text_has_exact_spacing_and_two_character_indent() -> None:
    normal = render("转移支付").styles["Normal"].element.pPr
    spacing = normal.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    assert normal.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert normal.find(qn("w:jc")).get(qn("w:val")) == "both"


@pytest.mark.parametrize("text", ["结算时限 < 30日 & 上报 > 5家", "<w:p>", "A&amp;B"])
def test_markup_characters_in_narrative_render_as_text(text: str) -> None:
    ctx = outline_context("转移支付")
    ctx = copy.deepcopy(ctx)
    ctx["节"]["存在问题"] = [text]
    ctx["节段"]["存在问题"] = nested_paragraphs([text], chinese_numeral)
    assert text in body_text(render("转移支付", ctx))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ 不存在的名称 }}", "不存在的名称"),
        ("{{ 节.不存在的栏目 }}", "不存在的栏目"),
        ("{% if 标题 %}没有结束", "语法错误"),
        ("{{ 标题.__class__ }}", "不允许的操作"),
        ("{{ 目标列表.append(1) }}", "不允许的操作"),
    ],
)
def test_template_problems_become_template_errors(tmp_path: Path, text: str, message: str) -> None:
    path = make_docx(tmp_path / "自制.docx", [text])
    with pytest.raises(TemplateError) as caught:
        render_report({"标题": "x", "节": {}, "目标列表": []}, path)
    assert message in str(caught.value)
    assert "自制.docx" in str(caught.value)


def test_a_file_that_is_not_docx_is_a_template_error(tmp_path: Path) -> None:
    path = tmp_path / "坏.docx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"坏\.docx"):
        render_report({}, path)


def test_a_template_is_read_once_per_process_and_again_once_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "转移支付.docx"
    shutil.copy(TEMPLATES / "转移支付.docx", path)
    read: list[Path] = []

    class CountingTemplate(ReportTemplate):
        def __init__(self, template: Path) -> None:
            read.append(template)
            super().__init__(template)

    monkeypatch.setattr("generator.render.template.ReportTemplate", CountingTemplate)
    first = render_report(outline_context("转移支付"), path)
    assert render_report(outline_context("转移支付"), path) == first
    assert read == [path]
    os.utime(path, ns=(1, 1))  # saved again, as an editor does
    assert render_report(outline_context("转移支付"), path) == first
    assert read == [path, path]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            ["a/医疗救助/评价报告.docx", "a/评价报告.docx", "b/评价报告.docx"],
            "a/医疗救助/评价报告.docx",
        ),
        (["a/评价报告.docx", "b/医疗救助/评价报告.docx"], "a/评价报告.docx"),
        (["b/医疗救助/评价报告.docx", "b/评价报告.docx"], "b/医疗救助/评价报告.docx"),
        (["a/能力提升/评价报告.docx", "b/评价报告.docx"], "b/评价报告.docx"),
    ],
)
def test_find_template_prefers_type_then_outline_then_next_dir(
    tmp_path: Path, files: list[str], expected: str
) -> None:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    found = find_template("评价报告", "医疗救助", [tmp_path / "a", tmp_path / "b"])
    assert found == tmp_path / expected


def test_find_template_names_the_outline_when_missing(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="评价报告"):
        find_template("评价报告", "医疗救助", [tmp_path])


def rendered_reports() -> list[bytes]:
    return [render_report(outline_context(o), TEMPLATES / f"{o}.docx") for o in OUTLINES]


def test_volume_starts_each_report_on_a_new_page() -> None:
    reports = rendered_reports()
    titles = [outline_context(o)["标题"] for o in OUTLINES]
    data = build_volume(reports, "示例合订本", "示例市医疗保障局", "2025年2月20日", titles)
    doc: Any = Document(io.BytesIO(data))
    title_paragraphs = [p for p in doc.paragraphs if p.style.name == "Title"]
    assert [p.text.replace("\n", "") for p in title_paragraphs] == ["示例合订本", *titles]
    breaks = [p for p in title_paragraphs if p.paragraph_format.page_break_before]
    # The first report follows the cover's section break, every later one a page break.
    assert [p.text.replace("\n", "") for p in breaks] == titles[1:]
    body = doc.element.body
    sections = body.findall(f".//{qn('w:sectPr')}")
    assert len(sections) == 2
    assert body[-1].tag == qn("w:sectPr")
    cover, reports_section = sections
    assert cover.findall(qn("w:footerReference")) == [], "the cover carries no page number"
    assert reports_section.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert len(reports_section.findall(qn("w:footerReference"))) == 2
    assert "目　录" in body_text(doc)
    assert titles[0] in body_text(doc).replace("\n", "")
    assert len(doc.tables) == sum(len(Document(io.BytesIO(r)).tables) for r in reports)


def test_finalize_gives_identical_bytes_and_fixed_metadata() -> None:
    report = rendered_reports()[0]
    day = datetime.date(2025, 2, 20)
    first = finalize_docx(report, title="标题", author="示例市医疗保障局", created=day)
    second = finalize_docx(report, title="标题", author="示例市医疗保障局", created=day)
    assert first == second
    again = finalize_docx(first, title="标题", author="示例市医疗保障局", created=day)
    assert again == first
    props = Document(io.BytesIO(first)).core_properties
    midnight = datetime.datetime(2025, 2, 20, tzinfo=datetime.UTC)
    assert (props.title, props.author, props.last_modified_by) == (
        "标题",
        "示例市医疗保障局",
        "示例市医疗保障局",
    )
    assert props.created == midnight and props.modified == midnight
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_finalize_without_date_drops_timestamps() -> None:
    report = rendered_reports()[0]
    data = finalize_docx(report, title="t", author="a", created=None)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "dcterms:created" not in core and "dcterms:modified" not in core


def test_shipped_templates_are_reproducible(tmp_path: Path) -> None:
    """The committed templates are exactly what tools/build_templates.py writes."""
    script = ROOT / "tools" / "build_templates.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    for outline in OUTLINES:
        built = (tmp_path / f"{outline}.docx").read_bytes()
        assert built == (TEMPLATES / f"{outline}.docx").read_bytes()
