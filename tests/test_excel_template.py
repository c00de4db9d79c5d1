"""The fill-in workbook and the commented YAML scaffold: a person can fill in either
without reading the docs, and the result is a valid input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from generator.config.indicator_systems import load_system
from generator.config.search import template_dirs
from generator.config.wording import load_wording
from generator.inputs.excel.schema import SHEETS
from generator.inputs.load import load_input
from generator.render.context import MUST_WRITE

SHEET_ORDER = [
    "报告",
    "项目",
    "资金",
    "指标",
    "叙述",
    "政策依据",
    "基金收支",
    "资金管理情况",
    "确认数字",
    "填写说明",
]
#: The fill-in sheets: 县区对比 is only written for a roll-up's county rows.
FILL_IN = {name: sheet for name, sheet in SHEETS.items() if name != "县区对比"}


@pytest.fixture
def template(run_cli, tmp_path: Path) -> Path:
    path = tmp_path / "2025.xlsx"
    code, out, err = run_cli(
        "excel-template",
        "--type",
        "医疗救助",
        "-t",
        "城乡居民医保",
        "--year",
        "2025",
        "-o",
        str(path),
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"已写入 {path}（2 个项目：医疗救助、城乡居民医保）。",
        f"填写后运行：genreport check {path}",
    ]
    return path


def _validations(ws: Any) -> dict[str, tuple[str, str]]:
    """Cell range → (list formula, error style) of every drop-down on a sheet."""
    return {
        str(dv.sqref): (dv.formula1, dv.errorStyle) for dv in ws.data_validations.dataValidation
    }


def test_template_has_the_contract_sheets_and_headers(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == SHEET_ORDER
    for name, sheet in FILL_IN.items():
        headers = [c.value for c in wb[name][1]]
        assert headers == list(sheet.columns), name


def test_every_header_has_a_help_comment(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    for name in FILL_IN:
        for cell in wb[name][1]:
            assert cell.comment is not None and cell.comment.text.strip(), (
                f"{name}!{cell.coordinate}"
            )
    assert (
        wb["指标"]["E1"].comment.text
        == "分值（可选），权重，0～100，合计应为 100；单位只公布总分时各指标都不写，另写自评得分。"
    )
    assert wb["报告"]["A6"].comment.text.startswith("成文日期（可选）")


DROPDOWNS = [
    ("项目", "B2:B500", '"城乡居民医保,医疗救助,能力提升,扶贫济困"', "stop"),
    ("项目", "D2:D500", '"转移支付,评价报告,项目支出"', "stop"),
    ("报告", "B9", '"转移支付,评价报告,项目支出"', "stop"),
    ("报告", "B8", '"元,万元,亿元"', "stop"),
    (
        "指标",
        "B2:B500",
        '"预算执行,项目决策,过程管理,项目产出,项目效益,产出指标,效益指标,满意度指标"',
        "warning",
    ),
    ("指标", "H2:H500", '"达成,部分达成,未达成"', "stop"),
    ("指标", "O2:O500", '"是,否"', "stop"),
    (
        "资金",
        "B2:B500",
        '"中央财政,省级财政,市级财政,县级财政,彩票公益金,上年结转,其他资金"',
        "warning",
    ),
    (
        "叙述",
        "B2:B500",
        '"项目概况,职能职责,资金安排,资金管理,评价目的对象范围,评价方法和等次,指标体系,评价工作,'
        "总体完成,评价结论,项目决策,过程管理,存在问题,"
        '改进措施,结果应用,其他"',
        "stop",
    ),
    ("指标", "A2:A500", "'项目'!$A$2:$A$23", "warning"),
]


@pytest.mark.parametrize(
    ("sheet", "cells", "formula", "style"), DROPDOWNS, ids=[f"{d[0]}!{d[1]}" for d in DROPDOWNS]
)
def test_template_offers_drop_down_lists(
    template: Path, sheet: str, cells: str, formula: str, style: str
) -> None:
    validations = _validations(openpyxl.load_workbook(template)[sheet])
    assert validations[cells] == (formula, style)


def test_level2_drop_down_is_offered_but_not_enforced(template: Path) -> None:
    formula, style = _validations(openpyxl.load_workbook(template)["指标"])["C2:C500"]
    assert "数量指标" in formula and "服务对象满意度指标" in formula
    assert style == "warning"


def test_headers_are_frozen_styled_and_sized(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    for name in FILL_IN:
        ws = wb[name]
        assert ws.freeze_panes == "B2"
        assert ws["A1"].font.b
    ws = wb["指标"]
    assert ws.column_dimensions["D"].width == 30  # 名称
    assert ws.column_dimensions["E"].width == 10  # 分值
    assert ws["D1"].fill.fgColor.rgb.endswith("F4B183")  # required (名称)
    assert ws["E1"].fill.fgColor.rgb.endswith("BDD7EE")  # optional: a stated total needs no 分值
    assert ws["I1"].fill.fgColor.rgb.endswith("BDD7EE")  # optional (得分)


def test_each_chosen_type_has_its_default_system_prefilled(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["指标"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    expected = []
    for fund_type in ("医疗救助", "城乡居民医保"):
        for item in load_system(fund_type, template_dirs()).indicators:
            expected.append(
                [fund_type, item.level1, item.level2, item.name, int(item.weight), item.target]
            )
    assert [r[:6] for r in rows] == expected
    hinted = ws["F3"]
    assert hinted.comment is not None and hinted.comment.text == "按省级下达的目标人次填写"


def test_an_unfilled_template_is_reported_cell_by_cell(run_cli, template: Path) -> None:
    code, _, err = run_cli("check", str(template))
    assert code == 1
    assert err.splitlines()[0] == f"{template} 报告!B2（值）: 报告.单位：缺少必填项"


def fill(path: Path) -> None:
    """What a person does in the workbook: unit, money, goals, actuals and ratings."""
    wb = openpyxl.load_workbook(path)
    wb["报告"]["B2"] = "示例县医疗保障局"
    for row in wb["资金"].iter_rows(min_row=2):
        row[2].value, row[4].value = 100, 100
    for row in wb["项目"].iter_rows(min_row=2):
        row[5].value = "应保尽保，应助尽助。"
    for row in wb["指标"].iter_rows(min_row=2):
        target = str(row[5].value)
        if row[6].value == "自动":
            continue
        if any(ch.isdigit() for ch in target):
            row[6].value = target.lstrip("≥≤").replace("6-9", "7.5")
        else:
            row[7].value = "达成"
    # The sections each fund's outline must print (the others may stay empty).
    wording = load_wording(template_dirs())
    outlines = {
        row[0].value: row[3].value or wording.default_outline(str(row[1].value))
        for row in wb["项目"].iter_rows(min_row=2)
    }
    for row in wb["叙述"].iter_rows(min_row=2):
        if row[1].value in MUST_WRITE.get(outlines.get(row[0].value, ""), ()):
            row[2].value = f"{row[1].value}：按本单位实际情况填写的内容。"
    wb.save(path)


def test_a_filled_in_template_is_a_valid_input(run_cli, template: Path) -> None:
    fill(template)
    code, out, err = run_cli("check", str(template))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"{template}：检查完成，未发现问题。"


def test_new_writes_a_commented_yaml_with_the_default_system(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "inputs" / "2025.yaml"
    code, out, _ = run_cli("new", "--type", "医疗救助", "--year", "2025", "-o", str(path))
    assert code == 0
    assert out.splitlines()[0] == f"已写入 {path}（1 个项目：医疗救助）。"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["报告"]["年度"] == 2025
    names = [i["名称"] for i in data["项目"][0]["指标"]]
    assert names == [i.name for i in load_system("医疗救助", template_dirs()).indicators]
    assert "  # 主送:  # 主送（可选），主送机关，印在标题下方。\n" in text
    assert "        指标值: ≥40000人次  # 按省级下达的目标人次填写\n" in text
    assert "    # 叙述:\n    #   项目概况:  # 项目概况：政策依据、资金用途等背景。\n" in text
    load_input(path)  # it is valid YAML with line numbers for every blank


def test_new_lists_what_is_left_to_fill(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "2025.yaml"
    run_cli(
        "new", "-t", "扶贫济困", "--year", "2025", "--unit", "示例县医疗保障局", "-o", str(path)
    )
    code, _, err = run_cli("check", str(path))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == f"{path}:24: 项目[1].资金[1].预算数：应为数字，实际为空"
    assert lines[-1] == "共 3 个错误，未生成任何文件。"


def test_new_never_overwrites_an_existing_file(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "2025.yaml"
    path.write_text("已经填了一半", encoding="utf-8")
    code, _, err = run_cli("new", "-t", "医疗救助", "-o", str(path))
    assert code == 1
    assert "已存在" in err
    assert path.read_text(encoding="utf-8") == "已经填了一半"
