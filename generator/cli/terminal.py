"""What the terminal shows: problems one per line, and a summary table at the end."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from generator.core.markers import UNFILLED
from generator.errors import Location, Problem, format_path

if TYPE_CHECKING:
    from pathlib import Path

    from generator.authoring.import_report import ImportedReport
    from generator.pipeline import Checked, ReportRow

__all__ = [
    "ProgressBar",
    "print_check",
    "print_findings",
    "print_import_summary",
    "print_problems",
    "print_summary",
    "problem_lines",
    "shown",
]


def problem_lines(
    problems: Sequence[Problem], *, batch: bool = False, written: int = 0
) -> list[str]:
    """Errors then warnings, one line each (with the hint), then the closing counts.

    ``batch``: the count names the input, since a batch reports many inputs together.
    ``written``: files of the input that are on disk although it failed (a write that
    failed part-way and could not be undone), so the count never says nothing was written.
    """
    lines = []
    for problem in sorted(
        problems, key=lambda p: (not p.is_error, p.location.file, p.location.line)
    ):
        prefix = "" if problem.is_error else "警告："
        hint = f"，{problem.hint}" if problem.hint else ""
        lines.append(f"{prefix}{problem}{hint}")
    errors = [p for p in problems if p.is_error]
    unfilled = sum(1 for p in problems if p.message.startswith(UNFILLED))
    if unfilled:
        lines.append(f"其中 {unfilled} 处尚未填写（值为“待填”）。")
    if not errors:
        return lines
    head = (
        f"{errors[0].location.file}：共 {len(errors)} 个错误，"
        if batch
        else f"共 {len(errors)} 个错误，"
    )
    subject = "该输入" if batch else ""
    if written:
        lines.append(f"{head}{subject}只写入了 {written} 个文件（见上），其余未写入。")
    else:
        lines.append(f"{head}{subject}未生成任何文件。")
    return lines


def print_problems(problems: Sequence[Problem]) -> None:
    """Errors and warnings to stderr, one line each, errors first."""
    for line in problem_lines(problems):
        click.echo(line, err=True)


def shown(path: os.PathLike[str] | str) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def print_summary(rows: Sequence[ReportRow]) -> None:
    """A table of fund, score, grade and file, so the user sees every result at once."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold")
    for header in ("单位", "资金", "总分", "等级", "警告", "文件"):
        table.add_column(header, overflow="fold")
    for row in rows:
        warnings = str(row.warnings) if row.warnings else ""
        # Text, not str: a "[" in a unit or fund name is not rich markup.
        table.add_row(
            *(
                Text(cell)
                for cell in (row.unit, row.fund, row.score, row.grade, warnings, shown(row.path))
            )
        )
    console = Console(soft_wrap=True)
    console.print(table)
    for row in rows:
        if row.kept_aside is not None:
            console.print(
                f"注意：{shown(row.path)} 在上次生成后被手工修改过，"
                f"原文件已另存为 {shown(row.kept_aside)}",
                markup=False,
            )
        elif row.forced:
            console.print(
                f"注意：{shown(row.path)} 在上次生成后被手工修改过，已按 --force 覆盖", markup=False
            )


def _console() -> Any:
    """Wide when not on a terminal, so piped or logged tables keep one finding per row."""
    import sys

    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 200)


def _place(location: Location) -> str:
    head = location.file
    if location.cell:
        head = f"{head} {location.cell}"
    elif location.line:
        head = f"{head}:{location.line}"
    field = format_path(location.path)
    return f"{head}\n{field}" if field else head


def print_findings(problems: Sequence[Problem]) -> None:
    """The ``check`` table: severity, place, what is wrong, what to do."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", show_lines=True)
    for header, ratio in (("级别", 1), ("位置", 3), ("问题", 5), ("建议", 4)):
        table.add_column(header, ratio=ratio, overflow="fold")
    for problem in problems:
        # Text, not str: messages quote the input, and "[/x]" there is not rich markup.
        table.add_row(
            *(
                Text(cell)
                for cell in (
                    problem.severity.value,
                    _place(problem.location),
                    problem.message,
                    problem.hint or "—",
                )
            )
        )
    _console().print(table)


def print_check(name: str, checked: Checked, *, strict: bool = False) -> None:
    """Findings as a table, one line per fund, then the verdict."""
    warnings = list(checked.warnings)
    if warnings:
        print_findings(warnings)
    for ctx in checked.contexts:
        stated = "（单位公布，未按指标计算）" if ctx.fund.score_stated else ""
        click.echo(
            f"{name}：{ctx.fund.name} 总分 {ctx.values['总分']} 分{stated}，等级“{ctx.fund.grade}”"
        )
    if not warnings:
        click.echo(f"{name}：检查完成，未发现问题。")
    elif strict:
        click.echo(f"{name}：检查完成，发现 {len(warnings)} 个警告（--strict：按错误处理）。")
    else:
        click.echo(f"{name}：检查完成，发现 {len(warnings)} 个警告。")


class ProgressBar:
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
        self._progress = Progress(
            TextColumn("生成报告"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
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


def print_import_summary(source: Path, path: Path, report: ImportedReport) -> None:
    """What ``import`` found, fund by fund, then what is left to confirm or correct."""
    assembled = report.assembled
    click.echo(f"已写入 {shown(path)}（由 {shown(source)} 导入 {len(assembled.funds)} 项资金）。")
    for fund in assembled.funds:
        click.echo(
            f"  {fund.name}（{fund.fund_type}，{fund.outline}提纲）：资金来源 {fund.sources} 项，"
            f"指标 {fund.indicators} 项（有指标值 {fund.with_target}、有完成值 {fund.with_actual}），"
            f"叙述 {fund.slots} 个栏目，未归类 {fund.unplaced} 段"
        )
    for conflict in assembled.conflicts:
        click.echo(f"  原报告前后不一：{conflict}")
    if report.findings:
        click.echo("检查导入的结果（原报告中前后不一或尚缺的内容）：")
        print_findings(report.findings)
    if assembled.to_confirm:
        click.echo(
            f"有 {assembled.to_confirm} 处标有“【待核对】”，运行 genreport check {shown(path)} 逐条列出。"
        )
    else:
        click.echo(f"核对后运行：genreport check {shown(path)}")
