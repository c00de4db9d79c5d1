"""Every name a Word template may use: the one list ``templates check`` and the docs follow.

generator/context.py builds the values; a test checks that what it builds has exactly
these names (nested too), so this list, the checker and docs/模板上下文.md cannot drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .models import NARRATIVE_SLOTS

__all__ = ["CONTEXT", "GLOBALS", "SLOT_MEANINGS", "Name"]


@dataclass(frozen=True)
class Name:
    """One context name: what it means, an example, and what it holds when it is not text."""

    meaning: str
    example: str
    kind: str = "文字"  # 文字 | 数字 | 文字列表 | 列表 | 字典
    #: For 字典: its keys. For 列表: the keys of each item.
    fields: Mapping[str, Name] = field(default_factory=dict)


def _text(meaning: str, example: str) -> Name:
    return Name(meaning, example)


SLOT_MEANINGS: dict[str, str] = {
    "项目概况": "政策依据、资金用途等背景",
    "职能职责": "单位职责（项目支出提纲）",
    "资金安排": "资金分解下达情况；输入未写时为空列表（资金情况另有生成的段落）",
    "资金管理": "专款专用、拨付、监管等情况",
    "评价工作": "自评工作如何开展",
    "总体完成": "总体目标完成情况；未写时按指标生成一句",
    "评价结论": "评价结论；未写时按得分和等级生成一句",
    "存在问题": "存在问题；未写时为措辞文件中的缺省文字（如“无。”）",
    "改进措施": "改进措施或有关建议；未写时为缺省文字",
    "结果应用": "结果应用和公开情况；未写时为缺省文字",
    "其他": "其他需要说明的问题；未写时为缺省文字",
}

_INDICATOR = {
    "序号": Name("在本组内的序号", "1", "数字"),
    "中文序号": _text("序号的汉字写法", "一"),
    "名称": _text("三级指标名称", "医疗救助对象人次规模"),
    "段落": Name("该指标的分析段落：说明或生成的句子，再加得分句", "[\"全年救助13562人次……\"]",
                 "文字列表"),
}
_LEVEL2 = {
    "序号": Name("在一级指标内的序号", "1", "数字"),
    "中文序号": _text("序号的汉字写法", "一"),
    "名称": _text("二级指标名称；“预算执行”等没有二级的指标为空，模板应跳过标题",
                "数量指标"),
    "分值": _text("本组分值合计", "20"),
    "得分": _text("本组得分合计", "19.5"),
    "指标": Name("本组的三级指标", "", "列表", _INDICATOR),
}
_LEVEL1 = {
    "序号": Name("一级指标序号", "2", "数字"),
    "中文序号": _text("序号的汉字写法", "二"),
    "名称": _text("一级指标名称", "产出指标"),
    "分值": _text("本组分值合计", "50"),
    "得分": _text("本组得分合计", "49.67"),
    "二级组": Name("按二级指标分组", "", "列表", _LEVEL2),
}
_MONEY_ROW = {
    "名称": _text("行名", "其中：当年财政拨款"),
    "年初预算数": _text("年初预算数（仅第一行，未填为空）", "1500"),
    "全年预算数": _text("全年预算数", "1850.15"),
    "全年执行数": _text("全年执行数", "1822.87"),
    "到位数": _text("到位数", "1830.15"),
    "执行率": _text("执行率", "98.53%"),
    "分值": _text("预算执行率的分值（得分布局第一行，其余为空）", "10"),
    "得分": _text("预算执行率的得分（同上）", "9.85"),
}
_INDICATOR_ROW = {
    "一级": _text("一级指标", "产出指标"),
    "一级合并": _text("一级指标格的纵向合并：restart、continue 或空，配合 {% vmerge %} 使用",
                  "restart"),
    "二级": _text("二级指标（可为空）", "数量指标"),
    "二级合并": _text("二级指标格的纵向合并", "continue"),
    "名称": _text("三级指标", "医疗救助对象人次规模"),
    "指标值": _text("年度指标值", "≥1.2万人次"),
    "完成值": _text("实际完成值；不适用的指标为“不适用”", "13562人次"),
    "分值": _text("分值", "20"),
    "得分": _text("得分；不适用的指标为“—”", "20"),
    "偏差": _text("偏差原因和改进措施（达成时为空）", "县级配套未全额到位；已列入下年预算。"),
}
_TABLE = {
    "布局": _text("表格布局：“得分”（评价报告、项目支出）或“转移支付”", "得分"),
    "项目名称": _text("项目名称", "医疗救助补助资金"),
    "主管部门": _text("主管部门", "示例县医疗保障局"),
    "实施单位": _text("实施单位", "示例县医疗保障局"),
    "资金行": Name("资金部分各行：年度资金总额，再按来源分组", "", "列表", _MONEY_ROW),
    "总体目标": _text("年度总体目标", "困难群众应助尽助……"),
    "总体完成情况": _text("总体完成情况", "全年资助参保……"),
    "指标行": Name("指标部分各行（得分布局中预算执行率在资金行，不在此）", "", "列表",
                 _INDICATOR_ROW),
    "分值合计": _text("各指标分值合计", "100"),
    "总分": _text("总分", "99.22"),
}

CONTEXT: dict[str, Name] = {
    "单位": _text("报告单位，用于落款", "示例县医疗保障局"),
    "地区": _text("地区", "示例县"),
    "自称": _text("行文中的自称", "我县"),
    "年度": _text("被评价的年度", "2024"),
    "上年度": _text("上一年度", "2023"),
    "类型": _text("资金类型：城乡居民医保、医疗救助、能力提升或扶贫济困", "医疗救助"),
    "名称": _text("资金全称", "医疗救助补助资金（城乡医疗救助部分）"),
    "资金用途": _text("资金用途（措辞文件按类型给出）", "资助困难群众参保和门诊、住院救助"),
    "提纲": _text("报告提纲：转移支付、评价报告或项目支出", "评价报告"),
    "标题": _text("报告标题", "示例县2024年度医疗救助补助资金绩效自评报告"),
    "金额单位": _text("金额单位", "万元"),
    "成文日期": _text("落款日期（未填为空）", "2025年2月20日"),
    "主送": _text("主送机关（未填为空）", "示例市医疗保障局"),
    "预算合计": _text("全年预算合计，带单位", "2160万元"),
    "到位合计": _text("到位合计，带单位", "2140万元"),
    "执行合计": _text("执行合计，带单位", "2106万元"),
    "到位率": _text("到位率", "99.07%"),
    "执行率": _text("执行率", "97.5%"),
    "结余": _text("结余，带单位", "54万元"),
    "总分": _text("总分", "99.22"),
    "等级": _text("等级", "优"),
    "总分说明": _text("得分和等级的一句话（含等级划分）", "按“国家”评分规则，11项指标合计得分……"),
    "折算说明": _text("不适用指标折算为百分制的说明（没有折算时为空）", ""),
    "总体目标": _text("年度总体目标", "困难群众应助尽助……"),
    "总体完成情况": _text("总体完成情况（未填时按指标生成）", "对照年度总体目标，11项绩效指标中……"),
    "节": Name(
        "按栏目分段的叙述，每个栏目是段落列表，如 节.存在问题", "", "字典",
        {slot: Name(SLOT_MEANINGS[slot], "[\"……\"]", "文字列表") for slot in NARRATIVE_SLOTS},
    ),
    "资金情况": Name("由资金数据生成的段落：来源、合计、到位率、执行率、结余", "[\"2024年，……\"]",
                   "文字列表"),
    "目标列表": Name("每个适用指标的“名称：指标值”", "[\"医疗救助对象人次规模：≥1.2万人次\"]",
                   "文字列表"),
    "指标分析": Name("按一级、二级分组的指标分析", "", "列表", _LEVEL1),
    "自评表": Name("绩效自评表", "", "字典", _TABLE),
}

#: Helpers every template may use besides the context (generator.sandbox).
GLOBALS: dict[str, str] = {
    "loop": "循环内的 loop.index、loop.first、loop.last 等",
    "range": "range(n)，最多 10000 项",
    "namespace": "namespace(n=0)，在循环中累计计数",
    "dict": "dict(…)",
    "cycler": "cycler(…)，轮流取值",
    "joiner": "joiner(“、”)，拼接分隔符",
}
