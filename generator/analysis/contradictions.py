"""Contradictions the tool is sure of, and the 确认数字 that acknowledge them.

A figure typed in the input that names a quantity the tool computes (结余 282.88 where
the sources give 282.87, an indicator 「…到位率」 of 100% where the adjusted budget gives
97.73%) would print two values for one quantity: it stops the document unless the
fund's 确认数字 lists that exact figure with what it refers to and why it is right.
Heuristic findings (a figure that only looks like another) stay warnings elsewhere.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.analysis.compute import AUTO, FundResult, IndicatorResult, source_levels
from generator.core.money import HUNDRED, MONEY_UNITS, format_number, multiply, round_half_up
from generator.errors import Location, Problem, Severity, format_path
from generator.inputs.source import FieldPath

__all__ = [
    "Contradiction",
    "accounts_contradictions",
    "rate_indicator_contradictions",
    "rate_of_indicator",
    "settle",
]

Locator = Callable[[FieldPath], Location]


@dataclass(frozen=True)
class Contradiction:
    """A typed figure against the computed quantity it names; an error unless confirmed."""

    #: Where the figure was typed, below the fund (``("叙述", "资金安排")``).
    path: FieldPath
    message: str
    hint: str
    #: The figure as typed (``282.88万元``): the 数字 of its 确认数字 entry.
    figure: str
    #: The computed quantity it contradicts (``结余``): the 所指 of its 确认数字 entry.
    refers_to: str


def _key(text: str) -> str:
    """Figures and labels compared as typed, but not by width or spaces."""
    return "".join(unicodedata.normalize("NFKC", text).split())


_YAML_SPECIAL = re.compile(r"[:,\[\]{}#&*!|>'\"@`]|^[%\-?]|^\s|\s$")


def _yaml_value(text: str) -> str:
    """A value as it can be pasted into a YAML flow mapping."""
    return json.dumps(text, ensure_ascii=False) if _YAML_SPECIAL.search(text) else text


def _ack_lines(fund: FundResult, figure: str, refers_to: str) -> str:
    entry = f"{{数字: {_yaml_value(figure)}, 所指: {_yaml_value(refers_to)}, 理由: 写明为什么无误}}"
    return (
        f"若核对后确认无误，请在{format_path(('项目', fund.index))}中加上（已有“确认数字”时只加“- ”一行）：\n"
        f"    确认数字:\n      - {entry}"
    )


def settle(
    fund: FundResult, contradictions: Sequence[Contradiction], locate: Locator
) -> list[Problem]:
    """Errors for the contradictions 确认数字 does not acknowledge; warnings for entries
    that acknowledge nothing (left over once the text was corrected)."""
    confirmed = {
        (_key(entry.figure), _key(entry.refers_to)): k
        for k, entry in enumerate(fund.fund.confirmed)
    }
    used: set[int] = set()
    base: FieldPath = ("项目", fund.index)
    problems: list[Problem] = []
    seen: set[tuple[FieldPath, str]] = set()
    for found in contradictions:
        if (found.path, found.message) in seen:
            continue
        seen.add((found.path, found.message))
        k = confirmed.get((_key(found.figure), _key(found.refers_to)))
        if k is not None:
            used.add(k)
            continue
        hint = f"{found.hint}；{_ack_lines(fund, found.figure, found.refers_to)}"
        problems.append(Problem(locate((*base, *found.path)), found.message, Severity.ERROR, hint))
    for k, entry in enumerate(fund.fund.confirmed):
        if k not in used:
            problems.append(
                Problem(
                    locate((*base, "确认数字", k)),
                    f"确认数字“{entry.figure}”（所指{entry.refers_to}）没有对应的不一致之处",
                    Severity.WARNING,
                    "文中已无此数字，或所指与检查提示中的计算项不同；不再需要时请删去这一项",
                )
            )
    return problems


def _written_as(actual: Decimal, computed: Decimal, digits: str) -> bool:
    """``computed`` rounds to what was typed (``digits`` as written: 97.7 or 97.73)."""
    places = len(digits.partition(".")[2])
    return round_half_up(computed, places) == round_half_up(actual, places)


def _typed_digits(result: IndicatorResult) -> str:
    text = unicodedata.normalize("NFKC", result.model.actual or "")
    match = re.search(r"\d+(?:\.\d+)?", text)
    return match.group(0) if match else ""


_RATE_KEYS = ("到位率", "执行率")
_LEVEL_WORDS = ("中央", "省", "市", "县", "区", "旗", "彩票", "福彩", "体彩", "公益金", "结转")


def rate_of_indicator(fund: FundResult, result: IndicatorResult) -> tuple[str, Decimal] | None:
    """(label, computed percent) of the rate an indicator named like 「…资金到位率」 states.

    A name without a level is the fund's rate (「当年各级财政补助资金到位率」); a name with
    one is that source's rate when exactly one source has those levels; otherwise None
    (the tool does not know which money the indicator measures).
    """
    name = result.model.name
    key = next((k for k in _RATE_KEYS if name.endswith(k)), None)
    if key is None:
        return None
    money = fund.money
    kind, levels = source_levels(name)
    if not any(word in name for word in _LEVEL_WORDS) or levels == {"各级"}:
        rate = money.received_rate if key == "到位率" else money.execution_rate
        return (key, multiply(rate, HUNDRED)) if rate is not None else None
    same = [s for s in money.sources if s.levels == levels and s.kind == kind]
    if len(same) != 1:
        return None
    source = same[0]
    rate = source.received_rate if key == "到位率" else source.execution_rate
    return (f"{source.source}{key}", multiply(rate, HUNDRED)) if rate is not None else None


def rate_indicator_contradictions(fund: FundResult) -> Iterator[Contradiction]:
    """An indicator's typed 到位率/执行率 must be the rate computed from 资金."""
    for result in fund.indicators:
        if result.actual is None or result.actual.unit != "%" or result.model.actual == AUTO:
            continue
        rate = rate_of_indicator(fund, result)
        digits = _typed_digits(result)
        if rate is None or not digits or _written_as(result.actual.value, rate[1], digits):
            continue
        label, value = rate
        places = len(digits.partition(".")[2])
        shown = f"{format_number(round_half_up(value, max(places, 2)))}%"
        yield Contradiction(
            (*result.path[2:], "完成值"),
            f"指标“{result.model.name}”的完成值“{result.model.actual}”与计算所得{label} {shown}"
            "不一致（按资金各行的到位数、执行数和调整后预算数计算）",
            "请改为“完成值: 自动”；若年中调整或清算了预算，请在“资金”中填写调整数、清算数",
            result.model.actual or "",
            label,
        )


