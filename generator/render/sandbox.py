"""The Jinja environment of Word templates: sandboxed, strict, bounded.

Templates may be edited by users (or mailed in), so they may not reach Python internals,
files or modules, and a mistyped name must be an error rather than an empty string in a
report that leadership signs. (Narrative snippets never run Jinja: generator/render/
placeholders.py fills ``{{ 名称 }}`` itself and refuses everything else.)

Jinja's sandbox blocks internals but not size: ``'x' * 10**9``, ``range(10**9)``,
``'x'|center(10**9)`` or a doubling loop can still exhaust memory or time. Every
render here therefore runs against a time budget and an output limit, and every
operation that can multiply size (``*``, ``**``, ``+``, ``%``, calls, filters,
namespace assignments) checks what it is about to build before building it. The
budget is one for all renders of an input (generator/render/budget.py), so many reports or
parts each just under a limit cannot add up to more than the 10-second answer allows.
"""

from __future__ import annotations

import contextvars
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import wraps
from typing import Any

from jinja2 import Environment, StrictUndefined, Template, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

from generator.render import budget as run_budget
from generator.render.budget import RenderBudget

__all__ = [
    "MAX_NUMBER",
    "MAX_RANGE",
    "TICK_FILTER",
    "BoundedSandbox",
    "RenderLimitError",
]

#: The largest ``range()`` a template may build; bigger loops are refused.
MAX_RANGE = 10_000
#: The largest integer argument a call or filter may receive (widths, counts…).
MAX_NUMBER = 100_000
#: Characters one rendered template part may produce (a report's document.xml is < 2 MB).
MAX_TEMPLATE_OUTPUT = 20_000_000
_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "genreport_render_deadline", default=None
)
_limit: contextvars.ContextVar[int] = contextvars.ContextVar(
    "genreport_render_limit", default=MAX_TEMPLATE_OUTPUT
)
# %-format and str.format width/precision: a number of four or more digits.
_BIG_FORMAT_WIDTH = re.compile(r"%[^a-zA-Z%]*(?:\d{4,}|\*)|{[^{}]*:[^{}]*\d{4,}[^{}]*}")
_GROWING_METHODS = {
    "center",
    "ljust",
    "rjust",
    "zfill",
    "expandtabs",
    "replace",
    "join",
    "format",
    "format_map",
}


class RenderLimitError(SecurityError):
    """A render went past its time budget or size limit; the message is in Chinese."""


def _time_message(seconds: float) -> str:
    return f"渲染超过时间上限（{seconds:g}秒），可能含有过大或嵌套过深的循环，已停止"


def _tick() -> None:
    """Fail when the current render has used up its time budget.

    Time is the process's CPU time: a loop spends it, while waiting for a busy machine
    does not, so a valid input is never refused for the load others put on the machine.
    """
    current = _deadline.get()
    if current is not None and time.process_time() > current[0]:
        raise RenderLimitError(_time_message(current[1]))


_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


def _size(value: object) -> int:
    return len(value) if isinstance(value, _SIZED) else 0


def _check_value(value: object) -> None:
    limit = _limit.get()
    if _size(value) > limit:
        raise RenderLimitError(f"生成的内容超过上限（{limit}个字符），已停止")


