"""One render budget for a whole input: seconds and characters all its renders share.

Budgets per render add up without bound over many reports and snippets (fifty reports
each just under a ten-second limit, thousands of snippets each just under theirs), so
the renders of one input draw on one budget, opened by :func:`render_budget` around
the input's run. Kept apart from the sandbox so that checking an input, which fills
snippets but renders no template, never loads Jinja.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = [
    "MAX_RUN_OUTPUT",
    "MAX_SNIPPETS_OUTPUT",
    "RENDER_TIME_BUDGET",
    "BudgetExceeded",
    "RenderBudget",
    "current_budget",
    "render_budget",
    "spend_snippet",
]

#: Characters all template parts of one input may produce together: the largest valid
#: input (generator/limits.py: MAX_TOTAL_INDICATORS, MAX_TOTAL_TEXT) renders about 15 MB.
MAX_RUN_OUTPUT = 100_000_000
#: Characters all narrative snippets of one input may produce together: five times the
#: input's text (MAX_TOTAL_TEXT), which only names like {{ 资金用途 }} can multiply.
MAX_SNIPPETS_OUTPUT = 10_000_000
#: Seconds (of CPU time) all rendering of one input may take together: every part of
#: every report.
#: Reading, checking, compiling a template, the bound volume and writing need the rest
#: of the 10-second answer; the largest valid input renders in under a second.
RENDER_TIME_BUDGET = 3.0


class BudgetExceeded(Exception):
    """The input's renders used up a budget; the message is in Chinese."""


@dataclass
class RenderBudget:
    """What the rendering of one input may still use."""

    seconds: float
    left: float
    characters: int
    snippet_characters: int

    @classmethod
    def fresh(cls) -> RenderBudget:
        """A full budget, read from the constants when it is opened (tests lower them)."""
        return cls(RENDER_TIME_BUDGET, RENDER_TIME_BUDGET, MAX_RUN_OUTPUT, MAX_SNIPPETS_OUTPUT)


_budget: contextvars.ContextVar[RenderBudget | None] = contextvars.ContextVar(
    "genreport_render_budget", default=None
)


def current_budget() -> RenderBudget | None:
    """The budget of the input being rendered, if a run opened one."""
    return _budget.get()


@contextmanager
def render_budget() -> Iterator[RenderBudget]:
    """One budget for every render inside the block; a nested block shares the outer one."""
    current = _budget.get()
    if current is not None:
        yield current
        return
    budget = RenderBudget.fresh()
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def spend_snippet(characters: int) -> None:
    """Count a filled snippet against the budget; raise once the budget is used up."""
    budget = _budget.get()
    if budget is None:
        return
    budget.snippet_characters -= characters
    if budget.snippet_characters < 0:
        raise BudgetExceeded(f"占位符生成的内容合计超过上限（{MAX_SNIPPETS_OUTPUT}个字符），已停止")
