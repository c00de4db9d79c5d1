"""The one Jinja environment factory: sandboxed, strict, bounded.

Narrative snippets come from input files and templates may be edited by users, so
neither may reach Python internals, files or modules, and a mistyped name must be
an error rather than an empty string in a report that leadership signs.
"""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = ["MAX_RANGE", "make_environment"]

#: The largest ``range()`` a template may build; bigger loops are refused.
MAX_RANGE = 10_000


def _safe_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise OverflowError(f"range() 过大（{len(result)} 项，上限 {MAX_RANGE}）")
    return result


def make_environment(*, autoescape: bool) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment; ``autoescape`` is on for Word XML, off for plain text."""
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=False,
    )
    globals_: dict[str, Any] = {"range": _safe_range}
    env.globals.clear()
    env.globals.update(globals_)
    return env
