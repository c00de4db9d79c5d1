"""Layout repairs applied to every rendered report, so Word, WPS and LibreOffice agree.

- The 落款 (unit and date) is kept on the page of the text it signs: a signature
  alone at the top of an otherwise empty page is the classic defect of retyped reports.
- Tables are laid out by their grid: WPS ignores cell widths and uses ``w:tblGrid``,
  Word uses the cell widths, so the two are made equal and the layout fixed.
- Fields other than page numbers (a table of contents, cross references) are only
  current after Word updates them, so ``w:updateFields`` is set when such a field
  exists. Page numbers are recomputed by every program anyway, and the flag makes
  Word ask a question on opening, so a document with only PAGE fields does not get it.

The repairs work on lxml elements (the body, ``settings.xml``, ``styles.xml``), so the
fast render path applies them without python-docx: table grids and the field flag once
to the template at compile time (row loops copy template rows, so widths carry over),
and the 落款 chain per document on the rendered XML text (:func:`keep_signature_in_text`),
since which paragraph precedes the 落款 depends on the report. :func:`polish_parts` does
them all on a whole package; templates themselves are left alone (their tags would be
rewritten as text).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from lxml import etree

__all__ = [
    "SIGNATURE_MARK",
    "SIGNATURE_STYLE_NAME",
    "align_grids",
    "chain_signatures",
    "is_template",
    "keep_signature_in_text",
    "mark_signatures",
    "needs_field_update",
    "polish_parts",
    "set_update_fields",
    "signature_style_ids",
]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def qn(tag: str) -> str:
    """Clark notation for a ``w:`` name (python-docx's ``qn`` without importing python-docx)."""
    return f"{{{_W}}}{tag.removeprefix('w:')}"


#: The paragraph style of the 落款 lines in the shipped templates (style name as Word shows it).
SIGNATURE_STYLE_NAME = "落款"
#: Put before each body-level 落款 paragraph of a compiled template; removed per document.
SIGNATURE_MARK = "<!--genreport-signature-->"
#: Fields every program recomputes while laying out pages.
_SELF_UPDATING_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
# CT_PPr children that may precede w:keepNext (only w:pStyle).
_BEFORE_KEEP_NEXT = {qn("w:pStyle")}


def is_template(body: Any) -> bool:
    """Whether a body still holds Jinja tags (a template, not a report)."""
    return any("{%" in (t.text or "") or "{{" in (t.text or "") for t in body.iter(qn("w:t")))


def _text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip()


_P = qn("w:p")
_STYLE_PATH = f"{qn('w:pPr')}/{qn('w:pStyle')}"


def _style(paragraph: Any) -> str | None:
    style = paragraph.find(_STYLE_PATH)
    return None if style is None else str(style.get(qn("w:val")))


def _set_keep_next(paragraph: Any) -> None:
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        paragraph.insert(0, ppr)
    existing = ppr.find(qn("w:keepNext"))
    if existing is not None:
        existing.attrib.pop(qn("w:val"), None)
        return
    position = sum(1 for child in ppr if child.tag in _BEFORE_KEEP_NEXT)
    ppr.insert(position, etree.Element(qn("w:keepNext")))


def signature_style_ids(styles: Any) -> set[str]:
    """Ids of the 落款 paragraph style in a ``styles.xml`` root (None: no styles part)."""
    if styles is None:
        return set()
    ids = set()
    for style in styles.iter(qn("w:style")):
        name = style.find(qn("w:name"))
        style_id = style.get(qn("w:styleId"))
        if name is not None and style_id and name.get(qn("w:val")) == SIGNATURE_STYLE_NAME:
            ids.add(style_id)
    return ids


def chain_signatures(body: Any, ids: set[str]) -> None:
    """Chain keepNext from the last body paragraph through the 落款 lines.

    The chain runs from the last paragraph with text before a signature block, over any
    empty spacer paragraphs, to the last signature line, so a page break can only fall
    inside the body text, never between the text and its signature.
    """
    if not ids:
        return
    paragraphs = [el for el in body if el.tag == _P]
    # Styles are read once: chaining adds keepNext, never a style (a volume has 10⁴ paragraphs).
    signs = [_style(paragraph) in ids for paragraph in paragraphs]
    for index, paragraph in enumerate(paragraphs):
        if not signs[index]:
            continue
        if index + 1 < len(paragraphs) and signs[index + 1]:
            _set_keep_next(paragraph)  # unit line stays with the date line
        previous = index - 1
        if previous >= 0 and signs[previous]:
            continue  # not the first line of the block: already chained
        while previous >= 0:
            _set_keep_next(paragraphs[previous])
            if _text(paragraphs[previous]):
                break
            previous -= 1


def align_grids(body: Any) -> None:
    """Make every cell width equal to the grid columns it spans, with a fixed layout."""
    for table in body.iter(_TBL):
        grid = table.find(_TBL_GRID)
        if grid is None:
            continue
        columns = [int(col.get(_W_W, "0")) for col in grid.findall(_GRID_COL)]
        if not columns or 0 in columns:
            continue
        tbl_pr = table.find(_TBL_PR)
        if tbl_pr is not None:
            layout = tbl_pr.find(_TBL_LAYOUT)
            if layout is None:
                layout = etree.SubElement(tbl_pr, _TBL_LAYOUT)
                _place_layout(tbl_pr, layout)
            layout.set(_W_TYPE, "fixed")
        for row in table.findall(_TR):
            _align_row(row, columns)


# Names align_grids looks up for every cell of every table (a bound volume has tens of
# thousands): built once, not per lookup.
_TBL, _TBL_GRID, _GRID_COL, _TBL_PR, _TBL_LAYOUT = (
    qn(name) for name in ("w:tbl", "w:tblGrid", "w:gridCol", "w:tblPr", "w:tblLayout")
)
_TR, _TC, _TC_PR, _TC_W, _GRID_SPAN, _CNF_STYLE = (
    qn(name) for name in ("w:tr", "w:tc", "w:tcPr", "w:tcW", "w:gridSpan", "w:cnfStyle")
)
_GRID_BEFORE = f"{qn('w:trPr')}/{qn('w:gridBefore')}"
_W_W, _W_VAL, _W_TYPE = qn("w:w"), qn("w:val"), qn("w:type")
# CT_TblPr children that come after w:tblLayout.
_AFTER_LAYOUT = {
    qn("w:tblCellMar"),
    qn("w:tblLook"),
    qn("w:tblCaption"),
    qn("w:tblDescription"),
    qn("w:tblPrChange"),
}


def _place_layout(tbl_pr: Any, layout: Any) -> None:
    for child in tbl_pr:
        if child.tag in _AFTER_LAYOUT:
            child.addprevious(layout)
            return


def _align_row(row: Any, columns: list[int]) -> None:
    """Set each cell's width; children are walked directly (a volume has 10⁵ cells)."""
    column = 0
    before = row.find(_GRID_BEFORE)
    if before is not None:
        column = int(before.get(_W_VAL, "0"))
    for cell in row.iterchildren(_TC):
        props = cell[0] if len(cell) else None
        if props is None or props.tag != _TC_PR:
            props = cell.find(_TC_PR)
            if props is None:
                props = etree.Element(_TC_PR)
                cell.insert(0, props)
        span_el = tcw = None
        conditional = False
        for child in props:
            tag = child.tag
            if tag == _TC_W:
                tcw = child if tcw is None else tcw
            elif tag == _GRID_SPAN:
                span_el = child if span_el is None else span_el
            elif tag == _CNF_STYLE:
                conditional = True
        span = 1 if span_el is None else _int(span_el.get(_W_VAL), 1)
        width = sum(columns[column : column + span])
        column += span
        if width <= 0:
            continue
        if tcw is None:
            tcw = etree.Element(_TC_W)
            props.insert(1 if conditional else 0, tcw)
        text = str(width)
        if tcw.get(_W_W) != text:
            tcw.set(_W_W, text)
        if tcw.get(_W_TYPE) != "dxa":
            tcw.set(_W_TYPE, "dxa")


def _int(text: str | None, default: int) -> int:
    """A number attribute; a template's ``{{ n }}`` there is not one (yet)."""
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _field_names(part_element: Any) -> set[str]:
    names = set()
    for instr in part_element.iter(qn("w:instrText")):
        words = (instr.text or "").split()
        if words:
            names.add(words[0].upper())
    for simple in part_element.iter(qn("w:fldSimple")):
        words = (simple.get(qn("w:instr")) or "").split()
        if words:
            names.add(words[0].upper())
    return names


def needs_field_update(body: Any) -> bool:
    """Whether the body holds fields Word does not refresh by itself."""
    return bool(_field_names(body) - _SELF_UPDATING_FIELDS)


def set_update_fields(settings: Any) -> None:
    """Set ``w:updateFields`` in a ``settings.xml`` root, in schema order."""
    flag = settings.find(qn("w:updateFields"))
    if flag is None:
        flag = etree.SubElement(settings, qn("w:updateFields"))
        _place_update_fields(settings, flag)
    flag.set(qn("w:val"), "true")


# CT_Settings children that come after w:updateFields (ECMA-376 order).
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def _place_update_fields(settings: Any, flag: Any) -> None:
    for child in settings:
        if (
            child is not flag
            and isinstance(child.tag, str)
            and etree.QName(child).localname in _AFTER_UPDATE_FIELDS
        ):
            child.addprevious(flag)
            return


# ------------------------------------------------------------ packages as parts


def polish_parts(
    parts: Mapping[str, bytes], document: str, styles: str, settings: str
) -> dict[str, bytes]:
    """Every repair on a package given as parts (names of its main, styles and settings parts).

    For whole documents assembled outside the fast path (a bound volume, docxtpl's own
    rendering); a settings part is only touched when the flag is needed and it exists.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(parts[document], parser)
    body = root.find(qn("w:body"))
    if body is None or is_template(body):
        return dict(parts)
    styles_root = etree.fromstring(parts[styles], parser) if styles in parts else None
    chain_signatures(body, signature_style_ids(styles_root))
    align_grids(body)
    _left_align_long_numbers_in(body)
    out = dict(parts)
    out[document] = etree.tostring(root, encoding="UTF-8", standalone=True)
    if settings in parts and needs_field_update(body):
        settings_root = etree.fromstring(parts[settings], parser)
        set_update_fields(settings_root)
        out[settings] = etree.tostring(settings_root, encoding="UTF-8", standalone=True)
    return out


def mark_signatures(body: Any, ids: set[str]) -> bool:
    """Put :data:`SIGNATURE_MARK` before each body-level 落款 paragraph of a template.

    The marks travel through Jinja unchanged, so :func:`keep_signature_in_text` finds
    the 落款 of each rendered report without parsing it. True when any was placed.
    """
    placed = False
    for paragraph in [el for el in body if el.tag == qn("w:p")]:
        if _style(paragraph) in ids:
            paragraph.addprevious(etree.Comment(SIGNATURE_MARK[4:-3]))
            placed = True
    return placed


# -------------------------------------------------- the 落款 chain on rendered XML text

_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_KEEP_NEXT = re.compile(r"<w:keepNext\b[^>]*/>")
_PSTYLE = re.compile(r"<w:pStyle\b[^>]*/>")
_PARAGRAPH_TAG = re.compile(r"<w:p(?:\s[^>]*?)?(/?)>|</w:p>")


@functools.cache
def _tag(name: str) -> re.Pattern[str]:
    """Opening (group 1 empty) or self-closing (group 1 "/") tags named ``name``."""
    return re.compile(rf"<{re.escape(name)}(?:\s[^>]*?)?(/?)>")


def _element_start(xml: str, end: int) -> int | None:
    """Start of the element whose text ends at ``end`` (None: the body's start was reached).

    Only looks backwards from ``end``: a report's body is long and the 落款 is near its end.
    """
    while end > 0 and xml[end - 1].isspace():
        end -= 1
    if end == 0 or xml[end - 1] != ">":
        return None
    if xml.endswith("-->", 0, end):
        start = xml.rfind("<!--", 0, end)
    elif xml.endswith("/>", 0, end):
        start = xml.rfind("<", 0, end)  # no "<" can occur inside a tag
    else:
        closing_at = xml.rfind("</", 0, end)
        if closing_at < 0:
            return None
        name = xml[closing_at + 2 : end - 1]
        tag, closing = _tag(name), f"</{name}>"
        start = closing_at
        while True:  # the nearest opening tag with as many openings as closings after it
            start = xml.rfind(f"<{name}", 0, start)
            if start < 0:
                return None
            match = tag.match(xml, start)
            if match is None or match.group(1):
                continue
            chunk = xml[start:end]
            if sum(1 for m in tag.finditer(chunk) if not m.group(1)) == chunk.count(closing):
                break
    return start if start >= 0 else None


def _paragraph_tag(xml: str, start: int) -> re.Match[str] | None:
    """The opening tag of a paragraph at ``start`` (``w:pPr`` and the like do not match)."""
    match = _PARAGRAPH_TAG.match(xml, start)
    return match if match is not None and match.group(0) != "</w:p>" else None


def _paragraph_end(xml: str, start: int) -> int:
    """End of the paragraph starting at ``start`` (nested text-box paragraphs included)."""
    depth = 0
    for tag in _PARAGRAPH_TAG.finditer(xml, start):
        if tag.group(0) == "</w:p>":
            depth -= 1
        elif not tag.group(1):
            depth += 1
        if depth == 0:
            return tag.end()
    return len(xml)


def _previous_paragraph(xml: str, before: int) -> int | None:
    """Start of the body-level paragraph before offset ``before``, skipping tables and marks."""
    position = before
    while True:
        start = _element_start(xml, position)
        if start is None:
            return None
        if _paragraph_tag(xml, start) is not None:
            return start
        position = start


def _has_text(xml: str, start: int) -> bool:
    chunk = xml[start : _paragraph_end(xml, start)]
    return any(t.group(1).strip() for t in _TEXT.finditer(chunk))


Edit = tuple[int, int, str]


def _keep_next_edit(xml: str, start: int) -> Edit:
    """The edit (from, to, new text) that sets ``w:keepNext`` on the paragraph at ``start``."""
    tag = _paragraph_tag(xml, start)
    assert tag is not None
    if tag.group(1):  # <w:p/>: an empty paragraph
        opening = tag.group(0)[:-2].rstrip() + ">"
        return start, tag.end(), f"{opening}<w:pPr><w:keepNext/></w:pPr></w:p>"
    after = tag.end()
    if xml.startswith("<w:pPr/>", after):
        return after, after + 8, "<w:pPr><w:keepNext/></w:pPr>"
    if not xml.startswith(("<w:pPr>", "<w:pPr "), after):
        return after, after, "<w:pPr><w:keepNext/></w:pPr>"
    body_start = xml.index(">", after) + 1
    body_end = xml.index("</w:pPr>", body_start)
    props = xml[body_start:body_end]
    existing = _KEEP_NEXT.search(props)
    if existing is not None:
        props = f"{props[: existing.start()]}<w:keepNext/>{props[existing.end() :]}"
    else:
        style = _PSTYLE.match(props)
        at = style.end() if style else 0
        props = f"{props[:at]}<w:keepNext/>{props[at:]}"
    return body_start, body_end, props


def keep_signature_in_text(xml: str) -> str:
    """:func:`chain_signatures` on rendered body XML whose 落款 paragraphs carry the mark.

    Works on the text, looking back from each mark: parsing and re-serialising a whole
    report costs more than rendering it. The marks are removed.
    """
    marks = []
    found = xml.find(SIGNATURE_MARK)
    while found >= 0:
        marks.append(found)
        found = xml.find(SIGNATURE_MARK, found + len(SIGNATURE_MARK))
    if not marks:
        return xml
    starts = [m + len(SIGNATURE_MARK) for m in marks]
    signatures = set(starts)
    chained: set[int] = set()
    for index, start in enumerate(starts):
        end = _paragraph_end(xml, start)
        if index + 1 < len(marks) and not xml[end : marks[index + 1]].strip():
            chained.add(start)  # unit line stays with the date line
        previous = _previous_paragraph(xml, marks[index])
        if previous is not None and previous in signatures:
            continue  # not the first line of the block: already chained
        while previous is not None:
            chained.add(previous)
            if _has_text(xml, previous):
                break
            previous = _previous_paragraph(xml, previous)
    edits = sorted(
        [
            *(_keep_next_edit(xml, start) for start in chained),
            *((m, m + len(SIGNATURE_MARK), "") for m in marks),
        ]
    )
    pieces: list[str] = []
    position = 0
    for begin, finish, text in edits:
        pieces += (xml[position:begin], text)
        position = finish
    pieces.append(xml[position:])
    return "".join(pieces)


# ------------------------------------------------------------ long numbers

#: A figure too long to share a justified line gracefully (2472879.03, 130151.53).
_LONG_NUMBER = re.compile(r"\d[\d,.]{6,}")
_BODY_PARAGRAPH = re.compile(r"<w:p(?=[ >])(?:(?!</w:p>).)*?</w:p>", re.DOTALL)
_PARAGRAPH_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_PPR = re.compile(r"<w:pPr>(.*?)</w:pPr>", re.DOTALL)
_PSTYLE = re.compile(r'<w:pStyle w:val="([^"]*)"/>')
# CT_PPr children that come after w:jc.
_AFTER_JC = re.compile(
    r"<w:(?:textDirection|textAlignment|textboxTightWrap|outlineLvl|divId|cnfStyle|rPr"
    r"|sectPr|pPrChange)[ />]"
)


def left_align_long_numbers(xml: str, body_styles: frozenset[str] = frozenset({"Normal"})) -> str:
    """Body paragraphs holding a long figure are set flush left instead of justified.

    A figure such as 2472879.03 cannot break, so a justified line before it is spread
    out character by character (Word, WPS and LibreOffice alike); flush left keeps the
    line's spacing even. Only paragraphs of the body style, never headings or cells.
    """

    def fix(match: re.Match[str]) -> str:
        paragraph = match.group(0)
        text = "".join(_PARAGRAPH_TEXT.findall(paragraph))
        if not _LONG_NUMBER.search(text):
            return paragraph
        properties = _PPR.search(paragraph)
        inner = properties.group(1) if properties else ""
        style = _PSTYLE.search(inner)
        if (style.group(1) if style else "Normal") not in body_styles or "<w:jc " in inner:
            return paragraph
        jc = '<w:jc w:val="left"/>'
        if properties is None:
            head = paragraph.index(">") + 1
            return f"{paragraph[:head]}<w:pPr>{jc}</w:pPr>{paragraph[head:]}"
        later = _AFTER_JC.search(inner)
        inner = inner[: later.start()] + jc + inner[later.start() :] if later else inner + jc
        return paragraph[: properties.start(1)] + inner + paragraph[properties.end(1) :]

    return _BODY_PARAGRAPH.sub(fix, xml)


def _left_align_long_numbers_in(body: Any) -> None:
    """:func:`left_align_long_numbers` on a parsed body (the paths that are not text)."""
    for paragraph in body.iter(qn("w:p")):
        style = _style(paragraph)
        if style not in (None, "Normal"):
            continue
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        if not _LONG_NUMBER.search(text):
            continue
        ppr = paragraph.find(qn("w:pPr"))
        if ppr is None:
            ppr = etree.Element(qn("w:pPr"))
            paragraph.insert(0, ppr)
        if ppr.find(qn("w:jc")) is not None:
            continue
        jc = etree.Element(qn("w:jc"))
        jc.set(qn("w:val"), "left")
        later = next(
            (
                child
                for child in ppr
                if isinstance(child.tag, str)
                and _AFTER_JC.match(f"<w:{etree.QName(child).localname} ")
            ),
            None,
        )
        if later is not None:
            later.addprevious(jc)
        else:
            ppr.append(jc)
