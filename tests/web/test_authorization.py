"""Every route refuses whoever may not use it, whatever id or path they try.

The tables below name every route of generator.web.app.ROUTES (a test checks that a new
route cannot be added without a row): anonymous requests go to the sign-in page, a county
gets 404 for another unit's pages and files (ids reveal nothing), a city reads only its
own unit and the counties assigned to it and changes only its own, and no POST is
handled without the form's CSRF token.
"""

from __future__ import annotations

import pytest
from starlette.routing import Route

from generator.web import accounts
from generator.web.app import ROUTES, create_app

from ..conftest import VALID_INPUT
from .conftest import CITY, COUNTY, OTHER_COUNTY, TestClient, Web, csrf_of, make_accounts

# (method, route path, the same path with this test's ids)
ROUTE_CASES = [
    ("GET", "/", "/"),
    ("GET", "/units", "/units"),
    ("GET", "/units/{unit_id:int}", "/units/{unit}"),
    ("POST", "/units/{unit_id:int}/upload", "/units/{unit}/upload"),
    ("POST", "/units/{unit_id:int}/import", "/units/{unit}/import"),
    ("GET", "/units/{unit_id:int}/workbook", "/units/{unit}/workbook?year=2024"),
    ("GET", "/units/{unit_id:int}/next-year", "/units/{unit}/next-year?year=2025"),
    ("GET", "/versions/{version_id:int}", "/versions/{version}"),
    ("GET", "/versions/{version_id:int}/input", "/versions/{version}/input"),
    (
        "GET",
        "/versions/{version_id:int}/reports/{report_id:int}",
        "/versions/{version}/reports/{report}",
    ),
    (
        "GET",
        "/versions/{version_id:int}/reports/{report_id:int}/preview",
        "/versions/{version}/reports/{report}/preview",
    ),
    (
        "GET",
        "/versions/{version_id:int}/reports/{report_id:int}/pages/{page:int}.png",
        "/versions/{version}/reports/{report}/pages/1.png",
    ),
    (
        "GET",
        "/versions/{version_id:int}/reports/{report_id:int}/pdf",
        "/versions/{version}/reports/{report}/pdf",
    ),
    (
        "GET",
        "/versions/{version_id:int}/reports/{report_id:int}/selfeval.xlsx",
        "/versions/{version}/reports/{report}/selfeval.xlsx",
    ),
    ("GET", "/versions/{version_id:int}/reports.zip", "/versions/{version}/reports.zip"),
    ("POST", "/versions/{version_id:int}/restore", "/versions/{version}/restore"),
    ("GET", "/units/{unit_id:int}/board", "/units/{city}/board?year=2024"),
    ("GET", "/units/{unit_id:int}/board/reports.zip", "/units/{city}/board/reports.zip?year=2024"),
    (
        "GET",
        "/units/{unit_id:int}/board/summary.xlsx",
        "/units/{city}/board/summary.xlsx?year=2024",
    ),
    ("GET", "/units/{unit_id:int}/rollup.xlsx", "/units/{city}/rollup.xlsx?year=2024"),
    ("POST", "/units/{unit_id:int}/rollup", "/units/{city}/rollup"),
    ("GET", "/audit", "/audit"),
    ("POST", "/logout", "/logout"),
]
#: Routes anyone may use: the sign-in page itself (its POST has its own CSRF test).
PUBLIC = {("GET", "/login"), ("POST", "/login")}
#: Routes about one unit's work (the rest are about the signed-in account or a city).
UNIT_ROUTES = [case for case in ROUTE_CASES if "{unit}" in case[2] or "{version}" in case[2]]
#: A city's pages about its counties (tests/web/test_city.py tests what they show).
CITY_ROUTES = [case for case in ROUTE_CASES if "{city}" in case[2]]
#: Routes that draw a report with LibreOffice.
CONVERTING = ("/preview", "/pages/", "/pdf")
POSTS = [case for case in ROUTE_CASES if case[0] == "POST"]


