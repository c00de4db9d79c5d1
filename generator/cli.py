"""Command line: thin wrappers that call the pipeline and map errors to exit codes.

``genreport INPUT…`` means ``genreport generate INPUT…``: the group treats a first
argument that is not a command name as the input of ``generate``.
Exit codes: 0 ok, 1 bad input/template/output, 2 usage, 130 interrupted.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import GenreportError, InputError, Problem
from .models import FUND_TYPES
from .summary import print_check, print_problems, print_summary

if TYPE_CHECKING:
    from .batch import Outcome

__all__ = ["cli", "main"]

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

        for written in convert_to_pdf([row.path for row in rows], soffice=soffice):
            click.echo(f"已生成 PDF：{_shown(written)}")
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


def _shown(path: Path) -> str:
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
    只有警告时退出码为 0；有错误，或加 --strict 且有警告时，退出码为 1。

    \b
    示例：
      genreport check inputs/2024.yaml
      genreport check inputs/2024.yaml --strict
    """
    from .pipeline import check_file

    failed = False
    for path in inputs:
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


_types = click.option(
    "-t", "--type", "types", multiple=True, type=click.Choice(FUND_TYPES),
    help="资金类型，可重复给出；缺省为全部四类。",
)
_year = click.option("--year", type=click.IntRange(2000, 2100),
                     help="被评价的年度；缺省为上一年。")
_unit = click.option("--unit", help="报告单位，如“示例县医疗保障局”；不给则留空待填。")


def _done(path: Path, what: str, follow: str) -> None:
    click.echo(f"已写入 {path}（{what}）。")
    click.echo(follow)


@cli.command("new", context_settings=CONTEXT_SETTINGS)
@click.argument("year_argument", metavar="[年度]", type=click.IntRange(2000, 2100), required=False)
@click.option("--from", "source", type=click.Path(path_type=Path),
              help="上一年度的输入文件：沿用其资金来源、指标和叙述，数字标为“待填”。")
@_types
@_year
@_unit
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="输出的 YAML 文件；缺省为 inputs/<年度>.yaml。")
@_force
@_templates
def new_command(year_argument: int | None, source: Path | None, types: Sequence[str],
                year: int | None, unit: str | None, output: Path | None, force: bool,
                templates: Path | None) -> None:
    """新建一份带注释的 YAML 输入文件。

    \b
    两种用法：
    · 用 --from 由上一年度的输入开始：沿用资金来源、指标、指标值、分值和叙述，
      叙述中的年份顺延；金额、完成值、评级等标为“待填”，行尾注释说明要填什么，
      上年的完成值记入“上年完成值”以便同比。原文件不会被修改。
    · 不用 --from：按所选资金类型的缺省指标体系新建（缺省指标体系只是起点，
      请按本省当年的通知调整）；冒号后为空的键须填写。
    填好后用 genreport check 检查，它会一次列出全部尚未填写的项。

    \b
    示例：
      genreport new 2025 --from inputs/2024.yaml -o inputs/2025.yaml
      genreport new --type 医疗救助 --year 2025 -o inputs/2025.yaml
      genreport new -t 城乡居民医保 -t 医疗救助 --unit 示例县医疗保障局
    """
    if year_argument is not None and year is not None and year_argument != year:
        raise click.UsageError(f"年度写了两次且不一致：{year_argument} 与 --year {year}")
    chosen_year = year_argument or year
    if source is not None:
        if types or unit:
            raise click.UsageError("--from 与 --type/--unit 不能同时使用：资金和单位沿用上一年度的文件")
        if chosen_year is None:
            raise click.UsageError("请写明新的年度，如：genreport new 2025 --from inputs/2024.yaml -o inputs/2025.yaml")
        _new_from_previous(chosen_year, source, output, force)
        return
    from .scaffold import default_year, new_yaml
    from .write import write_file

    chosen_year = chosen_year or default_year()
    path = output or Path("inputs") / f"{chosen_year}.yaml"
    chosen = tuple(types) or FUND_TYPES
    text = new_yaml(chosen, chosen_year, unit, templates, path.name)
    write_file(path, text.encode("utf-8"), overwrite=force)
    _done(path, f"{len(chosen)} 个项目：{'、'.join(chosen)}",
          f"填写后运行：genreport check {path}")


