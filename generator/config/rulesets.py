"""Read scoring rule sets (templates/rules/<名称>.yaml) from the template search path.

Provinces differ in how they score reverse targets, where the qualitative bands
lie and what counts as execution rate. Keeping each variant in a commented YAML
file lets a bureau adopt its province's rules without touching code, and the
checks below refuse a file with holes in its bands, grades or tiers (a defect the
seed reports show), listing every problem of the file with its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Self

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from generator.config.datafile import DataModel, read_data_file, validate_data
from generator.config.filecache import per_file_version
from generator.config.search import find_data_file, rule_set_file, rule_set_names
from generator.core.money import HUNDRED, divide
from generator.core.rules import (
    TIER_KINDS,
    Band,
    BelowMode,
    ReverseMode,
    RuleSet,
    Tier,
    TierKind,
    TierRounding,
    TierTable,
)
from generator.core.vocabulary import RATINGS
from generator.errors import ConfigError
from generator.inputs.source import LoadedInput
from generator.inputs.validate import explained

__all__ = ["RuleFile", "available_rule_sets", "load_rule_set", "parse_rule_set"]

#: A share of an indicator's weight, or a total score: 0 to 100.
Percent = Annotated[Decimal, Field(ge=0, le=100)]


def _num(value: Decimal) -> str:
    return f"{value:f}"


class BandFile(DataModel):
    """One qualitative rating's share of the weight, in percent."""

    low: Percent = Field(alias="下限")
    high: Percent = Field(alias="上限")
    inclusive: bool = Field(False, alias="含上限")
    default: Percent = Field(alias="缺省")

    @field_validator("high")
    @classmethod
    def _above_low(cls, high: Decimal, info: ValidationInfo) -> Decimal:
        low = info.data.get("low")
        if low is not None and not low < high:
            raise explained(f"应大于下限（{_num(low)}），实际为“{_num(high)}”")
        return high

    @field_validator("default")
    @classmethod
    def _inside(cls, default: Decimal, info: ValidationInfo) -> Decimal:
        low, high = info.data.get("low"), info.data.get("high")
        inclusive = info.data.get("inclusive")
        if low is None or high is None or inclusive is None:
            return default  # already reported
        if not low <= default <= high or (default == high and not inclusive):
            upper = "含上限" if inclusive else "不含上限"
            raise explained(
                f"应落在该评级的区间内（{_num(low)}～{_num(high)}，{upper}），"
                f"实际为“{_num(default)}”"
            )
        return default


class RatingsFile(DataModel):
    """The three ratings, which must tile 0–100 so every manual score has one."""

    achieved: BandFile = Field(alias=RATINGS[0])
    partial: BandFile = Field(alias=RATINGS[1])
    missed: BandFile = Field(alias=RATINGS[2])

    def by_rating(self) -> dict[str, BandFile]:
        return dict(zip(RATINGS, (self.achieved, self.partial, self.missed), strict=True))

    @model_validator(mode="after")
    def _tiles(self) -> Self:
        ordered = sorted(self.by_rating().items(), key=lambda item: item[1].low)
        (bottom, lowest), (top, highest) = ordered[0], ordered[-1]
        gaps = []
        if lowest.low != 0:
            gaps.append(f"最低一档（{bottom}）的下限应为 0，实际为{_num(lowest.low)}")
        if highest.high != HUNDRED:
            gaps.append(f"最高一档（{top}）的上限应为 100，实际为{_num(highest.high)}")
        if not highest.inclusive:
            gaps.append(f"最高一档（{top}）应含上限（含上限: true），否则满分没有评级")
        for (name, lower), (next_name, upper) in pairwise(ordered):
            if lower.high != upper.low:
                gaps.append(
                    f"{name}的上限（{_num(lower.high)}）应等于{next_name}的下限（{_num(upper.low)}）"
                )
            elif lower.inclusive:
                gaps.append(f"{name}不是最高一档，不应含上限（{_num(lower.high)}属于{next_name}）")
        if gaps:
            raise explained(
                "三档区间应首尾相接、互不重叠，覆盖 0～100，最高一档含上限：" + "；".join(gaps)
            )
        return self


