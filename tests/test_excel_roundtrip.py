"""YAML → Excel → YAML loses nothing: the validated models are equal at every step,
and so are the documents generated from either side."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import EXAMPLES, FIXTURES, ROOT, VALID_INPUT, docx_texts, validated, write_input

FILES = [*EXAMPLES, VALID_INPUT, FIXTURES / "excel" / "全部键.yaml"]
#: Inputs whose model must survive the round trip; the newest keys are not computed yet.
MODEL_FILES = [*FILES, FIXTURES / "contract" / "新键.yaml"]


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("source", MODEL_FILES, ids=_id)
def test_yaml_to_excel_to_yaml_keeps_the_model(run_cli, tmp_path: Path, source: Path) -> None:
    workbook = tmp_path / "转换.xlsx"
    back = tmp_path / "转换.yaml"
    code, out, err = run_cli("convert", str(source), "-o", str(workbook))
    assert (code, err) == (0, "")
    assert out.startswith(f"已写入 {workbook}")
    assert validated(workbook) == validated(source)
    code, _, err = run_cli("convert", str(workbook), "-o", str(back))
    assert (code, err) == (0, "")
    assert validated(back) == validated(source)


def test_converted_yaml_keeps_the_contract_key_order(run_cli, tmp_path: Path) -> None:
    source = FIXTURES / "excel" / "全部键.yaml"
    run_cli("convert", str(source), "-o", str(tmp_path / "a.xlsx"))
    run_cli("convert", str(tmp_path / "a.xlsx"), "-o", str(tmp_path / "a.yaml"))
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    keys = [
        "单位:",
        "地区:",
        "自称:",
        "年度:",
        "成文日期:",
        "主送:",
        "金额单位:",
        "提纲:",
        "评分规则:",
        "项目:",
        "- 类型:",
        "名称:",
        "资金:",
        "年初预算数:",
        "总体目标:",
        "总体完成情况: |-",
        "指标:",
        "叙述:",
    ]
    positions = [text.index(k) for k in keys]
    assert positions == sorted(positions)
    assert text.startswith("# 由 a.xlsx 转换而来（genreport convert）。\n")
    assert "      - {来源: 中央财政, 预算数: 1180, 执行数: 1180}\n" in text
    assert "        指标值: =0\n" in text


def test_a_target_starting_with_equals_stays_text_in_excel(run_cli, tmp_path: Path) -> None:
    import openpyxl

    run_cli("convert", str(FIXTURES / "excel" / "全部键.yaml"), "-o", str(tmp_path / "a.xlsx"))
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx")["指标"]
    cell = ws["F5"]
    assert (cell.value, cell.data_type) == ("=0", "s")


def test_county_rows_of_a_roll_up_get_their_own_sheet(run_cli, tmp_path: Path) -> None:
    import openpyxl

    run_cli("convert", str(FIXTURES / "excel" / "全部键.yaml"), "-o", str(tmp_path / "a.xlsx"))
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx")["县区对比"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["项目", "县区", "预算数", "到位数", "执行数", "得分"]
    assert [r[:2] for r in rows[1:]] == [
        ["扶贫济困", "甲县医疗保障局"],
        ["扶贫济困", "乙县医疗保障局"],
    ]
    assert all(c.comment is not None and c.comment.text.strip() for c in ws[1])
    run_cli("convert", str(VALID_INPUT), "-o", str(tmp_path / "b.xlsx"))
    assert "县区对比" not in openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames


@pytest.mark.parametrize("source", FILES, ids=_id)
def test_yaml_and_its_workbook_generate_the_same_documents(
    run_cli, tmp_path: Path, source: Path
) -> None:
    workbook = tmp_path / "同一输入.xlsx"
    run_cli("convert", str(source), "-o", str(workbook))
    assert run_cli(str(source), "-o", str(tmp_path / "yaml"))[0] == 0
    assert run_cli(str(workbook), "-o", str(tmp_path / "xlsx"))[0] == 0
    from_yaml = sorted((tmp_path / "yaml").rglob("*.docx"))
    from_xlsx = sorted((tmp_path / "xlsx").rglob("*.docx"))
    assert [p.name for p in from_yaml] == [p.name for p in from_xlsx]
    for a, b in zip(from_yaml, from_xlsx, strict=True):
        assert docx_texts(a) == docx_texts(b), a.name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convert", "a.txt"], "无法转换“a.txt”：只支持 .yaml 和 .xlsx 文件"),
        (["convert", "valid.yaml", "-o", "b.yaml"], "输出文件应以 .xlsx 结尾：b.yaml"),
        (["excel-template", "-o", "b.yaml"], "输出文件应以 .xlsx 结尾：b.yaml"),
    ],
    ids=["unknown source kind", "same kind both sides", "template not xlsx"],
)
def test_conversion_usage_errors_exit_2(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_input(tmp_path / "valid.yaml")
    code, _, err = run_cli(*args)
    assert code == 2
    assert err.splitlines()[-1] == f"用法错误：{message}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["valid.yaml"]


def test_convert_of_a_bad_input_reports_it_and_writes_nothing(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(FIXTURES / "bad")
    code, _, err = run_cli("convert", "分值不是数字.yaml", "-o", str(tmp_path / "x.xlsx"))
    assert code == 1
    assert (
        err.splitlines()[0] == "分值不是数字.yaml:16: 项目[1].指标[2].分值：应为数字，实际为“四十”"
    )
    assert not (tmp_path / "x.xlsx").exists()


def test_convert_never_overwrites_without_force(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "已填写.xlsx"
    target.write_bytes(b"hours of typing")
    code, _, err = run_cli("convert", str(VALID_INPUT), "-o", str(target))
    assert code == 1
    assert err.strip() == (
        f"错误：“{target}”已存在：为免覆盖已填写的内容，未写入（确需覆盖请加 --force）"
    )
    assert target.read_bytes() == b"hours of typing"
    code, _, _ = run_cli("convert", str(VALID_INPUT), "-o", str(target), "--force")
    assert code == 0
    assert validated(target) == validated(VALID_INPUT)


def test_convert_defaults_to_the_same_name_with_the_other_suffix(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    write_input(tmp_path / "甲.yaml")
    assert run_cli("convert", "甲.yaml")[0] == 0
    assert (tmp_path / "甲.xlsx").is_file()
