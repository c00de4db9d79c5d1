"""Import of the 项目支出绩效自评表: three provincial variants become contract YAML, with
a comment on every field the table did not supply."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import validated
from .selfeval_tables import chongqing, national, sichuan

Builder = Callable[[Path], Path]


def run_import(run_cli, tmp_path: Path, build: Builder, *extra: str) -> Path:
    table = build(tmp_path / "自评表.xlsx")
    out = tmp_path / "inputs" / "2024.yaml"
    code, stdout, err = run_cli("import", str(table), "-o", str(out), *extra)
    assert (code, err) == (0, "")
    assert stdout.splitlines()[0].startswith(f"已写入 {out}（")
    return out


def test_national_layout_reads_header_money_goals_and_indicators(run_cli, tmp_path: Path) -> None:
    m = validated(run_import(run_cli, tmp_path, national))
    assert (m.report.unit, m.report.year, m.report.money_unit) == ("示例县医疗保障局", 2024, "万元")
    fund = m.funds[0]
    assert (fund.type, fund.name) == ("医疗救助", "医疗救助补助资金（城乡医疗救助部分）")
    assert fund.initial_budget == Decimal(1500)
    assert [(r.source, r.budget, r.spent) for r in fund.funding] == [
        ("当年财政拨款", Decimal(1580), Decimal("1500.5"))
    ]
    assert fund.goal == "困难群众应助尽助，“一站式”即时结算全覆盖。"
    assert fund.goal_result is not None and fund.goal_result.startswith("全年救助43210人次")
    assert fund.expected_score == Decimal("98.17")
    rows = [
        (i.level1, i.level2, i.name, i.weight, i.target, i.actual, i.rating, i.score)
        for i in fund.indicators
    ]
    assert rows == [
        ("预算执行", None, "预算执行率", 10, "100%", "自动", None, None),
        ("产出指标", "数量指标", "医疗救助对象人次规模", 20, "≥40000人次", "43210人次", None, None),
        ("产出指标", "数量指标", "资助参保人数", 10, "≥8000人", "7736人", None, None),
        ("产出指标", "质量指标", "住院自付费用救助比例", 10, "≥70%", "76.3%", None, None),
        ("产出指标", "时效指标", "“一站式”即时结算覆盖率", 10, "100%", "100%", None, None),
        (
            "效益指标",
            "社会效益指标",
            "困难群众医疗费用负担减轻程度",
            15,
            "有效减轻",
            "有效减轻",
            "达成",
            None,
        ),
        (
            "效益指标",
            "可持续影响指标",
            "对健全医疗保障制度体系的作用",
            15,
            "进一步增强",
            "明显增强",
            "达成",
            Decimal(14),
        ),
        ("满意度指标", "服务对象满意度指标", "救助对象满意度", 10, "≥90%", "96%", None, None),
    ]
    assert fund.indicators[2].deviation == "部分监测对象年中识别，已过缴费期，次年补录。"


def test_sichuan_layout_joins_nature_value_and_unit(run_cli, tmp_path: Path) -> None:
    m = validated(run_import(run_cli, tmp_path, sichuan))
    assert (m.report.unit, m.report.year, m.report.money_unit) == ("示例区医疗保障局", 2024, "万元")
    fund = m.funds[0]
    assert fund.type == "能力提升"
    assert [(i.target, i.actual, i.rating, i.score) for i in fund.indicators] == [
        ("100%", "自动", None, None),
        ("≥1次", "2次", None, None),
        ("≥90%", "99.5%", None, None),
        ("≤60分钟", "30分钟", None, None),
        ("持续提升", "持续提升", "达成", None),
        ("≥90%", "95%", None, None),
    ]


def test_a_consistent_table_becomes_a_valid_input_in_one_command(run_cli, tmp_path: Path) -> None:
    out = run_import(run_cli, tmp_path, sichuan)
    code, stdout, _ = run_cli("check", str(out))
    assert code == 0
    assert stdout.splitlines()[-2] == f"{out}：医疗服务与保障能力提升补助资金 总分 100 分，等级“优”"


def test_chongqing_workbook_gives_one_fund_per_sheet_in_yuan(run_cli, tmp_path: Path) -> None:
    m = validated(run_import(run_cli, tmp_path, chongqing))
    assert m.report.money_unit == "元"
    assert [(f.type, f.name) for f in m.funds] == [
        ("扶贫济困", "扶贫济困医疗费县级配套项目"),
        ("医疗救助", "城乡医疗救助补助资金"),
    ]
    assert m.funds[0].funding[0].spent == Decimal("2603030.56")
    # blank (unmerged) group cells continue the group above
    assert [i.level1 for i in m.funds[0].indicators] == [
        "预算执行",
        "产出指标",
        "产出指标",
        "效益指标",
        "效益指标",
        "满意度指标",
    ]
    unmet = m.funds[1].indicators[1]
    assert (unmet.deviation, unmet.measures) == ("低收入人口动态调整", "加强部门信息共享")
    assert m.funds[0].indicators[2].actual == "100%"  # a 1 formatted as percent


@pytest.mark.parametrize("build", [chongqing], ids=["chongqing"])
def test_what_the_table_lacks_is_a_commented_blank_that_check_points_at(
    run_cli, tmp_path: Path, build: Builder
) -> None:
    out = run_import(run_cli, tmp_path, build)
    text = out.read_text(encoding="utf-8")
    assert "  # 成文日期:  # 表中未提供：落款日期，如 2025-02-20\n" in text
    assert "  # 主送:  # 表中未提供：主送机关\n" in text
    assert "    #   存在问题:  # 表中未提供\n" in text
    assert "        偏差原因:  # 表中未提供：执行率未达100%，须填写偏差原因\n" in text
    assert "表中无到位数：到位数缺省等于预算数" in text
    code, _, err = run_cli("check", str(out))
    assert code == 1
    line = (
        text.splitlines().index("        偏差原因:  # 表中未提供：执行率未达100%，须填写偏差原因")
        + 1
    )
    assert err.splitlines() == [
        f"{out}:{line}: 项目[1].指标[1].偏差原因：未完成目标（指标值“100%”，完成值“自动”），须填写偏差原因",
        "共 1 个错误，未生成任何文件。",
    ]


def test_a_qualitative_score_off_its_default_asks_for_a_reason(run_cli, tmp_path: Path) -> None:
    out = run_import(run_cli, tmp_path, national)
    text = out.read_text(encoding="utf-8")
    assert (
        "        评级: 达成  # 按表中得分14分推定\n        得分: 14\n"
        "        评分说明:  # 表中得分14分与评级“达成”的缺省得分15分不同：请写明理由，或删除“得分”\n"
        in text
    )
    code, _, err = run_cli("check", str(out))
    assert code == 1
    assert err.splitlines()[-1] == "共 2 个错误，未生成任何文件。"


def test_once_completed_the_import_checks_clean(run_cli, tmp_path: Path) -> None:
    out = run_import(run_cli, tmp_path, national)
    text = (
        out.read_text(encoding="utf-8")
        .replace(
            "        偏差原因:  # 表中未提供：执行率未达100%，须填写偏差原因",
            "        偏差原因: 年末部分救助资金次年初结算。",
        )
        .replace(
            "        评分说明:  # 表中得分14分与评级“达成”的缺省得分15分不同：请写明理由，或删除“得分”",
            "        评分说明: 制度衔接仍有短板。",
        )
    )
    out.write_text(text, encoding="utf-8")
    code, stdout, _ = run_cli("check", str(out))
    assert code == 0
    assert f"{out}：医疗救助补助资金（城乡医疗救助部分） 总分 98.17 分，等级“优”" in stdout


def test_a_score_that_differs_from_the_rules_asks_for_a_reason(run_cli, tmp_path: Path) -> None:
    def altered(path: Path) -> Path:
        import openpyxl

        national(path)
        wb = openpyxl.load_workbook(path)
        wb.active["H13"] = 19  # 医疗救助对象人次规模 met its target: the rules give 20
        wb.save(path)
        return path

    text = run_import(run_cli, tmp_path, altered).read_text(encoding="utf-8")
    assert (
        "        得分: 19\n        评分说明:  # 表中得分19分与按规则计算的20分不同：请写明理由，或删除“得分”\n"
        in text
    )


def test_options_fill_what_the_table_cannot_say(run_cli, tmp_path: Path) -> None:
    out = run_import(
        run_cli,
        tmp_path,
        chongqing,
        "--year",
        "2023",
        "--unit",
        "另一县医疗保障局",
        "--type",
        "医疗救助",
    )
    m = validated(out)
    assert (m.report.year, m.report.unit) == (2023, "另一县医疗保障局")
    assert [f.type for f in m.funds] == ["医疗救助", "医疗救助"]


def test_a_workbook_without_a_self_evaluation_table_is_a_clear_error(
    run_cli, tmp_path: Path
) -> None:
    import openpyxl

    path = tmp_path / "别的表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "人员名单"
    wb.save(path)
    code, _, err = run_cli("import", str(path), "-o", str(tmp_path / "x.yaml"))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{path}: 没有找到《项目支出绩效自评表》：工作表中应有“项目名称”和“三级指标”两栏"
    )
    assert not (tmp_path / "x.yaml").exists()
