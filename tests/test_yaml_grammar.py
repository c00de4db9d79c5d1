"""A number is read the way a person typed it, and every YAML mistake gets Chinese.

No YAML 1.1 surprise: ``0200`` is 200 (not octal 128), ``1:1`` is the text "1:1" (not
61), ``no`` in a text field stays "no". Number fields read text by one decimal grammar
(generator/core/numbers.py), workbook text cells by the same one. Every kind of parser
error PyYAML raises is answered in Chinese with the line to look at.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import InputError
from generator.inputs.validate import validate_input
from generator.inputs.yaml_read import load_yaml_text
from generator.inputs.yaml_write import scalar

from .conftest import (
    VALID_TEXT,
    assert_refused,
    document_texts,
    edited,
    validated,
    write_input,
)
from .strategies import SAFE
from .workbooks import valid_sheets, write_workbook

#: The first funding row of valid.yaml in block style, so a value may hold commas.
FLOW_ROW = "      - {来源: 中央财政, 预算数: 1000, 执行数: 950}\n"


def _with_budget(written: str) -> str:
    block = f"      - 来源: 中央财政\n        预算数: {written}\n        执行数: 950\n"
    return edited(VALID_TEXT, (FLOW_ROW, block))


def _budget(text: str) -> Decimal:
    return validate_input(load_yaml_text(text, "x.yaml")).funds[0].funding[0].budget


# (as written after "预算数: ", the figure a person means)
NUMBERS = [
    ("1180", "1180"),
    ("+1180", "1180"),
    ("0200", "200"),
    ("007.50", "7.5"),
    ("236.5", "236.5"),
    (".5", "0.5"),
    ("5.", "5"),
    ("1,234,567.5", "1234567.5"),
    ('"1,234"', "1234"),
    ("1e3", "1000"),
    ("1.5E+2", "150"),
    ("１２００", "1200"),
    ('"0200"', "200"),
    ("' 12 '", "12"),
]


@pytest.mark.parametrize(("written", "meant"), NUMBERS, ids=[n[0] for n in NUMBERS])
def test_a_number_field_reads_the_decimal_number_a_person_typed(written: str, meant: str) -> None:
    assert _budget(_with_budget(written)) == Decimal(meant)


# (as written, the message's value): not a decimal number, so refused, never guessed
NOT_NUMBERS = [
    ("0x3E8", "应为数字，实际为“0x3E8”"),
    ("0o17", "应为数字，实际为“0o17”"),
    ("1_000", "应为数字，实际为“1_000”"),
    ("1:30", "应为数字，实际为“1:30”"),
    ("1 000", "应为数字，实际为“1 000”"),
    ("10²", "应为数字，实际为“10²”"),
    ("①", "应为数字，实际为“①”"),
    ("١٢٣", "应为数字，实际为“١٢٣”"),
    ("12万", "应为数字，实际为“12万”"),
    ("1,23", "应为数字，实际为“1,23”"),
    (".inf", "应为数字，实际为“.inf”"),
    ("nan", "应为有限的数字，实际为“nan”"),
    ("-Infinity", "应为有限的数字，实际为“-Infinity”"),
]


@pytest.mark.parametrize(("written", "message"), NOT_NUMBERS, ids=[n[0] for n in NOT_NUMBERS])
def test_a_number_field_refuses_what_is_not_a_decimal_number(
    run_cli, tmp_path: Path, written: str, message: str
) -> None:
    path = tmp_path / "输入.yaml"
    path.write_text(_with_budget(written), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("generate", str(path), "-o", str(out))
    assert_refused(result, f"{path}:12: 项目[1].资金[1].预算数：{message}", out=out, errors=1)


# (as written after "主送: ", the text the report prints)
TEXTS = [
    ("no", "no"),
    ("NO", "NO"),
    ("yes", "yes"),
    ("on", "on"),
    ("off", "off"),
    ("y", "y"),
    ("1:1", "1:1"),
    ("0200", "0200"),
    ("08", "08"),
    ("0x1F", "0x1F"),
    ("0o17", "0o17"),
    ("1_000", "1_000"),
    ("1e3", "1e3"),
    ("-.5", "-.5"),
    (".inf", ".inf"),
    (".nan", ".nan"),
    ("2025-2-18", "2025-2-18"),
    ('"2024"', "2024"),
    ("'true'", "true"),
]


@pytest.mark.parametrize(("written", "text"), TEXTS, ids=[t[0] for t in TEXTS])
def test_a_text_field_keeps_what_was_typed(tmp_path: Path, written: str, text: str) -> None:
    path = write_input(
        tmp_path / "x.yaml", VALID_TEXT, ("主送: 测试市医疗保障局", f"主送: {written}")
    )
    assert validated(path).report.addressee == text


# Plain forms every YAML version reads as a number, a date or true/false: text fields
# refuse them (with how to quote) rather than print "True" or "2025-02-18 00:00".
NOT_TEXTS = [
    ("2024", "“2024”"),
    ("12.50", "“12.50”"),
    ("true", "true"),
    ("2025-02-18", "“2025-02-18”"),
]


@pytest.mark.parametrize(("written", "shown"), NOT_TEXTS, ids=[t[0] for t in NOT_TEXTS])
def test_a_text_field_refuses_a_plain_number_date_or_truth_value(
    run_cli, tmp_path: Path, written: str, shown: str
) -> None:
    path = write_input(
        tmp_path / "x.yaml", VALID_TEXT, ("主送: 测试市医疗保障局", f"主送: {written}")
    )
    assert_refused(run_cli("check", str(path)), f"{path}:6: 报告.主送：应为文字，实际为{shown}")


YEARS = [("2024", 2024), ("02024", 2024), ("2024.0", 2024), ('"２０２４"', 2024), ("+2024", 2024)]


@pytest.mark.parametrize(("written", "year"), YEARS, ids=[y[0] for y in YEARS])
def test_a_year_reads_as_typed(tmp_path: Path, written: str, year: int) -> None:
    path = write_input(tmp_path / "x.yaml", VALID_TEXT, ("年度: 2024", f"年度: {written}"))
    assert validated(path).report.year == year


DATES = [
    ("2025-02-18", "2025-02-18"),
    ("2025-02-18 10:30:00", "2025-02-18"),
    ("2025-2-18T10:30:00+08:00", "2025-02-18"),
    ('"2025-02-18"', "2025-02-18"),
]


@pytest.mark.parametrize(("written", "day"), DATES, ids=[d[0] for d in DATES])
def test_a_date_reads_as_typed(tmp_path: Path, written: str, day: str) -> None:
    path = write_input(
        tmp_path / "x.yaml", VALID_TEXT, ("成文日期: 2025-02-18", f"成文日期: {written}")
    )
    assert validated(path).report.date == datetime.date.fromisoformat(day)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0", "应为日期（如 2025-02-20），实际为数字“0”"),
        ("86400", "应为日期（如 2025-02-20），实际为数字“86400”"),
        ("2025-2-18", "应为日期（如 2025-02-20），实际为“2025-2-18”"),
        ("2025-13-45", "应为日期（如 2025-02-20），实际为“2025-13-45”"),
    ],
    ids=["zero", "seconds", "one-digit-month", "impossible"],
)
def test_a_date_written_otherwise_is_refused_never_read_as_1970(
    run_cli, tmp_path: Path, written: str, message: str
) -> None:
    path = write_input(
        tmp_path / "x.yaml", VALID_TEXT, ("成文日期: 2025-02-18", f"成文日期: {written}")
    )
    assert_refused(run_cli("check", str(path)), f"{path}:5: 报告.成文日期：{message}")


def test_a_leading_zero_budget_prints_the_figure_the_person_meant(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "前导零.yaml"
    path.write_text(_with_budget("01000"), encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_cli("generate", str(path), "-o", str(out))
    assert code == 0, stderr
    [report] = (out / "2024").glob("*.docx")
    text = "\n".join(document_texts(Document(str(report))))
    # 1000 + 200 from the county: YAML 1.1 would have read 01000 as octal 512 (712 in all).
    assert "1200万元" in text
    assert "712万元" not in text


# --- property tests -----------------------------------------------------------------

AMOUNT = st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False)


def _grouped(digits: str) -> str:
    head = len(digits) % 3 or 3
    return ",".join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


@st.composite
def typed_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    """A figure and one way a person might type it: zeros, signs, groups, width, quotes."""
    value = draw(AMOUNT).normalize()
    whole, _, fraction = f"{value:f}".partition(".")
    if draw(st.booleans()) and len(whole) > 3:
        zeros, whole = "", _grouped(whole)
    else:
        zeros = "0" * draw(st.integers(0, 3))
    text = draw(st.sampled_from(["", "+"])) + zeros + whole
    if fraction:
        text += "." + fraction + "0" * draw(st.integers(0, 2))
    elif draw(st.booleans()):
        text += "."
    if draw(st.booleans()):
        text = text.translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    quote = draw(st.sampled_from(["", '"', "'"]))
    return f"{quote}{text}{quote}", value


@given(typed=typed_numbers())
def test_every_way_of_typing_a_figure_reads_that_figure(typed: tuple[str, Decimal]) -> None:
    written, value = typed
    assert _budget(_with_budget(written)) == value


@given(text=st.text(SAFE, min_size=1, max_size=12).filter(lambda t: t.strip() == t and t != "待填"))
def test_any_text_genreport_writes_reads_back_as_the_same_text(text: str) -> None:
    """The reader's non-text forms are a subset of those YAML 1.1 writers quote."""
    loaded = load_yaml_text(f"主送: {scalar(text)}\n", "x.yaml")
    assert loaded.data["主送"] == text


