"""``users add|list|passwd|disable|enable|assign``: the workbench's accounts, from the command line.

Each command opens the data directory (creating and migrating it when new) and calls
generator.web.accounts; nothing here touches the database itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.chinese import CONTEXT_SETTINGS, group
from generator.cli.serve import data_option

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["users_group"]

_ROLES = ("county", "city", "admin")


@contextmanager
def _database(data: Path | None) -> Iterator[Session]:
    from generator.web.datadir import default_data_dir
    from generator.web.workbench import Workbench

    bench = Workbench.open(data or default_data_dir())
    try:
        with bench.db() as db:
            yield db
    finally:
        bench.close()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    text: str = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次密码")
    return text


def _names(text: str) -> list[str]:
    return [
        name.strip()
        for name in text.replace("，", ",").replace("、", ",").split(",")
        if name.strip()
    ]


password_stdin = click.option(
    "--password-stdin", is_flag=True, help="从标准输入读一行作为密码（供脚本使用），不提示输入。"
)


@group("users")
def users_group() -> None:
    """管理网页工作台的账号：添加、列出、改密码、停用。

    \b
    角色：county（县区，只能处理本单位）、city（市级，本单位及分配给它的县区）、
    admin（管理员，查看全部单位和操作日志）。账号保存在数据目录中（见 genreport serve）。

    \b
    示例：
      genreport users add 张三 --role county --unit 甲县医疗保障局
      genreport users add 王五 --role city --unit 示例市医疗保障局 --counties 甲县医疗保障局,乙县医疗保障局
      genreport users list
    """


@users_group.command("add", context_settings=CONTEXT_SETTINGS)
@click.argument("username")
@click.option(
    "--role", type=click.Choice(_ROLES), required=True, help="角色：county、city 或 admin。"
)
@click.option("--unit", help="所属单位，如 甲县医疗保障局（县区和市级用户必填）；新单位自动建立。")
@click.option("--counties", default="", help="市级用户：分配给本单位的县区，用逗号分隔。")
@password_stdin
@data_option
def users_add_command(
    username: str,
    role: str,
    unit: str | None,
    counties: str,
    password_stdin: bool,
    data: Path | None,
) -> None:
    """添加一个账号（提示输入两次密码，至少 8 个字符）。

    \b
    示例：
      genreport users add 张三 --role county --unit 甲县医疗保障局
      genreport users add 王五 --role city --unit 示例市医疗保障局 --counties 甲县医疗保障局,乙县医疗保障局
      genreport users add admin --role admin --data /srv/genreport
    """
    from generator.web.accounts import ROLE_NAMES, add_user

    password = _password(password_stdin)
    with _database(data) as db:
        add_user(db, username, password, role, unit, _names(counties))
    where = f"，单位：{unit}" if unit else ""
    click.echo(f"已添加用户“{username}”（{ROLE_NAMES[role]}{where}）。")


@users_group.command("list", context_settings=CONTEXT_SETTINGS)
@data_option
def users_list_command(data: Path | None) -> None:
    """列出全部账号：角色、单位、市级单位的县区、是否停用、最近登录。

    \b
    示例：
      genreport users list
      genreport users list --data /srv/genreport
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from generator.web.accounts import ROLE_NAMES, list_users
    from generator.web.pages import local_time

    with _database(data) as db:
        rows = list_users(db)
    if not rows:
        click.echo("还没有用户：用 genreport users add 添加。")
        return
    table = Table(show_header=True, header_style="bold")
    for header in ("用户名", "角色", "单位", "县区", "状态", "最近登录"):
        table.add_column(header, overflow="fold")
    for row in rows:
        cells = (
            row.username,
            ROLE_NAMES[row.role],
            row.unit,
            "、".join(row.counties),
            "已停用" if row.disabled else "正常",
            local_time(row.last_login_at) or "从未",
        )
        table.add_row(*(Text(cell) for cell in cells))
    Console(soft_wrap=True).print(table)


@users_group.command("passwd", context_settings=CONTEXT_SETTINGS)
@click.argument("username")
@password_stdin
@data_option
def users_passwd_command(username: str, password_stdin: bool, data: Path | None) -> None:
    """修改账号的密码；该账号已登录的浏览器都需要重新登录。

    \b
    示例：
      genreport users passwd 张三
    """
    from generator.web.accounts import set_password

    password = _password(password_stdin)
    with _database(data) as db:
        set_password(db, username, password)
    click.echo(f"已修改用户“{username}”的密码。")


@users_group.command("disable", context_settings=CONTEXT_SETTINGS)
@click.argument("username")
@data_option
def users_disable_command(username: str, data: Path | None) -> None:
    """停用账号：立即退出登录，不能再登录；已提交的版本和日志都保留。

    \b
    示例：
      genreport users disable 张三
      genreport users enable 张三      重新启用
    """
    from generator.web.accounts import set_disabled

    with _database(data) as db:
        set_disabled(db, username, True)
    click.echo(f"已停用用户“{username}”。")


@users_group.command("enable", context_settings=CONTEXT_SETTINGS)
@click.argument("username")
@data_option
def users_enable_command(username: str, data: Path | None) -> None:
    """重新启用一个停用的账号。

    \b
    示例：
      genreport users enable 张三
    """
    from generator.web.accounts import set_disabled

    with _database(data) as db:
        set_disabled(db, username, False)
    click.echo(f"已启用用户“{username}”。")


@users_group.command("assign", context_settings=CONTEXT_SETTINGS)
@click.argument("city")
@click.option("--counties", required=True, help="分配给该市级单位的县区，用逗号分隔。")
@data_option
def users_assign_command(city: str, counties: str, data: Path | None) -> None:
    """把县区分配给市级单位（市级用户可查看这些县区的提交和报告）。

    \b
    示例：
      genreport users assign 示例市医疗保障局 --counties 丙县医疗保障局,丁县医疗保障局
    """
    from generator.web.accounts import assign_counties

    with _database(data) as db:
        names = assign_counties(db, city, _names(counties))
    click.echo(f"已把 {'、'.join(names)} 分配给“{city}”。")
