"""Money, rate and score formats: decimal, half-up, trailing zeros dropped."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from generator.core.money import (
    convert_amount,
    format_amount,
    format_date,
    format_number,
    format_rate,
    format_score,
    ratio,
    round_half_up,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        pytest.param("2.675", 2, "2.68", id="2.675-rounds-up-where-float-gives-2.67"),
        pytest.param("0.125", 2, "0.13", id="0.125-rounds-up-not-to-even"),
        pytest.param("1.005", 2, "1.01", id="1.005-rounds-up-where-float-gives-1.00"),
        pytest.param("2.665", 2, "2.67", id="half-up-also-on-odd-neighbour"),
        pytest.param("2.674999", 2, "2.67", id="below-half-rounds-down"),
        pytest.param("-2.675", 2, "-2.68", id="negative-half-rounds-away-from-zero"),
        pytest.param("2.5", 0, "3", id="zero-places-2.5-gives-3-not-bankers-2"),
        pytest.param("134.3325", 2, "134.33", id="seed-completion-percent"),
        pytest.param("7", 2, "7.00", id="integer-gets-two-places"),
    ],
)
def test_round_half_up_rounds_a_half_away_from_zero(value: str, places: int, expected: str) -> None:
    result = round_half_up(D(value), places)
    assert result == D(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        pytest.param("53733", "40000", D("1.343325"), id="seed-003-people-served-exact"),
        pytest.param("10", "4", D("2.5"), id="exact-quotient"),
        pytest.param("5", "0", None, id="zero-denominator-gives-none"),
        pytest.param("0", "0", None, id="zero-over-zero-gives-none"),
        pytest.param("0", "7", D("0"), id="zero-numerator-gives-zero"),
    ],
)
def test_ratio_is_exact_and_none_when_the_denominator_is_zero(
    num: str, den: str, expected: Decimal | None
) -> None:
    assert ratio(D(num), D(den)) == expected


def test_ratio_keeps_full_precision_for_later_rounding() -> None:
    value = ratio(D(1), D(3))
    assert value is not None
    assert str(value).startswith("0.3333333333333333")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2023", "2023", id="integer-plain"),
        pytest.param("236.50", "236.5", id="trailing-zero-stripped"),
        pytest.param("2603030.56", "2603030.56", id="two-places-kept"),
        pytest.param("0", "0", id="zero"),
        pytest.param("0.00", "0", id="zero-with-places"),
        pytest.param("-0.001", "0", id="tiny-negative-is-zero-not-minus-zero"),
        pytest.param("1E+3", "1000", id="no-exponent-form"),
        pytest.param("2000.000", "2000", id="integral-with-zeros-no-exponent"),
        pytest.param("2.675", "2.68", id="rounded-half-up"),
        pytest.param("1.999", "2", id="rounding-carries-into-integer"),
        pytest.param("0.005", "0.01", id="smallest-half-rounds-up"),
        pytest.param("282.87", "282.87", id="seed-001-balance"),
    ],
)
def test_numbers_print_half_up_without_trailing_zeros_or_exponent(
    value: str, expected: str
) -> None:
    assert format_number(D(value)) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        pytest.param("32030.18", "万元", "32030.18万元", id="wan-yuan"),
        pytest.param("2603030.56", "元", "2603030.56元", id="yuan"),
        pytest.param("4.370", "亿元", "4.37亿元", id="yi-yuan-trailing-zero-stripped"),
        pytest.param("2023", "万元", "2023万元", id="integer-amount"),
    ],
)
def test_amounts_print_as_plain_numbers_followed_by_their_unit(
    value: str, unit: str, expected: str
) -> None:
    assert format_amount(D(value), unit) == expected


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [
        pytest.param(ratio(D(53733), D(40000)), "134.33%", id="seed-53733-of-40000"),
        pytest.param(ratio(D(679151), D(675000)), "100.61%", id="seed-679151-of-675000-not-100.62"),
        pytest.param(ratio(D("2881.9"), D("3164.77")), "91.06%", id="seed-2881.9-of-3164.77"),
        pytest.param(ratio(D(34307), D(35524)), "96.57%", id="seed-34307-of-35524-not-96.58"),
        pytest.param(D("1.343325"), "134.33%", id="fraction-to-percent"),
        pytest.param(D(1), "100%", id="one-is-100-percent"),
        pytest.param(D("0.955"), "95.5%", id="trailing-zero-stripped"),
        pytest.param(D("0.00125"), "0.13%", id="half-up-on-percent"),
        pytest.param(D("0.026755"), "2.68%", id="half-up-2.6755-percent"),
        pytest.param(D(0), "0%", id="zero-rate"),
        pytest.param(None, "—", id="missing-rate-is-dash"),
    ],
)
def test_rates_print_as_percent_to_two_places_half_up_or_a_dash(
    fraction: Decimal | None, expected: str
) -> None:
    assert format_rate(fraction) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("95", "95", id="integer-score"),
        pytest.param("97.44", "97.44", id="two-places"),
        pytest.param("9.50", "9.5", id="trailing-zero-stripped"),
        pytest.param("99.995", "100", id="half-up-to-integer"),
    ],
)
def test_scores_print_to_two_places_without_trailing_zeros(value: str, expected: str) -> None:
    assert format_score(D(value)) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(datetime.date(2025, 2, 20), "2025年2月20日", id="no-leading-zero-month"),
        pytest.param(datetime.date(2024, 12, 1), "2024年12月1日", id="no-leading-zero-day"),
        pytest.param(datetime.date(2022, 1, 5), "2022年1月5日", id="single-digit-both"),
    ],
)
def test_dates_print_in_chinese_without_leading_zeros(day: datetime.date, expected: str) -> None:
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("value", "from_unit", "to_unit", "expected"),
    [
        pytest.param("32030.18", "万元", "元", "320301800", id="wan-to-yuan"),
        pytest.param("2603030.56", "元", "万元", "260.303056", id="yuan-to-wan-exact"),
        pytest.param("4.37", "亿元", "万元", "43700", id="yi-to-wan"),
        pytest.param("43700", "万元", "亿元", "4.37", id="wan-to-yi"),
        pytest.param("236.5", "万元", "万元", "236.5", id="same-unit-unchanged"),
    ],
)
def test_converting_an_amount_between_units_is_exact(
    value: str, from_unit: str, to_unit: str, expected: str
) -> None:
    assert convert_amount(D(value), from_unit, to_unit) == D(expected)


@pytest.mark.parametrize(
    ("from_unit", "to_unit"),
    [
        pytest.param("千元", "元", id="unknown-source-unit"),
        pytest.param("元", "美元", id="unknown-target-unit"),
    ],
)
def test_convert_amount_rejects_unknown_unit_in_chinese(from_unit: str, to_unit: str) -> None:
    with pytest.raises(ValueError, match="未知的金额单位"):
        convert_amount(D(1), from_unit, to_unit)
