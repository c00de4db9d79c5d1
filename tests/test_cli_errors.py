"""Bad input: one exact Chinese line per problem, exit code 1, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import FIXTURES, VALID_TEXT, assert_refused, command_args, write_input

BAD = FIXTURES / "bad"

# (fixture, expected first line after "<file>:")
CASES = [
    (
        "yaml语法错误",
        "11: YAML 语法错误：从这一行开始的花括号“{ }”有误：缺少“}”、"
        "两项之间缺少逗号，或其中的引号没有闭合；值中含有逗号、冒号或括号时，请给整个值加上引号",
    ),
    ("缺少年度", "2: 报告.年度：缺少必填项"),
    ("分值不是数字", "16: 项目[1].指标[2].分值：应为数字，实际为“四十”"),
    ("分值合计不是100", "14: 项目[1].指标：各指标分值合计应为100，实际为95"),
    (
        "未知类型",
        "9: 项目[1].类型：应为城乡居民医保、医疗救助、能力提升、扶贫济困之一，实际为“医疗补助”",
    ),
    (
        "未知键",
        "18: 项目[1].指标[4].分数：未知的键“分数”，是否应为“分值”？（可用的键：一级、二级、名称、"
        "分值、指标值、完成值、评级、得分、评分说明、偏差原因、改进措施、说明、上年完成值、不适用、"
        "指标类型）",
    ),
    (
        "单位不一致",
        "16: 项目[1].指标[2].完成值：单位与指标值不一致：指标值“≥40000人次”读作“≥40000”，"
        "单位“人次”，完成值“53733人”的单位为“人”",
    ),
    (
        "未完成缺偏差原因",
        "19: 项目[1].指标[5].偏差原因：未完成目标（指标值“≥90%”，完成值“86%”），须填写偏差原因",
    ),
    (
        "调整得分缺评分说明",
        "19: 项目[1].指标[5].评分说明：手工得分8与按规则计算的得分10不同，须写明评分说明",
    ),
    (
        "定性缺评级",
        "18: 项目[1].指标[4].评级：定性指标（指标值“有效减轻”）须填写评级：达成、部分达成或未达成",
    ),
    ("得分超过分值", "19: 项目[1].指标[5].得分：得分12超过分值10"),
    (
        "未知占位符",
        "21: 项目[1].叙述.存在问题：未知的占位符 {{ 到位比例 }}（此处可用：单位、地区、自称、年度、"
        "上年度、类型、名称、资金用途、预算合计、到位合计、执行合计、到位率、执行率、结余、总分、等级）",
    ),
    (
        "自评得分不一致",
        "13: 项目[1].自评得分：填写的自评得分100分与按指标计算的总分99.33分不一致；"
        "请核对各指标得分，或删除“自评得分”",
    ),
    (
        "完成值无法识别",
        "19: 项目[1].指标[5].完成值：无法识别“大于九成”：完成值应为数字或数字加单位"
        "（如 53733人次、96.57%）",
    ),
    ("重复键", "8: 报告.年度：键“年度”重复出现（第一次在第4行）；请只保留一个"),
    ("金额单位无效", "7: 报告.金额单位：应为元、万元、亿元之一，实际为“千元”"),
    (
        "自动用于非比率指标",
        "16: 项目[1].指标[2].完成值：“自动”只能用于名称含“执行率”或“到位率”的指标，"
        "且资金预算数不能为0",
    ),
    ("负数金额", "11: 项目[1].资金[1].预算数：应不小于0，实际为“-1000”"),
    ("年度超出范围", "4: 报告.年度：应不大于2100，实际为“3000”"),
    ("未知评分规则", "8: 报告.评分规则：未知的评分规则“火星”，可用：国家、示例省分档、示例省线性"),
    (
        "定性得分超出评级区间",
        "18: 项目[1].指标[4].得分：评级“部分达成”的得分应在12～16分之间，实际为19",
    ),
    (
        "缺少完成值",
        "17: 项目[1].指标[3].完成值：缺少完成值：指标值“100%”读作“=100”，单位“%”，是定量指标，"
        "须填写完成值（不适用的指标请写“不适用: true”）",
    ),
    (
        "缺少二级",
        "17: 项目[1].指标[3].二级：缺少必填项（除“预算执行”外，每个指标都须填写二级指标）",
    ),
    ("制表符缩进", "3: YAML 语法错误：含有制表符（Tab），请改用空格缩进"),
    ("空文件", "1: 文件为空：至少需要“报告”和“项目”两部分"),
    # Careless and hostile text (issue 13): what a person typed, read as typed.
    (
        "列表项缩进不对",
        "17: YAML 语法错误：列表项“- ”的缩进不对：同一列表的各个“- ”应上下对齐，"
        "并比所属的键多缩进；请检查这一行和上一项的行首空格",
    ),
    (
        "第二个文档",
        "22: YAML 语法错误：出现了第二个文档分隔线“---”：一个文件只能有一份内容；"
        "请删除这一行（两份内容请分别保存为两个文件）",
    ),
    (
        "引号未闭合",
        "6: YAML 语法错误：从这一行开始的引号没有闭合：请在这段文字末尾补上同样的引号"
        "（文字中本身有这种引号时，改用另一种引号括起整段）",
    ),
    (
        "单位含从右到左覆盖",
        "3: 报告.单位：第6个字符是U+202E（从右到左覆盖，一种文字方向控制符，"
        "会使显示的文字顺序与实际内容不同）；请删除该字符（常见于从网页或其他软件复制的文字）",
    ),
    (
        "键含零宽空格",
        "4: 报告.年<U+200B>度：键“年<U+200B>度”的第2个字符是U+200B（零宽空格）；"
        "请删除该字符（常见于从网页或其他软件复制的文字）",
    ),
    (
        "值含行分隔符",
        "13: 这一行第20个字符是U+2028（行分隔符，Word 和 YAML 把它当作换行，编辑器却不显示）；"
        "请删除该字符（常见于从网页或其他软件复制的文字）",
    ),
    (
        "总体目标含占位符",
        "13: 项目[1].总体目标：“{{ 到位率 }}”是占位符，但“总体目标”中的占位符不会被替换，"
        "会原样印在报告中：占位符只能用在“叙述”各栏目和指标的“说明”中（见 docs/占位符.md）；"
        "请在此处写出实际的文字和数字",
    ),
    ("预算数是十六进制", "11: 项目[1].资金[1].预算数：应为数字，实际为“0x3E8”"),
    ("成文日期是数字", "5: 报告.成文日期：应为日期（如 2025-02-20），实际为数字“0”"),
    (
        "GBK编码",
        "1: 文件是 GBK/GB18030 编码（Windows 记事本的“ANSI”），不是 UTF-8："
        "请在编辑器中“另存为”，编码选“UTF-8”后重试",
    ),
]


@pytest.mark.parametrize(("fixture", "expected"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["generate", "check"])
def test_bad_input_gives_one_located_chinese_line_exit_1_and_writes_nothing(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fixture: str,
    expected: str,
    command: str,
) -> None:
    monkeypatch.chdir(BAD)
    out = tmp_path / "out"
    args = command_args(command, f"{fixture}.yaml", str(out))
    assert_refused(run_cli(*args), f"{fixture}.yaml:{expected}", out=out, errors=1)


def test_every_problem_is_reported_at_once(run_cli, tmp_path: Path) -> None:
    bad = write_input(
        tmp_path / "多处错误.yaml",
        VALID_TEXT,
        ("分值: 40,", "分值: 四十,"),
        ("类型: 医疗救助", "类型: 医疗补助"),
        ("金额单位: 万元", "金额单位: 千元"),
    )
    code, _, stderr = run_cli("check", str(bad))
    assert code == 1
    assert stderr.count(str(bad)) == 3
    assert stderr.splitlines()[-1] == "共 3 个错误，未生成任何文件。"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("不存在.yaml", "不存在.yaml: 文件不存在"),
        (".", ".: 目录中没有输入文件（.yaml、.yml、.xlsm、.xlsx）"),
    ],
    ids=["missing file", "directory without inputs"],
)
def test_missing_file_or_directory_is_a_clear_error(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, target: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run_cli(target, "-o", "out")
    assert code == 1
    assert stderr.splitlines()[0] == message
    assert not (tmp_path / "out").exists()


def test_usage_error_exits_2(run_cli) -> None:
    code, _, _ = run_cli("generate")
    assert code == 2


def test_narrative_the_outline_never_prints_is_a_warning_and_strict_makes_it_fail(
    run_cli, tmp_path: Path
) -> None:
    path = write_input(
        tmp_path / "多余栏目.yaml", VALID_TEXT + "      结果应用: 自评结果将在县政府网站公开。\n"
    )
    line = len(VALID_TEXT.splitlines()) + 1  # the line appended above
    warning = (
        f"警告：{path}:{line}: 项目[1].叙述.结果应用：提纲“评价报告”的模板不使用栏目“结果应用”，"
        "这段文字不会出现在报告中，改用该提纲使用的栏目，或改用其他提纲"
    )
    code, _, stderr = run_cli("generate", str(path), "-o", str(tmp_path / "out"))
    assert code == 0
    assert stderr.splitlines() == [warning]
    code, _, stderr = run_cli("generate", str(path), "-o", str(tmp_path / "strict"), "--strict")
    assert code == 1
    assert "（--strict：警告按错误处理）" in stderr
    assert not (tmp_path / "strict").exists()
