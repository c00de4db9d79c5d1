"""A budget adjusted for the fund as a whole (项目.调整后预算数), as seed 003 reports it.

攀枝花 2021 states the budget the year closed on (应到位38026万元) and each source's
arrivals, but not how the mid-year cut fell on the sources. The fund's 到位率 and 执行率
are then taken against the adjusted total, each source's share against its own budget
(worded so it is never a second 到位率), the form's 年度资金总额 shows the adjusted
total, and the report reads back through ``genreport import`` to the same input.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from generator.analysis.compute import compute_money
from generator.authoring.convert import to_workbook, to_yaml
from generator.authoring.import_report import import_report
from generator.config.rulesets import load_rule_set
from generator.config.search import template_dirs
from generator.core.money import format_rate
from generator.inputs.models import FundingRow
from generator.pipeline import render_file

from .conftest import FIXTURES, CliResult, assert_refused, docx_texts, edited, validated

RunCli = Callable[..., CliResult]

FIXTURE = FIXTURES / "adjusted_budget" / "调整未分来源.yaml"
TEXT = FIXTURE.read_text(encoding="utf-8")
RULES = load_rule_set("国家", template_dirs())
D = Decimal

#: The same fund with each source's spending, and 预算执行率 taken from it.
EXECUTED = edited(
    TEXT,
    ("到位数: 34307}", "到位数: 34307, 执行数: 34307}"),
    ("到位数: 1055}", "到位数: 1055, 执行数: 1000}"),
    ("到位数: 2664}", "到位数: 2664, 执行数: 2600}"),
    ("名称: 参保人数, 分值: 50", "名称: 参保人数, 分值: 40"),
    (
        "    叙述:",
        "      - {一级: 预算执行, 名称: 预算执行率, 分值: 10, 指标值: ≥90%, 完成值: 自动}\n    叙述:",
    ),
)


def _row(source: str, budget: int, received: int, spent: int | None = None) -> FundingRow:
    data: dict[str, object] = {"来源": source, "预算数": budget, "到位数": received}
    if spent is not None:
        data["执行数"] = spent
    return FundingRow.model_validate(data)


SEED_003 = (
    _row("中央及省级财政", 35524, 34307),
    _row("市级财政", 1000, 1055),
    _row("县级财政", 2385, 2664),
)

#: (case, rows, 调整后预算数, 执行率含上年结转, fund 到位率, fund 执行率, each source's 到位 share)
RATES = [
    (
        "seed 003: the fund against 38026, the sources against their own",
        SEED_003,
        38026,
        True,
        "100%",
        "—",
        ["96.57%", "105.5%", "111.7%"],
    ),
    (
        "spending against the adjusted total",
        (_row("中央财政", 1000, 950, 900), _row("县级财政", 200, 150, 150)),
        1100,
        True,
        "100%",
        "95.45%",  # 1050 ÷ 1100
        ["95%", "75%"],
    ),
    (
        "carry-over left out of 执行率 at its own budget",
        (_row("中央财政", 1000, 950, 900), _row("上年结转", 100, 100, 100)),
        1050,
        False,
        "100%",
        "105.26%",  # 1000 ÷ (1050 − 100)
        ["95%", "100%"],
    ),
]


@pytest.mark.parametrize(
    ("case", "rows", "adjusted", "carryover", "received", "executed", "shares"),
    RATES,
    ids=[r[0] for r in RATES],
)
def test_the_funds_rates_are_taken_against_the_adjusted_total_each_sources_against_its_own(
    case: str,
    rows: tuple[FundingRow, ...],
    adjusted: int,
    carryover: bool,
    received: str,
    executed: str,
    shares: list[str],
) -> None:
    rules = dataclasses.replace(RULES, carryover_in_denominator=carryover)
    money = compute_money(rows, rules, "万元", D(adjusted))
    assert (money.adjusted_budget, money.budget) == (D(adjusted), sum(r.budget for r in rows))
    assert format_rate(money.received_rate) == received
    assert format_rate(money.execution_rate) == executed
    assert [format_rate(s.received_rate) for s in money.sources] == shares
    assert money.adjusted and money.adjusted_as_a_whole


def test_without_the_key_the_sources_sum_as_before() -> None:
    money = compute_money(SEED_003, RULES)
    assert (money.adjusted_budget, format_rate(money.received_rate)) == (D(38909), "97.73%")
    assert not money.adjusted


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-344", "应大于0，实际为“-344”"),
        ("0.0", "应大于0，实际为“0.0”"),
        ("三万八", "应为数字，实际为“三万八”"),
    ],
)
def test_the_adjusted_total_must_be_a_positive_amount(
    run_cli: RunCli, tmp_path: Path, typed: str, message: str
) -> None:
    path = tmp_path / "调整.yaml"
    path.write_text(edited(TEXT, ("调整后预算数: 38026", f"调整后预算数: {typed}")), "utf-8")
    assert_refused(
        run_cli("check", str(path)), f"{path}:16: 项目[1].调整后预算数：{message}", errors=1
    )


def test_every_source_missing_its_arrivals_is_named(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "缺到位数.yaml"
    path.write_text(edited(TEXT, (", 到位数: 34307}", "}"), (", 到位数: 2664}", "}")), "utf-8")
    code, _, err = run_cli("check", str(path))
    assert code == 1
    rule = (
        "到位数：填写了调整后预算数（调整未分来源）时，各来源须填写到位数："
        "调整后预算未分到各来源，本行的到位数无从推定"
    )
    assert err.splitlines()[:2] == [
        f"{path}:13: 项目[1].资金[1].{rule}",
        f"{path}:15: 项目[1].资金[3].{rule}",
    ]


def test_a_workbook_names_the_cell_of_the_adjusted_total(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "调整.xlsx"
    path.write_bytes(to_workbook(FIXTURE))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["资金"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(3, header.index("调整数") + 1, -10)
    workbook.save(path)
    code, _, err = run_cli("check", str(path))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{path} 项目!J2（调整后预算数）：调整后预算数用于调整未分来源的资金，不能与各行的调整数、"
        "清算数同时填写（资金[2]（市级财政）的调整数）；调整已分到各来源时删去调整后预算数，"
        "未分来源时删去各行的调整数、清算数"
    )


# ------------------------------------------------------------------ the report


def _texts(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "输入.yaml"
    path.write_text(text, encoding="utf-8")
    (report,) = [f.data for f in render_file(path).files if f.name.endswith(".docx")]
    return docx_texts(report)


#: (case, input, the money paragraph)
PROSE = [
    (
        "arrivals only",
        TEXT,
        "年中调整预算后应到位38026万元，实际到位38026万元，到位率100%"
        "（其中中央及省级财政到位34307万元，为其调整前预算的96.57%；"
        "市级财政到位1055万元，为其调整前预算的105.5%；"
        "县级财政到位2664万元，为其调整前预算的111.7%）。",
    ),
    (
        "with spending",
        EXECUTED,
        "年中调整预算后应到位38026万元，实际到位38026万元，到位率100%"
        "（其中中央及省级财政到位34307万元，为其调整前预算的96.57%；"
        "市级财政到位1055万元，为其调整前预算的105.5%；"
        "县级财政到位2664万元，为其调整前预算的111.7%）；"
        "全年执行37907万元，执行率99.69%"
        "（其中中央及省级财政执行34307万元，为其调整前预算的96.57%；"
        "市级财政执行1000万元，为其调整前预算的100%；"
        "县级财政执行2600万元，为其调整前预算的109.01%），年末结余119万元。",
    ),
]


@pytest.mark.parametrize(("case", "text", "paragraph"), PROSE, ids=[p[0] for p in PROSE])
def test_the_money_paragraph_says_the_adjustment_and_each_sources_share(
    tmp_path: Path, case: str, text: str, paragraph: str
) -> None:
    texts = _texts(text, tmp_path)
    allocated = (
        "2021年，城乡居民基本医疗保险补助资金下达预算38909万元，"
        "其中中央及省级财政35524万元、市级财政1000万元、县级财政2385万元。"
    )
    assert allocated in texts
    assert paragraph in texts


_RATE = re.compile(r"(到位率|执行率)(?:为|：)?(\d+(?:\.\d+)?%)")


@pytest.mark.parametrize(
    ("case", "text", "rates"),
    [
        ("arrivals only", TEXT, {"到位率": {"100%"}}),
        ("with spending", EXECUTED, {"到位率": {"100%"}, "执行率": {"99.69%"}}),
    ],
    ids=["arrivals only", "with spending"],
)
def test_each_rate_of_the_fund_has_one_value_in_the_whole_report(
    tmp_path: Path, case: str, text: str, rates: dict[str, set[str]]
) -> None:
    found: dict[str, set[str]] = {}
    for kind, value in _RATE.findall("\n".join(_texts(text, tmp_path))):
        found.setdefault(kind, set()).add(value)
    assert found == rates


def _money_rows(text: str, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "输入.yaml"
    path.write_text(text, encoding="utf-8")
    (report,) = [f.data for f in render_file(path).files if f.name.endswith(".docx")]
    rows = []
    for table in docx.Document(io.BytesIO(report)).tables:
        for row in table.rows:
            cells = list(dict.fromkeys(cell.text for cell in row.cells))
            if cells[0].startswith("资金情况") and cells[1] not in ("",):
                rows.append(cells[1:])
    return rows


@pytest.mark.parametrize(
    ("case", "text", "expected"),
    [
        (
            "arrivals only",
            TEXT,
            [
                ["年度资金总额", "38026"],
                ["其中：中央财政资金"],
                ["中央及省级财政", "35524"],
                ["地方资金", "3385"],
                ["其他资金"],
            ],
        ),
        (
            "with spending",
            EXECUTED,
            [
                ["年度资金总额", "38026", "37907", "99.69%"],
                ["其中：中央财政资金"],
                ["中央及省级财政", "35524", "34307", "96.57%"],
                ["地方资金", "3385", "3600", "106.35%"],
                ["其他资金"],
            ],
        ),
    ],
    ids=["arrivals only", "with spending"],
)
def test_the_form_shows_the_adjusted_total_and_each_source_at_its_own_budget(
    tmp_path: Path, case: str, text: str, expected: list[list[str]]
) -> None:
    """A source combining 中央 and 省级 is its own row: the 中央 row would state a figure
    nobody gave; its empty cells are left out of each row as compared here."""
    rows = [[cell for cell in row if cell] for row in _money_rows(text, tmp_path)]
    assert rows == expected


# ------------------------------------------------------------------ round trips


def test_the_key_survives_yaml_to_excel_to_yaml(tmp_path: Path) -> None:
    workbook = tmp_path / "调整.xlsx"
    workbook.write_bytes(to_workbook(FIXTURE))
    back = tmp_path / "调整.yaml"
    back.write_text(to_yaml(workbook), encoding="utf-8")
    assert validated(workbook) == validated(FIXTURE) == validated(back)
    assert validated(back).funds[0].adjusted_budget == D(38026)


@pytest.mark.parametrize(("case", "text"), [("arrivals only", TEXT), ("with spending", EXECUTED)])
def test_a_report_with_the_key_imports_back_to_the_same_input(
    tmp_path: Path, case: str, text: str
) -> None:
    source = tmp_path / "输入.yaml"
    source.write_text(text, encoding="utf-8")
    (name, data), *_ = [(f.name, f.data) for f in render_file(source).files]
    report = tmp_path / name
    report.write_bytes(data)
    imported = tmp_path / "导入.yaml"
    imported.write_text(import_report(report, imported).assembled.text, encoding="utf-8")
    before, after = validated(source).funds[0], validated(imported).funds[0]
    assert after.adjusted_budget == before.adjusted_budget == D(38026)
    assert [(r.source, r.budget, r.received, r.spent) for r in after.funding] == [
        (r.source, r.budget, r.received, r.spent) for r in before.funding
    ]
    (again,) = [f.data for f in render_file(imported).files if f.name.endswith(".docx")]
    assert docx_texts(again) == docx_texts(data)
