"""Default indicator systems per fund type, as data (templates/<类型>/指标体系.yaml).

Provinces set their own indicators and weights each year, so these are only
starting points for ``genreport new`` and the fill-in workbook: a file to copy
into the user's template directory and adjust, never code.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from generator.config.datafile import DataModel, read_data_file, validate_data
from generator.config.search import find_data_file, indicator_system_file
from generator.errors import ConfigError, Problem
from generator.inputs.models import FundType

__all__ = ["DefaultIndicator", "IndicatorSystem", "load_system"]


class DefaultIndicator(DataModel):
    """One pre-filled indicator: the contract's keys plus a hint for whoever fills it in."""

    level1: str = Field(alias="一级", min_length=1)
    level2: str | None = Field(None, alias="二级")
    name: str = Field(alias="名称", min_length=1)
    weight: Decimal = Field(alias="分值", ge=0, le=100)
    target: str = Field(alias="指标值", min_length=1)
    actual: Literal["自动"] | None = Field(None, alias="完成值")
    hint: str | None = Field(None, alias="提示")

    def contract(self) -> dict[str, Any]:
        """The indicator as input data (contract keys only, in contract order)."""
        data: dict[str, Any] = {"一级": self.level1}
        if self.level2:
            data["二级"] = self.level2
        data.update({"名称": self.name, "分值": self.weight, "指标值": self.target})
        if self.actual:
            data["完成值"] = self.actual
        return data


class IndicatorSystem(DataModel):
    fund_type: FundType = Field(alias="类型")
    description: str = Field("", alias="说明")
    indicators: list[DefaultIndicator] = Field(alias="指标", min_length=1)

    @property
    def total(self) -> Decimal:
        return sum((i.weight for i in self.indicators), Decimal(0))


def load_system(fund_type: str, dirs: Sequence[Path]) -> IndicatorSystem:
    """The first ``<dir>/<类型>/指标体系.yaml`` found; a bad file is a ConfigError."""
    relative = indicator_system_file(fund_type)
    path = find_data_file(dirs, relative)
    if path is None:
        raise ConfigError(f"没有“{fund_type}”的缺省指标体系（{relative}）")
    return _read(path, fund_type)


def _read(path: Path, fund_type: str) -> IndicatorSystem:
    loaded = read_data_file(path)
    system = validate_data(loaded, IndicatorSystem)
    problems = []
    if system.fund_type != fund_type:
        problems.append(
            Problem(
                loaded.location(("类型",)),
                f"应为“{fund_type}”（与所在文件夹同名），实际为“{system.fund_type}”",
            )
        )
    if system.total != 100:
        problems.append(
            Problem(loaded.location(("指标",)), f"各指标分值合计应为100，实际为{system.total}")
        )
    if problems:
        raise ConfigError(problems=problems)
    return system
