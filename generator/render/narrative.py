"""Sentences generated from the figures where the input leaves a narrative slot empty.

Each sentence is built only from computed values, so the text can never disagree
with the tables the way retyped reports do.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from generator.analysis.compute import FundResult, IndicatorResult
from generator.core.money import format_amount, format_rate, format_score
from generator.core.rules import RuleSet, grade_bands

__all__ = [
    "conclusion_sentence",
    "indicator_paragraphs",
    "money_paragraph",
    "overall_sentence",
    "rescale_sentence",
    "score_sentence",
]


def money_paragraph(fund: FundResult, year: int, unit: str) -> str:
    """Sources, totals, 到位率, 执行率 and 结余 in one paragraph."""
    money = fund.money
    parts = "、".join(f"{row.source}{format_amount(row.budget, unit)}" for row in money.rows)
    budget = format_amount(money.budget, unit)
    text = f"{year}年，{fund.name}全年预算{budget}"
    text += f"，其中{parts}" if len(money.rows) > 1 else f"，全部为{money.rows[0].source}资金"
    if money.received == money.budget:
        text += f"；资金全部到位，到位率{format_rate(money.received_rate)}"
    else:
        text += (
            f"；实际到位{format_amount(money.received, unit)}，"
            f"到位率{format_rate(money.received_rate)}"
        )
    text += (
        f"；全年执行{format_amount(money.spent, unit)}，执行率{format_rate(money.execution_rate)}"
        f"，结余{format_amount(money.balance, unit)}。"
    )
    return text


def indicator_paragraphs(
    result: IndicatorResult, given: list[str], previous: str = ""
) -> list[str]:
    """The analysis of one indicator: the user's 说明 or a generated sentence, then the score.

    ``previous`` is the year-over-year sentence (yoy.previous_sentence), "" when none.
    """
    model = result.model
    if not result.applicable:
        lead = given or ["本年度不适用，不计分。"]
        return [*lead]
    score = format_score(result.score or Decimal(0))
    weight = format_score(model.weight)
    if given:
        paragraphs = list(given)
        paragraphs.append(f"{previous}该指标分值{weight}分，得{score}分。")
    elif result.qualitative:
        detail = f"，{model.actual}" if model.actual else ""
        paragraphs = [
            f"目标为“{model.target}”{detail}，评价为“{model.rating}”，"
            f"得{score}分（分值{weight}分）。"
        ]
    else:
        state = "达到目标" if result.met else "未达到目标"
        how = "按执行率计分，" if result.by_execution_rate else ""
        paragraphs = [
            f"指标值{model.target}，实际完成{result.actual_text}，"
            f"完成率{format_rate(result.completion)}，{state}，{how}得{score}分（分值{weight}分）。"
            f"{previous}"
        ]
    if result.overridden:
        paragraphs.append(
            f"按评分规则计算得{format_score(result.computed or Decimal(0))}分，"
            f"调整为{score}分，理由：{_sentence(model.score_note or '')}"
        )
    if not result.met:
        text = f"偏差原因：{_sentence(model.deviation or '')}"
        if model.measures:
            text += f"改进措施：{_sentence(model.measures)}"
        paragraphs.append(text)
    return paragraphs


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；", ".")) else f"{text}。"


def score_sentence(fund: FundResult, rules: RuleSet) -> str:
    applicable = sum(1 for r in fund.indicators if r.applicable)
    return (
        f"按“{rules.name}”评分规则，{applicable}项指标合计得分{format_score(fund.total)}分，"
        f"自评等级为“{fund.grade}”（{grade_bands(rules)}）。"
    )


def rescale_sentence(fund: FundResult) -> str:
    names = [r.model.name for r in fund.indicators if not r.applicable]
    if not names:
        return ""
    listed = "、".join(f"“{n}”" for n in names)
    return (
        f"其中{listed}本年度不适用，不计分；其余指标分值合计{format_score(fund.applicable_weight)}分，"
        f"得分按比例折算为百分制。"
    )


def overall_sentence(fund: FundResult) -> str:
    applicable = [r for r in fund.indicators if r.applicable]
    unmet = [r.model.name for r in applicable if not r.met]
    text = (
        f"对照年度总体目标，{len(applicable)}项绩效指标中{len(applicable) - len(unmet)}项达到目标值"
    )
    if unmet:
        text += "，" + "、".join(f"“{n}”" for n in unmet) + "未达到目标值，原因及改进措施见指标分析"
    return text + "。"


def conclusion_sentence(fund: FundResult, values: Mapping[str, str]) -> str:
    return f"经自评，{values['名称']}绩效自评得分{values['总分']}分，等级为“{values['等级']}”，" + (
        "年度绩效目标全部完成。"
        if all(r.met for r in fund.indicators if r.applicable)
        else "年度绩效目标基本完成。"
    )
