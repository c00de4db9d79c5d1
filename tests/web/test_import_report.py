"""«从上年的报告导入»: last year's report becomes a version whose input is ``genreport import``'s.

The imported input is the command line's, with the account's unit; it is checked like
any upload (its findings, 【待核对】 lines included, are the checker's), kept even when it
has errors (the user has no other copy), and what the import found is shown on the
version page. Only the unit's own accounts may import; a file the reader refuses gets
the error page with the reader's reason, and nothing is stored.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from docx import Document
from markupsafe import escape

from generator.authoring.import_report import import_report
from generator.errors import InputError
from generator.pipeline import render_file
from generator.web.app import MAX_UPLOAD_BYTES
from generator.web.findings import load_findings
from generator.web.models import AuditEntry

from ..conftest import FIXTURES, VALID_INPUT, docx_texts, write_zip
from .conftest import COUNTY, OTHER_COUNTY, Web, csrf_of
from .test_uploads import cli_findings

if TYPE_CHECKING:
    from starlette.testclient import TestClient

REPORTS = FIXTURES / "reports"
#: Checks without errors: the version is accepted and lists every 【待核对】 line.
CLEAN = REPORTS / "indicators_goals.txt"
#: Names another unit and lacks indicators: rejected, and the input is still kept.
FOREIGN = REPORTS / "outline_转移支付_主送落款.txt"


def post_import(
    web: Web, client: TestClient, name: str, data: bytes, unit: str = COUNTY
) -> tuple[int, str, str]:
    """Post the unit page's import form; the status, final URL and page."""
    unit_id = web.unit_id(unit)
    token = csrf_of(client.get(f"/units/{unit_id}?year=2024").text)
    reply = client.post(
        f"/units/{unit_id}/import",
        data={"csrf": token, "year": "2024"},
        files={"file": (name, data)},
    )
    return reply.status_code, str(reply.url), reply.text


def imported_version(web: Web, report: Path) -> int:
    status, url, page = post_import(web, web.signed_in("county"), report.name, report.read_bytes())
    assert status == 200, page
    match = re.search(r"/versions/(\d+)$", url)
    assert match, url
    return int(match.group(1))


def cli_import(report: Path, tmp_path: Path) -> dict[str, object]:
    """What ``genreport import --unit <the account's unit>`` writes, as data."""
    text = import_report(report, tmp_path / "导入.yaml").assembled.text
    data = yaml.safe_load(text)
    data["报告"]["单位"] = COUNTY
    return dict(data)


@pytest.mark.parametrize(
    ("report", "status"), [(CLEAN, "accepted"), (FOREIGN, "rejected")], ids=["clean", "errors"]
)
def test_the_imported_input_is_the_command_lines_import_for_the_accounts_unit(
    web: Web, tmp_path: Path, report: Path, status: str
) -> None:
    version = web.version(imported_version(web, report))
    assert (version.status, version.stored) == (status, True)
    assert version.file_name == f"{report.stem}-导入.yaml"
    downloaded = web.signed_in("county").get(f"/versions/{version.id}/input")
    assert yaml.safe_load(downloaded.content) == cli_import(report, tmp_path)
    assert version.year == cli_import(report, tmp_path)["报告"]["年度"]  # type: ignore[index]


@pytest.mark.parametrize("report", [CLEAN, FOREIGN], ids=["clean", "errors"])
def test_the_version_lists_the_checkers_findings_of_the_imported_input(
    web: Web, tmp_path: Path, report: Path
) -> None:
    version = web.version(imported_version(web, report))
    stored = tmp_path / version.file_name
    stored.write_bytes(web.signed_in("county").get(f"/versions/{version.id}/input").content)
    rows = load_findings(version.findings)
    assert sorted(rows, key=repr) == sorted(cli_findings(stored, version.file_name), key=repr)
    page = web.signed_in("county").get(f"/versions/{version.id}").text
    assert all(row.message in page for row in rows)


