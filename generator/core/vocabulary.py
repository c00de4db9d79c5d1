"""The domain's closed vocabularies: fund types, outlines, ratings and narrative slots.

Plain tuples, so the command line can offer them as choices without loading the
input models (pydantic); the models check them against the same tuples (a test
keeps the ``Literal`` types in step).
"""

from __future__ import annotations

__all__ = ["FUND_TYPES", "NARRATIVE_SLOTS", "OUTLINES", "RATINGS"]

FUND_TYPES: tuple[str, ...] = ("城乡居民医保", "医疗救助", "能力提升", "扶贫济困")
OUTLINES: tuple[str, ...] = ("转移支付", "评价报告", "项目支出")
RATINGS: tuple[str, ...] = ("达成", "部分达成", "未达成")

#: The 叙述 slots in the order the outlines print them.
NARRATIVE_SLOTS: tuple[str, ...] = (
    "项目概况",
    "职能职责",
    "资金安排",
    "资金管理",
    "评价工作",
    "总体完成",
    "评价结论",
    "存在问题",
    "改进措施",
    "结果应用",
    "其他",
)
