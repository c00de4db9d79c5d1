"""City inputs rolled up from county inputs: totals first, then the score."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.core.markers import CONDENSE_MARK
from generator.core.money import convert_amount
from generator.errors import InputError
from generator.pipeline import check_file

from .conftest import FIXTURES, write_input

COUNTIES = sorted((FIXTURES / "rollup").glob("*.yaml"))
CITY = "示例市医疗保障局"


@pytest.fixture
def city(run_cli, tmp_path: Path) -> Path:
    output = tmp_path / "city.yaml"
    code, out, err = run_cli("rollup", *map(str, COUNTIES), "--unit", CITY, "-o", str(output))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"已写入 {output}（汇总 3 个输入）。"
    return output


def fund_of(path: Path) -> Any:
    return check_file(path).result.funds[0]


def indicator(path: Path, name: str) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(i for i in data["项目"][0]["指标"] if i["名称"] == name)


def test_the_city_input_is_valid_and_generates(run_cli, city: Path, tmp_path: Path) -> None:
    checked = check_file(city)
    assert checked.result.model.report.unit == CITY
    code, _, err = run_cli(str(city), "-o", str(tmp_path / "out"))
    assert (code, err) == (0, "")


@pytest.mark.parametrize("field", ["budget", "received", "spent"])
def test_city_money_is_the_sum_of_county_money_by_source(city: Path, field: str) -> None:
    expected: dict[str, Decimal] = {}
    for path in COUNTIES:
        checked = check_file(path)
        unit = checked.result.model.report.money_unit
        for row in checked.result.funds[0].money.rows:
            value = getattr(row, field)
            if value is None:  # 到位数 defaults to 预算数
                value = row.budget
            expected[row.source] = expected.get(row.source, Decimal(0)) + convert_amount(
                value, unit, "万元"
            )
    city_fund = fund_of(city)
    got = {}
    for row in city_fund.money.rows:
        value = getattr(row, field)
        got[row.source] = row.budget if value is None else value
    assert got == expected
    total = {
        "budget": city_fund.money.budget,
        "received": city_fund.money.received,
        "spent": city_fund.money.spent,
    }[field]
    assert total == sum(expected.values(), Decimal(0))


def test_absolute_actuals_and_targets_are_summed(city: Path) -> None:
    item = indicator(city, "医疗救助人次")
    assert (item["指标值"], item["完成值"]) == ("≥68000人次", "84333人次")  # 40000+20000+8000


@pytest.mark.parametrize(
    ("name", "actual"),
    [
        # budgets (万元): 丙 450, 乙 650 (6500000 元), 甲 1200; Σ 2300
        # (450×100 + 650×98 + 1200×100) / 2300 = 228700 / 2300 = 99.4347… → 99.43
        ("资助参保覆盖率", "99.43%"),
        # (450×94.5 + 650×92 + 1200×96) / 2300 = 217525 / 2300 = 94.5760… → 94.58
        ("救助对象满意度", "94.58%"),
    ],
)
def test_rates_are_averaged_weighted_by_fund_size(city: Path, name: str, actual: str) -> None:
    item = indicator(city, name)
    assert item["完成值"] == actual
    assert item["指标值"] in ("100%", "≥90%")


def test_an_unmet_city_rate_carries_the_county_reason(city: Path) -> None:
    assert (
        indicator(city, "资助参保覆盖率")["偏差原因"]
        == "乙县医疗保障局：两名新增对象次月才完成参保。"
    )


def test_budget_execution_is_computed_from_the_city_money(city: Path) -> None:
    assert indicator(city, "预算执行率")["完成值"] == "自动"
    values = check_file(city).contexts[0].values
    assert values["执行率"] == "94.57%"  # (1850+230+50+45) / 2300


def test_qualitative_takes_the_weakest_rating_and_names_the_county(city: Path) -> None:
    item = indicator(city, "就医负担减轻程度")
    assert item["评级"] == "部分达成"
    assert item["偏差原因"] == "乙县医疗保障局评级为“部分达成”：大病患者自付费用仍然偏高。"
    assert item["改进措施"] == "乙县医疗保障局：开展倾斜救助。"
    assert "评级取各县区最弱：乙县医疗保障局为“部分达成”" in city.read_text(encoding="utf-8")


def test_the_score_is_computed_from_the_totals(city: Path) -> None:
    fund = fund_of(city)
    county_scores = {fund_of(p).total for p in COUNTIES}
    assert fund.total == Decimal("93.35")
    assert fund.total not in county_scores


def test_narratives_are_collected_and_marked_for_condensing(city: Path) -> None:
    data = yaml.safe_load(city.read_text(encoding="utf-8"))
    problems = data["项目"][0]["叙述"]["存在问题"].splitlines()
    assert problems == [
        CONDENSE_MARK,
        "乙县医疗保障局：部分大病患者自付费用偏高。",
        "甲县医疗保障局：县级配套资金到位率为98.33%，未全额到位。",
    ]
    assert data["项目"][0]["总体目标"].startswith(CONDENSE_MARK)


def test_county_figures_in_collected_texts_are_not_checked_against_the_city(
    city: Path, tmp_path: Path
) -> None:
    """甲县's 98.33% is its own 到位率; once condensed, a wrong city figure is caught again
    (it names the city's 到位率, so it stops the document)."""
    assert [w.message for w in check_file(city).warnings] == []
    text = city.read_text(encoding="utf-8")
    mark_line = f"{CONDENSE_MARK}\n"
    assert f"存在问题: |-\n        {mark_line}" in text
    condensed = write_input(tmp_path / "condensed.yaml", text, (f"        {mark_line}", ""))
    with pytest.raises(InputError) as raised:
        check_file(condensed)
    messages = [p.message for p in raised.value.problems]
    assert any("“98.33%”与计算所得县级财政到位率 93.33% 不一致" in m for m in messages), messages


def test_the_city_report_gets_a_county_comparison(city: Path) -> None:
    rows = check_file(city).contexts[0].values["县区对比"]
    assert rows == [
        {
            "县区": "丙县医疗保障局",
            "得分": "99.11",
            "等级": "优",
            "执行率": "91.11%",
            "到位率": "100%",
            "预算数": "450",
            "执行数": "410",
        },
        {
            "县区": "乙县医疗保障局",
            "得分": "93.52",
            "等级": "优",
            "执行率": "99.23%",
            "到位率": "100%",
            "预算数": "650",
            "执行数": "645",
        },
        {
            "县区": "甲县医疗保障局",
            "得分": "99.33",
            "等级": "优",
            "执行率": "93.33%",
            "到位率": "98.33%",
            "预算数": "1200",
            "执行数": "1120",
        },
    ]
    assert check_file(COUNTIES[0]).contexts[0].values["县区对比"] == []


def counties_with(tmp_path: Path, name: str, *changes: tuple[str, str]) -> list[Path]:
    """The three counties, with each (old, new) change made in the one called ``name``."""
    return [
        write_input(
            tmp_path / path.name,
            path.read_text(encoding="utf-8"),
            *(changes if path.stem == name else ()),
        )
        for path in COUNTIES
    ]


@pytest.mark.parametrize(
    ("county", "old", "new", "message"),
    [
        ("乙县", "名称: 医疗救助人次", "名称: 救助人次", "指标“产出指标/数量指标/救助人次”在"),
        (
            "乙县",
            "名称: 医疗救助人次",
            "名称: 救助人次",
            "缺少指标“产出指标/数量指标/医疗救助人次”",
        ),
        ("丙县", "类型: 医疗救助", "类型: 能力提升", "类型为“医疗救助”的资金在 丙县医疗保障局"),
        ("甲县", "年度: 2024", "年度: 2023", "年度2023与"),
        (
            "丙县",
            '指标值: "≥8000人次", 完成值: 9100人次',
            '指标值: "≥8000人", 完成值: 9100人',
            "类型或单位不同，无法汇总",
        ),
    ],
    ids=[
        "extra-indicator",
        "missing-indicator",
        "fund-type-missing",
        "different-year",
        "different-target-unit",
    ],
)
def test_mismatches_between_counties_are_clear_errors(
    run_cli, tmp_path: Path, county: str, old: str, new: str, message: str
) -> None:
    paths = counties_with(tmp_path, county, (old, new))
    output = tmp_path / "city.yaml"
    code, _, err = run_cli("rollup", *map(str, paths), "--unit", CITY, "-o", str(output))
    assert code == 1
    assert message in err
    assert err.splitlines()[-1].startswith("共 ")
    assert not output.exists()


def test_mismatch_messages_name_file_and_line(run_cli, tmp_path: Path) -> None:
    paths = counties_with(
        tmp_path,
        "丙县",
        ("名称: 医疗救助人次, 分值: 40", "名称: 医疗救助人次, 分值: 45"),
        ("资助参保覆盖率, 分值: 20", "资助参保覆盖率, 分值: 15"),
    )
    code, _, err = run_cli(
        "rollup", *map(str, paths), "--unit", CITY, "-o", str(tmp_path / "city.yaml")
    )
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{paths[0]}:15: 项目[1].指标[2].分值：指标“产出指标/数量指标/医疗救助人次”"
        f"的分值45与其他县区（{paths[1]}、{paths[2]}）的分值40不同，无法汇总",
        f"{paths[0]}:16: 项目[1].指标[3].分值：指标“产出指标/质量指标/资助参保覆盖率”"
        f"的分值15与其他县区（{paths[1]}、{paths[2]}）的分值20不同，无法汇总",
    ]


