"""Property-based tests: generated and mutated inputs never end in a traceback, and the
scoring rules keep their invariants for any figures.

Every input built from the contract (tests/strategies.py), valid or broken, ends in a
computed result with contexts, or in an InputError whose every problem names the file
and a line. Example counts follow the hypothesis profile in tests/conftest.py.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from generator.config.rulesets import load_rule_set
from generator.config.search import template_dirs
from generator.core.money import format_rate, format_score
from generator.core.quantities import Kind, Quantity, parse_target
from generator.core.rules import RuleSet
from generator.core.scoring import score_qualitative, score_quantitative
from generator.errors import GenreportError, InputError
from generator.inputs.yaml_read import decode_text, load_yaml_text
from generator.pipeline import check_file, generate_file

from .conftest import write_input
from .strategies import mutated_inputs, to_yaml, valid_inputs

NAME = "输入.yaml"
RULES = {name: load_rule_set(name, template_dirs(None)) for name in ("国家", "示例省线性")}


def _examples(share: float) -> int:
    return max(5, int(settings.default.max_examples * share))


def _each(share: float) -> settings:
    return settings(
        max_examples=_examples(share),
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _write(workdir: Path, data: object) -> Path:
    return write_input(workdir / NAME, to_yaml(data))


def _assert_located(exc: InputError, file: str) -> None:
    assert exc.problems, "an InputError always carries its problems"
    for problem in exc.problems:
        assert problem.location.file == file, str(problem)
        assert problem.location.line >= 1, str(problem)
        assert problem.message.strip(), str(problem)


@_each(1.75)
@given(data=mutated_inputs())
def test_mutated_inputs_end_in_contexts_or_a_located_error(workdir: Path, data: object) -> None:
    path = _write(workdir, data)
    try:
        checked = check_file(path)
    except InputError as exc:
        _assert_located(exc, str(path))
        event("refused with located problems")
        return
    event("computed with contexts")
    assert len(checked.contexts) == len(checked.result.funds) >= 1
    for ctx in checked.contexts:
        assert Decimal(0) <= ctx.fund.total <= Decimal(100)


@_each(1.0)
@given(data=valid_inputs())
def test_valid_inputs_compute_without_errors(workdir: Path, data: object) -> None:
    checked = check_file(_write(workdir, data))
    for ctx in checked.contexts:
        assert ctx.values["标题"].endswith("绩效自评报告")


@_each(1.0)
@given(
    raw=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(str.encode),
        st.text(st.sampled_from("报告项目: -{}[]&*!|>'\"\t\n #年度2024"), max_size=200).map(
            str.encode
        ),
    )
)
def test_any_bytes_load_or_give_a_located_error(raw: bytes) -> None:
    try:
        load_yaml_text(decode_text(raw, NAME), NAME)
    except InputError as exc:
        for problem in exc.problems:
            assert problem.location.file == NAME and problem.message.strip()
        event("refused")
    else:
        event("loaded")


@_each(0.1)
@given(data=valid_inputs(max_funds=2))
def test_valid_inputs_render_to_documents_that_open(workdir: Path, data: object) -> None:
    path = _write(workdir, data)
    out = workdir / "out"
    try:
        generated = generate_file(path, out, force=True)
    except GenreportError as exc:  # pragma: no cover - shown by hypothesis if it happens
        raise AssertionError(f"a valid input failed: {exc}") from exc
    for row in generated.rows:
        document = Document(io.BytesIO(row.path.read_bytes()))
        assert any(p.text.strip() for p in document.paragraphs)


# --- scoring invariants -------------------------------------------------------------

AMOUNT = st.decimals(min_value=0, max_value=10**9, places=2)
WEIGHT = st.decimals(min_value=0, max_value=100, places=2)
RULE = st.sampled_from(sorted(RULES))


def _score(text: str, actual: Decimal, weight: Decimal, rules: RuleSet) -> Decimal:
    return score_quantitative(parse_target(text), Quantity(actual, "人"), weight, rules).value


@_each(0.5)
@given(
    kind=st.sampled_from(["≥", ">", "≤", "<", "=", ""]),
    target=AMOUNT,
    a=AMOUNT,
    b=AMOUNT,
    weight=WEIGHT,
    rule=RULE,
)
def test_a_score_lies_between_0_and_its_weight_and_is_monotone(
    kind: str, target: Decimal, a: Decimal, b: Decimal, weight: Decimal, rule: str
) -> None:
    text = f"{kind}{target}人"
    low, high = sorted((a, b))
    s_low, s_high = (_score(text, x, weight, RULES[rule]) for x in (low, high))
    for value in (s_low, s_high):
        assert Decimal(0) <= value <= weight
    parsed = parse_target(text)
    if parsed.kind in (Kind.GE, Kind.GT) or (parsed.kind is Kind.EQ and target != 0):
        assert s_low <= s_high, "more achieved never scores less for a ≥ target"
    elif parsed.kind in (Kind.LE, Kind.LT):
        assert s_low >= s_high, "more achieved never scores more for a ≤ target"


@_each(0.25)
@given(low=AMOUNT, width=AMOUNT, a=AMOUNT, b=AMOUNT, weight=WEIGHT, rule=RULE)
def test_a_range_target_scores_full_inside_and_less_outside(
    low: Decimal, width: Decimal, a: Decimal, b: Decimal, weight: Decimal, rule: str
) -> None:
    high = low + width
    target = parse_target(f"{low}-{high}人")
    assume(target.kind is Kind.RANGE)
    for actual in (a, b):
        score = score_quantitative(target, Quantity(actual, "人"), weight, RULES[rule])
        assert Decimal(0) <= score.value <= weight
        if low <= actual <= high:
            assert score.value == weight.quantize(Decimal("0.01"))


@_each(0.1)
@given(rating=st.sampled_from(["达成", "部分达成", "未达成"]), weight=WEIGHT, rule=RULE)
def test_a_qualitative_score_lies_within_its_weight(
    rating: str, weight: Decimal, rule: str
) -> None:
    assert Decimal(0) <= score_qualitative(rating, weight, RULES[rule]).value <= weight


@_each(0.5)
@given(data=valid_inputs(not_applicable=True, max_funds=2))
def test_a_total_never_exceeds_100_even_after_rescaling(workdir: Path, data: object) -> None:
    try:
        checked = check_file(_write(workdir, data))
    except InputError as exc:
        _assert_located(exc, str(workdir / NAME))
        return
    for fund in checked.result.funds:
        assert Decimal(0) <= fund.total <= Decimal(100)


@_each(0.5)
@given(data=valid_inputs(all_met=True, not_applicable=True, max_funds=2))
def test_meeting_every_applicable_target_scores_exactly_100_after_rescaling(
    workdir: Path, data: object
) -> None:
    try:
        checked = check_file(_write(workdir, data))
    except InputError as exc:  # every weighted indicator was marked 不适用
        assert {p.message for p in exc.problems} == {
            "适用指标的分值合计为0（有分值的指标都是“不适用”），无法折算计分"
        }
        return
    for fund in checked.result.funds:
        assert fund.total == Decimal(100), [i.score for i in fund.indicators]


@_each(0.25)
@given(
    value=st.decimals(
        allow_nan=False, allow_infinity=False, min_value=-(10**200), max_value=10**200
    )
)
def test_formatting_never_fails_however_large_or_small(value: Decimal) -> None:
    assert format_rate(value).endswith("%")
    assert format_score(value)