YAML_11_FORMS = st.one_of(
    st.from_regex(r"0[0-7]{1,4}", fullmatch=True),
    st.from_regex(r"[1-9][0-9]?:[0-5][0-9](:[0-5][0-9])?", fullmatch=True),
    st.from_regex(r"0x[0-9A-F]{1,4}|0o[0-7]{1,3}|[1-9](_[0-9]{3}){1,2}", fullmatch=True),
    st.sampled_from(["yes", "Yes", "no", "No", "on", "On", "off", "Off", "y", "n", "Y", "N"]),
)


@given(written=YAML_11_FORMS)
def test_yaml_11_number_and_truth_forms_stay_the_text_typed(written: str) -> None:
    assert load_yaml_text(f"主送: {written}\n", "x.yaml").data["主送"] == written


# --- the same reading in a workbook -------------------------------------------------

CELL_TEXTS = ["0200", "+5", ".5", "1e3", "1,234.5", "１２００"]


@pytest.mark.parametrize("written", CELL_TEXTS)
def test_a_workbook_text_cell_reads_like_the_yaml_value(tmp_path: Path, written: str) -> None:
    sheets = valid_sheets()
    sheets["资金"][1][2] = written
    workbook = validated(write_workbook(tmp_path / "x.xlsx", sheets))
    quoted = f'"{written}"'
    assert workbook.funds[0].funding[0].budget == _budget(_with_budget(quoted))