_MONTH_NAMES = ("可支付月数", "可支配月数", "支付月数")
_ACCUMULATED = "累计结余"


def accounts_contradictions(fund: FundResult) -> Iterator[Contradiction]:
    """Indicators stating 可支付月数 or 累计结余 must agree with 基金收支."""
    accounts = fund.accounts
    if accounts is None:
        return
    for result in fund.indicators:
        actual, name = result.actual, result.model.name
        digits = _typed_digits(result)
        if actual is None or not digits:
            continue
        where: FieldPath = (*result.path[2:], "完成值")
        if any(word in name for word in _MONTH_NAMES) and accounts.months_payable is not None:
            months = accounts.months_payable
            if actual.unit in ("", "月", "个月") and not _written_as(actual.value, months, digits):
                yield Contradiction(
                    where,
                    f"指标“{name}”的完成值“{result.model.actual}”与按基金收支计算的可支付月数 "
                    f"{format_number(months)}个月不一致（累计结余 ÷（支出 ÷ 12））",
                    "请核对基金收支的累计结余和支出，或改正完成值",
                    result.model.actual or "",
                    "可支付月数",
                )
        elif _ACCUMULATED in name and accounts.accumulated_balance is not None:
            if actual.unit != "元":
                continue
            # Parsed actuals carry 万/亿 in the value, in 元: 70106.4万元 is 701064000.
            typed = result.model.actual or ""
            scale = MONEY_UNITS["亿元" if "亿" in typed else "万元" if "万" in typed else "元"]
            balance = accounts.accumulated_balance * MONEY_UNITS[fund.money_unit]
            if not _written_as(actual.value / scale, balance / scale, digits):
                shown = format_number(accounts.accumulated_balance)
                yield Contradiction(
                    where,
                    f"指标“{name}”的完成值“{typed}”与基金收支的累计结余 "
                    f"{shown}{fund.money_unit}不一致",
                    "请核对基金收支的累计结余，或改正完成值",
                    typed,
                    _ACCUMULATED,
                )
