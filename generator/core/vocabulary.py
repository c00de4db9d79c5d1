"""The domain's closed vocabularies: fund types, outlines, ratings and narrative slots.

Plain tuples, so the command line can offer them as choices without loading the
input models (pydantic); the models check them against the same tuples (a test
keeps the ``Literal`` types in step).
"""

from __future__ import annotations

__all__ = [
    "FUND_TYPES",
    "INDICATOR_KINDS",
    "MANAGEMENT_ASPECTS",
    "NARRATIVE_SLOTS",
    "OUTLINES",
    "RATINGS",
    "UNPLACED_SLOT",
]

FUND_TYPES: tuple[str, ...] = ("城乡居民医保", "医疗救助", "能力提升", "扶贫济困")
OUTLINES: tuple[str, ...] = ("转移支付", "评价报告", "项目支出")
RATINGS: tuple[str, ...] = ("达成", "部分达成", "未达成")
#: 指标类型: how an indicator is scored, when its target alone does not settle it.
INDICATOR_KINDS: tuple[str, ...] = ("定量", "定性")

#: The rows of the 资金管理情况 block of the transfer-payment self-evaluation form.
MANAGEMENT_ASPECTS: tuple[str, ...] = (
    "分配科学性",
    "下达及时性",
    "拨付合规性",
    "使用规范性",
    "执行准确性",
    "预算绩效管理情况",
    "支出责任履行情况",
)

#: The 叙述 slots in the order the outlines print them (every one is in the template context).
NARRATIVE_SLOTS: tuple[str, ...] = (
    "项目概况",
    "职能职责",
    "资金安排",
    "资金管理",
    "评价目的对象范围",
    "评价方法和等次",
    "指标体系",
    "评价工作",
    "总体完成",
    "评价结论",
    "项目决策",
    "过程管理",
    "存在问题",
    "改进措施",
    "结果应用",
    "其他",
)
#: Where ``genreport import`` puts text of last year's report it could not place in a slot:
#: kept in the input so nothing is lost, never printed, and ``check`` warns until it is moved.
UNPLACED_SLOT = "待归类"
