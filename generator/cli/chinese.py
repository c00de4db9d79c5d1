"""Click speaking Chinese: headings, --help, usage errors, and ``generate`` as the default.

Everything a user reads is in Chinese, click's own words included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import click

__all__ = [
    "CONTEXT_SETTINGS",
    "ChineseCommand",
    "ChineseGroup",
    "DefaultGroup",
    "command",
    "group",
    "usage_error_text",
]

DEFAULT_COMMAND = "generate"

_SECTIONS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class ChineseHelpFormatter(click.HelpFormatter):
    """Click's own headings in Chinese, like the rest of the help."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # noqa: ARG002
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_SECTIONS.get(heading, heading))


click.Context.formatter_class = ChineseHelpFormatter

CONTEXT_SETTINGS: dict[str, Any] = {
    "help_option_names": ["-h", "--help"],
    "max_content_width": 100,
}

#: Click's usage errors, rewritten in Chinese (prefix match on the English text).
_USAGE_ERRORS = (
    (re.compile(r"Missing argument '([^']+)'\.?"), "缺少参数 {0}"),
    (
        re.compile(r"No such option:? '?([^'\s]+?)'?\.?(?: Did you mean '?([^'\s]+?)'?\?)?$"),
        "没有选项 {0}",
    ),
    (re.compile(r"No such command '([^']+)'\.?"), "没有命令“{0}”"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "多余的参数：{0}"),
    (re.compile(r"Option '([^']+)' requires an argument\.?"), "选项 {0} 需要一个值"),
    (re.compile(r"Invalid value for '([^']+)': (.*)"), "参数 {0} 的值无效：{1}"),
)


def usage_error_text(message: str) -> str:
    for pattern, chinese in _USAGE_ERRORS:
        match = pattern.match(message)
        if match:
            return chinese.format(*(g or "" for g in match.groups()))
    return message


class _ChineseHelp:
    """Describe the --help option in Chinese, like the rest of the help."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option  # type: ignore[no-any-return]


class ChineseCommand(_ChineseHelp, click.Command):
    """A command whose help is entirely in Chinese."""


class ChineseGroup(_ChineseHelp, click.Group):
    """A sub-group (``templates``) whose commands and --help speak Chinese too."""

    command_class = ChineseCommand


class DefaultGroup(click.Group):
    """A group whose default command is ``generate`` when no command name is given."""

    command_class = ChineseCommand
    group_class = ChineseGroup

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if (
            args
            and args[0] not in self.commands
            and args[0] not in ctx.help_option_names
            and args[0] != "--version"
        ):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


def command(name: str) -> Callable[[Callable[..., Any]], click.Command]:
    """``@command("check")``: a Chinese-speaking command, registered by generator.cli."""
    return click.command(name, cls=ChineseCommand, context_settings=CONTEXT_SETTINGS)


def group(name: str) -> Callable[[Callable[..., Any]], click.Group]:
    """``@group("templates")``: a Chinese-speaking sub-group of commands."""
    return click.group(name, cls=ChineseGroup, context_settings=CONTEXT_SETTINGS)
