"""The built-in templates print the 叙述 slots the seeds carry: the 评价报告 二、(一)–(三)
sections, and 项目决策 / 过程管理 in the indicator analysis of every outline.

The fixture (tests/fixtures/slots/新栏目.yaml) is a 医疗救助 fund without 项目决策 or
过程管理 indicators, as seed 003 has it, with sub-headings typed in its slots.
"""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator.config.rulesets import load_rule_set
from generator.core.money import format_score
from generator.core.rules import grade_bands
from generator.pipeline import render_file
from generator.render.slots import slots_used
from generator.render.unwritten import MARKER_HEAD

from .conftest import FIXTURES, OUTLINES, TEMPLATES, edited, validated, write_input

INPUT = FIXTURES / "slots" / "新栏目.yaml"
TEXT = INPUT.read_text(encoding="utf-8")
EVALUATION_ONLY = ("评价目的对象范围", "评价方法和等次", "指标体系")
NEW_SLOTS = (*EVALUATION_ONLY, "项目决策", "过程管理")


def _input(tmp_path: Path, outline: str, *changes: tuple[str, str]) -> Path:
    return write_input(
        tmp_path / "输入.yaml", TEXT, ("提纲: 评价报告", f"提纲: {outline}"), *changes
    )


def _without(*slots: str) -> list[tuple[str, str]]:
    """Changes that delete each slot (its key and its lines) from the fixture."""
    lines = TEXT.splitlines(keepends=True)
    changes = []
    for slot in slots:
        start = next(i for i, line in enumerate(lines) if line.startswith(f"      {slot}:"))
        end = start + 1
        while end < len(lines) and lines[end].startswith("        "):
            end += 1
        changes.append(("".join(lines[start:end]), ""))
    return changes


def _report(path: Path, templates: Path | None = None) -> Any:
    rendered = render_file(path, templates=templates)
    (only,) = [f for f in rendered.files if f.name.endswith("绩效自评报告.docx")]
    return Document(io.BytesIO(only.data))


def _body(doc: Any) -> list[Any]:
    """Paragraphs of the report body (up to the 落款), empty ones left out."""
    out = []
    for paragraph in doc.paragraphs:
        if paragraph.style.name in ("附件说明", "落款"):
            break
        if paragraph.text.strip():
            out.append(paragraph)
    return out


def _level(paragraph: Any) -> int:
    name = paragraph.style.name
    return int(name[-1]) if name.startswith("Heading ") else 0


def _heading_above(paragraphs: list[Any], text: str, level: int) -> str:
    """The nearest heading of ``level`` above the paragraph starting with ``text``."""
    index = next(i for i, p in enumerate(paragraphs) if p.text.startswith(text))
    return str(next(p.text for p in reversed(paragraphs[:index]) if _level(p) == level))


# ------------------------------------------------------------------ each slot, its heading

#: (outline, slot, text the slot prints, heading level above it, that heading's text).
PLACES = [
    ("评价报告", "评价目的对象范围", "检验医疗救助资金", 2, "（一）评价目的、对象和范围"),
    ("评价报告", "评价方法和等次", "逐项对照区域绩效目标表打分。", 2, "（二）评价方法和评价等次"),
    ("评价报告", "指标体系", "沿用省医保局印发的", 2, "（三）指标体系设置"),
    ("评价报告", "项目决策", "1.决策依据。医保局与财政局", 2, "（一）项目决策"),
    ("评价报告", "过程管理", "资金拨入专户后按季度", 2, "（二）过程管理"),
    ("转移支付", "项目决策", "（1）决策依据。医保局与财政局", 3, "1.项目决策"),
    ("转移支付", "过程管理", "资金拨入专户后按季度", 3, "2.过程管理"),
    ("项目支出", "项目决策", "（1）决策依据。医保局与财政局", 3, "1.项目决策"),
    ("项目支出", "过程管理", "资金拨入专户后按季度", 3, "2.过程管理"),
]


