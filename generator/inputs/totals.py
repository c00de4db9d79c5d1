"""Bounds on a whole input, checked before any field of it is validated.

Per-field bounds (generator/inputs/bounds.py) keep each fund and each text reasonable,
but anchors and aliases (or a long workbook) multiply them: 50 funds of 250 indicators,
or one 20,000-character 说明 repeated by alias under every indicator, are valid field by
field and together far more than one answer within 10 seconds can check, render and
bind into a volume. These totals are what the documented answer time was measured for
(benchmarks/bench.py runs the largest input they allow).
"""

from __future__ import annotations

from typing import Any

from generator.errors import Problem
from generator.inputs.source import LoadedInput
from generator.limits import MAX_TOTAL_INDICATORS, MAX_TOTAL_TEXT

__all__ = ["total_problems"]


def total_problems(loaded: LoadedInput) -> list[Problem]:
    """Problems for an input whose indicators or text, all funds together, exceed the totals."""
    data = loaded.data
    if not isinstance(data, dict):
        return []
    funds = data.get("项目")
    where = loaded.location(("项目",))
    problems = []
    indicators = sum(
        len(fund["指标"])
        for fund in (funds if isinstance(funds, list) else [])
        if isinstance(fund, dict) and isinstance(fund.get("指标"), list)
    )
    if indicators > MAX_TOTAL_INDICATORS:
        problems.append(
            Problem(
                where,
                f"全部资金的指标合计过多：共{indicators}项，上限{MAX_TOTAL_INDICATORS}项"
                "（用锚点和别名重复的也逐项计算）；请拆分为多个输入文件",
            )
        )
    characters = _text_size(data, MAX_TOTAL_TEXT)
    if characters > MAX_TOTAL_TEXT:
        problems.append(
            Problem(
                where,
                f"全部文字合计过长：超过{MAX_TOTAL_TEXT}字（用锚点和别名重复的文字也逐次计算）；"
                "请精简叙述和说明，或拆分为多个输入文件",
            )
        )
    return problems


def _text_size(data: Any, limit: int) -> int:
    """Characters of every text in ``data``, each alias counted where it appears.

    Stops as soon as the total passes ``limit``: the walk is bounded by the reader's
    node limit either way, but need not finish to know the answer.
    """
    total = 0
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            total += len(value)
            if total > limit:
                return total
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return total