# --- parser errors in Chinese -------------------------------------------------------

# (what the file says, the line reported, the message after "YAML 语法错误：")
SYNTAX = [
    pytest.param(
        "项目:\n  - 类型: a\n    资金: 1\n - 类型: b\n",
        4,
        "列表项“- ”的缩进不对：同一列表的各个“- ”应上下对齐，并比所属的键多缩进；"
        "请检查这一行和上一项的行首空格",
        id="list-item-less-indented",
    ),
    pytest.param(
        "项目:\n  - 类型: a\n   - 类型: b\n",
        3,
        "列表项“- ”的缩进不对：同一列表的各个“- ”应上下对齐，并比所属的键多缩进；"
        "请检查这一行和上一项的行首空格",
        id="list-item-more-indented",
    ),
    pytest.param(
        "报告:\n  单位: x\n 年度: 1\n",
        3,
        "缩进不一致：这一行的键与上文同一层的键没有对齐；请检查行首的空格数",
        id="key-dedented-oddly",
    ),
    pytest.param(
        "- a\nb: 1\n",
        2,
        "这一行的“键: 值”与上文的列表项“- ”处于同一层：同一层不能既有列表项又有键；"
        "请检查这一行的缩进，或上文是否少写了键",
        id="key-after-list",
    ),
    pytest.param(
        "a: 1\n---\nb: 2\n",
        2,
        "出现了第二个文档分隔线“---”：一个文件只能有一份内容；请删除这一行（两份内容请分别保存为两个文件）",
        id="second-document",
    ),
    pytest.param(
        "a: 1\n...\nb: 2\n",
        3,
        "文件中间出现了文档结束标记“...”或以“%”开头的行，其后的内容无法读取；请删除那一行",
        id="content-after-document-end",
    ),
    pytest.param(
        'a: "abc\nb: 1\n',
        1,
        "从这一行开始的引号没有闭合：请在这段文字末尾补上同样的引号（文字中本身有这种引号时，改用另一种引号括起整段）",
        id="unclosed-double-quote",
    ),
    pytest.param(
        'a: "x\n---\n"\n',
        1,
        "从这一行开始的引号没有闭合：请在这段文字末尾补上同样的引号（文字中本身有这种引号时，改用另一种引号括起整段）",
        id="quote-running-into-separator",
    ),
    pytest.param(
        "a: [1, 2\nb: 1\n",
        1,
        "从这一行开始的方括号“[ ]”有误：缺少“]”、两项之间缺少逗号，或其中的引号没有闭合；"
        "值中含有逗号、冒号或括号时，请给整个值加上引号",
        id="unclosed-bracket",
    ),
    pytest.param(
        "a: {x: 1",
        1,
        "从这一行开始的花括号“{ }”有误：缺少“}”、两项之间缺少逗号，或其中的引号没有闭合；"
        "值中含有逗号、冒号或括号时，请给整个值加上引号",
        id="unclosed-brace",
    ),
    pytest.param("a:\n\tb: 1\n", 2, "含有制表符（Tab），请改用空格缩进", id="tab"),
    pytest.param(
        'a: "C:\\q"\n',
        1,
        "双引号中的“\\q”不是有效的转义：要写反斜杠本身，请写成两个“\\\\”，或改用单引号括起整段",
        id="bad-escape",
    ),
    pytest.param(
        'a: "\\x4"\n',
        1,
        "双引号中的“\\x”“\\u”“\\U”之后应为2位十六进制数字：要写反斜杠本身，请写成两个“\\\\”，"
        "或改用单引号括起整段",
        id="short-hex-escape",
    ),
    pytest.param(
        "a: &x 1\nb: &x 2\n",
        2,
        "锚点“&x”重复定义（第一次在第1行）：请给第二个锚点换一个名字",
        id="duplicate-anchor",
    ),
    pytest.param(
        "a: *x\n",
        1,
        "引用了未定义的锚点“*x”：请先在要引用的内容前写“&x”，或直接写出内容",
        id="undefined-alias",
    ),
    pytest.param(
        "a: b: c\n",
        1,
        "此处不能出现“键: 值”：请检查上一行是否少了冒号、这一行的缩进是否多了空格；"
        "值中含有“: ”时请给整个值加上引号",
        id="colon-in-value",
    ),
    pytest.param(
        "a: 1\nb\nc: 2\n",
        2,
        "缺少冒号：每行应写成“键: 值”（冒号后留一个空格）；如果这一行是上一行文字的延续，"
        "请给整段文字加上引号，或用“|-”书写多行文字",
        id="missing-colon",
    ),
    pytest.param(
        "a: - b\n",
        1,
        "此处不能出现列表项“- ”：列表项应另起一行并缩进；值以“-”开头时请加引号",
        id="list-item-after-colon",
    ),
    pytest.param("a: @x\n", 1, "“@”不能作为值的开头：请给整个值加上引号", id="reserved-at"),
    pytest.param("a: `x`\n", 1, "“`”不能作为值的开头：请给整个值加上引号", id="reserved-backtick"),
    pytest.param(
        'a: "x" y\n',
        1,
        "这一行多出了一段文字：可能是引号闭合后还有文字（整段文字都应在引号内），或这一行的缩进不对",
        id="text-after-quote",
    ),
    pytest.param(
        "a: 1\n, b\n",
        2,
        "此处多出了“,”：请检查这一行的缩进和标点；值以“[ ] { } , ? & * !”开头时请给整个值加上引号",
        id="stray-comma",
    ),
    pytest.param(
        "a: ]\n",
        1,
        "此处应有一个值，却出现了“]”：请检查标点，或给整个值加上引号",
        id="stray-bracket",
    ),
    pytest.param(
        "a: &锚 1\n",
        1,
        "锚点（&）和别名（*）的名字只能用英文字母、数字、“-”和“_”",
        id="chinese-anchor",
    ),
    pytest.param(
        "%YAML 2.0\n---\na: 1\n",
        1,
        "以“%”开头的指令无效：请删除以“%”开头的行（文字以“%”开头时请加引号）",
        id="directive",
    ),
    pytest.param(
        "a: |x\n  y\n",
        1,
        "“|”或“>”之后只能写“-”“+”或1～9的数字，文字请从下一行开始并缩进",
        id="block-scalar-header",
    ),
    pytest.param(
        "a: !<abc 1\n",
        1,
        "以“!”开头的标签写法有误：输入文件不需要标签；如果“!”是文字的一部分，请给整个值加上引号",
        id="broken-tag",
    ),
    pytest.param(
        "a: !x!y 1\n",
        1,
        "以“!”开头的标签写法有误：输入文件不需要标签；如果“!”是文字的一部分，请给整个值加上引号",
        id="undefined-tag-handle",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), SYNTAX)
