"""A city's board, its counties' reports in one .zip, the 汇总表 and the roll-up.

示例市 has 测试县 assigned (tests/web/conftest.py). The board states each county's
year, the roll-up submits the city's input built as ``genreport rollup`` builds it,
and its reports carry the 县区对比 table.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from generator.web.models import Version

from ..conftest import VALID_TEXT, docx_texts, edited
from .conftest import CITY, COUNTY, Web, csrf_of


def _board(web: Web, query: str = "") -> str:
    reply = web.signed_in("city").get(f"/units/{web.unit_id(CITY)}/board?year=2024{query}")
    assert reply.status_code == 200
    return reply.text


def test_a_county_that_has_not_submitted_is_shown_as_such(web: Web) -> None:
    page = _board(web)
    assert COUNTY in page and "未提交" in page


def test_the_board_shows_each_countys_score_and_grade(web: Web, accepted: Version) -> None:
    (report, *_) = web.reports(accepted.id)
    page = _board(web)
    assert COUNTY in page and report.score in page and report.grade in page
    assert "已生成" in page or "已通过（有警告）" in page


def test_a_county_whose_latest_upload_failed_is_shown_with_errors(web: Web) -> None:
    broken = edited(VALID_TEXT, ("年度: 2024", "年度: 二〇二四")).encode()
    web.upload(web.signed_in("county"), "2024.yaml", broken)
    assert "有错误（1）" in _board(web)


@pytest.mark.parametrize(
    ("state", "shown"), [("none", False), ("errors", False), ("", True)], ids=repr
)
def test_the_board_filters_by_state(web: Web, accepted: Version, state: str, shown: bool) -> None:
    rows = _board(web, f"&state={state}").split("<tbody>")[1]
    assert (COUNTY in rows) is shown


def test_every_countys_reports_come_in_one_zip(web: Web, accepted: Version) -> None:
    reply = web.signed_in("city").get(f"/units/{web.unit_id(CITY)}/board/reports.zip?year=2024")
    names = zipfile.ZipFile(io.BytesIO(reply.content)).namelist()
    assert names == [f"{COUNTY}/{r.name}" for r in web.reports(accepted.id)]


def test_the_summary_workbook_has_a_row_per_county_and_fund(web: Web, accepted: Version) -> None:
    reply = web.signed_in("city").get(f"/units/{web.unit_id(CITY)}/board/summary.xlsx?year=2024")
    book = openpyxl.load_workbook(io.BytesIO(reply.content))
    rows = list(book["汇总"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("单位", "资金类型", "资金") and "总分" in header and "等级" in header
    scores = {r.fund: r.score for r in web.reports(accepted.id) if r.score}
    assert len(rows) - 1 == len(scores)
    for row in rows[1:]:
        assert row[0] == COUNTY
        assert f"{row[header.index('总分')]:g}" == f"{float(scores[row[2]]):g}"
    assert len(book.sheetnames) > 1


def test_rolling_up_generates_the_citys_reports_with_the_county_table(
    web: Web, accepted: Version
) -> None:
    city = web.signed_in("city")
    board = city.get(f"/units/{web.unit_id(CITY)}/board?year=2024")
    reply = city.post(
        f"/units/{web.unit_id(CITY)}/rollup", data={"csrf": csrf_of(board.text), "year": "2024"}
    )
    assert reply.status_code == 200
    version = web.versions()[-1]
    assert version.unit_id == web.unit_id(CITY) and version.status == "accepted"
    (report, *_) = web.reports(version.id)
    document = city.get(f"/versions/{version.id}/reports/{report.id}").content
    assert any(COUNTY in text for text in docx_texts(document))


def test_the_city_edits_the_roll_up_as_a_workbook_and_uploads_it(
    web: Web, accepted: Version
) -> None:
    city = web.signed_in("city")
    workbook = city.get(f"/units/{web.unit_id(CITY)}/rollup.xlsx?year=2024")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    version = web.upload(city, "汇总.xlsx", workbook.content, unit=CITY)
    assert version.status == "accepted", version.findings


def test_rolling_up_with_no_county_ready_says_so(web: Web) -> None:
    city = web.signed_in("city")
    board = city.get(f"/units/{web.unit_id(CITY)}/board?year=2024")
    reply = city.post(
        f"/units/{web.unit_id(CITY)}/rollup", data={"csrf": csrf_of(board.text), "year": "2024"}
    )
    assert reply.status_code == 400 and "还没有县区生成报告" in reply.text
