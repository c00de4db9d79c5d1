"""Uploads get exactly the command line's findings; accepted ones are kept as versions.

Bad inputs (the corpus in tests/fixtures/bad/, the workbooks of tests/test_excel_corpus.py,
files over the size limits, wrong types) are answered with the pipeline's own problems,
never a 500, and nothing of theirs is kept in the store.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.limits import MAX_INPUT_BYTES
from generator.pipeline import check_file, render_file
from generator.web.app import MAX_UPLOAD_BYTES
from generator.web.findings import finding, load_findings

from ..conftest import FIXTURES, VALID_INPUT, VALID_TEXT, docx_texts, edited
from ..test_excel_corpus import CASES as WORKBOOK_CASES
from ..workbooks import valid_sheets, write_workbook
from .conftest import COUNTY, OTHER_COUNTY, Web, csrf_of

BAD_YAML = sorted((FIXTURES / "bad").glob("*.yaml"))


def cli_findings(path: Path, shown_as: str) -> list[object]:
    """What ``genreport check`` finds in ``path``, as the web's table rows."""
    try:
        problems = list(check_file(path).warnings)
    except InputError as exc:
        problems = exc.problems
    rows = [finding(p) for p in problems]
    return [
        dataclasses.replace(
            r,
            file=shown_as if r.file == str(path) else r.file,
            message=r.message.replace(str(path), shown_as),
        )
        for r in rows
    ]


def _sorted(rows: list[object]) -> list[object]:
    return sorted(rows, key=repr)


@pytest.mark.parametrize("fixture", BAD_YAML, ids=lambda p: p.stem)
def test_every_bad_yaml_gets_the_cli_findings_and_nothing_is_stored(
    web: Web, fixture: Path
) -> None:
    version = web.upload(web.signed_in("county"), fixture.name, fixture.read_bytes())
    assert version.status == "rejected"
    assert _sorted(load_findings(version.findings)) == _sorted(cli_findings(fixture, fixture.name))
    assert not version.stored
    assert web.stored_files() == set()
    assert web.scratch_left() == []


@pytest.mark.parametrize(
    ("name", "build", "expected"), WORKBOOK_CASES, ids=[c[0] for c in WORKBOOK_CASES]
)
def test_hostile_workbooks_get_the_cli_message_and_nothing_is_stored(
    web: Web, tmp_path: Path, name: str, build: Callable[[Path], None], expected: str
) -> None:
    path = tmp_path / f"{name}.xlsx"
    build(path)
    version = web.upload(web.signed_in("county"), path.name, path.read_bytes())
    rows = load_findings(version.findings)
    assert version.status == "rejected"
    assert [(r.file, r.message) for r in rows] == [(path.name, expected)]
    assert web.stored_files() == set()


