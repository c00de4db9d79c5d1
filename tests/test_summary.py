"""``genreport summary``: the 汇总表 of a directory of inputs, written once and atomically."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from .conftest import ROOT, validated

EXAMPLES = sorted((ROOT / "inputs" / "examples").glob("*.yaml"))


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "2024"
    folder.mkdir()
    for example in EXAMPLES:
        shutil.copy(example, folder)
    return folder


def test_the_summary_has_a_row_per_unit_and_fund_and_a_sheet_per_fund_type(
    run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "汇总表.xlsx"
    code, stdout, _ = run_cli("summary", str(_inputs(tmp_path)), "-o", str(out))
    assert code == 0 and f"已写入 {out}" in stdout
    book = openpyxl.load_workbook(out)
    header, *rows = book["汇总"].iter_rows(values_only=True)
    assert header[:3] == ("单位", "资金类型", "资金")
    for name in ("预算数", "到位数", "支出数", "到位率(%)", "执行率(%)", "总分", "等级"):
        assert name in header
    assert {row[0] for row in rows} == {validated(path).report.unit for path in EXAMPLES}
    assert len(rows) == sum(len(validated(path).funds) for path in EXAMPLES)
    types = {row[1] for row in rows}
    assert types <= set(book.sheetnames)


def test_earlier_years_stand_beside_this_years_figures(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "汇总表.xlsx"
    folder = _inputs(tmp_path)
    code, *_ = run_cli("summary", str(folder), "--earlier", str(folder), "-o", str(out))
    assert code == 0
    header = next(openpyxl.load_workbook(out)["汇总"].iter_rows(values_only=True))
    assert any(str(h).endswith("年总分") for h in header)


def test_an_existing_summary_is_kept_unless_forced(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "汇总表.xlsx"
    out.write_bytes(b"mine")
    code, _, stderr = run_cli("summary", str(_inputs(tmp_path)), "-o", str(out))
    assert code == 1 and "已存在；如需覆盖请加 --force" in stderr
    assert out.read_bytes() == b"mine"


def test_a_bad_input_writes_no_summary(run_cli, tmp_path: Path) -> None:
    folder = _inputs(tmp_path)
    (folder / "坏.yaml").write_text("报告: [\n", encoding="utf-8")
    out = tmp_path / "汇总表.xlsx"
    code, *_ = run_cli("summary", str(folder), "-o", str(out))
    assert code == 1 and not out.exists()
