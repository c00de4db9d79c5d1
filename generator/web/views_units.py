"""A unit's year: status, fill-in workbooks, uploads, versions, findings and downloads.

Every handler loads the unit or version first and asks generator.web.access whether the
signed-in account may see it (else 404, so ids of other units reveal nothing) or change
it (else 403). Reports are served from the store after their hash is checked.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from generator.core.vocabulary import FUND_TYPES
from generator.web import adapter
from generator.web.access import can_read, can_write, readable_units
from generator.web.audit import Action, record
from generator.web.context import bench, client_of, download, read_form, viewer
from generator.web.findings import load_findings
from generator.web.imported import load_note
from generator.web.models import Report, Unit, User, Version, VersionStatus
from generator.web.pages import Viewer, render
from generator.web.responses import Forbidden, NotFound, WebError
from generator.web.versions import (
    STATUS_NAMES,
    Upload,
    current_version,
    reports_of,
    restore,
    submit,
    versions_of,
    years_of,
    zip_reports,
)
from generator.web.workbench import Workbench

__all__ = [
    "FileForm",
    "download_input",
    "download_next_year",
    "download_report",
    "download_workbook",
    "download_zip",
    "read_file_form",
    "restore_version",
    "unit_page",
    "units_page",
    "upload",
    "version_page",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
YAML = "application/yaml"
_FIRST_YEAR, _LAST_YEAR = 2000, 2100


def _year(text: str | None) -> int:
    """A year from a query or form field; anything else means the year being reported on."""
    if text and text.strip().isdigit() and _FIRST_YEAR <= int(text) <= _LAST_YEAR:
        return int(text)
    return adapter.default_year()


def _unit(db: Session, user: User, unit_id: int) -> Unit:
    unit = db.get(Unit, unit_id)
    if unit is None or not can_read(db, user, unit_id):
        raise NotFound
    return unit


def _version(db: Session, user: User, version_id: int) -> tuple[Version, Unit]:
    version = db.get(Version, version_id)
    if version is None or not can_read(db, user, version.unit_id):
        raise NotFound
    return version, db.get_one(Unit, version.unit_id)


def _writable(user: User, unit: Unit) -> None:
    if not can_write(user, unit.id):
        raise Forbidden(f"只有“{unit.name}”的账号可以提交或恢复该单位的版本。")


def _usernames(db: Session, versions: Sequence[Version]) -> dict[int, str]:
    ids = {v.created_by for v in versions}
    return {u.id: u.username for u in db.scalars(select(User).where(User.id.in_(ids)))}


def _int(request: Request, name: str) -> int:
    value: int = request.path_params[name]
    return value


async def units_page(request: Request) -> Response:
    """The units this account may see, with this year's state of each."""
    current = viewer(request)
    year = _year(request.query_params.get("year"))
    rows = []
    with bench(request).db() as db:
        for unit in readable_units(db, current.user):
            latest = next(iter(versions_of(db, unit.id, year)), None)
            accepted = current_version(db, unit.id, year)
            reports = reports_of(db, accepted.id) if accepted else []
            rows.append((unit, latest, accepted, reports))
    return render(
        request, "units.html", viewer=current, year=year, rows=rows, status_names=STATUS_NAMES
    )


async def unit_page(request: Request) -> Response:
    current = viewer(request)
    year = _year(request.query_params.get("year"))
    with bench(request).db() as db:
        unit = _unit(db, current.user, _int(request, "unit_id"))
        versions = versions_of(db, unit.id, year)
        accepted = current_version(db, unit.id, year)
        reports = reports_of(db, accepted.id) if accepted else []
        last_year = current_version(db, unit.id, year - 1)
        years = sorted({*years_of(db, unit.id), year, adapter.default_year()}, reverse=True)
        names = _usernames(db, versions)
    return render(
        request,
        "unit.html",
        viewer=current,
        unit=unit,
        year=year,
        years=years,
        versions=versions,
        accepted=accepted,
        reports=reports,
        last_year=last_year,
        names=names,
        writable=can_write(current.user, unit.id),
        fund_types=FUND_TYPES,
        status_names=STATUS_NAMES,
    )


@dataclass(frozen=True)
class FileForm:
    """A form that sends one file to a unit the account may write to, with a year."""

    current: Viewer
    bench: Workbench
    unit: Unit
    file: Upload
    year: int


async def read_file_form(request: Request, missing: str) -> FileForm:
    """The unit, the file and the year of a one-file form; ``missing`` when no file came."""
    current = viewer(request)
    fields, files = await read_form(request, current.csrf, max_files=1)
    wb = bench(request)
    with wb.db() as db:
        unit = _unit(db, current.user, _int(request, "unit_id"))
        _writable(current.user, unit)
    if not files or (not files[0].file_name and not files[0].data):
        raise WebError(missing)
    return FileForm(current, wb, unit, files[0], _year(fields.get("year")))


async def upload(request: Request) -> Response:
    form = await read_file_form(request, "请先选择要上传的文件（.xlsx 或 .yaml）。")
    version_id = await run_in_threadpool(
        submit, form.bench, form.current.user, form.unit, form.year, form.file, client_of(request)
    )
    return RedirectResponse(f"/versions/{version_id}", status_code=303)


