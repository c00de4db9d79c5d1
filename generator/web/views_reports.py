"""One report in the page (its pages as images), as PDF and its 自评表 workbook; the .docx is in views_units.

The version is loaded and access checked first (another unit's id gives 404), the
report must belong to that version, and its pages come from generator.web.preview.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from generator.web.audit import Action
from generator.web.context import bench, download, viewer
from generator.web.models import Report, Unit, Version
from generator.web.pages import Viewer, render
from generator.web.responses import NotFound
from generator.web.views_units import _audited, _int, _version

__all__ = ["download_pdf", "download_selfeval", "page_image", "preview_page"]

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: Request) -> tuple[Viewer, Version, Unit, Report]:
    current = viewer(request)
    with bench(request).db() as db:
        version, unit = _version(db, current.user, _int(request, "version_id"))
        report = db.get(Report, _int(request, "report_id"))
    if report is None or report.version_id != version.id:
        raise NotFound
    return current, version, unit, report


async def preview_page(request: Request) -> Response:
    current, version, unit, report = _report(request)
    wb = bench(request)
    pages = await run_in_threadpool(wb.previews.pages, wb.store, report.sha256, report.name)
    _audited(request, current, Action.PREVIEW, unit, version, report.name)
    return render(
        request,
        "preview.html",
        viewer=current,
        version=version,
        unit=unit,
        report=report,
        pages=range(1, pages + 1),
    )


async def page_image(request: Request) -> Response:
    _current, _version_row, _unit, report = _report(request)
    wb = bench(request)
    image = await run_in_threadpool(
        wb.previews.page, wb.store, report.sha256, report.name, _int(request, "page")
    )
    if image is None:
        raise NotFound
    return Response(
        image, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"}
    )


async def download_pdf(request: Request) -> Response:
    current, version, unit, report = _report(request)
    wb = bench(request)
    data = await run_in_threadpool(wb.previews.pdf, wb.store, report.sha256, report.name)
    name = report.name.rsplit(".", 1)[0] + ".pdf"
    _audited(request, current, Action.DOWNLOAD_PDF, unit, version, name)
    return download(data, name, PDF)


async def download_selfeval(request: Request) -> Response:
    current, version, unit, report = _report(request)
    if not report.selfeval_name or not report.selfeval_sha256:
        raise NotFound("该报告没有自评表工作簿。")
    data = bench(request).store.get(report.selfeval_sha256)
    _audited(request, current, Action.DOWNLOAD_SELFEVAL, unit, version, report.selfeval_name)
    return download(data, report.selfeval_name, XLSX)
