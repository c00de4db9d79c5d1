"""Year over year: how this year's actual compares with last year's.

Rates change by percentage points (“较上年提高2.26个百分点”), counts and amounts by
percent (“较上年下降2.02%”): writing a rate's change as a percent is the classic
mistake in retyped reports. Last year's value comes from 上年完成值 or, with
``--previous``, from last year's input, matched by fund and indicator name.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.analysis.compute import FundResult, IndicatorResult, ReportResult
from generator.core.money import HUNDRED, format_number, multiply, round_half_up
from generator.core.quantities import Kind, Quantity, parse_actual, parse_target, units_compatible
from generator.errors import Location, Problem, Severity
from generator.inputs.models import Fund, Indicator, ReportInput
from generator.inputs.source import FieldPath

__all__ = ["change_text", "merge_previous", "previous_sentence"]

Locator = Callable[[FieldPath], Location]


def change_text(previous: Quantity, current: Quantity) -> str:
    """“较上年提高2.26个百分点” for rates, “较上年增长6.07%” for counts and amounts."""
    if current.value == previous.value:
        return "与上年持平"
    if current.unit == "%" or previous.unit == "%":
        points = round_half_up(current.value - previous.value)
        word = "提高" if points > 0 else "降低"
        return f"较上年{word}{format_number(abs(points))}个百分点"
    if previous.value == 0:
        unit = current.unit or previous.unit
        return f"较上年增加{format_number(current.value)}{unit}"
    change = multiply((current.value - previous.value) / previous.value, HUNDRED)
    word = "增长" if change > 0 else "下降"
    return f"较上年{word}{format_number(abs(change))}%"


def previous_sentence(result: IndicatorResult) -> str:
    """“上年为318905人，较上年下降2.02%。” or "" when there is nothing to compare."""
    if result.previous is None or result.actual is None or not result.applicable:
        return ""
    shown = f"{format_number(result.previous.value)}{result.previous.unit}"
    return f"上年为{shown}，{change_text(result.previous, result.actual)}。"


def merge_previous(
    model: ReportInput, last: ReportResult, locate: Locator
) -> tuple[ReportInput, list[Problem]]:
    """Fill each missing 上年完成值 from last year's computed actual of the same indicator.

    A value written in the input wins; an indicator whose unit changed is left alone
    with a warning, so a silent comparison of unlike things never reaches the report.
    """
    notes: list[Problem] = []
    funds = []
    for i, fund in enumerate(model.funds):
        match = _matching_fund(fund, last)
        if match is None:
            funds.append(fund)
            continue
        actuals = {
            r.model.name: r for r in match.indicators if r.applicable and r.actual is not None
        }
        indicators = []
        for j, ind in enumerate(fund.indicators):
            old = actuals.get(ind.name)
            indicators.append(
                ind
                if old is None or ind.previous
                else _with_previous(ind, old, locate(("项目", i, "指标", j)), notes)
            )
        funds.append(fund.model_copy(update={"indicators": indicators}))
    return model.model_copy(update={"funds": funds}), notes


def _matching_fund(fund: Fund, last: ReportResult) -> FundResult | None:
    same_type = [f for f in last.funds if f.fund.type == fund.type]
    named = [f for f in same_type if (f.fund.name or "") == (fund.name or "")]
    if len(named) == 1:
        return named[0]
    return same_type[0] if len(same_type) == 1 else None


def _with_previous(
    ind: Indicator, old: IndicatorResult, where: Location, notes: list[Problem]
) -> Indicator:
    text = old.actual_text
    try:
        target = parse_target(ind.target)
        unit_ok = target.kind is not Kind.QUALITATIVE and units_compatible(
            target, parse_actual(text)
        )
    except ValueError:
        unit_ok = False
    if not unit_ok:
        notes.append(
            Problem(
                Location(where.file, where.line, (*where.path, "上年完成值")),
                f"上年输入中“{ind.name}”的完成值“{text}”与本年指标值“{ind.target}”单位不同，未作同比",
                Severity.WARNING,
                "如需同比，请在本年输入中直接填写“上年完成值”",
            )
        )
        return ind
    return ind.model_copy(update={"previous": text})