def test_an_existing_output_is_never_overwritten_without_force(run_cli, tmp_path: Path) -> None:
    output = tmp_path / "city.yaml"
    output.write_text("# 手工修改过\n", encoding="utf-8")
    code, _, err = run_cli("rollup", *map(str, COUNTIES), "--unit", CITY, "-o", str(output))
    assert code == 1 and "已存在" in err and "--force" in err
    assert output.read_text(encoding="utf-8") == "# 手工修改过\n"
    code, _, _ = run_cli(
        "rollup", *map(str, COUNTIES), "--unit", CITY, "-o", str(output), "--force"
    )
    assert code == 0 and output.read_text(encoding="utf-8").startswith("# 由 genreport rollup")


def test_an_input_is_never_the_output(run_cli, tmp_path: Path) -> None:
    paths = counties_with(tmp_path, "甲县")
    before = paths[0].read_bytes()
    code, _, err = run_cli(
        "rollup", *map(str, paths), "--unit", CITY, "-o", str(paths[0]), "--force"
    )
    assert code == 1 and "输入之一" in err
    assert paths[0].read_bytes() == before


def test_a_bad_county_input_is_reported_with_its_location(run_cli, tmp_path: Path) -> None:
    paths = counties_with(tmp_path, "甲县", ("分值: 40,", "分值: 四十,"))
    code, _, err = run_cli(
        "rollup", *map(str, paths), "--unit", CITY, "-o", str(tmp_path / "city.yaml")
    )
    assert code == 1
    assert err.splitlines()[0] == f"{paths[2]}:14: 项目[1].指标[2].分值：应为数字，实际为“四十”"


