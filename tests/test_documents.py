"""End to end: the shipped inputs generate, and the Word files say what the data says.

Documents are opened with python-docx and checked by content: the outline's
headings, the computed figures, the self-evaluation table's rows and merges, and
the East-Asian font, never by zip bytes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from generator.pipeline import check_file

from .conftest import EXAMPLES, document_texts, generate

INPUTS = dict(zip(("2024", "黄山", "丰都"), EXAMPLES[:3], strict=True))

OUTLINE_HEADINGS = {
    "转移支付": [
        "一、绩效目标分解下达情况",
        "二、绩效目标完成情况分析",
        "三、偏离绩效目标的原因和下一步改进措施",
        "四、绩效自评结果拟应用和公开情况",
        "五、其他需要说明的问题",
    ],
    "评价报告": [
        "一、基本情况",
        "二、绩效评价工作开展情况",
        "三、绩效评价结论",
        "四、绩效评价指标分析",
        "五、存在问题",
        "六、有关建议",
    ],
    "项目支出": [
        "一、项目基本概况",
        "二、绩效目标完成情况分析",
        "三、存在问题",
        "四、绩效自评结果拟应用和公开情况",
        "五、其他需要说明的问题",
    ],
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Run the real CLI once per shipped input; every run must be clean (no warnings), but
    黄山 marks the two sections seed 004 does not state (tests/test_signable_text.py)."""
    out = tmp_path_factory.mktemp("out")
    for name, path in INPUTS.items():
        generate(str(path), "-o", str(out / name), *(() if name == "黄山" else ("--strict",)))
    return {name: out / name for name in INPUTS}


def _documents(folder: Path) -> dict[str, Document]:
    return {p.name: docx.Document(str(p)) for p in sorted(folder.rglob("*.docx"))}


def _text(document: Document) -> str:
    return "\n".join(document_texts(document))


def _report(documents: dict[str, Document], title: str) -> Document:
    # The title is printed in lines (line breaks between words).
    (document,) = [d for d in documents.values() if d.paragraphs[0].text.replace("\n", "") == title]
    return document


def _headings(document: Document, level: int = 1) -> list[str]:
    return [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name == f"Heading {level}"
    ]


def test_county_input_writes_four_reports_and_a_volume(generated: dict[str, Path]) -> None:
    names = sorted(_documents(generated["2024"]))
    assert names == sorted(
        [
            "示例县医疗保障局-2024年度医保转移支付补助资金绩效自评报告.docx",
            "示例县医疗保障局-城乡居民基本医疗保险补助资金-绩效自评报告.docx",
            "示例县医疗保障局-医疗救助补助资金（城乡医疗救助部分）-绩效自评报告.docx",
            "示例县医疗保障局-医疗服务与保障能力提升补助资金（医疗保障服务能力提升部分）-绩效自评报告.docx",
            "示例县医疗保障局-扶贫济困医疗基金县级配套资金-绩效自评报告.docx",
        ]
    )


@pytest.mark.parametrize("name", list(INPUTS))
def test_each_report_follows_its_outline_and_states_its_computed_figures(
    generated: dict[str, Path], name: str
) -> None:
    checked = check_file(INPUTS[name])
    documents = _documents(generated[name])
    for ctx in checked.contexts:
        values = ctx.values
        document = _report(documents, values["标题"])
        assert document.paragraphs[0].style.name == "Title"
        # 其他需要说明的问题 is printed only when the input has something to say there.
        expected = [
            h for h in OUTLINE_HEADINGS[ctx.fund.outline] if "其他" not in h or values["节"]["其他"]
        ]
        assert _headings(document) == expected
        text = _text(document)
        for key in ("预算合计", "执行合计", "执行率", "到位率"):
            # A full 到位率 is said in words; without 执行数 the 执行 values are empty.
            said = "全部到位" if (key, values[key]) == ("到位率", "100%") else values[key]
            assert said in text, key
        assert values["总分说明"] in text
        assert values["单位"] in document.paragraphs[-1].text or values["单位"] in text
        if values["主送"]:
            assert document.paragraphs[1].text == f"{values['主送']}："


@pytest.mark.parametrize(
    ("name", "figures"),
    [
        ("黄山", ["9402.92万元", "651.63万元", "4.37亿元", "0.02亿元", "7.52亿元"]),
        ("丰都", ["2603030.56元", "3500000", "95分"]),
    ],
    ids=["seed 004 money totals", "seed 000 yuan amounts and score"],
)
def test_reconstructions_reproduce_the_seed_figures(
    generated: dict[str, Path], name: str, figures: list[str]
) -> None:
    text = "\n".join(_text(d) for d in _documents(generated[name]).values())
    for figure in figures:
        assert figure in text


