"""``templates export`` and ``templates check``: editable Word templates for a province."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli import options
from generator.cli.chinese import CONTEXT_SETTINGS, group
from generator.cli.terminal import shown

__all__ = ["templates_group"]


@group("templates")
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
@options.force
def templates_export_command(directory: Path, force: bool) -> None:
    """把内置模板、措辞.yaml 和评分规则复制到目录中，供修改。

    \b
    已有同名文件时不覆盖（避免丢失修改），除非加 --force。

    \b
    示例：
      genreport templates export 我的模板
      genreport templates export 我的模板 --force
    """
    from generator.render.export import export_templates

    for path in export_templates(directory, force=force):
        click.echo(f"已导出 {shown(path)}")
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
    from generator.render.lint import check_template_dir

    checked, problems = check_template_dir(target, each_split=verbose)
    for problem in problems:
        prefix = "" if problem.is_error else "警告："
        click.echo(f"{prefix}{problem}", err=True)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    click.echo(f"检查了 {len(checked)} 个模板：{errors} 个错误，{warnings} 个警告。")
    if errors:
        raise SystemExit(1)
