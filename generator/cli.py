"""Command line: thin wrappers that call the pipeline and map errors to exit codes.

``genreport INPUT…`` means ``genreport generate INPUT…``: the group treats a first
argument that is not a command name as the input of ``generate``.
Exit codes: 0 ok, 1 bad input/template/output, 2 usage, 130 interrupted.

This module holds the group, the shared options, ``generate``, ``check`` and
:func:`main`; the commands that write input files or templates (``new``,
``excel-template``, ``convert``, ``import``, ``rollup``, ``templates``) live in
:mod:`generator.cli_files` and are registered on the same group.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .errors import GenreportError, InputError, Problem
from .summary import print_check, print_problems, print_summary

if TYPE_CHECKING:
    from .batch import Outcome

__all__ = ["cli", "main", "run"]

DEFAULT_COMMAND = "generate"

#: Ctrl-C: writes are atomic, so every report on disk is whole; say so in one line.
INTERRUPTED = "已中断：已写出的报告都是完整的，未写完的没有留下；重新运行即可生成全部报告。"

_SECTIONS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class ChineseHelpFormatter(click.HelpFormatter):
    """Click's own headings in Chinese, like the rest of the help."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
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
    (re.compile(r"No such option:? '?([^'\s]+?)'?\.?(?: Did you mean '?([^'\s]+?)'?\?)?$"),
     "没有选项 {0}"),
    (re.compile(r"No such command '([^']+)'\.?"), "没有命令“{0}”"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "多余的参数：{0}"),
    (re.compile(r"Option '([^']+)' requires an argument\.?"), "选项 {0} 需要一个值"),
    (re.compile(r"Invalid value for '([^']+)': (.*)"), "参数 {0} 的值无效：{1}"),
)


def _usage_error_text(message: str) -> str:
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
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names \
                and args[0] != "--version":
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", message="genreport %(version)s",
                      help="显示版本号并退出。")
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


_inputs = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(path_type=Path)
)
_strict = click.option("--strict", is_flag=True, help="把警告当作错误处理（退出码 1）。")
_previous = click.option(
    "--previous", type=click.Path(path_type=Path),
    help="上一年度的输入文件：未写“上年完成值”的指标取其完成值，用于同比表述。",
)
_templates = click.option(
    "--templates", type=click.Path(path_type=Path, file_okay=False),
    help="自定义模板目录，其中的文件优先于内置模板。",
)


_force = click.option("--force", is_flag=True, help="输出文件已存在时覆盖它（缺省不覆盖）。")


@cli.command("generate", context_settings=CONTEXT_SETTINGS)
@_inputs
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), default=Path("outputs"),
              help="输出目录，缺省 outputs；报告写入 <目录>/<年度>/。")
@_strict
@_previous
@_templates
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="并行的工作进程数，缺省 0 表示按 CPU 核数；1 表示在本进程中逐个生成。")
@click.option("--progress/--no-progress", default=None,
              help="是否显示进度条；缺省在终端中处理多个输入时显示。")
@click.option("--pdf", "pdf", is_flag=True,
              help="同时用 LibreOffice 把每份 .docx 转为 PDF，放在 .docx 旁边。")
@click.option("--force", is_flag=True,
              help="覆盖生成后被手工修改过的报告（缺省把修改过的文件另存一份，不覆盖）。")
def generate_command(
    inputs: Sequence[Path], output: Path, strict: bool, previous: Path | None,
    templates: Path | None, jobs: int, progress: bool | None, pdf: bool, force: bool,
) -> None:
    """生成绩效自评报告（缺省命令，可省略 generate）。

    \b
    每项资金生成一份 <单位>-<名称>-绩效自评报告.docx；输入含多项资金时，
    另生成一份合订本。输入有误时列出全部问题，不写该输入的任何文件。
    加 --pdf 时另生成同名 PDF（需要安装 LibreOffice）。
    上次生成后被手工修改过的报告不会被覆盖：原文件改名另存，并在结尾提示。

    \b
    可以一次给出多个输入文件，或一个目录（其中全部 .yaml/.yml/.xlsx 文件，按路径排序）：
    各输入在多个进程中并行生成，一个输入有误不影响其他输入，最后列出汇总表；
    任一输入失败时退出码为 1。

    \b
    示例：
      genreport inputs/2024.yaml
      genreport generate inputs/2024.yaml -o outputs --strict
      genreport inputs/2024/ -j 4
      genreport inputs/2024.yaml --previous inputs/2023.yaml
      genreport inputs/2024.yaml --pdf
      genreport inputs/2024.yaml --force      覆盖手工修改过的报告
    """
    from .batch import collect_inputs, default_jobs, run_batch
    from .summary import problem_lines

    soffice = None
    if pdf:
        from .pdf import find_soffice

        soffice = find_soffice()  # before anything is written
    paths, missing = collect_inputs(inputs)
    for problem in missing:
        click.echo(str(problem), err=True)
    batch = len(paths) > 1
    show = progress if progress is not None else (batch and sys.stderr.isatty())
    bar = _ProgressBar(len(paths), forced=bool(progress)) if show and paths else None
    echo = bar.echo if bar is not None else (lambda line: click.echo(line, err=True))

    def done(outcome: Outcome) -> None:
        problems = outcome.problems or (outcome.generated.warnings if outcome.generated else ())
        for line in problem_lines(problems, batch=batch):
            echo(line)
        if bar is not None:
            bar.advance()

    try:
        outcomes = run_batch(paths, output, jobs=jobs or default_jobs(), templates=templates,
                             strict=strict, previous=previous, force=force,
                             started=bar.start if bar else lambda: None, done=done)
    finally:
        if bar is not None:
            bar.stop()
    rows = [row for o in outcomes if o.generated for row in o.generated.rows]
    if rows:
        print_summary(rows)
    failed = [o.input for o in outcomes if not o.ok]
    if batch:
        text = f"共 {len(outcomes)} 个输入：成功 {len(outcomes) - len(failed)} 个，失败 {len(failed)} 个"
        click.echo(text + (f"（{'、'.join(failed)}）。" if failed else "。"))
    if soffice is not None and rows:
        from .pdf import convert_to_pdf

        for written in convert_to_pdf([row.path for row in rows], soffice=soffice, force=force):
            click.echo(f"已生成 PDF：{shown(written)}")
    if failed or missing:
        raise SystemExit(1)


