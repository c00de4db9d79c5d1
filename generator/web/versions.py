"""Uploads become versions: check and generate, keep what was accepted, never overwrite.

An upload is recorded as ``running`` before any work starts and finished in one
transaction after its files are in the store, so a server killed half-way leaves a
running row (turned into ``failed`` at the next start, see Workbench.recover) and at
worst unreferenced files, never a version that points at a missing or partial file.
Restoring an old version adds a new version with the same files: history only grows.
An input the workbench wrote itself (an import of last year's report) is kept even when
it has errors, so that the user can download and finish it.
"""

from __future__ import annotations

import io
import logging
import secrets
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from generator.errors import GenreportError
from generator.web import adapter
from generator.web.audit import Action, record
from generator.web.findings import dump_findings
from generator.web.models import Report, Unit, User, Version, VersionStatus, utcnow
from generator.web.store import sha256
from generator.web.workbench import Workbench

__all__ = [
    "STATUS_NAMES",
    "Upload",
    "current_version",
    "reports_of",
    "restore",
    "submit",
    "versions_of",
    "years_of",
    "zip_reports",
]

log = logging.getLogger("genreport.web")

STATUS_NAMES = {
    VersionStatus.RUNNING: "处理中",
    VersionStatus.REJECTED: "有错误",
    VersionStatus.ACCEPTED: "已生成",
    VersionStatus.FAILED: "失败",
}
#: Shown for a failure that is not the user's input (the details go to the server log).
INTERNAL = "服务器内部错误，未生成报告；已记入服务器日志，请稍后重试或联系管理员。"


@dataclass(frozen=True)
class Upload:
    """One file as received: the name the browser sent, and its bytes."""

    file_name: str
    data: bytes


