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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.errors import ConfigError, InputError, format_path
from generator.inputs.models import FundType
from generator.inputs.yaml_read import load_yaml_text

__all__ = ["DefaultIndicator", "IndicatorSystem", "load_system"]

FILE_NAME = "指标体系.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DefaultIndicator(_Strict):
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


class IndicatorSystem(_Strict):
    fund_type: FundType = Field(alias="类型")
    description: str = Field("", alias="说明")
    indicators: list[DefaultIndicator] = Field(alias="指标", min_length=1)

    @property
    def total(self) -> Decimal:
        return sum((i.weight for i in self.indicators), Decimal(0))


def load_system(fund_type: str, dirs: Sequence[Path]) -> IndicatorSystem:
    """The first ``<dir>/<类型>/指标体系.yaml`` found; a bad file is a ConfigError."""
    for directory in dirs:
        path = directory / fund_type / FILE_NAME
        if path.is_file():
            return _read(path, fund_type)
    raise ConfigError(f"没有“{fund_type}”的缺省指标体系（{fund_type}/{FILE_NAME}）")


def _read(path: Path, fund_type: str) -> IndicatorSystem:
    shown = f"{path.parent.name}/{path.name}"
    try:
        loaded = load_yaml_text(path.read_text(encoding="utf-8"), shown)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}：无法读取：{exc}") from None
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    try:
        system = IndicatorSystem.model_validate(loaded.data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = format_path([p for p in first["loc"] if isinstance(p, str | int)])
        raise ConfigError(f"{shown}：{where}：{first['msg']}") from None
    if system.fund_type != fund_type:
        raise ConfigError(f"{shown}：类型应为“{fund_type}”，实际为“{system.fund_type}”")
    if system.total != 100:
        raise ConfigError(f"{shown}：各指标分值合计应为100，实际为{system.total}")
    return system
