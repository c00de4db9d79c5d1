"""What a report does not print verbatim but its input said, kept as document properties.

(The figures a bureau confirmed, 确认数字, are not printed either: their reasons are
notes for the checker.)

The transfer-payment 自评表 has no 分值 column and the text names a weight only where an
indicator fell short; a score set by hand (得分 with its 评分说明) is woven into a
generated sentence; «完成值: 自动» is printed as the rate it stands for; and a signed
report never names its rule set. So that ``genreport import`` can give these back, each
report records them in custom properties (Word: 文件→属性→自定义), where anyone can see
them; a document without them is read from its text alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from generator.render.fingerprint import FACTS_PREFIX

__all__ = [
    "AUTOMATIC",
    "RULE_SET_FACT",
    "IndicatorFacts",
    "confirmed_fact",
    "facts_of",
    "indicators_fact",
    "read_confirmed",
    "read_indicators",
    "report_facts",
]

#: The rule set the input chose, when it is not the default.
RULE_SET_FACT = f"{FACTS_PREFIX}评分规则"
_DEFAULT_RULE_SET = "国家"
#: The input keys of an indicator a report does not print verbatim (指标类型 settles how
#: a target like «500人左右» is scored; the report shows only the result).
_KEYS = ("名称", "分值", "得分", "评分说明", "完成值", "指标类型", "评级")
AUTOMATIC = "自动"

#: One indicator's facts: contract key → value as text.
IndicatorFacts = dict[str, str]


def indicators_fact(number: int) -> str:
    """The property holding the facts of the ``number``-th report (1-based) of a file."""
    return f"{FACTS_PREFIX}指标-{number}"


def facts_of(indicator: Any) -> IndicatorFacts:
    """The facts of one input indicator (a :class:`generator.inputs.models.Indicator`)."""
    found: IndicatorFacts = {"名称": indicator.name}
    if indicator.weight is not None:
        found["分值"] = format(indicator.weight, "f")
    if indicator.score is not None:
        found["得分"] = format(indicator.score, "f")
    if indicator.score_note:
        found["评分说明"] = indicator.score_note
    if indicator.kind is not None:
        found["指标类型"] = indicator.kind
    if indicator.rating is not None:
        found["评级"] = indicator.rating  # the form shows a text actual without it
    if indicator.actual == AUTOMATIC:
        found["完成值"] = AUTOMATIC
    return found


def confirmed_fact(number: int) -> str:
    """The property holding the 确认数字 of the ``number``-th report (1-based) of a file."""
    return f"{FACTS_PREFIX}确认数字-{number}"


def report_facts(funds: Sequence[Any], rule_set: str) -> dict[str, str]:
    """The properties of a file holding the reports of these input funds, in order."""
    facts: dict[str, str] = {}
    for number, fund in enumerate(funds, 1):
        listed = [facts_of(i) for i in fund.indicators]
        if any(len(item) > 1 for item in listed):
            facts[indicators_fact(number)] = json.dumps(listed, ensure_ascii=False)
        if fund.confirmed:
            confirmed = [
                {"数字": c.figure, "所指": c.refers_to, "理由": c.reason} for c in fund.confirmed
            ]
            facts[confirmed_fact(number)] = json.dumps(confirmed, ensure_ascii=False)
    if rule_set != _DEFAULT_RULE_SET:
        facts[RULE_SET_FACT] = rule_set
    return facts


def read_confirmed(properties: Mapping[str, str], number: int) -> list[dict[str, str]]:
    """The 确认数字 recorded for the ``number``-th report; [] if none or garbled."""
    text = properties.get(confirmed_fact(number))
    if not text:
        return []
    try:
        items = json.loads(text)
    except ValueError:
        return []
    keys = ("数字", "所指", "理由")
    return [
        {key: str(item[key]) for key in keys}
        for item in items
        if isinstance(item, dict) and all(key in item for key in keys)
    ]


def read_indicators(properties: Mapping[str, str], number: int) -> list[IndicatorFacts]:
    """The facts recorded for the ``number``-th report; [] if none or garbled."""
    text = properties.get(indicators_fact(number))
    if not text:
        return []
    try:
        items = json.loads(text)
        result = [
            {key: str(item[key]) for key in _KEYS if key in item}
            for item in items
            if isinstance(item, dict) and "名称" in item
        ]
        for item in result:
            if "分值" in item:
                Decimal(item["分值"])
        return result
    except (ValueError, TypeError, ArithmeticError):
        return []
