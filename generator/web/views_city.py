"""A city's year: the board of its counties, their reports in one .zip, the 汇总表, the roll-up.

Only a city's own accounts (and administrators, read-only) reach these pages; for
anyone else the city's id is not found. The roll-up builds the city's input from each
county's current accepted input (``genreport rollup``) and submits it as a new version
of the city, so its reports (with the 县区对比 table), findings and history are those of
any upload; the city edits the narrative in the workbook and uploads it as usual.
"""

from __future__ import annotations

import io
import secrets
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from generator.web import adapter
from generator.web.access import can_read, can_write
from generator.web.audit import Action
from generator.web.context import bench, client_of, download, read_form, viewer
from generator.web.models import CITY, Report, Unit, User, Version, VersionStatus
from generator.web.pages import render
from generator.web.responses import Forbidden, NotFound, WebError
from generator.web.versions import Upload, current_version, reports_of, submit, versions_of
from generator.web.views_units import XLSX, _audited, _int, _year
from generator.web.workbench import Workbench

__all__ = [
    "STATES",
    "board_page",
    "counties_zip",
    "rollup_submit",
    "rollup_workbook",
    "summary_workbook",
]

#: A county's state on the board, in the order the filter shows them.
STATES = {
    "none": "未提交",
    "errors": "有错误",
    "ready": "已通过（有警告）",
    "generated": "已生成",
}


@dataclass(frozen=True)
class CountyRow:
    unit: Unit
    state: str
    latest: Version | None
    accepted: Version | None
    reports: list[Report]


def _city(db: Session, user: User, unit_id: int) -> tuple[Unit, list[Unit]]:
    """The city and its counties, if ``user`` may see the city's board."""
    unit = db.get(Unit, unit_id)
    if unit is None or not can_read(db, user, unit_id):
        raise NotFound
    counties = list(db.scalars(select(Unit).where(Unit.city_id == unit.id).order_by(Unit.name)))
    owner = db.scalar(select(User).where(User.unit_id == unit.id, User.role == CITY).limit(1))
    if not counties and owner is None:
        raise NotFound("该单位不是市级单位，没有县区汇总页。")
    return unit, counties


def _state(latest: Version | None, accepted: Version | None) -> str:
    if latest is None:
        return "none"
    if accepted is None or latest.status in (VersionStatus.REJECTED, VersionStatus.FAILED):
        return "errors" if accepted is None or latest.id > accepted.id else "generated"
    return "ready" if accepted.warnings else "generated"


def _rows(db: Session, counties: Sequence[Unit], year: int) -> list[CountyRow]:
    rows = []
    for county in counties:
        latest = next(iter(versions_of(db, county.id, year)), None)
        accepted = current_version(db, county.id, year)
        reports = reports_of(db, accepted.id) if accepted else []
        rows.append(CountyRow(county, _state(latest, accepted), latest, accepted, reports))
    return rows


async def board_page(request: Request) -> Response:
    current = viewer(request)
    year = _year(request.query_params.get("year"))
    wanted = request.query_params.get("state", "")
    with bench(request).db() as db:
        city, counties = _city(db, current.user, _int(request, "unit_id"))
        rows = _rows(db, counties, year)
        own = current_version(db, city.id, year)
    counts = {key: sum(1 for r in rows if r.state == key) for key in STATES}
    shown = [r for r in rows if r.state == wanted] if wanted in STATES else rows
    return render(
        request,
        "board.html",
        viewer=current,
        city=city,
        year=year,
        rows=shown,
        counts=counts,
        total=len(rows),
        wanted=wanted if wanted in STATES else "",
        states=STATES,
        own=own,
        writable=can_write(current.user, city.id),
    )


def _accepted_inputs(
    wb: Workbench, user: User, unit_id: int, year: int
) -> tuple[Unit, list[tuple[Unit, Version]]]:
    with wb.db() as db:
        city, counties = _city(db, user, unit_id)
        found = []
        for county in counties:
            accepted = current_version(db, county.id, year)
            if accepted is not None and accepted.stored:
                found.append((county, accepted))
    return city, found


def _write_inputs(wb: Workbench, found: Sequence[tuple[Unit, Version]], folder: Path) -> list[Path]:
    """Each county's accepted input under its own folder (names may repeat across counties)."""
    paths = []
    for number, (_county, version) in enumerate(found, start=1):
        path = folder / f"{number:03d}" / version.file_name
        path.parent.mkdir(parents=True)
        path.write_bytes(wb.store.get(version.input_sha256))
        paths.append(path)
    return paths


