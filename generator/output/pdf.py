"""Convert generated .docx files to PDF with LibreOffice, in one process per run.

Websites publish PDF, and a PDF made from the same .docx shows exactly the layout a
reader of the Word file gets. LibreOffice starts slowly, so every file of a run goes
through one ``soffice --convert-to`` call. It runs with its own throw-away profile (a
user's open LibreOffice or a broken profile cannot block it), under a timeout, and
its PDFs are written next to their .docx atomically, like the .docx themselves.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from generator.errors import OutputError
from generator.output.write import write_outputs

__all__ = ["INSTALL_HINT", "convert_to_pdf", "find_soffice"]

#: Environment variable naming the soffice executable when it is not on PATH.
SOFFICE_ENV = "GENREPORT_SOFFICE"

INSTALL_HINT = (
    "请安装 LibreOffice 后重试：Debian/Ubuntu 执行 "
    "“sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk”；"
    "Windows、macOS 从 LibreOffice 官方网站下载安装。"
    f"若已安装但不在 PATH 中，可用环境变量 {SOFFICE_ENV} 指定 soffice 的完整路径。"
)

_CANDIDATES = (
    "soffice",
    "libreoffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)

# Fonts a 公文 asks for, and the free CJK fonts that stand in for them when missing.
# fontconfig "accept" appends the stand-in after the requested family, so an
# installed 仿宋_GB2312 still wins.
_STAND_INS = {
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "FangSong": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "SimSun": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "楷体": "Noto Serif CJK SC",
    "KaiTi": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "SimHei": "Noto Sans CJK SC",
}
_SYSTEM_FONTS_CONF = "/etc/fonts/fonts.conf"


def find_soffice() -> str:
    """The LibreOffice executable, or an :class:`OutputError` that says what to install."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        if Path(configured).is_file() or shutil.which(configured):
            return configured
        raise OutputError(f"环境变量 {SOFFICE_ENV} 指定的“{configured}”不存在。{INSTALL_HINT}")
    for candidate in _CANDIDATES:
        found = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
        if found:
            return found
    raise OutputError(f"找不到 LibreOffice（soffice），无法生成 PDF。{INSTALL_HINT}")


def _fonts_conf(directory: Path) -> Path | None:
    """A fontconfig file adding CJK stand-ins for the 公文 fonts (Linux only)."""
    if not Path(_SYSTEM_FONTS_CONF).is_file():
        return None
    aliases = "".join(
        f'<alias binding="same"><family>{family}</family><accept><family>{stand_in}</family>'
        "</accept></alias>"
        for family, stand_in in _STAND_INS.items()
    )
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">{_SYSTEM_FONTS_CONF}</include>{aliases}</fontconfig>',
        encoding="utf-8",
    )
    return path


def _timeout_for(count: int) -> float:
    """Start-up plus a generous allowance per document."""
    return 120.0 + 30.0 * count


def _run(
    command: list[str], env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[bytes]:
    """Run soffice in its own process group so a timeout ends all of it, and only it."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=os.name != "nt",
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            if os.name != "nt":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        process.communicate()
        raise OutputError(
            f"LibreOffice 转换 PDF 超时（{timeout:g}秒），已停止；.docx 文件已生成，可稍后重试"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            process.kill()
        raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def convert_to_pdf(
    documents: Sequence[Path],
    *,
    soffice: str | None = None,
    timeout: float | None = None,
    force: bool = False,
) -> list[Path]:
    """Write ``<name>.pdf`` next to every ``<name>.docx`` in ``documents``; return the PDFs.

    Files are copied to numbered names first so that equal names in different
    directories cannot collide in LibreOffice's single output directory.
    """
    if not documents:
        return []
    executable = soffice or find_soffice()
    with tempfile.TemporaryDirectory(prefix="genreport-pdf-") as tmp:
        work = Path(tmp)
        inbox, outbox, profile = work / "in", work / "out", work / "profile"
        inbox.mkdir()
        sources = []
        for number, document in enumerate(documents, start=1):
            source = inbox / f"{number:04d}.docx"
            shutil.copyfile(document, source)
            sources.append(source)
        env = dict(os.environ)
        conf = _fonts_conf(work)
        if conf is not None and "FONTCONFIG_FILE" not in env:
            env["FONTCONFIG_FILE"] = str(conf)
        command = [
            executable,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outbox),
            *(str(s) for s in sources),
        ]
        try:
            result = _run(command, env, timeout or _timeout_for(len(sources)))
        except OSError as exc:
            raise OutputError(
                f"无法启动 LibreOffice（{executable}）：{exc.strerror or exc}。{INSTALL_HINT}"
            ) from None
        missing = [
            doc
            for doc, src in zip(documents, sources, strict=True)
            if not (outbox / f"{src.stem}.pdf").is_file()
        ]
        if missing:
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
            names = "、".join(doc.name for doc in missing)
            raise OutputError(
                f"LibreOffice 未能把以下文件转换为 PDF：{names}"
                + (f"（{detail[-1]}）" if detail else "")
            )
        written: list[Path] = []
        by_directory: dict[Path, dict[str, bytes]] = {}
        for document, source in zip(documents, sources, strict=True):
            pdf = (outbox / f"{source.stem}.pdf").read_bytes()
            by_directory.setdefault(document.parent, {})[f"{document.stem}.pdf"] = pdf
        for directory, files in by_directory.items():
            written.extend(item.path for item in write_outputs(directory, files, force=force))
        return written
