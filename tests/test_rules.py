"""Rule sets are data: the shipped files load, bad files fail with Chinese messages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.config.rulesets import available_rule_sets, load_rule_set
from generator.core.rules import Band, RuleSet, Tier, TierTable, grade_for
from generator.errors import ConfigError

D = Decimal
SHIPPED = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture(scope="module")
def national() -> RuleSet:
    return load_rule_set("国家", [SHIPPED])


@pytest.fixture(scope="module")
def linear() -> RuleSet:
    return load_rule_set("示例省线性", [SHIPPED])


@pytest.fixture(scope="module")
def tiered() -> RuleSet:
    return load_rule_set("示例省分档", [SHIPPED])


def _table(kind: str, below: str, *rows: tuple[str, str]) -> TierTable:
    return TierTable(kind, tuple(Tier(D(t) / 100, D(s) / 100) for t, s in rows), below)


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
def test_proportional_scoring_is_the_default_without_tiers(name: str) -> None:
    rules = load_rule_set(name, [SHIPPED])
    assert dict(rules.kind_tiers) == {}
    assert dict(rules.named_tiers) == {}
    assert rules.tier_places == 2


def test_tiered_example_scores_execution_rate_and_upward_targets_by_tiers(
    tiered: RuleSet, national: RuleSet
) -> None:
    assert dict(tiered.kind_tiers) == {
        "正向": _table("正向", "零分", ("100", "100"), ("95", "85"), ("90", "70"), ("80", "50")),
        "执行率": _table(
            "执行率", "零分", ("100", "100"), ("95", "90"), ("90", "80"), ("80", "60")
        ),
    }
    assert dict(tiered.named_tiers) == {}
    assert tiered.tier_places == 0
    # Everything else is the national rule set.
    assert tiered.bands == national.bands
    assert tiered.grades == national.grades
    assert tiered.reverse_mode == national.reverse_mode


def test_tiered_example_documents_every_tier_key_in_a_comment() -> None:
    text = (SHIPPED / "rules" / "示例省分档.yaml").read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    tiering = yaml.safe_load(text)["分档计分"]
    keys = [*tiering, *tiering["按类型"], "按指标", "类型"]
    keys += [key for table in tiering["按类型"].values() for key in table]
    keys += [key for table in tiering["按类型"].values() for tier in table["档次"] for key in tier]
    for value in ("正向", "反向", "区间", "等于", "执行率", "零分", "按比例", "两位小数", "整数"):
        keys.append(value)
    for key in keys:
        assert key in comments, f"示例省分档.yaml 中“{key}”没有注释"


@pytest.mark.parametrize("name", ["国家", "示例省线性", "示例省分档"])
def test_shipped_rule_file_documents_every_key_in_a_comment(name: str) -> None:
    text = (SHIPPED / "rules" / f"{name}.yaml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    data = yaml.safe_load(text)
    keys = list(data) + [f"{k}" for band in data["定性评级"].values() for k in band]
    for key in keys:
        assert any(key in line for line in comments), f"{name}.yaml 中“{key}”没有注释"


def test_available_rule_sets_lists_shipped_files() -> None:
    assert available_rule_sets([SHIPPED]) == ["国家", "示例省分档", "示例省线性"]


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
    assert str(caught.value) == f"未知的评分规则“{name}”，可用：国家、示例省分档、示例省线性"


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
    assert available_rule_sets([tmp_path, SHIPPED]) == ["国家", "示例省分档", "示例省线性"]


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
        "定性评级、等级、超额倍数、执行率指标、执行率含上年结转、分档计分）",
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


def _tiered_text() -> str:
    return (SHIPPED / "rules" / "示例省分档.yaml").read_text(encoding="utf-8")


#: A named table placed before 按类型 in the tiered example.
def _named(name: str, kind: str | None, tiers: str = "[{完成率: 100, 得分比例: 100}]") -> str:
    kind_line = "" if kind is None else f"      类型: {kind}\n"
    return (
        f"  按指标:\n    {name}:\n{kind_line}      档次: {tiers}\n      低于末档: 按比例\n"
        "  按类型:\n"
    )


def test_named_indicator_tiers_load_with_their_kind(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    text = _tiered_text().replace(
        "  按类型:\n",
        _named(
            "救助对象满意度", "正向", "[{完成率: 100, 得分比例: 100}, {完成率: 95, 得分比例: 50}]"
        ),
        1,
    )
    (tmp_path / "rules" / "省.yaml").write_text(text, encoding="utf-8")
    rules = load_rule_set("省", [tmp_path])
    assert dict(rules.named_tiers) == {
        "救助对象满意度": _table("正向", "按比例", ("100", "100"), ("95", "50"))
    }
    assert set(rules.kind_tiers) == {"正向", "执行率"}


def test_rounding_defaults_to_two_places(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    text = _tiered_text().replace("  取整: 整数\n", "", 1)
    (tmp_path / "rules" / "省.yaml").write_text(text, encoding="utf-8")
    assert load_rule_set("省", [tmp_path]).tier_places == 2


_TIERS = "分档计分.按类型.执行率.档次"

# (replace this, with that) in the tiered example → the one problem it causes.
MALFORMED_TIERS = [
    pytest.param(
        ("{完成率: 95, 得分比例: 90}", "{完成率: 100, 得分比例: 90}"),
        f"{_TIERS}：第2档的完成率（100）应小于第1档（100），档次按完成率从高到低排列",
        id="thresholds-must-strictly-descend",
    ),
    pytest.param(
        ("{完成率: 90, 得分比例: 80}", "{完成率: 96, 得分比例: 80}"),
        f"{_TIERS}：第3档的完成率（96）应小于第2档（95），档次按完成率从高到低排列",
        id="thresholds-out-of-order",
    ),
    pytest.param(
        ("{完成率: 100, 得分比例: 100}", "{完成率: 105, 得分比例: 100}"),
        f"{_TIERS}：第1档的完成率应不大于100（实际为105），否则完成目标（完成率100%）的指标没有档次",
        id="first-threshold-above-100-leaves-met-targets-without-a-tier",
    ),
    pytest.param(
        ("{完成率: 100, 得分比例: 100}", "{完成率: 100, 得分比例: 95}"),
        f"{_TIERS}：第1档的得分比例应为100（实际为95），完成目标的指标得满分",
        id="first-tier-must-be-full-marks",
    ),
    pytest.param(
        ("{完成率: 90, 得分比例: 80}", "{完成率: 90, 得分比例: 95}"),
        f"{_TIERS}：第3档的得分比例（95）应不大于第2档（90），完成率越低得分不应越高",
        id="lower-completion-never-scores-more",
    ),
    pytest.param(
        ("{完成率: 95, 得分比例: 90}", "{完成率: 95, 得分比例: 190}"),
        f"{_TIERS}[2].得分比例：应不大于100，实际为“190”",
        id="share-above-100",
    ),
    pytest.param(
        ("{完成率: 80, 得分比例: 60}", "{完成率: -5, 得分比例: 60}"),
        f"{_TIERS}[4].完成率：应不小于0，实际为“-5”",
        id="negative-threshold",
    ),
    pytest.param(
        ("{完成率: 80, 得分比例: 60}", "{完成率: 80, 得分: 60}"),
        f"{_TIERS}[4].得分：未知的键“得分”，是否应为“得分比例”？（可用的键：完成率、得分比例）",
        id="misspelt-share-key",
    ),
    pytest.param(
        ("      低于末档: 零分", "      低于末档: 不得分"),
        "分档计分.按类型.执行率.低于末档：应为零分、按比例之一，实际为“不得分”",
        id="below-last-tier-mode-unknown",
    ),
    pytest.param(
        ("      低于末档: 零分\n", ""),
        "分档计分.按类型.执行率.低于末档：缺少必填项",
        id="below-last-tier-must-be-said",
    ),
    pytest.param(
        ("  取整: 整数", "  取整: 一位小数"),
        "分档计分.取整：应为两位小数、整数之一，实际为“一位小数”",
        id="rounding-unknown",
    ),
    pytest.param(
        ("    正向:\n", "    正向指标:\n"),
        "分档计分.按类型.正向指标：未知的键“正向指标”，是否应为“正向”？"
        "（可用的键：正向、反向、区间、等于、执行率）",
        id="unknown-kind",
    ),
    pytest.param(
        ("  按类型:\n", _named("救助对象满意度", None)),
        "分档计分.按指标.救助对象满意度.类型：缺少必填项",
        id="named-table-must-say-its-kind",
    ),
    pytest.param(
        ("  按类型:\n", _named("救助对象满意度", "满意度")),
        "分档计分.按指标.救助对象满意度.类型：应为正向、反向、区间、等于、执行率之一，实际为“满意度”",
        id="named-table-kind-unknown",
    ),
    pytest.param(
        ("  按类型:\n", _named("救助对象满意度", "执行率")),
        "分档计分：按指标.救助对象满意度的类型为“执行率”，但“救助对象满意度”不在执行率指标中，"
        "这张分档表不会被使用",
        id="named-execution-rate-table-for-another-indicator",
    ),
    pytest.param(
        ("  按类型:\n", _named("预算执行率", "正向")),
        "分档计分：按指标.预算执行率在执行率指标中，按执行率计分，类型应为“执行率”，实际为“正向”",
        id="named-execution-rate-indicator-with-another-kind",
    ),
    pytest.param(
        ("  按类型:\n", _named("救助对象满意度", "正向", "[]")),
        "分档计分.按指标.救助对象满意度.档次：至少需要一项",
        id="empty-tier-list",
    ),
]


@pytest.mark.parametrize(("change", "message"), MALFORMED_TIERS)
def test_malformed_tier_table_gives_one_located_chinese_problem(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    (tmp_path / "rules").mkdir()
    old, new = change
    text = _tiered_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path = tmp_path / "rules" / "坏.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rule_set("坏", [tmp_path])
    [problem] = caught.value.problems
    assert problem.location.file == str(path)
    assert problem.location.line > 0
    assert str(problem).endswith(f" {message}")


def test_tiering_without_any_table_is_refused(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "rules" / "坏.yaml"
    path.write_text(_national_text() + "分档计分:\n  取整: 整数\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rule_set("坏", [tmp_path])
    [problem] = caught.value.problems
    assert str(problem).endswith(
        " 分档计分：至少需要一张分档表（按类型或按指标）；不分档时请删去“分档计分”"
    )


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
