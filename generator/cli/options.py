"""Options shared by several commands, each defined once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator.core.vocabulary import FUND_TYPES

__all__ = [
    "force",
    "inputs",
    "output_file",
    "previous",
    "scaffold",
    "strict",
    "templates",
    "types",
    "unit",
    "year",
]

F = TypeVar("F", bound=Callable[..., Any])

inputs = click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
strict = click.option("--strict", is_flag=True, help="把警告当作错误处理（退出码 1）。")
previous = click.option(
    "--previous",
    type=click.Path(path_type=Path),
    help="上一年度的输入文件：未写“上年完成值”的指标取其完成值，用于同比表述。",
)
templates = click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="自定义模板目录，其中的文件优先于内置模板。",
)
force = click.option(
    "--force",
    is_flag=True,
    help="输出文件已存在、或生成后被手工修改过时，覆盖它（缺省不覆盖，修改过的报告另存一份）。",
)
types = click.option(
    "-t",
    "--type",
    "types",
    multiple=True,
    type=click.Choice(FUND_TYPES),
    help="资金类型，可重复给出；缺省为全部四类。",
)
year = click.option("--year", type=click.IntRange(2000, 2100), help="被评价的年度；缺省为上一年。")
unit = click.option("--unit", help="报告单位，如“示例县医疗保障局”；不给则留空待填。")


def output_file(what: str) -> Callable[[F], F]:
    """``-o/--output FILE``: the one file a command writes; ``what`` names it and its default."""
    option: Callable[[F], F] = click.option(
        "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help=what
    )
    return option


def scaffold(what: str) -> Callable[[F], F]:
    """What ``new`` and ``excel-template`` both take: types, year, unit, output, force, templates."""

    def apply(func: F) -> F:
        for option in reversed((types, year, unit, output_file(what), force, templates)):
            func = option(func)
        return func

    return apply