async def version_page(request: Request) -> Response:
    current = viewer(request)
    with bench(request).db() as db:
        version, unit = _version(db, current.user, _int(request, "version_id"))
        reports = reports_of(db, version.id)
        accepted = current_version(db, unit.id, version.year)
        names = _usernames(db, [version])
    findings = load_findings(version.findings)
    return render(
        request,
        "version.html",
        viewer=current,
        version=version,
        unit=unit,
        reports=reports,
        findings=findings,
        imported=load_note(version.imported),
        errors=[f for f in findings if f.is_error],
        unfilled=sum(1 for f in findings if f.message.startswith("尚未填写")),
        is_current=accepted is not None and accepted.id == version.id,
        writable=can_write(current.user, unit.id),
        names=names,
        status_names=STATUS_NAMES,
        statuses=VersionStatus,
    )


def _audited(
    request: Request, current: Viewer, action: str, unit: Unit, version: Version | None, detail: str
) -> None:
    with bench(request).db() as db:
        record(
            db,
            action,
            user=current.user,
            unit_id=unit.id,
            version_id=version.id if version else None,
            detail=detail,
            client=client_of(request),
        )
        db.commit()


async def download_input(request: Request) -> Response:
    current = viewer(request)
    wb = bench(request)
    with wb.db() as db:
        version, unit = _version(db, current.user, _int(request, "version_id"))
    if not version.stored:
        raise NotFound("该版本有错误，未保存输入文件；只保存了检查结果。")
    data = wb.store.get(version.input_sha256)
    _audited(request, current, Action.DOWNLOAD_INPUT, unit, version, version.file_name)
    media = XLSX if version.file_name.lower().endswith((".xlsx", ".xlsm")) else YAML
    return download(data, version.file_name, media)


async def download_report(request: Request) -> Response:
    current = viewer(request)
    wb = bench(request)
    with wb.db() as db:
        version, unit = _version(db, current.user, _int(request, "version_id"))
        report = db.get(Report, _int(request, "report_id"))
    if report is None or report.version_id != version.id:
        raise NotFound
    data = wb.store.get(report.sha256)
    _audited(request, current, Action.DOWNLOAD_REPORT, unit, version, report.name)
    return download(data, report.name, DOCX)


async def download_zip(request: Request) -> Response:
    current = viewer(request)
    wb = bench(request)
    with wb.db() as db:
        version, unit = _version(db, current.user, _int(request, "version_id"))
        reports = reports_of(db, version.id)
    if not reports:
        raise NotFound("该版本没有生成报告。")
    data = await run_in_threadpool(zip_reports, wb, reports)
    name = f"{unit.name}-{version.year}年度绩效自评报告-版本{version.id}.zip"
    _audited(request, current, Action.DOWNLOAD_ZIP, unit, version, name)
    return download(data, name, "application/zip")


async def restore_version(request: Request) -> Response:
    current = viewer(request)
    await read_form(request, current.csrf)
    wb = bench(request)
    with wb.db() as db:
        version, unit = _version(db, current.user, _int(request, "version_id"))
    _writable(current.user, unit)
    if version.status != VersionStatus.ACCEPTED or not version.stored:
        raise WebError("只能恢复已生成报告的版本。")
    copy = await run_in_threadpool(restore, wb, current.user, version, client_of(request))
    return RedirectResponse(f"/versions/{copy}", status_code=303)


async def download_workbook(request: Request) -> Response:
    """The fill-in workbook for the fund types ticked (all when none), as excel-template."""
    current = viewer(request)
    year = _year(request.query_params.get("year"))
    chosen = [t for t in FUND_TYPES if t in request.query_params.getlist("type")] or list(
        FUND_TYPES
    )
    with bench(request).db() as db:
        unit = _unit(db, current.user, _int(request, "unit_id"))
    data = await run_in_threadpool(adapter.fill_in_workbook, chosen, year, unit.name)
    name = f"{unit.name}-{year}年度填报.xlsx"
    _audited(request, current, Action.DOWNLOAD_WORKBOOK, unit, None, f"{name}：{'、'.join(chosen)}")
    return download(data, name, XLSX)


async def download_next_year(request: Request) -> Response:
    """This year's input begun from last year's accepted one, as ``genreport new --from``."""
    current = viewer(request)
    year = _year(request.query_params.get("year"))
    wb = bench(request)
    with wb.db() as db:
        unit = _unit(db, current.user, _int(request, "unit_id"))
        source = current_version(db, unit.id, year - 1)
    if source is None or not source.stored:
        raise NotFound(f"{year - 1}年度还没有已生成报告的版本，无法由它开始{year}年度的输入。")
    data = wb.store.get(source.input_sha256)

    def build() -> str:
        scratch = wb.dirs.work / f"next-{secrets.token_hex(4)}"
        try:
            path = scratch / "input" / source.file_name
            path.parent.mkdir(parents=True)
            path.write_bytes(data)
            return adapter.next_year_input(path, year, scratch)[0]
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    text = await run_in_threadpool(build)
    name = f"{unit.name}-{year}.yaml"
    _audited(request, current, Action.DOWNLOAD_NEXT_YEAR, unit, source, name)
    return download(text.encode("utf-8"), name, YAML)
