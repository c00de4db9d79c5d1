"""Command line: thin wrappers that call the pipeline and map errors to exit codes.

``genreport INPUT…`` means ``genreport generate INPUT…``: the group treats a first
argument that is not a command name as the input of ``generate``.
Exit codes: 0 ok, 1 bad input/template/output, 2 usage, 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import GenreportError, InputError, Problem
from .summary import print_check, print_problems, print_summary

__all__ = ["cli", "main"]

DEFAULT_COMMAND = "generate"

CONTEXT_SETTINGS: dict[str, Any] = {
    "help_option_names": ["-h", "--help"],
    "max_content_width": 100,
}


class DefaultGroup(click.Group):
    """A group whose default command is ``generate`` when no command name is given."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names \
                and args[0] != "--version":
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", message="genreport %(version)s")
def cli() -> None:
    """医保转移支付补助资金绩效自评报告生成工具。

    \b
    由一个 YAML 输入文件计算全部金额、比率和得分，为每项资金生成一份
    符合公文格式（GB/T 9704）的 Word 绩效自评报告。

    \b
    示例：
      genreport inputs/2024.yaml              生成报告到 outputs/
      genreport inputs/2024.yaml -o 报告      生成报告到 报告/
      genreport check inputs/2024.yaml        只检查输入，不生成文件
    """


_inputs = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(path_type=Path)
)
_strict = click.option("--strict", is_flag=True, help="把警告当作错误处理（退出码 1）。")
_templates = click.option(
    "--templates", type=click.Path(path_type=Path, file_okay=False),
    help="自定义模板目录，其中的文件优先于内置模板。",
)


@cli.command("generate", context_settings=CONTEXT_SETTINGS)
@_inputs
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), default=Path("outputs"),
              show_default=True, help="输出目录；报告写入 <目录>/<年度>/。")
@_strict
@_templates
@click.option("--pdf", "pdf", is_flag=True,
              help="同时用 LibreOffice 把每份 .docx 转为 PDF，放在 .docx 旁边。")
def generate_command(
    inputs: Sequence[Path], output: Path, strict: bool, templates: Path | None, pdf: bool
) -> None:
    """生成绩效自评报告（缺省命令，可省略 generate）。

    \b
    每项资金生成一份 <单位>-<名称>-绩效自评报告.docx；输入含多项资金时，
    另生成一份合订本。输入有误时列出全部问题，不写任何文件。
    加 --pdf 时另生成同名 PDF（需要安装 LibreOffice）。

    \b
    示例：
      genreport inputs/2024.yaml
      genreport generate inputs/2024.yaml -o outputs --strict
      genreport inputs/2024.yaml --pdf
    """
    from .pipeline import generate_file

    soffice = None
    if pdf:
        from .pdf import find_soffice

        soffice = find_soffice()  # before anything is written
    failed = False
    documents: list[Path] = []
    for path in inputs:
        try:
            generated = generate_file(path, output, templates=templates, strict=strict)
        except InputError as exc:
            print_problems(exc.problems)
            failed = True
            continue
        print_problems(list(generated.warnings))
        print_summary(generated.rows)
        documents.extend(row.path for row in generated.rows)
    if soffice is not None and documents:
        from .pdf import convert_to_pdf

        for written in convert_to_pdf(documents, soffice=soffice):
            click.echo(f"已生成 PDF：{_shown(written)}")
    if failed:
        raise SystemExit(1)


def _shown(path: Path) -> str:
    """A path relative to the working directory when it lies below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@cli.command("check", context_settings=CONTEXT_SETTINGS)
@_inputs
@_strict
@_templates
def check_command(inputs: Sequence[Path], strict: bool, templates: Path | None) -> None:
    """检查输入文件：运行全部校验和计算，不写任何文件。

    \b
    示例：
      genreport check inputs/2024.yaml
      genreport check inputs/2024.yaml --strict
    """
    from .pipeline import check_file

    failed = False
    for path in inputs:
        try:
            checked = check_file(path, templates=templates, strict=strict)
        except InputError as exc:
            print_problems(exc.problems)
            failed = True
            continue
        print_check(str(path), checked)
    if failed:
        raise SystemExit(1)


@cli.group("templates", context_settings=CONTEXT_SETTINGS)
def templates_group() -> None:
    """导出、检查可编辑的 Word 模板。

    \b
    先把内置模板导出到一个目录，在 Word 或 WPS 中修改措辞，检查无误后
    用 --templates 目录 生成报告。详见 docs/自定义模板.md。

    \b
    示例：
      genreport templates export 我的模板
      genreport templates check 我的模板
      genreport inputs/2024.yaml --templates 我的模板
    """


@templates_group.command("export", context_settings=CONTEXT_SETTINGS)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="覆盖目录中已有的同名文件。")
def templates_export_command(directory: Path, force: bool) -> None:
    """把内置模板、措辞.yaml 和评分规则复制到目录中，供修改。

    \b
    已有同名文件时不覆盖（避免丢失修改），除非加 --force。

    \b
    示例：
      genreport templates export 我的模板
      genreport templates export 我的模板 --force
    """
    from .template_files import export_templates

    for path in export_templates(directory, force=force):
        click.echo(f"已导出 {_shown(path)}")
    click.echo(f"修改后请运行：genreport templates check {directory}")


@templates_group.command("check", context_settings=CONTEXT_SETTINGS)
@click.argument("target", type=click.Path(path_type=Path, exists=True))
@click.option("-v", "--verbose", is_flag=True, help="逐个列出被拆分的标签。")
def templates_check_command(target: Path, verbose: bool) -> None:
    """检查模板目录（或一个 .docx 模板）：一次列出全部问题及其位置。

    \b
    检查标签写法、未结束的 {% if %}/{% for %}、不存在的名称、中文引号、
    被 Word 拆分的标签、表格宽度，以及目录中的措辞.yaml 和评分规则。
    有错误时退出码为 1。

    \b
    示例：
      genreport templates check 我的模板
      genreport templates check 我的模板/评价报告.docx -v
    """
    from .template_check import check_template_dir

    checked, problems = check_template_dir(target, each_split=verbose)
    for problem in problems:
        prefix = "" if problem.is_error else "警告："
        click.echo(f"{prefix}{problem}", err=True)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    click.echo(f"检查了 {len(checked)} 个模板：{errors} 个错误，{warnings} 个警告。")
    if errors:
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
    except click.exceptions.Abort:
        click.echo("已中断。", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("已中断。", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
