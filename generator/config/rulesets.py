"""Read scoring rule sets (templates/rules/<名称>.yaml) from the template search path.

Provinces differ in how they score reverse targets, where the qualitative bands
lie and what counts as execution rate. Keeping each variant in a commented YAML
file lets a bureau adopt its province's rules without touching code, and the
checks below refuse a file with holes in its bands or grades (a defect the
seed reports show).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from generator.config.filecache import per_file_version
from generator.core.money import HUNDRED, divide
from generator.core.rules import REVERSE_MODES, Band, RuleSet
from generator.core.vocabulary import RATINGS
from generator.errors import ConfigError
from generator.inputs.yaml_read import safe_load

__all__ = ["available_rule_sets", "load_rule_set", "parse_rule_set"]

_Fail = Callable[[str, str], ConfigError]

_KEYS = ("说明", "反向指标计分", "定性评级", "等级", "超额倍数", "执行率指标", "执行率含上年结转")
_REQUIRED = ("反向指标计分", "定性评级", "等级")
_BAND_KEYS = ("下限", "上限", "含上限", "缺省")


def available_rule_sets(dirs: Sequence[Path]) -> list[str]:
    """Names of every rule file in ``<dir>/rules/``, for messages and ``--help``."""
    names: set[str] = set()
    for directory in dirs:
        folder = Path(directory) / "rules"
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.yaml") if p.is_file())
    return sorted(names)


def load_rule_set(name: str, dirs: Sequence[Path]) -> RuleSet:
    """Load the first ``<dir>/rules/<name>.yaml``; user dirs come before shipped ones."""
    if name and not any(ch in name for ch in "/\\") and not name.startswith("."):
        for directory in dirs:
            path = Path(directory) / "rules" / f"{name}.yaml"
            if path.is_file():
                return _read(path)
    known = "、".join(available_rule_sets(dirs)) or "无"
    raise ConfigError(f"未知的评分规则“{name}”，可用：{known}")


@per_file_version(maxsize=64)
def _read(path: Path) -> RuleSet:
    """A rule file, parsed once per process while it is unchanged (a batch asks per input)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"评分规则文件“{path}”无法读取（应为 UTF-8 文本）：{exc}") from exc
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else ""
        raise ConfigError(f"评分规则文件“{path}”{where}不是有效的 YAML") from exc
    return parse_rule_set(path.stem, data, source=str(path))


def parse_rule_set(name: str, data: Any, *, source: str = "") -> RuleSet:
    """Check and convert a rule file's content; every error names the file and key."""
    where = f"评分规则文件“{source or name}”"

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{where}：“{key}”{message}" if key else f"{where}：{message}")

    if not isinstance(data, dict):
        raise fail("", "顶层应为键值对（“键: 值”）")
    for key in data:
        if key not in _KEYS:
            raise fail(str(key), f"是未知的键（可用的键：{'、'.join(_KEYS)}）")
    for key in _REQUIRED:
        if key not in data:
            raise fail(key, "缺少，此项必填")

    description = data.get("说明") or ""
    if not isinstance(description, str):
        raise fail("说明", "应为文字")
    mode = data["反向指标计分"]
    if mode not in REVERSE_MODES:
        raise fail("反向指标计分", f"应为{'或'.join(REVERSE_MODES)}，实际为“{mode}”")

    factor = _decimal(data.get("超额倍数", Decimal("1.5")), "超额倍数", fail)
    if factor < 1:
        raise fail("超额倍数", "应不小于1")

    names = data.get("执行率指标", ["预算执行率"])
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise fail("执行率指标", "应为指标名称的列表（每项以“- ”开头）")
    carryover = data.get("执行率含上年结转", True)
    if not isinstance(carryover, bool):
        raise fail("执行率含上年结转", "应为 true 或 false")

    return RuleSet(
        name=name,
        description=description,
        reverse_mode=mode,
        bands=MappingProxyType(_bands(data["定性评级"], fail)),
        grades=_grades(data["等级"], fail),
        overachievement_factor=factor,
        execution_rate_names=tuple(names),
        carryover_in_denominator=carryover,
        source=source,
    )


def _decimal(value: Any, key: str, fail: _Fail) -> Decimal:
    """Numbers become Decimal through their text, so 0.1 stays exactly 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(key, f"应为数字，实际为“{value}”")
    return Decimal(str(value))


def _bands(data: Any, fail: _Fail) -> dict[str, Band]:
    if not isinstance(data, dict):
        raise fail("定性评级", "应为键值对：达成、部分达成、未达成各一项")
    if set(data) != set(RATINGS):
        found = "、".join(map(str, data))
        raise fail("定性评级", f"应恰好包含{'、'.join(RATINGS)}三项，实际为{found}")
    bands: dict[str, Band] = {}
    for rating in RATINGS:
        spec = data[rating]
        key = f"定性评级.{rating}"
        if not isinstance(spec, dict):
            raise fail(key, "应为键值对（下限、上限、含上限、缺省）")
        for sub in spec:
            if sub not in _BAND_KEYS:
                raise fail(f"{key}.{sub}", f"是未知的键（可用的键：{'、'.join(_BAND_KEYS)}）")
        for sub in ("下限", "上限", "缺省"):
            if sub not in spec:
                raise fail(f"{key}.{sub}", "缺少，此项必填")
        low, high, default = (
            _decimal(spec[sub], f"{key}.{sub}", fail) for sub in ("下限", "上限", "缺省")
        )
        inclusive = spec.get("含上限", False)
        if not isinstance(inclusive, bool):
            raise fail(f"{key}.含上限", "应为 true 或 false")
        if not 0 <= low < high <= HUNDRED:
            raise fail(key, "的下限和上限应满足 0 ≤ 下限 < 上限 ≤ 100")
        if not low <= default <= high or (default == high and not inclusive):
            raise fail(f"{key}.缺省", "应落在该评级的区间内")
        low, high, default = (divide(v, HUNDRED) for v in (low, high, default))
        bands[rating] = Band(rating, low, high, inclusive, default)
    _check_coverage(bands, fail)
    return bands


def _check_coverage(bands: dict[str, Band], fail: _Fail) -> None:
    """Bands must tile 0–100% exactly: every manual score has one rating."""
    ordered = sorted(bands.values(), key=lambda b: b.low)
    message = "的区间应首尾相接、互不重叠，覆盖 0～100（最高一档含上限）"
    if ordered[0].low != 0 or ordered[-1].high != 1 or not ordered[-1].high_inclusive:
        raise fail("定性评级", message)
    for lower, upper in pairwise(ordered):
        if lower.high != upper.low or lower.high_inclusive:
            raise fail("定性评级", message)


def _grades(data: Any, fail: _Fail) -> tuple[tuple[str, Decimal], ...]:
    if not isinstance(data, dict) or not data:
        raise fail("等级", "应为键值对：等级名称: 分数下限（如 优: 90）")
    grades = []
    for grade, bound in data.items():
        value = _decimal(bound, f"等级.{grade}", fail)
        if not 0 <= value <= HUNDRED:
            raise fail(f"等级.{grade}", "的分数下限应在 0～100 之间")
        grades.append((str(grade), value))
    grades.sort(key=lambda g: g[1], reverse=True)
    bounds = [b for _, b in grades]
    if len(set(bounds)) != len(bounds):
        raise fail("等级", "中有两个等级的分数下限相同")
    if bounds[-1] != 0:
        raise fail("等级", "中最低一档的下限应为 0，否则低分没有等级")
    return tuple(grades)
