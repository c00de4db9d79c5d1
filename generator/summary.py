"""What the terminal shows: problems one per line, and a summary table at the end."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from .errors import Problem

if TYPE_CHECKING:
    from .pipeline import Checked, ReportRow

__all__ = ["print_check", "print_problems", "print_summary", "problem_lines"]


def problem_lines(problems: Sequence[Problem], *, batch: bool = False) -> list[str]:
    """Errors then warnings, one line each, and a closing count when there are errors."""
    lines = []
    for problem in sorted(problems, key=lambda p: (not p.is_error, p.location.file,
                                                   p.location.line)):
        prefix = "" if problem.is_error else "警告："
        lines.append(f"{prefix}{problem}")
    errors = [p for p in problems if p.is_error]
    if errors and batch:
        lines.append(f"{errors[0].location.file}：共 {len(errors)} 个错误，该输入未生成任何文件。")
    elif errors:
        lines.append(f"共 {len(errors)} 个错误，未生成任何文件。")
    return lines


def print_problems(problems: Sequence[Problem]) -> None:
    """Errors and warnings to stderr, one line each, errors first."""
    for line in problem_lines(problems):
        click.echo(line, err=True)


def _display(path: os.PathLike[str] | str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def print_summary(rows: Sequence[ReportRow]) -> None:
    """A table of fund, score, grade and file, so the user sees every result at once."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    for header in ("单位", "资金", "总分", "等级", "警告", "文件"):
        table.add_column(header, overflow="fold")
    for row in rows:
        warnings = str(row.warnings) if row.warnings else ""
        table.add_row(row.unit, row.fund, row.score, row.grade, warnings, _display(row.path))
    console = Console(soft_wrap=True)
    console.print(table)
    for row in rows:
        if row.kept_aside is not None:
            console.print(f"注意：{_display(row.path)} 在上次生成后被手工修改过，"
                          f"原文件已另存为 {_display(row.kept_aside)}")


def print_check(name: str, checked: Checked) -> None:
    print_problems(list(checked.warnings))
    for ctx in checked.contexts:
        click.echo(f"{name}：{ctx.fund.name} 总分 {ctx.values['总分']} 分，等级“{ctx.fund.grade}”")
    status = f"发现 {len(checked.warnings)} 个警告" if checked.warnings else "未发现问题"
    click.echo(f"{name}：检查完成，{status}。")
