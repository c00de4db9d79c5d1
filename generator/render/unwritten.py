"""Narrative the author still has to write: the visible marker and the check that finds it.

A report never fills an empty slot with a claim (「未发现截留、挤占、挪用」): a slot the
outline must print is set as 【待填：…】 instead, which ``check`` reports and
``--strict`` refuses, so nobody signs a report with a hole in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator.errors import Location, Problem, Severity
from generator.inputs.source import FieldPath
from generator.render.context import ReportContext
from generator.render.narrative import MARKER_HEAD, marker

__all__ = ["MARKER_HEAD", "marker", "unwritten_slots"]


def unwritten_slots(
    contexts: Iterable[ReportContext],
    locate: Callable[[FieldPath], Location],
    printed: Callable[[ReportContext], frozenset[str]],
) -> list[Problem]:
    """One warning per slot left as a marker that the fund's template prints.

    ``printed`` gives the slots a context's template uses (render.slots.slots_used of
    its template), so a custom template that leaves a section out is not nagged.
    """
    problems = []
    for ctx in contexts:
        used = printed(ctx)
        for slot, paragraphs in ctx.values["节"].items():
            if slot in used and any(MARKER_HEAD in p for p in paragraphs):
                problems.append(
                    Problem(
                        locate(("项目", ctx.fund.index, "叙述", slot)),
                        f"叙述.{slot} 未填写，报告中印为“{marker(slot)}”",
                        Severity.WARNING,
                        f"请在“叙述”下填写“{slot}”（提纲“{ctx.fund.outline}”须写这一节）",
                    )
                )
    return problems
