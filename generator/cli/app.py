"""The ``genreport`` command group, and the one place errors become exit codes.

``genreport INPUT…`` means ``genreport generate INPUT…``: the group treats a first
argument that is not a command name as the input of ``generate``.
Exit codes: 0 ok, 1 bad input/template/output, 2 usage, 130 interrupted.

Kept apart from ``generator/cli/__init__.py`` so that starting the program imports
nothing before :func:`generator.cli.main` can answer a Ctrl-C.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import click

from generator import __version__
from generator.cli import INTERRUPTED, interrupted_by
from generator.cli.authoring import AUTHORING_COMMANDS
from generator.cli.chinese import CONTEXT_SETTINGS, DefaultGroup, usage_error_text
from generator.cli.generate import check_command, generate_command
from generator.cli.serve import serve_command
from generator.cli.summary import summary_command
from generator.cli.templates import templates_group
from generator.cli.terminal import print_problems
from generator.cli.users import users_group
from generator.errors import GenreportError, Problem

__all__ = ["cli", "dispatch"]


@click.group(cls=DefaultGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(
    __version__, "--version", message="genreport %(version)s", help="显示版本号并退出。"
)
@click.help_option("-h", "--help", help="显示本帮助并退出。")
def cli() -> None:
    """医保转移支付补助资金绩效自评报告生成工具。

    \b
    由一个 YAML 或 Excel 输入文件计算全部金额、比率和得分，为每项资金生成
    一份符合公文格式（GB/T 9704）的 Word 绩效自评报告。

    \b
    示例：
      genreport inputs/2024.yaml              生成报告到 outputs/
      genreport inputs/2024.yaml -o 报告      生成报告到 报告/
      genreport check inputs/2024.yaml        只检查输入，不生成文件
      genreport inputs/2024/                  生成目录中全部输入的报告
      genreport new 2025 --from inputs/2024.yaml -o inputs/2025.yaml
                                              由上一年度的输入新建下一年度的输入
      genreport excel-template -o 2025.xlsx   生成 Excel 填报模板
      genreport convert inputs/2024.yaml      YAML 与 Excel 互相转换
    """


for _command in (
    generate_command,
    check_command,
    *AUTHORING_COMMANDS,
    templates_group,
    serve_command,
    summary_command,
    users_group,
):
    cli.add_command(_command)


def _report(problems: list[Problem] | None, message: str) -> None:
    if problems:
        print_problems(problems)
    else:
        click.echo(f"错误：{message}", err=True)


def dispatch(argv: Sequence[str] | None = None) -> int:
    """Run the command line and turn every outcome into an exit code, never a traceback.

    A Ctrl-C inside a command reaches here as click's ``Abort`` (click has already
    ended the terminal's ``^C`` line); one landing anywhere else propagates as
    ``KeyboardInterrupt`` to :func:`generator.cli.main`, which answers it the same way.
    """
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="genreport",
            standalone_mode=False,
        )
    except click.exceptions.Abort:
        click.echo(INTERRUPTED, err=True)
        return 130
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
            click.echo(f"运行“{exc.ctx.command_path} --help”查看帮助。", err=True)
        click.echo(f"用法错误：{usage_error_text(exc.format_message())}", err=True)
        return exc.exit_code
    except click.ClickException as exc:
        click.echo(f"错误：{exc.format_message()}", err=True)
        return exc.exit_code
    except GenreportError as exc:
        _report(getattr(exc, "problems", None), str(exc))
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # the last line of defence: no traceback for users
        if os.environ.get("GENREPORT_DEBUG") or interrupted_by(exc):
            raise  # a wrapped Ctrl-C is answered by main()
        click.echo(
            f"内部错误：{type(exc).__name__}: {exc}（设置 GENREPORT_DEBUG=1 可查看详情）", err=True
        )
        return 1
    return 0
