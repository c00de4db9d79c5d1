"""Placeholders are names only: ``{{ 名称 }}``; anything that would compute or loop is refused.

Through the real CLI: a snippet in 叙述 or in an indicator's 说明 that is not a plain
``{{ 名称 }}`` ends in one exact Chinese line naming file, line and field, exit code 1
and nothing written; plain ones print their figures. All snippets of one input share one
size budget, so many snippets each small cannot add up without bound.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.render import budget

from .conftest import VALID_TEXT, CliResult, assert_refused, docx_texts, write_input

Run = Callable[..., CliResult]

#: What every refusal ends with: the one form a placeholder may take.
ALLOWED = (
    "占位符只能写成 {{ 名称 }}（如 {{ 到位率 }}），不能做运算、调用函数、访问属性，"
    "也不能使用 {% … %} 语句、循环或 {# … #} 注释（见 docs/占位符.md）"
)
SLOT_LINE = "      存在问题: 县级配套资金到位率为{{ 到位率 }}，未全额到位。"
NOTE_LINE = "完成值: 53733人次}"

# (id, snippet, what the message says about it)
REFUSED = [
    (
        "loop",
        "{% for i in range(3) %}{{ 到位率 }}{% endfor %}",
        "“{% for i in range(3) %}”是模板语句",
    ),
    ("assignment", "{% set 率 = 到位率 %}{{ 率 }}", "“{% set 率 = 到位率 %}”是模板语句"),
    ("condition", "{% if 到位率 %}已到位{% endif %}", "“{% if 到位率 %}”是模板语句"),
    ("arithmetic", "到位率为{{ 到位率 * 2 }}", "“{{ 到位率 * 2 }}”不是占位符的写法"),
    ("attribute", "{{ 名称.__class__ }}", "“{{ 名称.__class__ }}”不是占位符的写法"),
    ("call", "{{ range(10) }}", "“{{ range(10) }}”不是占位符的写法"),
    ("method_call", "{{ 名称.upper() }}", "“{{ 名称.upper() }}”不是占位符的写法"),
    ("filter", "{{ 到位率 | upper }}", "“{{ 到位率 | upper }}”不是占位符的写法"),
    ("subscript", "{{ 名称[0] }}", "“{{ 名称[0] }}”不是占位符的写法"),
    ("string_literal", "{{ '到位率' }}", "“{{ '到位率' }}”不是占位符的写法"),
    ("comment", "到位率{# 待核 #}为{{ 到位率 }}", "“{# 待核 #}”是模板注释"),
    ("unclosed", "到位率为{{ 到位率 }。", "“{{ 到位率 }。”缺少结尾的“}}”"),
]


def _message(what: str) -> str:
    kind = "，叙述中不能使用" if ("语句" in what or "注释" in what) else ""
    return f"{what}{kind}：{ALLOWED}"


@pytest.mark.parametrize(("snippet", "what"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_narrative_snippet_that_is_not_a_name_is_refused_before_rendering(
    run_cli: Run, tmp_path: Path, snippet: str, what: str
) -> None:
    path = write_input(
        tmp_path / "叙述.yaml", VALID_TEXT, (SLOT_LINE, f"      存在问题: |-\n        {snippet}")
    )
    out = tmp_path / "out"
    assert_refused(
        run_cli(str(path), "-o", str(out)),
        f"{path}:21: 项目[1].叙述.存在问题：{_message(what)}",
        out=out,
        errors=1,
    )


@pytest.mark.parametrize(("snippet", "what"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_an_indicator_note_that_is_not_a_name_is_refused_by_check(
    run_cli: Run, tmp_path: Path, snippet: str, what: str
) -> None:
    quoted = snippet.replace("'", "''")
    path = write_input(
        tmp_path / "说明.yaml", VALID_TEXT, (NOTE_LINE, f"完成值: 53733人次, 说明: '{quoted}'}}")
    )
    assert_refused(
        run_cli("check", str(path)),
        f"{path}:16: 项目[1].指标[2].说明：{_message(what)}",
        errors=1,
    )


@pytest.mark.parametrize(
    ("snippet", "printed"),
    [
        ("到位率为{{到位率}}。", "到位率为98.33%。"),
        ("到位率为{{ 到位率 }}。", "到位率为98.33%。"),
        ("到位率为{{\u3000到位率\u3000}}。", "到位率为98.33%。"),
        ("{单位}的到位率为{{ 到位率 }}}。", "{单位}的到位率为98.33%}。"),
        (
            "{{ 单位 }}：到位{{ 到位合计 }}，执行率{{ 执行率 }}。",
            "测试县医疗保障局：到位1180万元，执行率93.33%。",
        ),
    ],
    ids=["no_spaces", "spaces", "full_width_spaces", "single_braces", "several"],
)
def test_a_plain_placeholder_prints_its_figure(
    run_cli: Run, tmp_path: Path, snippet: str, printed: str
) -> None:
    path = write_input(
        tmp_path / "好.yaml", VALID_TEXT, (SLOT_LINE, f"      存在问题: '{snippet}'")
    )
    out = tmp_path / "out"
    code, _, err = run_cli(str(path), "-o", str(out))
    assert code == 0, err
    (report,) = [p for p in (out / "2024").glob("*.docx")]
    assert printed in docx_texts(report)


NOTES = "\n".join(
    f'      - {{一级: 产出指标, 二级: 质量指标, 名称: 指标{i}, 分值: 2, 指标值: "≥1次", '
    f'完成值: 2次, 说明: "全年{{{{ 完成值 }}}}，共{{{{ 名称 }}}}。"}}'
    for i in range(5)
)


def test_all_snippets_of_an_input_share_one_size_budget(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each snippet is small; together they pass the budget, and the ones past it are refused.

    The shipped 措辞.yaml fills 项目概况 with 61 characters; each note prints 10
    (“全年2次，共指标0。”). A budget of 96 takes that and three notes, not five.
    """
    monkeypatch.setattr(budget, "MAX_SNIPPETS_OUTPUT", 96)
    path = write_input(
        tmp_path / "多段.yaml",
        VALID_TEXT,
        *[
            ('分值: 20, 指标值: "100%"', '分值: 10, 指标值: "100%"'),
            ("完成值: 100%}", "完成值: 100%}\n" + NOTES),
            (SLOT_LINE, "      存在问题: 县级配套资金未全额到位。"),
        ],
    )
    out = tmp_path / "out"
    refused = "占位符超出渲染限制：占位符生成的内容合计超过上限（96个字符），已停止"
    assert_refused(
        run_cli(str(path), "-o", str(out)),
        f"{path}:21: 项目[1].指标[7].说明：{refused}",
        out=out,
        errors=2,
    )
