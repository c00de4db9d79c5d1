"""Opening an input file: regular files only, and OS errors told in Chinese.

A named pipe or a device called ``2024.xlsx`` would make a reader wait forever, a
directory or a symlink loop would surface as an English OS message or a traceback. So
every input kind is checked here before any reader opens it, and the readers that open
a file themselves (the workbook guard) open it without blocking and check the opened
handle again, so a file swapped after the check cannot hang the run either.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from generator.errors import InputError, Location, Problem

__all__ = ["check_regular_file", "describe_os_error", "open_regular"]

_OS_ERRORS = {
    errno.ENOENT: "文件不存在",
    errno.ELOOP: "符号链接形成了循环（链接最终又指回自己），找不到真正的文件",
    errno.EACCES: "没有读取这个文件的权限",
    errno.EPERM: "没有读取这个文件的权限",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ENOTDIR: "路径中的某一级不是目录",
    errno.EISDIR: "这是一个目录，不是输入文件",
    errno.EIO: "读取时发生磁盘错误",
    errno.ENXIO: "设备不存在或未就绪",
    errno.EBUSY: "文件正被占用",
}


def describe_os_error(exc: OSError) -> str:
    """What went wrong, in Chinese; the OS's own (English) text never reaches the user."""
    known = _OS_ERRORS.get(exc.errno or 0)
    if known:
        return known
    code = errno.errorcode.get(exc.errno or 0, "")
    return f"无法读取文件（系统错误 {code or exc.errno}）"


def _fail(name: str, message: str) -> InputError:
    return InputError([Problem(Location(name), message)])


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "这是一个目录，不是输入文件"
    if stat.S_ISFIFO(mode):
        kind = "是命名管道"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "是设备"
    elif stat.S_ISSOCK(mode):
        kind = "是套接字"
    else:
        kind = "可能是设备或管道"
    return f"不是普通文件（{kind}），无法作为输入：请指定 .yaml 或 .xlsx 文件本身"


def check_regular_file(path: Path, name: str) -> None:
    """Refuse anything but a regular file (links to one are fine) without opening it."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        message = describe_os_error(exc)
        if exc.errno == errno.ENOENT and os.path.islink(path):
            message = "文件不存在（这是一个符号链接，它指向的文件已不存在）"
        raise _fail(name, message) from None
    if not stat.S_ISREG(mode):
        raise _fail(name, _kind(mode))


def open_regular(path: Path, name: str) -> BinaryIO:
    """Open for reading without ever blocking, and only if the opened file is regular."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise _fail(name, describe_os_error(exc)) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise _fail(name, _kind(mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
