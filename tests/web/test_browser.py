"""A county's and a city's year in a real browser: Debian's Chromium driven by Playwright.

A real ``genreport serve`` on 127.0.0.1. The county signs in, uploads a workbook with a
known error and sees it located, uploads the fixed one, previews a report and downloads
its .docx; the city sees the county on its board, rolls up and downloads its own report.
Without Chromium (or Playwright) the test skips on a developer's machine and fails in CI
(CI=true), like the LibreOffice tests. Screenshots of each page go to the directory
named by GENREPORT_SCREENSHOTS (docs/web/ holds the README's), else to a temporary one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import docx_texts
from ..workbooks import valid_sheets, write_workbook
from .conftest import COUNTY, PASSWORD, make_accounts
from .test_crash import server

WIDTH, HEIGHT = 1280, 860


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI 必须能运行浏览器测试：{reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        _missing("未安装 Chromium（apt-get install chromium）")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("未安装 playwright（pip install playwright）")
    sandbox = [] if os.name != "posix" or os.geteuid() != 0 else ["--no-sandbox"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=sandbox)
        yield browser
        browser.close()


def _sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda address: "/login" not in address)


def _download(page: Any, link: Any, folder: Path) -> Path:
    with page.expect_download() as waiting:
        link.click()
    download = waiting.value
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


@pytest.mark.usefixtures("libreoffice")
def test_a_county_and_a_city_do_their_year_in_the_browser(chromium: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("GENREPORT_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    data = tmp_path / "data"
    make_accounts(data)
    for folder in ("good", "bad"):
        (tmp_path / folder).mkdir()
    sheets = valid_sheets()
    good = write_workbook(tmp_path / "good" / "填报.xlsx", sheets)
    sheets["指标"][2][4] = "四十"
    bad = write_workbook(tmp_path / "bad" / "填报.xlsx", sheets)
    with server(data, tmp_path / "server.log") as (_process, url):
        context = chromium.new_context(
            viewport={"width": WIDTH, "height": HEIGHT}, accept_downloads=True, locale="zh-CN"
        )
        page = context.new_page()
        _sign_in(page, url, "county")
        page.click("nav >> text=本单位")

        page.set_input_files("input[name=file]", str(bad))
        page.click("text=上传并检查")
        findings = page.locator("table.findings")
        findings.wait_for()
        row = findings.locator("tbody tr").first
        assert "应为数字，实际为“四十”" in row.inner_text()
        assert [c.inner_text() for c in row.locator("td").all()[1:5]] == [
            "指标",
            "3",
            "E",
            "项目[1].指标[2].分值",
        ]
        page.screenshot(path=str(shots / "1-findings.png"))

        page.click("text=返回本年度")
        page.set_input_files("input[name=file]", str(good))
        page.click("text=上传并检查")
        page.locator("text=检查完成，未发现问题").wait_for()
        page.screenshot(path=str(shots / "2-reports.png"))

        page.locator("a", has_text="预览").first.click()
        image = page.locator(".page-image img").first
        image.wait_for()
        page.wait_for_function("() => document.querySelector('.page-image img').naturalWidth > 0")
        page.screenshot(path=str(shots / "3-preview.png"))
        document = _download(page, page.locator("a", has_text="下载 .docx").first, tmp_path)
        assert document.suffix == ".docx"
        assert any(COUNTY in text for text in docx_texts(document))

        page.click("text=退出")
        _sign_in(page, url, "city")
        page.click("nav >> text=县区汇总")
        page.fill("input[name=year]", "2024")  # the board opens on the year being reported on
        page.click("text=查看")
        board = page.locator("table.board")
        board.wait_for()
        assert COUNTY in board.inner_text()
        page.screenshot(path=str(shots / "4-board.png"))

        page.click("text=汇总并生成市级报告")
        page.locator("text=报告").first.wait_for()
        page.screenshot(path=str(shots / "5-city-report.png"))
        city_report = _download(page, page.locator("a", has_text="下载 .docx").first, tmp_path)
        assert any(COUNTY in text for text in docx_texts(city_report))

        # A county with no input yet starts from last year's report: here, the one above.
        page.click("text=退出")
        _sign_in(page, url, "county")
        page.click("nav >> text=本单位")
        page.set_input_files("form[action$='/import'] input[name=file]", str(document))
        page.click("text=导入并检查")
        page.locator("h2", has_text="从上年的报告导入").wait_for()
        assert f"由 {document.name} 导入 1 项资金" in page.inner_text("main")
        page.screenshot(path=str(shots / "6-import.png"))
        context.close()
