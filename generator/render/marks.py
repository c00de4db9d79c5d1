"""Turn the marks around the user's own words into Word bookmarks, after rendering.

The context wraps each paragraph of a 叙述 slot and of a 说明 in a mark
(:func:`generator.core.bookmarks.mark`); Jinja copies it into the text of a run like any
other character, whatever the template (shipped, exported and edited, or hand-made).
Here, on the rendered XML as text (parsing a whole report costs more than rendering
it), each run holding a mark is split there and a ``w:bookmarkStart`` or
``w:bookmarkEnd`` put between the pieces; the visible text does not change. Anything
left of a mark (one cut by a template's filter, one in an attribute or a header) is
removed, so a mark never reaches a document as text. Bookmark ids are ``(k+1)·10⁶ + n``
for the n-th mark of fund ``k``: the same input gives the same bytes, and reports bound
into one volume never share an id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.core.bookmarks import (
    MARK_CHARS,
    MARK_END,
    MARK_SEP,
    MARK_START,
    numbered,
    parse_bookmark,
    strip_marks,
)

__all__ = ["drop_marks", "place_bookmarks"]

_FOUND = re.compile(f"[{MARK_START}{MARK_END}]")
_RUN_OPEN = re.compile(r"<w:r(?:\s[^>]*)?>")
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_TOKEN = re.compile(f"({MARK_START}[0-9A-Za-z_]*{MARK_SEP}|{MARK_END})")
_RUN_END = "</w:r>"
#: Ids per fund: far above those Word and our volume (900 + n) give bookmarks.
_ID_STEP = 1_000_000


@dataclass
class _Bookmarks:
    """The bookmarks of one document part as they are placed, in reading order."""

    uses: dict[str, int] = field(default_factory=dict)
    counts: dict[int, int] = field(default_factory=dict)
    open: list[int] = field(default_factory=list)
    starts: dict[int, str] = field(default_factory=dict)

    def start(self, name: str) -> str:
        meaning = parse_bookmark(name)
        if meaning is None:
            return ""
        n = self.counts.get(meaning.fund, 0) + 1
        if n >= _ID_STEP:
            return ""
        self.counts[meaning.fund] = n
        self.uses[name] = self.uses.get(name, 0) + 1
        ident = (meaning.fund + 1) * _ID_STEP + n
        element = f'<w:bookmarkStart w:id="{ident}" w:name="{numbered(name, self.uses[name])}"/>'
        self.open.append(ident)
        self.starts[ident] = element
        return element

    def end(self) -> str:
        if not self.open:
            return ""
        ident = self.open.pop()
        del self.starts[ident]
        return f'<w:bookmarkEnd w:id="{ident}"/>'


def place_bookmarks(xml: str) -> str:
    """Rendered part XML with its marks turned into bookmarks (unchanged if it has none)."""
    if not any(char in xml for char in MARK_CHARS):
        return xml
    marks = _Bookmarks()
    pieces: list[str] = []
    position = 0
    for found in _FOUND.finditer(xml):
        at = found.start()
        if at < position:
            continue  # in a run already split
        run = _enclosing_run(xml, at)
        if run is None:
            continue
        begin, end = run
        pieces += (xml[position:begin], _split_run(xml[begin:end], marks))
        position = end
    pieces.append(xml[position:])
    out = "".join(pieces)
    for element in marks.starts.values():  # a mark whose end a template cut off
        out = out.replace(element, "", 1)
    return drop_marks(out)


def drop_marks(xml: str) -> str:
    """Part XML with any mark removed (headers, footers, properties: no bookmarks there)."""
    return strip_marks(xml)


def _enclosing_run(xml: str, at: int) -> tuple[int, int] | None:
    """Start and end of the (innermost) run whose text holds position ``at``."""
    begin = max(xml.rfind("<w:r>", 0, at), xml.rfind("<w:r ", 0, at))
    close = xml.find(_RUN_END, at)
    if begin < 0 or close < 0 or xml.find(_RUN_END, begin) != close:
        return None  # not inside a run (an attribute, a field code's element…)
    text_open = max(xml.rfind("<w:t>", begin, at), xml.rfind("<w:t ", begin, at))
    if text_open < 0 or "<" in xml[xml.index(">", text_open) + 1 : at]:
        return None
    return begin, close + len(_RUN_END)


def _properties(rest: str) -> str:
    """The run's ``w:rPr`` element at the start of ``rest`` (nested ones included), or ""."""
    if rest.startswith("<w:rPr/>"):
        return "<w:rPr/>"
    if not rest.startswith(("<w:rPr>", "<w:rPr ")):
        return ""
    depth = 0
    for found in re.finditer(r"<w:rPr(?=[\s>/])[^>]*?(/?)>|</w:rPr>", rest):
        if found.group(0) == "</w:rPr>":
            depth -= 1
        elif not found.group(1):
            depth += 1
        if depth == 0:
            return rest[: found.end()]
    return ""


def _split_run(run: str, marks: _Bookmarks) -> str:
    """One run as runs of the same properties with the bookmarks between them."""
    opening = _RUN_OPEN.match(run)
    if opening is None:
        return run
    head = opening.group(0)
    rest = run[len(head) : -len(_RUN_END)]
    properties = _properties(rest)
    content = rest[len(properties) :]
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if any(pending):
            out.append(f"{head}{properties}{''.join(pending)}{_RUN_END}")
            pending.clear()

    position = 0
    for text in _TEXT.finditer(content):
        if not any(char in text.group(1) for char in MARK_CHARS):
            continue
        pending.append(content[position : text.start()])
        for piece in _TOKEN.split(text.group(1)):
            if piece == MARK_END:
                element = marks.end()
            elif piece.startswith(MARK_START):
                element = marks.start(piece[1:-1])
            else:
                if piece:
                    pending.append(f'<w:t xml:space="preserve">{piece}</w:t>')
                continue
            if element:
                flush()
                out.append(element)
        position = text.end()
    pending.append(content[position:])
    flush()
    return "".join(out)