def submit(
    bench: Workbench,
    user: User,
    unit: Unit,
    year: int,
    upload: Upload,
    client: str,
    *,
    imported: str = "",
) -> int:
    """Check and generate ``upload`` for ``unit``; return the new version's id.

    ``year`` is the year the user was working on; the input's own 年度 wins once known.
    ``imported`` is what an import found (generator.web.imported) when the workbench wrote
    ``upload`` itself: such an input is kept even with errors, since the user has no copy.
    """
    name = adapter.display_name(upload.file_name)
    with bench.db() as db:
        version = Version(
            unit_id=unit.id,
            year=year,
            file_name=name,
            input_sha256=sha256(upload.data),
            input_size=len(upload.data),
            stored=False,
            status=VersionStatus.RUNNING,
            created_by=user.id,
            imported=imported,
        )
        db.add(version)
        db.commit()
        version_id = version.id
    scratch = bench.dirs.work / f"v{version_id}-{secrets.token_hex(4)}"
    try:
        source = scratch / "input" / name
        source.parent.mkdir(parents=True)
        source.write_bytes(upload.data)
        outcome = adapter.check_and_generate(source, name, scratch / "output", unit.name)
        _finish(bench, version_id, upload, outcome, user, client, keep=bool(imported))
    except Exception as exc:
        if not isinstance(exc, GenreportError):
            log.exception("上传 %s（版本 %d）处理失败", name, version_id)
        _fail(
            bench,
            version_id,
            str(exc) if isinstance(exc, GenreportError) else INTERNAL,
            user,
            client,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return version_id


def _finish(
    bench: Workbench,
    version_id: int,
    upload: Upload,
    outcome: adapter.Outcome,
    user: User,
    client: str,
    *,
    keep: bool,
) -> None:
    """Record the outcome; ``keep`` stores the input even when it has errors."""
    kept = outcome.ok or keep
    if kept:
        bench.store.put(upload.data)
    stored = []
    if outcome.ok:
        stored = [
            (
                report,
                bench.store.put(report.data),
                bench.store.put(report.selfeval[1]) if report.selfeval else None,
            )
            for report in outcome.reports
        ]
    errors = sum(1 for p in outcome.problems if p.is_error)
    with bench.db() as db:
        version = db.get_one(Version, version_id)
        version.status = VersionStatus.ACCEPTED if outcome.ok else VersionStatus.REJECTED
        version.stored = kept
        version.errors = errors
        version.warnings = len(outcome.problems) - errors
        version.findings = dump_findings(outcome.problems)
        if outcome.year is not None:
            version.year = outcome.year
        version.finished_at = utcnow()
        for position, (report, digest, book) in enumerate(stored):
            db.add(
                Report(
                    version_id=version_id,
                    position=position,
                    name=report.name,
                    fund=report.fund,
                    score=report.score,
                    grade=report.grade,
                    warnings=report.warnings,
                    sha256=digest,
                    size=len(report.data),
                    selfeval_name=report.selfeval[0] if report.selfeval else None,
                    selfeval_sha256=book,
                )
            )
        detail = (
            f"{version.file_name}：已生成 {len(stored)} 份报告"
            if outcome.ok
            else f"{version.file_name}：{errors} 个错误，未生成报告"
            + ("（已保存输入文件）" if kept else "")
        )
        record(
            db,
            Action.UPLOAD,
            user=user,
            unit_id=version.unit_id,
            version_id=version_id,
            detail=f"{detail}（SHA-256 {version.input_sha256[:12]}…）",
            client=client,
        )
        db.commit()


def _fail(bench: Workbench, version_id: int, message: str, user: User, client: str) -> None:
    with bench.db() as db:
        version = db.get_one(Version, version_id)
        version.status = VersionStatus.FAILED
        version.message = message
        version.finished_at = utcnow()
        record(
            db,
            Action.UPLOAD,
            user=user,
            unit_id=version.unit_id,
            version_id=version_id,
            detail=f"{version.file_name}：失败：{message}",
            client=client,
        )
        db.commit()


def restore(bench: Workbench, user: User, version: Version, client: str) -> int:
    """Make an accepted version current again by adding a copy of it; return the copy's id."""
    with bench.db() as db:
        copy = Version(
            unit_id=version.unit_id,
            year=version.year,
            file_name=version.file_name,
            input_sha256=version.input_sha256,
            input_size=version.input_size,
            stored=version.stored,
            status=version.status,
            errors=version.errors,
            warnings=version.warnings,
            findings=version.findings,
            created_by=user.id,
            finished_at=utcnow(),
            restored_from=version.id,
        )
        db.add(copy)
        db.flush()
        for report in reports_of(db, version.id):
            db.add(
                Report(
                    version_id=copy.id,
                    position=report.position,
                    name=report.name,
                    fund=report.fund,
                    score=report.score,
                    grade=report.grade,
                    warnings=report.warnings,
                    sha256=report.sha256,
                    size=report.size,
                    selfeval_name=report.selfeval_name,
                    selfeval_sha256=report.selfeval_sha256,
                )
            )
        record(
            db,
            Action.RESTORE,
            user=user,
            unit_id=version.unit_id,
            version_id=copy.id,
            detail=f"由版本 {version.id} 恢复",
            client=client,
        )
        db.commit()
        return copy.id


def versions_of(db: Session, unit_id: int, year: int) -> list[Version]:
    """Newest first."""
    query = select(Version).where(Version.unit_id == unit_id, Version.year == year)
    return list(db.scalars(query.order_by(Version.id.desc())))


def current_version(db: Session, unit_id: int, year: int) -> Version | None:
    """The newest accepted version: what counts for the unit this year."""
    query = select(Version).where(
        Version.unit_id == unit_id,
        Version.year == year,
        Version.status == VersionStatus.ACCEPTED,
    )
    return db.scalar(query.order_by(Version.id.desc()).limit(1))


def years_of(db: Session, unit_id: int) -> list[int]:
    query = select(Version.year).where(Version.unit_id == unit_id).distinct()
    return sorted(db.scalars(query), reverse=True)


def reports_of(db: Session, version_id: int) -> list[Report]:
    query = select(Report).where(Report.version_id == version_id).order_by(Report.position)
    return list(db.scalars(query))


def zip_reports(bench: Workbench, reports: Sequence[Report]) -> bytes:
    """Every report of a version and its 自评表 workbook in one .zip, each checked against its hash."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for report in reports:
            package.writestr(report.name, bench.store.get(report.sha256))
            if report.selfeval_name and report.selfeval_sha256:
                package.writestr(report.selfeval_name, bench.store.get(report.selfeval_sha256))
    return buffer.getvalue()
