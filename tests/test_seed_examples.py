"""The shipped examples state what their seed reports state, and nothing they lack.

Each table lists a seed's figures (money, rates, counts, scores) as the published
report gives them, or corrected where domain.md §9 lists a slip; each must appear in
the report generated from the example, as must every heading of the seed's outline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from generator.pipeline import render_file
from tests.conftest import ROOT, docx_texts

EXAMPLES = ROOT / "inputs" / "examples"


@cache
def _rendered(example: Path) -> dict[str, str]:
    """Render once per example; the tests only read the texts."""
    rendered = render_file(example)
    return {
        item.name: "\n".join(docx_texts(item.data))
        for item in rendered.files
        if item.name.endswith(".docx")
    }


def report_texts(example: Path) -> dict[str, str]:
    """File name → every paragraph and table-cell text of each .docx generated from ``example``."""
    return dict(_rendered(example))


def _squeezed(text: str) -> str:
    """Text without the punctuation a heading may differ by (「项目背景、内容」, 「（四）、」)."""
    return re.sub(r"[、，,和\s]", "", text)


def _assert_figures(example: Path, figures: Sequence[tuple[str, str]]) -> None:
    """Each (figure, context) pair: the figure appears in the reports, in that context."""
    text = "\n".join(report_texts(example).values())
    missing = [(figure, said) for figure, said in figures if said not in text or figure not in said]
    assert missing == []


def _assert_headings(example: Path, headings: Sequence[str]) -> None:
    """Each heading of the seed's outline is a paragraph of some report."""
    paragraphs = {
        _squeezed(line) for text in report_texts(example).values() for line in text.splitlines()
    }
    missing = [h for h in headings if _squeezed(h) not in paragraphs]
    assert missing == []


# ------------------------------------------------------------------ seed 000 丰都 2021

FENGDU = EXAMPLES / "丰都县-2021.yaml"

#: Seed 000's figures, each with the words around it in the generated report.
FENGDU_FIGURES = [
    # The seed's «年初部门预算350万元», in the fund's one unit (元) and said once.
    ("3500000", "全年预算3500000元"),
    ("2603030.56", "资金实际到位2603030.56元"),
    ("渝财社〔2016〕281号", "《关于建立区县扶贫济困医疗基金的指导意见》（渝财社〔2016〕281号）"),
    ("80%", "政策知晓率达到80%"),
    ("100%", "符合条件的对象100%纳入救助范围"),
    ("30个", "30个乡镇宣讲全覆盖"),
    ("2021年2月", "2021年2月起"),
    ("2018年5月", "2018年5月"),
    ("95", "本项目自评得分95分，自评等级为“优”"),
]

#: Seed 000's outline (项目支出), as the seed words its headings.
FENGDU_HEADINGS = [
    "一、项目基本概况",
    "（一）项目背景、内容",
    "（二）项目资金情况",
    "（三）绩效目标",
    "（四）部门职能职责",
    "二、绩效目标完成情况分析",
    "（一）总体绩效目标完成情况分析",
    "（二）绩效指标完成情况分析",
    "（三）评价结果",
    "三、存在问题",
    "（一）项目管理方面的问题",
    "（二）资金使用方面的问题",
    "（三）项目绩效方面的问题",
    "（四）其他方面的问题",
    "四、绩效自评结果拟应用和公开情况",
    "五、其他需要说明的问题",
]


def test_fengdu_states_the_seed_figures() -> None:
    _assert_figures(FENGDU, FENGDU_FIGURES)


def test_fengdu_reproduces_the_seed_outline() -> None:
    _assert_headings(FENGDU, FENGDU_HEADINGS)


def test_fengdu_says_nothing_of_spending_or_indicator_points_the_seed_lacks() -> None:
    """Seed 000 gives no 执行数 and no per-indicator points: no rate, no score is invented."""
    (text,) = report_texts(FENGDU).values()
    assert re.findall(r"执行率\d|全年执行\d|结余\d", text) == []
    assert "部分达成" not in text
    assert "合计得分" not in text  # the total is the bureau's, not a sum of indicator points


# ------------------------------------------------------------------ seed 004 黄山 2024

HUANGSHAN = EXAMPLES / "黄山市-2024.yaml"

