"""Signing in and out, and the home page that sends each role to its own start."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from generator.web.accounts import LoginRefused, authenticate, end_session, start_session
from generator.web.audit import Action, record
from generator.web.context import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    bench,
    client_of,
    optional_viewer,
    read_form,
    set_cookie,
    viewer,
)
from generator.web.models import COUNTY, User
from generator.web.pages import render
from generator.web.security import new_token, sign, unsign

__all__ = ["home", "login_form", "login_submit", "logout"]

_LOGIN_FORM_SECONDS = 3600
_SESSION_SECONDS = 12 * 3600


def _start(user: User) -> str:
    return f"/units/{user.unit_id}" if user.role == COUNTY and user.unit_id else "/units"


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (``/…`` but not ``//host``) may follow the sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


async def home(request: Request) -> Response:
    return RedirectResponse(_start(viewer(request).user), status_code=303)


def _login_page(
    request: Request, token: str, *, error: str = "", status: int = 200, username: str = ""
) -> Response:
    response = render(
        request,
        "login.html",
        status=status,
        csrf=token,
        error=error,
        username=username,
        next=_safe_next(request.query_params.get("next")) or "",
    )
    set_cookie(
        response, request, LOGIN_COOKIE, sign(token, bench(request).secret), _LOGIN_FORM_SECONDS
    )
    return response


def _login_token(request: Request) -> str | None:
    signed = request.cookies.get(LOGIN_COOKIE)
    return unsign(signed, bench(request).secret) if signed else None


async def login_form(request: Request) -> Response:
    current = optional_viewer(request)
    if current is not None:
        return RedirectResponse(_start(current.user), status_code=303)
    return _login_page(request, _login_token(request) or new_token())


async def login_submit(request: Request) -> Response:
    token = _login_token(request)
    fields, _ = await read_form(request, token)
    username = fields.get("username", "")
    wb = bench(request)

    def attempt() -> tuple[User | None, str, int]:
        with wb.db() as db:
            try:
                user = authenticate(db, username, fields.get("password", ""), client_of(request))
            except LoginRefused as exc:
                return None, str(exc), exc.wait
            return user, start_session(db, user), 0

    user, result, wait = await run_in_threadpool(attempt)
    if user is None:
        status = 429 if wait else 401
        return _login_page(request, new_token(), error=result, status=status, username=username)
    target = _safe_next(fields.get("next")) or _start(user)
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, request, SESSION_COOKIE, sign(result, wb.secret), _SESSION_SECONDS)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


async def logout(request: Request) -> Response:
    current = viewer(request)
    await read_form(request, current.csrf)
    wb = bench(request)
    signed = request.cookies.get(SESSION_COOKIE, "")
    token = unsign(signed, wb.secret)
    with wb.db() as db:
        if token:
            end_session(db, token)
        record(db, Action.LOGOUT, user=current.user, client=client_of(request))
        db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
