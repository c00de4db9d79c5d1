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
    ("text", "message"),
    [
        (
            "类型: 医疗救助\n指标:\n  - {一级: 产出指标, 二级: 数量指标, 名称: 甲, 分值: 90, 指标值: '1'}\n",
            "医疗救助/指标体系.yaml：各指标分值合计应为100，实际为90",
        ),
        (
            "类型: 能力提升\n指标:\n  - {一级: 产出指标, 二级: 数量指标, 名称: 甲, 分值: 100, 指标值: '1'}\n",
            "医疗救助/指标体系.yaml：类型应为“医疗救助”，实际为“能力提升”",
        ),
    ],
    ids=["weights not 100", "wrong type"],
)
def test_a_broken_user_system_is_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    own = tmp_path / "医疗救助"
    own.mkdir()
    (own / "指标体系.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_system("医疗救助", template_dirs(tmp_path))
    assert str(caught.value) == message
