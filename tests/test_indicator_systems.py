"""Each fund type ships a default indicator system that is valid input data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.config.indicator_systems import load_system
from generator.config.search import template_dirs
from generator.core.quantities import parse_target
from generator.core.vocabulary import FUND_TYPES
from generator.errors import ConfigError
from generator.inputs.models import Indicator


@pytest.mark.parametrize("fund_type", FUND_TYPES)
def test_default_system_weights_sum_to_100(fund_type: str) -> None:
    system = load_system(fund_type, template_dirs())
    assert system.total == Decimal(100)


@pytest.mark.parametrize("fund_type", FUND_TYPES)
def test_every_default_indicator_is_a_valid_contract_indicator(fund_type: str) -> None:
    system = load_system(fund_type, template_dirs())
    for item in system.indicators:
        data = item.contract()
        target = parse_target(data["指标值"])
        if target.is_qualitative:
            data["评级"] = "达成"
        elif "完成值" not in data:
            data["完成值"] = data["指标值"].lstrip("≥≤<>=")
        Indicator.model_validate(data)
        assert item.level2 or item.level1 == "预算执行", item.name


@pytest.mark.parametrize("fund_type", FUND_TYPES)
def test_default_system_says_it_is_a_default_to_adjust(fund_type: str) -> None:
    text = (template_dirs()[0] / fund_type / "指标体系.yaml").read_text(encoding="utf-8")
    assert "缺省值" in text
    assert "按本省" in text or "按本地" in text


def test_a_user_copy_overrides_the_shipped_system(tmp_path: Path) -> None:
    own = tmp_path / "医疗救助"
    own.mkdir()
    (own / "指标体系.yaml").write_text(
        "类型: 医疗救助\n指标:\n  - {一级: 产出指标, 二级: 数量指标, 名称: 救助人次, 分值: 100, "
        "指标值: ≥1人次}\n",
        encoding="utf-8",
    )
    system = load_system("医疗救助", template_dirs(tmp_path))
    assert [i.name for i in system.indicators] == ["救助人次"]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        pytest.param(
            "类型: 医疗救助\n指标:\n  - {一级: 产出指标, 二级: 数量指标, 名称: 甲, 分值: 90, 指标值: '1'}\n",
            [":2: 指标：各指标分值合计应为100，实际为90"],
            id="weights-not-100",
        ),
        pytest.param(
            "类型: 能力提升\n指标:\n  - {一级: 产出指标, 二级: 数量指标, 名称: 甲, 分值: 100, 指标值: '1'}\n",
            [":1: 类型：应为“医疗救助”（与所在文件夹同名），实际为“能力提升”"],
            id="wrong-type",
        ),
        pytest.param(
            "类型: 医疗救助\n指标:\n  - {一级: 产出指标, 名称: 甲, 分值: 十, 指标值: '1', 权重: 1}\n"
            "  - {一级: 产出指标, 名称: 乙, 分值: .nan, 指标值: [1]}\n",
            [
                ":3: 指标[1].分值：应为数字，实际为“十”",
                ":3: 指标[1].权重：未知的键“权重”（可用的键：一级、二级、名称、分值、指标值、完成值、提示）",
                ":4: 指标[2].分值：应为数字，实际为“.nan”",
                ":4: 指标[2].指标值：应为文字，实际为列表",
            ],
            id="every-field-problem-at-once",
        ),
    ],
)
def test_a_broken_user_system_lists_every_problem_with_its_line(
    tmp_path: Path, text: str, problems: list[str]
) -> None:
    own = tmp_path / "医疗救助"
    own.mkdir()
    path = own / "指标体系.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_system("医疗救助", template_dirs(tmp_path))
    assert [str(p) for p in caught.value.problems] == [f"{path}{p}" for p in problems]


def test_a_missing_system_names_the_file_it_looked_for(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_system("医疗救助", [tmp_path])
    assert str(caught.value) == "没有“医疗救助”的缺省指标体系（医疗救助/指标体系.yaml）"
    assert caught.value.problems == []