class _ProgressBar:
    """A rich progress bar on stderr; problems are printed above it, not through it."""

    def __init__(self, total: int, *, forced: bool) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(stderr=True, force_terminal=True if forced else None)
        self._progress = Progress(TextColumn("生成报告"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=console)
        self._task = self._progress.add_task("生成报告", total=total)
        self._console = console

    def start(self) -> None:
        self._progress.start()

    def stop(self) -> None:
        self._progress.stop()

    def advance(self) -> None:
        self._progress.advance(self._task)

    def echo(self, line: str) -> None:
        self._console.print(line, markup=False, highlight=False, soft_wrap=True)


def shown(path: Path) -> str:
    """A path relative to the working directory when it lies below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@cli.command("check", context_settings=CONTEXT_SETTINGS)
@_inputs
@_strict
@_previous
@_templates
def check_command(
    inputs: Sequence[Path], strict: bool, previous: Path | None, templates: Path | None
) -> None:
    """检查输入文件：运行全部校验、计算和交叉核对，不写任何文件。

    \b
    除输入错误外，还核对容易出错的地方，以表格列出每条发现（级别、位置、问题、建议）：
    叙述中与计算结果相近却不相等的数字（如结余写成 282.88万元，实为 282.87万元）、
    到位数大于预算数、同一级次资金重复、完成值远超指标值、比率超过100%、指标重名、
    叙述中的其他年份、等级区间的空档或重叠、文中得分或等级与计算结果不符等。
    给出目录时检查其中全部输入文件（.yaml/.yml/.xlsx），与生成报告时相同。
    只有警告时退出码为 0；有错误，或加 --strict 且有警告时，退出码为 1。

    \b
    示例：
      genreport check inputs/2024.yaml
      genreport check inputs/2024.yaml --strict
      genreport check inputs/2024/
    """
    from .batch import collect_inputs
    from .pipeline import check_file

    paths, missing = collect_inputs(inputs)
    for problem in missing:
        click.echo(str(problem), err=True)
    failed = bool(missing)
    for path in paths:
        try:
            checked = check_file(path, templates=templates, previous=previous)
        except InputError as exc:
            print_problems(exc.problems)
            failed = True
            continue
        print_check(str(path), checked, strict=strict)
        failed = failed or (strict and bool(checked.warnings))
    if failed:
        raise SystemExit(1)


def _report(problems: list[Problem] | None, message: str) -> None:
    if problems:
        print_problems(problems)
    else:
        click.echo(f"错误：{message}", err=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point; never lets a traceback reach the user."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="genreport",
                 standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo(INTERRUPTED, err=True)
        return 130
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
            click.echo(f"运行“{exc.ctx.command_path} --help”查看帮助。", err=True)
        click.echo(f"用法错误：{_usage_error_text(exc.format_message())}", err=True)
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
        if os.environ.get("GENREPORT_DEBUG"):
            raise
        click.echo(f"内部错误：{type(exc).__name__}: {exc}（设置 GENREPORT_DEBUG=1 可查看详情）",
                   err=True)
        return 1
    return 0


def run() -> NoReturn:
    """The ``genreport`` command: :func:`main`, then a quick exit.

    At exit Python runs garbage collection over every object still alive (models,
    compiled templates, parsed inputs), tens of milliseconds for a process that is
    ending anyway; frozen objects are skipped. main() itself stays usable in-process.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


# The commands that write input files and templates register themselves on ``cli``.
from . import cli_files  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    run()
