"""Characters a person cannot see, and how messages show them.

Text pasted from web pages, PDFs and chat tools brings characters that print nothing
but change what a text means or how it is shown: a right-to-left override (U+202E)
reverses the digits a leader reads, a zero-width space inside ``年度`` makes a key
that looks right but matches nothing, a U+2028 line separator breaks a line for Word
and YAML but not for the editor. Every reader (YAML and workbook inputs, data files of
a template folder) refuses them with their code point and position; messages that
quote user text show them as ``<U+200B>`` so the user can find them.

The table is every character of the Unicode categories Cf (format), Zl and Zp (line
and paragraph separators) and Cc (controls, but tab and line breaks), plus the few
invisible letters used to fake identifiers (Hangul fillers, U+034F, U+17B4/5). It is
written out rather than computed at import, which would cost every run 0.2 s;
tests/test_text_hygiene.py checks it against the running Python's Unicode data.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["HIDDEN_RANGES", "LINE_BREAKS", "HiddenCharacter", "describe", "find_hidden", "visible"]

#: Inclusive code point ranges of the characters refused in any text a user supplies.
HIDDEN_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0008),
    (0x000B, 0x000C),
    (0x000E, 0x001F),
    (0x007F, 0x009F),
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0x3164, 0x3164),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)

_HIDDEN = re.compile(
    "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in HIDDEN_RANGES) + "]"
)

#: Characters that reorder how text is displayed (the "Trojan Source" characters).
_DIRECTION = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
#: Characters YAML (1.1) and Word take for a line break while editors do not.
LINE_BREAKS = frozenset({0x0085, 0x2028, 0x2029})

_NAMES = {
    0x0085: "下一行符",
    0x00AD: "软连字符",
    0x061C: "阿拉伯字母标记",
    0x200B: "零宽空格",
    0x200C: "零宽不连字",
    0x200D: "零宽连字",
    0x200E: "从左到右标记",
    0x200F: "从右到左标记",
    0x2028: "行分隔符",
    0x2029: "段分隔符",
    0x202A: "从左到右嵌入",
    0x202B: "从右到左嵌入",
    0x202C: "方向格式结束",
    0x202D: "从左到右覆盖",
    0x202E: "从右到左覆盖",
    0x2060: "字连接符",
    0x2066: "从左到右隔离",
    0x2067: "从右到左隔离",
    0x2068: "方向隔离",
    0x2069: "方向隔离结束",
    0xFEFF: "零宽不换行空格（BOM）",
}


class HiddenCharacter(NamedTuple):
    """One hidden character found in a text: its 0-based position and the character."""

    position: int
    char: str

    @property
    def code(self) -> str:
        """``U+200B``: how every message names it."""
        return f"U+{ord(self.char):04X}"


def find_hidden(text: str) -> list[HiddenCharacter]:
    """Every hidden character of ``text``, in order (empty for clean text)."""
    return [HiddenCharacter(m.start(), m.group()) for m in _HIDDEN.finditer(text)]


def describe(char: str) -> str:
    """``U+202E（从右到左覆盖，一种文字方向控制符）``: the character and why it is refused."""
    point = ord(char)
    code = f"U+{point:04X}"
    name = _NAMES.get(point)
    if point in _DIRECTION:
        return f"{code}（{name}，一种文字方向控制符，会使显示的文字顺序与实际内容不同）"
    if point in LINE_BREAKS:
        return f"{code}（{name}，Word 和 YAML 把它当作换行，编辑器却不显示）"
    if point < 0x20 or 0x7F <= point <= 0x9F:
        return f"{code}（不可见的控制字符）"
    return f"{code}（{name or '不可见的格式字符'}）"


def visible(text: str) -> str:
    """``text`` with each hidden character written as ``<U+200B>``, for messages."""
    if not _HIDDEN.search(text):
        return text
    return _HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
