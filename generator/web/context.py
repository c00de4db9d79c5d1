"""What every view needs from a request: the workbench, the signed-in account, a checked form.

The CSRF check lives in :func:`read_form`, the only way a view reads a form, so no POST
is handled without it (tests/web/test_authorization.py posts to every route without one).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from generator.web.accounts import session_user
from generator.web.models import Unit
from generator.web.pages import Viewer
from generator.web.responses import CsrfRefused, SignInRequired
from generator.web.security import unsign
from generator.web.versions import Upload
from generator.web.workbench import Workbench

__all__ = [
    "LOGIN_COOKIE",
    "SESSION_COOKIE",
    "Settings",
    "bench",
    "client_of",
    "download",
    "optional_viewer",
    "read_form",
    "set_cookie",
    "settings",
    "viewer",
]

SESSION_COOKIE = "genreport_session"
#: Carries the sign-in form's CSRF token before there is a session.
LOGIN_COOKIE = "genreport_login"
_MAX_FIELDS = 50


@dataclass(frozen=True)
class Settings:
    #: Mark cookies Secure (the server is reached through an HTTPS reverse proxy).
    secure_cookies: bool
    #: Largest request body accepted, in bytes.
    max_upload_bytes: int


def bench(request: Request) -> Workbench:
    found: Workbench = request.app.state.bench
    return found


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def client_of(request: Request) -> str:
    """The client's address (the proxy's X-Forwarded-For when uvicorn trusts the proxy)."""
    return request.client.host if request.client else ""


def optional_viewer(request: Request) -> Viewer | None:
    signed = request.cookies.get(SESSION_COOKIE)
    wb = bench(request)
    token = unsign(signed, wb.secret) if signed else None
    if token is None:
        return None
    with wb.db() as db:
        found = session_user(db, token)
        if found is None:
            return None
        row, user = found
        unit = db.get(Unit, user.unit_id) if user.unit_id is not None else None
        return Viewer(user, unit, row.csrf_token)


def viewer(request: Request) -> Viewer:
    """The signed-in account; anyone else is sent to the sign-in page."""
    found = optional_viewer(request)
    if found is None:
        raise SignInRequired
    return found


async def read_form(
    request: Request, csrf: str | None, *, max_files: int = 0
) -> tuple[dict[str, str], list[Upload]]:
    """The posted fields and files, after the CSRF token matched ``csrf``.

    Uploaded files are read into memory (the body size is already bounded) and their
    temporary files closed before returning.
    """
    fields: dict[str, str] = {}
    uploads: list[Upload] = []
    async with request.form(max_files=max_files, max_fields=_MAX_FIELDS) as form:
        sent = form.get("csrf")
        if not csrf or not isinstance(sent, str) or not hmac.compare_digest(sent, csrf):
            raise CsrfRefused
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                uploads.append(Upload(value.filename or "", await value.read()))
            elif key not in fields:
                fields[key] = value
    return fields, uploads


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    """HttpOnly, SameSite=Lax, and Secure behind HTTPS: the only way cookies are set."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings(request).secure_cookies,
        path="/",
    )


def download(data: bytes, name: str, media_type: str) -> Response:
    """A file download under its own (Chinese) name, with an ASCII fallback name."""
    suffix = name.rpartition(".")[2] if "." in name else "bin"
    disposition = f"attachment; filename=\"download.{suffix}\"; filename*=UTF-8''{quote(name)}"
    headers: dict[str, Any] = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(data, media_type=media_type, headers=headers)
