"""Server-rendered pages: our own Jinja templates (generator/web/html/), escaped by default.

These are the workbench's own trusted page templates, not the users' report templates,
so a plain autoescaping environment is right here (the report sandbox is for input text).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from generator.web.accounts import ROLE_NAMES
from generator.web.models import Unit, User

__all__ = ["PAGES", "STATIC", "Viewer", "local_time", "render"]

PAGES = Path(__file__).resolve().parent / "html"
STATIC = Path(__file__).resolve().parent / "static"
#: Name of the system as every page heads it.
TITLE = "医保资金绩效自评工作台"


@dataclass(frozen=True)
class Viewer:
    """The signed-in account as the pages need it."""

    user: User
    unit: Unit | None
    csrf: str


def local_time(value: datetime.datetime | None) -> str:
    """A stored (naive UTC) time in the server's local time, to the minute."""
    if value is None:
        return ""
    return value.replace(tzinfo=datetime.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(PAGES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local_time"] = local_time
    env.globals["TITLE"] = TITLE
    env.globals["ROLE_NAMES"] = ROLE_NAMES
    return env


def render(
    request: Request,
    template: str,
    *,
    status: int = 200,
    viewer: Viewer | None = None,
    **context: Any,
) -> HTMLResponse:
    page = _environment().get_template(template)
    html = page.render(request=request, viewer=viewer, **context)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
