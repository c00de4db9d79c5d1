"""A number as a person types it: the one grammar of every number field.

A YAML value written as text (``0200``, ``1e3``, ``"1,200"``), a workbook cell holding
text instead of a number, and a data file of a template folder are all read by
:func:`read_number`, so the same characters give the same figure whatever the file.
The grammar is decimal only, because nobody at a bureau means ``0200`` as octal 128,
``0x1F`` as 31 or ``1:30`` as 90; what it does not accept is refused with the field's
location, never guessed (docs/输入格式.md, “数字、日期和真假的写法”):

- an optional sign, digits (leading zeros are just zeros: ``0200`` is 200), an optional
  decimal part (``.5`` and ``5.`` too) and an optional exponent (``1e3``, ``1.5E-2``:
  how Excel shows large numbers);
- thousands grouped with commas, three digits a group (``1,234,567.5``);
- full-width digits, signs and point as a Chinese input method types them (``１２００``);
- spaces around the number.

Not numbers: ``1_000``, ``0x1F``, ``0o17``, ``1:30``, ``.inf``, ``NaN``, ``1 000``,
``10²``, ``①``, digits of other scripts, units or percent signs.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["read_number"]

_NUMBER = re.compile(
    r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE][-+]?[0-9]+)?"
)
#: Full-width digits, signs, point and comma (U+FF10…) to ASCII; nothing else is folded
#: (NFKC would also turn ``10²`` into 102 and ``①`` into 1).
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + d): str(d) for d in range(10)}, "＋": "+", "－": "-", "．": ".", "，": ","}
)


def read_number(text: str) -> Decimal | None:
    """The number ``text`` spells, or None when it is not a number in the grammar above."""
    folded = text.strip().translate(_FULL_WIDTH)
    if not _NUMBER.fullmatch(folded):
        return None
    try:
        return Decimal(folded.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None
