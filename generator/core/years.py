"""Years named in free text: which are the report's, which are history.

``check`` warns about years left over from an old report, and ``new --from`` shifts
them by one; both must agree on what a year mention is and when it is history.
"""

from __future__ import annotations

import re

__all__ = ["YEAR", "is_history"]

YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")
#: “自2018年5月起”, “2019年以来”: a year named as a starting point is history, not a slip.
_SINCE_BEFORE = ("自", "从", "于", "早在", "始于", "自从")
_SINCE_AFTER = re.compile(r"^[^。，；,;]{0,10}?(?:以来|起|开始|至今|以后|版)")


def _inside_title(plain: str, pos: int) -> bool:
    """Years inside 《…》 or 〔…〕 belong to a document's title or number."""
    for opening, closing in (("《", "》"), ("〔", "〕"), ("[", "]")):
        if plain.rfind(opening, 0, pos) > plain.rfind(closing, 0, pos):
            return True
    return False


def is_history(text: str, match: re.Match[str]) -> bool:
    """A :data:`YEAR` match that names a starting point or a document, not the report's year."""
    before = text[max(0, match.start() - 2) : match.start()]
    return (
        before.endswith(_SINCE_BEFORE)
        or bool(_SINCE_AFTER.match(text[match.end() :]))
        or _inside_title(text, match.start())
    )
