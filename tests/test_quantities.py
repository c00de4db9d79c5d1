"""The 指标值/完成值 grammar: comparators, widths, separators, multipliers, ranges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.core.quantities import (
    Kind,
    Quantity,
    Target,
    classify_target,
    describe_reading,
    parse_actual,
    parse_target,
    units_compatible,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "unit"),
    [
        # comparators, every spelling the contract allows
        pytest.param("≥40000人次", Kind.GE, "40000", None, "人次", id="ge-symbol"),
        pytest.param(">=95%", Kind.GE, "95", None, "%", id="ge-ascii"),
        pytest.param("＞=580元", Kind.GE, "580", None, "元", id="ge-fullwidth-gt-ascii-eq"),
        pytest.param("＞＝９５％", Kind.GE, "95", None, "%", id="ge-all-fullwidth-digits-percent"),
        pytest.param("≧80%", Kind.GE, "80", None, "%", id="ge-variant-symbol"),
        pytest.param(">0", Kind.GT, "0", None, "", id="gt-ascii"),
        pytest.param("＞1次", Kind.GT, "1", None, "次", id="gt-fullwidth"),
        pytest.param("≤60分钟", Kind.LE, "60", None, "分钟", id="le-symbol"),
        pytest.param("<=5%", Kind.LE, "5", None, "%", id="le-ascii"),
        pytest.param("＜=3家", Kind.LE, "3", None, "家", id="le-fullwidth-lt-ascii-eq"),
        pytest.param("<0.5%", Kind.LT, "0.5", None, "%", id="lt-ascii"),
        pytest.param("＜10天", Kind.LT, "10", None, "天", id="lt-fullwidth"),
        pytest.param("=100%", Kind.EQ, "100", None, "%", id="eq-ascii"),
        pytest.param("＝0", Kind.EQ, "0", None, "", id="eq-fullwidth"),
        pytest.param("40000人次", Kind.EQ, "40000", None, "人次", id="no-comparator-means-eq"),
        pytest.param("0", Kind.EQ, "0", None, "", id="bare-zero-is-eq-zero"),
        # numbers
        pytest.param("≥67.5", Kind.GE, "67.5", None, "", id="decimal-number-no-unit"),
        pytest.param("≥1,040,000人", Kind.GE, "1040000", None, "人", id="thousands-separators"),
        pytest.param("≥1，040，000人", Kind.GE, "1040000", None, "人", id="fullwidth-separators"),
        pytest.param("≥-5%", Kind.GE, "-5", None, "%", id="negative-after-comparator"),
        # multipliers
        pytest.param(
            "67.5万人", Kind.EQ, "675000", None, "人", id="wan-multiplies-unit-without-wan"
        ),
        pytest.param("≥2000万元", Kind.GE, "20000000", None, "元", id="wan-yuan-becomes-yuan"),
        pytest.param("≥4.37亿元", Kind.GE, "437000000", None, "元", id="yi-multiplies"),
        pytest.param("≥1.2万人次", Kind.GE, "12000", None, "人次", id="wan-renci"),
        # ranges
        pytest.param("6-9个月", Kind.RANGE, "6", "9", "个月", id="range-hyphen"),
        pytest.param("6～9个月", Kind.RANGE, "6", "9", "个月", id="range-fullwidth-tilde"),
        pytest.param("6~9个月", Kind.RANGE, "6", "9", "个月", id="range-ascii-tilde"),
        pytest.param("6至9个月", Kind.RANGE, "6", "9", "个月", id="range-zhi"),
        pytest.param("6—9个月", Kind.RANGE, "6", "9", "个月", id="range-em-dash"),
        pytest.param("6个月-9个月", Kind.RANGE, "6", "9", "个月", id="range-unit-on-both-ends"),
        pytest.param(
            "1-2万人", Kind.RANGE, "10000", "20000", "人", id="range-multiplier-applies-to-both"
        ),
        pytest.param(
            "1万-2万人", Kind.RANGE, "10000", "20000", "人", id="range-multiplier-each-end"
        ),
        pytest.param("5-5次", Kind.RANGE, "5", "5", "次", id="range-equal-ends"),
        # whitespace
        pytest.param(" ≥ 95 % ", Kind.GE, "95", None, "%", id="stray-spaces-ignored"),
        pytest.param("6 ～ 9 个月", Kind.RANGE, "6", "9", "个月", id="spaces-in-range"),
        pytest.param("≥\u300040000人次", Kind.GE, "40000", None, "人次", id="ideographic-space"),
        # qualitative
        pytest.param("定性", Kind.QUALITATIVE, None, None, "", id="qualitative-keyword"),
        pytest.param("普遍开展", Kind.QUALITATIVE, None, None, "", id="qualitative-text"),
        pytest.param("有效缓解", Kind.QUALITATIVE, None, None, "", id="qualitative-text-2"),
        pytest.param("明显提高", Kind.QUALITATIVE, None, None, "", id="qualitative-text-3"),
        pytest.param("≥上年", Kind.QUALITATIVE, None, None, "", id="comparator-before-words"),
        pytest.param("12月31日前完成", Kind.QUALITATIVE, None, None, "", id="date-like-text"),
        pytest.param("达到95%以上", Kind.QUALITATIVE, None, None, "", id="number-inside-text"),
    ],
)
def test_a_target_reads_as_its_kind_bounds_and_unit(
    text: str, kind: Kind, low: str | None, high: str | None, unit: str
) -> None:
    target = parse_target(text)
    assert target.kind is kind
    assert target.low == (None if low is None else D(low))
    assert target.high == (None if high is None else D(high))
    assert target.unit == unit
    assert target.text == text.strip()


def test_parse_target_values_have_no_exponent_or_trailing_zero() -> None:
    target = parse_target("67.5万人")
    assert str(target.low) == "675000"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("1,04,000人", "千分位", id="misplaced-thousands-separator"),
        pytest.param("≥10,00", "千分位", id="short-thousands-group"),
        pytest.param("9-6个月", "区间下限大于上限", id="range-reversed"),
        pytest.param("9至6个月", "区间下限大于上限", id="range-zhi-reversed"),
        pytest.param("≥6-9个月", "区间前不能有比较符", id="comparator-before-range"),
        pytest.param("6天-9个月", "单位不一致", id="range-ends-with-different-units"),
        pytest.param("≥95.%", "无法识别", id="dangling-decimal-point"),
    ],
)
def test_parse_target_rejects_malformed_numbers_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_target(text)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        pytest.param("53733人次", "53733", "人次", id="count-with-unit"),
        pytest.param("96.57%", "96.57", "%", id="percent"),
        pytest.param("95.02%", "95.02", "%", id="percent-decimal"),
        pytest.param("９５．５％", "95.5", "%", id="fullwidth-percent"),
        pytest.param("53,733", "53733", "", id="thousands-no-unit"),
        pytest.param("67.9151万人", "679151", "人", id="wan-multiplier"),
        pytest.param("2881.9万元", "28819000", "元", id="wan-yuan"),
        pytest.param("4.37亿元", "437000000", "元", id="yi-yuan"),
        pytest.param("0.1个月", "0.1", "个月", id="small-decimal"),
        pytest.param("0", "0", "", id="zero"),
        pytest.param("-3%", "-3", "%", id="negative-growth"),
        pytest.param(" 100 % ", "100", "%", id="spaces-ignored"),
    ],
)
def test_an_actual_reads_as_its_number_and_unit(text: str, value: str, unit: str) -> None:
    assert parse_actual(text) == Quantity(D(value), unit)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("大于九成", id="words-not-number"),
        pytest.param("", id="empty"),
        pytest.param("≥95%", id="comparator-in-actual"),
        pytest.param("6-9个月", id="range-in-actual"),
        pytest.param("1,04,000", id="misplaced-separator"),
        pytest.param("95.%", id="dangling-point"),
        pytest.param("2024年12月", id="date"),
    ],
)
def test_parse_actual_rejects_non_numbers_in_chinese(text: str) -> None:
    with pytest.raises(ValueError, match=r"无法识别|千分位"):
        parse_actual(text)


def test_parse_actual_message_quotes_the_text() -> None:
    with pytest.raises(ValueError, match="无法识别“大于九成”"):
        parse_actual("大于九成")


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        pytest.param("≥40000人次", "53733人次", True, id="same-unit"),
        pytest.param("≥40000人次", "53733", True, id="actual-without-unit"),
        pytest.param("67.5万人", "679151人", True, id="unit-compared-after-multiplier"),
        pytest.param("≥2000万元", "2100万元", True, id="wan-yuan-both-sides"),
        pytest.param("≥40000人次", "53733人", False, id="different-unit"),
        pytest.param("≥95%", "0.96", True, id="percent-target-bare-actual"),
        pytest.param("0", "0人", False, id="target-without-unit-actual-with-unit"),
    ],
)
def test_units_are_compatible_when_equal_or_left_out_by_the_actual(
    target: str, actual: str, expected: bool
) -> None:
    assert units_compatible(parse_target(target), parse_actual(actual)) is expected


def test_target_and_quantity_are_immutable() -> None:
    target = Target("≥1", Kind.GE, D(1), None, "")
    with pytest.raises(AttributeError):
        target.low = D(2)  # type: ignore[misc]
    assert not target.is_qualitative
    assert parse_target("定性").is_qualitative


@pytest.mark.parametrize(
    ("text", "declared", "rated", "measured", "kind"),
    [
        pytest.param("30日内下达", None, True, False, Kind.QUALITATIVE, id="rated-unmeasured"),
        pytest.param("≥95%", None, True, False, Kind.QUALITATIVE, id="rated-numeric-unmeasured"),
        pytest.param("1,00人", None, True, False, Kind.QUALITATIVE, id="rated-malformed-number"),
        pytest.param("30日内下达", None, True, True, Kind.EQ, id="rated-and-measured"),
        pytest.param("30日内下达", None, False, True, Kind.EQ, id="measured"),
        pytest.param("100%", "定性", False, True, Kind.QUALITATIVE, id="declared-qualitative"),
        pytest.param("≤60分钟", "定量", False, True, Kind.LE, id="declared-quantitative"),
        pytest.param("普遍开展", None, False, False, Kind.QUALITATIVE, id="text"),
    ],
)
def test_classify_target_kind_follows_declaration_then_rating_then_text(
    text: str, declared: str | None, rated: bool, measured: bool, kind: Kind
) -> None:
    target = classify_target(text, declared=declared, rated=rated, measured=measured)
    assert (target.kind, target.text) == (kind, text)


def test_classify_target_refuses_words_declared_quantitative() -> None:
    with pytest.raises(ValueError, match="指标类型为“定量”，但指标值“普遍开展”不是数字"):
        classify_target("普遍开展", declared="定量", measured=True)


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("30日内下达", "读作“=30”，单位“日内下达”"),
        ("≥95%", "读作“≥95”，单位“%”"),
        ("≥1.8万人次", "读作“≥18000”，单位“人次”"),
        ("6-9个月", "读作“6～9”，单位“个月”"),
        ("0", "读作“=0”，不带单位"),
        ("有效缓解", "读作定性指标（文字）"),
    ],
)
def test_describe_reading_says_how_a_target_was_read(text: str, reading: str) -> None:
    assert describe_reading(parse_target(text)) == reading
