"""Each fund carries its own 自评表 form, an 附件说明 names it, and the form is also a workbook.

The form follows the fund (domain.md §5): a central transfer payment gets the
transfer-payment form whatever the outline, a department project the 项目支出 form.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from generator.authoring.import_selfeval import import_table
from generator.core.vocabulary import MANAGEMENT_ASPECTS
from generator.pipeline import Rendered, render_file
from generator.render.form_context import title_lines

from .conftest import FIXTURES

INPUT = FIXTURES / "forms" / "评价报告转移支付.yaml"


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    return render_file(INPUT, xlsx=True)


def _report(rendered: Rendered, fund_words: str, suffix: str = ".docx") -> bytes:
    (found,) = [f.data for f in rendered.files if fund_words in f.name and f.name.endswith(suffix)]
    return found


def _rows(data: bytes) -> list[list[str]]:
    """Every table row of a report as its distinct cell texts."""
    document = docx.Document(io.BytesIO(data))
    rows = []
    for table in document.tables:
        for row in table.rows:
            cells: list[object] = []
            texts: list[str] = []
            for cell in row.cells:
                if not cells or cells[-1] != cell:  # a merged cell repeats per grid column
                    cells.append(cell)
                    texts.append(cell.text)
            rows.append(texts)
    return rows


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_a_transfer_payment_in_the_evaluation_outline_carries_the_transfer_form(
    rendered: Rendered,
) -> None:
    rows = _rows(_report(rendered, "医疗救助"))
    labels = [row[0] if row[0] != "资金管理情况" else row[1] for row in rows]
    assert ["转移支付（项目）名称", "医疗救助补助资金（城乡医疗救助部分）"] in rows
    assert ["中央主管部门", "财政部、国家医疗保障局", "地方主管部门", "示例县医疗保障局"] in rows
    aspects = [row[1] for row in rows if row[0] == "资金管理情况" and row[1] in MANAGEMENT_ASPECTS]
    assert aspects == list(MANAGEMENT_ASPECTS)
    assert not any("年初预算数" in cell for row in rows for cell in row)
    assert "分值" not in labels


@pytest.mark.parametrize(
    ("aspect", "situation", "issues"),
    [
        ("分配科学性", "按救助对象人数和上年支出因素分配。", ""),
        ("下达及时性", "收到上级资金后15日内下达。", "县级配套下达偏晚，下年提前安排。"),
        ("使用规范性", "", ""),  # not given: shown empty, never filled in
    ],
)
def test_management_rows_print_what_the_input_says_and_nothing_else(
    rendered: Rendered, aspect: str, situation: str, issues: str
) -> None:
    rows = _rows(_report(rendered, "医疗救助"))
    (row,) = [row for row in rows if row[0] == "资金管理情况" and row[1] == aspect]
    cells = [*row[2:], "", ""][:2] if len(row) > 2 else ["", ""]
    assert [c for c in cells if c] == [c for c in (situation, issues) if c]


def test_lottery_funds_have_their_own_row_between_central_and_local(rendered: Rendered) -> None:
    rows = _rows(_report(rendered, "医疗救助"))
    names = [row[1] for row in rows if row[0].startswith("资金情况")]
    assert names[:5] == [
        "",
        "年度资金总额",
        "其中：中央财政资金",
        "彩票公益金用于医疗救助",
        "地方资金",
    ]
    (lottery,) = [row for row in rows if row[1:2] == ["彩票公益金用于医疗救助"]]
    assert lottery[2:] == ["50", "50", "100%"]


def test_a_department_project_keeps_the_project_expenditure_form(rendered: Rendered) -> None:
    data = _report(rendered, "扶贫济困")
    rows = _rows(data)
    assert not any(row[0] == "资金管理情况" for row in rows)
    assert any(row[:2] == ["主管部门", "示例县医疗保障局"] for row in rows)
    assert "项目支出绩效自评表" in _paragraphs(data)


@pytest.mark.parametrize(
    ("fund", "note"),
    [
        ("医疗救助", "附件：医疗救助补助资金转移支付项目绩效目标自评表"),
        ("扶贫济困", "附件：项目支出绩效自评表"),
    ],
)
def test_the_annex_note_stands_before_the_signature_and_the_annex_page_opens_with_附件(
    rendered: Rendered, fund: str, note: str
) -> None:
    texts = _paragraphs(_report(rendered, fund))
    at = texts.index(note)
    assert "示例县医疗保障局" in texts[at + 1 : at + 4]  # the 落款 follows
    assert texts[texts.index("附件", at) :][0] == "附件"


@pytest.mark.parametrize(
    ("title", "words", "lines"),
    [
        (
            "示例县2024年度医疗救助补助资金（城乡医疗救助部分）绩效自评报告",
            ("示例县",),
            ["示例县2024年度医疗救助补助资金", "（城乡医疗救助部分）绩效自评报告"],
        ),
        (
            "示例县2024年度城乡居民基本医疗保险补助资金绩效自评报告",
            ("示例县",),
            ["示例县2024年度", "城乡居民基本医疗保险补助资金绩效自评报告"],
        ),
        (
            "攀枝花市2024年度医疗服务与保障能力提升补助资金（医疗保障服务能力提升部分）绩效自评报告",
            ("攀枝花市",),
            [
                "攀枝花市2024年度",
                "医疗服务与保障能力提升补助资金",
                "（医疗保障服务能力提升部分）绩效自评报告",
            ],
        ),
        ("示例县2024年度短标题", ("示例县",), ["示例县2024年度短标题"]),
    ],
)
def test_titles_break_between_words_in_balanced_lines(
    title: str, words: tuple[str, ...], lines: list[str]
) -> None:
    assert title_lines(title, words=words) == lines


def test_the_project_form_workbook_imports_back(rendered: Rendered, tmp_path: Path) -> None:
    path = tmp_path / "自评表.xlsx"
    path.write_bytes(_report(rendered, "扶贫济困", ".xlsx"))
    imported = import_table(path)
    assert imported.funds == 1
    for expected in ("类型: 扶贫济困", "救助人次", "≥3000人次", "3412人次", "预算数: 300"):
        assert expected in imported.text


def test_the_transfer_form_workbook_has_the_seven_management_rows_and_an_a4_print_area(
    rendered: Rendered,
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_report(rendered, "医疗救助", ".xlsx")))
    sheet: Any = book.active
    column_b = [sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)]
    assert [v for v in column_b if v in MANAGEMENT_ASPECTS] == list(MANAGEMENT_ASPECTS)
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_area
    assert sheet.merged_cells.ranges


def test_workbooks_are_the_same_bytes_on_every_run(rendered: Rendered) -> None:
    again = render_file(INPUT, xlsx=True)
    workbooks = [f for f in rendered.files if f.name.endswith(".xlsx")]
    assert len(workbooks) == 2
    assert workbooks == [f for f in again.files if f.name.endswith(".xlsx")]
