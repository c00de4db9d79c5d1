"""Money as the seeds account for it: adjusted budgets, per-source rates, fund accounts,
each fund in its own unit, and targets read as the province issued them.

Every figure is exact (Decimal) and rounded half-up only where the report prints it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from generator.analysis.compute import ReportResult, compute_report
from generator.config.rulesets import load_rule_set
from generator.config.search import template_dirs
from generator.config.wording import load_wording
from generator.core.money import HUNDRED, divide, format_rate, round_half_up
from generator.errors import InputError, format_path
from generator.inputs.validate import validate_input
from generator.inputs.yaml_read import load_yaml_text

DIRS = template_dirs()
WORDING = load_wording(DIRS)
RULES = load_rule_set("国家", DIRS)

REST = [
    {"一级": "预算执行", "名称": "预算执行率", "分值": 10, "指标值": "≥90%", "完成值": "自动"},
    {
        "一级": "满意度指标",
        "二级": "服务对象满意度指标",
        "名称": "满意度",
        "分值": 90,
        "指标值": "≥90%",
        "完成值": "95%",
    },
]


def _compute(funding: list[dict[str, object]], **fund: object) -> ReportResult:
    data = {
        "报告": {"单位": "测试市医疗保障局", "年度": 2021, "金额单位": "万元"},
        "项目": [
            {
                "类型": fund.pop("类型", "城乡居民医保"),
                "资金": funding,
                "总体目标": "目标",
                "指标": fund.pop("指标", REST),
                **fund,
            }
        ],
    }
    loaded = load_yaml_text(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    return compute_report(validate_input(loaded), loaded.location, RULES, WORDING)


def _percent(rate: Decimal | None) -> str:
    return format_rate(rate)


#: (case, 资金, 预算合计, 调整后预算合计, 到位合计, 到位率, 执行率)
ADJUSTED = [
    (
        "清算扣回后全部到位（种子004：4.37亿元预算，清算0.02亿元，实际下达4.35亿元）",
        [
            {"来源": "中央财政", "预算数": 43700, "清算数": -200, "到位数": 43500, "执行数": 43500},
            {"来源": "省级财政", "预算数": 22100, "执行数": 22100},
            {"来源": "市县财政", "预算数": 9600, "执行数": 9600},
        ],
        "75400",
        "75200",
        "75200",
        "100%",
        "100%",
    ),
    (
        "未填到位数时到位数为调整后预算数",
        [{"来源": "中央财政", "预算数": 43700, "清算数": -200, "执行数": 43500}],
        "43700",
        "43500",
        "43500",
        "100%",
        "100%",
    ),
    (
        "调减（种子003：调减了344万元）",
        [{"来源": "市级财政", "预算数": 1344, "调整数": -344, "到位数": 1000, "执行数": 990}],
        "1344",
        "1000",
        "1000",
        "100%",
        "99%",
    ),
    (
        "调增与清算同时",
        [
            {
                "来源": "县级财政",
                "预算数": 100,
                "调整数": 20,
                "清算数": 0.5,
                "到位数": 120,
                "执行数": 115,
            }
        ],
        "100",
        "120.5",
        "120",
        "99.59%",
        "95.44%",
    ),
    (
        "没有调整时按预算数（种子001）",
        [
            {"来源": "上级补助", "预算数": 2258, "执行数": 2258},
            {"来源": "彩票公益金", "预算数": 100, "执行数": 100},
            {"来源": "上年结转", "预算数": 806.77, "执行数": 523.9},
        ],
        "3164.77",
        "3164.77",
        "3164.77",
        "100%",
        "91.06%",
    ),
]


@pytest.mark.parametrize(
    ("funding", "budget", "adjusted", "received", "received_rate", "execution_rate"),
    [c[1:] for c in ADJUSTED],
    ids=[c[0] for c in ADJUSTED],
)
def test_rates_are_taken_against_the_budget_after_adjustment_and_clearing(
    funding: list[dict[str, object]],
    budget: str,
    adjusted: str,
    received: str,
    received_rate: str,
    execution_rate: str,
) -> None:
    money = _compute(funding).funds[0].money
    assert (money.budget, money.adjusted_budget, money.received) == (
        Decimal(budget),
        Decimal(adjusted),
        Decimal(received),
    )
    assert (_percent(money.received_rate), _percent(money.execution_rate)) == (
        received_rate,
        execution_rate,
    )


def test_each_source_has_its_own_received_and_spent_and_rates_seed_003() -> None:
    """攀枝花 2021: 34307 / 1055 / 2664 arrived against 35524 / 1000 / 2385."""
    money = (
        _compute(
            [
                {"来源": "中央和省级财政", "预算数": 35524, "到位数": 34307, "执行数": 34307},
                {"来源": "市级财政", "预算数": 1000, "到位数": 1055, "执行数": 1055},
                {"来源": "县级财政", "预算数": 2385, "到位数": 2664, "执行数": 2664},
            ]
        )
        .funds[0]
        .money
    )
    rows = [(s.source, s.received, _percent(s.received_rate)) for s in money.sources]
    assert rows == [
        ("中央和省级财政", Decimal(34307), "96.57%"),
        ("市级财政", Decimal(1055), "105.5%"),
        ("县级财政", Decimal(2664), "111.7%"),
    ]
    assert _percent(money.received_rate) == "97.73%"  # 38026 / 38909: the seed's body figure
    assert [s.source for s in money.sources_with_own_rates()] == [
        "中央和省级财政",
        "市级财政",
        "县级财政",
    ]


#: (source, kind, levels, combines levels)
LEVELS = [
    ("中央财政", "财政", {"中央"}, False),
    ("各级财政补助", "财政", {"各级"}, True),
    ("中央和省级财政", "财政", {"中央", "省级"}, True),
    ("市县财政", "财政", {"市级", "县级"}, True),
    ("市级福彩公益金", "彩票公益金", {"市级"}, False),
    ("中央彩票公益金", "彩票公益金", {"中央"}, False),
    ("上年结转", "上年结转", {"结转"}, False),
]


@pytest.mark.parametrize(("source", "kind", "levels", "combined"), LEVELS)
def test_a_source_is_read_for_its_kind_and_levels(
    source: str, kind: str, levels: set[str], combined: bool
) -> None:
    (row,) = _compute([{"来源": source, "预算数": 10, "执行数": 10}]).funds[0].money.sources
    assert (row.kind, set(row.levels), row.combined_levels) == (kind, levels, combined)


#: (case, 基金收支, 当期结余, 可支付月数 rounded to 2 places)
ACCOUNTS = [
    (
        "种子003：34232 ÷（63329 ÷ 12）",
        {"收入": 63475, "支出": 63329, "累计结余": 34232},
        "146",
        "6.49",
    ),
    ("当期结余照写", {"支出": 60045.63, "当期结余": -120.5, "累计结余": 500}, "-120.5", "0.10"),
    ("收不抵支", {"收入": 100, "支出": 112.5}, "-12.5", None),
    ("支出为0时没有可支付月数", {"支出": 0, "累计结余": 10}, None, None),
]


@pytest.mark.parametrize(
    ("accounts", "balance", "months"), [c[1:] for c in ACCOUNTS], ids=[c[0] for c in ACCOUNTS]
)
def test_fund_accounts_give_the_balance_and_the_months_payable(
    accounts: dict[str, object], balance: str | None, months: str | None
) -> None:
    fund = _compute([{"来源": "中央财政", "预算数": 10, "执行数": 10}], 基金收支=accounts).funds[0]
    assert fund.accounts is not None
    got = fund.accounts.current_balance
    assert got == (None if balance is None else Decimal(balance))
    payable = fund.accounts.months_payable
    assert (None if payable is None else f"{round_half_up(payable):f}") == months


def test_months_payable_is_exact_before_it_is_rounded() -> None:
    fund = _compute(
        [{"来源": "中央财政", "预算数": 10, "执行数": 10}],
        基金收支={"支出": 63329, "累计结余": 34232},
    ).funds[0]
    assert fund.accounts is not None
    assert fund.accounts.months_payable == divide(Decimal(34232 * 12), Decimal(63329))


#: (case, 报告 unit, 项目 unit, the fund's unit)
UNITS = [
    ("项目写了自己的单位（种子004：城乡居民医保以亿元计）", "万元", "亿元", "亿元"),
    ("项目未写时用报告的单位", "元", None, "元"),
]


@pytest.mark.parametrize(
    ("report_unit", "fund_unit", "unit"), [c[1:] for c in UNITS], ids=[c[0] for c in UNITS]
)
def test_each_fund_keeps_its_figures_in_its_own_unit(
    report_unit: str, fund_unit: str | None, unit: str
) -> None:
    extra = {} if fund_unit is None else {"金额单位": fund_unit}
    data = {
        "报告": {"单位": "测试市医疗保障局", "年度": 2024, "金额单位": report_unit},
        "项目": [
            {
                "类型": "城乡居民医保",
                "资金": [{"来源": "中央财政", "预算数": 4.37, "清算数": -0.02, "执行数": 4.35}],
                "总体目标": "目标",
                "指标": REST,
                **extra,
            }
        ],
    }
    loaded = load_yaml_text(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    fund = compute_report(validate_input(loaded), loaded.location, RULES, WORDING).funds[0]
    assert (fund.money_unit, fund.money.unit) == (unit, unit)
    assert fund.money.adjusted_budget == Decimal("4.35")
    assert fund.money.execution_rate is not None
    assert fund.money.execution_rate * HUNDRED == HUNDRED


def _indicator(**fields: object) -> list[dict[str, object]]:
    return [
        {"一级": "项目决策", "二级": "资金分配", "名称": "资金下达及时性", "分值": 10, **fields},
        REST[1],
    ]


#: (case, indicator fields, qualitative, the actual printed beside the rating)
TARGETS = [
    (
        "评级而无完成值的官方文字是定性指标（30日内下达）",
        {"指标值": "30日内下达", "评级": "达成"},
        True,
        None,
    ),
    (
        "定性指标的文字完成值照录",
        {"指标值": "全面覆盖", "评级": "达成", "完成值": "已全面覆盖"},
        True,
        "已全面覆盖",
    ),
    (
        "指标类型写明定性",
        {"指标值": "30日内下达", "指标类型": "定性", "评级": "达成", "完成值": "25日内下达"},
        True,
        "25日内下达",
    ),
    ("数字指标值按完成值计分", {"指标值": "≤30日", "完成值": "25日"}, False, None),
]


@pytest.mark.parametrize(
    ("fields", "qualitative", "stated"), [c[1:] for c in TARGETS], ids=[c[0] for c in TARGETS]
)
def test_targets_are_read_as_issued(
    fields: dict[str, object], qualitative: bool, stated: str | None
) -> None:
    result = _compute([{"来源": "中央财政", "预算数": 10, "执行数": 10}], 指标=_indicator(**fields))
    indicator = result.funds[0].indicators[0]
    assert (indicator.qualitative, indicator.stated_actual) == (qualitative, stated)
    assert indicator.score == Decimal(10)


def test_a_target_read_as_a_number_says_how_it_was_read_and_how_to_say_otherwise() -> None:
    with pytest.raises(InputError) as raised:
        _compute(
            [{"来源": "中央财政", "预算数": 10, "执行数": 10}], 指标=_indicator(指标值="30日内下达")
        )
    (problem,) = raised.value.problems
    assert f"{format_path(problem.location.path)}：{problem.message}" == (
        "项目[1].指标[1].完成值：缺少完成值：指标值“30日内下达”读作“=30”，单位“日内下达”，是定量指标，"
        "须填写完成值（不适用的指标请写“不适用: true”）；如按评级计分（定性指标），请写“指标类型: 定性”"
    )