@pytest.mark.parametrize(("outline", "slot", "text", "level", "heading"), PLACES)
def test_each_written_slot_prints_under_its_heading(
    tmp_path: Path, outline: str, slot: str, text: str, level: int, heading: str
) -> None:
    assert slot in slots_used(TEMPLATES / f"{outline}.docx")  # check does not call it unused
    paragraphs = _body(_report(_input(tmp_path, outline)))
    assert _heading_above(paragraphs, text, level) == heading


@pytest.mark.parametrize("outline", ["转移支付", "项目支出"])
def test_the_evaluation_sections_are_printed_only_by_the_evaluation_outline(
    tmp_path: Path, outline: str
) -> None:
    assert not set(EVALUATION_ONLY) & slots_used(TEMPLATES / f"{outline}.docx")
    text = "\n".join(p.text for p in _body(_report(_input(tmp_path, outline))))
    assert "逐项对照区域绩效目标表打分" not in text and "评价方法和评价等次" not in text


def test_the_analysis_numbers_written_groups_before_the_scored_ones(tmp_path: Path) -> None:
    paragraphs = _body(_report(_input(tmp_path, "评价报告")))
    start = next(i for i, p in enumerate(paragraphs) if p.text == "四、绩效评价指标分析")
    end = next(i for i, p in enumerate(paragraphs) if p.text == "五、存在问题")
    headings = [p.text.split("（分值")[0] for p in paragraphs[start:end] if _level(p) == 2]
    assert headings == [
        "（一）项目决策",
        "（二）过程管理",
        "（三）预算执行",
        "（四）产出指标",
        "（五）效益指标",
        "（六）满意度指标",
    ]


# ------------------------------------------------------------------ sub-headings


def _format(run: Any) -> tuple[str | None, bool]:
    """A run's East-Asian font (None: the style's) and whether it is bold."""
    fonts = run.element.rPr.find(qn("w:rFonts")) if run.element.rPr is not None else None
    return (None if fonts is None else fonts.get(qn("w:eastAsia"))), bool(run.bold)


def _lead(paragraph: Any) -> tuple[str, str | None, bool]:
    """The text the paragraph starts with in one format (font, bold), and that format."""
    first = _format(paragraph.runs[0])
    text = ""
    for run in paragraph.runs:
        if _format(run) != first:
            break
        text += run.text
    return text, *first


#: (outline, start of the printed line, its whole text, its style, its lead run or None
#: when the whole line is a heading). A typed sub-heading prints one level below the
#: section that holds the slot, numbered in that level's style.
SUB_HEADINGS = [
    # （一） typed under 二、（一）: a 1. heading.
    ("评价报告", "1.评价对象", "1.评价对象", "Heading 3", None),
    # 1. typed under 四、（一）项目决策: a bold 1. run in at the start of the paragraph.
    (
        "评价报告",
        "1.决策依据",
        "1.决策依据。医保局与财政局共同研究后安排资金。",
        "Normal",
        ("1.决策依据。", "仿宋_GB2312", True),
    ),
    (
        "评价报告",
        "2.资金分配",
        "2.资金分配。按救助任务和人数等因素测算各县区额度。",
        "Normal",
        None,
    ),
    # （1） typed alone under （二）过程管理: a 1. heading.
    ("评价报告", "1.资金管理", "1.资金管理", "Heading 3", None),
    # （一） typed under 一、（一）项目总体情况: a bold 1. lead.
    (
        "评价报告",
        "1.政策依据",
        "1.政策依据。依照国家和省里的城乡医疗救助基金管理办法安排资金。",
        "Normal",
        ("1.政策依据。", "仿宋_GB2312", True),
    ),
    # 1. typed under 1.项目决策: a （1） lead in the body's weight.
    (
        "转移支付",
        "（1）决策依据",
        "（1）决策依据。医保局与财政局共同研究后安排资金。",
        "Normal",
        ("（1）决策依据。", "仿宋_GB2312", False),
    ),
    ("转移支付", "（1）资金管理", "（1）资金管理", "Normal", None),
    # （一） typed under 一、绩效目标分解下达情况: a 楷体 （一） lead.
    (
        "转移支付",
        "（一）政策依据",
        "（一）政策依据。依照国家和省里的城乡医疗救助基金管理办法安排资金。",
        "Normal",
        ("（一）政策依据。", "楷体_GB2312", False),
    ),
    # The number typed is kept: 资金安排 continues the （一） typed in 项目概况.
    (
        "评价报告",
        "2.资金下达",
        "2.资金下达。省里收到中央资金后，30日内下达到各县区。",
        "Normal",
        ("2.资金下达。", "仿宋_GB2312", True),
    ),
    (
        "转移支付",
        "（二）资金下达",
        "（二）资金下达。省里收到中央资金后，30日内下达到各县区。",
        "Normal",
        ("（二）资金下达。", "楷体_GB2312", False),
    ),
    (
        "项目支出",
        "（1）决策依据",
        "（1）决策依据。医保局与财政局共同研究后安排资金。",
        "Normal",
        ("（1）决策依据。", "仿宋_GB2312", False),
    ),
]


