"""Inputs that state only what the bureau published: no 执行数, no indicator 分值.

Seeds 000 and 004 give neither; the contract lets an input leave them out together
(every row, every indicator) and then says nothing of spending and prints the
bureau's own total. Leaving them out of some rows only is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from generator.pipeline import check_file, render_file

from .conftest import VALID_TEXT, CliResult, assert_refused, docx_texts, write_input

NO_SPENDING = (
    ("预算数: 1000, 执行数: 950}", "预算数: 1000}"),
    ("到位数: 180, 执行数: 170}", "到位数: 180}"),
    ('{一级: 预算执行, 名称: 预算执行率, 分值: 10, 指标值: "≥90%", 完成值: 自动}\n      - ', ""),
    ("分值: 40, ", ""),
    ("分值: 20, ", ""),
    ("分值: 10, ", ""),
    ("    指标:\n", "    自评得分: 92\n    指标:\n"),
)


def _texts(path: Path) -> str:
    (report,) = [f for f in render_file(path).files if f.name.endswith(".docx")]
    return "\n".join(docx_texts(report.data))


def test_a_total_stated_without_weights_is_printed_as_the_bureaus(tmp_path: Path) -> None:
    path = write_input(tmp_path / "输入.yaml", VALID_TEXT, *NO_SPENDING)
    (fund,) = check_file(path).result.funds
    assert (fund.total, fund.grade, fund.score_stated) == (Decimal(92), "优", True)
    assert [r.score for r in fund.indicators] == [None] * 4
    text = _texts(path)
    assert "本项目自评得分92分，自评等级为“优”" in text
    assert "合计得分" not in text


def test_without_spending_no_execution_is_said(tmp_path: Path) -> None:
    path = write_input(tmp_path / "输入.yaml", VALID_TEXT, *NO_SPENDING)
    (fund,) = check_file(path).result.funds
    assert (fund.money.executed, fund.money.execution_rate) == (False, None)
    text = _texts(path)
    assert re.findall(r"执行率\d|全年执行\d|结余\d", text) == []
    assert "资金实际到位1180万元" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            (("预算数: 1000, 执行数: 950}", "预算数: 1000}"),),
            "输入.yaml:11: 项目[1].资金[1].执行数：执行数须各来源都填写或都不填写"
            "（原始资料未载明执行数时各行都不写），本行缺少执行数",
        ),
        (
            (("分值: 40, ", ""),),
            "输入.yaml:16: 项目[1].指标[2].分值：分值须各指标都填写或都不填写"
            "（只公布总分时各指标都不写，另写自评得分），本指标缺少分值",
        ),
        (
            NO_SPENDING[:2],
            "输入.yaml:15: 项目[1].指标[1].完成值：资金各行没有填写执行数，执行率无从计算："
            "请填写执行数，或写明完成值",
        ),
    ],
    ids=["执行数 in some rows only", "分值 on some indicators only", "自动 without 执行数"],
)
def test_leaving_out_spending_or_weights_in_part_is_refused(
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
    changes: tuple[tuple[str, str], ...],
    message: str,
) -> None:
    path = write_input(tmp_path / "输入.yaml", VALID_TEXT, *changes)
    out = tmp_path / "out"
    code, _, stderr = run_cli(str(path), "-o", str(out))
    assert code == 1
    assert message in stderr
    assert not out.exists()


def test_weights_left_out_need_the_stated_total(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    path = write_input(tmp_path / "输入.yaml", VALID_TEXT, *NO_SPENDING[:-1][3:])
    out = tmp_path / "out"
    result = run_cli(str(path), "-o", str(out))
    assert_refused(
        result,
        f"{path}:9: 项目[1].自评得分：各指标都没有填写分值，须填写自评得分（单位公布的总分）；"
        "工具无法按指标计算总分，也不代为估计",
        out=out,
    )


#: The 满意度 indicator of NO_SPENDING with neither 完成值 nor 评级: its result unstated.
UNSTATED_RESULT = (
    '名称: 救助对象满意度, 指标值: "≥90%", 完成值: 96%}',
    '名称: 救助对象满意度, 指标值: "≥90%"}',
)
MISSED = ("完成值: 53733人次}", "完成值: 30000人次, 偏差原因: 救助对象减少。}")
TRANSFER_WITHOUT_PROBLEMS = (
    ("  金额单位: 万元\n", "  金额单位: 万元\n  提纲: 转移支付\n"),
    ("      存在问题: 县级配套资金到位率为{{ 到位率 }}，未全额到位。\n", ""),
)


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        (
            (UNSTATED_RESULT,),
            [
                "对照年度总体目标，4项绩效指标中3项达到目标值，“救助对象满意度”的完成情况见指标分析。",
                "3项绩效目标已实现，“救助对象满意度”的完成情况见指标分析。",
            ],
        ),
        (
            (UNSTATED_RESULT, MISSED),
            [
                "4项绩效指标中2项达到目标值，“医疗救助对象人次规模”未达到目标值，"
                "原因及改进措施见指标分析；“救助对象满意度”的完成情况见指标分析。",
                "2项绩效目标已实现，“医疗救助对象人次规模”未实现，“救助对象满意度”的完成情况见指标分析。",
            ],
        ),
        (
            (UNSTATED_RESULT, *TRANSFER_WITHOUT_PROBLEMS),
            ["（一）偏离绩效目标的原因\n【待填：存在问题】"],
        ),
        (TRANSFER_WITHOUT_PROBLEMS, ["（一）偏离绩效目标的原因\n各项绩效指标均达到年度指标值。"]),
    ],
    ids=["unstated", "unstated and missed", "转移支付 unstated", "转移支付 all met"],
)
def test_an_indicator_with_no_stated_result_is_neither_met_nor_missed(
    tmp_path: Path, changes: tuple[tuple[str, str], ...], said: list[str]
) -> None:
    """Seed 003's 新闻发布会 indicator states no result: no sentence may call it missed."""
    path = write_input(tmp_path / "输入.yaml", VALID_TEXT, *NO_SPENDING, *changes)
    text = _texts(path)
    assert [s for s in said if s not in text] == []
    if UNSTATED_RESULT in changes:
        claims = re.findall(
            r"“救助对象满意度”[^，。；]*?(?:未达到|未实现|达到目标)|全部完成|均已实现", text
        )
        assert claims == []