def test_a_clean_import_lists_every_line_to_confirm_and_generates_its_reports(web: Web) -> None:
    version = web.version(imported_version(web, CLEAN))
    marked = [r for r in load_findings(version.findings) if "【待核对】" in r.message]
    assert marked and all(r.row for r in marked)
    assert [r.fund for r in web.reports(version.id)]


def test_the_version_page_tells_what_the_import_found(web: Web, tmp_path: Path) -> None:
    report = REPORTS / "outline_转移支付_三项资金.txt"
    version_id = imported_version(web, report)
    page = web.signed_in("county").get(f"/versions/{version_id}").text
    assembled = import_report(report, tmp_path / "x.yaml").assembled
    rows = re.findall(
        r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>((?:\s*<td class=\"num\">\d+</td>){6})",
        page,
    )
    shown = [(name, kind, outline, re.findall(r"\d+", nums)) for name, kind, outline, nums in rows]
    assert shown == [
        (
            f.name,
            f.fund_type,
            f.outline,
            [
                str(n)
                for n in (
                    f.sources,
                    f.indicators,
                    f.with_target,
                    f.with_actual,
                    f.slots,
                    f.unplaced,
                )
            ],
        )
        for f in assembled.funds
    ]
    assert (
        f'由 <span class="filename">{report.name}</span> 导入 {len(assembled.funds)} 项资金' in page
    )
    text = web.signed_in("county").get(f"/versions/{version_id}/input").text
    assert f"有 {text.count('# 【待核对】')} 处标有“【待核对】”" in page
    assert "原报告的单位为“松原市医疗保障局”，已改为本账号所属的“测试县医疗保障局”" in page


def test_figures_the_report_contradicts_are_named_on_the_version_page(
    web: Web, tmp_path: Path
) -> None:
    report = REPORTS / "figures_conflict.txt"
    page = web.signed_in("county").get(f"/versions/{imported_version(web, report)}").text
    conflicts = import_report(report, tmp_path / "x.yaml").assembled.conflicts
    assert conflicts and all(f"原报告前后不一：{c}" in page for c in conflicts)


def test_a_report_genreport_wrote_imports_to_the_same_reports(web: Web) -> None:
    before = {f.name: f.data for f in render_file(VALID_INPUT).files if f.name.endswith(".docx")}
    name, data = max(before.items(), key=lambda item: len(item[1]))
    _status, url, page = post_import(web, web.signed_in("county"), name, data)
    version = web.version(int(url.rsplit("/", 1)[1]))
    assert version.status == "accepted", page
    client = web.signed_in("county")
    after = {
        r.name: client.get(f"/versions/{version.id}/reports/{r.id}").content
        for r in web.reports(version.id)
    }
    assert sorted(after) == sorted(before)
    assert all(docx_texts(after[n]) == docx_texts(before[n]) for n in before)


def test_the_import_is_in_the_audit_log(web: Web) -> None:
    version_id = imported_version(web, CLEAN)
    with web.bench.db() as db:
        entry = db.query(AuditEntry).filter_by(action="导入上年报告").one()
        assert (entry.version_id, entry.username) == (version_id, "county")
        assert entry.detail.startswith(f"{CLEAN.name} → {CLEAN.stem}-导入.yaml：1 项资金")


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("other", 404, "找不到该页面，或您无权查看"),
        ("city", 403, "只有“测试县医疗保障局”的账号可以提交或恢复该单位的版本"),
        ("admin", 403, "只有“测试县医疗保障局”的账号可以提交或恢复该单位的版本"),
    ],
)
def test_only_the_units_own_accounts_may_import(
    web: Web, who: str, status: int, message: str
) -> None:
    client = web.signed_in(who)
    token = csrf_of(client.get("/units").text)
    reply = client.post(
        f"/units/{web.unit_id(COUNTY)}/import",
        data={"csrf": token, "year": "2024"},
        files={"file": (CLEAN.name, CLEAN.read_bytes())},
    )
    assert (reply.status_code, message in reply.text) == (status, True)
    assert web.versions() == [] and web.stored_files() == set()


