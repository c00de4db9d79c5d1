"""The administrator's audit log: every action, newest first."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from generator.web.context import bench, viewer
from generator.web.models import ADMIN, AuditEntry, Unit
from generator.web.pages import render
from generator.web.responses import NotFound

__all__ = ["audit_page"]

#: Entries one page shows.
AUDIT_PAGE = 500


async def audit_page(request: Request) -> Response:
    current = viewer(request)
    if current.user.role != ADMIN:
        raise NotFound
    with bench(request).db() as db:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE)
        entries = list(db.scalars(query))
        units = {u.id: u.name for u in db.scalars(select(Unit))}
    return render(request, "audit.html", viewer=current, entries=entries, units=units)