def county_table(path: Path) -> list[list[str]] | None:
    """Rows of the report's county comparison table, if it has one."""
    from docx import Document

    for table in Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0] == ["县区", "得分", "等级", "执行率", "到位率"]:
            return rows
    return None


def test_the_city_report_shows_the_county_table_and_county_reports_do_not(
    run_cli, city: Path, tmp_path: Path
) -> None:
    assert run_cli(str(city), "-o", str(tmp_path / "city"))[0] == 0
    assert run_cli(str(COUNTIES[0]), "-o", str(tmp_path / "county"))[0] == 0
    [city_report] = (tmp_path / "city" / "2024").glob("*.docx")
    assert county_table(city_report) == [
        ["县区", "得分", "等级", "执行率", "到位率"],
        ["丙县医疗保障局", "99.11", "优", "91.11%", "100%"],
        ["乙县医疗保障局", "93.52", "优", "99.23%", "100%"],
        ["甲县医疗保障局", "99.33", "优", "93.33%", "98.33%"],
    ]
    [county_report] = (tmp_path / "county" / "2024").glob("*.docx")
    assert county_table(county_report) is None


COUNTY = """报告: {{单位: {unit}, 年度: 2024, 金额单位: 万元}}
项目:
  - 类型: 城乡居民医保
{own_unit}    资金:
      - {{来源: 中央财政, 预算数: {budget}, 清算数: {clearing}, 执行数: {spent}}}
    基金收支: {{收入: {income}, 支出: {spending}, 累计结余: {balance}}}
    总体目标: 目标
    指标:
      - {{一级: 预算执行, 名称: 预算执行率, 分值: 10, 指标值: "≥90%", 完成值: 自动}}
      - {{一级: 满意度指标, 二级: 服务对象满意度指标, 名称: 满意度, 分值: 90, 指标值: "≥90%", 完成值: 95%}}
    叙述: {{资金管理: 专款专用。, 改进措施: 加强监管。, 结果应用: 用于下年预算安排。}}
"""