def _new_from_previous(year: int, source: Path, output: Path | None, force: bool) -> None:
    """The ``new YEAR --from FILE`` form (kept apart so other forms of ``new`` can sit beside it)."""
    from .nextyear import new_from_previous

    created = new_from_previous(year, source, output or Path("inputs") / f"{year}.yaml", force=force)
    click.echo(f"已生成 {created.path}：共 {created.to_fill} 处标为“待填”，请按行尾注释填写；"
               f"填好后运行 genreport check {created.path}。")


@cli.command("excel-template", context_settings=CONTEXT_SETTINGS)
@_types
@_year
@_unit
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="输出的工作簿（.xlsx）；缺省为 inputs/<年度>.xlsx。")
@_force
@_templates
def excel_template_command(types: Sequence[str], year: int | None, unit: str | None,
                           output: Path | None, force: bool, templates: Path | None) -> None:
    """生成一份可直接填写的 Excel 工作簿（填报模板）。

    \b
    每列都有批注说明，类型、提纲、一级、二级、评级、来源等有下拉列表，
    所选每类资金的缺省指标体系已预先填入。填好后可直接作为输入：
    genreport check 2025.xlsx，genreport 2025.xlsx。

    \b
    示例：
      genreport excel-template --type 医疗救助 --year 2025 -o 2025.xlsx
      genreport excel-template -t 城乡居民医保 -t 能力提升 -o 填报.xlsx
    """
    from .load import EXCEL_SUFFIXES
    from .scaffold import default_year, new_workbook
    from .write import write_file

    year = year or default_year()
    path = output or Path("inputs") / f"{year}.xlsx"
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise click.UsageError(f"输出文件应以 .xlsx 结尾：{path}")
    chosen = tuple(types) or FUND_TYPES
    write_file(path, new_workbook(chosen, year, unit, templates, path.name), overwrite=force)
    _done(path, f"{len(chosen)} 个项目：{'、'.join(chosen)}",
          f"填写后运行：genreport check {path}")


@cli.command("convert", context_settings=CONTEXT_SETTINGS)
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="输出文件；缺省为同名、换扩展名（.yaml ↔ .xlsx）。")
@_force
def convert_command(source: Path, output: Path | None, force: bool) -> None:
    """在 YAML 和 Excel 之间转换输入文件，内容不丢失。

    \b
    转换前先按输入格式校验（有误时列出全部问题，不写文件）；转换结果
    与原文件生成完全相同的报告。

    \b
    示例：
      genreport convert inputs/2024.yaml -o inputs/2024.xlsx
      genreport convert inputs/2024.xlsx -o inputs/2024.yaml
    """
    from .convert import kind_of_file, to_workbook, to_yaml
    from .write import write_file

    kind = kind_of_file(source)
    if not kind:
        raise click.UsageError(f"无法转换“{source}”：只支持 .yaml 和 .xlsx 文件")
    target = kind_of_file(output) if output else ("xlsx" if kind == "yaml" else "yaml")
    path = output or source.with_suffix(".xlsx" if target == "xlsx" else ".yaml")
    if target not in {"yaml", "xlsx"} or target == kind:
        wanted = ".xlsx" if kind == "yaml" else ".yaml"
        raise click.UsageError(f"输出文件应以 {wanted} 结尾：{path}")
    data = to_workbook(source) if target == "xlsx" else to_yaml(source).encode("utf-8")
    write_file(path, data, overwrite=force)
    _done(path, f"由 {source} 转换", f"检查：genreport check {path}")


@cli.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("table", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="输出的 YAML 文件；缺省为同名 .yaml。")
@click.option("--year", type=click.IntRange(2000, 2100),
              help="被评价的年度；缺省从表头（如“（2024年度）”）读取。")
@click.option("--unit", help="报告单位；缺省取表中的主管部门。")
@click.option("-t", "--type", "fund_type", type=click.Choice(FUND_TYPES),
              help="资金类型；缺省按项目名称判断，判断不出时留空待填。")
