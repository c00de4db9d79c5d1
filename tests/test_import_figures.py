"""The money of a published report is recovered per source, in the report's unit.

Reports genreport writes give back every money row of their input exactly (as
computed: 到位数 defaults to the adjusted budget); published reports (the seeds) and
our own fixtures in their shapes give the figures their sentences state; the 自评表
confirms sentences or is reported as contradicting them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.authoring.reading.blocks import Found
from generator.authoring.reading.figures import find_money
from generator.authoring.reading.model import MoneyFindings, MoneyRow
from generator.inputs.load import load_input
from generator.inputs.validate import validate_input
from tests.import_blocks import ROOT, fixture_part, rendered, text_parts
from tests.seeds import seed_text

EXAMPLES = (
    ROOT / "inputs" / "2024.yaml",
    ROOT / "inputs" / "examples" / "黄山市-2024.yaml",
    ROOT / "inputs" / "examples" / "丰都县-2021.yaml",
)
FIELDS = ("budget", "initial", "arrived", "spent", "adjustment", "clearing")

Expected = dict[str, dict[str, str]]


def _as_table(found: MoneyFindings) -> Expected:
    return {
        row.source.value: {
            name: str(value.value) for name in FIELDS if (value := getattr(row, name)) is not None
        }
        for row in found.rows
    }


def _arrived(row: MoneyRow) -> Decimal:
    """到位数 as computed: the adjusted budget unless stated."""
    if row.arrived is not None:
        return row.arrived.value
    return sum(
        (part.value for part in (row.budget, row.adjustment, row.clearing) if part is not None),
        Decimal(0),
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_money_row_of_our_own_reports_comes_back_exactly(path: Path) -> None:
    model = validate_input(load_input(path))
    parts = rendered(path)
    assert len(parts) == len(model.funds)
    for fund, part in zip(model.funds, parts, strict=True):
        unit = fund.money_unit or model.report.money_unit
        found = find_money(part, unit)
        assert found.conflicts == []
        assert [r.source.value for r in found.rows] == [r.source for r in fund.funding]
        for row, given in zip(found.rows, fund.funding, strict=True):
            assert row.budget is not None and row.budget.value == given.budget
            assert (row.spent.value if row.spent else None) == given.spent
            assert (row.adjustment.value if row.adjustment else None) == (given.adjustment or None)
            assert (row.clearing.value if row.clearing else None) == (given.clearing or None)
            adjusted = given.budget + (given.adjustment or 0) + (given.clearing or 0)
            assert _arrived(row) == (given.received if given.received is not None else adjusted)
        assert (found.initial.value if found.initial else None) == fund.initial_budget


def test_the_form_makes_the_sentences_figures_sure() -> None:
    """The 自评表 of our 项目支出 report confirms each group's budget and spending."""
    found = find_money(rendered(EXAMPLES[0])[3], "万元")
    assert all(r.budget is not None and r.budget.sure for r in found.rows)
    assert all(r.spent is not None and r.spent.sure for r in found.rows)
    assert found.initial is not None and found.initial.sure and found.initial.value == 300


FIXTURE_CASES: list[tuple[str, str, Expected]] = [
    (
        # 亿元 converted exactly; 同步清算 signed by 实际下达; standards per person skipped.
        "figures_transfer.txt",
        "万元",
        {
            "中央财政": {"budget": "31200", "arrived": "30700", "clearing": "-500"},
            "省级财政": {"budget": "14800"},
            "市县财政": {"budget": "6100"},
        },
    ),
    (
        # Combined levels as written; a distribution to districts is not money received.
        "figures_levels.txt",
        "万元",
        {
            "中央及省级": {"budget": "1820", "arrived": "1820"},
            "市级财政": {"budget": "260", "arrived": "250"},
            "县级财政": {"budget": "415", "arrived": "425"},
            "上年结转": {"budget": "31.5"},
        },
    ),
    (
        "figures_project.txt",
        "元",
        {"县级财政": {"initial": "1200000", "arrived": "1185000.5"}},
    ),
]


@pytest.mark.parametrize(
    ("name", "unit", "expected"), FIXTURE_CASES, ids=[c[0] for c in FIXTURE_CASES]
)
def test_sentences_of_other_reports_give_each_sources_figures(
    name: str, unit: str, expected: Expected
) -> None:
    found = find_money(fixture_part(name), unit)
    assert _as_table(found) == expected
    assert not any(value.sure for row in found.rows for value in _values(row))


