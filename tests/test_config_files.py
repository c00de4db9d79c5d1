"""Rule sets and 措辞.yaml are read like inputs: bounded, every problem at once, each located.

The broken files live in tests/fixtures/config/<case>/, each a template folder as a user
would pass it to --templates; the tests run from tests/fixtures/config so messages show
the folder the way the user typed it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config.folder import check_data_files
from generator.config.rulesets import load_rule_set
from generator.config.search import shipped_templates_dir
from generator.config.wording import load_wording
from generator.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "fixtures" / "config"
INPUT = ROOT / "inputs" / "2024.yaml"

RULES = "rules/国家.yaml"
WORDING = "措辞.yaml"

#: The several-problems file: every line the user must see, in file order.
SEVERAL_PROBLEMS = [
    "多处错误/rules/国家.yaml:3: 反向指标计分：应为比例、线性之一，实际为“指数”",
    "多处错误/rules/国家.yaml:6: 定性评级.达成.下限：应为数字，实际为“高”",
    "多处错误/rules/国家.yaml:13: 定性评级.部分达成.缺省："
    "应落在该评级的区间内（60～80，不含上限），实际为“90”",
    "多处错误/rules/国家.yaml:14: 定性评级.不达成：未知的键“不达成”，是否应为“未达成”？"
    "（可用的键：达成、部分达成、未达成）",
    "多处错误/rules/国家.yaml:18: 等级：良、中的分数下限相同（均为80）；"
    "最低一档（差）的下限应为 0，否则低于10分的总分没有等级",
    "多处错误/rules/国家.yaml:23: 超额倍率：未知的键“超额倍率”，是否应为“超额倍数”？"
    "（可用的键：说明、反向指标计分、定性评级、等级、超额倍数、执行率指标、执行率含上年结转、"
    "分档计分）",
    "多处错误/rules/国家.yaml:25: 执行率指标[1]：应为文字，实际为“1”",
    "多处错误/rules/国家.yaml:26: 执行率含上年结转：应为 true 或 false，实际为“是”",
]

# (folder, file) → every problem of the file as printed, in file order.
BROKEN = [
    pytest.param("多处错误", RULES, SEVERAL_PROBLEMS, id="several-problems-in-one-rule-file"),
    pytest.param(
        "非有限数",
        RULES,
        [
            "非有限数/rules/国家.yaml:4: 定性评级.达成.缺省：应为数字，实际为“.inf”",
            "非有限数/rules/国家.yaml:5: 定性评级.部分达成.缺省：应为有限的数字，实际为“nan”",
            "非有限数/rules/国家.yaml:6: 定性评级.未达成.下限：应为数字，实际为“-.inf”",
            "非有限数/rules/国家.yaml:7: 等级.良：应为数字，实际为“.nan”",
            "非有限数/rules/国家.yaml:8: 超额倍数：应为数字，实际为“.NaN”",
        ],
        id="nan-and-infinity-are-not-numbers",
    ),
    pytest.param(
        "类型错误",
        RULES,
        [
            "类型错误/rules/国家.yaml:2: 说明：应为文字，实际为列表",
            "类型错误/rules/国家.yaml:5: 定性评级.达成：应为键值对（“键: 值”），实际为“80”",
            "类型错误/rules/国家.yaml:6: 定性评级.部分达成.含上限：应为 true 或 false，实际为“大概”",
            "类型错误/rules/国家.yaml:8: 等级：应为键值对（“键: 值”），实际为列表",
            "类型错误/rules/国家.yaml:9: 超额倍数：应为数字，实际为true",
            "类型错误/rules/国家.yaml:10: 执行率指标：应为列表（每项以“- ”开头），实际为“预算执行率”",
            "类型错误/rules/国家.yaml:11: 执行率含上年结转：应为 true 或 false，实际为“2024-01-01”",
        ],
        id="wrong-types",
    ),
    pytest.param(
        "分档错误",
        RULES,
        [
            "分档错误/rules/国家.yaml:9: 分档计分.取整：应为两位小数、整数之一，实际为“一位小数”",
            "分档错误/rules/国家.yaml:12: 分档计分.按类型.正向.档次："
            "第3档的完成率（95）应小于第2档（90），档次按完成率从高到低排列；"
            "第3档的得分比例（90）应不大于第2档（80），完成率越低得分不应越高",
            "分档错误/rules/国家.yaml:20: 分档计分.按类型.执行率.档次[2].得分比例："
            "应不大于100，实际为“120”",
            "分档错误/rules/国家.yaml:21: 分档计分.按类型.执行率.低于末档："
            "应为零分、按比例之一，实际为“不得分”",
            "分档错误/rules/国家.yaml:22: 分档计分.按类型.负向：未知的键“负向”，是否应为“正向”？"
            "（可用的键：正向、反向、区间、等于、执行率）",
            "分档错误/rules/国家.yaml:27: 分档计分.按指标.救助对象满意度.类型：缺少必填项",
            "分档错误/rules/国家.yaml:28: 分档计分.按指标.救助对象满意度.档次："
            "第1档的完成率应不大于100（实际为110），否则完成目标（完成率100%）的指标没有档次",
        ],
        id="every-problem-of-the-tier-tables",
    ),
    pytest.param(
        "措辞错误",
        WORDING,
        [
            "措辞错误/措辞.yaml:6: 类型.城乡居民医保.名称：未知的键“名称”，是否应为“全称”？"
            "（可用的键：全称、缺省提纲、资金用途）",
            "措辞错误/措辞.yaml:9: 类型.医疗求助：未知的键“医疗求助”，是否应为“医疗救助”？"
            "（可用的键：城乡居民医保、医疗救助、能力提升、扶贫济困）",
            "措辞错误/措辞.yaml:19: 类型.扶贫济困.缺省提纲："
            "应为转移支付、评价报告、项目支出之一，实际为“项目”",
            "措辞错误/措辞.yaml:31: 缺省叙述.其它：未知的键“其它”，是否应为“其他”？"
            "（可用的键：项目概况、职能职责、资金安排、资金管理、评价目的对象范围、评价方法和等次、"
            "指标体系、评价工作、总体完成、评价结论、项目决策、过程管理、存在问题、改进措施、结果应用、其他）",
        ],
        id="wording-misspelt-keys-get-suggestions",
    ),
    pytest.param(
        "嵌套过深",
        WORDING,
        ["嵌套过深/措辞.yaml:2: 嵌套层次过深（超过32层），数据文件只需要几层缩进"],
        id="deep-nesting-refused",
    ),
]

LOADERS: dict[str, Callable[[Path], object]] = {
    RULES: lambda folder: load_rule_set("国家", [folder]),
    WORDING: lambda folder: load_wording([folder]),
}


@pytest.fixture(autouse=True)
def _in_config_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CONFIG)


def _problems(folder: str, file: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        LOADERS[file](Path(folder))
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(("folder", "file", "expected"), BROKEN)
def test_every_problem_of_a_data_file_is_reported_with_file_line_and_key(
    folder: str, file: str, expected: list[str]
) -> None:
    assert _problems(folder, file) == expected


def test_alias_bomb_in_wording_is_refused_before_it_is_expanded() -> None:
    started = time.perf_counter()
    problems = _problems("措辞别名炸弹", WORDING)
    assert time.perf_counter() - started < 2
    assert problems == [
        "措辞别名炸弹/措辞.yaml:3: 展开锚点（&）和别名（*）后内容超过200000项，已拒绝；"
        "请直接写出内容，不要层层引用"
    ]


# What a user's data file may contain that is not YAML text at all.
UNREADABLE = [
    pytest.param(
        ("说明: " + "很长" * 150_000).encode(),
        "huge/rules/国家.yaml: 文件过大（879 KB），模板目录中的数据文件不能超过256 KB；"
        "请确认选对了文件",
        id="huge-file-refused-by-size",
    ),
    pytest.param(
        "反向指标计分: 比例\n".encode("gbk"),
        "huge/rules/国家.yaml:1: 文件是 GBK/GB18030 编码（Windows 记事本的“ANSI”），不是 UTF-8："
        "请在编辑器中“另存为”，编码选“UTF-8”后重试",
        id="gbk-text-refused-with-how-to-resave",
    ),
    pytest.param(
        b"# only comments\n\n",
        "huge/rules/国家.yaml:1: 文件为空，没有任何内容",
        id="empty-file",
    ),
    pytest.param(
        "等级: [优\n".encode(),
        "huge/rules/国家.yaml:1: YAML 语法错误：从这一行开始的方括号“[ ]”有误："
        "缺少“]”、两项之间缺少逗号，或其中的引号没有闭合；值中含有逗号、冒号或括号时，请给整个值加上引号",
        id="yaml-syntax-error-has-its-line",
    ),
]


@pytest.mark.parametrize(("content", "expected"), UNREADABLE)
def test_unreadable_rule_file_is_one_located_problem(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / "huge" / "rules").mkdir(parents=True)
    (tmp_path / "huge" / "rules" / "国家.yaml").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    assert _problems("huge", RULES) == [expected]


def test_shipped_data_files_have_no_problems() -> None:
    assert check_data_files(shipped_templates_dir()) == []


def test_generate_with_a_broken_rule_file_lists_its_problems_and_writes_nothing(
    run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(str(INPUT), "--templates", "多处错误", "-o", str(out))
    assert code == 1
    assert stderr.splitlines() == [*SEVERAL_PROBLEMS, "共 8 个错误，未生成任何文件。"]
    assert stdout == ""
    assert not out.exists()


def test_templates_check_lists_the_problems_of_every_data_file(
    run_cli: Callable[..., tuple[int, str, str]],
) -> None:
    code, stdout, stderr = run_cli("templates", "check", "多处错误")
    assert code == 1
    assert stderr.splitlines() == SEVERAL_PROBLEMS
    assert stdout.strip() == "检查了 0 个模板：8 个错误，0 个警告。"


def test_templates_check_lists_the_problems_of_the_tier_tables(
    run_cli: Callable[..., tuple[int, str, str]],
) -> None:
    code, stdout, stderr = run_cli("templates", "check", "分档错误")
    assert code == 1
    assert len(stderr.splitlines()) == 7
    assert all(line.startswith("分档错误/rules/国家.yaml:") for line in stderr.splitlines())
    assert stdout.strip() == "检查了 0 个模板：7 个错误，0 个警告。"
