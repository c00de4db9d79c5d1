"""``generate`` (the default command) and ``check``: the pipeline from the command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli import options
from generator.cli.chinese import command
from generator.cli.terminal import ProgressBar, print_check, print_problems, print_summary, shown
from generator.errors import InputError

if TYPE_CHECKING:
    from generator.batch import Outcome

__all__ = ["check_command", "generate_command"]


@command("generate")
@options.inputs
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    default=Path("outputs"),
    help="输出目录，缺省 outputs；报告写入 <目录>/<年度>/。",
)
@options.strict
@options.previous
@options.templates
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="并行的工作进程数，缺省 0 表示按 CPU 核数；1 表示在本进程中逐个生成。",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="是否显示进度条；缺省在终端中处理多个输入时显示。",
)
@click.option(
    "--pdf", "pdf", is_flag=True, help="同时用 LibreOffice 把每份 .docx 转为 PDF，放在 .docx 旁边。"
)
@click.option(
    "--xlsx",
    "xlsx",
    is_flag=True,
    help="同时把每项资金的绩效自评表写成 Excel 工作簿（.xlsx），与报告一起写出。",
)
@options.force
def generate_command(
    inputs: Sequence[Path],
    output: Path,
    strict: bool,
    previous: Path | None,
    templates: Path | None,
    jobs: int,
    progress: bool | None,
    pdf: bool,
    xlsx: bool,
    force: bool,
) -> None:
    """生成绩效自评报告（缺省命令，可省略 generate）。

    \b
    每项资金生成一份 <单位>-<名称>-绩效自评报告.docx；输入含多项资金时，
    另生成一份合订本。输入有误时列出全部问题，不写该输入的任何文件。
    加 --pdf 时另生成同名 PDF（需要安装 LibreOffice）。
    加 --xlsx 时另为每项资金写一份绩效自评表工作簿（.xlsx），可用 genreport import 读回。
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
    from generator.batch import collect_inputs, default_jobs, run_batch
    from generator.cli.terminal import problem_lines

    soffice = None
    if pdf:
        from generator.output.pdf import find_soffice

        soffice = find_soffice()  # before anything is written
    paths, missing = collect_inputs(inputs)
    for problem in missing:
        click.echo(str(problem), err=True)
    batch = len(paths) > 1
    show = progress if progress is not None else (batch and sys.stderr.isatty())
    bar = ProgressBar(len(paths), forced=bool(progress)) if show and paths else None
    echo = bar.echo if bar is not None else (lambda line: click.echo(line, err=True))
    notes: list[str] = []

    def done(outcome: Outcome) -> None:
        problems = outcome.problems or (outcome.generated.warnings if outcome.generated else ())
        for line in problem_lines(problems, batch=batch, written=outcome.written):
            echo(line)
        if bar is not None:
            bar.advance()

    try:
        outcomes = run_batch(
            paths,
            output,
            jobs=jobs or default_jobs(),
            templates=templates,
            strict=strict,
            previous=previous,
            force=force,
            xlsx=xlsx,
            started=bar.start if bar else lambda: None,
            done=done,
            noted=lambda text: notes.append(f"警告：{text}"),
        )
    finally:
        if bar is not None:
            bar.stop()
    for line in notes:
        click.echo(line, err=True)
    rows = [row for o in outcomes if o.generated for row in o.generated.rows]
    if rows:
        print_summary(rows)
    failed = [o.input for o in outcomes if not o.ok]
    if batch:
        text = f"共 {len(outcomes)} 个输入：成功 {len(outcomes) - len(failed)} 个，失败 {len(failed)} 个"
        click.echo(text + (f"（{'、'.join(failed)}）。" if failed else "。"))
    if soffice is not None and rows:
        documents = [row.path for row in rows if row.path.suffix.lower() == ".docx"]
        _write_pdfs(documents, soffice, force=force)
    if failed or missing:
        raise SystemExit(1)


def _write_pdfs(documents: list[Path], soffice: str, *, force: bool) -> None:
    """The PDFs of every .docx written, as one more set: all of them or none.

    The .docx are already in place (the summary lists them), so a failure here says so.
    """
    from generator.errors import OutputError
    from generator.output.pdf import convert_to_pdf
    from generator.output.write import OutputWriter

    writer = OutputWriter(force=force)
    try:
        written = convert_to_pdf(documents, soffice=soffice, writer=writer)
    except OutputError as exc:
        writer.close()
        click.echo(f"错误：{exc}（各 .docx 报告已写出，见上表）", err=True)
        raise SystemExit(1) from None
    except BaseException:
        writer.close()  # PDFs already in place stay recognisable as genreport's
        raise
    for text in writer.close():
        click.echo(f"警告：{text}", err=True)
    for path in written:
        click.echo(f"已生成 PDF：{shown(path)}")


@command("check")
@options.inputs
@options.strict
@options.previous
@options.templates
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
    from generator.batch import collect_inputs
    from generator.pipeline import check_file

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
