"""Numbered headings of a report: 一、 (1) · （一） (2) · 1. (3) · （1） (4).

Published reports number their headings as GB/T 9704 prescribes, but type them loosely:
ASCII or full-width brackets, a stray 、 after （四）, a space after the number, and
often the body of the section on the same line as its title («1.决策依据。2021年…»).
Enumerations inside a paragraph («第一，», «一是») are not headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.authoring.reading.blocks import Paragraph
from generator.authoring.reading.model import Heading

__all__ = [
    "HeadingLine",
    "clean_text",
    "compact",
    "parse_heading",
    "style_level",
]

_CN = "一二三四五六七八九十"
# Level and the number as typed; the text after it is the title (and maybe the body).
_NUMBERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{_CN}]{{1,3}}[、.．])\s*")),
    (2, re.compile(rf"^([（(][{_CN}]{{1,3}}[）)])[、.．]?\s*")),
    (3, re.compile(r"^(\d{1,2}\s*[.．、])(?![\d.．])\s*")),
    (4, re.compile(r"^([（(]\d{1,2}[）)])[、.．]?\s*")),
)
#: A title longer than this is the first sentence of a numbered list item, not a heading.
MAX_TITLE = 40
_STYLE_LEVEL = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TRAILING = "：:；;，,、。 "


@dataclass(frozen=True)
class HeadingLine:
    """A paragraph read as a heading: the heading, and the body typed on the same line."""

    heading: Heading
    body: str
    by_style: bool = False
    """The Word style says it is a heading (strong evidence)."""


def clean_text(text: str) -> str:
    """A paragraph's text with line breaks inside it joined, and its ends trimmed.

    Chinese lines broken inside a title («示例县2024年度⏎…报告») join without a space.
    """
    return "".join(part.strip() for part in text.splitlines()).strip()


def compact(text: str) -> str:
    """Text without any whitespace, for comparing words typed with stray spaces («目　录»)."""
    return re.sub(r"\s+", "", text)


def style_level(style: str) -> int | None:
    """The heading level a Word style gives (Heading 1–4, 标题 1–4), else None."""
    match = _STYLE_LEVEL.match(style.strip())
    if match and 1 <= int(match[1]) <= 4:
        return int(match[1])
    return None


def _split_title(rest: str) -> tuple[str, str] | None:
    """Title and same-line body, or None when the text reads as a sentence, not a title."""
    title, _, body = rest.partition("。")
    title = title.strip()
    if title.endswith(("；", ";", "，", ",")):  # an item of a list, not a title
        return None
    title = title.rstrip(_TRAILING)
    if not title or len(title) > MAX_TITLE or re.search(r"[：:；;]", title):
        return None
    if title.count("，") + title.count(",") > 1:
        return None
    return title, body.strip()


def parse_heading(paragraph: Paragraph | str, style: str = "") -> HeadingLine | None:
    """The heading a paragraph starts with, or None for body text.

    The number is kept as typed («（一）», «(1)», «1、») without a stray separator after a
    bracket; a Word heading style sets the level even when the number disagrees.
    """
    if isinstance(paragraph, Paragraph):
        text, style = paragraph.text, paragraph.style
    else:
        text = paragraph
    text = clean_text(text)
    styled = style_level(style)
    for level, pattern in _NUMBERS:
        match = pattern.match(text)
        if not match:
            continue
        parts = _split_title(text[match.end() :])
        if parts is None:
            break
        number = compact(match[1])
        return HeadingLine(Heading(number, parts[0], styled or level), parts[1], styled is not None)
    if styled is not None and text:
        parts = _split_title(text) or (text, "")
        return HeadingLine(Heading("", parts[0], styled), parts[1], True)
    return None
