"""Render ``{{ 名称 }}`` placeholders in narrative text, in the sandbox.

Unknown names are input errors naming the placeholder, the field and its line, so a
typo never reaches leadership as an empty gap in a sentence.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from jinja2 import Template, TemplateError, TemplateSyntaxError, UndefinedError, meta
from jinja2.exceptions import SecurityError

from generator.render.sandbox import RenderLimitError, make_environment

__all__ = ["PlaceholderError", "placeholder_names", "render_text"]

_ENV = make_environment(autoescape=False)


class PlaceholderError(ValueError):
    """A snippet cannot be rendered; the message is in Chinese and names the cause."""


def placeholder_names(text: str) -> set[str]:
    """Names a snippet uses (empty for plain text)."""
    if "{" not in text:
        return set()
    try:
        return set(_names(text))
    except TemplateSyntaxError as exc:
        raise PlaceholderError(f"占位符写法有误：{exc.message}") from None


@functools.lru_cache(maxsize=1024)
def _names(text: str) -> frozenset[str]:
    return frozenset(meta.find_undeclared_variables(_ENV.parse(text)))


@functools.lru_cache(maxsize=1024)
def _template(text: str) -> Template:
    """Each distinct snippet compiled once per process (default texts recur in every input)."""
    return _ENV.from_string(text)


def render_text(text: str, values: Mapping[str, object]) -> str:
    """Fill the placeholders of ``text`` from ``values``; plain text passes through."""
    if "{" not in text:
        return text
    unknown = sorted(placeholder_names(text) - set(values))
    if unknown:
        available = "、".join(values)
        names = "、".join(f"{{{{ {name} }}}}" for name in unknown)
        raise PlaceholderError(f"未知的占位符 {names}（此处可用：{available}）")
    try:
        return _template(text).render(dict(values))
    except RenderLimitError as exc:
        raise PlaceholderError(f"占位符超出渲染限制：{exc.message}") from None
    except SecurityError:
        raise PlaceholderError("占位符试图访问不允许的内容，已拒绝") from None
    except UndefinedError as exc:
        raise PlaceholderError(f"占位符无法求值：{exc.message}") from None
    except TemplateSyntaxError as exc:
        raise PlaceholderError(f"占位符写法有误：{exc.message}") from None
    except (OverflowError, TypeError, ValueError, ArithmeticError, TemplateError) as exc:
        raise PlaceholderError(f"占位符无法求值：{exc}") from None
