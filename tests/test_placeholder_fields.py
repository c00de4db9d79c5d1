"""Placeholders are filled only in the 叙述 slots and an indicator's 说明; anywhere else
``{{ … }}``, ``{% … %}`` or ``{# … #}`` would print literally, so it is a located error,
in YAML and workbook inputs alike (docs/占位符.md, “只有这两处可以用”).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import VALID_TEXT, assert_refused, command_args, write_input
from .workbooks import valid_sheets, write_workbook

INDICATOR = "{一级: 满意度指标, 二级: 服务对象满意度指标, 名称: 救助对象满意度, "


def _message(snippet: str, field: str) -> str:
    return (
        f"“{snippet}”是占位符，但“{field}”中的占位符不会被替换，会原样印在报告中："
        "占位符只能用在“叙述”各栏目和指标的“说明”中（见 docs/占位符.md）；"
        "请在此处写出实际的文字和数字"
    )


# (what, old, new, expected first line after "<file>:")
OUTSIDE = [
    (
        "总体目标",
        "总体目标: 困难群众应助尽助",
        "总体目标: 到位率{{ 到位率 }}，困难群众应助尽助",
        f"13: 项目[1].总体目标：{_message('{{ 到位率 }}', '总体目标')}",
    ),
    (
        "总体完成情况",
        "    指标:\n",
        "    总体完成情况: 执行率达到{{执行率}}。\n    指标:\n",
        f"14: 项目[1].总体完成情况：{_message('{{执行率}}', '总体完成情况')}",
    ),
    (
        "偏差原因",
        INDICATOR,
        INDICATOR + "偏差原因: '完成{{ 完成率 }}', ",
        f"19: 项目[1].指标[5].偏差原因：{_message('{{ 完成率 }}', '偏差原因')}",
    ),
    (
        "改进措施",
        INDICATOR,
        INDICATOR + "改进措施: '{# 待写 #}继续推进', ",
        f"19: 项目[1].指标[5].改进措施：{_message('{# 待写 #}', '改进措施')}",
    ),
    (
        "评分说明",
        INDICATOR,
        INDICATOR + "评分说明: '{% if 1 %}满分{% endif %}', ",
        f"19: 项目[1].指标[5].评分说明：{_message('{% if 1 %}', '评分说明')}",
    ),
    (
        "主送",
        "主送: 测试市医疗保障局",
        "主送: '{{ 单位 }}'",
        f"6: 报告.主送：{_message('{{ 单位 }}', '主送')}",
    ),
    (
        "单位",
        "单位: 测试县医疗保障局",
        "单位: 测试县医疗保障局{%",
        f"3: 报告.单位：{_message('{%', '单位')}",
    ),
    (
        "资金来源",
        "来源: 县级财政",
        "来源: '{{ 地区 }}财政'",
        f"12: 项目[1].资金[2].来源：{_message('{{ 地区 }}', '来源')}",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [o[1:] for o in OUTSIDE], ids=[o[0] for o in OUTSIDE]
)
@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_placeholder_outside_the_narrative_is_a_located_error(
    run_cli, tmp_path: Path, old: str, new: str, expected: str, command: str
) -> None:
    path = write_input(tmp_path / "输入.yaml", VALID_TEXT, (old, new))
    out = tmp_path / "out"
    args = command_args(command, str(path), str(out))
    assert_refused(run_cli(*args), f"{path}:{expected}", out=out, errors=1)


def test_placeholders_in_the_narrative_and_in_an_indicator_note_are_filled(
    run_cli, tmp_path: Path
) -> None:
    path = write_input(
        tmp_path / "输入.yaml",
        VALID_TEXT,
        (INDICATOR, INDICATOR + "说明: '满意度{{ 完成值 }}', "),
    )
    code, _, stderr = run_cli("generate", str(path), "-o", str(tmp_path / "out"))
    assert code == 0, stderr


@pytest.mark.parametrize(
    ("sheet", "row", "column", "text", "expected"),
    [
        (
            "项目",
            1,
            2,
            "目标{{ 到位率 }}",
            f"项目!C2（总体目标）：{_message('{{ 到位率 }}', '总体目标')}",
        ),
        (
            "报告",
            4,
            1,
            "{{ 单位 }}",
            f"报告!B5（值）: 报告.主送：{_message('{{ 单位 }}', '主送')}",
        ),
    ],
    ids=["总体目标", "主送"],
)
def test_a_placeholder_outside_the_narrative_of_a_workbook_is_a_located_error(
    run_cli, tmp_path: Path, sheet: str, row: int, column: int, text: str, expected: str
) -> None:
    sheets = valid_sheets()
    sheets[sheet][row][column] = text
    path = write_workbook(tmp_path / "输入.xlsx", sheets)
    out = tmp_path / "out"
    assert_refused(
        run_cli("generate", str(path), "-o", str(out)), f"{path} {expected}", out=out, errors=1
    )