def test_every_route_has_an_authorization_case() -> None:
    routes = {
        (method, route.path)
        for route in ROUTES
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert routes == {(m, p) for m, p, _ in ROUTE_CASES} | PUBLIC


def _ids(web: Web, version_id: int) -> dict[str, int]:
    (report, *_) = web.reports(version_id)
    return {
        "unit": web.unit_id(COUNTY),
        "version": version_id,
        "report": report.id,
        "city": web.unit_id(CITY),
    }


@pytest.mark.parametrize(("method", "_route", "path"), ROUTE_CASES, ids=[c[2] for c in ROUTE_CASES])
def test_anonymous_requests_get_the_sign_in_page(web: Web, accepted, method, _route, path) -> None:
    client = web.anonymous()
    reply = client.request(method, path.format(**_ids(web, accepted.id)), follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"].startswith("/login")
    assert "登录" in client.get(reply.headers["location"]).text


@pytest.mark.parametrize(("method", "_route", "path"), UNIT_ROUTES, ids=[c[2] for c in UNIT_ROUTES])
def test_a_county_cannot_reach_another_units_work_by_changing_an_id(
    web: Web, accepted, method, _route, path
) -> None:
    intruder = web.signed_in("other")
    token = csrf_of(intruder.get(f"/units/{web.unit_id(OTHER_COUNTY)}").text)
    before = web.versions()
    target = path.format(**_ids(web, accepted.id))
    if method == "POST":
        files = {"file": ("2024.yaml", VALID_INPUT.read_bytes())} if "upload" in path else None
        reply = intruder.post(target, data={"csrf": token, "year": "2024"}, files=files)
    else:
        reply = intruder.get(target)
    assert reply.status_code == 404
    assert "找不到该页面，或您无权查看" in reply.text
    assert COUNTY not in reply.text and accepted.input_sha256 not in reply.text
    assert [v.id for v in web.versions()] == [v.id for v in before]


def test_a_report_id_of_another_version_is_not_found(web: Web, accepted) -> None:
    own = web.upload(
        web.signed_in("other"),
        "2024.yaml",
        VALID_INPUT.read_text(encoding="utf-8").replace(COUNTY, OTHER_COUNTY).encode(),
        OTHER_COUNTY,
    )
    (foreign, *_) = web.reports(accepted.id)
    reply = web.signed_in("other").get(f"/versions/{own.id}/reports/{foreign.id}")
    assert reply.status_code == 404


def test_the_units_list_shows_only_readable_units(web: Web, accepted) -> None:
    assert OTHER_COUNTY not in web.signed_in("county").get("/units").text
    city = web.signed_in("city").get("/units").text
    assert COUNTY in city and OTHER_COUNTY not in city
    everything = web.signed_in("admin").get("/units").text
    assert COUNTY in everything and OTHER_COUNTY in everything


@pytest.mark.parametrize(("method", "_route", "path"), UNIT_ROUTES, ids=[c[2] for c in UNIT_ROUTES])
def test_a_city_reads_its_counties_but_changes_only_its_own_unit(
    web: Web, accepted, method, _route, path, request: pytest.FixtureRequest
) -> None:
    if any(part in path for part in CONVERTING):
        request.getfixturevalue("libreoffice")
    city = web.signed_in("city")
    token = csrf_of(city.get("/units").text)
    target = path.format(**_ids(web, accepted.id))
    if method == "POST":
        files = {"file": ("2024.yaml", VALID_INPUT.read_bytes())} if "upload" in path else None
        reply = city.post(target, data={"csrf": token, "year": "2024"}, files=files)
        assert reply.status_code == 403
        assert "只有“测试县医疗保障局”的账号可以提交或恢复" in reply.text
    else:
        reply = city.get(target)
        assert reply.status_code in (200, 404), reply.text
        assert reply.status_code == 200 or "next-year" in path  # no 2024 input for 2025 yet: 404


@pytest.mark.parametrize(("method", "_route", "path"), CITY_ROUTES, ids=[c[2] for c in CITY_ROUTES])
@pytest.mark.parametrize("who", ["county", "other"])
def test_a_county_cannot_reach_the_citys_board_or_roll_up(
    web: Web, accepted, method, _route, path, who
) -> None:
    client = web.signed_in(who)
    token = csrf_of(client.get("/units").text)
    before = web.versions()
    target = path.format(**_ids(web, accepted.id))
    if method == "POST":
        reply = client.post(target, data={"csrf": token, "year": "2024"})
    else:
        reply = client.get(target)
    assert reply.status_code == 404
    assert [v.id for v in web.versions()] == [v.id for v in before]


@pytest.mark.parametrize(("method", "_route", "path"), CITY_ROUTES, ids=[c[2] for c in CITY_ROUTES])
def test_an_administrator_reads_a_city_board_but_cannot_roll_up(
    web: Web, accepted, method, _route, path
) -> None:
    admin = web.signed_in("admin")
    token = csrf_of(admin.get("/units").text)
    target = path.format(**_ids(web, accepted.id))
    if method == "POST":
        reply = admin.post(target, data={"csrf": token, "year": "2024"})
        assert reply.status_code == 403 and "只有“示例市医疗保障局”的账号可以汇总" in reply.text
    elif "rollup" in path:
        assert admin.get(target).status_code == 403
    else:
        assert admin.get(target).status_code == 200


def test_a_county_board_does_not_exist(web: Web) -> None:
    reply = web.signed_in("county").get(f"/units/{web.unit_id(COUNTY)}/board")
    assert reply.status_code == 404


def test_a_city_cannot_read_a_county_not_assigned_to_it(web: Web) -> None:
    reply = web.signed_in("city").get(f"/units/{web.unit_id(OTHER_COUNTY)}")
    assert reply.status_code == 404


def test_only_an_administrator_reads_the_audit_log(web: Web, accepted) -> None:
    for name in ("county", "city"):
        assert web.signed_in(name).get("/audit").status_code == 404
    page = web.signed_in("admin").get("/audit").text
    assert "上传" in page and "登录" in page and accepted.input_sha256[:12] in page


@pytest.mark.parametrize("token", [None, "forged"], ids=["missing", "wrong"])
@pytest.mark.parametrize(("method", "_route", "path"), POSTS, ids=[c[2] for c in POSTS])
def test_a_post_without_the_forms_csrf_token_is_refused(
    web: Web, accepted, method, _route, path, token
) -> None:
    client = web.signed_in("county")
    before = web.versions()
    data = {"year": "2024"} | ({"csrf": token} if token else {})
    files = {"file": ("2024.yaml", VALID_INPUT.read_bytes())} if "upload" in path else None
    reply = client.post(path.format(**_ids(web, accepted.id)), data=data, files=files)
    assert reply.status_code == 403
    assert "表单已过期或不是从本系统的页面提交的" in reply.text
    assert [v.id for v in web.versions()] == [v.id for v in before]
    assert client.get("/units").status_code == 200  # still signed in


def test_signing_in_needs_the_sign_in_forms_token(web: Web) -> None:
    client = web.anonymous()
    reply = client.post("/login", data={"username": "county", "password": "correct-horse-1"})
    assert reply.status_code == 403
    assert client.get("/units", follow_redirects=False).status_code == 303


def test_session_cookies_are_httponly_and_samesite(web: Web) -> None:
    client = web.anonymous()
    page = client.get("/login")
    reply = client.post(
        "/login",
        data={"csrf": csrf_of(page.text), "username": "county", "password": "correct-horse-1"},
        follow_redirects=False,
    )
    cookie = reply.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_cookies_are_secure_when_the_server_is_behind_https(tmp_path) -> None:
    make_accounts(tmp_path)
    client = TestClient(create_app(tmp_path, secure_cookies=True))
    page = client.get("/login")
    assert "secure" in page.headers["set-cookie"].lower()


def test_a_disabled_account_is_signed_out_at_once(web: Web) -> None:
    client = web.signed_in("county")
    with web.bench.db() as db:
        accounts.set_disabled(db, "county", True)
    reply = client.get("/units", follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"].startswith("/login")


def test_signing_out_ends_the_session(web: Web) -> None:
    client = web.signed_in("county")
    token = csrf_of(client.get("/units").text)
    assert client.post("/logout", data={"csrf": token}).url.path == "/login"
    assert client.get("/units", follow_redirects=False).status_code == 303


def test_after_signing_in_the_browser_returns_to_the_page_it_asked_for(web: Web, accepted) -> None:
    client = web.anonymous()
    first = client.get(f"/versions/{accepted.id}")
    assert first.url.path == "/login"
    reply = client.post(
        "/login",
        data={
            "csrf": csrf_of(first.text),
            "username": "county",
            "password": "correct-horse-1",
            "next": f"/versions/{accepted.id}",
        },
    )
    assert reply.url.path == f"/versions/{accepted.id}"
    outside = client.post(
        "/login",
        data={"csrf": "x", "username": "county", "password": "p", "next": "//evil.example/"},
    )
    assert "evil" not in str(outside.url)