def test_a_fund_in_its_own_unit_is_converted_exactly_into_the_city_sums(
    run_cli, tmp_path: Path
) -> None:
    """甲县 keeps this fund in 万元, 乙县 in 元 (项目.金额单位): the city adds like with like."""
    first = write_input(
        tmp_path / "甲县.yaml",
        COUNTY.format(
            unit="甲县医疗保障局",
            own_unit="",
            budget=100,
            clearing=-2,
            spent=98,
            income=300,
            spending=240,
            balance=120,
        ),
    )
    second = write_input(
        tmp_path / "乙县.yaml",
        COUNTY.format(
            unit="乙县医疗保障局",
            own_unit="    金额单位: 元\n",
            budget=500000,
            clearing=-10000,
            spent=490000,
            income=1000000,
            spending=800000,
            balance=600000,
        ),
    )
    output = tmp_path / "city.yaml"
    code, _, err = run_cli("rollup", str(first), str(second), "--unit", CITY, "-o", str(output))
    assert (code, err) == (0, "")
    fund = yaml.safe_load(output.read_text(encoding="utf-8"))["项目"][0]
    assert fund["资金"] == [{"来源": "中央财政", "预算数": 150, "清算数": -3, "执行数": 147}]
    assert fund["基金收支"] == {"收入": 400, "支出": 320, "累计结余": 180}
    money = fund_of(output).money
    assert (money.adjusted_budget, money.execution_rate) == (Decimal(147), Decimal(1))


def test_a_county_budget_adjusted_as_a_whole_makes_the_city_adjusted_as_a_whole(
    run_cli, tmp_path: Path
) -> None:
    counties = counties_with(
        tmp_path,
        "甲县",
        (
            "      - {来源: 中央财政, 预算数: 1000, 执行数: 950}\n"
            "      - {来源: 县级财政, 预算数: 200, 到位数: 180, 执行数: 170}\n",
            "      - {来源: 中央财政, 预算数: 1000, 到位数: 980, 执行数: 950}\n"
            "      - {来源: 县级财政, 预算数: 200, 到位数: 180, 执行数: 170}\n"
            "    调整后预算数: 1160\n",
        ),
    )
    output = tmp_path / "city.yaml"
    assert run_cli("rollup", *map(str, counties), "--unit", CITY, "-o", str(output))[0] == 0
    city_input = yaml.safe_load(output.read_text(encoding="utf-8"))
    data, unit = city_input["项目"][0], city_input["报告"]["金额单位"]
    counted = [check_file(path).result.funds[0].money for path in counties]
    assert [m.stated_adjusted for m in counted if m.adjusted_as_a_whole] == [1160]
    expected = sum(convert_amount(m.adjusted_budget, m.unit, unit) for m in counted)
    assert Decimal(str(data["调整后预算数"])) == expected
    assert all("到位数" in row and "调整数" not in row for row in data["资金"])
    money = fund_of(output).money
    assert money.adjusted_as_a_whole
    assert money.received_rate == money.received / money.adjusted_budget
