"""Fund-type wording, kept as data (templates/措辞.yaml).

A province that words things differently edits a file, not code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.config.filecache import per_file_version
from generator.errors import ConfigError
from generator.inputs.yaml_read import safe_load

__all__ = ["Wording", "load_wording"]

_UNIT_SUFFIXES = ("医疗保障局", "医保局", "医疗保障管理局")
_SELF_NAMES = {"市": "我市", "县": "我县", "区": "我区", "州": "我州", "旗": "我旗", "省": "我省"}


@dataclass(frozen=True)
class Wording:
    types: Mapping[str, Mapping[str, str]]
    default_slots: Mapping[str, str]

    def full_name(self, fund_type: str) -> str:
        return self.types[fund_type]["全称"]

    def default_outline(self, fund_type: str) -> str:
        return self.types[fund_type]["缺省提纲"]

    def purpose(self, fund_type: str) -> str:
        return self.types[fund_type].get("资金用途", "")

    @staticmethod
    def region_of(unit: str) -> str:
        for suffix in _UNIT_SUFFIXES:
            if unit.endswith(suffix) and len(unit) > len(suffix):
                return unit[: -len(suffix)]
        return unit

    @staticmethod
    def self_name_of(region: str) -> str:
        return _SELF_NAMES.get(region[-1:], "本地") if region else "本地"


def load_wording(dirs: Sequence[Path]) -> Wording:
    """Read the first 措辞.yaml found in ``dirs``."""
    for directory in dirs:
        path = directory / "措辞.yaml"
        if path.is_file():
            return _parse(path)
    raise ConfigError("找不到措辞文件“措辞.yaml”：模板目录不完整")


@per_file_version(maxsize=16)
def _parse(path: Path) -> Wording:
    """The wording file, parsed once per process while it is unchanged."""
    try:
        data: Any = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path.name}：无法读取措辞文件（{exc}）") from None
    if not isinstance(data, dict) or not isinstance(data.get("类型"), dict):
        raise ConfigError(f"{path.name}：应包含“类型”和“缺省叙述”两部分")
    types = {
        str(k): {str(a): str(b) for a, b in (v or {}).items()} for k, v in data["类型"].items()
    }
    for name, entry in types.items():
        for key in ("全称", "缺省提纲"):
            if key not in entry:
                raise ConfigError(f"{path.name}：类型“{name}”缺少“{key}”")
    slots = {str(k): str(v) for k, v in (data.get("缺省叙述") or {}).items()}
    return Wording(types=types, default_slots=slots)
