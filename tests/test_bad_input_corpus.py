"""The bad-input corpus beyond the contract's own rules: whatever a file holds, the user
gets one exact Chinese line naming file, line and field, exit code 1, and nothing written.

Fixtures on disk live in tests/fixtures/bad/; inputs that would be silly to commit (a
50 MB file, 51 funds) are built by the tests. tests/test_cli_errors.py holds the cases
of the contract's own rules; between them, every fixture on disk has its message.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import limits
from generator.errors import InputError
from generator.inputs.yaml_read import load_yaml_text

from .conftest import FIXTURES, VALID_TEXT, assert_refused, command_args, write_input
from .test_cli_errors import CASES as CONTRACT_CASES

BAD = FIXTURES / "bad"

# (fixture, expected first line after "<file>")
CASES = [
    ("二进制乱码", ": 文件含有二进制内容，不是文本格式的 YAML"),
    ("zip改名", ": 这是一个 zip 压缩包或 Office 文件（.xlsx/.docx），不是 YAML 文本"),
    (
        "GB18030编码",
        ":1: 文件是 GBK/GB18030 编码（Windows 记事本的“ANSI”），不是 UTF-8："
        "请在编辑器中“另存为”，编码选“UTF-8”后重试",
    ),
    (
        "非文本编码",
        ":2: 文件不是 UTF-8 编码的文本，也不像 GBK 文本：请确认选对了文件，"
        "并在编辑器中“另存为”UTF-8 编码",
    ),
    ("BOM加错误", ":16: 项目[1].指标[2].分值：应为数字，实际为“四十”"),
    (
        "控制字符",
        ":3: 含有不可见的控制字符（U+0007），请删除该字符（常见于从网页或其他软件复制的文字）",
    ),
    (
        "别名指数膨胀",
        ":3: 展开锚点（&）和别名（*）后内容超过200000项，已拒绝；请直接写出内容，不要层层引用",
    ),
    ("循环别名", ":14: 别名（*）引用了包含它自己的锚点（&），形成循环；请直接写出内容"),
    ("中文锚点名", ":14: YAML 语法错误：锚点（&）和别名（*）的名字只能用英文字母、数字、“-”和“_”"),
    ("嵌套过深", ":2: 嵌套层次过深（超过32层），输入格式只需要几层缩进"),
    (
        "不支持的标签",
        ":3: 报告.单位：不支持 YAML 标签“!!python/object/apply:os.system”，请删除标签",
    ),
    ("顶层是列表", ":2: 顶层应为“报告”和“项目”两部分（键值对），实际不是"),
    ("缺少报告", ":2: 报告：缺少必填项"),
    ("项目为空", ":8: 项目：至少需要一项"),
    ("年度过早", ":4: 报告.年度：应不小于2000，实际为“1900”"),
    ("年度是小数", ":4: 报告.年度：应为整数，实际为“2024.5”"),
    ("年度是中文", ":4: 报告.年度：应为整数，实际为“二〇二四”"),
    ("日期不存在", ":5: 报告.成文日期：应为日期（如 2025-02-20），实际为“2025-13-45”"),
    ("资金不是列表", ":10: 项目[1].资金：应为列表（每项以“- ”开头），实际为“1200”"),
    ("预算数为无穷大", ":11: 项目[1].资金[1].预算数：应为数字，实际为“.inf”"),
    (
        "金额过大",
        ":11: 项目[1].资金[1].预算数：金额过大：100000000000000000000超过10万亿元，"
        "请检查数字和“报告.金额单位”",
    ),
    ("总体目标是列表", ":13: 项目[1].总体目标：应为文字，实际为列表"),
    (
        "英文未知键",
        ":13: 项目[1].name：未知的键“name”（可用的键：类型、名称、提纲、资金、年初预算数、"
        "总体目标、总体完成情况、自评得分、指标、叙述、县区对比、金额单位、调整后预算数、"
        "主管部门、实施单位、转移支付名称、中央主管部门、地方主管部门、资金使用单位、政策依据、"
        "基金收支、资金管理情况、确认数字）",
    ),
    ("自评得分超过100", ":13: 项目[1].自评得分：应不大于100，实际为“200”"),
    (
        "适用指标分值为0",
        ":14: 项目[1].指标：适用指标的分值合计为0（有分值的指标都是“不适用”），无法折算计分",
    ),
    ("分值超过100", ":16: 项目[1].指标[2].分值：应不大于100，实际为“150”"),
    ("分值为负数", ":16: 项目[1].指标[2].分值：应不小于0，实际为“-40”"),
    ("分值为NaN", ":16: 项目[1].指标[2].分值：应为数字，实际为“.nan”"),
    ("指标值是列表", ":16: 项目[1].指标[2].指标值：应为文字，实际为列表"),
    (
        "完成值过大",
        ":16: 项目[1].指标[2].完成值：数字过大：“53733000000000000000000人次”超过一千万亿，"
        "请检查是否多写了位数",
    ),
    ("得分超过100", ":19: 项目[1].指标[5].得分：应不大于100，实际为“1.0E+40”"),
    ("得分为负数", ":19: 项目[1].指标[5].得分：应不小于0，实际为“-1”"),
    ("不适用不是布尔值", ":19: 项目[1].指标[5].不适用：应为 true 或 false，实际为“是”"),
]


def _assert_refused(
    run_cli, tmp_path: Path, name: str, expected_first_line: str, command: str = "generate"
) -> None:
    out = tmp_path / "out"
    args = command_args(command, name, str(out))
    assert_refused(run_cli(*args), expected_first_line, out=out)


@pytest.mark.parametrize(("fixture", "expected"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["generate", "check"])
def test_bad_file_gives_one_located_chinese_line_and_writes_nothing(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fixture: str,
    expected: str,
    command: str,
) -> None:
    monkeypatch.chdir(BAD)
    _assert_refused(run_cli, tmp_path, f"{fixture}.yaml", f"{fixture}.yaml{expected}", command)


# --- inputs built by the tests -------------------------------------------------------


def _fifty_megabytes(path: Path) -> None:
    with path.open("wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(50 * 1024 * 1024)


def _long_narrative(path: Path) -> None:
    write_input(path, VALID_TEXT, ("存在问题: 县级", "存在问题: " + "长" * 20_001 + "县级"))


def _long_unit(path: Path) -> None:
    write_input(path, VALID_TEXT, ("单位: 测试县", "单位: " + "测" * 600))


def _many_funds(path: Path) -> None:
    head, fund = VALID_TEXT.split("项目:\n")
    write_input(path, head + "项目:\n" + fund * (limits.MAX_FUNDS + 1))


def _many_indicators(path: Path) -> None:
    row = (
        '      - {一级: 产出指标, 二级: 数量指标, 名称: 指标, 分值: 0, 指标值: "≥1人", '
        "完成值: 1人}\n"
    )
    write_input(path, VALID_TEXT, ("    叙述:\n", row * limits.MAX_INDICATORS + "    叙述:\n"))


def _huge_integer(path: Path) -> None:
    write_input(path, VALID_TEXT, ("年度: 2024", "年度: 2" + "0" * 5000))


def _amount_in_yuan_fine_but_in_yi_absurd(path: Path) -> None:
    write_input(
        path, VALID_TEXT, ("金额单位: 万元", "金额单位: 亿元"), ("预算数: 1000,", "预算数: 200000,")
    )


BUILT: list[tuple[str, Callable[[Path], None], str]] = [
    ("50MB文件", _fifty_megabytes, ": 文件过大（50 MB），输入文件不能超过2 MB；请确认选对了文件"),
    ("叙述过长", _long_narrative, ":21: 项目[1].叙述.存在问题：文字过长：共20027字，上限20000字"),
    ("单位过长", _long_unit, ":3: 报告.单位：文字过长：共605字，上限500字"),
    ("项目过多", _many_funds, ":8: 项目：项目（资金）过多：共51项，上限50项；请拆分为多个输入文件"),
    (
        "指标过多",
        _many_indicators,
        ":14: 项目[1].指标：指标过多：共305项，上限300项；请拆分为多个输入文件",
    ),
    (
        "整数位数过多",
        _huge_integer,
        ":4: 报告.年度：无法读取整数“20000000000000000000…”（共5001个字符，位数过多）",
    ),
    (
        "亿元金额过大",
        _amount_in_yuan_fine_but_in_yi_absurd,
        ":11: 项目[1].资金[1].预算数：金额过大：200000超过10万亿元，请检查数字和“报告.金额单位”",
    ),
]


@pytest.mark.parametrize(("name", "build", "expected"), BUILT, ids=[b[0] for b in BUILT])
def test_oversized_input_is_refused_with_its_field(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    build: Callable[[Path], None],
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    build(tmp_path / f"{name}.yaml")
    _assert_refused(run_cli, tmp_path, f"{name}.yaml", f"{name}.yaml{expected}")


def test_billion_laughs_is_refused_before_anything_is_expanded() -> None:
    """Refused from the node tree: the 200,000 items the message names are never built."""
    text = (BAD / "别名指数膨胀.yaml").read_text(encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="超过200000项"):
            load_yaml_text(text, "x.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A list of 200,000 references alone takes 1.6 MB; the refusal needs a few kB.
    assert peak < 1024 * 1024


def test_a_few_aliases_still_load() -> None:
    loaded = load_yaml_text("共用: &a {来源: 中央财政}\n其一: *a\n其二: *a\n", "x.yaml")
    assert loaded.data["其二"] == {"来源": "中央财政"}


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
    ],
    ids=["utf-8 BOM", "utf-16 BOM"],
)
def test_unambiguous_encodings_are_accepted(
    run_cli, tmp_path: Path, encode: Callable[[str], bytes]
) -> None:
    path = tmp_path / "输入.yaml"
    path.write_bytes(encode(VALID_TEXT))
    code, _, stderr = run_cli("check", str(path))
    assert code == 0, stderr


def test_every_bad_fixture_on_disk_has_an_expected_message() -> None:
    files = {p.stem for p in BAD.glob("*.yaml")}
    covered = {c[0] for c in CONTRACT_CASES} | {c[0] for c in CASES}
    assert files == covered


def test_a_tiny_target_gives_a_huge_completion_rate_not_a_crash(run_cli, tmp_path: Path) -> None:
    path = write_input(
        tmp_path / "极小指标值.yaml",
        VALID_TEXT,
        ('指标值: "≥40000人次"', '指标值: "≥0.' + "0" * 40 + '1人次"'),
    )
    code, _, stderr = run_cli(str(path), "-o", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "指标值设定可能偏低" in stderr