def _check_args(args: Sequence[object], kwargs: Mapping[str, object]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise RenderLimitError(f"参数 {value} 过大（上限 {MAX_NUMBER}），已拒绝")
        _check_value(value)


def _check_growth(target: object, name: str, args: Sequence[object]) -> None:
    """Refuse str methods whose result would exceed the limit, before they allocate it."""
    if not isinstance(target, str) or name not in _GROWING_METHODS:
        return
    if name in ("format", "format_map") and _BIG_FORMAT_WIDTH.search(target):
        raise RenderLimitError("格式宽度过大，已拒绝")
    estimate = len(target)
    if name == "replace" and len(args) >= 2:
        estimate = len(target) * (_size(args[1]) + 1) + _size(args[1])
    elif name == "join" and args and isinstance(args[0], list | tuple):
        estimate = sum(_size(item) for item in args[0]) + len(target) * len(args[0])
    if estimate > _limit.get():
        raise RenderLimitError(f"生成的内容超过上限（{_limit.get()}个字符），已停止")


#: The hidden filter every ``{% for %}`` iterable passes through (see BoundedSandbox._parse).
TICK_FILTER = "genreport_tick"


def _ticking(iterable: Any) -> Iterator[Any]:
    """Check the time budget every 64 loop steps, whatever the loop runs over.

    64 steps of even an empty loop take microseconds, and a loop nested inside ticks
    on its first step, each time it starts.
    """
    for step, item in enumerate(iterable):
        if not step & 63:
            _tick()
        yield item


class _BoundedRange(Sequence[int]):
    """``range()`` for templates: capped in length and checking the time budget per step."""

    def __init__(self, *args: int) -> None:
        self._range = range(*args)
        if len(self._range) > MAX_RANGE:
            raise RenderLimitError(
                f"range() 过大（{len(self._range)} 项，上限 {MAX_RANGE}），已拒绝"
            )

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __iter__(self) -> Iterator[int]:
        for item in self._range:
            _tick()
            yield item


class _BoundedNamespace(Namespace):
    """``namespace()`` whose assignments cannot grow a value past the limit."""

    def __setitem__(self, name: str, value: Any) -> None:
        _tick()
        _check_value(value)
        super().__setitem__(name, value)


def _bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter: arguments that set sizes are capped, results are measured."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _tick()
        rest = list(args)
        while rest and isinstance(rest[0], Context | EvalContext | Environment):
            rest.pop(0)
        value, options = (rest[0], rest[1:]) if rest else (None, [])
        _check_value(value)
        _check_args(options, kwargs)
        name = func.__name__
        if name == "do_format" and isinstance(value, str) and _BIG_FORMAT_WIDTH.search(value):
            raise RenderLimitError("格式宽度过大，已拒绝")
        if name == "do_join" and isinstance(value, list | tuple):
            separator = _size(options[0]) if options else 0
            if sum(_size(item) for item in value) + separator * len(value) > _limit.get():
                raise RenderLimitError(f"生成的内容超过上限（{_limit.get()}个字符），已停止")
        result = func(*args, **kwargs)
        _check_value(result)
        return result

    return wrapper


def _size_message(limit: int, budget: RenderBudget) -> str:
    if limit < MAX_TEMPLATE_OUTPUT and limit == budget.characters:
        return f"全部报告合计生成的内容超过上限（{run_budget.MAX_RUN_OUTPUT}个字符），已停止"
    return f"生成的内容超过上限（{limit}个字符），已停止"


class BoundedTemplate(Template):
    """A template whose render stops at the time budget and the output limit."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render within what is left of the input's budget (a fresh one outside a run)."""
        env = self.environment
        budget = run_budget.current_budget() or RenderBudget.fresh()
        if budget.left <= 0:
            raise RenderLimitError(_time_message(budget.seconds))
        limit = min(MAX_TEMPLATE_OUTPUT, budget.characters)
        ctx = self.new_context(dict(*args, **kwargs))
        start = time.process_time()
        deadline_token = _deadline.set((start + budget.left, budget.seconds))
        limit_token = _limit.set(limit)
        size = 0
        try:
            parts: list[str] = []
            append = parts.append
            try:
                for chunk in self.root_render_func(ctx):
                    size += len(chunk)
                    if size > limit:
                        raise RenderLimitError(_size_message(limit, budget))
                    append(chunk)
                    # The clock every 64 pieces: a report yields about a thousand, and the
                    # work between two pieces (calls, operators, loop steps) ticks itself.
                    if not len(parts) & 63:
                        _tick()
            except RecursionError:
                raise RenderLimitError("模板嵌套或递归过深，已停止") from None
            return env.concat(parts)
        except Exception:
            env.handle_exception()
        finally:
            budget.left -= time.process_time() - start
            budget.characters -= size
            _limit.reset(limit_token)
            _deadline.reset(deadline_token)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox plus time and size bounds on everything that can grow."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    #: Nondeterministic or introspective filters a report has no use for.
    _REMOVED_FILTERS = ("random", "pprint")

    def __init__(self, **options: Any) -> None:
        """Strict undefined always, and the helpers templates use.

        Globals are ``range``, ``namespace``, ``dict``, ``cycler`` and ``joiner`` (never
        ``lipsum``: it is random).
        """
        options.setdefault("undefined", StrictUndefined)
        super().__init__(**options)
        for name in self._REMOVED_FILTERS:
            self.filters.pop(name, None)
        for name, func in list(self.filters.items()):
            self.filters[name] = _bounded_filter(func)
        self.filters[TICK_FILTER] = _ticking
        self.globals.clear()
        self.globals.update(
            range=_BoundedRange,
            namespace=_BoundedNamespace,
            dict=dict,
            cycler=Cycler,
            joiner=Joiner,
        )

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """Refuse at once: an undefined placeholder would let a chain go on to a vaguer error."""
        raise SecurityError(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe."
        )

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Refuse references to other templates; route every loop through the ticking filter.

        Templates have no loader (a template is one .docx), so ``{% include %}`` and its
        kin would fail with an English message at render time; here they are refused
        while compiling, with the line. Nested loops over long context values do no call, binop or output a bound could
        notice; the filter makes every step check the time budget.
        """
        tree = super()._parse(source, name, filename)
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            raise TemplateSyntaxError(
                "模板不能引用其他模板或文件（{% include %}、{% import %}、{% from %}、"
                "{% extends %}）：请把要用的内容直接写在这个模板中",
                node.lineno,
                name,
                filename,
            )
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, TICK_FILTER, [], [], None, None, lineno=loop.lineno)
        return tree

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        limit = _limit.get()
        if (
            operator == "**"
            and isinstance(right, int)
            and abs(right) > 1000
            and not (isinstance(left, int) and abs(left) <= 1)
        ):
            raise RenderLimitError(f"乘方 {right} 次过大，已拒绝")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if _size(seq) and isinstance(count, int) and _size(seq) * count > limit:
                    raise RenderLimitError(f"生成的内容超过上限（{limit}个字符），已停止")
        if operator == "+" and _size(left) + _size(right) > limit:
            raise RenderLimitError(f"生成的内容超过上限（{limit}个字符），已停止")
        if operator == "%" and isinstance(left, str) and _BIG_FORMAT_WIDTH.search(left):
            raise RenderLimitError("格式宽度过大，已拒绝")
        result = super().call_binop(context, operator, left, right)
        _check_value(result)
        return result

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_args(args, kwargs)
        target = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        _check_growth(target, getattr(__obj, "__name__", ""), args)
        result = super().call(__context, __obj, *args, **kwargs)
        _check_value(result)
        return result
