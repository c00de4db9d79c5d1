"""Rule sets are data: the shipped files load, bad files fail with Chinese messages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.config.rulesets import available_rule_sets, load_rule_set
from generator.core.rules import Band, RuleSet, grade_for
from generator.errors import ConfigError

D = Decimal
SHIPPED = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture(scope="module")
def national() -> RuleSet:
    return load_rule_set("国家", [SHIPPED])


@pytest.fixture(scope="module")
def linear() -> RuleSet:
    return load_rule_set("示例省线性", [SHIPPED])


def test_national_rule_set_matches_domain_rules(national: RuleSet) -> None:
    assert national.name == "国家"
    assert national.reverse_mode == "比例"
    assert dict(national.bands) == {
        "达成": Band("达成", D("0.8"), D(1), True, D(1)),
        "部分达成": Band("部分达成", D("0.6"), D("0.8"), False, D("0.7")),
        "未达成": Band("未达成", D(0), D("0.6"), False, D("0.3")),
    }
    assert national.grades == (("优", D(90)), ("良", D(80)), ("中", D(60)), ("差", D(0)))
    assert national.overachievement_factor == D("1.5")
    assert national.execution_rate_names == ("预算执行率",)
    assert national.carryover_in_denominator is True


def test_linear_variant_differs_only_by_data(linear: RuleSet, national: RuleSet) -> None:
    assert linear.reverse_mode == "线性"
    assert linear.bands["达成"].low == D("0.8")
    assert linear.bands["部分达成"].low == D("0.5")
    assert linear.bands["部分达成"].high == D("0.8")
    assert linear.bands["未达成"].high == D("0.5")
    assert linear.grades == national.grades


@pytest.mark.parametrize("name", ["国家", "示例省线性"])
def test_shipped_rule_file_documents_every_key_in_a_comment(name: str) -> None:
    text = (SHIPPED / "rules" / f"{name}.yaml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    data = yaml.safe_load(text)
    keys = list(data) + [f"{k}" for band in data["定性评级"].values() for k in band]
    for key in keys:
        assert any(key in line for line in comments), f"{name}.yaml 中“{key}”没有注释"


def test_available_rule_sets_lists_shipped_files() -> None:
    assert available_rule_sets([SHIPPED]) == ["国家", "示例省线性"]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("江苏", id="unknown-name"),
        pytest.param("../rules/国家", id="path-traversal-is-unknown"),
        pytest.param("", id="empty-name"),
    ],
)
def test_unknown_rule_set_lists_the_available_ones(name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_rule_set(name, [SHIPPED])
    assert str(caught.value) == f"未知的评分规则“{name}”，可用：国家、示例省线性"


def test_unknown_rule_set_without_any_directory() -> None:
    with pytest.raises(ConfigError, match="可用：无"):
        load_rule_set("国家", [])


def _national_text() -> str:
    return (SHIPPED / "rules" / "国家.yaml").read_text(encoding="utf-8")


def test_first_directory_wins_so_users_can_override(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    override = _national_text().replace("反向指标计分: 比例", "反向指标计分: 线性")
    (tmp_path / "rules" / "国家.yaml").write_text(override, encoding="utf-8")
    assert load_rule_set("国家", [tmp_path, SHIPPED]).reverse_mode == "线性"
    assert load_rule_set("国家", [SHIPPED, tmp_path]).reverse_mode == "比例"
    assert available_rule_sets([tmp_path, SHIPPED]) == ["国家", "示例省线性"]


def test_numbers_become_exact_decimals_not_floats(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    text = _national_text().replace("超额倍数: 1.5", "超额倍数: 1.1")
    (tmp_path / "rules" / "省.yaml").write_text(text, encoding="utf-8")
    factor = load_rule_set("省", [tmp_path]).overachievement_factor
    assert isinstance(factor, Decimal)
    assert factor == D("1.1")


def test_optional_keys_take_defaults(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "简.yaml").write_text(
        "反向指标计分: 比例\n"
        "定性评级:\n"
        "  达成: {下限: 80, 上限: 100, 含上限: true, 缺省: 100}\n"
        "  部分达成: {下限: 60, 上限: 80, 缺省: 70}\n"
        "  未达成: {下限: 0, 上限: 60, 缺省: 30}\n"
        "等级: {合格: 60, 不合格: 0}\n",
        encoding="utf-8",
    )
    rules = load_rule_set("简", [tmp_path])
    assert rules.description == ""
    assert rules.overachievement_factor == D("1.5")
    assert rules.execution_rate_names == ("预算执行率",)
    assert rules.carryover_in_denominator is True
    assert rules.grades == (("合格", D(60)), ("不合格", D(0)))


# (replace this, with that) in the national file → the one problem it causes, as
# "字段：说明" (tests/test_config_files.py checks whole files, lines included).
MALFORMED = [
    pytest.param(
        ("等级:", "等级: [优"),
        "YAML 语法错误：从这一行开始的方括号“[ ]”有误：缺少“]”、两项之间缺少逗号，或其中的引号没有闭合；"
        "值中含有逗号、冒号或括号时，请给整个值加上引号",
        id="invalid-yaml",
    ),
    pytest.param(None, "应为键值对（“键: 值”），实际为列表", id="top-level-not-a-mapping"),
    pytest.param(
        ("超额倍数: 1.5", "超额倍率: 1.5"),
        "超额倍率：未知的键“超额倍率”，是否应为“超额倍数”？（可用的键：说明、反向指标计分、"
        "定性评级、等级、超额倍数、执行率指标、执行率含上年结转）",
        id="unknown-key",
    ),
    pytest.param(("反向指标计分: 比例", ""), "反向指标计分：缺少必填项", id="missing-required-key"),
    pytest.param(
        ("反向指标计分: 比例", "反向指标计分: 指数"),
        "反向指标计分：应为比例、线性之一，实际为“指数”",
        id="bad-reverse-mode",
    ),
    pytest.param(
        ("超额倍数: 1.5", "超额倍数: 很多"), "超额倍数：应为数字，实际为“很多”", id="number-is-text"
    ),
    pytest.param(
        ("超额倍数: 1.5", "超额倍数: true"),
        "超额倍数：应为数字，实际为true",
        id="bool-is-not-number",
    ),
    pytest.param(
        ("超额倍数: 1.5", "超额倍数: 0.5"),
        "超额倍数：应不小于1，实际为“0.5”",
        id="factor-below-one",
    ),
    pytest.param(
        ("执行率含上年结转: true", "执行率含上年结转: 是"),
        "执行率含上年结转：应为 true 或 false，实际为“是”",
        id="carryover-not-bool",
    ),
    pytest.param(
        ("  - 预算执行率", "  - 1"), "执行率指标[1]：应为文字，实际为“1”", id="names-not-text"
    ),
    pytest.param(
        ("  未达成:", "  不达成:"),
        "定性评级.不达成：未知的键“不达成”，是否应为“未达成”？（可用的键：达成、部分达成、未达成）",
        id="rating-misspelt",
    ),
    pytest.param(
        ("    缺省: 70", "    缺省: 90"),
        "定性评级.部分达成.缺省：应落在该评级的区间内（60～80，不含上限），实际为“90”",
        id="default-outside-band",
    ),
    pytest.param(
        ("    缺省: 100", "    缺省: 100\n    默认: 100"),
        "定性评级.达成.默认：未知的键“默认”（可用的键：下限、上限、含上限、缺省）",
        id="unknown-band-key",
    ),
    pytest.param(
        ("    缺省: 100", "    默认: 100"),
        "定性评级.达成.默认：未知的键“默认”，是否应为“缺省”？（可用的键：下限、上限、含上限、缺省）",
        id="misspelt-band-key-names-the-missing-one",
    ),
    pytest.param(
        ("    下限: 60\n", "    下限: 65\n"),
        "定性评级：三档区间应首尾相接、互不重叠，覆盖 0～100，最高一档含上限："
        "未达成的上限（60）应等于部分达成的下限（65）",
        id="gap-between-bands",
    ),
    pytest.param(
        ("    上限: 60\n", "    上限: 70\n"),
        "定性评级：三档区间应首尾相接、互不重叠，覆盖 0～100，最高一档含上限："
        "未达成的上限（70）应等于部分达成的下限（60）",
        id="overlapping-bands",
    ),
    pytest.param(
        ("    含上限: true\n    缺省: 100", "    含上限: false\n    缺省: 90"),
        "定性评级：三档区间应首尾相接、互不重叠，覆盖 0～100，最高一档含上限："
        "最高一档（达成）应含上限（含上限: true），否则满分没有评级",
        id="top-band-excludes-100",
    ),
    pytest.param(
        ("    含上限: false\n    缺省: 70", "    含上限: true\n    缺省: 70"),
        "定性评级：三档区间应首尾相接、互不重叠，覆盖 0～100，最高一档含上限："
        "部分达成不是最高一档，不应含上限（80属于达成）",
        id="two-bands-share-a-bound",
    ),
    pytest.param(
        ("    下限: 80\n", "    下限: 120\n"),
        "定性评级.达成.下限：应不大于100，实际为“120”",
        id="band-bound-over-100",
    ),
    pytest.param(
        ("    上限: 80\n", "    上限: 60\n"),
        "定性评级.部分达成.上限：应大于下限（60），实际为“60”",
        id="band-upper-not-above-lower",
    ),
    pytest.param(
        ("  差: 0", "  差: 50"),
        "等级：最低一档（差）的下限应为 0，否则低于50分的总分没有等级",
        id="grades-leave-low-scores-ungraded",
    ),
    pytest.param(
        ("  中: 60", "  中: 80"), "等级：良、中的分数下限相同（均为80）", id="two-grades-same-bound"
    ),
    pytest.param(
        ("  优: 90", "  优: 190"), "等级.优：应不大于100，实际为“190”", id="grade-bound-over-100"
    ),
    pytest.param(
        ("  优: 90\n  良: 80\n  中: 60\n  差: 0", "  {}"), "等级：至少需要一项", id="no-grades"
    ),
]


@pytest.mark.parametrize(("change", "message"), MALFORMED)
def test_malformed_rule_file_gives_one_located_chinese_problem(
    tmp_path: Path, change: tuple[str, str] | None, message: str
) -> None:
    (tmp_path / "rules").mkdir()
    text = _national_text()
    if change is None:
        text = "- 国家\n- 省\n"
    else:
        old, new = change
        assert old in text, f"fixture no longer contains {old!r}"
        text = text.replace(old, new, 1)
    path = tmp_path / "rules" / "坏.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rule_set("坏", [tmp_path])
    [problem] = caught.value.problems
    assert problem.location.file == str(path)
    assert problem.location.line > 0
    assert str(problem).endswith(f" {message}")


def test_rule_file_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "旧.yaml").write_bytes("反向指标计分: 比例".encode("gbk"))
    with pytest.raises(ConfigError, match=r"另存为.*UTF-8"):
        load_rule_set("旧", [tmp_path])


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        pytest.param("100", "优", id="100-is-优"),
        pytest.param("90", "优", id="90-is-优"),
        pytest.param("89.99", "良", id="89.99-is-良"),
        pytest.param("89.995", "优", id="89.995-prints-as-90-so-优"),
        pytest.param("89.994", "良", id="89.994-prints-as-89.99-so-良"),
        pytest.param("80", "良", id="80-is-良"),
        pytest.param("79.99", "中", id="79.99-is-中"),
        pytest.param("60", "中", id="60-is-中"),
        pytest.param("59.99", "差", id="59.99-is-差"),
        pytest.param("0", "差", id="0-is-差"),
    ],
)
def test_grade_bounds_have_no_holes(national: RuleSet, total: str, grade: str) -> None:
    assert grade_for(D(total), national) == grade
