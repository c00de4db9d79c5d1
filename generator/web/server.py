"""``genreport serve``: one uvicorn process per data directory, on a port that is free.

The data directory is locked while the server runs, so a second server (whose start-up
clean-up would touch the first one's uploads) refuses to start instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from generator.errors import OutputError

__all__ = ["serve"]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[bytes] = open(path, "a+b")  # noqa: SIM115 - held for the server's lifetime
    try:
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(
                f"数据目录“{path.parent}”已被另一个正在运行的工作台使用；"
                "同一数据目录只能启动一个工作台"
            ) from None
        yield
    finally:
        handle.close()


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name == "posix":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise OutputError(
                f"无法在 {host}:{port} 上启动：{exc.strerror or exc}（端口已被占用时请用 --port 换一个）"
            ) from None


def serve(data: Path, host: str, port: int, *, secure_cookies: bool = False) -> None:
    """Run the workbench until Ctrl-C; the caller has printed nothing yet."""
    import uvicorn

    from generator.web.app import create_app
    from generator.web.datadir import DataDir

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    _check_port(host, port)
    with _locked(DataDir(data).lock):
        app = create_app(data, secure_cookies=secure_cookies)
        # LibreOffice starts while the first pages are served, so previews are quick.
        threading.Thread(target=app.state.bench.previews.warm, daemon=True).start()
        shown = f"[{host}]" if ":" in host else host
        print(f"工作台已启动：http://{shown}:{port}/", flush=True)
        print(f"数据目录：{data}（请定期备份整个目录）；按 Ctrl-C 停止。", flush=True)
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            server_header=False,
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1",
        )
        print("工作台已停止。", flush=True)