def _scratch(wb: Workbench, what: str) -> Path:
    path = wb.dirs.work / f"{what}-{secrets.token_hex(4)}"
    path.mkdir(parents=True)
    return path


async def counties_zip(request: Request) -> Response:
    """Every county's current reports, one folder per county."""
    current = viewer(request)
    year = _year(request.query_params.get("year"))
    wb = bench(request)
    city, found = _accepted_inputs(wb, current.user, _int(request, "unit_id"), year)
    if not found:
        raise NotFound(f"{year}年度还没有县区生成报告。")

    def build() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package, wb.db() as db:
            for county, version in found:
                for report in reports_of(db, version.id):
                    data = wb.store.get(report.sha256)
                    package.writestr(f"{county.name}/{report.name}", data)
        return buffer.getvalue()

    data = await run_in_threadpool(build)
    name = f"{city.name}-{year}年度各县区绩效自评报告.zip"
    _audited(request, current, Action.DOWNLOAD_COUNTIES, city, None, name)
    return download(data, name, "application/zip")


async def summary_workbook(request: Request) -> Response:
    """The 汇总表 (``genreport summary``), with earlier years where the store has them."""
    current = viewer(request)
    year = _year(request.query_params.get("year"))
    wb = bench(request)
    unit_id = _int(request, "unit_id")
    city, found = _accepted_inputs(wb, current.user, unit_id, year)
    if not found:
        raise NotFound(f"{year}年度还没有县区生成报告，无法汇总。")
    with wb.db() as db:
        past_years = sorted(
            {
                v.year
                for v in db.scalars(
                    select(Version).where(
                        Version.unit_id.in_([c.id for c, _ in found]),
                        Version.year < year,
                        Version.status == VersionStatus.ACCEPTED,
                    )
                )
            }
        )
    earlier = {y: _accepted_inputs(wb, current.user, unit_id, y)[1] for y in past_years}

    def build() -> bytes:
        scratch = _scratch(wb, "summary")
        try:
            now = _write_inputs(wb, found, scratch / str(year))
            past = {y: _write_inputs(wb, rows, scratch / str(y)) for y, rows in earlier.items()}
            return adapter.summary_workbook(now, past)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    data = await run_in_threadpool(build)
    name = f"{city.name}-{year}年度汇总表.xlsx"
    _audited(request, current, Action.DOWNLOAD_SUMMARY, city, None, name)
    return download(data, name, XLSX)


def _rollup_text(wb: Workbench, city: Unit, found: Sequence[tuple[Unit, Version]]) -> str:
    scratch = _scratch(wb, "rollup")
    try:
        return adapter.rollup_input(_write_inputs(wb, found, scratch), city.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _rollup_sources(request: Request, year: int) -> tuple[Unit, list[tuple[Unit, Version]]]:
    current = viewer(request)
    city, found = _accepted_inputs(bench(request), current.user, _int(request, "unit_id"), year)
    if not can_write(current.user, city.id):
        raise Forbidden(f"只有“{city.name}”的账号可以汇总该单位的报告。")
    if not found:
        raise WebError(f"{year}年度还没有县区生成报告，无法汇总。")
    return city, found


async def rollup_workbook(request: Request) -> Response:
    """The roll-up input as a workbook, for the city to edit its narrative and upload."""
    current = viewer(request)
    year = _year(request.query_params.get("year"))
    wb = bench(request)
    city, found = _rollup_sources(request, year)

    def build() -> bytes:
        text = _rollup_text(wb, city, found)
        scratch = _scratch(wb, "rollup-xlsx")
        try:
            return adapter.rollup_workbook(text, scratch, f"{year}.yaml")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    data = await run_in_threadpool(build)
    name = f"{city.name}-{year}年度汇总输入.xlsx"
    _audited(request, current, Action.DOWNLOAD_ROLLUP, city, None, name)
    return download(data, name, XLSX)


async def rollup_submit(request: Request) -> Response:
    """Build the roll-up and submit it as the city's new version (its reports follow)."""
    current = viewer(request)
    fields, _files = await read_form(request, current.csrf)
    year = _year(fields.get("year"))
    wb = bench(request)
    city, found = _rollup_sources(request, year)
    text = await run_in_threadpool(_rollup_text, wb, city, found)
    upload = Upload(f"{city.name}-{year}年度汇总.yaml", text.encode("utf-8"))
    version_id = await run_in_threadpool(
        submit, wb, current.user, city, year, upload, client_of(request)
    )
    detail = f"由 {len(found)} 个县区汇总为版本 {version_id}"
    _audited(request, current, Action.ROLLUP, city, None, detail)
    return RedirectResponse(f"/versions/{version_id}", status_code=303)
