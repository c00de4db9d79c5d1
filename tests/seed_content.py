"""What each seed report holds, counted by hand from the published text, and what the
import recovers of it: the measure ``benchmarks/import_report.py`` prints and
tests/test_import_seeds.py keeps from falling.

Counts only (figures and names are in the recognisers' own tests): the reports of the
file, the indicators it lists, those of them with a target, its money rows (one per source and fund)
and its numbered top-level sections.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.authoring.reading.blocks import SourceDocument
from generator.authoring.reading.figures import find_money
from generator.authoring.reading.indicators import find_indicators
from generator.authoring.reading.outline import place_narrative, split_reports
from generator.core.vocabulary import UNPLACED_SLOT

__all__ = ["SEEDS", "SeedContent", "recovered"]


@dataclass(frozen=True)
class SeedContent:
    """What one seed report holds."""

    reports: int
    indicators: int
    with_target: int
    money_rows: int
    sections: int


SEEDS: dict[int, SeedContent] = {
    # 丰都 2021, 项目支出: five 绩效目标; one source (县级); 一、to 五、.
    0: SeedContent(reports=1, indicators=5, with_target=5, money_rows=1, sections=5),
    # 桃江 2021, 转移支付: the 26-row target table; «各级财政补助»; 一、to 五、.
    2: SeedContent(reports=1, indicators=26, with_target=26, money_rows=1, sections=5),
    # 攀枝花 2021, 评价报告, three funds: 14 + 13 + 17 listed targets (goals in words such as
    # «持续提升医保经办服务能力» count, as they do in the first two funds); 3 + 4 + 1 sources;
    # 6 sections each.
    3: SeedContent(reports=3, indicators=44, with_target=44, money_rows=8, sections=18),
    # 黄山 2024, 转移支付, three funds: only 能力提升 lists indicators, 17 analysis headings of
    # which 4 state a target (≥90% 运行率, ≤60 and ≤30 分钟, ≥85% 满意度); 3 + 4 + 2 sources;
    # 3 + 3 + 4 sections.
    4: SeedContent(reports=3, indicators=17, with_target=4, money_rows=9, sections=10),
}


def recovered(expected: SeedContent, document: SourceDocument) -> dict[str, tuple[int, int]]:
    """(found, held) for each kind of content; found is capped at what the seed holds."""
    parts = split_reports(document)
    indicators = targets = money = sections = 0
    for part in parts:
        unit = part.money_unit.value if part.money_unit is not None else "万元"
        rows = find_indicators(part)
        indicators += len(rows)
        targets += sum(1 for row in rows if row.target is not None)
        money += sum(1 for row in find_money(part, unit).rows if row.budget or row.arrived)
        placement = place_narrative(part)
        sections += sum(
            1
            for section in part.sections
            if any(
                r.path == section.heading.number and r.to != UNPLACED_SLOT for r in placement.routes
            )
            or section.children
        )
    return {
        "报告": (min(len(parts), expected.reports), expected.reports),
        "指标": (min(indicators, expected.indicators), expected.indicators),
        "有指标值": (min(targets, expected.with_target), expected.with_target),
        "资金": (min(money, expected.money_rows), expected.money_rows),
        "部分": (min(sections, expected.sections), expected.sections),
    }