def _values(row: MoneyRow) -> list[Found[Decimal]]:
    return [v for name in FIELDS if (v := getattr(row, name)) is not None]


def test_form_and_text_that_disagree_are_both_reported() -> None:
    found = find_money(fixture_part("figures_conflict.txt"), "万元")
    assert _as_table(found) == {
        "中央财政": {"budget": "180", "spent": "170"},
        "上年结转": {"budget": "30", "spent": "30"},
    }
    central = found.rows[0]
    assert central.budget is not None and not central.budget.sure
    assert central.spent is not None and central.spent.sure  # only the form gives it
    assert len(found.conflicts) == 2
    assert "第1个表格第3行为185万元" in found.conflicts[0]
    assert "180万元" in found.conflicts[0]
    assert "215万元" in found.conflicts[1] and "210万元" in found.conflicts[1]


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unit"):
        find_money(fixture_part("figures_project.txt"), "千元")


SEED_CASES: list[tuple[int, tuple[str, ...], int, str, Expected]] = [
    (0, (), 0, "元", {"县级财政": {"initial": "3500000", "arrived": "2603030.56"}}),
    (
        2,
        (),
        0,
        "万元",
        {"各级财政补助": {"budget": "32030.18", "arrived": "32030.18", "spent": "32030.18"}},
    ),
    (
        3,
        ("关于2021年度医疗救助", "关于2021年度医疗服务"),
        0,
        "万元",
        {
            "中央及省级": {"budget": "35524", "arrived": "34307"},
            "市级财政": {"budget": "1000", "arrived": "1055"},
            "县级财政": {"budget": "2385", "arrived": "2664"},
        },
    ),
    (
        3,
        ("关于2021年度医疗救助", "关于2021年度医疗服务"),
        1,
        "万元",
        {
            "中央财政": {"budget": "2155.05"},
            "省级财政": {"budget": "475.8"},
            "市级财政": {"budget": "50"},
            "市级福彩公益金": {"budget": "179"},
        },
    ),
    (
        3,
        ("关于2021年度医疗救助", "关于2021年度医疗服务"),
        2,
        "万元",
        {"中央及省级": {"budget": "121", "spent": "121"}},
    ),
    (
        4,
        ("关于2024年度医疗救助", "黄山市医疗服务与保障能力"),
        0,
        "亿元",
        {
            "中央财政": {"budget": "4.37", "arrived": "4.35", "clearing": "-0.02"},
            "省级财政": {"budget": "2.21"},
            "市县财政": {"budget": "0.96"},
        },
    ),
    (
        4,
        ("关于2024年度医疗救助", "黄山市医疗服务与保障能力"),
        1,
        "万元",
        {
            "中央财政": {"budget": "2023"},
            "省级财政": {"budget": "184"},
            "市级财政": {"budget": "599"},
            "县级财政": {"budget": "6596.92"},
        },
    ),
    (
        4,
        ("关于2024年度医疗救助", "黄山市医疗服务与保障能力"),
        2,
        "万元",
        {"各级财政补助": {"budget": "597"}, "上年结转": {"budget": "54.63"}},
    ),
]


@pytest.mark.parametrize(
    ("seed", "starts", "index", "unit", "expected"),
    SEED_CASES,
    ids=[f"{c[0]:03d}-{c[2]}" for c in SEED_CASES],
)
def test_each_seeds_money_figures(
    seed: int, starts: tuple[str, ...], index: int, unit: str, expected: Expected
) -> None:
    part = text_parts(seed_text(seed), starts)[index]
    assert _as_table(find_money(part, unit)) == expected


def test_a_total_that_is_not_the_sum_of_the_sources_is_a_conflict() -> None:
    """Seed 003's 医疗救助 states a total of 2680.85万元 that its sources do not add up to."""
    part = text_parts(seed_text(3), ("关于2021年度医疗救助", "关于2021年度医疗服务"))[1]
    conflicts = find_money(part, "万元").conflicts
    assert len(conflicts) == 1
    assert "2680.85万元" in conflicts[0] and "2859.85万元" in conflicts[0]
