"""The workbench as an ASGI application: routes, the body-size limit, security headers.

Structure (one module per concern; add a page by adding a view module and its routes):

- ``views_auth``  sign in/out, home          - ``views_units`` a unit's year, uploads, versions
- ``views_admin`` audit log                  - ``context``  request helpers (account, CSRF, downloads)
- ``responses``   every error → Chinese page - ``adapter``  the only caller of the pipeline
- ``versions``    upload → version service   - ``accounts``/``access`` who may do what
- ``views_import`` last year's report → a version
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generator.limits import MAX_WORKBOOK_BYTES
from generator.web import (
    views_admin,
    views_auth,
    views_city,
    views_import,
    views_reports,
    views_units,
)
from generator.web.context import Settings
from generator.web.pages import STATIC
from generator.web.responses import EXCEPTION_HANDLERS, TooLarge
from generator.web.workbench import Workbench

__all__ = ["MAX_UPLOAD_BYTES", "ROUTES", "create_app"]

#: The largest request: the largest workbook the pipeline reads, plus room for the form.
MAX_UPLOAD_BYTES = MAX_WORKBOOK_BYTES + 256 * 1024

ROUTES = [
    Route("/", views_auth.home, methods=["GET"]),
    Route("/login", views_auth.login_form, methods=["GET"]),
    Route("/login", views_auth.login_submit, methods=["POST"]),
    Route("/logout", views_auth.logout, methods=["POST"]),
    Route("/units", views_units.units_page, methods=["GET"]),
    Route("/units/{unit_id:int}", views_units.unit_page, methods=["GET"]),
    Route("/units/{unit_id:int}/upload", views_units.upload, methods=["POST"]),
    Route("/units/{unit_id:int}/import", views_import.import_report, methods=["POST"]),
    Route("/units/{unit_id:int}/workbook", views_units.download_workbook, methods=["GET"]),
    Route("/units/{unit_id:int}/next-year", views_units.download_next_year, methods=["GET"]),
    Route("/units/{unit_id:int}/board", views_city.board_page, methods=["GET"]),
    Route("/units/{unit_id:int}/board/reports.zip", views_city.counties_zip, methods=["GET"]),
    Route("/units/{unit_id:int}/board/summary.xlsx", views_city.summary_workbook, methods=["GET"]),
    Route("/units/{unit_id:int}/rollup.xlsx", views_city.rollup_workbook, methods=["GET"]),
    Route("/units/{unit_id:int}/rollup", views_city.rollup_submit, methods=["POST"]),
    Route("/versions/{version_id:int}", views_units.version_page, methods=["GET"]),
    Route("/versions/{version_id:int}/input", views_units.download_input, methods=["GET"]),
    Route(
        "/versions/{version_id:int}/reports/{report_id:int}",
        views_units.download_report,
        methods=["GET"],
    ),
    Route(
        "/versions/{version_id:int}/reports/{report_id:int}/preview",
        views_reports.preview_page,
        methods=["GET"],
    ),
    Route(
        "/versions/{version_id:int}/reports/{report_id:int}/pages/{page:int}.png",
        views_reports.page_image,
        methods=["GET"],
    ),
    Route(
        "/versions/{version_id:int}/reports/{report_id:int}/pdf",
        views_reports.download_pdf,
        methods=["GET"],
    ),
    Route(
        "/versions/{version_id:int}/reports/{report_id:int}/selfeval.xlsx",
        views_reports.download_selfeval,
        methods=["GET"],
    ),
    Route("/versions/{version_id:int}/reports.zip", views_units.download_zip, methods=["GET"]),
    Route("/versions/{version_id:int}/restore", views_units.restore_version, methods=["POST"]),
    Route("/audit", views_admin.audit_page, methods=["GET"]),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
]


class BodyLimit:
    """Refuse a request body past ``limit`` bytes as it streams in, before it is all read."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise TooLarge(self.limit)
            return message

        await self.app(scope, limited, send)


class SecurityHeaders:
    """Pages may not be framed, sniffed or fed from elsewhere."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(
    data: Path, *, secure_cookies: bool = False, max_upload_bytes: int = MAX_UPLOAD_BYTES
) -> Starlette:
    """Open (and migrate) the data directory, recover from a previous crash, build the app."""
    bench = Workbench.open(data)
    bench.recover()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        bench.close()

    handlers: dict[Any, Any] = dict(EXCEPTION_HANDLERS)
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(SecurityHeaders), Middleware(BodyLimit, limit=max_upload_bytes)],
        exception_handlers=handlers,
        lifespan=lifespan,
    )
    app.state.bench = bench
    app.state.settings = Settings(secure_cookies, max_upload_bytes)
    return app
