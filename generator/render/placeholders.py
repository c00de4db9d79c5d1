"""Fill ``{{ 名称 }}`` placeholders in narrative text: names only, checked before filling.

Placeholders only print figures the tool computed (docs/占位符.md): a snippet is plain
text and ``{{ 名称 }}`` markers, nothing else. Anything Jinja would run (``{% for %}``,
``{% set %}``, ``{{ 到位率 * 2 }}``, ``{{ 名称.upper() }}``, filters, comments) is refused
by a strict grammar before any value is filled in, so a snippet can neither compute nor
loop, and filling it is one pass over its text. Unknown names are input errors naming
the placeholder (the caller adds the field and its line), so a typo never reaches
leadership as an empty gap in a sentence. All snippets of one input draw on one
render budget (generator/render/budget.py). Jinja is never loaded for them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from generator.render.budget import BudgetExceeded, spend_snippet

__all__ = [
    "ALLOWED_FORM",
    "PlaceholderError",
    "SnippetBudgetError",
    "placeholder_names",
    "render_text",
]

#: What a placeholder may be; every refusal ends with it.
ALLOWED_FORM = (
    "占位符只能写成 {{ 名称 }}（如 {{ 到位率 }}），不能做运算、调用函数、访问属性，"
    "也不能使用 {% … %} 语句、循环或 {# … #} 注释（见 docs/占位符.md）"
)

# Jinja's delimiters: text between them is literal, whatever else it holds.
_OPENING = re.compile(r"\{[{%#]")
# ``{{ 名称 }}``: a name as Jinja reads one (``[^\W\d]\w*``), spaces allowed around it.
_PLACEHOLDER = re.compile(r"\{\{\s*([^\W\d]\w*)\s*\}\}")
_CLOSING = {"{{": "}}", "{%": "%}", "{#": "#}"}
#: Characters of a refused piece quoted in the message.
_QUOTE_LIMIT = 60


class PlaceholderError(ValueError):
    """A snippet cannot be filled; the message is in Chinese and names the cause."""


class SnippetBudgetError(PlaceholderError):
    """The input's snippets together produced more than the render budget allows."""


def _quoted(text: str, start: int) -> str:
    """The piece starting at ``start`` up to its closing delimiter (or a short prefix)."""
    closing = _CLOSING[text[start : start + 2]]
    end = text.find(closing, start + 2)
    piece = text[start : end + 2] if end >= 0 else text[start:]
    piece = " ".join(piece.split())
    return piece if len(piece) <= _QUOTE_LIMIT else piece[: _QUOTE_LIMIT - 1] + "…"


def _refusal(text: str, start: int) -> PlaceholderError:
    opening = text[start : start + 2]
    piece = _quoted(text, start)
    if opening == "{%":
        what = f"“{piece}”是模板语句，叙述中不能使用"
    elif opening == "{#":
        what = f"“{piece}”是模板注释，叙述中不能使用"
    elif text.find("}}", start + 2) < 0:
        what = f"“{piece}”缺少结尾的“}}}}”"
    else:
        what = f"“{piece}”不是占位符的写法"
    return PlaceholderError(f"{what}：{ALLOWED_FORM}")


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(literal pieces, names): ``text`` is pieces[0] + value(names[0]) + pieces[1] + …

    Each distinct snippet is parsed once per process (default texts recur in every
    input, and an input's 说明 are often copies of one another).
    """
    pieces: list[str] = []
    names: list[str] = []
    position = 0
    while (opening := _OPENING.search(text, position)) is not None:
        start = opening.start()
        match = _PLACEHOLDER.match(text, start)
        if match is None:
            raise _refusal(text, start)
        pieces.append(text[position:start])
        names.append(match.group(1))
        position = match.end()
    pieces.append(text[position:])
    return tuple(pieces), tuple(names)


def placeholder_names(text: str) -> set[str]:
    """Names a snippet uses (empty for plain text); a snippet outside the grammar is refused."""
    if "{" not in text:
        return set()
    return set(_parse(text)[1])


def render_text(text: str, values: Mapping[str, object]) -> str:
    """Fill the placeholders of ``text`` from ``values``; plain text passes through.

    The result is what Jinja would print for the same snippet (a final line break of the
    snippet dropped, as Jinja drops it), without running Jinja.
    """
    if "{" not in text:
        return text
    pieces, names = _parse(text)
    unknown = sorted(set(names) - set(values))
    if unknown:
        available = "、".join(values)
        listed = "、".join(f"{{{{ {name} }}}}" for name in unknown)
        raise PlaceholderError(f"未知的占位符 {listed}（此处可用：{available}）")
    last = pieces[-1]
    for ending in ("\r\n", "\n", "\r"):
        if last.endswith(ending):
            pieces = (*pieces[:-1], last[: -len(ending)])
            break
    parts = [pieces[0]]
    for name, piece in zip(names, pieces[1:], strict=True):
        parts += (str(values[name]), piece)
    result = "".join(parts)
    try:
        spend_snippet(len(result))
    except BudgetExceeded as exc:
        raise SnippetBudgetError(f"占位符超出渲染限制：{exc}") from None
    return result