class TierFile(DataModel):
    """One tier: a completion (percent) from which an indicator earns a share of its weight."""

    threshold: Decimal = Field(alias="完成率", ge=0)
    share: Percent = Field(alias="得分比例")


def _tiers_in_order(tiers: list[TierFile]) -> list[TierFile]:
    """Tiers that give every completion exactly one share, higher completion never less."""
    faults = []
    first = tiers[0]
    if first.threshold > HUNDRED:
        faults.append(
            f"第1档的完成率应不大于100（实际为{_num(first.threshold)}），"
            "否则完成目标（完成率100%）的指标没有档次"
        )
    if first.share != HUNDRED:
        faults.append(f"第1档的得分比例应为100（实际为{_num(first.share)}），完成目标的指标得满分")
    for number, (upper, lower) in enumerate(pairwise(tiers), 2):
        if not lower.threshold < upper.threshold:
            faults.append(
                f"第{number}档的完成率（{_num(lower.threshold)}）应小于"
                f"第{number - 1}档（{_num(upper.threshold)}），档次按完成率从高到低排列"
            )
        if lower.share > upper.share:
            faults.append(
                f"第{number}档的得分比例（{_num(lower.share)}）应不大于"
                f"第{number - 1}档（{_num(upper.share)}），完成率越低得分不应越高"
            )
    if faults:
        raise explained("；".join(faults))
    return tiers


#: 档次: at least one tier, thresholds strictly descending from at most 100.
Tiers = Annotated[list[TierFile], Field(min_length=1), AfterValidator(_tiers_in_order)]


def _table(kind: str, tiers: list[TierFile], below: str) -> TierTable:
    shares = (Tier(divide(t.threshold, HUNDRED), divide(t.share, HUNDRED)) for t in tiers)
    return TierTable(kind, tuple(shares), below)


class TierTableFile(DataModel):
    """Tiers for one target kind, highest completion first, and what scores below them."""

    tiers: Tiers = Field(alias="档次")
    below: BelowMode = Field(alias="低于末档")


class NamedTierTableFile(DataModel):
    """One indicator's own tiers; its kind says how its completion is measured."""

    kind: TierKind = Field(alias="类型")
    tiers: Tiers = Field(alias="档次")
    below: BelowMode = Field(alias="低于末档")


class KindTiersFile(DataModel):
    """A tier table per target kind; a kind left out is scored proportionally."""

    ge: TierTableFile | None = Field(None, alias="正向")
    le: TierTableFile | None = Field(None, alias="反向")
    range: TierTableFile | None = Field(None, alias="区间")
    eq: TierTableFile | None = Field(None, alias="等于")
    rate: TierTableFile | None = Field(None, alias="执行率")

    def tables(self) -> dict[str, TierTable]:
        given = zip(TIER_KINDS, (self.ge, self.le, self.range, self.eq, self.rate), strict=True)
        return {kind: _table(kind, t.tiers, t.below) for kind, t in given if t is not None}


class TieringFile(DataModel):
    """分档计分: tier tables by kind and by indicator name, and how their scores round."""

    rounding: TierRounding = Field("两位小数", alias="取整")
    by_kind: KindTiersFile | None = Field(None, alias="按类型")
    by_name: dict[Annotated[str, Field(min_length=1)], NamedTierTableFile] = Field(
        default_factory=dict, alias="按指标"
    )

    @model_validator(mode="after")
    def _some_table(self) -> Self:
        if not self.by_name and (self.by_kind is None or not self.by_kind.tables()):
            raise explained("至少需要一张分档表（按类型或按指标）；不分档时请删去“分档计分”")
        return self


