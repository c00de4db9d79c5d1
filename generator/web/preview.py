"""Report previews: each page as a PNG, from the report's PDF, made once and kept.

The PDF comes from the one warm LibreOffice the server keeps (generator.output.pdf's
ConverterPool, started at the first preview or by ``warm`` at start-up); if it cannot
start, each PDF is made by a cold ``soffice`` instead. Pages are drawn by poppler's
``pdftoppm``, each when the browser first asks for it (the page lists them at once).
A report's files are named by its SHA-256 (reports never change) and written
atomically, so a preview interrupted half-way is simply made again and a half-written
page is never served.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import OutputError
from generator.output.write import write_file
from generator.web import adapter
from generator.web.store import FileStore

if TYPE_CHECKING:
    from generator.output.pdf import ConverterPool

__all__ = ["PAGE_WIDTH", "Previews"]

log = logging.getLogger("genreport.web")

#: Width of a preview page in pixels (A4 at about 120 dpi).
PAGE_WIDTH = 1000
_PDFTOPPM_SECONDS = 60


class Previews:
    def __init__(self, root: Path, work: Path) -> None:
        self.root = root
        self.work = work
        self._lock = threading.Lock()
        self._pool: ConverterPool | None = None
        self._pool_failed = False

    def warm(self) -> None:
        """Start LibreOffice now, so that the first preview is quick too."""
        with self._lock:
            self._converter()

    def _converter(self) -> ConverterPool | None:
        if self._pool is None and not self._pool_failed:
            from generator.output.pdf import ConverterPool

            try:
                self._pool = ConverterPool(1)
            except OutputError as exc:
                self._pool_failed = True
                log.warning("LibreOffice 无法常驻，预览将逐次启动 LibreOffice：%s", exc)
        return self._pool

    def _scratch(self) -> Path:
        path = self.work / f"preview-{secrets.token_hex(6)}"
        path.mkdir(parents=True)
        return path

    def pdf(self, store: FileStore, digest: str, name: str) -> bytes:
        """The report's PDF, made the first time it is asked for."""
        cached = store.path(digest).name  # checks the digest's form
        target = self.root / f"{cached}.pdf"
        if target.is_file():
            return target.read_bytes()
        document = store.get(digest)
        with self._lock:
            if target.is_file():
                return target.read_bytes()
            scratch = self._scratch()
            try:
                source = scratch / (Path(name).stem + ".docx")
                source.write_bytes(document)
                data = adapter.report_pdf(source, self._converter())
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            self.root.mkdir(parents=True, exist_ok=True)
            write_file(target, data, overwrite=True)
            return data

    def _poppler(self, tool: str) -> str:
        executable = shutil.which(tool)
        if executable is None:
            raise OutputError(f"服务器未安装 poppler（{tool}），无法显示预览；请下载 PDF 查看")
        return executable

    def pages(self, store: FileStore, digest: str, name: str) -> int:
        """How many pages the report has (its PDF is made now if it was not yet)."""
        folder = self.root / store.path(digest).name
        count = folder / "pages.txt"
        if count.is_file():
            return int(count.read_text(encoding="ascii"))
        self.pdf(store, digest, name)
        pdf = self.root / f"{store.path(digest).name}.pdf"
        try:
            info = subprocess.run(
                [self._poppler("pdfinfo"), str(pdf)],
                check=True,
                capture_output=True,
                timeout=_PDFTOPPM_SECONDS,
            ).stdout.decode("utf-8", "replace")
            pages = int(next(line for line in info.splitlines() if line.startswith("Pages:"))[6:])
        except (OSError, subprocess.SubprocessError, StopIteration, ValueError) as exc:
            raise OutputError(f"无法读取报告 PDF 的页数：{exc}") from None
        folder.mkdir(parents=True, exist_ok=True)
        write_file(count, str(pages).encode("ascii"), overwrite=True)
        return pages

    def page(self, store: FileStore, digest: str, name: str, number: int) -> bytes | None:
        """Page ``number`` (from 1) as PNG, drawn when first asked for; None past the end."""
        if not 1 <= number <= self.pages(store, digest, name):
            return None
        folder = self.root / store.path(digest).name
        image = folder / f"{number}.png"
        if image.is_file():
            return image.read_bytes()
        scratch = self._scratch()
        try:
            size = ["-scale-to-x", str(PAGE_WIDTH), "-scale-to-y", "-1"]
            pick = ["-f", str(number), "-l", str(number), "-singlefile"]
            pdf = self.root / f"{folder.name}.pdf"
            subprocess.run(
                [self._poppler("pdftoppm"), "-png", *size, *pick, str(pdf), str(scratch / "page")],
                check=True,
                capture_output=True,
                timeout=_PDFTOPPM_SECONDS,
            )
            data = (scratch / "page.png").read_bytes()
        except (OSError, subprocess.SubprocessError) as exc:
            raise OutputError(f"无法生成预览图片：{exc}") from None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        write_file(image, data, overwrite=True)
        return data

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
