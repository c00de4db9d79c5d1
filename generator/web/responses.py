"""Every error becomes a Chinese page here, and only here; no traceback ever reaches a browser.

- the web's own refusals (not found, not allowed, stale form, too large) → their status;
- generator.errors: an InputError lists its problems (422); a broken shipped template or
  rule file, or a store or disk failure, is the server's fault (500) and says so;
- anything else is logged with its traceback and shown as a plain 500 page.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from generator.errors import ConfigError, GenreportError, InputError, OutputError, TemplateError
from generator.limits import describe_size
from generator.web.findings import finding
from generator.web.pages import render

__all__ = [
    "EXCEPTION_HANDLERS",
    "CsrfRefused",
    "Forbidden",
    "NotFound",
    "SignInRequired",
    "TooLarge",
    "WebError",
]

log = logging.getLogger("genreport.web")


class WebError(Exception):
    """A refusal of the web layer, with its status and a Chinese message."""

    status = 400
    title = "请求有误"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(WebError):
    status = 404
    title = "找不到页面"

    def __init__(self, message: str = "找不到该页面，或您无权查看。") -> None:
        super().__init__(message)


class Forbidden(WebError):
    status = 403
    title = "无权操作"


class CsrfRefused(WebError):
    status = 403
    title = "表单已失效"

    def __init__(self) -> None:
        super().__init__("表单已过期或不是从本系统的页面提交的，请返回刷新页面后重试。")


class TooLarge(WebError):
    status = 413
    title = "文件过大"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"上传的内容超过 {describe_size(limit)} 的上限，未保存。"
            "Excel 工作簿请删除多余的图片和工作表，Word 文档请删除多余的图片，然后重试。"
        )


class SignInRequired(Exception):
    """The request needs a signed-in account; the browser is sent to the sign-in page."""


def _page(request: Request, status: int, title: str, message: str, **extra: Any) -> Response:
    return render(request, "error.html", status=status, title=title, message=message, **extra)


async def _sign_in(request: Request, _exc: Exception) -> Response:
    target = request.url.path if request.method == "GET" else "/"
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


async def _web_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WebError)
    return _page(request, exc.status, exc.title, exc.message)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return _page(request, 404, NotFound.title, NotFound().message)
    if exc.status_code == 405:
        return _page(request, 405, "请求有误", "该页面不支持这种操作，请从菜单进入。")
    return _page(request, exc.status_code, "请求有误", "请求无法处理，请返回后重试。")


async def _genreport(request: Request, exc: Exception) -> Response:
    if isinstance(exc, InputError):
        rows = [finding(p) for p in exc.problems]
        return _page(request, 422, "输入有误", "输入有以下问题：", findings=rows)
    if isinstance(exc, ConfigError | TemplateError):
        log.error("模板或配置有误：%s", exc)
        return _page(request, 500, "服务器配置有误", f"服务器的模板或配置有误，请联系管理员：{exc}")
    if isinstance(exc, OutputError):
        log.error("文件读写失败：%s", exc)
        return _page(request, 500, "服务器无法读写文件", f"{exc}（请联系管理员）")
    return _page(request, 400, "无法完成", str(exc))


async def _anything(request: Request, exc: Exception) -> Response:
    log.error("未处理的错误：%s %s", request.method, request.url.path, exc_info=exc)
    return _page(
        request, 500, "服务器内部错误", "服务器内部错误，已记入服务器日志；请稍后重试或联系管理员。"
    )


Handler = Callable[[Request, Exception], Awaitable[Response]]

#: For Starlette(exception_handlers=…): most specific first does not matter, Starlette
#: picks the nearest class in each exception's MRO.
EXCEPTION_HANDLERS: Mapping[Any, Handler] = {
    SignInRequired: _sign_in,
    WebError: _web_error,
    HTTPException: _http,
    GenreportError: _genreport,
    Exception: _anything,
}