def test_a_county_imports_into_its_own_unit_only(web: Web) -> None:
    client = web.signed_in("other")
    status, _url, _page = post_import(web, client, CLEAN.name, CLEAN.read_bytes(), OTHER_COUNTY)
    assert status == 200
    (version,) = web.versions()
    assert version.unit_id == web.unit_id(OTHER_COUNTY)


def test_an_import_without_the_forms_token_is_refused(web: Web) -> None:
    reply = web.signed_in("county").post(
        f"/units/{web.unit_id(COUNTY)}/import",
        data={"year": "2024"},
        files={"file": (CLEAN.name, CLEAN.read_bytes())},
    )
    assert reply.status_code == 403 and "表单已过期" in reply.text
    assert web.versions() == []


def _docx(extra: dict[str, bytes | str]) -> Callable[[Path], object]:
    """A real .docx with parts replaced or added."""

    def make(path: Path) -> object:
        out = io.BytesIO()
        Document().save(out)
        with zipfile.ZipFile(out) as package:
            parts: dict[str, bytes | str] = {
                i.filename: package.read(i) for i in package.infolist()
            }
        return write_zip(path, {**parts, **extra})

    return make


HOSTILE: list[tuple[str, str, Callable[[Path], object]]] = [
    ("zip bomb", "报告.docx", _docx({"word/document.xml": b"<w:document/>" + b" " * (3 << 20)})),
    (
        "DTD entity",
        "报告.docx",
        _docx(
            {"word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aa">]><d>&a;</d>'}
        ),
    ),
    ("macros", "报告.docx", _docx({"word/vbaProject.bin": b"\x00" * 64})),
    ("program renamed", "报告.docx", lambda p: p.write_bytes(b"MZ\x90\x00" + bytes(4096))),
    (
        "old Word",
        "报告.doc",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
    ),
    ("program as text", "报告.txt", lambda p: p.write_bytes(b"MZ\x90\x00" + bytes(4096))),
    ("workbook", "报告.xlsx", lambda p: p.write_bytes(b"PK\x03\x04")),
]


@pytest.mark.parametrize(("_case", "name", "make"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_a_file_the_reader_refuses_gets_its_reason_and_nothing_is_stored(
    web: Web, tmp_path: Path, _case: str, name: str, make: Callable[[Path], object]
) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError) as refused:
        import_report(path, tmp_path / "x.yaml")
    (reason,) = [p.message for p in refused.value.problems]
    status, _url, page = post_import(web, web.signed_in("county"), name, path.read_bytes())
    assert status == 422 and "Traceback" not in page
    assert escape(f"{name}：{reason}") in page
    assert web.versions() == [] and web.stored_files() == set() and web.scratch_left() == []


def test_a_report_over_the_upload_limit_is_refused_before_it_is_read(web: Web) -> None:
    status, _url, page = post_import(
        web, web.signed_in("county"), "巨大.docx", bytes(MAX_UPLOAD_BYTES + 1)
    )
    assert status == 413 and "上传的内容超过" in page
    assert web.versions() == [] and web.stored_files() == set()


def test_an_empty_form_asks_for_the_report(web: Web) -> None:
    status, _url, page = post_import(web, web.signed_in("county"), "", b"")
    assert status == 400 and "请先选择上年的绩效自评报告" in page
    assert web.versions() == []


def test_a_report_naming_no_year_is_taken_as_the_year_before_and_marked(web: Web) -> None:
    report = REPORTS / "reader_debris.txt"
    version = web.version(imported_version(web, report))
    text = web.signed_in("county").get(f"/versions/{version.id}/input").text
    assert version.year == 2023
    assert "年度: 2023  # 【待核对】" in text
    page = web.signed_in("county").get(f"/versions/{version.id}").text
    assert "原报告中没有找到年度，暂按 2023 年度导入，请核对。" in page
