"""``serve``: start the web workbench (generator.web) for a whole bureau."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.chinese import command

__all__ = ["data_option", "serve_command"]


def _default_data() -> Path:
    from generator.web.datadir import default_data_dir

    return default_data_dir()


data_option = click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="数据目录（数据库和全部文件）；缺省为用户的应用数据目录"
    "（Linux：~/.local/share/genreport，Windows：%APPDATA%\\genreport），"
    "也可用环境变量 GENREPORT_DATA_DIR 指定。",
)


@command("serve")
@data_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=False,
    help="监听地址，缺省 127.0.0.1（只允许本机访问）。",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, help="端口，缺省 8000。")
@click.option(
    "--secure-cookies",
    is_flag=True,
    help="登录 Cookie 只经 HTTPS 发送：工作台放在 HTTPS 反向代理之后时使用。",
)
def serve_command(data: Path | None, host: str, port: int, secure_cookies: bool) -> None:
    """启动网页工作台：各县区和市局在浏览器中填报、上传、检查、下载报告。

    \b
    数据（SQLite 数据库和全部上传、生成的文件）都在一个数据目录中，备份该目录即可。
    启动前先用 genreport users add 添加账号。供全局使用时，让工作台只监听本机，
    由 nginx 等反向代理提供 HTTPS，并加 --secure-cookies（见 README“网页工作台”）。

    \b
    示例：
      genreport serve
      genreport serve --data /srv/genreport --port 8080
      genreport serve --data D:\\genreport --host 127.0.0.1 --secure-cookies
    """
    from generator.web.server import serve

    serve(data or _default_data(), host, port, secure_cookies=secure_cookies)