#: Seed 004's figures, each with the words around it in the generated reports. Left out:
#: 7.55亿元 and 719.54元 (the seed's own sum of 4.35 + 2.21 + 0.96 is 7.52).
HUANGSHAN_FIGURES = [
    # 城乡居民医保, in 亿元 as the seed writes it
    ("4.37", "中央财政4.37亿元"),
    ("0.02", "中央财政同步清算扣回上年度资金0.02亿元"),
    ("2.21", "省级财政2.21亿元"),
    ("0.96", "市县财政0.96亿元"),
    ("402", "中央财政402元"),
    ("268", "省属学校268元"),
    ("201", "其他城乡居民201元"),
    ("67", "县级财政67元"),
    ("105.19", "实际参保105.19万人"),
    ("100.95%", "参保率达到100.95%"),
    ("36844.86", "城镇职工住院基本医保基金支出36844.86万元（含个人账户2927.01万元）"),
    ("81.05%", "政策范围内报销比例81.05%，实际报销比例73.83%"),
    ("94944.12", "城乡居民住院基本医保基金支出94944.12万元"),
    ("70.71%", "政策范围内报销比例70.71%，实际报销比例61.47%"),
    ("70106.4", "累计结余70106.4万元"),
    ("7.46", "可支付7.46个月"),
    ("30日", "30日内下达到县级财政和医保部门"),
    ("黄字〔2021〕18号", "（黄字〔2021〕18号）"),
    ("黄医保〔2021〕88号", "（黄医保〔2021〕88号）"),
    # 医疗救助, in 万元
    ("2023", "中央财政2023万元"),
    ("184", "省级财政184万元"),
    ("7195.92", "市县财政7195.92万元"),
    ("9402.92", "全年预算9402.92万元"),
    ("1378.23", "资助参保支出1378.23万元"),
    ("3003.14", "门诊慢特病救助支出3003.14万元"),
    ("5012.47", "住院救助支出5012.47万元"),
    ("99.9%", "投入资金使用率99.9%"),  # a 使用率, not a slip for the 到位率 of 100%
    ("99.9%", "市县资金配套到位率100%，资金使用率99.9%"),
    ("45089", "全年资助45089人参保"),
    ("9699", "特困人员9699人、低保对象30820人、防止返贫监测对象4570人"),
    ("2207", "中央和省下达的2207万元"),
    ("599", "市级配套599万元"),
    ("95.38%", "实际报销比例95.38%"),
    ("81.31%", "比例81.31%"),
    ("79.85%", "比例79.85%"),
    ("9.86", "全年推送9.86万人次"),
    ("44427.94", "全市困难群体医疗费用44427.94万元，三重制度报销36893.03万元，综合报销比例83.04%"),
    # 能力提升, in 万元
    ("513", "提前下达我市513万元（皖财社〔2023〕1400号）"),
    ("84", "又下达84万元（皖财社〔2024〕456号）"),
    ("54.63", "上年结转54.63万元"),
    ("651.63", "全年预算651.63万元"),
    ("274.62", "下达274.62万元"),
    ("362.64", "市局本级362.64万元（含上年结转40.26万元）"),
    ("132.85", "合计132.85万人"),
    ("100.14%", "完成率100.14%"),
    ("59", "全市开通59家"),
    ("267.89%", "平均完成267.89%"),
    ("126367", "医保报销126367人次，药品总费用14117.24万元，医保报销8517.63万元"),
    ("3159", "共3159个：西药1398个、中成药1336个、协议期内谈判药品425个"),
    ("≤60分钟", "≤60分钟"),
    ("≤30分钟", "≤30分钟"),
    ("85%", "满意度达85%以上"),
    ("2.9", "约2.9亿元"),
    ("100", "本项目自评得分100分"),
]

#: Seed 004's outline (转移支付) and the sub-headings it writes inside its sections.
HUANGSHAN_HEADINGS = [
    "一、绩效目标分解下达情况",
    "（一）资金投入情况分析",
    "（二）总体绩效目标完成情况分析",
    "（三）绩效指标完成情况分析",
    "三、偏离绩效目标的原因和下一步改进措施",
    "五、其他需要说明的问题",
    # 能力提升 一、 as the seed divides it, through the slot sub-heading syntax
    "（一）市内资金安排情况",
    "（二）分解下达预算",
    "（三）总体绩效目标",
    # 项目决策 and 过程管理 of 城乡居民医保 and 医疗救助
    "1.项目决策",
    "（1）决策依据和过程",
    "（2）绩效目标",
    "（3）资金分配",
    "2.过程管理",
    "（1）资金管理",
    "（2）组织管理",
]


def test_huangshan_states_the_seed_figures() -> None:
    _assert_figures(HUANGSHAN, HUANGSHAN_FIGURES)


def test_huangshan_reproduces_the_seed_outline() -> None:
    _assert_headings(HUANGSHAN, HUANGSHAN_HEADINGS)


def test_huangshan_invents_no_weight_score_or_spending() -> None:
    """Seed 004 gives totals of 100 and no indicator weights or 执行数: none is printed."""
    for name, text in report_texts(HUANGSHAN).items():
        assert re.findall(r"分值\d|得分\d+(?:\.\d+)?分（分值|执行率\d|全年执行\d", text) == [], name
        assert "原报告未载明" not in text, name
