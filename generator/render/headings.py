"""Typed sub-headings of a 叙述 slot, ready to print under whatever section holds the slot.

A user types 「1.决策依据。……」 once, whatever outline the fund takes; the section that
prints the slot decides the level: under 「（一）项目决策」 it is a 1. heading, under
「1.项目决策」 a （1） one. So each paragraph carries its depth inside the slot and its
number as typed, and the template writes that number in the style of the level it prints
at. The number is the user's, so headings of one section split over two slots
(「（一）」 in 项目概况, 「（二）」 in 资金安排) keep counting on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from generator.core.bookmarks import MARK_END, MARK_SEP, MARK_START, strip_marks
from generator.render.narrative import heading_level

__all__ = ["nested_paragraphs"]

#: A heading (「决策依据。」) is short; a longer numbered line is a list item.
_HEADING_CHARS = 30
_PHRASE_BREAKS = ("，", "；", ",", ";")
_HEADING_ENDS = ("。", "：", ":")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _prefix_length(text: str, level: int) -> int:
    """Length of the typed number (「1.」「（一）」): the shortest start read at ``level``."""
    return next(k for k in range(1, len(text) + 1) if heading_level(text[:k]) == level)


def _ordinal(number: str) -> int | None:
    """The value of a typed number: 「12.」 → 12, 「（二十一）」 → 21; None if unreadable."""
    core = number.strip("（()）.．、")
    if core.isdigit():
        return int(core)
    tens, ten, ones = core.partition("十")
    if not all(c in _DIGITS for c in tens + ones) or len(tens) > 1 or len(ones) > 1:
        return None
    if not ten:
        return _DIGITS[ones or tens] if (ones or tens) else None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def _split(rest: str) -> tuple[str, str]:
    """(题, 正文): a short phrase ending at the first 。 or ： and the run-in text after it.

    A numbered sentence (「1.加强宣传，做到应收尽收。」: phrases ending in 。) or a long
    line is a list item: no 题, the whole line is 正文. A short line without a full stop
    (「2.守住基金安全，严把四关」) is a heading even with a comma.
    """
    ends = [i for i in (rest.find(mark) for mark in _HEADING_ENDS) if i >= 0]
    cut = min(ends) + 1 if ends else len(rest)
    head, body = rest[:cut].strip(), rest[cut:].strip()
    sentence = head.endswith("。") and any(mark in head for mark in _PHRASE_BREAKS)
    if len(head) > _HEADING_CHARS or sentence:
        return "", rest.strip()
    return head, body


def _unwrapped(text: str) -> tuple[str, str, str]:
    """(opening mark, plain text, closing mark) of a paragraph the context marked whole."""
    if text.startswith(MARK_START) and text.endswith(MARK_END) and MARK_SEP in text:
        head = text[: text.index(MARK_SEP) + 1]
        return head, strip_marks(text[len(head) : -1]), MARK_END
    return "", strip_marks(text), ""


def nested_paragraphs(
    paragraphs: Sequence[str], numeral: Callable[[int], str]
) -> list[dict[str, object]]:
    """Each paragraph as {文字, 级别, 层, 序号, 中文序号, 题, 正文}.

    级别 is the level the line was typed at (0 body); 层 its depth in the slot (the
    shallowest typed level is 1, body 0); 序号 the number typed (counted among its
    siblings where it cannot be read); 题 and 正文 are the heading phrase and the text
    run in after it, the typed number left off. ``numeral`` writes 中文序号 (context.chinese_numeral, passed
    in because the context imports this module). A paragraph marked as the user's own
    words (core.bookmarks) keeps its mark in 文字, and 题 and 正文 share it: it opens
    before the first of them and closes after the last, so the bookmark spans the line.
    """
    parts = [_unwrapped(text) for text in paragraphs]
    levels = [heading_level(plain) for _, plain, _ in parts]
    depth_of = {level: i for i, level in enumerate(sorted(set(levels) - {0}), start=1)}
    counts: list[int] = [0] * (len(depth_of) + 1)
    out: list[dict[str, object]] = []
    for text, (opening, plain, closing), level in zip(paragraphs, parts, levels, strict=True):
        depth = depth_of.get(level, 0)
        title, body, number = "", plain, 0
        if depth:
            counts[depth] += 1
            counts[depth + 1 :] = [0] * (len(counts) - depth - 1)
            cut = _prefix_length(plain, level)
            number = _ordinal(plain[:cut]) or counts[depth]
            title, body = _split(plain[cut:])
        if title:
            title = opening + title
        else:
            body = opening + body
        if body:
            body += closing
        else:
            title += closing
        out.append(
            {
                "文字": text,
                "级别": level,
                "层": depth,
                "序号": number,
                "中文序号": numeral(number) if number else "",
                "题": title,
                "正文": body,
            }
        )
    return out