def test_reconstruction_totals_are_the_seeds_stated_scores() -> None:
    """Seeds 000 and 004 publish only totals: the examples carry them as stated, not computed."""
    huangshan = check_file(INPUTS["黄山"]).result.funds
    assert [(f.total, f.score_stated) for f in huangshan] == [(Decimal(100), True)] * 3
    (fengdu,) = check_file(INPUTS["丰都"]).result.funds
    assert (fengdu.total, fengdu.score_stated, fengdu.grade) == (Decimal(95), True, "优")
    assert fengdu.money.received == Decimal("2603030.56")
    # Neither seed states what was spent: no execution is computed.
    assert [f.money.executed for f in (*huangshan, fengdu)] == [False] * 4


def _merge(tr: Any, column: int) -> str | None:
    """A cell's raw w:vMerge ("restart", "continue" or None), read from the row's XML:
    python-docx maps a merged continuation cell to the one above."""
    props = tr.findall(qn("w:tc"))[column].find(qn("w:tcPr"))
    merge = None if props is None else props.find(qn("w:vMerge"))
    return None if merge is None else merge.get(qn("w:val"), "continue")


@pytest.mark.parametrize("name", list(INPUTS))
def test_self_evaluation_table_has_a_row_per_indicator_with_merged_groups(
    generated: dict[str, Path], name: str
) -> None:
    checked = check_file(INPUTS[name])
    documents = _documents(generated[name])
    for ctx in checked.contexts:
        document = _report(documents, ctx.values["标题"])
        rows = ctx.values["自评表"]["指标行"]
        table = document.tables[-1]
        xml_rows = document.element.body.findall(qn("w:tbl"))[-1].findall(qn("w:tr"))
        names = {row["名称"] for row in rows}
        body = [
            (r, tr) for r, tr in zip(table.rows, xml_rows, strict=True) if r.cells[2].text in names
        ]
        assert [r.cells[2].text for r, _ in body] == [row["名称"] for row in rows]
        for (row, tr), expected in zip(body, rows, strict=True):
            assert row.cells[3].text == expected["指标值"]
            previous = f"（上年{expected['上年完成值']}）" if expected["上年完成值"] else ""
            assert row.cells[4].text == expected["完成值"] + previous
            restart = expected["一级合并"] == "restart"
            assert (_merge(tr, 0) == "restart") is restart
            if expected["一级合并"] == "continue":
                assert _merge(tr, 0) == "continue"
        last = [c.text for c in table.rows[-1].cells]
        if ctx.values["自评表"]["布局"] == "得分":  # the transfer layout has no score columns
            assert last[0] == "总分"
            assert ctx.values["自评表"]["总分"] in last


@pytest.mark.parametrize("name", list(INPUTS))
def test_body_text_uses_the_east_asian_font_slot(generated: dict[str, Path], name: str) -> None:
    for document in _documents(generated[name]).values():
        fonts = document.styles["Normal"].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
        title_fonts = document.styles["Title"].element.rPr.rFonts
        assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
        section = document.sections[0]
        assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
        assert round(section.bottom_margin.mm) == 35 and round(section.right_margin.mm) == 26


def test_volume_starts_each_report_on_a_new_page(generated: dict[str, Path]) -> None:
    documents = _documents(generated["2024"])
    volume = documents["示例县医疗保障局-2024年度医保转移支付补助资金绩效自评报告.docx"]
    titles = [p for p in volume.paragraphs if p.style is not None and p.style.name == "Title"]
    assert len(titles) == 5  # the cover and four reports
    # The cover is a section of its own (unnumbered), so the first report starts a new
    # page by the section break; each later report breaks the page before its title.
    assert len(volume.sections) == 2
    for title in titles[2:]:
        assert title.paragraph_format.page_break_before


def test_indicator_analysis_uses_the_given_note_with_placeholders_filled() -> None:
    (fund, *_) = check_file(INPUTS["2024"]).contexts
    paragraphs = [
        p
        for g in fund.values["指标分析"]
        for s in g["二级组"]
        for i in s["指标"]
        for p in i["段落"]
    ]
    assert not any("{{" in p for p in paragraphs)
    assert any("得" in p and "分" in p for p in paragraphs)
