"""The one Jinja environment factory: sandboxed, strict, bounded.

Narrative snippets come from input files and templates may be edited by users, so
neither may reach Python internals, files or modules, and a mistyped name must be
an error rather than an empty string in a report that leadership signs.

Bounded: Jinja's sandbox stops attribute tricks but not ``{{ "字" * 10**9 }}`` or a loop
of ten billion steps. :class:`BoundedSandbox` refuses oversized results before they are
built and stops any render that runs past its time budget (limits.py): cooperatively at
every call, attribute access, operator and ``range`` step, and on POSIX also by a timer
signal, which interrupts even a tight loop that calls nothing.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.exceptions import TemplateRuntimeError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import limits

__all__ = [
    "MAX_RANGE",
    "BoundedSandbox",
    "RenderLimitError",
    "make_environment",
    "render_budget",
]

#: The largest ``range()`` a template may build; bigger loops are refused.
MAX_RANGE = 10_000

_DEADLINE: ContextVar[float | None] = ContextVar("genreport_render_deadline", default=None)
#: A printf or str.format width/precision of seven digits or more builds megabytes.
_HUGE_PRINTF = re.compile(r"%[-+ #0]*(?:\d{7,}|\*)|%[-+ #0]*\d*\.\d{7,}")
_HUGE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*\d{7,}[^{}]*\}")
#: Filters and str methods whose integer arguments are the size of what they build.
_SIZED_FILTERS = frozenset({"center", "indent", "slice", "batch"})
_SIZED_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class RenderLimitError(TemplateRuntimeError):
    """A template or snippet went beyond a bound in limits.py; the message is Chinese."""


def _timeout() -> RenderLimitError:
    return RenderLimitError(
        f"渲染用时超过{limits.MAX_RENDER_SECONDS:g}秒上限，已停止（模板或占位符中可能有过大的循环）"
    )


def _check_deadline() -> None:
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise _timeout()


def _on_alarm(signum: int, frame: Any) -> None:
    raise _timeout()


@contextlib.contextmanager
def render_budget(seconds: float | None = None) -> Iterator[None]:
    """Bound the wall-clock time of everything rendered inside; nested budgets share one."""
    if _DEADLINE.get() is not None:
        yield
        return
    budget = limits.MAX_RENDER_SECONDS if seconds is None else seconds
    token = _DEADLINE.set(time.monotonic() + budget)
    use_timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous: Any = None
    if use_timer:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        yield
    finally:
        if use_timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _DEADLINE.reset(token)


class _BoundedTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        with render_budget():
            return super().render(*args, **kwargs)


def _too_big(what: str) -> RenderLimitError:
    return RenderLimitError(f"{what}超过{limits.MAX_RENDERED_STRING}个字符的上限，已拒绝")


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


def _check_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) \
                and abs(value) > limits.MAX_RENDERED_STRING:
            raise _too_big("参数")


class _BoundedRange:
    """``range()`` that refuses huge sizes and checks the time budget as it goes."""

    def __init__(self, *args: int) -> None:
        self._range = range(*args)
        if len(self._range) > MAX_RANGE:
            raise RenderLimitError(f"range() 过大（{len(self._range)} 项，上限 {MAX_RANGE}）")

    def __len__(self) -> int:
        return len(self._range)

    def __iter__(self) -> Iterator[int]:
        for index, value in enumerate(self._range):
            if index % 256 == 0:
                _check_deadline()
            yield value


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Sandboxed, strict, and bounded in time and in the size of what it builds."""

    template_class = _BoundedTemplate
    # Intercepting also stops Jinja from folding ``9**9**9`` while compiling.
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        options.setdefault("undefined", StrictUndefined)
        super().__init__(**options)
        self.globals["range"] = _BoundedRange
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _check_deadline()
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(times, int) \
                        and size * times > limits.MAX_RENDERED_STRING:
                    raise _too_big("重复生成的内容")
        elif operator == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None and a + b > limits.MAX_RENDERED_STRING:
                raise _too_big("拼接的内容")
        elif operator == "**":
            if isinstance(right, int) and isinstance(left, int) and abs(left) > 1 \
                    and right * max(abs(left).bit_length(), 1) > 64 * 1024:
                raise RenderLimitError("乘方结果过大，已拒绝")
        elif operator == "%" and isinstance(left, str) and _HUGE_PRINTF.search(left):
            raise _too_big("格式化结果")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_deadline()
        # Jinja hands out str.format wrapped; the string is on the wrapped method.
        method = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(owner, str):
            if name in _SIZED_METHODS:
                _check_args(args, kwargs)
            elif name in {"format", "format_map"} and _HUGE_FORMAT.search(owner):
                raise _too_big("格式化结果")
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_deadline()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_deadline()
        return super().getitem(obj, argument)


def _bounded_filter(name: str, function: Any) -> Any:
    """Filters are called directly by compiled templates: check their arguments here."""
    if getattr(function, "_genreport_bounded", False):
        return function
    # Arguments after the value; a pass_context/pass_environment filter gets one more first.
    skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1

    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_deadline()
        if name in _SIZED_FILTERS:
            _check_args(args[skip:], kwargs)
        elif name == "format" and len(args) >= skip and isinstance(args[skip - 1], str) \
                and _HUGE_PRINTF.search(args[skip - 1]):
            raise _too_big("格式化结果")
        return function(*args, **kwargs)

    for attribute in ("jinja_pass_arg", "__name__", "__doc__"):
        if hasattr(function, attribute):
            setattr(bounded, attribute, getattr(function, attribute))
    bounded._genreport_bounded = True  # type: ignore[attr-defined]
    return bounded


def make_environment(*, autoescape: bool) -> BoundedSandbox:
    """A sandboxed environment; ``autoescape`` is on for Word XML, off for plain text."""
    env = BoundedSandbox(autoescape=autoescape, keep_trailing_newline=False)
    env.globals.clear()
    env.globals["range"] = _BoundedRange
    return env
