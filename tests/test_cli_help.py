"""Every command is documented: Chinese help with an example, reachable by --help."""

from __future__ import annotations

import re

import pytest

from generator.cli import cli

from .conftest import VALID_INPUT

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_chinese_help_with_an_example(run_cli, command: str) -> None:
    code, out, _ = run_cli(command, "--help")
    assert code == 0
    assert "示例" in out
    assert re.search(r"[\u4e00-\u9fff]", out.splitlines()[2])
    assert f"genreport {command}" in out or command == "generate"


def test_top_level_help_lists_every_command(run_cli) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out


def test_check_of_a_valid_input_reports_no_problems(run_cli) -> None:
    code, out, _ = run_cli("check", str(VALID_INPUT))
    assert code == 0
    assert "检查完成，未发现问题" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate"], "用法错误：缺少参数 INPUTS..."),
        (["check", "--bogus", "x.yaml"], "用法错误：没有选项 --bogus"),
    ],
    ids=["missing input", "unknown option"],
)
def test_usage_errors_are_in_chinese_and_exit_2(run_cli, args: list[str], message: str) -> None:
    code, _, stderr = run_cli(*args)
    assert code == 2
    assert stderr.splitlines()[-1] == message


def test_help_has_no_english_boilerplate(run_cli) -> None:
    for command in ["--help", *[f"{c} --help" for c in COMMANDS]]:
        _, out, _ = run_cli(*command.split())
        assert "Show this message" not in out
        assert "Usage:" not in out
        assert "[default:" not in out
