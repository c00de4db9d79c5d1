"""``summary``: the 汇总表 workbook of a directory of county inputs (generator.authoring.summary)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from generator.cli import options
from generator.cli.chinese import command

__all__ = ["summary_command"]


@command("summary")
@options.inputs
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="写出的汇总表（.xlsx）。",
)
@click.option(
    "--earlier",
    "earlier",
    multiple=True,
    type=click.Path(path_type=Path),
    help="往年的输入（文件或目录，可多次给出），其数字按年度并列在汇总表中。",
)
@options.force
def summary_command(
    inputs: Sequence[Path], output: Path, earlier: Sequence[Path], force: bool
) -> None:
    """由各县区输入生成汇总表（Excel）。

    \b
    “汇总”工作表每个单位每项资金一行：预算数、到位数、支出数、到位率、执行率、
    总分和等级；每种资金类型另有一个工作表，按单位列出每个指标的指标值和完成值。
    给出 --earlier 时，往年的同一单位、同一资金并列在后。输入有误时列出全部问题，
    不写文件。

    \b
    示例：
      genreport summary inputs/2024/ -o 汇总表.xlsx
      genreport summary inputs/2024/ --earlier inputs/2023/ -o 汇总表.xlsx
    """
    from generator.authoring.summary import summary_workbook
    from generator.batch import check_all
    from generator.errors import OutputError
    from generator.output.write import write_file
    from generator.pipeline import Checked

    if output.suffix.lower() != ".xlsx":
        raise OutputError(f"输出文件“{output}”应以 .xlsx 结尾")
    if output.exists() and not force:
        raise OutputError(f"“{output}”已存在；如需覆盖请加 --force")

    current = check_all(inputs)
    past: dict[int, list[Checked]] = {}
    for item in check_all(earlier) if earlier else []:
        past.setdefault(item.result.model.report.year, []).append(item)
    write_file(output, summary_workbook(current, past), overwrite=True)
    click.echo(f"已写入 {output}（{len(current)} 个输入）。")