@_force
def import_command(table: Path, output: Path | None, year: int | None, unit: str | None,
                   fund_type: str | None, force: bool) -> None:
    """把财务系统导出的《项目支出绩效自评表》转成输入文件。

    \b
    每个工作表一个项目；读取项目名称、主管部门、资金（年初预算数、全年预算数、
    全年执行数）、年度总体目标、各级指标及其指标值、实际完成值、分值、得分和
    偏差原因，写成 YAML。表中没有的内容（如叙述）以注释标出，请补充后再生成。

    \b
    示例：
      genreport import 自评表.xlsx -o inputs/2024.yaml
      genreport import 自评表.xlsx --year 2024 --unit 示例县医疗保障局 -t 医疗救助
    """
    from .selfeval_import import import_table
    from .write import write_file

    path = output or table.with_suffix(".yaml")
    if path.suffix.lower() not in {".yaml", ".yml"}:
        raise click.UsageError(f"输出文件应以 .yaml 结尾：{path}")
    imported = import_table(table, year=year, unit=unit, fund_type=fund_type)
    write_file(path, imported.text.encode("utf-8"), overwrite=force)
    _done(path, f"{imported.funds} 个项目", f"补充注释中标出的内容后运行：genreport check {path}")
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




@cli.command("rollup", context_settings=CONTEXT_SETTINGS)
@_inputs
@click.option("--unit", "unit", required=True, help="汇总后报告的单位，如 示例市医疗保障局。")
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="写出的汇总输入文件（.yaml）。")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖它。")
@_templates
def rollup_command(
    inputs: Sequence[Path], unit: str, output: Path, force: bool, templates: Path | None
) -> None:
    """由各县区输入汇总生成市级输入文件。

    \b
    资金按来源求和；计数类指标的完成值求和，比率等相对值按各县区资金规模加权平均；
    定性指标取最弱的评级并注明县区；各县区的叙述收集在一起，标明“待压缩”，
    由撰写人改写。资金按“类型”、指标按“一级/二级/名称”对应，不一致时报错。
    生成的文件含“县区对比”，报告中可列出各县区的得分、等级、执行率和到位率。

    \b
    示例：
      genreport rollup inputs/2024/counties/*.yaml --unit 示例市医疗保障局 -o inputs/2024/city.yaml
      genreport inputs/2024/city.yaml
    """
    from .batch import collect_inputs
    from .errors import InputError, Location, OutputError
    from .pipeline import check_file
    from .rollup import rollup, to_yaml
    from .validate import validate_input
    from .write import write_file

    paths, missing = collect_inputs(inputs)
    problems = list(missing)
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise OutputError(f"输出文件“{output}”应以 .yaml 结尾")
    if any(p.resolve() == output.resolve() for p in paths):
        raise OutputError(f"输出文件“{output}”是输入之一；汇总从不修改输入，请换一个文件名")
    if output.exists() and not force:
        raise OutputError(f"“{output}”已存在；如需覆盖请加 --force")
    checked = []
    for path in paths:
        try:
            checked.append(check_file(path, templates=templates))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    text = to_yaml(rollup(checked, unit))
    from .load import load_yaml_text

    try:
        validate_input(load_yaml_text(text, str(output)))
    except InputError as exc:  # a bug in the roll-up, never the user's fault
        raise InputError([Problem(Location(str(output)), f"汇总结果无效：{p.message}")
                          for p in exc.problems]) from None
    write_file(output, text.encode("utf-8"), overwrite=True)  # existence checked above
    click.echo(f"已写入 {output}（汇总 {len(checked)} 个输入）。")
    try:
        result = check_file(output, templates=templates)
    except InputError as exc:
        print_problems(exc.problems)
        click.echo("汇总文件需要修改后才能生成报告（见上）。", err=True)
        raise SystemExit(1) from None
    print_problems(list(result.warnings))
    click.echo(f"请压缩标有“待压缩”的文字后运行：genreport {output}")




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

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
