"""Characters a person cannot see are refused with their code point and position.

One rule for every class (bidirectional controls, zero-width and other format
characters, line separators, controls, invisible fillers): refuse, never remove
silently, in YAML inputs, workbook inputs and the data files of a template folder
alike; messages that quote user text show them as ``<U+200B>``.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from generator.core.text import find_hidden, visible

from .conftest import TEMPLATES, VALID_TEXT, assert_refused, command_args, write_input
from .workbooks import valid_sheets, write_workbook

#: Letters and marks that show nothing, used to fake names; refused beside Cf/Zl/Zp/Cc.
FILLERS = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
#: Controls a text may hold: tab and line breaks.
ALLOWED_CONTROLS = {0x09, 0x0A, 0x0D}


def _should_hide(point: int) -> bool:
    category = unicodedata.category(chr(point))
    hidden_category = category in {"Cf", "Zl", "Zp"} or (
        category == "Cc" and point not in ALLOWED_CONTROLS
    )
    return hidden_category or point in FILLERS


def test_the_table_is_every_format_separator_and_control_character_and_nothing_else() -> None:
    text = "".join(chr(p) for p in range(sys.maxunicode + 1) if not 0xD800 <= p <= 0xDFFF)
    found = {ord(h.char) for h in find_hidden(text)}
    expected = {p for p in range(sys.maxunicode + 1) if _should_hide(p)}
    # Unicode releases after the running Python's may add Cf characters the table names.
    assert expected <= found
    assert {p for p in found - expected if unicodedata.category(chr(p)) != "Cn"} == set()


def test_visible_writes_each_hidden_character_as_its_code_point() -> None:
    assert visible("年\u200b度\u202e") == "年<U+200B>度<U+202E>"
    assert visible("普通文字") == "普通文字"


REASON = "（常见于从网页或其他软件复制的文字）"

# (what, old, new, expected first line after "<file>:"); valid.yaml is the starting point.
VALUES = [
    (
        "right-to-left-override",
        "主送: 测试市医疗保障局",
        "主送: 测试市\u202e局障保疗医",
        "6: 报告.主送：第4个字符是U+202E（从右到左覆盖，一种文字方向控制符，"
        f"会使显示的文字顺序与实际内容不同）；请删除该字符{REASON}",
    ),
    (
        "isolate",
        "名称: 救助对象满意度",
        "名称: 救助对象\u2067满意度\u2069",
        "19: 项目[1].指标[5].名称：第5个字符是U+2067（从右到左隔离，一种文字方向控制符，"
        f"会使显示的文字顺序与实际内容不同）；请删除该字符（共有2个这样的字符）{REASON}",
    ),
    (
        "right-to-left-mark",
        "来源: 县级财政",
        "来源: 县级财政\u200f",
        "12: 项目[1].资金[2].来源：第5个字符是U+200F（从右到左标记，一种文字方向控制符，"
        f"会使显示的文字顺序与实际内容不同）；请删除该字符{REASON}",
    ),
    (
        "zero-width-space",
        "总体目标: 困难群众",
        "总体目标: 困难\u200b群众",
        f"13: 项目[1].总体目标：第3个字符是U+200B（零宽空格）；请删除该字符{REASON}",
    ),
    (
        "byte-order-mark-inside",
        "来源: 中央财政",
        "来源: 中央\ufeff财政",
        f"11: 项目[1].资金[1].来源：第3个字符是U+FEFF（零宽不换行空格（BOM））；请删除该字符{REASON}",
    ),
    (
        "soft-hyphen",
        "名称: 资助参保覆盖率",
        "名称: 资助参保\u00ad覆盖率",
        f"17: 项目[1].指标[3].名称：第5个字符是U+00AD（软连字符）；请删除该字符{REASON}",
    ),
    (
        "tag-character",
        "未全额到位。",
        "未全额到位。\U000e0041",
        f"21: 项目[1].叙述.存在问题：第27个字符是U+E0041（不可见的格式字符）；请删除该字符{REASON}",
    ),
    (
        "hangul-filler",
        "单位: 测试县医疗保障局",
        "单位: 测试县\u3164医疗保障局",
        f"3: 报告.单位：第4个字符是U+3164（不可见的格式字符）；请删除该字符{REASON}",
    ),
    (
        "escaped-override",
        "主送: 测试市医疗保障局",
        '主送: "测试市\\u202e局"',
        "6: 报告.主送：第4个字符是U+202E（从右到左覆盖，一种文字方向控制符，"
        f"会使显示的文字顺序与实际内容不同）；请删除该字符{REASON}",
    ),
    (
        "escaped-c1-control",
        "主送: 测试市医疗保障局",
        '主送: "测试市\\x9b医疗保障局"',
        f"6: 报告.主送：第4个字符是U+009B（不可见的控制字符）；请删除该字符{REASON}",
    ),
    (
        "escaped-line-separator",
        "主送: 测试市医疗保障局",
        '主送: "测试市\\u2028医疗保障局"',
        "6: 报告.主送：第4个字符是U+2028（行分隔符，Word 和 YAML 把它当作换行，编辑器却不显示）；"
        f"请删除该字符{REASON}",
    ),
    (
        "zero-width-in-key",
        "    总体目标:",
        "    总体\u200d目标:",
        "13: 项目[1].总体<U+200D>目标：键“总体<U+200D>目标”的第3个字符是U+200D（零宽连字）；"
        f"请删除该字符{REASON}",
    ),
    (
        "line-separator-in-value",
        "总体目标: 困难群众",
        "总体目标: 困难群众\u2028",
        "13: 这一行第15个字符是U+2028（行分隔符，Word 和 YAML 把它当作换行，编辑器却不显示）；"
        f"请删除该字符{REASON}",
    ),
    (
        "paragraph-separator-in-narrative",
        "存在问题: 县级",
        "存在问题: 县级\u2029",
        "21: 这一行第15个字符是U+2029（段分隔符，Word 和 YAML 把它当作换行，编辑器却不显示）；"
        f"请删除该字符{REASON}",
    ),
    (
        "next-line-in-comment",
        "# 一份最小的有效输入",
        "# 一份最小的\u0085有效输入",
        "1: 这一行第8个字符是U+0085（下一行符，Word 和 YAML 把它当作换行，编辑器却不显示）；"
        f"请删除该字符{REASON}",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [v[1:] for v in VALUES], ids=[v[0] for v in VALUES]
)
@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_hidden_character_in_a_yaml_input_is_refused_with_its_code_point_and_position(
    run_cli, tmp_path: Path, old: str, new: str, expected: str, command: str
) -> None:
    path = write_input(tmp_path / "输入.yaml", VALID_TEXT, (old, new))
    out = tmp_path / "out"
    args = command_args(command, str(path), str(out))
    assert_refused(run_cli(*args), f"{path}:{expected}", out=out, errors=1)


def test_a_zero_width_space_in_a_key_is_shown_not_suggested_as_itself(
    run_cli, tmp_path: Path
) -> None:
    path = write_input(tmp_path / "输入.yaml", VALID_TEXT, ("  年度: 2024", "  年\u200b度: 2024"))
    _, _, stderr = run_cli("check", str(path))
    assert "未知的键" not in stderr
    assert "缺少必填项" not in stderr
    assert "年<U+200B>度" in stderr and "\u200b" not in stderr


def test_a_line_separator_does_not_shift_the_line_of_a_later_syntax_error(
    run_cli, tmp_path: Path
) -> None:
    """YAML counts U+2028 as a line break; refused first, so no "缺少冒号" on a wrong line."""
    path = write_input(
        tmp_path / "输入.yaml",
        VALID_TEXT,
        ("总体目标: 困难群众", "总体目标: 困难\u2028群众"),
        ("  主送: 测试市医疗保障局", "  主送 测试市医疗保障局"),
    )
    code, _, stderr = run_cli("check", str(path))
    assert code == 1
    assert stderr.splitlines()[0].startswith(f"{path}:13: 这一行第13个字符是U+2028")
    assert "缺少冒号" not in stderr


def test_a_hidden_character_that_breaks_the_syntax_is_named_before_the_syntax_error(
    run_cli, tmp_path: Path
) -> None:
    path = write_input(tmp_path / "输入.yaml", VALID_TEXT, ("  年度: 2024", "  年度:\u200b2024"))
    code, _, stderr = run_cli("check", str(path))
    assert code == 1
    first = stderr.splitlines()[0]
    assert first == f"{path}:4: 这一行第6个字符是U+200B（零宽空格）；请删除该字符{REASON}"


def test_a_hidden_character_in_a_workbook_cell_is_refused_with_its_cell(
    run_cli, tmp_path: Path
) -> None:
    sheets = valid_sheets()
    sheets["报告"][1][1] = "测试县\u202e局障保疗医"
    path = write_workbook(tmp_path / "输入.xlsx", sheets)
    out = tmp_path / "out"
    assert_refused(
        run_cli("generate", str(path), "-o", str(out)),
        f"{path} 报告!B2（值）: 报告.单位：第4个字符是U+202E（从右到左覆盖，一种文字方向控制符，"
        f"会使显示的文字顺序与实际内容不同）；请删除该字符{REASON}",
        out=out,
        errors=1,
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "措辞.yaml",
            "全称: 医疗救助补助资金",
            "全称: 医疗救助\u202e补助资金",
            "10: 类型.医疗救助.全称：第5个字符是U+202E（从右到左覆盖，一种文字方向控制符，"
            f"会使显示的文字顺序与实际内容不同）；请删除该字符{REASON}",
        ),
        (
            "rules/国家.yaml",
            "反向指标计分:",
            "反向指标\u200b计分:",
            None,
        ),
    ],
    ids=["wording-value", "rule-file-key"],
)
def test_a_hidden_character_in_a_template_folder_data_file_is_refused(
    run_cli, tmp_path: Path, file: str, old: str, new: str, expected: str | None
) -> None:
    folder = tmp_path / "我的模板"
    target = folder / file
    target.parent.mkdir(parents=True)
    text = (TEMPLATES / file).read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    path = write_input(tmp_path / "输入.yaml")
    out = tmp_path / "out"
    code, _, stderr = run_cli("generate", str(path), "--templates", str(folder), "-o", str(out))
    assert code == 1, stderr
    assert "U+202E" in stderr or "U+200B" in stderr
    if expected is not None:
        assert f"{target}:{expected}" in stderr.splitlines()
    else:
        assert "反向指标<U+200B>计分" in stderr and "未知的键" not in stderr
    assert "\u200b" not in stderr and "\u202e" not in stderr
    assert not out.exists()