class RuleFile(DataModel):
    """A rule file as written; see templates/rules/国家.yaml for each key's meaning."""

    description: str | None = Field(None, alias="说明")
    reverse_mode: ReverseMode = Field(alias="反向指标计分")
    bands: RatingsFile = Field(alias="定性评级")
    grades: dict[str, Percent] = Field(alias="等级", min_length=1)
    overachievement_factor: Decimal = Field(Decimal("1.5"), alias="超额倍数", ge=1)
    execution_rate_names: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=lambda: ["预算执行率"], alias="执行率指标"
    )
    carryover_in_denominator: bool = Field(True, alias="执行率含上年结转")
    # Last, so its check can see 执行率指标.
    tiering: TieringFile | None = Field(None, alias="分档计分")

    @field_validator("tiering")
    @classmethod
    def _named_tiers_used(
        cls, tiering: TieringFile | None, info: ValidationInfo
    ) -> TieringFile | None:
        """A named table whose kind can never match its indicator would be silently unused."""
        rates = info.data.get("execution_rate_names")
        if tiering is None or rates is None:
            return tiering
        faults = []
        for name, table in tiering.by_name.items():
            if table.kind == "执行率" and name not in rates:
                faults.append(
                    f"按指标.{name}的类型为“执行率”，但“{name}”不在执行率指标中，这张分档表不会被使用"
                )
            elif table.kind != "执行率" and name in rates:
                faults.append(
                    f"按指标.{name}在执行率指标中，按执行率计分，类型应为“执行率”，"
                    f"实际为“{table.kind}”"
                )
        if faults:
            raise explained("；".join(faults))
        return tiering

    @field_validator("grades")
    @classmethod
    def _every_total_graded(cls, grades: dict[str, Decimal]) -> dict[str, Decimal]:
        """Distinct lower bounds down to 0, so every total has exactly one grade."""
        faults = []
        by_bound: dict[Decimal, list[str]] = {}
        for grade, bound in grades.items():
            by_bound.setdefault(bound, []).append(grade)
        for bound, names in by_bound.items():
            if len(names) > 1:
                faults.append(f"{'、'.join(names)}的分数下限相同（均为{_num(bound)}）")
        lowest = min(by_bound)
        if lowest != 0:
            bottom = by_bound[lowest][0]
            faults.append(
                f"最低一档（{bottom}）的下限应为 0，否则低于{_num(lowest)}分的总分没有等级"
            )
        if faults:
            raise explained("；".join(faults))
        return grades


def available_rule_sets(dirs: Sequence[Path]) -> list[str]:
    """Names of every rule file in ``<dir>/rules/``, for messages and ``--help``."""
    return rule_set_names(dirs)


def load_rule_set(name: str, dirs: Sequence[Path]) -> RuleSet:
    """Load the first ``<dir>/rules/<name>.yaml``; user dirs come before shipped ones.

    An unknown name is a ConfigError with a message; a broken file one with every problem.
    """
    path = find_data_file(dirs, rule_set_file(name))
    if path is None:
        known = "、".join(available_rule_sets(dirs)) or "无"
        raise ConfigError(f"未知的评分规则“{name}”，可用：{known}")
    return _read(path)


@per_file_version(maxsize=64)
def _read(path: Path) -> RuleSet:
    """A rule file, parsed once per process while it is unchanged (a batch asks per input)."""
    return parse_rule_set(path.stem, read_data_file(path))


def parse_rule_set(name: str, loaded: LoadedInput) -> RuleSet:
    """Check and convert a rule file's content; raises ConfigError with every problem."""
    rules = validate_data(loaded, RuleFile)
    bands = {
        rating: Band(
            rating,
            divide(band.low, HUNDRED),
            divide(band.high, HUNDRED),
            band.inclusive,
            divide(band.default, HUNDRED),
        )
        for rating, band in rules.bands.by_rating().items()
    }
    grades = sorted(rules.grades.items(), key=lambda grade: grade[1], reverse=True)
    tiering = rules.tiering
    kind_tiers = tiering.by_kind.tables() if tiering and tiering.by_kind else {}
    named = tiering.by_name.items() if tiering else ()
    named_tiers = {name: _table(t.kind, t.tiers, t.below) for name, t in named}
    return RuleSet(
        name=name,
        description=rules.description or "",
        reverse_mode=rules.reverse_mode,
        bands=MappingProxyType(bands),
        grades=tuple(grades),
        overachievement_factor=rules.overachievement_factor,
        execution_rate_names=tuple(rules.execution_rate_names),
        carryover_in_denominator=rules.carryover_in_denominator,
        kind_tiers=MappingProxyType(kind_tiers),
        named_tiers=MappingProxyType(named_tiers),
        tier_places=0 if tiering and tiering.rounding == "整数" else 2,
        source=loaded.file,
    )
