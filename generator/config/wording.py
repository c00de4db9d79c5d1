"""Fund-type wording, kept as data (templates/措辞.yaml).

A province that words things differently edits a file, not code. A user's 措辞.yaml
replaces the shipped one as a whole, so it must name every fund type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, field_validator

from generator.config.datafile import DataModel, read_data_file, validate_data
from generator.config.filecache import per_file_version
from generator.config.search import WORDING_FILE, find_data_file, shipped_templates_dir
from generator.core.vocabulary import FUND_TYPES
from generator.errors import ConfigError
from generator.inputs.models import Narrative, Outline
from generator.inputs.source import LoadedInput

__all__ = [
    "PHRASE_NAMES",
    "Wording",
    "WordingFile",
    "fill_phrase",
    "load_wording",
    "parse_wording",
    "phrase_names",
]

_UNIT_SUFFIXES = ("医疗保障局", "医保局", "医疗保障管理局")
_SELF_NAMES = {"市": "我市", "县": "我县", "区": "我区", "州": "我州", "旗": "我旗", "省": "我省"}


#: Names each 句式 may use (``{{ 名称 }}``); the generator fills exactly these.
PHRASE_NAMES: dict[str, frozenset[str]] = {
    "开头": frozenset({"依据", "单位", "年度", "名称", "方面"}),
    "达标": frozenset({"各项"}),
    "达标单项": frozenset({"项", "指标值"}),
    "定性达成": frozenset({"各项", "均"}),
    "未达标": frozenset({"名称", "指标值", "完成值", "完成率", "得分", "分值"}),
    "定性未达成": frozenset({"名称", "评级", "得分", "分值"}),
    "部分得分": frozenset({"名称", "完成值", "指标值", "得分", "分值"}),
    "调整得分": frozenset({"名称", "计算得分", "得分", "理由"}),
    "偏差原因": frozenset({"原因"}),
    "改进措施": frozenset({"措施"}),
    "不适用": frozenset({"各项"}),
    "基金收支": frozenset({"年度", "各项"}),
    "预算调整": frozenset({"调整后预算", "到位", "到位率"}),
    "分来源": frozenset({"来源", "动词", "金额", "比例"}),
}


@dataclass(frozen=True)
class Wording:
    types: Mapping[str, Mapping[str, str]]
    default_slots: Mapping[str, str]
    #: 句式: the sentence shapes of generated text, several per kind, used in turn.
    phrases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: 开头: the opening paragraph of each outline.
    openings: Mapping[str, str] = field(default_factory=dict)

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


_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


def phrase_names(text: str) -> set[str]:
    """The ``{{ 名称 }}`` names a 句式 uses."""
    return set(_PLACEHOLDER.findall(text))


def fill_phrase(text: str, values: Mapping[str, str]) -> str:
    """A 句式 with its names replaced; names were checked when the file was read."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)


def _check_names(kind: str, text: str) -> None:
    unknown = phrase_names(text) - PHRASE_NAMES.get(kind, PHRASE_NAMES["开头"])
    if unknown:
        allowed = "、".join(sorted(PHRASE_NAMES.get(kind, PHRASE_NAMES["开头"])))
        raise ValueError(f"“{kind}”的句式不能用 {'、'.join(sorted(unknown))}，可用：{allowed}")


class WordingFile(DataModel):
    """措辞.yaml as written."""

    types: TypesWording = Field(alias="类型")
    default_slots: Narrative = Field(default_factory=Narrative, alias="缺省叙述")
    openings: dict[Outline, str] = Field(default_factory=dict, alias="开头")
    phrases: dict[str, list[str]] = Field(default_factory=dict, alias="句式")

    @field_validator("openings")
    @classmethod
    def _opening_names(cls, value: dict[str, str]) -> dict[str, str]:
        for text in value.values():
            _check_names("开头", text)
        return value

    @field_validator("phrases")
    @classmethod
    def _phrase_names(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for kind, texts in value.items():
            if kind not in PHRASE_NAMES or kind == "开头":
                known = "、".join(k for k in PHRASE_NAMES if k != "开头")
                raise ValueError(f"没有“{kind}”这种句式，可写：{known}")
            if not texts:
                raise ValueError(f"“{kind}”至少要写一种说法")
            for text in texts:
                _check_names(kind, text)
        return value


def load_wording(dirs: Sequence[Path]) -> Wording:
    """Read the first 措辞.yaml found in ``dirs``."""
    path = find_data_file(dirs, WORDING_FILE)
    if path is None:
        raise ConfigError(f"找不到措辞文件“{WORDING_FILE}”：模板目录不完整")
    wording = _parse(path)
    shipped = shipped_templates_dir() / WORDING_FILE
    if path == shipped:
        return wording
    # A 措辞.yaml written before 开头 and 句式 existed keeps working: the shipped ones fill in.
    builtin = _parse(shipped)
    return Wording(
        types=wording.types,
        default_slots=wording.default_slots,
        phrases={**builtin.phrases, **wording.phrases},
        openings={**builtin.openings, **wording.openings},
    )


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
        phrases={kind: tuple(texts) for kind, texts in wording.phrases.items()},
        openings={str(outline): text for outline, text in wording.openings.items()},
    )