@pytest.mark.parametrize(("outline", "start", "text", "style", "lead"), SUB_HEADINGS)
def test_typed_sub_headings_continue_the_level_of_their_section(
    tmp_path: Path,
    outline: str,
    start: str,
    text: str,
    style: str,
    lead: tuple[str, str | None, bool] | None,
) -> None:
    paragraphs = _body(_report(_input(tmp_path, outline)))
    (found,) = [p for p in paragraphs if p.text.startswith(start)]
    assert (found.text, found.style.name) == (text, style)
    if lead is not None:
        assert _lead(found) == lead
        assert not found.runs[-1].bold  # the run-in text is body text


# ------------------------------------------------------------------ empty slots


def _headings_with_nothing_under(paragraphs: list[Any]) -> list[str]:
    """Headings followed directly by a heading of the same or a higher level."""
    return [
        p.text
        for p, after in zip(paragraphs, [*paragraphs[1:], None], strict=True)
        if _level(p) and (after is None or 0 < _level(after) <= _level(p))
    ]


@pytest.mark.parametrize("outline", OUTLINES)
def test_empty_new_slots_leave_no_heading_and_no_marker(tmp_path: Path, outline: str) -> None:
    paragraphs = _body(_report(_input(tmp_path, outline, *_without(*NEW_SLOTS))))
    text = "\n".join(p.text for p in paragraphs)
    assert _headings_with_nothing_under(paragraphs) == []
    assert "项目决策" not in text and "过程管理" not in text
    assert MARKER_HEAD not in text


def test_empty_evaluation_sections_state_only_the_input_and_the_rule_set(tmp_path: Path) -> None:
    path = _input(tmp_path, "评价报告", *_without(*EVALUATION_ONLY))
    paragraphs = _body(_report(path))
    fund = validated(path).funds[0]
    weights: dict[str, Decimal] = defaultdict(Decimal)
    for indicator in fund.indicators:
        weights[indicator.level1] += indicator.weight or Decimal(0)
    listed = "、".join(f"{name}（{format_score(w)}分）" for name, w in weights.items())
    bands = grade_bands(load_rule_set("国家", [TEMPLATES]))

    def under(heading: str) -> str:
        index = next(i for i, p in enumerate(paragraphs) if p.text == heading)
        return str(paragraphs[index + 1].text)

    scope = under("（一）评价目的、对象和范围")
    assert "2021年度" in scope and f"{len(fund.indicators)}项绩效指标" in scope
    assert bands in under("（二）评价方法和评价等次")
    assert f"{listed}，合计{format_score(sum(weights.values(), Decimal(0)))}分" in under(
        "（三）指标体系设置"
    )
    assert sum(p.text.count(bands) for p in paragraphs) == 1


