"""Workbook input: messy but readable cells give the same model as the YAML twin;
every unreadable one is reported with workbook, sheet, cell and column header."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.inputs.load import load_input

from .conftest import ROOT, VALID_INPUT, assert_refused, command_args, validated
from .workbooks import set_cached_values, valid_sheets, write_workbook

Sheets = dict[str, list[list[Any]]]


def build(
    tmp_path: Path,
    change: Callable[[Sheets], None] | None = None,
    name: str = "valid.xlsx",
    **options: Any,
) -> Path:
    sheets = valid_sheets()
    if change is not None:
        change(sheets)
    return write_workbook(tmp_path / name, sheets, **options)


def _numbers_as_text(s: Sheets) -> None:
    s["资金"][1][2] = " 1,000 "
    s["资金"][1][4] = "９５０"
    s["指标"][2][4] = "４０"
    s["报告"][2][1] = "2024年"


def _stray_spaces(s: Sheets) -> None:
    s["资金"][1][1] = "  中央财政\u3000"
    s["指标"][2][3] = " 医疗救助对象人次规模 "
    s["报告"][1][0] = " 单 位 "


def _blank_rows(s: Sheets) -> None:
    s["指标"].insert(3, [None] * 8)
    s["指标"].insert(3, ["  ", None, None, "", None, None, None, None])
    s["资金"].append([None] * 5)
    s["报告"].insert(0, [None, None])


def _other_sheets(s: Sheets) -> None:
    s["填写说明"] = [["各表的填法见 docs/Excel输入.md"]]
    s["指标说明"] = [["名称", "口径"], ["医疗救助对象人次规模", "全年累计"]]
    s["Sheet1"] = [[None], ["草稿", 1]]


def _refer_by_number_and_name(s: Sheets) -> None:
    s["项目"][0].insert(3, "名称")
    s["项目"][1].insert(3, None)
    s["项目"][1][0] = "1"
    s["资金"][1][0] = 1
    s["指标"][3][0] = "医疗救助"  # its 类型, unique in the workbook


def _dates_and_percent_text(s: Sheets) -> None:
    s["报告"][3][1] = "2025年2月18日"
    s["指标"][5][6] = "９６％"


def _fund_column_left_out(s: Sheets) -> None:
    for sheet in ("资金", "指标", "叙述"):
        for row in s[sheet]:
            del row[0]


GOOD: list[tuple[str, Callable[[Sheets], None] | None, dict[str, Any]]] = [
    ("plain", None, {}),
    ("merged 一级/二级 cells fill down", None, {"merges": {"指标": ["B3:B4", "B5:B5"]}}),
    ("merged 项目 cells fill down", None, {"merges": {"指标": ["A2:A6"], "资金": ["A2:A3"]}}),
    ("numbers stored as text, thousands separators, full-width digits", _numbers_as_text, {}),
    ("stray spaces, full-width space, spaced-out keys", _stray_spaces, {}),
    ("blank and whitespace-only rows are skipped", _blank_rows, {}),
    ("sheets the contract does not name are ignored", _other_sheets, {}),
    ("rows refer to a fund by number, name or unique type", _refer_by_number_and_name, {}),
    ("Chinese date and full-width percent", _dates_and_percent_text, {}),
    ("one fund needs no 项目 column", _fund_column_left_out, {}),
]


@pytest.mark.parametrize(
    ("change", "options"), [(c, o) for _, c, o in GOOD], ids=[g[0] for g in GOOD]
)
def test_a_messy_but_readable_workbook_gives_the_same_model_as_yaml(
    tmp_path: Path, change: Callable[[Sheets], None] | None, options: dict[str, Any]
) -> None:
    path = build(tmp_path, change, **options)
    assert validated(path) == validated(VALID_INPUT)


def test_percent_formatted_number_reads_as_the_percent_shown(tmp_path: Path) -> None:
    def change(s: Sheets) -> None:
        s["指标"][5][6] = 0.96
        s["指标"][3][6] = 1

    path = build(tmp_path, change, formats={("指标", "G6"): "0.00%", ("指标", "G4"): "0%"})
    model = validated(path)
    assert model.funds[0].indicators[4].actual == "96%"
    assert model.funds[0].indicators[2].actual == "100%"
    assert model == validated(VALID_INPUT)


def test_percent_keeps_the_digits_typed_not_float_noise(tmp_path: Path) -> None:
    def change(s: Sheets) -> None:
        s["指标"][5][6] = 0.9502

    path = build(tmp_path, change, formats={("指标", "G6"): "0.00%"})
    assert validated(path).funds[0].indicators[4].actual == "95.02%"


def test_formula_cells_use_their_cached_values(tmp_path: Path) -> None:
    def change(s: Sheets) -> None:
        s["资金"][1][4] = "=900+50"
        s["指标"][2][4] = "=SUM(30,10)"
        s["资金"][2][3] = "=0.1+179.9"

    path = build(tmp_path, change)
    # 179.99999999999997 is what a binary float sum leaves; Excel keeps 15 digits.
    set_cached_values(
        path, {("资金", "E2"): "950", ("指标", "E3"): "40", ("资金", "D3"): "179.99999999999997"}
    )
    assert validated(path) == validated(VALID_INPUT)


def test_hidden_column_with_a_foreign_header_is_ignored(tmp_path: Path) -> None:
    def change(s: Sheets) -> None:
        for i, row in enumerate(s["指标"]):
            row.append("辅助计算" if i == 0 else "x")

    path = build(tmp_path, change, hidden_columns={"指标": ["I"]})
    assert validated(path) == validated(VALID_INPUT)


def test_several_rows_of_one_narrative_slot_become_paragraphs(tmp_path: Path) -> None:
    def change(s: Sheets) -> None:
        s["叙述"].append(["医疗救助", "存在问题", "第二段。"])

    model = validated(build(tmp_path, change))
    assert model.funds[0].narrative.problems == (
        "县级配套资金到位率为{{ 到位率 }}，未全额到位。\n第二段。"
    )


LISTING = {
    "指标": "项目、一级、二级、名称、分值、指标值、完成值、评级、得分、评分说明、偏差原因、改进措施、说明、上年完成值、不适用、指标类型",
    "资金": "项目、来源、预算数、到位数、执行数、调整数、清算数",
}


def _rename_sheet(s: Sheets) -> None:
    s["指标表"] = s.pop("指标")


def _drop_target_column(s: Sheets) -> None:
    for row in s["指标"]:
        del row[5]


def _misspell_target_column(s: Sheets) -> None:
    s["指标"][0][5] = "指标值们"


def _weight_in_words(s: Sheets) -> None:
    s["指标"][2][4] = "四十"


def _unreadable_actual(s: Sheets) -> None:
    s["指标"][5][6] = "大于九成"


def _missing_actual(s: Sheets) -> None:
    s["指标"][3][6] = None


def _unknown_fund(s: Sheets) -> None:
    s["资金"][2][0] = "医疗求助"


def _formula_without_cache(s: Sheets) -> None:
    s["资金"][1][4] = "=900+50"


def _unknown_report_key(s: Sheets) -> None:
    s["报告"][3][0] = "成文时间"


def _weights_sum_to_95(s: Sheets) -> None:
    s["指标"][2][4] = 35


def _superscript_weight(s: Sheets) -> None:
    s["指标"][2][4] = "4⁰"


def _circled_amount(s: Sheets) -> None:
    s["资金"][1][4] = "⑨50"


def _duplicate_fund(s: Sheets) -> None:
    s["项目"].append(["医疗救助", "医疗救助", "重复"])


def _two_funds_without_fund_column(s: Sheets) -> None:
    s["项目"].append(["能力提升", "能力提升", "提升经办能力"])
    for row in s["资金"]:
        del row[0]


BAD: list[tuple[str, Callable[[Sheets], None], str]] = [
    (
        "wrong sheet name",
        _rename_sheet,
        "valid.xlsx: 缺少工作表“指标”；工作表“指标表”是否应改名为“指标”？"
        "（须有工作表：报告、项目、资金、指标、叙述，其中“叙述”可省略）",
    ),
    (
        "missing column",
        _drop_target_column,
        f"valid.xlsx 指标!第1行：缺少列“指标值”（可用的列：{LISTING['指标']}）",
    ),
    (
        "unknown column suggests the nearest",
        _misspell_target_column,
        f"valid.xlsx 指标!F1：未知的列“指标值们”，是否应为“指标值”？（可用的列：{LISTING['指标']}）",
    ),
    ("a number in words", _weight_in_words, "valid.xlsx 指标!E3（分值）：应为数字，实际为“四十”"),
    # Text cells follow the YAML grammar (core/numbers.py): no compatibility folding.
    (
        "a superscript is not a digit",
        _superscript_weight,
        "valid.xlsx 指标!E3（分值）：应为数字，实际为“4⁰”",
    ),
    (
        "a circled digit is not a digit",
        _circled_amount,
        "valid.xlsx 资金!E2（执行数）：应为数字，实际为“⑨50”",
    ),
    (
        "unreadable actual",
        _unreadable_actual,
        "valid.xlsx 指标!G6（完成值）：无法识别“大于九成”："
        "完成值应为数字或数字加单位（如 53733人次、96.57%）",
    ),
    (
        "missing actual names its empty cell",
        _missing_actual,
        "valid.xlsx 指标!G4（完成值）：缺少完成值：指标值“100%”读作“=100”，单位“%”，是定量指标，"
        "须填写完成值（不适用的指标请写“不适用: true”）",
    ),
    (
        "unknown fund reference",
        _unknown_fund,
        "valid.xlsx 资金!A3（项目）：未知的项目“医疗求助”，是否应为“医疗救助”？（“项目”表中有：医疗救助）",
    ),
    (
        "formula without a cached value",
        _formula_without_cache,
        "valid.xlsx 资金!E2（执行数）：公式“=900+50”没有计算结果（文件可能由程序生成、未经 Excel 计算）："
        "请在 Excel 或 WPS 中打开并保存后重试",
    ),
    (
        "unknown report key",
        _unknown_report_key,
        "valid.xlsx 报告!A4（项目）: 报告.成文时间：未知的键“成文时间”，是否应为“成文日期”？"
        "（可用的键：单位、地区、自称、年度、成文日期、主送、金额单位、提纲、评分规则、模板目录）",
    ),
    (
        "a problem of a group of rows names the row range",
        _weights_sum_to_95,
        "valid.xlsx 指标!第2-6行：各指标分值合计应为100，实际为95",
    ),
    (
        "duplicate fund",
        _duplicate_fund,
        "valid.xlsx 项目!A3（项目）：项目“医疗救助”重复出现；每个项目只能有一行",
    ),
    (
        "several funds need the 项目 column",
        _two_funds_without_fund_column,
        "valid.xlsx 资金!第2行：有多个项目时须有“项目”列，指明每行属于哪个项目",
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [(c, e) for _, c, e in BAD], ids=[b[0] for b in BAD]
)
@pytest.mark.parametrize("command", ["generate", "check"])
def test_bad_workbook_gives_one_located_line_exit_1_and_writes_nothing(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: str,
    change: Callable[[Sheets], None],
    expected: str,
) -> None:
    build(tmp_path, change)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    args = command_args(command, "valid.xlsx", str(out))
    assert_refused(run_cli(*args), expected, out=out)


# ------------------------------------------------------------------ exact names


def _copy_of(s: Sheets, sheet: str, name: str) -> None:
    """A copy of ``sheet`` whose figures differ, as a backup or an Excel copy has."""
    s[name] = [[v * 2 if isinstance(v, int) else v for v in row] for row in s[sheet]]


def _excel_copy(s: Sheets) -> None:
    _copy_of(s, "资金", "资金 (2)")


def _hidden_backup(s: Sheets) -> None:
    _copy_of(s, "指标", "指标（旧）")


def _trailing_space(s: Sheets) -> None:
    s["资金 "] = s.pop("资金")


def _two_copies_no_original(s: Sheets) -> None:
    _copy_of(s, "指标", "Copy of 指标")
    s["指标(2)"] = s.pop("指标")


def _optional_sheet_with_a_note(s: Sheets) -> None:
    s["叙述（2024）"] = s.pop("叙述")


def _unit_in_header(s: Sheets) -> None:
    s["资金"][0][2] = "预算数（万元）"


def _required_mark(s: Sheets) -> None:
    s["资金"][0][4] = "*执行数"


def _column_copy(header: str) -> Callable[[Sheets], None]:
    def change(s: Sheets) -> None:
        for i, row in enumerate(s["资金"]):
            row.append(header if i == 0 else 1)

    return change


def _report_key_with_a_note(s: Sheets) -> None:
    s["报告"][1][0] = "单位（盖章）"


_RULE = "须与键名完全一致，不能多出空格、括号注释、单位或编号"
NAMES: list[tuple[str, Callable[[Sheets], None], dict[str, Any], str]] = [
    (
        "Excel's copy of a sheet",
        _excel_copy,
        {},
        "valid.xlsx: 工作表“资金”、“资金 (2)”都可能是“资金”表，程序不会猜用哪一张："
        "请删除或改名“资金 (2)”，只留下名为“资金”的一张",
    ),
    (
        "a hidden backup of a sheet",
        _hidden_backup,
        {"hidden_sheets": ["指标（旧）"]},
        "valid.xlsx: 工作表“指标”、“指标（旧）”（隐藏）都可能是“指标”表，程序不会猜用哪一张："
        "请删除或改名“指标（旧）”，只留下名为“指标”的一张；"
        "隐藏的工作表可右键单击工作表标签，选“取消隐藏”找到",
    ),
    (
        "a sheet named only loosely",
        _trailing_space,
        {},
        "valid.xlsx: 缺少工作表“资金”：工作表“资金 ”与它名称相近但不相同，"
        f"请改名为“资金”（工作表名{_RULE}）",
    ),
    (
        "two copies and no original",
        _two_copies_no_original,
        {},
        "valid.xlsx: 工作表“Copy of 指标”、“指标(2)”都可能是“指标”表，程序不会猜用哪一张："
        "请只留下一张并命名为“指标”，其余的删除或改名",
    ),
    (
        "an optional sheet named loosely is not silently left out",
        _optional_sheet_with_a_note,
        {},
        "valid.xlsx: 缺少工作表“叙述”：工作表“叙述（2024）”与它名称相近但不相同，"
        f"请改名为“叙述”（工作表名{_RULE}）",
    ),
    (
        "a unit note in a column header",
        _unit_in_header,
        {},
        "valid.xlsx 资金!C1：列名“预算数（万元）”与“预算数”相近但不相同：请改为“预算数”"
        f"（列名{_RULE}；金额单位以“报告”表的“金额单位”为准）",
    ),
    (
        "a required-column mark",
        _required_mark,
        {},
        f"valid.xlsx 资金!E1：列名“*执行数”与“执行数”相近但不相同：请改为“执行数”（列名{_RULE}）",
    ),
    (
        "a hidden copy of a column",
        _column_copy("执行数（旧）"),
        {"hidden_columns": {"资金": ["F"]}},
        "valid.xlsx 资金!第1行：E1“执行数”、F1“执行数（旧）”（隐藏列）都可能是“执行数”列，"
        "程序不会猜用哪一列：请只留下一列并以“执行数”为列名，其余的删除或改名",
    ),
    (
        "the same column twice",
        _column_copy("执行数"),
        {},
        "valid.xlsx 资金!第1行：E1“执行数”、F1“执行数”都可能是“执行数”列，"
        "程序不会猜用哪一列：请只留下一列并以“执行数”为列名，其余的删除或改名",
    ),
    (
        "a report key with a note is not taken for the key",
        _report_key_with_a_note,
        {},
        "valid.xlsx 报告!A2（项目）: 报告.单位（盖章）：未知的键“单位（盖章）”，是否应为“单位”？"
        "（可用的键：单位、地区、自称、年度、成文日期、主送、金额单位、提纲、评分规则、模板目录）",
    ),
]


@pytest.mark.parametrize(
    ("change", "options", "expected"),
    [(c, o, e) for _, c, o, e in NAMES],
    ids=[n[0] for n in NAMES],
)
@pytest.mark.parametrize("command", ["generate", "check"])
def test_only_the_exact_name_is_read_and_a_near_name_is_an_error(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: str,
    change: Callable[[Sheets], None],
    options: dict[str, Any],
    expected: str,
) -> None:
    build(tmp_path, change, **options)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    args = command_args(command, "valid.xlsx", str(out))
    assert_refused(run_cli(*args), expected, out=out, errors=1)


def test_an_error_value_cell_is_reported_with_its_cell_and_header(
    tmp_path: Path, run_cli, monkeypatch
) -> None:
    path = build(tmp_path)
    # openpyxl writes "#DIV/0!" as an error cell, as Excel does for a failed formula.
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["资金"]["E2"].value = "#DIV/0!"
    wb.save(path)
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run_cli("check", "valid.xlsx")
    assert code == 1
    assert stderr.splitlines()[0] == (
        "valid.xlsx 资金!E2（执行数）：单元格是错误值“#DIV/0!”（公式计算出错）：请改正公式或直接填写数值"
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "旧格式.xls",
            b"\xd0\xcf\x11\xe0",
            "旧格式.xls: 不支持 .xls 旧格式：请在 Excel 或 WPS 中另存为 .xlsx 后重试",
        ),
        (
            "不是工作簿.xlsx",
            b"hello",
            "不是工作簿.xlsx: 不是有效的 Excel 工作簿（.xlsx）：文件不是 zip 格式，"
            "可能已损坏，或只是把其他文件的扩展名改成了 .xlsx",
        ),
    ],
    ids=["xls", "not a zip"],
)
def test_a_file_that_is_not_a_workbook_is_a_clear_error(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    content: bytes,
    expected: str,
) -> None:
    (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run_cli("check", name)
    assert code == 1
    assert stderr.splitlines()[0] == expected


def test_all_problems_of_a_workbook_are_reported_together(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def change(s: Sheets) -> None:
        _misspell_target_column(s)
        _formula_without_cache(s)

    build(tmp_path, change)
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run_cli("check", "valid.xlsx")
    assert code == 1
    assert stderr.splitlines()[-1] == "共 2 个错误，未生成任何文件。"


def test_a_valid_workbook_checks_clean_through_the_cli(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    build(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("check", "valid.xlsx")
    assert code == 0
    assert out.splitlines()[-1] == "valid.xlsx：检查完成，未发现问题。"


def test_the_workbook_is_never_modified(tmp_path: Path) -> None:
    path = build(tmp_path)
    before = path.read_bytes()
    load_input(path)
    assert path.read_bytes() == before


def test_a_yaml_run_never_imports_the_spreadsheet_libraries() -> None:
    """Start-up cost is measured in tools/bench_excel.py; here only that the import stays lazy."""
    code = (
        "import sys\nfrom generator.cli import main\n"
        "main(['check', 'tests/fixtures/valid.yaml'])\n"
        "print(sorted(m for m in ('openpyxl', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"
