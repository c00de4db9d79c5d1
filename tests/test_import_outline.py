"""genreport import: the reports of a file, their header, their sections and the basis cited.

Seeds are read when at hand (tests/seeds.py); the fixtures under tests/fixtures/reports/
mirror seeds 002, 003 and 004 in our own words and always run.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from docx import Document
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from generator.authoring.reading.blocks import Paragraph, SourceDocument, Table
from generator.authoring.reading.headings import parse_heading
from generator.authoring.reading.model import Placement, ReportPart
from generator.authoring.reading.outline import place_narrative, policy_documents, split_reports
from generator.config.wording import load_wording
from generator.inputs.load import load_input
from generator.inputs.validate import validate_input
from generator.pipeline import render_file
from tests.conftest import FIXTURES, ROOT, TEMPLATES
from tests.seeds import seed_text

REPORTS = FIXTURES / "reports"


def text_document(text: str, name: str = "report.txt") -> SourceDocument:
    """A plain-text report as the reader gives it: each non-empty line a paragraph."""
    blocks = tuple(
        Paragraph(line, f"第{n}行") for n, line in enumerate(text.splitlines(), 1) if line.strip()
    )
    return SourceDocument(name, blocks)


def word_document(data: bytes) -> SourceDocument:
    """A .docx as paragraphs (with their style names) and tables, in reading order."""
    doc = Document(io.BytesIO(data))
    blocks: list[Paragraph | Table] = []
    for element in doc.element.body.iterchildren():
        if element.tag.endswith("}p"):
            paragraph = WordParagraph(element, doc)
            style = paragraph.style.name if paragraph.style is not None else ""
            blocks.append(Paragraph(paragraph.text, f"第{len(blocks) + 1}段", style))
        elif element.tag.endswith("}tbl"):
            table = WordTable(element, doc)
            rows = tuple(tuple(cell.text for cell in row.cells) for row in table.rows)
            blocks.append(Table(rows, f"第{len(blocks) + 1}段表格"))
    return SourceDocument("volume.docx", tuple(blocks), kind="docx")


# ------------------------------------------------------------------------- headings


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、基本情况", ("一、", "基本情况", 1, "")),
        (
            "三、偏离绩效目标的原因和下一步改进措施",
            ("三、", "偏离绩效目标的原因和下一步改进措施", 1, ""),
        ),
        ("（一）项目总体情况。", ("（一）", "项目总体情况", 2, "")),
        (
            "(二)资金管理情况分析。严格按人数配备资金。",
            ("(二)", "资金管理情况分析", 2, "严格按人数配备资金。"),
        ),
        ("（四）、部门职能职责。", ("（四）", "部门职能职责", 2, "")),
        ("1.决策依据。按部署决策。", ("1.", "决策依据", 3, "按部署决策。")),
        ("1、 绩效目标分解下达情况", ("1、", "绩效目标分解下达情况", 3, "")),
        ("2．主要内容。包括资助参保。", ("2．", "主要内容", 3, "包括资助参保。")),
        ("3. 政策知晓率达到80%。", ("3.", "政策知晓率达到80%", 3, "")),
        ("（1）决策依据", ("（1）", "决策依据", 4, "")),
        (
            "(2)一站式结算覆盖地区。已纳入结算范围。",
            ("(2)", "一站式结算覆盖地区", 4, "已纳入结算范围。"),
        ),
        ("（1）产出指标：", ("（1）", "产出指标", 4, "")),
        # enumerations and sentences are body text
        ("第一，财政配套资金压力很大。", None),
        ("一是持续推进项目决策科学规范。1.决策依据和过程。", None),
        ("1.5万人次的救助目标已经完成。", None),
        ("2021年我县城乡居民医保补助资金预算32030.18万元。", None),
        (
            "1. 贯彻执行医疗保障的法律法规，拟订本县政策措施，并组织实施。",
            None,
        ),
        ("3. 贯彻执行筹资和待遇政策；贯彻推进长期护理保险制度。", None),
        ("8.预算执行率：≥90%；", None),
    ],
)
def test_numbered_headings_have_their_level_number_and_same_line_body(
    line: str, expected: tuple[str, str, int, str] | None
) -> None:
    found = parse_heading(line)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        heading = found.heading
        assert (heading.number, heading.title, heading.level, found.body) == expected


@pytest.mark.parametrize(
    ("line", "style", "level"),
    [
        ("一、基本情况", "Heading 1", 1),
        ("项目资金情况", "Heading 2", 2),  # a styled heading without a number
        ("1.资金到位和执行情况", "Heading 3", 3),
        ("（1）决策依据。经核实达到预期。", "Normal", 4),
    ],
)
def test_word_heading_styles_set_the_level(line: str, style: str, level: int) -> None:
    found = parse_heading(Paragraph(line, "第1段", style))
    assert found is not None and found.heading.level == level


# ------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class Expected:
    """What one report of a file should be read as."""

    fund_type: str
    outline: str
    unit: str
    year: int
    fund_name: str = ""
    recipient: str | None = None
    date: datetime.date | None = None
    money_unit: str | None = None
    routes: dict[str, str] = field(default_factory=dict)
    """Section path → where its own text goes (top and second level)."""
    notes: tuple[str, ...] = ()
    policy: tuple[tuple[str, str | None], ...] = ()


EVALUATION = {
    "一、": "项目概况",
    "一、（一）": "项目概况",
    "二、": "评价工作",
    "二、（一）": "评价目的对象范围",
    "二、（二）": "评价方法和等次",
    "二、（三）": "指标体系",
    "二、（四）": "评价工作",
    "三、（一）": "评价结论",
    "三、（二）": "评价结论",
    "四、（一）": "项目决策",
    "四、（二）": "过程管理",
    "四、（三）": "总体完成",
    "四、（四）": "总体完成",
}
EVALUATION_3 = {**EVALUATION, "一、（二）": "绩效目标", "五、": "存在问题", "六、": "改进措施"}
EVALUATION_3B = {
    **EVALUATION,
    "一、（二）": "项目概况",
    "一、（三）": "绩效目标",
    "五、": "改进措施",
    "六、": "存在问题",
    "七、": "改进措施",
}

SEED_000 = [
    Expected(
        "扶贫济困",
        "项目支出",
        "丰都县医疗保障局",
        2021,
        fund_name="扶贫济困医疗费县级配套项目",
        money_unit="元",
        routes={
            "一、（一）": "项目概况",
            "一、（二）": "资金安排",
            "一、（三）": "绩效目标",
            "一、（四）": "职能职责",
            "二、（一）": "总体完成",
            "二、（二）": "总体完成",
            "二、（三）": "评价结论",
            "三、": "存在问题",
            "三、（一）": "存在问题",
            "四、": "结果应用",
            "五、": "其他",
        },
        notes=("救助对象人数应助尽助", "困难群众医疗费用负担减轻程度"),
        policy=(("关于建立区县扶贫济困医疗基金的指导意见", "渝财社〔2016〕281号"),),
    )
]
SEED_002 = [
    Expected(
        "城乡居民医保",
        "转移支付",
        "桃江县医疗保障局",
        2021,
        fund_name="城乡居民医保补助资金",
        recipient="益阳市医疗保障局",
        date=datetime.date(2022, 2, 9),
        money_unit="万元",
        routes={
            "1、": "资金安排",
            "1、（1）": "资金安排",
            "1、（2）": "绩效目标",
            "二、（一）": "资金安排",
            "二、（二）": "总体完成",
            "二、（三）": "总体完成",
            "三、（一）": "存在问题",
            "三、（二）": "改进措施",
            "四、": "结果应用",
            "五、": "其他",
        },
        policy=(("", "湘医保办发〔2021〕6号"), ("", "益医保办发〔2021〕3号")),
    )
]
SEED_003 = [
    Expected(
        "城乡居民医保",
        "评价报告",
        "攀枝花市医疗保障局",
        2021,
        "城乡居民基本医疗保险补助资金",
        money_unit="万元",
        routes=EVALUATION_3,
    ),
    Expected(
        "医疗救助",
        "评价报告",
        "攀枝花市医疗保障局",
        2021,
        "医疗救助补助资金",
        money_unit="万元",
        routes=EVALUATION_3B,
    ),
    Expected(
        "能力提升",
        "评价报告",
        "攀枝花市医疗保障局",
        2021,
        "医疗服务与保障能力提升补助资金",
        money_unit="万元",
        routes=EVALUATION_3,
    ),
]
SEED_004 = [
    Expected(
        "城乡居民医保",
        "转移支付",
        "黄山市医疗保障局",
        2024,
        "城乡居民基本医疗保险补助资金",
        money_unit="亿元",
        routes={
            "一、": "资金安排",
            "二、(一)": "资金安排",
            "二、(二)": "资金管理",
            "二、(四)": "总体完成",
            "三、": "改进措施",
        },
    ),
    Expected(
        "医疗救助",
        "转移支付",
        "黄山市医疗保障局",
        2024,
        "医疗救助补助资金（城乡医疗救助补助资金部分）",
        money_unit="万元",
        routes={
            "一、": "资金安排",
            "二、(一)": "资金安排",
            "二、(二)": "总体完成",
            "三、": "存在问题",
        },
    ),
    Expected(
        "能力提升",
        "转移支付",
        "黄山市医疗保障局",
        2024,
        "医疗服务与保障能力提升补助资金（医疗保障服务能力提升部分）",
        money_unit="万元",
        routes={
            "一、(一)": "资金安排",
            "一、(二)": "资金安排",
            "一、(三)": "绩效目标",
            "二、(一)": "资金安排",
            "二、(二)": "资金管理",
            "二、(三)": "总体完成",
            "二、(四)": "总体完成",
            "四、": "其他",
        },
        notes=("基本医保参保率", "医保信息系统正常运行率", "医保信息系统运行维护响应时间≤30分钟"),
        policy=(
            (
                "安徽省财政厅 安徽省医疗保障局关于提前下达2024 年医疗服务与保障能力提升补助资金"
                "(医疗保障服务能力建设部分)预算的通知",
                "皖财社〔2023〕1400号",
            ),
            (
                "安徽省财政厅 安徽省医疗保障局关于下达2024年中央财政医疗服务与保障能力提升补助资金"
                "(医疗保障服务能力建设部分)预算的通知",
                "皖财社〔2024〕456号",
            ),
        ),
    ),
]

FIXTURE_评价报告 = [
    Expected(
        "城乡居民医保",
        "评价报告",
        "青岚市医疗保障局",
        2021,
        "城乡居民基本医疗保险补助资金",
        money_unit="万元",
        routes=EVALUATION_3,
    ),
    Expected(
        "医疗救助",
        "评价报告",
        "青岚市医疗保障局",
        2021,
        "医疗救助补助资金",
        money_unit="万元",
        routes=EVALUATION_3B,
    ),
    Expected(
        "能力提升",
        "评价报告",
        "青岚市医疗保障局",
        2021,
        "医疗服务与保障能力提升补助资金",
        money_unit="万元",
        routes=EVALUATION_3,
    ),
]
FIXTURE_转移支付 = [
    Expected(
        "城乡居民医保",
        "转移支付",
        "松原市医疗保障局",
        2024,
        "城乡居民基本医疗保险补助资金",
        money_unit="亿元",
        routes={
            "一、": "资金安排",
            "二、(一)": "资金安排",
            "二、(二)": "资金管理",
            "二、(四)": "总体完成",
            "三、": "改进措施",
        },
    ),
    Expected(
        "医疗救助",
        "转移支付",
        "松原市医疗保障局",
        2024,
        "医疗救助补助资金（城乡医疗救助补助资金部分）",
        money_unit="万元",
        routes={"二、(一)": "资金安排", "二、(二)": "总体完成", "二、(三)": "总体完成"},
    ),
    Expected(
        "能力提升",
        "转移支付",
        "松原市医疗保障局",
        2024,
        "医疗服务与保障能力提升补助资金（医疗保障服务能力提升部分）",
        money_unit="万元",
        routes={
            "一、(一)": "资金安排",
            "一、(二)": "资金安排",
            "一、(三)": "绩效目标",
            "二、(二)": "资金管理",
            "四、": "其他",
        },
        notes=("基本医保参保率", "医保经办服务能力", "医保信息系统正常运行率"),
        policy=(
            (
                "吉林省财政厅 吉林省医疗保障局关于提前下达2024年医疗服务与保障能力提升补助资金预算的通知",
                "吉财社〔2023〕812号",
            ),
        ),
    ),
]
FIXTURE_主送落款 = [
    Expected(
        "城乡居民医保",
        "转移支付",
        "石门县医疗保障局",
        2021,
        "城乡居民医保补助资金",
        recipient="常德市医疗保障局",
        date=datetime.date(2022, 2, 18),
        money_unit="万元",
        routes={
            "1、（1）": "资金安排",
            "1、（2）": "绩效目标",
            "二、（一）": "资金安排",
            "二、（三）": "总体完成",
            "三、（一）": "存在问题",
            "三、（二）": "改进措施",
            "四、": "结果应用",
        },
        policy=(("", "湘医保办发〔2021〕6号"), ("", "常医保办发〔2021〕4号")),
    )
]


def assert_read_as(parts: list[ReportPart], expected: list[Expected]) -> None:
    assert len(parts) == len(expected)
    for part, want in zip(parts, expected, strict=True):
        header = {
            name: getattr(part, name).value if getattr(part, name) else None
            for name in ("fund_type", "outline", "unit", "year", "recipient", "date", "money_unit")
        }
        assert header == {
            "fund_type": want.fund_type,
            "outline": want.outline,
            "unit": want.unit,
            "year": want.year,
            "recipient": want.recipient,
            "date": want.date,
            "money_unit": want.money_unit,
        }, part.title
        if want.fund_name:
            assert part.fund_name is not None and part.fund_name.value == want.fund_name
        placement = place_narrative(part)
        routes = {route.path: route.to for route in placement.routes}
        assert {path: routes.get(path) for path in want.routes} == want.routes, part.title
        assert set(want.notes) <= set(placement.notes), part.title
        policy = [(document.title, document.number) for document in policy_documents(part)]
        assert policy == list(want.policy), part.title


@pytest.mark.parametrize(
    ("seed", "expected"),
    [(0, SEED_000), (2, SEED_002), (3, SEED_003), (4, SEED_004)],
)
def test_seed_reports_are_found_with_their_header_and_sections(
    seed: int, expected: list[Expected]
) -> None:
    assert_read_as(split_reports(text_document(seed_text(seed))), expected)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("outline_评价报告_三项资金.txt", FIXTURE_评价报告),
        ("outline_转移支付_三项资金.txt", FIXTURE_转移支付),
        ("outline_转移支付_主送落款.txt", FIXTURE_主送落款),
    ],
)
def test_volumes_in_our_words_are_found_with_their_header_and_sections(
    fixture: str, expected: list[Expected]
) -> None:
    assert_read_as(split_reports(text_document((REPORTS / fixture).read_text("utf-8"))), expected)


# ------------------------------------------------------------------------- placement


def placed_texts(placement: Placement) -> list[str]:
    found = [f for texts in placement.slots.values() for f in texts]
    found += placement.goals + placement.unplaced + list(placement.notes.values())
    return [f.value for f in found]


@pytest.mark.parametrize("fixture", sorted(p.name for p in REPORTS.glob("outline_*.txt")))
def test_no_sentence_of_a_report_is_dropped(fixture: str) -> None:
    """Every body sentence ends up in a slot, the goals, a note or 待归类."""
    for part in split_reports(text_document((REPORTS / fixture).read_text("utf-8"))):
        placed = "\n".join(placed_texts(place_narrative(part)))
        for section_paragraph in _body_paragraphs(part):
            assert section_paragraph in placed


def _body_paragraphs(part: ReportPart) -> list[str]:
    texts = [p.text.strip() for p in part.preamble]
    stack = list(part.sections)
    while stack:
        section = stack.pop()
        texts += [p.text.strip() for p in section.paragraphs]
        stack += section.children
    return texts


def test_placed_text_says_where_it_came_from_and_keeps_sub_headings_as_lines() -> None:
    text = (REPORTS / "outline_评价报告_三项资金.txt").read_text("utf-8")
    placement = place_narrative(split_reports(text_document(text))[0])
    decision = [(f.value, f.where) for f in placement.slots["项目决策"]]
    assert decision[:2] == [
        ("1.决策依据", "四、（一）1."),
        ("项目按照国家深化医保改革的部署确定，依据充分。", "四、（一）1.第1段"),
    ]
    assert ("评价对象为本市当年的城乡居民医保补助资金。", "二、（一）第1段") in [
        (f.value, f.where) for f in placement.slots["评价目的对象范围"]
    ]


def test_indicator_headings_in_the_analysis_become_notes_keyed_by_their_title() -> None:
    text = (REPORTS / "outline_转移支付_三项资金.txt").read_text("utf-8")
    placement = place_narrative(split_reports(text_document(text))[2])
    note = placement.notes["基本医保参保率"]
    assert note.value == "全市参保人数与常住人口之比达到99.2%。"
    assert note.where == "二、(四)1.(1)"
    # the group heading and its own sentence stay in 总体完成
    overall = [f.value for f in placement.slots["总体完成"]]
    assert "4.服务对象满意度指标" in overall
    assert "参保人员对医保服务的满意度达到90%。" in overall


def test_the_opening_and_unknown_sections_go_to_unplaced() -> None:
    text = "\n".join(
        [
            "甲县2021年度医疗救助补助资金绩效自评报告",
            "按照上级通知要求，我局开展了自评。",
            "一、基本情况",
            "（一）项目总体情况",
            "救助资金用于困难群众。",
            "二、宣传工作亮点",
            "全年开展宣传十场。",
        ]
    )
    placement = place_narrative(split_reports(text_document(text))[0])
    assert [(f.value, f.where) for f in placement.unplaced] == [
        ("按照上级通知要求，我局开展了自评。", "开头第1段"),
        ("二、宣传工作亮点", "二、"),
        ("全年开展宣传十场。", "二、第1段"),
    ]
    assert all(not f.sure for f in placement.unplaced)


def test_marked_paragraphs_of_our_own_report_go_to_their_slot_verbatim() -> None:
    blocks = (
        Paragraph("示例县2024年度医疗救助补助资金绩效自评报告", "第1段", "Title"),
        Paragraph("一、基本情况", "第2段", "Heading 1"),
        Paragraph("（一）项目总体情况", "第3段", "Heading 2"),
        Paragraph("救助资金用于资助困难群众参保。", "第4段", slot="项目概况"),
        Paragraph("2024年全年预算2160万元。", "第5段"),  # generated by the tool
        Paragraph("全年救助19846人次。", "第6段", note_of="医疗救助人次"),
    )
    doc = SourceDocument("own.docx", blocks, kind="docx", made_by_genreport=True)
    placement = place_narrative(split_reports(doc)[0])
    assert {k: [f.value for f in v] for k, v in placement.slots.items()} == {
        "项目概况": ["救助资金用于资助困难群众参保。"]
    }
    assert placement.notes["医疗救助人次"].value == "全年救助19846人次。"
    assert placement.unplaced == []


# ------------------------------------------------------------------------- our own volume


@pytest.fixture(scope="module")
def example_volume() -> tuple[Any, list[ReportPart]]:
    path = ROOT / "inputs" / "2024.yaml"
    model = validate_input(load_input(path))
    volume = render_file(path).files[-1]
    return model, split_reports(word_document(volume.data))


def test_a_volume_genreport_wrote_is_read_back_fund_by_fund(
    example_volume: tuple[Any, list[ReportPart]],
) -> None:
    model, parts = example_volume
    wording = load_wording([TEMPLATES])
    assert [part.fund_type.value if part.fund_type else None for part in parts] == [
        fund.type for fund in model.funds
    ]
    report = model.report
    for part, fund in zip(parts, model.funds, strict=True):
        assert part.outline is not None
        assert part.outline.value == (fund.outline or wording.default_outline(fund.type))
        assert part.unit is not None and part.unit.value == report.unit
        assert part.year is not None and part.year.value == report.year
        assert part.recipient is not None and part.recipient.value == report.addressee
        assert part.date is not None and part.date.value == report.date
        assert part.money_unit is not None and part.money_unit.value == report.money_unit
        assert part.fund_name is not None and part.fund_name.value == wording.full_name(fund.type)


def test_the_volume_cover_and_contents_are_not_a_report(
    example_volume: tuple[Any, list[ReportPart]],
) -> None:
    _, parts = example_volume
    assert all("目" not in part.title[:2] for part in parts)
    assert all(part.sections and part.sections[0].heading.number == "一、" for part in parts)
    # the attachment after each 落款 is not text of the last section
    for part in parts:
        last = part.sections[-1]
        assert not any(p.text.startswith("附件") for p in last.paragraphs)
