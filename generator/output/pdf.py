"""Convert generated .docx files to PDF with LibreOffice.

Websites publish PDF, and a PDF made from the same .docx shows exactly the layout a
reader of the Word file gets. LibreOffice starts slowly, so it is kept running: a
:class:`ConverterPool` holds one LibreOffice per core, each fed over UNO by a small
worker (uno_worker.py) run by LibreOffice's own Python, and a batch is spread over them.
The web workbench keeps one pool for its whole life. Where no Python with ``uno`` is
found (or the warm start fails), every file of a run goes through one cold ``soffice
--convert-to`` call instead, as before. Either way LibreOffice runs with its own
throw-away profile (a user's open LibreOffice or a broken profile cannot block it),
under a timeout, and its PDFs are written next to their .docx atomically, like the
.docx themselves.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from generator.errors import OutputError
from generator.output.write import OutputWriter, describe_os_error

__all__ = [
    "INSTALL_HINT",
    "ConverterPool",
    "WarmConverter",
    "convert_to_pdf",
    "find_soffice",
    "find_uno_python",
]

log = logging.getLogger("genreport.pdf")

#: Environment variable naming the soffice executable when it is not on PATH.
SOFFICE_ENV = "GENREPORT_SOFFICE"
#: Environment variable naming a Python that can ``import uno`` (LibreOffice's own);
#: set it to an empty value to always use the cold ``soffice --convert-to``.
UNO_PYTHON_ENV = "GENREPORT_UNO_PYTHON"
_WORKER = Path(__file__).resolve().with_name("uno_worker.py")
#: How long a LibreOffice may take to start and accept the worker's connection.
START_SECONDS = 60.0
#: How long a closing LibreOffice gets before its processes are killed.
_CLOSE_SECONDS = 5.0

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


def _kill(process: subprocess.Popen[Any]) -> None:
    """End ``process`` and, on POSIX, its whole process group (LibreOffice forks)."""
    with contextlib.suppress(OSError):
        if os.name != "nt":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=_CLOSE_SECONDS)


def _python_candidates(soffice: str) -> list[str]:
    configured = os.environ.get(UNO_PYTHON_ENV)
    if configured is not None:
        return [configured] if configured else []
    found = shutil.which(soffice) or soffice
    program = Path(found).resolve().parent
    bundled = [str(program / name) for name in ("python.exe", "python")]
    system = [] if os.name == "nt" else ["/usr/bin/python3"]
    return [*bundled, *system, sys.executable]


def find_uno_python(soffice: str) -> str | None:
    """A Python that can ``import uno`` (LibreOffice's own, or the system's), or None."""
    return _find_uno_python(soffice, os.environ.get(UNO_PYTHON_ENV))


@functools.cache
def _find_uno_python(soffice: str, _configured: str | None) -> str | None:
    for candidate in _python_candidates(soffice):
        if not Path(candidate).is_file():
            continue
        try:
            probe = subprocess.run(
                [candidate, "-c", "import uno"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


class _NotWarm(Exception):
    """The warm path could not start; the caller falls back to a cold conversion."""


class WarmConverter:
    """One LibreOffice kept running, and the worker that feeds it one file at a time.

    Thread-safe: conversions through one converter run one after another.
    """

    def __init__(self, soffice: str, python: str, start_timeout: float = START_SECONDS) -> None:
        self._lock = threading.Lock()
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._work = Path(tempfile.mkdtemp(prefix="genreport-office-"))
        self._worker: subprocess.Popen[str] | None = None
        self.closed = False
        pipe = f"genreport-{os.getpid()}-{secrets.token_hex(6)}"
        env = dict(os.environ)
        conf = _fonts_conf(self._work)
        if conf is not None and "FONTCONFIG_FILE" not in env:
            env["FONTCONFIG_FILE"] = str(conf)
        try:
            self._office: subprocess.Popen[bytes] = subprocess.Popen(
                [
                    soffice,
                    f"-env:UserInstallation={(self._work / 'profile').as_uri()}",
                    "--headless",
                    "--invisible",
                    "--norestore",
                    "--nolockcheck",
                    "--nodefault",
                    "--nologo",
                    f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                start_new_session=os.name != "nt",
            )
            self._worker = subprocess.Popen(
                [python, str(_WORKER), pipe, f"{start_timeout:g}"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                start_new_session=os.name != "nt",
            )
        except OSError as exc:
            self.close()
            raise _NotWarm(str(exc)) from None
        assert self._worker.stdout is not None
        threading.Thread(target=self._listen, args=(self._worker.stdout,), daemon=True).start()
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                reply = self._replies.get(timeout=0.1)
                break
            except queue.Empty:
                if self._office.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise _NotWarm("LibreOffice did not start") from None
        if reply is None or not json.loads(reply).get("ready"):
            self.close()
            raise _NotWarm(f"worker: {reply}")

    def _listen(self, stream: IO[str]) -> None:
        for line in stream:
            self._replies.put(line)
        self._replies.put(None)

    def convert(self, source: Path, target: Path, timeout: float) -> str:
        """Write ``target`` (PDF) from ``source``; "" when done, else LibreOffice's reason.

        Past ``timeout`` seconds the converter is closed and an OutputError raised.
        """
        with self._lock:
            if self.closed or self._worker is None or self._worker.stdin is None:
                return "LibreOffice 已停止"
            request = {"source": str(source), "target": str(target)}
            try:
                self._worker.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
                self._worker.stdin.flush()
                reply = self._replies.get(timeout=max(timeout, 0.01))
            except queue.Empty:
                self.close()
                raise OutputError(
                    f"LibreOffice 转换 PDF 超时（{timeout:g}秒），已停止；.docx 文件已生成，可稍后重试"
                ) from None
            except OSError as exc:
                self.close()
                return describe_os_error(exc)
            if reply is None:
                self.close()
                return "LibreOffice 意外退出"
            answer = json.loads(reply)
            return "" if answer.get("ok") else str(answer.get("error", ""))

    def close(self) -> None:
        """Stop the worker and LibreOffice (politely, then by force) and delete the profile."""
        self.closed = True
        worker = self._worker
        if worker is not None and worker.stdin is not None:
            with contextlib.suppress(OSError):
                worker.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=_CLOSE_SECONDS)
        office = getattr(self, "_office", None)
        if office is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                office.wait(timeout=_CLOSE_SECONDS if worker is not None else 0)
            _kill(office)
        if worker is not None:
            _kill(worker)
        shutil.rmtree(self._work, ignore_errors=True)


class ConverterPool:
    """Warm converters (one per core by default) sharing the work of a batch or a server.

    Raises :class:`OutputError` when not one converter can start. Use as a context
    manager, or call :meth:`close`.
    """

    def __init__(
        self,
        size: int | None = None,
        *,
        soffice: str | None = None,
        start_timeout: float = START_SECONDS,
    ) -> None:
        self.soffice = soffice or find_soffice()
        python = find_uno_python(self.soffice)
        if python is None:
            raise OutputError(
                "找不到带 uno 模块的 Python，无法保持 LibreOffice 常驻"
                "（Debian/Ubuntu 请安装 python3-uno）"
            )
        count = max(1, size or os.cpu_count() or 1)
        started: list[WarmConverter] = []
        failures: list[str] = []

        def start() -> None:
            try:
                converter = WarmConverter(self.soffice, python, start_timeout)
            except _NotWarm as exc:
                failures.append(str(exc))
            else:
                started.append(converter)

        threads = [threading.Thread(target=start, daemon=True) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if not started:
            raise OutputError(f"LibreOffice 未能常驻启动（{failures[0] if failures else ''}）")
        self._converters = started
        self._idle: queue.Queue[WarmConverter] = queue.Queue()
        for converter in started:
            self._idle.put(converter)

    @property
    def size(self) -> int:
        return len(self._converters)

    def convert(self, pairs: Sequence[tuple[Path, Path]], timeout: float) -> dict[Path, str]:
        """Convert every (source, target) pair across the pool; return {source: reason} failed.

        Raises OutputError when a conversion passes the shared ``timeout`` (seconds).
        """
        jobs: queue.Queue[tuple[Path, Path]] = queue.Queue()
        for pair in pairs:
            jobs.put(pair)
        failed: dict[Path, str] = {}
        errors: list[OutputError] = []
        deadline = time.monotonic() + timeout

        def work() -> None:
            converter = self._idle.get()
            try:
                while not errors:
                    try:
                        source, target = jobs.get_nowait()
                    except queue.Empty:
                        return
                    reason = converter.convert(source, target, deadline - time.monotonic())
                    if reason:
                        failed[source] = reason
            except OutputError as exc:
                errors.append(exc)
            finally:
                self._idle.put(converter)

        threads = [
            threading.Thread(target=work, daemon=True)
            for _ in range(min(self.size, max(1, len(pairs))))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return failed

    def close(self) -> None:
        for converter in self._converters:
            converter.close()

    def __enter__(self) -> ConverterPool:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()


def _warm(
    pairs: Sequence[tuple[Path, Path]], soffice: str, timeout: float
) -> dict[Path, str] | None:
    """Convert with a pool started for this batch; None when it cannot start (go cold)."""
    if find_uno_python(soffice) is None:
        return None
    size = min(os.cpu_count() or 1, len(pairs))
    started = time.monotonic()
    try:
        pool = ConverterPool(size, soffice=soffice, start_timeout=min(START_SECONDS, timeout))
    except OutputError as exc:
        log.info("LibreOffice 常驻启动失败，改为逐次启动：%s", exc)
        return None
    with pool:
        return pool.convert(pairs, timeout - (time.monotonic() - started))


def convert_to_pdf(
    documents: Sequence[Path],
    *,
    soffice: str | None = None,
    timeout: float | None = None,
    force: bool = False,
    writer: OutputWriter | None = None,
    pool: ConverterPool | None = None,
) -> list[Path]:
    """Write ``<name>.pdf`` next to every ``<name>.docx`` in ``documents``; return the PDFs.

    Files are copied to numbered names first so that equal names in different
    directories cannot collide in LibreOffice's output directory. They are converted by
    ``pool`` when given, else by warm converters started for this call (one per core),
    else by one cold ``soffice --convert-to``. The PDFs are written as one set, all or
    none (:meth:`OutputWriter.write_many`), by ``writer`` when given (the caller then
    closes it), else by a writer of their own.
    """
    if not documents:
        return []
    executable = pool.soffice if pool is not None else (soffice or find_soffice())
    budget = timeout or _timeout_for(len(documents))
    with tempfile.TemporaryDirectory(prefix="genreport-pdf-") as tmp:
        work = Path(tmp)
        inbox, outbox, profile = work / "in", work / "out", work / "profile"
        inbox.mkdir()
        outbox.mkdir()
        sources = []
        for number, document in enumerate(documents, start=1):
            source = inbox / f"{number:04d}.docx"
            shutil.copyfile(document, source)
            sources.append(source)
        pairs = [(s, outbox / f"{s.stem}.pdf") for s in sources]
        if pool is not None:
            failed: dict[Path, str] | None = pool.convert(pairs, budget)
        else:
            failed = _warm(pairs, executable, budget)
        detail: list[str] = []
        if failed is not None:
            detail = sorted(set(failed.values()))
        else:
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
                result = _run(command, env, budget)
            except OSError as exc:
                raise OutputError(
                    f"无法启动 LibreOffice（{executable}）：{describe_os_error(exc)}。{INSTALL_HINT}"
                ) from None
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        missing = [
            doc for doc, (_src, pdf) in zip(documents, pairs, strict=True) if not pdf.is_file()
        ]
        if missing:
            names = "、".join(doc.name for doc in missing)
            raise OutputError(
                f"LibreOffice 未能把以下文件转换为 PDF：{names}"
                + (f"（{detail[-1]}）" if detail else "")
            )
        by_directory: dict[Path, dict[str, bytes]] = {}
        for document, (_src, pdf) in zip(documents, pairs, strict=True):
            by_directory.setdefault(document.parent, {})[f"{document.stem}.pdf"] = pdf.read_bytes()
        if writer is not None:
            return [item.path for item in writer.write_many(by_directory)]
        with OutputWriter(force=force) as own:
            return [item.path for item in own.write_many(by_directory)]
