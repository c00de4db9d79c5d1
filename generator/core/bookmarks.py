"""The marks genreport leaves around the user's own words in the reports it writes.

``genreport import`` of one of our own reports must tell the sentences a user wrote (a
叙述 slot, an indicator's 说明) from those the tool generated around them, or next
year's input would hold generated sentences that are then generated a second time.
Each such paragraph is wrapped in a hidden Word bookmark (its name starts with ``_``,
so Word lists it only on request):

- ``_genreport_f{k}_{field}`` around a paragraph of 叙述 slot ``field`` (the English
  field name of the input model's Narrative) of fund ``k`` (0-based);
- ``_genreport_f{k}_n{key}`` around a paragraph of an indicator's 说明, ``key`` being
  :func:`note_key` of the indicator's name.

A name that repeats in one document (a slot of several paragraphs) gets ``_2``, ``_3``…
Word bookmark names hold at most 40 characters; these hold at most 33.

While a report is rendered the mark travels as text: :func:`mark` wraps a paragraph in
U+FFF9…U+FFFA…U+FFFB (the interlinear annotation characters), which every reader of
user text refuses (generator/core/text.py lists them), so user input can never forge
or break one; the renderer turns them into bookmarks and removes any left over.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

__all__ = [
    "MARK_CHARS",
    "MARK_END",
    "MARK_SEP",
    "MARK_START",
    "PREFIX",
    "Bookmark",
    "mark",
    "note_bookmark",
    "note_key",
    "numbered",
    "parse_bookmark",
    "slot_bookmark",
    "strip_marks",
]

#: Every bookmark genreport writes starts with this (the ``_`` hides it in Word).
PREFIX = "_genreport_"
#: Opens a mark: ``MARK_START`` + bookmark name + ``MARK_SEP`` + text + ``MARK_END``.
MARK_START = "\ufff9"
MARK_SEP = "\ufffa"
MARK_END = "\ufffb"
MARK_CHARS = MARK_START + MARK_SEP + MARK_END

_NAME = re.compile(
    r"_genreport_f(?P<fund>\d{1,3})_(?:n(?P<key>[0-9a-f]{8})|(?P<field>[a-z][a-z_]*?))"
    r"(?:_(?P<count>\d{1,6}))?"
)
_STRIP = str.maketrans("", "", MARK_CHARS)
_HEADS = re.compile(f"{MARK_START}[^{MARK_SEP}{MARK_END}]*{MARK_SEP}")


@dataclass(frozen=True)
class Bookmark:
    """What one of genreport's bookmark names says: the fund, and a slot field or a note key."""

    fund: int
    field: str | None = None
    note: str | None = None


def note_key(indicator: str) -> str:
    """The 8 hex digits naming an indicator's 说明: the start of its name's SHA-1."""
    return hashlib.sha1(indicator.encode("utf-8")).hexdigest()[:8]


def slot_bookmark(fund: int, field: str) -> str:
    """``_genreport_f0_problems``: the bookmark around a paragraph of a 叙述 slot."""
    return f"{PREFIX}f{fund}_{field}"


def note_bookmark(fund: int, indicator: str) -> str:
    """``_genreport_f0_n1a2b3c4d``: the bookmark around a paragraph of an indicator's 说明."""
    return f"{PREFIX}f{fund}_n{note_key(indicator)}"


def numbered(name: str, count: int) -> str:
    """The ``count``-th use (1-based) of ``name`` in one document: unique, as Word requires."""
    return name if count <= 1 else f"{name}_{count}"


def parse_bookmark(name: str) -> Bookmark | None:
    """The meaning of one of our bookmark names; None for any other bookmark."""
    found = _NAME.fullmatch(name)
    if found is None:
        return None
    return Bookmark(int(found["fund"]), found["field"], found["key"])


def mark(text: str, name: str) -> str:
    """``text`` wrapped in the mark the renderer turns into bookmark ``name``."""
    return f"{MARK_START}{name}{MARK_SEP}{text}{MARK_END}"


def strip_marks(text: str) -> str:
    """``text`` without any mark: what a reader of the rendered paragraph sees."""
    if not any(char in text for char in MARK_CHARS):
        return text
    return _HEADS.sub("", text).translate(_STRIP)
