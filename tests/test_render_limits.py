"""Templates and narrative snippets are bounded in time and in the size of what they build.

Jinja's sandbox already stops attribute tricks; these tests cover what it lets through:
huge repetitions, powers, format widths and loops that never end in useful time.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from docx import Document

from generator import limits
from generator.sandbox import RenderLimitError, make_environment, render_budget

from .conftest import FIXTURES

VALID = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('{{ "字" * 100000000 }}', "重复生成的内容超过1000000个字符的上限，已拒绝"),
        ("{{ [1, 2] * 10000000 }}", "重复生成的内容超过1000000个字符的上限，已拒绝"),
        ("{{ 2 ** 10000000 }}", "乘方结果过大，已拒绝"),
        ('{{ "%999999999d" % 1 }}', "格式化结果超过1000000个字符的上限，已拒绝"),
        ('{{ "{:>999999999}".format(1) }}', "格式化结果超过1000000个字符的上限，已拒绝"),
        ('{{ "x"|center(999999999) }}', "参数超过1000000个字符的上限，已拒绝"),
        ('{{ "%999999999d"|format(1) }}', "格式化结果超过1000000个字符的上限，已拒绝"),
        ("{% for i in range(100000) %}{% endfor %}", "range() 过大（100000 项，上限 10000）"),
    ],
    ids=["string repeat", "list repeat", "huge power", "printf width", "format width",
         "center filter", "format filter", "range"],
)
def test_oversized_results_are_refused_before_they_are_built(source: str, message: str) -> None:
    env = make_environment(autoescape=False)
    with pytest.raises(RenderLimitError) as caught:
        env.from_string(source).render()
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{{ "一" * 3 }}', "一一一"),
        ("{{ 2 ** 10 }}", "1024"),
        ('{{ "%05.1f" % 3.14159 }}', "003.1"),
        ('{{ "{:>4}".format("x") }}', "   x"),
        ('{{ "x"|center(5) }}', "  x  "),
        ("{{ 26030305 + 1 }}", "26030306"),
        ("{% for i in range(3) %}{{ i }}{% endfor %}", "012"),
        ("{{ range(3)|list|length }}", "3"),
    ],
    ids=["small repeat", "small power", "printf", "format", "center", "big numbers",
         "range loop", "range length"],
)
def test_ordinary_expressions_still_work(source: str, expected: str) -> None:
    assert make_environment(autoescape=False).from_string(source).render() == expected


def test_a_tight_loop_that_calls_nothing_is_stopped_by_the_time_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_RENDER_SECONDS", 0.3)
    env = make_environment(autoescape=False)
    loops = "{% for a in s %}{% for b in s %}{% for c in s %}{% endfor %}{% endfor %}{% endfor %}"
    with pytest.raises(RenderLimitError) as caught:
        env.from_string(loops).render(s="字" * 2000)
    assert caught.value.message == ("渲染用时超过0.3秒上限，已停止（模板或占位符中可能有过大的循环）")


def test_the_budget_restores_the_previous_alarm_handler() -> None:
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timer on this platform")
    before = signal.getsignal(signal.SIGALRM)
    with render_budget(5):
        pass
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_placeholder_payload_is_an_input_error_naming_the_field(
    run_cli, tmp_path: Path
) -> None:
    path = tmp_path / "输入.yaml"
    text = VALID.replace("县级配套资金到位率为{{ 到位率 }}，未全额到位。", "'{{ 到位率 * 100000000 }}'")
    path.write_text(text, encoding="utf-8")
    code, _, stderr = run_cli(str(path), "-o", str(tmp_path / "out"))
    assert code == 1
    assert stderr.splitlines()[0] == (
        f"{path}:21: 项目[1].叙述.存在问题：占位符无法求值：重复生成的内容超过1000000个字符的上限，已拒绝")
    assert not (tmp_path / "out").exists()


def test_a_template_that_renders_too_long_is_stopped_with_its_name(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(limits, "MAX_RENDER_SECONDS", 0.5)
    templates = tmp_path / "模板"
    templates.mkdir()
    document = Document()
    document.add_paragraph("{{ 标题 }}")
    document.add_paragraph("{% for i in range(9999) %}{% for j in range(9999) %}{% for k in "
                           "range(9999) %}{% endfor %}{% endfor %}{% endfor %}")
    document.save(str(templates / "评价报告.docx"))
    source = tmp_path / "输入.yaml"
    source.write_text(VALID, encoding="utf-8")
    code, _, stderr = run_cli(str(source), "-o", str(tmp_path / "out"), "--templates",
                              str(templates))
    assert code == 1
    assert stderr.splitlines()[0] == (
        "错误：模板“评价报告.docx”渲染失败：渲染用时超过0.5秒上限，已停止（模板或占位符中可能有过大的循环）")
    assert not (tmp_path / "out").exists()
