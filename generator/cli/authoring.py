"""Commands that write input files: ``new``, ``excel-template``, ``convert``, ``import``, ``rollup``.

Each only parses arguments and calls its module in generator.authoring.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from generator.cli import options
from generator.cli.chinese import command
from generator.cli.terminal import print_import_summary, print_problems
from generator.core.vocabulary import FUND_TYPES
from generator.errors import Problem
from generator.inputs.source import EXCEL_SUFFIXES, YAML_SUFFIXES

__all__ = ["AUTHORING_COMMANDS"]


def _scaffold_target(
    types: Sequence[str], year: int | None, output: Path | None, suffix: str
) -> tuple[tuple[str, ...], int, Path]:
    """Defaults shared by new and excel-template: all four types, last year, inputs/<年度>."""
    from generator.authoring.scaffold import default_year

    chosen_year = year or default_year()
    return (
        tuple(types) or FUND_TYPES,
        chosen_year,
        output or Path("inputs") / f"{chosen_year}{suffix}",
    )


def _write_scaffold(path: Path, data: bytes, chosen: tuple[str, ...], force: bool) -> None:
    from generator.output.write import write_file

    write_file(path, data, overwrite=force)
    _done(path, f"{len(chosen)} 个项目：{'、'.join(chosen)}", f"填写后运行：genreport check {path}")


def _done(path: Path, what: str, follow: str) -> None:
    click.echo(f"已写入 {path}（{what}）。")
    click.echo(follow)


@command("new")
@click.argument("year_argument", metavar="[年度]", type=click.IntRange(2000, 2100), required=False)
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    help="上一年度的输入文件：沿用其资金来源、指标和叙述，数字标为“待填”。",
)
@options.scaffold("输出的 YAML 文件；缺省为 inputs/<年度>.yaml。")
def new_command(
    year_argument: int | None,
    source: Path | None,
    types: Sequence[str],
    year: int | None,
    unit: str | None,
    output: Path | None,
    force: bool,
    templates: Path | None,
) -> None:
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
            raise click.UsageError(
                "--from 与 --type/--unit 不能同时使用：资金和单位沿用上一年度的文件"
            )
        if chosen_year is None:
            raise click.UsageError(
                "请写明新的年度，如：genreport new 2025 --from inputs/2024.yaml -o inputs/2025.yaml"
            )
        _new_from_previous(chosen_year, source, output, force)
        return
    from generator.authoring.scaffold import new_yaml, skeleton

    chosen, chosen_year, path = _scaffold_target(types, chosen_year, output, ".yaml")
    text = new_yaml(skeleton(chosen, chosen_year, unit, templates), path.name)
    _write_scaffold(path, text.encode("utf-8"), chosen, force)


def _new_from_previous(year: int, source: Path, output: Path | None, force: bool) -> None:
    """The ``new YEAR --from FILE`` form (kept apart so other forms of ``new`` can sit beside it)."""
    from generator.authoring.nextyear import new_from_previous

    created = new_from_previous(
        year, source, output or Path("inputs") / f"{year}.yaml", force=force
    )
    click.echo(
        f"已生成 {created.path}：共 {created.to_fill} 处标为“待填”，请按行尾注释填写；"
        f"填好后运行 genreport check {created.path}。"
    )


@command("excel-template")
@options.scaffold("输出的工作簿（.xlsx）；缺省为 inputs/<年度>.xlsx。")
def excel_template_command(
    types: Sequence[str],
    year: int | None,
    unit: str | None,
    output: Path | None,
    force: bool,
    templates: Path | None,
) -> None:
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
    from generator.authoring.scaffold import new_workbook, skeleton
    from generator.inputs.source import EXCEL_SUFFIXES

    chosen, chosen_year, path = _scaffold_target(types, year, output, ".xlsx")
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise click.UsageError(f"输出文件应以 .xlsx 结尾：{path}")
    data = new_workbook(skeleton(chosen, chosen_year, unit, templates), path.name)
    _write_scaffold(path, data, chosen, force)


@command("convert")
@click.argument("source", type=click.Path(path_type=Path))
@options.output_file("输出文件；缺省为同名、换扩展名（.yaml ↔ .xlsx）。")
@options.force
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
    from generator.authoring.convert import kind_of_file, to_workbook, to_yaml
    from generator.output.write import write_file

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


@command("import")
@click.argument("source", metavar="文件", type=click.Path(path_type=Path))
@options.output_file("输出的 YAML 文件；缺省为同名 .yaml。")
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    help="被评价的年度；缺省从标题或表头（如“（2024年度）”）读取。",
)
@click.option("--unit", help="报告单位；缺省取报告的标题或落款（自评表取主管部门）。")
@click.option(
    "-t",
    "--type",
    "fund_type",
    type=click.Choice(FUND_TYPES),
    help="资金类型；缺省按标题或项目名称判断，判断不出时留空待填。",
)
@options.force
def import_command(
    source: Path,
    output: Path | None,
    year: int | None,
    unit: str | None,
    fund_type: str | None,
    force: bool,
) -> None:
    """把上年的绩效自评报告（.docx、.txt）或财务系统导出的自评表（.xlsx）转成输入文件。

    \b
    报告：读取单位、年度、主送、落款日期，合订本中的每份报告及其资金类型和提纲，
    资金来源和金额，绩效指标（自评表或正文中的列表），各部分文字（按标题放入叙述栏目，
    放不进的放在“待归类”），以及开头引用的政策文件和文号。每个值的注释写明取自原报告
    何处；推断的值标有“【待核对】”，genreport check 会逐条列出。
    自评表：每个工作表一个项目，读取资金、年度总体目标和各级指标。

    \b
    示例：
      genreport import 2023年自评报告.docx -o inputs/2023.yaml
      genreport import 网站公开的报告.txt -o inputs/2023.yaml --unit 示例县医疗保障局
      genreport import 自评表.xlsx --year 2024 -t 医疗救助
    """
    from generator.output.write import write_file

    path = output or source.with_suffix(".yaml")
    if path.suffix.lower() not in YAML_SUFFIXES:
        raise click.UsageError(f"输出文件应以 .yaml 结尾：{path}")
    if source.suffix.lower() in EXCEL_SUFFIXES:
        from generator.authoring.import_selfeval import import_table

        imported = import_table(source, year=year, unit=unit, fund_type=fund_type)
        write_file(path, imported.text.encode("utf-8"), overwrite=force)
        _done(
            path, f"{imported.funds} 个项目", f"补充注释中标出的内容后运行：genreport check {path}"
        )
        return
    from generator.authoring.import_report import import_report
    from generator.authoring.reading.assemble import Given

    report = import_report(source, path, Given(year=year, unit=unit, fund_type=fund_type))
    write_file(path, report.assembled.text.encode("utf-8"), overwrite=force)
    print_import_summary(source, path, report)


@command("rollup")
@options.inputs
@click.option("--unit", "unit", required=True, help="汇总后报告的单位，如 示例市医疗保障局。")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="写出的汇总输入文件（.yaml）。",
)
@options.force
@options.templates
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
    from generator.authoring.rollup import city_input_text, rollup
    from generator.batch import check_all, collect_inputs
    from generator.errors import InputError, Location, OutputError
    from generator.inputs.validate import validate_input
    from generator.output.write import write_file
    from generator.pipeline import check_file

    paths, missing = collect_inputs(inputs)
    if output.suffix.lower() not in YAML_SUFFIXES:
        raise OutputError(f"输出文件“{output}”应以 .yaml 结尾")
    if any(p.resolve() == output.resolve() for p in paths):
        raise OutputError(f"输出文件“{output}”是输入之一；汇总从不修改输入，请换一个文件名")
    if output.exists() and not force:
        raise OutputError(f"“{output}”已存在；如需覆盖请加 --force")
    if missing:
        raise InputError(missing)
    checked = check_all(paths, templates=templates)
    text = city_input_text(rollup(checked, unit))
    from generator.inputs.yaml_read import load_yaml_text

    try:
        validate_input(load_yaml_text(text, str(output)))
    except InputError as exc:  # a bug in the roll-up, never the user's fault
        raise InputError(
            [Problem(Location(str(output)), f"汇总结果无效：{p.message}") for p in exc.problems]
        ) from None
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


AUTHORING_COMMANDS = (
    new_command,
    excel_template_command,
    convert_command,
    import_command,
    rollup_command,
)
