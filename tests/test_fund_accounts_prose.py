"""The 城乡居民医保 fund accounts (基金收支) are printed where the report discusses the money.

Only what the input gives is said (never a figure the bureau did not supply), the current
balance and 可支付月数 are the ones computed from it, and 可支付月数 is said once: by the
indicator that states it when there is one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import render_file
from tests.conftest import FIXTURES, TEMPLATES, docx_texts, edited, write_input

FUND = FIXTURES / "accounts" / "城乡居民医保.yaml"
TEXT = FUND.read_text(encoding="utf-8")
ACCOUNTS_LINE = "基金收支: {收入: 63475, 支出: 63329, 当期结余: 146, 累计结余: 34232}"
MONTHS_INDICATOR = (
    "      - {一级: 项目效益, 二级: 服务对象满意度指标, 名称: 参保对象满意度, 分值: 10,"
    ' 指标值: "≥95%", 完成值: 98%}\n'
)


def _report(path: Path) -> str:
    """All text of the one report the input generates."""
    rendered = render_file(path)
    reports = [f for f in rendered.files if f.name.endswith(".docx")]
    assert len(reports) == 1
    return "\n".join(docx_texts(reports[0].data))


def _with(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    return write_input(tmp_path / "input.yaml", TEXT, *changes)


@pytest.mark.parametrize(
    ("accounts", "said", "unsaid"),
    [
        pytest.param(
            ACCOUNTS_LINE,
            "2021年，城乡居民医保基金收入63475万元、支出63329万元，当期结余146万元，"
            "年末累计结余34232万元，可支付6.49个月。",
            (),
            id="all-four-and-months-computed",
        ),
        pytest.param(
            "基金收支: {支出: 60045.63}",
            "2021年，城乡居民医保基金支出60045.63万元。",
            ("基金收入", "当期结余", "累计结余", "可支付"),
            id="expenditure-only",
        ),
        pytest.param(
            "基金收支: {收入: 58000, 支出: 60045.63}",
            "城乡居民医保基金收入58000万元、支出60045.63万元，当期收不抵支2045.63万元。",
            ("累计结余", "可支付"),
            id="deficit-computed-from-income-and-expenditure",
        ),
        pytest.param(
            "基金收支: {累计结余: 34232}",
            "2021年，城乡居民医保基金年末累计结余34232万元。",
            ("可支付",),
            id="no-months-without-expenditure",
        ),
    ],
)
def test_fund_accounts_say_what_the_input_gives(
    tmp_path: Path, accounts: str, said: str, unsaid: tuple[str, ...]
) -> None:
    text = _report(_with(tmp_path, (ACCOUNTS_LINE, accounts)))
    assert said in text
    sentence = next(p for p in text.splitlines() if "城乡居民医保基金" in p)
    for word in unsaid:
        assert word not in sentence.partition("城乡居民医保基金")[2]


def test_no_fund_accounts_no_sentence(tmp_path: Path) -> None:
    text = _report(_with(tmp_path, (f"    {ACCOUNTS_LINE}\n", "")))
    assert "城乡居民医保基金" not in text
    assert "累计结余" not in text


@pytest.mark.parametrize("outline", ["转移支付", "评价报告"])
def test_fund_accounts_follow_the_money_in_each_outline(tmp_path: Path, outline: str) -> None:
    text = _report(_with(tmp_path, ("提纲: 转移支付", f"提纲: {outline}")))
    paragraph = next(p for p in text.splitlines() if "城乡居民医保基金收入" in p)
    assert "执行率100%" in paragraph  # the same paragraph as 到位 and 执行
    assert text.count("63475万元") == 1


def test_months_stated_by_an_indicator_are_not_said_twice(tmp_path: Path) -> None:
    indicator = (
        "      - {一级: 项目产出, 二级: 质量指标, 名称: 基金累计结余可支付月数, 分值: 10,"
        " 指标值: 6-9个月, 完成值: 6.49个月}\n"
    )
    path = _with(
        tmp_path,
        ("名称: 城乡居民参保人数, 分值: 70", "名称: 城乡居民参保人数, 分值: 60"),
        (MONTHS_INDICATOR, MONTHS_INDICATOR + indicator),
    )
    text = _report(path)
    assert "当期结余146万元，年末累计结余34232万元。" in text
    assert "可支付6.49个月" not in text


def test_a_provinces_wording_shapes_the_sentence(tmp_path: Path) -> None:
    shipped = (TEMPLATES / "措辞.yaml").read_text(encoding="utf-8")
    wording = edited(
        shipped,
        (
            '    - "{{ 年度 }}年，城乡居民医保基金{{ 各项 }}。"',
            '    - "本年度居民医保基金运行情况：{{ 各项 }}。"',
        ),
    )
    write_input(tmp_path / "我的模板" / "措辞.yaml", wording)
    path = _with(tmp_path, ("金额单位: 万元", "金额单位: 万元\n  模板目录: 我的模板"))
    text = _report(path)
    assert "本年度居民医保基金运行情况：收入63475万元、支出63329万元，当期结余146万元" in text
