"""Text helpers shared by the recognisers: one way to fold a report's characters,
split its sentences and read its amounts.

Published reports mix full-width and half-width punctuation («2024年度,中央财政…»,
«(一)»), so every recogniser works on the folded text and never on the raw one.
"""

from __future__ import annotations

import re
from decimal import Decimal

from generator.core.money import MONEY_UNITS, convert_amount, strip_zeros

__all__ = [
    "AMOUNT",
    "amount_in",
    "clauses",
    "fold",
    "label",
    "sentences",
    "strip_titles",
    "to_decimal",
]

_FULL_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

#: An amount of money: digits (thousands grouped or not), then its unit.
AMOUNT = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(亿元|万元|元)")


def fold(text: str) -> str:
    """Full-width digits to ASCII; ASCII sentence punctuation to the Chinese marks.

    A comma between digits is a thousands separator and stays.
    """
    text = text.translate(_FULL_DIGITS)
    text = re.sub(r"(?<!\d),|,(?!\d{3}(?!\d))", "，", text)
    text = text.replace(";", "；").replace("(", "（").replace(")", "）").replace(":", "：")
    return re.sub(r"[ \t\u3000\xa0]+", " ", text).strip()


def label(text: str) -> str:
    """A table cell as a label: folded, without blanks, line breaks or a trailing colon."""
    return re.sub(r"\s+", "", fold(text)).rstrip("：")


def to_decimal(digits: str) -> Decimal:
    return Decimal(digits.replace(",", ""))


def amount_in(digits: str, unit: str, target_unit: str) -> Decimal:
    """An amount as written, in ``target_unit``, exactly (no rounding)."""
    value = to_decimal(digits)
    if unit == target_unit or target_unit not in MONEY_UNITS:
        return strip_zeros(value)
    return strip_zeros(convert_amount(value, unit, target_unit))


def _split_top(text: str, marks: str) -> list[str]:
    """Split at ``marks`` outside brackets, keeping each piece's closing mark."""
    pieces: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "（《“【〔":
            depth += 1
        elif ch in "）》”】〕" and depth:
            depth -= 1
        elif ch in marks and depth == 0:
            pieces.append(text[start : i + 1])
            start = i + 1
    if text[start:].strip():
        pieces.append(text[start:])
    return [p for p in (piece.strip() for piece in pieces) if p]


def sentences(text: str) -> list[str]:
    """Sentences ending in 。！？ (brackets never split)."""
    return _split_top(fold(text), "。！？")


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence, split at ，；、 outside brackets (marks kept)."""
    return _split_top(sentence, "，；：")


def strip_titles(text: str) -> str:
    """《…》 emptied: the figures in a cited document's title are not the report's."""
    return re.sub(r"《[^《》]*》", "《》", text)