def test_written_evaluation_sections_replace_the_generated_sentences(tmp_path: Path) -> None:
    paragraphs = _body(_report(_input(tmp_path, "评价报告")))
    text = "\n".join(p.text for p in paragraphs)
    assert "本次自评的对象为" not in text and "个一级指标：" not in text
    # The bands the method section would have stated are said once, after the score.
    bands = grade_bands(load_rule_set("国家", [TEMPLATES]))
    (said,) = [p for p in paragraphs if bands in p.text]
    assert _heading_above(paragraphs, said.text, 2) == "（一）评价得分"


def test_a_section_left_out_keeps_the_numbering_consecutive(tmp_path: Path) -> None:
    """A province's 措辞.yaml may empty a section: the next ones move up a number."""
    templates = tmp_path / "模板"
    templates.mkdir()
    wording = (TEMPLATES / "措辞.yaml").read_text(encoding="utf-8")
    (templates / "措辞.yaml").write_text(
        edited(wording, ("缺省叙述:\n", '缺省叙述:\n  指标体系: ""\n')), encoding="utf-8"
    )
    path = _input(tmp_path, "评价报告", *_without("指标体系"))
    paragraphs = _body(_report(path, templates))
    start = next(i for i, p in enumerate(paragraphs) if p.text == "二、绩效评价工作开展情况")
    end = next(i for i, p in enumerate(paragraphs) if p.text == "三、绩效评价结论")
    assert [p.text for p in paragraphs[start:end] if _level(p) == 2] == [
        "（一）评价目的、对象和范围",
        "（二）评价方法和评价等次",
        "（三）评价工作过程",
    ]


# ------------------------------------------------------------------ a group with indicators

#: 项目决策 indicators (10 points taken from 数量指标), so the group has its own analysis.
DECISION_INDICATORS = (
    (
        "名称: 医疗救助总人次, 分值: 40,",
        "名称: 医疗救助总人次, 分值: 30,",
    ),
    (
        "      - {一级: 产出指标, 二级: 质量指标",
        "      - {一级: 项目决策, 二级: 决策依据, 名称: 政策依据充分性, 分值: 5,"
        " 指标值: 依据充分, 评级: 达成}\n"
        "      - {一级: 项目决策, 二级: 资金分配, 名称: 资金分配合理性, 分值: 5,"
        " 指标值: 因素法分配, 评级: 达成}\n"
        "      - {一级: 产出指标, 二级: 质量指标",
    ),
)
PLAIN_DECISION = (
    "        1.决策依据。医保局与财政局共同研究后安排资金。\n"
    "        2.资金分配。按救助任务和人数等因素测算各县区额度。\n",
    "        项目决策各项均按省里的管理办法执行。\n",
)


def _group(paragraphs: list[Any], heading: str) -> list[Any]:
    """The paragraphs of the analysis group whose heading holds ``heading``."""
    start = next(i for i, p in enumerate(paragraphs) if _level(p) == 2 and heading in p.text)
    end = next(i for i in range(start + 1, len(paragraphs)) if 0 < _level(paragraphs[i]) <= 2)
    return paragraphs[start + 1 : end]


def test_plain_group_text_leads_the_indicator_analysis_with_its_headings(tmp_path: Path) -> None:
    path = _input(tmp_path, "评价报告", *DECISION_INDICATORS, PLAIN_DECISION)
    group = _group(_body(_report(path)), "项目决策（分值10分")
    assert group[0].text == "项目决策各项均按省里的管理办法执行。"
    assert [p.text for p in group if _level(p) == 3] == ["1.决策依据", "2.资金分配"]


def test_group_text_with_sub_headings_is_not_numbered_twice(tmp_path: Path) -> None:
    path = _input(tmp_path, "评价报告", *DECISION_INDICATORS)
    group = _group(_body(_report(path)), "项目决策（分值10分")
    numbered = [p.text.split("。")[0] for p in group if p.text[:1].isdigit()]
    assert numbered == ["1.决策依据", "2.资金分配"]  # the user's, not the 二级 groups' again
    # The indicators' results still follow, in one paragraph.
    assert "政策依据充分性" in group[-1].text and "资金分配合理性" in group[-1].text
    assert all(_level(p) == 0 for p in group)