def test_every_yaml_error_kind_is_one_chinese_line_at_the_line_to_look_at(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_yaml_text(text, "x.yaml")
    assert [str(p) for p in caught.value.problems] == [f"x.yaml:{line}: YAML 语法错误：{message}"]


def test_the_commonest_mistake_through_the_cli_names_the_line(run_cli, tmp_path: Path) -> None:
    path = write_input(
        tmp_path / "缩进.yaml",
        VALID_TEXT,
        ("      - {一级: 满意度指标", "    - {一级: 满意度指标"),
    )
    out = tmp_path / "out"
    assert_refused(
        run_cli("generate", str(path), "-o", str(out)),
        f"{path}:19: YAML 语法错误：{SYNTAX[0].values[2]}",
        out=out,
        errors=1,
    )


#: Words of PyYAML's English messages; none may reach a user.
ENGLISH = re.compile(
    r"\b(?:expected|found|while|scanning|parsing|mapping|allowed|token|document|stream|"
    r"character|indicator|block|flow|alias|anchor|directive)\b",
    re.IGNORECASE,
)
MARKS = st.sampled_from([*"-:[]{},\"'#&*!|>%@`?\t \n", "---\n", "...\n", "\\x", "\\"])


@st.composite
def damaged_yaml(draw: st.DrawFn) -> str:
    """valid.yaml with a few characters inserted or deleted, as careless editing does."""
    text = VALID_TEXT
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(MARKS) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 3)) :]
    return text


@given(text=damaged_yaml())
def test_a_damaged_file_never_shows_english(text: str) -> None:
    try:
        loaded = load_yaml_text(text, "x.yaml")
    except InputError as exc:
        for problem in exc.problems:
            assert problem.location.line > 0, problem
            assert not ENGLISH.search(problem.message), problem
        return
    try:
        validate_input(loaded)
    except InputError as exc:
        for problem in exc.problems:
            assert not ENGLISH.search(problem.message), problem
