"""The documented limits and the answer time agree: the largest valid input is answered in full.

The limits of one input (generator/limits.py) are what one answer within 10 seconds can
check, render and bind; the fixture tests/fixtures/large/最大输入.yaml sits exactly at
them (50 funds sharing 3,000 indicators, text just under the total, written small with
YAML aliases as a hostile file would be) and benchmarks/bench.py times it. Beyond the
totals an input is refused before validation. Bounds are stated as counts and sizes,
never as time. Also here: the pieces that made large inputs slow or crash (section
numerals past 99, matching quoted numbers against every figure of a fund, per-report
render budgets that add up).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import limits
from generator.analysis.checks import MAX_WARNINGS
from generator.analysis.quoted_figures import Figure, FigureIndex, literals, near_miss, same_as
from generator.inputs.load import load_input
from generator.render import budget
from generator.render.context import chinese_numeral

from .conftest import (
    EXAMPLES,
    FIXTURES,
    ROOT,
    VALID_INPUT,
    VALID_TEXT,
    CliResult,
    assert_refused,
    docx_texts,
    make_docx,
    write_input,
)

Run = Callable[..., CliResult]

LARGEST = FIXTURES / "large" / "最大输入.yaml"


def _generator() -> ModuleType:
    """benchmarks/largest_input.py, which wrote the fixture from the limits."""
    spec = importlib.util.spec_from_file_location(
        "largest_input", ROOT / "benchmarks" / "largest_input.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _text_size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_text_size(k) + _text_size(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(_text_size(item) for item in value)
    return 0


def test_the_largest_input_fixture_sits_at_the_documented_limits() -> None:
    assert LARGEST.read_text(encoding="utf-8") == _generator().largest_input()
    data = load_input(LARGEST).data
    funds = data["项目"]
    assert len(funds) == limits.MAX_FUNDS
    assert sum(len(fund["指标"]) for fund in funds) == limits.MAX_TOTAL_INDICATORS
    assert 0.9 * limits.MAX_TOTAL_TEXT < _text_size(data) <= limits.MAX_TOTAL_TEXT
    assert LARGEST.stat().st_size < 20_000  # small on disk: aliases do the rest


def test_the_largest_input_checks_clean(run_cli: Run) -> None:
    code, out, err = run_cli("check", str(LARGEST))
    assert code == 0, err
    assert out.splitlines()[-1] == f"{LARGEST}：检查完成，未发现问题。"


def test_the_largest_input_writes_every_report_and_the_volume(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run_cli(str(LARGEST), "-o", str(out))
    assert code == 0, err
    assert len(list((out / "2024").glob("*.docx"))) == limits.MAX_FUNDS + 1


ONE_MORE_INDICATOR = (
    '      - {一级: 预算执行, 名称: 预算执行率, 分值: 0.29, 指标值: "≥90%", 完成值: 自动}\n',
    '      - {一级: 预算执行, 名称: 预算执行率, 分值: 0.29, 指标值: "≥90%", 完成值: 自动}\n'
    '      - {一级: 预算执行, 名称: 预算执行率二, 分值: 0, 指标值: "≥90%", 完成值: 自动}\n',
)
#: A typo elsewhere: refused totals are reported alone, before any field is validated.
A_TYPO = ("    类型: 医疗救助\n", "    类型: 医疗救助\n    自评得分: 九十九\n")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ONE_MORE_INDICATOR,
            f"全部资金的指标合计过多：共{limits.MAX_TOTAL_INDICATORS + limits.MAX_FUNDS}项，"
            f"上限{limits.MAX_TOTAL_INDICATORS}项（用锚点和别名重复的也逐项计算）；"
            "请拆分为多个输入文件",
        ),
        (
            ('&note "全年完成', '&note "' + "补" * 100 + "全年完成"),
            f"全部文字合计过长：超过{limits.MAX_TOTAL_TEXT}字（用锚点和别名重复的文字也逐次计算）；"
            "请精简叙述和说明，或拆分为多个输入文件",
        ),
    ],
    ids=["indicators", "text"],
)
def test_an_input_past_the_totals_is_refused_before_validation(
    run_cli: Run, tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = LARGEST.read_text(encoding="utf-8")
    path = write_input(tmp_path / "超限.yaml", text, change, A_TYPO)
    out = tmp_path / "out"
    assert_refused(
        run_cli(str(path), "-o", str(out)), f"{path}:10: 项目：{message}", out=out, errors=1
    )


# ------------------------------------------------------------------ how much is listed


def test_a_text_lists_five_findings_and_then_says_there_are_more(
    run_cli: Run, tmp_path: Path
) -> None:
    """A 说明 quoting a near miss a thousand times: six lines, and the rest is not searched.

    (「合计」 names no particular total, so each is a warning, not a sure contradiction.)
    """
    note = "合计1201万元，" * 1000
    path = write_input(
        tmp_path / "长说明.yaml",
        VALID_TEXT,
        ("完成值: 53733人次}", f'完成值: 53733人次, 说明: "{note}"}}'),
    )
    code, out, err = run_cli("check", str(path))
    assert code == 0, err
    assert out.count("“1201万元”与计算所得预算合计 1200万元 不一致") == 5
    assert "这段文字还有更多类似的问题，未逐一列出" in out
    assert out.splitlines()[-1] == f"{path}：检查完成，发现 6 个警告。"


def test_an_input_lists_at_most_max_warnings(run_cli: Run, tmp_path: Path) -> None:
    """The largest input with a near miss in every 说明: 2,950 warnings, 500 listed."""
    path = write_input(
        tmp_path / "多警告.yaml",
        LARGEST.read_text(encoding="utf-8"),
        ("预算合计1200万元", "合计1201万元"),
    )
    code, out, err = run_cli("check", str(path))
    assert code == 0, err
    assert f"另有2450条警告未列出（每次最多列出{MAX_WARNINGS}条）" in out
    assert out.splitlines()[-1] == f"{path}：检查完成，发现 {MAX_WARNINGS + 1} 个警告。"


# ------------------------------------------------------------------ section numerals

NUMERALS = [
    (1, "一"),
    (10, "十"),
    (12, "十二"),
    (21, "二十一"),
    (99, "九十九"),
    (100, "一百"),
    (101, "一百零一"),
    (110, "一百一十"),
    (120, "一百二十"),
    (300, "三百"),
    (1001, "一千零一"),
    (1010, "一千零一十"),
    (10000, "一万"),
    (10010, "一万零一十"),
    (100000, "十万"),
    (123456789, "一亿二千三百四十五万六千七百八十九"),
]


@pytest.mark.parametrize(("number", "written"), NUMERALS, ids=[str(n) for n, _ in NUMERALS])
def test_section_numerals_are_written_for_any_count(number: int, written: str) -> None:
    assert chinese_numeral(number) == written


GROUP_OF_120 = "\n".join(
    f'      - {{一级: 产出指标, 二级: 数量指标, 名称: 救助人次{i:03d}, 分值: 0.25, 指标值: "≥{i}人次", '
    f"完成值: {i}人次}}"
    for i in range(1, 121)
)
NUMBERED = (
    "{% for 一级 in 指标分析 %}{% for 组 in 一级.二级组 %}{% for 项 in 组.指标 %}"
    "{{ 项.中文序号 }}、{% endfor %}{% endfor %}{% endfor %}"
)


def test_a_group_of_more_than_99_indicators_is_numbered_not_a_crash(
    run_cli: Run, tmp_path: Path
) -> None:
    path = write_input(
        tmp_path / "大组.yaml",
        VALID_TEXT,
        (
            "      - {一级: 产出指标, 二级: 数量指标, 名称: 医疗救助对象人次规模, 分值: 40, "
            '指标值: "≥40000人次", 完成值: 53733人次}',
            GROUP_OF_120,
        ),
        ('分值: 20, 指标值: "100%"', '分值: 30, 指标值: "100%"'),
    )
    folder = make_docx(tmp_path / "模板" / "评价报告.docx", ["{{ 标题 }}", NUMBERED]).parent
    out = tmp_path / "out"
    code, _, err = run_cli(str(path), "--templates", str(folder), "-o", str(out))
    assert code == 0, err
    (report,) = list((out / "2024").glob("*.docx"))
    numbers = docx_texts(report)[1]
    assert "九十九、一百、一百零一、" in numbers
    assert "一百一十九、一百二十、一、" in numbers  # the next group starts again


# ------------------------------------------------------------------ quoted figures


def _figures(values: list[tuple[int, int, str, bool]]) -> list[Figure]:
    return [
        Figure(f"数{i}", Decimal(digits).scaleb(-places), unit, computed=computed)
        for i, (digits, places, unit, computed) in enumerate(values)
    ]


FIGURE = st.tuples(
    st.integers(-(10**7), 10**9),
    st.integers(0, 4),
    st.sampled_from(["元", "%", "人次"]),
    st.booleans(),
)


@given(
    figures=st.lists(FIGURE, max_size=12),
    typed=st.lists(
        st.tuples(
            st.integers(0, 10**8),
            st.integers(0, 3),
            st.sampled_from(["", "万"]),
            st.sampled_from(["元", "%", "人次"]),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_the_figure_index_finds_what_a_pass_over_every_figure_finds(
    figures: list[tuple[int, int, str, bool]], typed: list[tuple[int, int, str, str]]
) -> None:
    """The index only narrows the search: same answers, first figure in list order."""
    pool = _figures(figures)
    # Literals near the figures (as typed in a report), and some arbitrary ones.
    texts = [f"{Decimal(d).scaleb(-p)}{m}{u}" for d, p, m, u in typed]
    texts += [f"{f.value:f}".lstrip("-") + f.unit for f in pool]
    index = FigureIndex(pool)
    for literal in literals("，".join(texts), {"元", "%", "人次"}):
        assert index.same(literal) == any(same_as(literal, f) for f in pool)
        assert index.near(literal) is next((f for f in pool if near_miss(literal, f)), None)


# ------------------------------------------------------------------ one render budget


def test_all_reports_of_an_input_share_one_output_budget(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """inputs/2024.yaml renders 62,039, 62,606, 59,836 and 41,702 characters: each fits in
    150,000, all together do not, so the third report is refused and nothing is written."""
    monkeypatch.setattr(budget, "MAX_RUN_OUTPUT", 150_000)
    out = tmp_path / "out"
    code, stdout, err = run_cli(str(EXAMPLES[0]), "-o", str(out))
    assert code == 1
    first = err.splitlines()[0]
    assert re.fullmatch(
        rf"{re.escape(str(EXAMPLES[0]))}: 模板“评价报告\.docx”超出渲染限制："
        r"全部报告合计生成的内容超过上限（150000个字符），已停止.*",
        first,
    ), first
    assert not out.exists() and stdout == ""


def test_one_report_alone_renders_within_the_same_budget(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget, "MAX_RUN_OUTPUT", 150_000)
    code, _, err = run_cli(str(VALID_INPUT), "-o", str(tmp_path / "out"))
    assert code == 0, err
