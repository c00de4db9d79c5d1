"""Fund-level figures: money totals and rates, totals with 不适用 rescaling, overrides."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from generator.analysis.compute import ReportResult, compute_report
from generator.config.rulesets import load_rule_set
from generator.config.search import template_dirs
from generator.config.wording import load_wording
from generator.errors import InputError
from generator.inputs.validate import validate_input
from generator.inputs.yaml_read import load_yaml_text
from generator.render.context import build_contexts, chinese_numeral

from .conftest import VALID_TEXT

DIRS = template_dirs()
WORDING = load_wording(DIRS)


def _compute(text: str, rule_set: str = "国家") -> tuple[ReportResult, list[dict[str, object]]]:
    loaded = load_yaml_text(text, "t.yaml")
    model = validate_input(loaded)
    rules = load_rule_set(rule_set, DIRS)
    result = compute_report(model, loaded.location, rules, WORDING)
    contexts = build_contexts(result, loaded.location, rules, WORDING)
    return result, [c.values for c in contexts]


def _fund(funding: str, indicators: str, extra: str = "", unit: str = "万元") -> str:
    return f"""
报告: {{单位: 测试市医疗保障局, 年度: 2021, 金额单位: {unit}}}
项目:
  - 类型: 医疗救助
    资金: {funding}
    总体目标: 目标
    指标: {indicators}
{extra}"""


def _one_indicator(weight_rest: int = 90, **fields: object) -> str:
    entry = {"一级": "产出指标", "二级": "数量指标", "名称": "测试指标", "分值": 10, **fields}
    rest = {
        "一级": "满意度指标",
        "二级": "服务对象满意度指标",
        "名称": "满意度",
        "分值": weight_rest,
        "指标值": "≥90%",
        "完成值": "95%",
    }
    return yaml.safe_dump([entry, rest], allow_unicode=True, default_flow_style=True)


SEED_001_FUNDING = (
    "[{来源: 上级补助, 预算数: 2258, 执行数: 2258}, {来源: 彩票公益金, 预算数: 100, 执行数: 100},"
    " {来源: 上年结转, 预算数: 806.77, 执行数: 523.9}]"
)


def test_balance_and_execution_rate_come_from_the_summed_funding_seed_001() -> None:
    """台山 2020: 2358 + 806.77 available, 2881.9 spent → 结余 282.87, 执行率 91.06%."""
    result, (ctx,) = _compute(_fund(SEED_001_FUNDING, _one_indicator(指标值="≥1", 完成值="1")))
    money = result.funds[0].money
    assert money.budget == Decimal("3164.77")
    assert money.spent == Decimal("2881.90")
    assert money.balance == Decimal("282.87")
    assert ctx["执行率"] == "91.06%"
    assert ctx["结余"] == "282.87万元"
    assert ctx["预算合计"] == "3164.77万元"


def test_amounts_in_yuan_keep_their_cents() -> None:
    funding = "[{来源: 县级财政, 预算数: 3500000, 到位数: 2603030.56, 执行数: 2603030.56}]"
    _, (ctx,) = _compute(_fund(funding, _one_indicator(指标值="≥1", 完成值="1"), unit="元"))
    assert ctx["到位合计"] == "2603030.56元"
    assert ctx["到位率"] == "74.37%"


@pytest.mark.parametrize(
    ("fields", "score", "met"),
    [
        ({"指标值": "≥40000人次", "完成值": "53733人次"}, "10", True),
        ({"指标值": "≥8000人", "完成值": "7736人", "偏差原因": "年中识别"}, "9.67", False),
        ({"指标值": "≤15个工作日", "完成值": "9个工作日"}, "10", True),
        ({"指标值": "6-9个月", "完成值": "0.1个月", "偏差原因": "支出增加"}, "0.17", False),
        ({"指标值": "0", "完成值": "0"}, "10", True),
        ({"指标值": "有效减轻", "评级": "部分达成", "偏差原因": "仍有差距"}, "7", False),
        (
            {
                "指标值": "≥95%",
                "完成值": "94%",
                "得分": 9,
                "评分说明": "口径调整",
                "偏差原因": "外出务工",
            },
            "9",
            False,
        ),
    ],
    ids=[
        "正向达成得满分",
        "正向未达成按B/A",
        "反向达成得满分",
        "区间低于下限按B/a",
        "等于零达成",
        "定性部分达成取70%",
        "手工调整得分照录",
    ],
)
def test_indicator_score_and_met_flow_into_the_analysis(
    fields: dict[str, object], score: str, met: bool
) -> None:
    result, (ctx,) = _compute(_fund(SEED_001_FUNDING, _one_indicator(**fields)))
    indicator = result.funds[0].indicators[0]
    assert indicator.met is met
    group = ctx["指标分析"][0]  # type: ignore[index]
    assert group["得分"] == score
    text = "".join(group["二级组"][0]["指标"][0]["段落"])
    if met:
        # A met target reads as met; its full score is left to the table, not restated.
        assert "达到年度指标值" in text
        assert f"得{score}分" not in text
    else:
        # A missed one states the score it earned and why it fell short.
        assert f"得{score}分（分值10分）" in text
        assert str(fields["偏差原因"]) in text


def test_override_is_stated_with_its_reason() -> None:
    fields = {
        "指标值": "≥95%",
        "完成值": "94%",
        "得分": 9,
        "评分说明": "口径调整",
        "偏差原因": "外出务工",
    }
    _, (ctx,) = _compute(_fund(SEED_001_FUNDING, _one_indicator(**fields)))
    text = "".join(ctx["指标分析"][0]["二级组"][0]["指标"][0]["段落"])  # type: ignore[index]
    assert "经复核，测试指标按完成情况计9.89分，核定为9分。口径调整。" in text


def test_not_applicable_indicator_is_left_out_and_the_rest_rescaled_to_100() -> None:
    indicators = _one_indicator(weight_rest=90, 指标值="≥60%", 不适用=True)
    indicators = indicators.replace("完成值: 95%", "完成值: 85.5%, 偏差原因: 样本偏少")
    result, (ctx,) = _compute(_fund(SEED_001_FUNDING, indicators))
    fund = result.funds[0]
    # 90 × 85.5/90 = 85.5 of 90 applicable points → 95 on the 100 scale.
    assert fund.applicable_weight == 90
    assert fund.total == Decimal("95.00")
    assert ctx["折算说明"].startswith("其中“测试指标”本年度不适用")  # type: ignore[union-attr]
    assert ctx["自评表"]["指标行"][0]["完成值"] == "不适用"  # type: ignore[index]


@pytest.mark.parametrize(
    ("fund_type", "scored_in", "indicator_rows"),
    [
        # A central transfer's form keeps 预算执行率 among the indicators.
        ("医疗救助", "指标行", ["预算执行率", "人次"]),
        # The 项目支出 form scores it in the money block instead.
        ("扶贫济困", "资金行", ["人次"]),
    ],
)
def test_auto_actual_takes_the_execution_rate_and_scores_by_it(
    fund_type: str, scored_in: str, indicator_rows: list[str]
) -> None:
    indicators = (
        "[{一级: 预算执行, 名称: 预算执行率, 分值: 10, 指标值: '≥90%', 完成值: 自动},"
        " {一级: 产出指标, 二级: 数量指标, 名称: 人次, 分值: 90, 指标值: '≥1', 完成值: 1}]"
    )
    text = _fund(SEED_001_FUNDING, indicators).replace("类型: 医疗救助", f"类型: {fund_type}")
    result, (ctx,) = _compute(text)
    budget = result.funds[0].indicators[0]
    assert budget.actual_text == "91.06%"
    assert budget.score == Decimal("9.11")  # 10 × 0.9106 (w × min(1, 执行率))
    table = ctx["自评表"]
    row = table[scored_in][0]  # type: ignore[index]
    assert (row["分值"], row["得分"]) == ("10", "9.11")
    assert [r["名称"] for r in table["指标行"]] == indicator_rows  # type: ignore[index]


@pytest.mark.parametrize(
    ("total_fields", "grade"),
    [
        ({"指标值": "≥100", "完成值": "100"}, "优"),
        ({"指标值": "有效", "评级": "未达成", "偏差原因": "未开展"}, "良"),
    ],
)
def test_grade_follows_the_total(total_fields: dict[str, object], grade: str) -> None:
    indicators = yaml.safe_dump(
        [
            {"一级": "产出指标", "二级": "数量指标", "名称": "甲", "分值": 15, **total_fields},
            {
                "一级": "产出指标",
                "二级": "数量指标",
                "名称": "乙",
                "分值": 85,
                "指标值": "≥1",
                "完成值": "1",
            },
        ],
        allow_unicode=True,
        default_flow_style=True,
    )
    result, _ = _compute(_fund(SEED_001_FUNDING, indicators))
    assert result.funds[0].grade == grade


def test_overachievement_is_scored_in_full_and_left_to_the_checks() -> None:
    """Computation only scores; the over-achievement warning lives in generator/checks.py."""
    result, _ = _compute(_fund(SEED_001_FUNDING, _one_indicator(指标值="≥100人", 完成值="151人")))
    assert result.warnings == ()
    assert result.funds[0].indicators[0].met


def test_table_merges_runs_of_equal_groups() -> None:
    _, (ctx,) = _compute(VALID_TEXT)
    rows = ctx["自评表"]["指标行"]  # type: ignore[index]
    # A transfer payment's form keeps 预算执行率 among the indicators (no scored money block).
    assert [(r["一级"], r["一级合并"]) for r in rows] == [
        ("预算执行", ""),
        ("产出指标", "restart"),
        ("产出指标", "continue"),
        ("效益指标", ""),
        ("满意度指标", ""),
    ]
    assert [r["二级合并"] for r in rows] == ["", "", "", "", ""]


def test_errors_from_several_funds_are_collected_together() -> None:
    text = VALID_TEXT
    head, fund = text.split("项目:\n")
    broken = fund.replace("分值: 40,", "分值: 35,")
    with pytest.raises(InputError) as caught:
        _compute(f"{head}项目:\n{broken}{broken}")
    assert [p.location.path for p in caught.value.problems] == [
        ("项目", 0, "指标"),
        ("项目", 1, "指标"),
    ]


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (31, "三十一")]
)
def test_section_numbers_are_written_in_chinese_numerals_up_to_the_thirties(
    n: int, text: str
) -> None:
    assert chinese_numeral(n) == text


def test_the_linear_rule_set_is_selected_by_name() -> None:
    fields = {"指标值": "≤60分钟", "完成值": "90分钟", "偏差原因": "系统故障"}
    national, _ = _compute(_fund(SEED_001_FUNDING, _one_indicator(**fields)))
    linear, _ = _compute(_fund(SEED_001_FUNDING, _one_indicator(**fields)), "示例省线性")
    assert national.funds[0].indicators[0].score == Decimal("6.67")  # 10 × 60/90
    assert linear.funds[0].indicators[0].score == Decimal("5.00")  # 10 × (1 − 30/60)


def test_total_sums_scores_with_execution_rate_scored_proportionally() -> None:
    # 10 × 93.33% + 40 + 20 + 20 + 10 = 99.33
    result, _ = _compute(VALID_TEXT)
    assert result.funds[0].total == Decimal("99.33")


def test_a_qualitative_score_off_its_default_point_is_an_override_that_needs_a_reason() -> None:
    fields = {"指标值": "有效减轻", "评级": "达成", "得分": 9}
    with pytest.raises(InputError) as caught:
        _compute(_fund(SEED_001_FUNDING, _one_indicator(**fields)))
    assert "须写明评分说明" in caught.value.problems[0].message
    result, (ctx,) = _compute(
        _fund(SEED_001_FUNDING, _one_indicator(**fields, 评分说明="个别乡镇宣传不足"))
    )
    assert result.funds[0].indicators[0].overridden
    text = "".join(ctx["指标分析"][0]["二级组"][0]["指标"][0]["段落"])  # type: ignore[index]
    assert "经复核，测试指标按完成情况计10分，核定为9分。个别乡镇宣传不足。" in text


@pytest.mark.parametrize(
    ("source", "row"),
    [
        ("中央财政", "其中：当年财政拨款"),
        ("县级财政", "其中：当年财政拨款"),
        ("彩票公益金", "其中：当年财政拨款"),
        ("上年结转", "上年结转资金"),
        ("社会捐赠", "其他资金"),
        ("其他资金", "其他资金"),
    ],
    ids=lambda v: v,
)
def test_project_table_groups_sources_by_their_words(source: str, row: str) -> None:
    funding = f"[{{来源: {source}, 预算数: 100, 执行数: 100}}]"
    text = _fund(funding, _one_indicator(指标值="≥1", 完成值="1")).replace("医疗救助", "扶贫济困")
    _, (ctx,) = _compute(text)
    rows = {r["名称"]: r["全年预算数"] for r in ctx["自评表"]["资金行"]}  # type: ignore[index]
    assert rows[row] == "100"