def test_a_workbook_error_is_located_by_sheet_row_and_column(web: Web, tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["指标"][2][4] = "四十"
    path = write_workbook(tmp_path / "填报.xlsx", sheets)
    version = web.upload(web.signed_in("county"), path.name, path.read_bytes())
    (row,) = load_findings(version.findings)
    assert (row.sheet, row.row, row.column, row.field) == ("指标", "3", "E", "项目[1].指标[2].分值")
    assert row.message == "应为数字，实际为“四十”"
    page = web.signed_in("county").get(f"/versions/{version.id}").text
    assert "共 1 个错误，未生成任何文件" in page and "应为数字，实际为“四十”" in page


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("报告.docx", b"PK\x03\x04not really a document"),
        ("旧表.xls", b"\xd0\xcf\x11\xe0old"),
        ("说明.txt", "报告:\n".encode()),
        ("无扩展名", b"x"),
        ("空文件.yaml", b""),
    ],
    ids=["docx", "xls", "txt", "no suffix", "empty"],
)
def test_wrong_types_get_the_cli_answer(web: Web, tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    version = web.upload(web.signed_in("county"), name, data)
    assert version.status == "rejected"
    assert load_findings(version.findings) == cli_findings(path, name)
    assert web.stored_files() == set()


def test_a_yaml_over_the_input_limit_gets_the_cli_answer(web: Web, tmp_path: Path) -> None:
    data = VALID_TEXT.encode() + b"#" * MAX_INPUT_BYTES
    path = tmp_path / "大文件.yaml"
    path.write_bytes(data)
    version = web.upload(web.signed_in("county"), path.name, data)
    assert version.status == "rejected"
    assert load_findings(version.findings) == cli_findings(path, path.name)
    assert web.stored_files() == set()


def test_a_request_over_the_upload_limit_is_refused_before_it_is_read(web: Web) -> None:
    client = web.signed_in("county")
    unit = web.unit_id(COUNTY)
    token = csrf_of(client.get(f"/units/{unit}").text)
    reply = client.post(
        f"/units/{unit}/upload",
        data={"csrf": token, "year": "2024"},
        files={"file": ("巨大.xlsx", bytes(MAX_UPLOAD_BYTES + 1))},
    )
    assert reply.status_code == 413
    assert "上传的内容超过" in reply.text and "Traceback" not in reply.text
    assert web.versions() == []
    assert web.stored_files() == set()


def test_an_upload_naming_a_template_folder_is_refused(web: Web) -> None:
    text = edited(VALID_TEXT, ("  金额单位: 万元", "  金额单位: 万元\n  模板目录: ../../.."))
    version = web.upload(web.signed_in("county"), "2024.yaml", text.encode())
    (row,) = load_findings(version.findings)
    assert row.field == "报告.模板目录" and "不能指定模板目录" in row.message
    assert web.stored_files() == set()


def test_a_county_can_only_submit_its_own_unit(web: Web) -> None:
    version = web.upload(
        web.signed_in("other"), "2024.yaml", VALID_INPUT.read_bytes(), OTHER_COUNTY
    )
    (row,) = load_findings(version.findings)
    assert version.status == "rejected"
    assert row.field == "报告.单位"
    assert row.message == f"单位应为本账号所属的“{OTHER_COUNTY}”，实际为“{COUNTY}”"
    assert web.stored_files() == set()


def test_an_accepted_upload_lists_reports_with_the_cli_scores(web: Web, accepted) -> None:
    checked = check_file(VALID_INPUT)
    (report,) = web.reports(accepted.id)
    assert (report.fund, report.score, report.grade) == (
        checked.contexts[0].fund.name,
        checked.contexts[0].values["总分"],
        checked.contexts[0].fund.grade,
    )
    client = web.signed_in("county")
    page = client.get(f"/versions/{accepted.id}").text
    assert report.score in page and "检查完成，未发现问题" in page
    document = client.get(f"/versions/{accepted.id}/reports/{report.id}")
    assert document.status_code == 200
    assert "filename*=UTF-8''" in document.headers["content-disposition"]
    assert any(COUNTY in text for text in docx_texts(document.content))


def test_each_report_links_its_selfeval_workbook_as_the_cli_writes_it(web: Web, accepted) -> None:
    import openpyxl

    (report,) = web.reports(accepted.id)
    client = web.signed_in("county")
    link = f"/versions/{accepted.id}/reports/{report.id}/selfeval.xlsx"
    assert link in client.get(f"/versions/{accepted.id}").text
    reply = client.get(link)
    assert reply.status_code == 200
    assert "filename*=UTF-8''" in reply.headers["content-disposition"]
    cli = {f.name: f.data for f in render_file(VALID_INPUT, xlsx=True).files}
    assert report.selfeval_name is not None
    assert reply.content == cli[report.selfeval_name]
    context = check_file(VALID_INPUT).contexts[0]
    sheet = openpyxl.load_workbook(io.BytesIO(reply.content)).worksheets[0]
    assert sheet.title == "绩效自评表"
    assert sheet["A1"].value == context.values["自评表"]["表名"]


def test_the_zip_holds_every_report_and_selfeval_workbook_of_the_version(web: Web) -> None:
    version = web.upload(
        web.signed_in("county"),
        "2024.yaml",
        (Path(__file__).parents[2] / "inputs" / "2024.yaml")
        .read_text(encoding="utf-8")
        .replace("示例县医疗保障局", COUNTY)
        .encode(),
    )
    assert version.status == "accepted", version.findings
    reports = web.reports(version.id)
    assert len(reports) == 5  # four funds and the volume
    reply = web.signed_in("county").get(f"/versions/{version.id}/reports.zip")
    books = [r.selfeval_name for r in reports if r.selfeval_name]
    assert len(books) == 4  # one 自评表 per fund, none for the volume
    with zipfile.ZipFile(io.BytesIO(reply.content)) as package:
        assert sorted(package.namelist()) == sorted([r.name for r in reports] + books)
        assert all(name.endswith(".xlsx") for name in books)


def test_warnings_are_shown_with_the_reports(web: Web) -> None:
    text = edited(VALID_TEXT, ("53733人次", "537330人次"))
    version = web.upload(web.signed_in("county"), "2024.yaml", text.encode())
    assert version.status == "accepted"
    assert version.warnings > 0 and version.errors == 0
    page = web.signed_in("county").get(f"/versions/{version.id}").text
    assert "个警告：报告已生成" in page


def test_every_upload_is_a_version_and_nothing_is_overwritten(web: Web, accepted) -> None:
    client = web.signed_in("county")
    first = web.reports(accepted.id)
    bad = web.upload(client, "2024.yaml", (FIXTURES / "bad" / "分值不是数字.yaml").read_bytes())
    changed = edited(VALID_TEXT, ("53733人次", "53800人次"))
    second = web.upload(client, "2024.yaml", changed.encode())
    assert [v.status for v in web.versions()] == ["accepted", "rejected", "accepted"]
    assert bad.input_sha256 and bad.created_by == accepted.created_by
    # The first version's files are untouched and still served.
    for report in first:
        assert web.bench.store.get(report.sha256)
    unit_page = client.get(f"/units/{web.unit_id(COUNTY)}?year=2024").text
    assert f'/versions/{second.id}">第 {second.id} 号' in unit_page


def test_restoring_an_old_version_makes_it_current_as_a_new_version(web: Web, accepted) -> None:
    client = web.signed_in("county")
    changed = edited(VALID_TEXT, ("53733人次", "53800人次"))
    newer = web.upload(client, "2024.yaml", changed.encode())
    page = client.get(f"/versions/{accepted.id}")
    assert "恢复为当前版本" in page.text
    reply = client.post(f"/versions/{accepted.id}/restore", data={"csrf": csrf_of(page.text)})
    assert reply.status_code == 200
    restored = web.versions()[-1]
    assert restored.id > newer.id and restored.restored_from == accepted.id
    assert restored.input_sha256 == accepted.input_sha256
    assert [(r.sha256, r.selfeval_sha256) for r in web.reports(restored.id)] == [
        (r.sha256, r.selfeval_sha256) for r in web.reports(accepted.id)
    ]
    unit_page = client.get(f"/units/{web.unit_id(COUNTY)}?year=2024").text
    assert f"第 {restored.id} 号" in unit_page


def test_the_original_input_can_be_downloaded_unchanged(web: Web, accepted) -> None:
    reply = web.signed_in("county").get(f"/versions/{accepted.id}/input")
    assert reply.content == VALID_INPUT.read_bytes()


def test_the_fill_in_workbook_holds_the_chosen_fund_types(web: Web) -> None:
    import openpyxl

    client = web.signed_in("county")
    reply = client.get(
        f"/units/{web.unit_id(COUNTY)}/workbook?year=2025&type=医疗救助&type=扶贫济困"
    )
    assert reply.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(reply.content))
    types = [row[1] for row in book["项目"].iter_rows(min_row=2, values_only=True) if row[1]]
    assert types == ["医疗救助", "扶贫济困"]
    unit = dict(row[:2] for row in book["报告"].iter_rows(min_row=2, values_only=True))
    assert unit["单位"] == COUNTY and unit["年度"] == 2025


def test_next_year_starts_from_last_years_accepted_input(web: Web, accepted) -> None:
    client = web.signed_in("county")
    unit = web.unit_id(COUNTY)
    assert "下载 2025 年度输入" in client.get(f"/units/{unit}?year=2025").text
    reply = client.get(f"/units/{unit}/next-year?year=2025")
    assert reply.status_code == 200
    text = reply.content.decode("utf-8")
    assert "年度: 2025" in text and "待填" in text and "上年完成值" in text


def test_next_year_without_an_accepted_input_says_so(web: Web) -> None:
    reply = web.signed_in("county").get(f"/units/{web.unit_id(COUNTY)}/next-year?year=2025")
    assert reply.status_code == 404
    assert "2024年度还没有已生成报告的版本" in reply.text


def test_next_year_starts_from_an_accepted_workbook_too(web: Web, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "填报.xlsx", valid_sheets())
    client = web.signed_in("county")
    assert web.upload(client, path.name, path.read_bytes()).status == "accepted"
    reply = client.get(f"/units/{web.unit_id(COUNTY)}/next-year?year=2025")
    assert reply.status_code == 200
    assert "年度: 2025" in reply.content.decode("utf-8")
