"""Per-indicator scoring (domain.md §6) under the national and the linear rule sets."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from types import MappingProxyType

import pytest

from generator.config.rulesets import load_rule_set
from generator.core.money import format_rate
from generator.core.quantities import parse_actual, parse_target
from generator.core.rules import RuleSet, Tier, TierTable
from generator.core.scoring import (
    Score,
    in_band,
    overachieved,
    score_qualitative,
    score_quantitative,
)

from .conftest import TEMPLATES

D = Decimal
RULES: dict[str, RuleSet] = {
    name: load_rule_set(name, [TEMPLATES]) for name in ("国家", "示例省线性")
}


def _score(rules: str, target: str, actual: str, weight: str, *, rate: bool = False) -> Score:
    return score_quantitative(
        parse_target(target), parse_actual(actual), D(weight), RULES[rules], execution_rate=rate
    )


# (rule set, 指标值, 完成值, 分值) → (得分, met, 完成率 as printed)
QUANTITATIVE = [
    # ≥ / > (正向)
    pytest.param(
        "国家",
        "≥40000人次",
        "53733人次",
        "10",
        "10",
        True,
        "134.33%",
        id="ge-met-seed-53733-of-40000-full-marks-uncapped-completion",
    ),
    pytest.param(
        "国家",
        "≥67.5万人",
        "679151人",
        "10",
        "10",
        True,
        "100.61%",
        id="ge-met-seed-679151-of-675000-with-wan",
    ),
    pytest.param(
        "国家",
        "≥3164.77万元",
        "2881.9万元",
        "10",
        "9.11",
        False,
        "91.06%",
        id="ge-unmet-seed-2881.9-of-3164.77-scores-w-times-b-over-a",
    ),
    pytest.param(
        "国家",
        "≥35524人",
        "34307人",
        "10",
        "9.66",
        False,
        "96.57%",
        id="ge-unmet-seed-34307-of-35524",
    ),
    pytest.param("国家", "≥95%", "95%", "5", "5", True, "100%", id="ge-met-exactly-at-target"),
    pytest.param("国家", "≥95%", "90%", "5", "4.74", False, "94.74%", id="ge-unmet-percent"),
    pytest.param("国家", "≥0", "0", "2", "2", True, "100%", id="ge-zero-target-met"),
    pytest.param("国家", ">95%", "96%", "5", "5", True, "101.05%", id="gt-met-when-strictly-above"),
    pytest.param("国家", ">95%", "95%", "5", "5", False, "100%", id="gt-unmet-when-equal"),
    pytest.param("国家", ">95%", "76%", "5", "4", False, "80%", id="gt-unmet-below"),
    # ≤ / < (反向), 比例
    pytest.param("国家", "≤60分钟", "50分钟", "4", "4", True, "100%", id="le-met-below"),
    pytest.param("国家", "≤60分钟", "60分钟", "4", "4", True, "100%", id="le-met-at-target"),
    pytest.param(
        "国家", "≤60分钟", "80分钟", "4", "3", False, "75%", id="le-unmet-proportional-a-over-b"
    ),
    pytest.param(
        "国家", "≤60分钟", "240分钟", "4", "1", False, "25%", id="le-unmet-proportional-far-off"
    ),
    pytest.param("国家", "<5%", "4%", "10", "10", True, "100%", id="lt-met-strictly-below"),
    pytest.param("国家", "<5%", "8%", "10", "6.25", False, "62.5%", id="lt-unmet-proportional"),
    pytest.param("国家", "≤0", "2", "3", "0", False, "0%", id="le-zero-target-missed-scores-zero"),
    pytest.param("国家", "≤0", "0", "3", "3", True, "100%", id="le-zero-target-met"),
    # ≤ / < (反向), 线性
    pytest.param(
        "示例省线性", "≤60分钟", "60分钟", "10", "10", True, "100%", id="linear-le-met-full-marks"
    ),
    pytest.param(
        "示例省线性",
        "≤60分钟",
        "80分钟",
        "10",
        "6.67",
        False,
        "75%",
        id="linear-le-one-third-over-loses-one-third",
    ),
    pytest.param(
        "示例省线性",
        "≤60分钟",
        "90分钟",
        "10",
        "5",
        False,
        "66.67%",
        id="linear-le-half-over-loses-half",
    ),
    pytest.param(
        "示例省线性", "≤60分钟", "120分钟", "10", "0", False, "50%", id="linear-le-zero-at-2a"
    ),
    pytest.param(
        "示例省线性", "≤60分钟", "200分钟", "10", "0", False, "30%", id="linear-le-zero-beyond-2a"
    ),
    pytest.param("示例省线性", "<5%", "6%", "10", "8", False, "83.33%", id="linear-lt-unmet"),
    pytest.param(
        "示例省线性", "≤0", "1", "10", "0", False, "0%", id="linear-le-zero-target-missed"
    ),
    pytest.param(
        "示例省线性",
        "≥95%",
        "90%",
        "5",
        "4.74",
        False,
        "94.74%",
        id="linear-set-leaves-ge-proportional",
    ),
    # = (EQ)
    pytest.param("国家", "0", "0", "5", "5", True, "100%", id="eq-zero-met-when-zero"),
    pytest.param("国家", "0", "3", "5", "0", False, "0%", id="eq-zero-missed-scores-zero"),
    pytest.param("国家", "100%", "100%", "5", "5", True, "100%", id="eq-nonzero-met"),
    pytest.param("国家", "100%", "98%", "5", "4.9", False, "98%", id="eq-nonzero-below-as-ge"),
    pytest.param(
        "国家", "100%", "103%", "5", "5", True, "103%", id="eq-nonzero-above-counts-as-met"
    ),
    pytest.param(
        "国家",
        "40000人次",
        "53733人次",
        "10",
        "10",
        True,
        "134.33%",
        id="eq-without-comparator-as-ge-seed",
    ),
    # ranges
    pytest.param("国家", "6-9个月", "7个月", "6", "6", True, "100%", id="range-met-inside"),
    pytest.param("国家", "6-9个月", "6个月", "6", "6", True, "100%", id="range-met-at-low-end"),
    pytest.param("国家", "6-9个月", "9个月", "6", "6", True, "100%", id="range-met-at-high-end"),
    pytest.param(
        "国家", "6～9个月", "3个月", "6", "3", False, "50%", id="range-below-w-times-b-over-a"
    ),
    pytest.param(
        "国家",
        "6至9个月",
        "12个月",
        "6",
        "4.5",
        False,
        "75%",
        id="range-above-w-times-b-over-b-actual",
    ),
    pytest.param(
        "国家", "6-9个月", "0.1个月", "3", "0.05", False, "1.67%", id="range-seed-002-0.1-months"
    ),
    # half-up rounding of the points
    pytest.param(
        "国家", "≥8", "2.14", "10", "2.68", False, "26.75%", id="score-2.675-rounds-up-to-2.68"
    ),
    pytest.param(
        "国家",
        "≥12",
        "5.35",
        "6",
        "2.68",
        False,
        "44.58%",
        id="score-2.675-via-repeating-quotient-rounds-up",
    ),
    pytest.param(
        "国家", "≥8", "1", "1", "0.13", False, "12.5%", id="score-0.125-rounds-up-to-0.13"
    ),
    pytest.param("国家", "≥3", "2", "1", "0.67", False, "66.67%", id="score-two-thirds-rounds-up"),
    pytest.param("国家", "≥3", "1", "1", "0.33", False, "33.33%", id="score-one-third-rounds-down"),
    # 完成值 far above target: still exactly the weight
    pytest.param(
        "国家",
        "≥1",
        "1000000",
        "7.5",
        "7.5",
        True,
        "100000000%",
        id="huge-overachievement-scores-exactly-the-weight",
    ),
]

# 预算执行率: (指标值, 完成值, 分值) → (得分 = w × min(1, 执行率), met by the target, 完成率)
EXECUTION_RATE = [
    pytest.param(
        "≥90%", "95%", "10", "9.5", True, "105.56%", id="rate-met-still-scores-w-times-rate"
    ),
    pytest.param("100%", "100%", "10", "10", True, "100%", id="rate-100-percent-full-marks"),
    pytest.param("≥90%", "85%", "10", "8.5", False, "94.44%", id="rate-unmet-scores-w-times-rate"),
    pytest.param("≥90%", "112%", "10", "10", True, "124.44%", id="rate-above-100-capped-at-weight"),
    pytest.param("≥90%", "97.25%", "2", "1.95", True, "108.06%", id="rate-1.945-rounds-up"),
    pytest.param("≥90%", "0%", "2", "0", False, "0%", id="rate-zero-scores-zero"),
]


@pytest.mark.parametrize(
    ("rules", "target", "actual", "weight", "points", "met", "completion"), QUANTITATIVE
)
def test_a_quantitative_score_follows_the_rule_set_for_each_target_kind(
    rules: str, target: str, actual: str, weight: str, points: str, met: bool, completion: str
) -> None:
    score = _score(rules, target, actual, weight)
    assert score.value == D(points)
    assert score.met is met
    assert format_rate(score.completion) == completion


@pytest.mark.parametrize(
    ("target", "actual", "weight", "points", "met", "completion"), EXECUTION_RATE
)
def test_execution_rate_indicator_scores_weight_times_rate(
    target: str, actual: str, weight: str, points: str, met: bool, completion: str
) -> None:
    score = _score("国家", target, actual, weight, rate=True)
    assert score.value == D(points)
    assert score.met is met
    assert format_rate(score.completion) == completion


@pytest.mark.parametrize(
    ("rules", "target", "actual", "weight"),
    [pytest.param(*p.values[:4], id=p.id) for p in QUANTITATIVE]
    + [pytest.param("国家", *p.values[:3], id=p.id) for p in EXECUTION_RATE],
)
@pytest.mark.parametrize("rate", [False, True], ids=["as-indicator", "as-execution-rate"])
def test_score_never_exceeds_weight_and_has_two_places(
    rules: str, target: str, actual: str, weight: str, rate: bool
) -> None:
    score = _score(rules, target, actual, weight, rate=rate)
    assert D(0) <= score.value <= D(weight)
    assert score.value == score.value.quantize(D("0.01"))


@pytest.mark.parametrize(
    ("target", "actual", "message"),
    [
        pytest.param("普遍开展", "95%", "定性", id="qualitative-target-has-no-formula"),
        pytest.param("≥40000人次", "53733人", "单位", id="mismatched-units"),
    ],
)
def test_score_quantitative_refuses_what_validation_should_catch(
    target: str, actual: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _score("国家", target, actual, "10")


@pytest.mark.parametrize(
    ("rules", "rating", "weight", "points", "met"),
    [
        pytest.param("国家", "达成", "10", "10", True, id="national-achieved-100-percent"),
        pytest.param("国家", "部分达成", "10", "7", False, id="national-partly-70-percent"),
        pytest.param("国家", "未达成", "10", "3", False, id="national-not-achieved-30-percent"),
        pytest.param(
            "国家", "部分达成", "2.5", "1.75", False, id="national-partly-fractional-weight"
        ),
        pytest.param(
            "国家", "部分达成", "0.15", "0.11", False, id="national-partly-0.105-rounds-up"
        ),
        pytest.param("国家", "未达成", "1.5", "0.45", False, id="national-not-achieved-fractional"),
        pytest.param("示例省线性", "达成", "10", "10", True, id="variant-achieved-100-percent"),
        pytest.param("示例省线性", "部分达成", "10", "6.5", False, id="variant-partly-65-percent"),
        pytest.param(
            "示例省线性", "未达成", "10", "2.5", False, id="variant-not-achieved-25-percent"
        ),
    ],
)
def test_score_qualitative_takes_band_default(
    rules: str, rating: str, weight: str, points: str, met: bool
) -> None:
    assert score_qualitative(rating, D(weight), RULES[rules]) == Score(D(points), met, None)


def test_score_qualitative_rejects_unknown_rating_in_chinese() -> None:
    with pytest.raises(ValueError, match="未知的评级“基本达成”"):
        score_qualitative("基本达成", D(10), RULES["国家"])


@pytest.mark.parametrize(
    ("rules", "rating", "score", "expected"),
    [
        pytest.param("国家", "达成", "10", True, id="achieved-top-inclusive"),
        pytest.param("国家", "达成", "8", True, id="achieved-at-80-percent"),
        pytest.param("国家", "达成", "7.99", False, id="achieved-below-80-percent"),
        pytest.param("国家", "达成", "10.01", False, id="above-weight-never-in-band"),
        pytest.param("国家", "部分达成", "6", True, id="partly-at-60-percent"),
        pytest.param("国家", "部分达成", "7.99", True, id="partly-just-below-80-percent"),
        pytest.param("国家", "部分达成", "8", False, id="partly-excludes-80-percent"),
        pytest.param("国家", "部分达成", "5.99", False, id="partly-below-60-percent"),
        pytest.param("国家", "未达成", "0", True, id="not-achieved-zero"),
        pytest.param("国家", "未达成", "5.99", True, id="not-achieved-below-60-percent"),
        pytest.param("国家", "未达成", "6", False, id="not-achieved-excludes-60-percent"),
        pytest.param("国家", "未达成", "-1", False, id="negative-never-in-band"),
        pytest.param("示例省线性", "部分达成", "5", True, id="variant-partly-from-50-percent"),
        pytest.param("示例省线性", "部分达成", "4.99", False, id="variant-partly-below-50-percent"),
        pytest.param(
            "示例省线性", "未达成", "4.99", True, id="variant-not-achieved-below-50-percent"
        ),
        pytest.param(
            "示例省线性", "未达成", "5", False, id="variant-not-achieved-excludes-50-percent"
        ),
    ],
)
def test_manual_qualitative_score_must_lie_in_band(
    rules: str, rating: str, score: str, expected: bool
) -> None:
    assert in_band(rating, D(score), D(10), RULES[rules]) is expected


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        pytest.param("≥40000人次", "60001人次", True, id="ge-above-1.5-times-flagged"),
        pytest.param("≥40000人次", "60000人次", False, id="ge-exactly-1.5-times-not-flagged"),
        pytest.param("≥40000人次", "53733人次", False, id="ge-seed-134-percent-not-flagged"),
        pytest.param(">10家", "16家", True, id="gt-above-1.5-times-flagged"),
        pytest.param("100次", "151次", True, id="eq-nonzero-treated-as-ge-flagged"),
        pytest.param("0", "5", False, id="eq-zero-never-flagged"),
        pytest.param("≥0", "5", False, id="zero-floor-never-flagged"),
        pytest.param("≤60分钟", "200分钟", False, id="reverse-target-never-flagged"),
        pytest.param("6-9个月", "20个月", False, id="range-never-flagged"),
        pytest.param("普遍开展", "5", False, id="qualitative-never-flagged"),
    ],
)
def test_overachievement_means_above_one_and_a_half_times_a_floor_target(
    target: str, actual: str, expected: bool
) -> None:
    assert overachieved(parse_target(target), parse_actual(actual), RULES["国家"]) is expected


# ------------------------------------------------------------------ tiers


def _tiers(kind: str, below: str, *rows: tuple[int, int]) -> TierTable:
    """A tier table from (完成率 %, 得分比例 %) rows, as a rule file would give it."""
    return TierTable(kind, tuple(Tier(D(t) / 100, D(s) / 100) for t, s in rows), below)


_UPWARD = _tiers("正向", "按比例", (100, 100), (95, 90), (90, 80), (80, 60))

#: Built from values rather than a file, to state each rule of the tier lookup on its own.
TIERED_RULES: dict[str, RuleSet] = {
    "示例省分档": load_rule_set("示例省分档", [TEMPLATES]),
    "分档": replace(
        RULES["国家"],
        kind_tiers=MappingProxyType(
            {
                "正向": _UPWARD,
                "反向": _tiers("反向", "零分", (100, 100), (90, 80)),
                "区间": _tiers("区间", "零分", (100, 100), (90, 50)),
                "执行率": _tiers("执行率", "按比例", (100, 100), (95, 90)),
            }
        ),
        named_tiers=MappingProxyType(
            {
                "重点人群参保率": _tiers("正向", "零分", (100, 100), (98, 50)),
                "结算时长": _tiers("区间", "零分", (100, 100)),
                "预算执行率": _tiers("执行率", "零分", (100, 100), (99, 70)),
            }
        ),
    ),
    "分档线性": replace(
        RULES["示例省线性"],
        kind_tiers=MappingProxyType({"反向": _tiers("反向", "按比例", (100, 100), (90, 80))}),
    ),
}


def _tiered(
    rules: str, target: str, actual: str, weight: str, *, rate: bool = False, name: str = ""
) -> Score:
    return score_quantitative(
        parse_target(target),
        parse_actual(actual),
        D(weight),
        TIERED_RULES[rules],
        execution_rate=rate,
        name=name,
    )


# (rule set, 指标值, 完成值, 分值, 执行率?, 名称) → (得分, table used, position; None below)
TIERED = [
    # The published examples the shipped tiered rule set reproduces.
    pytest.param(
        "示例省分档",
        "≥90%",
        "99%",
        "10",
        True,
        "",
        "9",
        "执行率",
        2,
        id="example-execution-rate-99-percent-scores-9-of-10",
    ),
    pytest.param(
        "示例省分档",
        "≥10000人次",
        "9910人次",
        "15",
        False,
        "",
        "13",
        "正向",
        2,
        id="example-count-at-99.1-percent-scores-13-of-15",
    ),
    pytest.param(
        "示例省分档",
        "10000人次",
        "9910人次",
        "15",
        False,
        "",
        "13",
        "正向",
        2,
        id="example-eq-target-uses-the-upward-tiers",
    ),
    pytest.param(
        "示例省分档",
        "≥10000人次",
        "12000人次",
        "15",
        False,
        "",
        "15",
        "正向",
        1,
        id="example-met-target-full-marks",
    ),
    pytest.param(
        "示例省分档",
        "≥10000人次",
        "8000人次",
        "15",
        False,
        "",
        "8",
        "正向",
        4,
        id="example-whole-points-7.5-rounds-half-up-to-8",
    ),
    pytest.param(
        "示例省分档",
        "≥10000人次",
        "7999人次",
        "15",
        False,
        "",
        "0",
        "正向",
        None,
        id="example-below-last-tier-scores-zero",
    ),
    pytest.param(
        "示例省分档",
        "≥90%",
        "79.99%",
        "10",
        True,
        "",
        "0",
        "执行率",
        None,
        id="example-execution-rate-below-last-tier-scores-zero",
    ),
    pytest.param(
        "示例省分档",
        "≥95%",
        "95%",
        "2.5",
        False,
        "",
        "2.5",
        "正向",
        1,
        id="example-whole-points-never-exceed-a-fractional-weight",
    ),
    # Boundaries: a completion exactly at a threshold is in that tier.
    pytest.param(
        "分档", "≥100", "95", "10", False, "", "9", "正向", 2, id="exactly-at-95-is-the-95-tier"
    ),
    pytest.param(
        "分档", "≥100", "94.99", "10", False, "", "8", "正向", 3, id="just-under-95-is-the-next"
    ),
    pytest.param(
        "分档",
        "≥100000",
        "94999.6",
        "10",
        False,
        "",
        "9",
        "正向",
        2,
        id="completion-printed-as-95-percent-is-in-the-95-tier",
    ),
    pytest.param(
        "分档",
        "≥100000",
        "94994.9",
        "10",
        False,
        "",
        "8",
        "正向",
        3,
        id="completion-printed-as-94.99-percent-is-not",
    ),
    pytest.param(
        "分档", "≥3", "2.85", "10", False, "", "9", "正向", 2, id="exact-quotient-at-a-threshold"
    ),
    pytest.param(
        "分档",
        ">100",
        "100",
        "10",
        False,
        "",
        "10",
        "正向",
        1,
        id="strict-target-reached-but-not-passed-is-the-top-tier",
    ),
    # Below the last tier: proportional when the table says so.
    pytest.param(
        "分档", "≥100", "70", "10", False, "", "7", "正向", None, id="below-last-tier-proportional"
    ),
    pytest.param(
        "分档",
        "≥90%",
        "93%",
        "10",
        True,
        "",
        "9.3",
        "执行率",
        None,
        id="execution-rate-below-last-tier-scores-weight-times-rate",
    ),
    # Reverse targets: completion is A/B.
    pytest.param(
        "分档", "≤60分钟", "60分钟", "10", False, "", "10", "反向", 1, id="reverse-met-full-marks"
    ),
    pytest.param(
        "分档",
        "≤60分钟",
        "66分钟",
        "10",
        False,
        "",
        "8",
        "反向",
        2,
        id="reverse-a-over-b-90.91-percent-second-tier",
    ),
    pytest.param(
        "分档",
        "≤90分钟",
        "100分钟",
        "10",
        False,
        "",
        "8",
        "反向",
        2,
        id="reverse-exactly-90-percent-second-tier",
    ),
    pytest.param(
        "分档",
        "≤60分钟",
        "70分钟",
        "10",
        False,
        "",
        "0",
        "反向",
        None,
        id="reverse-below-last-tier-scores-zero",
    ),
    pytest.param(
        "分档线性",
        "≤60分钟",
        "80分钟",
        "10",
        False,
        "",
        "6.67",
        "反向",
        None,
        id="reverse-below-last-tier-proportional-follows-the-linear-mode",
    ),
    # Ranges: B/a below, b/B above.
    pytest.param(
        "分档", "6-9个月", "5.4个月", "6", False, "", "3", "区间", 2, id="range-below-90-percent"
    ),
    pytest.param(
        "分档", "6-9个月", "10个月", "6", False, "", "3", "区间", 2, id="range-above-b-over-b"
    ),
    # Named indicators override their kind's table when the kinds agree.
    pytest.param(
        "分档",
        "≥100%",
        "99%",
        "10",
        False,
        "重点人群参保率",
        "5",
        "重点人群参保率",
        2,
        id="named-table-overrides-the-kind-table",
    ),
    pytest.param(
        "分档",
        "100%",
        "97%",
        "10",
        False,
        "重点人群参保率",
        "0",
        "重点人群参保率",
        None,
        id="named-upward-table-covers-an-eq-target",
    ),
    pytest.param(
        "分档",
        "≥100%",
        "99%",
        "10",
        False,
        "结算时长",
        "9",
        "正向",
        2,
        id="named-table-of-another-kind-leaves-the-kind-table",
    ),
    pytest.param(
        "分档",
        "≥90%",
        "99%",
        "10",
        True,
        "预算执行率",
        "7",
        "预算执行率",
        2,
        id="named-execution-rate-table",
    ),
]


@pytest.mark.parametrize(
    ("rules", "target", "actual", "weight", "rate", "name", "points", "table", "position"),
    TIERED,
)
def test_a_tiered_score_takes_the_share_of_the_tier_the_completion_reaches(
    rules: str,
    target: str,
    actual: str,
    weight: str,
    rate: bool,
    name: str,
    points: str,
    table: str,
    position: int | None,
) -> None:
    score = _tiered(rules, target, actual, weight, rate=rate, name=name)
    assert score.value == D(points)
    assert score.tier is not None
    assert (score.tier.table, score.tier.named) == (table, table == name)
    assert score.tier.position == position
    assert (score.tier.tier is None) is (position is None)
    assert D(0) <= score.value <= D(weight)


@pytest.mark.parametrize(
    ("target", "actual", "met", "completion"),
    [
        pytest.param("≥10000人次", "9910人次", False, "99.1%", id="unmet-by-its-target"),
        pytest.param("≥10000人次", "12000人次", True, "120%", id="met-by-its-target"),
    ],
)
def test_tiers_change_points_not_whether_the_target_was_met(
    target: str, actual: str, met: bool, completion: str
) -> None:
    tiered = _tiered("示例省分档", target, actual, "15")
    proportional = _score("国家", target, actual, "15")
    assert (tiered.met, tiered.completion) == (proportional.met, proportional.completion)
    assert tiered.met is met
    assert format_rate(tiered.completion) == completion


@pytest.mark.parametrize(
    ("target", "actual", "points"),
    [
        pytest.param("≤60分钟", "80分钟", "11.25", id="reverse-without-a-table"),
        pytest.param("6-9个月", "3个月", "7.5", id="range-without-a-table"),
        pytest.param("0", "3", "0", id="zero-target-all-or-nothing"),
        pytest.param("≥0", "0", "15", id="zero-floor-all-or-nothing"),
    ],
)
def test_kinds_without_tiers_stay_proportional_with_two_places(
    target: str, actual: str, points: str
) -> None:
    score = _tiered("示例省分档", target, actual, "15")
    assert score.value == D(points)
    assert score.tier is None


@pytest.mark.parametrize(
    ("rules", "target", "actual", "weight"),
    [pytest.param(*p.values[:4], id=p.id) for p in QUANTITATIVE],
)
def test_rule_sets_without_tiers_report_no_tier(
    rules: str, target: str, actual: str, weight: str
) -> None:
    assert _score(rules, target, actual, weight).tier is None
