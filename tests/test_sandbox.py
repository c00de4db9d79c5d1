"""Template-injection payloads are refused in narrative snippets and in Word templates.

Both paths go through the real CLI: a payload in an input file's 叙述, and a payload in
a user template given with --templates. Each must end in a Chinese error, exit code 1
and no file written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.render import budget, sandbox

from .conftest import VALID_INPUT, VALID_TEXT, CliResult, make_docx, write_input

Run = Callable[..., CliResult]

# The snippet grammar's refusals (generator/render/placeholders.py).
NOT_A_PLACEHOLDER = "不是占位符的写法"
STATEMENT = "是模板语句"

# (id, payload, expected in the template error, expected in the snippet error)
PAYLOADS = [
    ("mro_walk", "{{ ''.__class__.__mro__ }}", "访问内部属性“__class__”", NOT_A_PLACEHOLDER),
    (
        "cycler_globals",
        "{{ cycler.__init__.__globals__ }}",
        "访问内部属性“__init__”",
        NOT_A_PLACEHOLDER,
    ),
    ("huge_range", "{% for i in range(10**9) %}x{% endfor %}", "超出渲染限制", STATEMENT),
    (
        "attr_filter_walk",
        "{{ (1)|attr('__class__') }}",
        "访问内部属性“__class__”",
        NOT_A_PLACEHOLDER,
    ),
    (
        "attr_filter_on_context",
        "{{ 名称|attr('__class__')|attr('__base__') }}",
        "访问内部属性“__class__”",
        NOT_A_PLACEHOLDER,
    ),
    ("self_init", "{{ self.__init__ }}", "访问内部属性“__init__”", NOT_A_PLACEHOLDER),
    ("lipsum_globals", "{{ lipsum.__globals__ }}", "不存在的名称“lipsum”", NOT_A_PLACEHOLDER),
    ("flask_config", "{{ config }}", "不存在的名称“config”", "未知的占位符 {{ config }}"),
    ("flask_request", "{{ request }}", "不存在的名称“request”", "未知的占位符 {{ request }}"),
    ("format_globals", "{{ '{0.__class__}'.format(名称) }}", "不允许的操作", NOT_A_PLACEHOLDER),
    ("string_bomb", "{{ '仿' * 10**9 }}", "超出渲染限制", NOT_A_PLACEHOLDER),
    ("center_bomb", "{{ 名称|center(10**9) }}", "超出渲染限制", NOT_A_PLACEHOLDER),
    ("format_width_bomb", "{{ '%0999999999d' % 1 }}", "格式宽度过大", NOT_A_PLACEHOLDER),
    ("ljust_bomb", "{{ 名称.ljust(10**9) }}", "超出渲染限制", NOT_A_PLACEHOLDER),
    ("recursive_macro", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "递归过深", STATEMENT),
    (
        "doubling_macro",
        "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s }}{% endif %}{% endmacro %}"
        "{{ d('仿', 80) }}",
        "超出渲染限制",
        STATEMENT,
    ),
    ("list_mutation", "{{ 目标列表.append(1) }}", "不允许的操作", NOT_A_PLACEHOLDER),
]


def snippet_input(tmp_path: Path, payload: str) -> Path:
    """valid.yaml with the payload as the 存在问题 paragraph (a YAML block scalar)."""
    return write_input(
        tmp_path / "注入.yaml",
        VALID_TEXT,
        (
            "      存在问题: 县级配套资金到位率为{{ 到位率 }}，未全额到位。",
            "      存在问题: |-\n        " + payload,
        ),
    )


def payload_template(tmp_path: Path, payload: str) -> Path:
    """A user template directory whose 评价报告 template holds the payload."""
    return make_docx(tmp_path / "模板" / "评价报告.docx", ["{{ 标题 }}", payload]).parent


def written(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file()] if out.exists() else []


@pytest.mark.parametrize(
    ("payload", "expected"), [(p[1], p[3]) for p in PAYLOADS], ids=[p[0] for p in PAYLOADS]
)
def test_payload_in_a_narrative_snippet_is_refused_and_nothing_written(
    run_cli: Run, tmp_path: Path, payload: str, expected: str
) -> None:
    out = tmp_path / "out"
    code, _, err = run_cli(str(snippet_input(tmp_path, payload)), "-o", str(out))
    assert code == 1
    assert "项目[1].叙述.存在问题：" in err
    assert expected in err
    assert "Traceback" not in err and "内部错误" not in err
    assert written(out) == []


@pytest.mark.parametrize(
    ("payload", "expected"), [(p[1], p[2]) for p in PAYLOADS], ids=[p[0] for p in PAYLOADS]
)
def test_payload_in_a_user_template_is_refused_and_nothing_written(
    run_cli: Run, tmp_path: Path, payload: str, expected: str
) -> None:
    out = tmp_path / "out"
    templates = payload_template(tmp_path, payload)
    code, _, err = run_cli(str(VALID_INPUT), "--templates", str(templates), "-o", str(out))
    assert code == 1
    assert "模板“评价报告.docx”" in err
    assert expected in err
    assert "Traceback" not in err and "内部错误" not in err
    assert written(out) == []


# Loops that are individually legal but together run for hours.
SLOW = (
    "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
    "{% endfor %}{% endfor %}{% endfor %}"
)


def test_a_template_that_runs_too_long_stops_at_the_time_budget(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget, "RENDER_TIME_BUDGET", 0.3)
    out = tmp_path / "out"
    code, _, err = run_cli(
        str(VALID_INPUT),
        "--templates",
        str(payload_template(tmp_path, SLOW)),
        "-o",
        str(out),
    )
    assert code == 1
    assert "渲染超过时间上限（0.3秒）" in err
    assert written(out) == []


def test_a_template_with_too_much_output_stops_at_the_size_limit(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "MAX_TEMPLATE_OUTPUT", 200_000)
    payload = "{% for i in range(10000) %}{% for j in range(10000) %}填充{% endfor %}{% endfor %}"
    out = tmp_path / "out"
    code, _, err = run_cli(
        str(VALID_INPUT),
        "--templates",
        str(payload_template(tmp_path, payload)),
        "-o",
        str(out),
    )
    assert code == 1
    assert "生成的内容超过上限（200000个字符）" in err
    assert written(out) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ 名称 * 3 }}", "示例示例示例"),
        ("{{ '%.1f' % 2.25 }}", "2.2"),
        ("{{ 名称|center(8) }}", "   示例   "),
        ("{% for i in range(3) %}{{ i }}{% endfor %}", "012"),
    ],
    ids=["repeat_small", "format_small", "center_small", "range_small"],
)
def test_ordinary_template_expressions_still_work(text: str, expected: str) -> None:
    from generator.render.template import make_environment

    assert make_environment().from_string(text).render(名称="示例") == expected


# Jinja's own (English) errors, told in Chinese with where: (id, payload, message).
JINJA_ERRORS = [
    (
        "include",
        "{% include '评价报告.docx' %}",
        "语法错误（第3段附近）：模板不能引用其他模板或文件（{% include %}、{% import %}、"
        "{% from %}、{% extends %}）：请把要用的内容直接写在这个模板中",
    ),
    (
        "extends",
        "{% extends 'base' %}",
        "语法错误（第3段附近）：模板不能引用其他模板或文件（{% include %}、{% import %}、"
        "{% from %}、{% extends %}）：请把要用的内容直接写在这个模板中",
    ),
    (
        "unclosed_if",
        "{% if 标题 %}没有结束",
        "语法错误（第3段附近）：“{% if %}”没有对应的“{% endif %}”：可能随一个段落被删除了",
    ),
    (
        "unknown_filter",
        "{{ 标题|大写 }}",
        "语法错误（第3段附近）：没有名为“大写”的过滤器（可用的见 docs/模板上下文.md）",
    ),
    ("stray_brace", "{{ 标题 }", "语法错误（第3段附近）：有多余的“}”"),
    ("division", "{{ 1/0 }}", "渲染失败（第3段附近）：除数为零"),
    ("missing_item", "{{ 标题[999] }}", "取了不存在的第 999 项（第3段附近）"),
]


@pytest.mark.parametrize(
    ("payload", "message"), [c[1:] for c in JINJA_ERRORS], ids=[c[0] for c in JINJA_ERRORS]
)
def test_jinja_errors_in_a_user_template_are_told_in_chinese_with_the_place(
    run_cli: Run, tmp_path: Path, payload: str, message: str
) -> None:
    out = tmp_path / "out"
    templates = payload_template(tmp_path, payload)
    code, _, err = run_cli(str(VALID_INPUT), "--templates", str(templates), "-o", str(out))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{VALID_INPUT}: 模板“评价报告.docx”{message}；附近文字：{{{{ 标题 }}}} / {payload}"
    )
    assert written(out) == []
