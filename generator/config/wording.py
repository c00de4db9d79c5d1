"""Fund-type wording, kept as data (templates/措辞.yaml).

A province that words things differently edits a file, not code. A user's 措辞.yaml
replaces the shipped one as a whole, so it must name every fund type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from generator.config.datafile import DataModel, read_data_file, validate_data
from generator.config.filecache import per_file_version
from generator.config.search import WORDING_FILE, find_data_file
from generator.core.vocabulary import FUND_TYPES
from generator.errors import ConfigError
from generator.inputs.models import Narrative, Outline
from generator.inputs.source import LoadedInput

__all__ = ["Wording", "WordingFile", "load_wording", "parse_wording"]

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


class TypeWording(DataModel):
    """How one fund type is named and which outline it uses unless the input says."""

    full_name: str = Field(alias="全称", min_length=1)
    default_outline: Outline = Field(alias="缺省提纲")
    purpose: str = Field("", alias="资金用途")

    def as_mapping(self) -> dict[str, str]:
        return {"全称": self.full_name, "缺省提纲": self.default_outline, "资金用途": self.purpose}


class TypesWording(DataModel):
    """Every fund type: the input may name any of them."""

    basic: TypeWording = Field(alias=FUND_TYPES[0])
    assistance: TypeWording = Field(alias=FUND_TYPES[1])
    capacity: TypeWording = Field(alias=FUND_TYPES[2])
    poverty: TypeWording = Field(alias=FUND_TYPES[3])


class WordingFile(DataModel):
    """措辞.yaml as written."""

    types: TypesWording = Field(alias="类型")
    default_slots: Narrative = Field(default_factory=Narrative, alias="缺省叙述")


def load_wording(dirs: Sequence[Path]) -> Wording:
    """Read the first 措辞.yaml found in ``dirs``."""
    path = find_data_file(dirs, WORDING_FILE)
    if path is None:
        raise ConfigError(f"找不到措辞文件“{WORDING_FILE}”：模板目录不完整")
    return _parse(path)


@per_file_version(maxsize=16)
def _parse(path: Path) -> Wording:
    """The wording file, parsed once per process while it is unchanged."""
    return parse_wording(read_data_file(path))


def parse_wording(loaded: LoadedInput) -> Wording:
    """Check and convert 措辞.yaml; raises ConfigError with every problem."""
    wording = validate_data(loaded, WordingFile)
    types = wording.types
    entries = (types.basic, types.assistance, types.capacity, types.poverty)
    slots = wording.default_slots.slots()
    return Wording(
        types={name: entry.as_mapping() for name, entry in zip(FUND_TYPES, entries, strict=True)},
        default_slots={slot: text for slot, text in slots.items() if text is not None},
    )
