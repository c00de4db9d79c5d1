"""Many inputs in one run, through the real CLI: directories, several files, failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from .conftest import VALID_TEXT, edited, write_input


def county(folder: Path, name: str, unit: str, *, text: str = VALID_TEXT) -> Path:
    """An input for ``unit``, written as ``folder/name``."""
    return write_input(folder / name, text, ("测试县医疗保障局", unit))


def report(out: Path, unit: str) -> Path:
    return out / "2024" / f"{unit}-医疗救助补助资金（城乡医疗救助部分）-绩效自评报告.docx"


def summary_rows(stdout: str) -> list[list[str]]:
    """Cells of the summary table's first line of each row (rich draws │ between cells)."""
    rows = []
    for line in stdout.splitlines():
        if line.startswith("│") and not line.startswith("│ " + " " * 4):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0]:
                rows.append(cells)
    return rows


def test_a_directory_generates_every_input_inside_sorted(run_cli, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    county(inputs, "乙县.yaml", "乙县医疗保障局")
    county(inputs, "甲县.yml", "甲县医疗保障局")
    county(inputs, "市辖区/丙区.yaml", "丙区医疗保障局")
    (inputs / "说明.txt").write_text("不是输入", encoding="utf-8")
    county(inputs, ".草稿/丁县.yaml", "丁县医疗保障局")
    code, out, err = run_cli(str(inputs), "-o", str(tmp_path / "out"), "-j", "1")
    assert (code, err) == (0, "")
    # Sorted by path, folder by folder: 乙 (U+4E59) < 市 (U+5E02) < 甲 (U+7532).
    assert [row[0] for row in summary_rows(out)] == [
        "乙县医疗保障局",
        "丙区医疗保障局",
        "甲县医疗保障局",
    ]
    assert out.splitlines()[-1] == "共 3 个输入：成功 3 个，失败 0 个。"
    for unit in ("甲县医疗保障局", "乙县医疗保障局", "丙区医疗保障局"):
        assert report(tmp_path / "out", unit).is_file()
    assert not report(tmp_path / "out", "丁县医疗保障局").exists()


def test_several_files_generate_in_worker_processes(run_cli, tmp_path: Path) -> None:
    paths = [county(tmp_path, f"{n}.yaml", f"{n}医疗保障局") for n in ("甲县", "乙县", "丙县")]
    code, out, _ = run_cli(*map(str, paths), "-o", str(tmp_path / "out"), "-j", "2")
    assert code == 0
    assert [row[0] for row in summary_rows(out)] == [
        "甲县医疗保障局",
        "乙县医疗保障局",
        "丙县医疗保障局",
    ]
    document = Document(str(report(tmp_path / "out", "乙县医疗保障局")))
    assert document.paragraphs[0].text.startswith("乙县2024年度")


def test_worker_count_does_not_change_the_documents(run_cli, tmp_path: Path) -> None:
    paths = [str(county(tmp_path, f"{n}.yaml", f"{n}医疗保障局")) for n in ("甲县", "乙县")]
    assert run_cli(*paths, "-o", str(tmp_path / "one"), "-j", "1")[0] == 0
    assert run_cli(*paths, "-o", str(tmp_path / "two"), "-j", "2")[0] == 0
    for unit in ("甲县医疗保障局", "乙县医疗保障局"):
        one = report(tmp_path / "one", unit).read_bytes()
        assert one == report(tmp_path / "two", unit).read_bytes()


@pytest.mark.parametrize("jobs", ["-1", "两个"], ids=["negative", "not-a-number"])
def test_a_bad_worker_count_is_a_usage_error(run_cli, tmp_path: Path, jobs: str) -> None:
    code, _, err = run_cli(str(county(tmp_path, "甲县.yaml", "甲县医疗保障局")), "-j", jobs)
    assert code == 2
    assert "-j" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_bad_input_does_not_stop_the_others(run_cli, tmp_path: Path, jobs: str) -> None:
    inputs = tmp_path / "inputs"
    county(inputs, "1甲县.yaml", "甲县医疗保障局")
    bad = county(
        inputs,
        "2乙县.yaml",
        "乙县医疗保障局",
        text=edited(VALID_TEXT, ("分值: 40,", "分值: 四十,")),
    )
    county(inputs, "3丙县.yaml", "丙县医疗保障局")
    code, out, err = run_cli(str(inputs), "-o", str(tmp_path / "out"), "-j", jobs)
    assert code == 1
    assert err.splitlines() == [
        f"{bad}:16: 项目[1].指标[2].分值：应为数字，实际为“四十”",
        f"{bad}：共 1 个错误，该输入未生成任何文件。",
    ]
    assert report(tmp_path / "out", "甲县医疗保障局").is_file()
    assert report(tmp_path / "out", "丙县医疗保障局").is_file()
    assert not report(tmp_path / "out", "乙县医疗保障局").exists()
    assert out.splitlines()[-1] == f"共 3 个输入：成功 2 个，失败 1 个（{bad}）。"


def test_summary_lists_unit_fund_score_grade_warnings_and_file(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    county(tmp_path / "in", "甲县.yaml", "甲县医疗保障局")
    # 70000 of a 40000 target is more than 1.5 times: one warning for 乙县.
    county(
        tmp_path / "in",
        "乙县.yaml",
        "乙县医疗保障局",
        text=edited(VALID_TEXT, ("53733人次", "70000人次")),
    )
    code, out, err = run_cli(str(tmp_path / "in"), "-o", "out", "-j", "1")
    assert code == 0
    assert "警告：" in err and "指标值设定可能偏低" in err
    header = next(line for line in out.splitlines() if line.startswith("┃"))
    assert [c.strip() for c in header.strip("┃").split("┃")] == [
        "单位",
        "资金",
        "总分",
        "等级",
        "警告",
        "文件",
    ]
    rows = {row[0]: row for row in summary_rows(out)}
    assert rows["甲县医疗保障局"][1:5] == ["医疗救助补助资金", "99.33", "优", ""]
    assert rows["乙县医疗保障局"][4] == "1"
    assert rows["乙县医疗保障局"][5].startswith("out/2024/乙县")


def test_inputs_that_would_write_the_same_file_are_refused(run_cli, tmp_path: Path) -> None:
    first = county(tmp_path, "甲县.yaml", "甲县医疗保障局")
    again = county(tmp_path, "甲县（副本）.yaml", "甲县医疗保障局")
    code, out, err = run_cli(str(first), str(again), "-o", str(tmp_path / "out"), "-j", "2")
    assert code == 1
    assert re.match(
        rf"{re.escape(str(again))}: 输出文件“.*甲县医疗保障局-医疗救助补助资金"
        rf"（城乡医疗救助部分）-绩效自评报告\.docx”与 {re.escape(str(first))} 的输出重名",
        err.splitlines()[0],
    )
    assert report(tmp_path / "out", "甲县医疗保障局").is_file()
    assert "成功 1 个，失败 1 个" in out


def test_two_funds_with_the_same_report_name_in_one_input_get_numbered_files(
    run_cli, tmp_path: Path
) -> None:
    """As for a single input (tests/test_output_paths.py): never one report over another."""
    head, fund = VALID_TEXT.split("项目:\n")
    path = write_input(tmp_path / "重复.yaml", f"{head}项目:\n{fund}{fund}")
    other = county(tmp_path, "甲县.yaml", "甲县医疗保障局")
    code, _, err = run_cli(str(path), str(other), "-o", str(tmp_path / "out"), "-j", "2")
    assert (code, err) == (0, "")
    first = report(tmp_path / "out", "测试县医疗保障局")
    assert first.is_file()
    assert first.with_name(first.stem + "（2）.docx").is_file()
    assert report(tmp_path / "out", "甲县医疗保障局").is_file()


def test_a_directory_with_a_workbook_generates_it_with_the_yaml_inputs(
    run_cli, tmp_path: Path
) -> None:
    from generator.authoring.convert import to_workbook

    inputs = tmp_path / "inputs"
    county(inputs, "甲县.yaml", "甲县医疗保障局")
    source = county(tmp_path, "乙县.yaml", "乙县医疗保障局")
    (inputs / "乙县.xlsx").write_bytes(to_workbook(source))
    code, out, err = run_cli(str(inputs), "-o", str(tmp_path / "out"), "-j", "2")
    assert (code, err) == (0, "")
    assert report(tmp_path / "out", "甲县医疗保障局").is_file()
    assert report(tmp_path / "out", "乙县医疗保障局").is_file()
    assert "共 2 个输入：成功 2 个，失败 0 个。" in out


def test_check_expands_a_directory_like_generate(run_cli, tmp_path: Path) -> None:
    from generator.authoring.convert import to_workbook

    inputs = tmp_path / "inputs"
    first = county(inputs, "甲县.yaml", "甲县医疗保障局")
    source = county(tmp_path, "乙县.yaml", "乙县医疗保障局")
    workbook = inputs / "子目录" / "乙县.xlsx"
    workbook.parent.mkdir()
    workbook.write_bytes(to_workbook(source))
    (inputs / "说明.txt").write_text("不是输入", encoding="utf-8")
    code, out, err = run_cli("check", str(inputs))
    assert (code, err) == (0, "")
    checked = [line.split("：")[0] for line in out.splitlines() if "检查完成" in line]
    assert checked == [str(workbook), str(first)]  # sorted by path: 子目录 before 甲县
    assert not (tmp_path / "outputs").exists()


def test_check_of_a_directory_without_inputs_is_an_error(run_cli, tmp_path: Path) -> None:
    code, out, err = run_cli("check", str(tmp_path))
    assert out == ""
    assert code == 1
    assert err == f"{tmp_path}: 目录中没有输入文件（.yaml、.yml、.xlsm、.xlsx）\n"


def test_a_forced_progress_bar_goes_to_stderr(run_cli, tmp_path: Path) -> None:
    paths = [str(county(tmp_path, f"{n}.yaml", f"{n}医疗保障局")) for n in ("甲县", "乙县")]
    code, out, err = run_cli(*paths, "-o", str(tmp_path / "out"), "-j", "1", "--progress")
    assert code == 0
    assert "生成报告" in err and "2/2" in err
    assert "生成报告" not in out
    code, _, err = run_cli(*paths, "-o", str(tmp_path / "out"), "-j", "1")
    assert "生成报告" not in err  # not a terminal: no bar unless asked for


def test_a_single_input_prints_no_batch_totals(run_cli, tmp_path: Path) -> None:
    code, out, err = run_cli(
        str(county(tmp_path, "甲县.yaml", "甲县医疗保障局")), "-o", str(tmp_path / "out")
    )
    assert (code, err) == (0, "")
    assert "个输入" not in out
