"""Whatever goes wrong, the browser gets a Chinese page and never a traceback."""

from __future__ import annotations

import os

import pytest

from generator.errors import TemplateError
from generator.web import adapter, views_units
from generator.web.versions import INTERNAL

from ..conftest import VALID_INPUT
from .conftest import Web


@pytest.fixture
def lenient(web: Web) -> Web:
    """The same app, with the test client answering 500s instead of re-raising them."""
    web.client_kwargs["raise_server_exceptions"] = False
    return web


@pytest.mark.parametrize(
    ("method", "path", "status", "text"),
    [
        ("GET", "/no/such/page", 404, "找不到该页面，或您无权查看"),
        ("GET", "/versions/99999", 404, "找不到该页面，或您无权查看"),
        ("GET", "/units/not-a-number", 404, "找不到该页面，或您无权查看"),
        ("DELETE", "/units", 405, "该页面不支持这种操作"),
    ],
)
def test_unknown_pages_and_methods_get_a_chinese_page(web: Web, method, path, status, text) -> None:
    reply = web.signed_in("county").request(method, path)
    assert reply.status_code == status
    assert text in reply.text and "Not Found" not in reply.text


def test_an_unexpected_error_is_logged_and_shown_as_a_plain_chinese_page(
    lenient: Web, accepted, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views_units, "reports_of", broken)
    reply = lenient.signed_in("county").get(f"/versions/{accepted.id}")
    assert reply.status_code == 500
    assert "服务器内部错误" in reply.text
    assert "Traceback" not in reply.text and "secret internals" not in reply.text
    assert "secret internals" in caplog.text


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (RuntimeError("secret internals"), INTERNAL),
        (TemplateError("找不到模板“评价报告.docx”"), "找不到模板“评价报告.docx”"),
    ],
    ids=["bug", "template"],
)
def test_a_failure_while_generating_becomes_a_failed_version(
    web: Web, monkeypatch: pytest.MonkeyPatch, error: Exception, shown: str
) -> None:
    def broken(*_args: object) -> None:
        raise error

    monkeypatch.setattr(adapter, "check_and_generate", broken)
    version = web.upload(web.signed_in("county"), "2024.yaml", VALID_INPUT.read_bytes())
    assert (version.status, version.message) == ("failed", shown)
    page = web.signed_in("county").get(f"/versions/{version.id}").text
    assert shown in page and "secret internals" not in page
    assert web.stored_files() == set() and web.scratch_left() == []


def test_a_damaged_stored_report_is_refused_not_served(lenient: Web, accepted) -> None:
    (report,) = lenient.reports(accepted.id)
    path = lenient.bench.store.path(report.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes()[:100])  # as if the disk lost the rest
    reply = lenient.signed_in("county").get(f"/versions/{accepted.id}/reports/{report.id}")
    assert reply.status_code == 500
    assert "已损坏：请从备份恢复数据目录" in reply.text
    assert not reply.content.startswith(b"PK")


def test_pages_forbid_framing_and_sniffing(web: Web) -> None:
    headers = web.anonymous().get("/login").headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
