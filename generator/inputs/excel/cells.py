"""Turn one spreadsheet cell into the plain value the YAML loader would have produced.

Real workbooks store the same figure many ways: a number, a number typed as text
(``"1,234.50"``, ``"１２３４"``), a percent-formatted fraction (0.9502 shown as
95.02%), a formula's cached result. This module folds all of them into the one
value the contract expects, and leaves anything it cannot read as text, so that
validation reports it with the cell's address instead of guessing.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal
from typing import Any

from generator.core.numbers import read_number
from generator.inputs.excel.schema import Kind

__all__ = ["decimal_of", "plain", "to_value"]

_TRUE = {"是", "true", "yes", "y", "1", "√", "✓", "✔", "不适用"}
_FALSE = {"否", "false", "no", "n", "0", "×", "适用"}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def decimal_of(number: float | int) -> Decimal:
    """A cell number as Decimal at Excel's own precision (15 significant digits).

    Excel keeps 15 digits, so a cached ``=0.1+0.2`` is 0.3 to the person who reads
    the sheet; the binary noise beyond that is not part of the figure.
    """
    if isinstance(number, int):
        return Decimal(number)
    return Decimal(format(number, ".15g"))


def plain(value: Decimal) -> str:
    """Decimal as people write it: no exponent, no trailing zeros (95.0200 → 95.02)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _fold(text: str) -> str:
    """Full-width digits and punctuation to ASCII, spaces removed: for numbers only."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split())


def _quantity_text(text: str) -> str:
    """``９６％`` → ``96%``: fold the width of numeric targets and actuals only.

    Qualitative text (``有效减轻，明显提高``) keeps its Chinese punctuation.
    """
    from generator.core.quantities import parse_actual, parse_target

    folded = unicodedata.normalize("NFKC", text)
    if folded == text:
        return text
    try:
        parse_actual(folded)
    except ValueError:
        try:
            if parse_target(folded).is_qualitative:
                return text
        except ValueError:
            return text
    return folded


def _text(value: Any, kind: Kind) -> Any:
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    if kind is Kind.NUMBER:
        number = read_number(text)
        return text if number is None else number
    if kind is Kind.INTEGER:
        number = read_number(text.removesuffix("年"))
        return int(number) if number is not None and number == number.to_integral_value() else text
    if kind is Kind.DATE:
        match = _DATE.fullmatch(_fold(text))
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return text
        return text
    if kind is Kind.QUANTITY:
        return _quantity_text(text)
    if kind is Kind.BOOL:
        word = _fold(text).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return text


def _number(value: float | int, number_format: str, kind: Kind) -> Any:
    number = decimal_of(value)
    if kind is Kind.NUMBER:
        return number
    if kind is Kind.INTEGER:
        return int(number) if number == number.to_integral_value() else number
    if kind is Kind.BOOL:
        return bool(number)
    if kind is Kind.QUANTITY and "%" in number_format:
        return f"{plain(number * 100)}%"
    return plain(number)


def to_value(value: Any, number_format: str, kind: Kind) -> Any:
    """The contract value of a cell (None for an empty one)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value if kind is Kind.BOOL else ("是" if value else "否")
    if isinstance(value, int | float):
        return _number(value, number_format or "General", kind)
    if isinstance(value, datetime.datetime):
        day = value.date()
        return day if kind is Kind.DATE else day.isoformat()
    if isinstance(value, datetime.date):
        return value if kind is Kind.DATE else value.isoformat()
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    return _text(value, kind)
