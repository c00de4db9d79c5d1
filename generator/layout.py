"""Layout repairs applied to every rendered report, so Word, WPS and LibreOffice agree.

- The 落款 (unit and date) is kept on the page of the text it signs: a signature
  alone at the top of an otherwise empty page is the classic defect of retyped reports.
- Tables are laid out by their grid: WPS ignores cell widths and uses ``w:tblGrid``,
  Word uses the cell widths, so the two are made equal and the layout fixed.
- Fields other than page numbers (a table of contents, cross references) are only
  current after Word updates them, so ``w:updateFields`` is set when such a field
  exists. Page numbers are recomputed by every program anyway, and the flag makes
  Word ask a question on opening, so a document with only PAGE fields does not get it.

Templates themselves are left alone (their tags would be rewritten as text).
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from lxml import etree

__all__ = ["SIGNATURE_STYLE_NAME", "align_table_grids", "keep_signature_with_text", "polish",
           "request_field_update"]

#: The paragraph style of the 落款 lines in the shipped templates (style name as Word shows it).
SIGNATURE_STYLE_NAME = "落款"
#: Fields every program recomputes while laying out pages.
_SELF_UPDATING_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
# CT_PPr children that may precede w:keepNext (only w:pStyle).
_BEFORE_KEEP_NEXT = {qn("w:pStyle")}


def _is_template(body: Any) -> bool:
    return any("{%" in (t.text or "") or "{{" in (t.text or "") for t in body.iter(qn("w:t")))


def _text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip()


def _style(paragraph: Any) -> str | None:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if style is None else str(style.get(qn("w:val")))


def _set_keep_next(paragraph: Any) -> None:
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.SubElement(paragraph, qn("w:pPr"))
        paragraph.insert(0, ppr)
    existing = ppr.find(qn("w:keepNext"))
    if existing is not None:
        existing.attrib.pop(qn("w:val"), None)
        return
    position = sum(1 for child in ppr if child.tag in _BEFORE_KEEP_NEXT)
    ppr.insert(position, etree.Element(qn("w:keepNext")))


def _signature_style_ids(document: Any) -> set[str]:
    return {str(s.style_id) for s in document.styles if s.name == SIGNATURE_STYLE_NAME}


def keep_signature_with_text(document: Any) -> None:
    """Chain keepNext from the last body paragraph through the 落款 lines.

    The chain runs from the last paragraph with text before a signature block, over any
    empty spacer paragraphs, to the last signature line, so a page break can only fall
    inside the body text, never between the text and its signature.
    """
    ids = _signature_style_ids(document)
    if not ids:
        return
    paragraphs = [el for el in document.element.body if el.tag == qn("w:p")]
    for index, paragraph in enumerate(paragraphs):
        if _style(paragraph) not in ids:
            continue
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if following is not None and _style(following) in ids:
            _set_keep_next(paragraph)  # unit line stays with the date line
        previous = index - 1
        if previous >= 0 and _style(paragraphs[previous]) in ids:
            continue  # not the first line of the block: already chained
        while previous >= 0:
            _set_keep_next(paragraphs[previous])
            if _text(paragraphs[previous]):
                break
            previous -= 1


def align_table_grids(document: Any) -> None:
    """Make every cell width equal to the grid columns it spans, with a fixed layout."""
    for table in document.element.body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        if grid is None:
            continue
        columns = [int(col.get(qn("w:w"), "0")) for col in grid.findall(qn("w:gridCol"))]
        if not columns or 0 in columns:
            continue
        tbl_pr = table.find(qn("w:tblPr"))
        if tbl_pr is not None:
            layout = tbl_pr.find(qn("w:tblLayout"))
            if layout is None:
                layout = etree.SubElement(tbl_pr, qn("w:tblLayout"))
                _place_layout(tbl_pr, layout)
            layout.set(qn("w:type"), "fixed")
        for row in table.findall(qn("w:tr")):
            _align_row(row, columns)


# CT_TblPr children that come after w:tblLayout.
_AFTER_LAYOUT = {qn("w:tblCellMar"), qn("w:tblLook"), qn("w:tblCaption"),
                 qn("w:tblDescription"), qn("w:tblPrChange")}


def _place_layout(tbl_pr: Any, layout: Any) -> None:
    for child in tbl_pr:
        if child.tag in _AFTER_LAYOUT:
            child.addprevious(layout)
            return


def _align_row(row: Any, columns: list[int]) -> None:
    column = 0
    before = row.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    if before is not None:
        column = int(before.get(qn("w:val"), "0"))
    for cell in row.findall(qn("w:tc")):
        props = cell.find(qn("w:tcPr"))
        if props is None:
            props = etree.Element(qn("w:tcPr"))
            cell.insert(0, props)
        span_el = props.find(qn("w:gridSpan"))
        span = 1 if span_el is None else int(span_el.get(qn("w:val"), "1"))
        width = sum(columns[column : column + span])
        column += span
        if width <= 0:
            continue
        tcw = props.find(qn("w:tcW"))
        if tcw is None:
            tcw = etree.Element(qn("w:tcW"))
            props.insert(1 if props.find(qn("w:cnfStyle")) is not None else 0, tcw)
        tcw.set(qn("w:w"), str(width))
        tcw.set(qn("w:type"), "dxa")


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


def request_field_update(document: Any) -> None:
    """Set ``w:updateFields`` when the body holds fields Word does not refresh by itself."""
    if not _field_names(document.element.body) - _SELF_UPDATING_FIELDS:
        return
    settings = document.settings.element
    flag = settings.find(qn("w:updateFields"))
    if flag is None:
        flag = etree.SubElement(settings, qn("w:updateFields"))
        _place_update_fields(settings, flag)
    flag.set(qn("w:val"), "true")


# CT_Settings children that come after w:updateFields (ECMA-376 order).
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)


def _place_update_fields(settings: Any, flag: Any) -> None:
    for child in settings:
        if child is not flag and isinstance(child.tag, str) \
                and etree.QName(child).localname in _AFTER_UPDATE_FIELDS:
            child.addprevious(flag)
            return


def polish(document: Any) -> None:
    """Apply every repair to a rendered document (templates are left as they are)."""
    if _is_template(document.element.body):
        return
    keep_signature_with_text(document)
    align_table_grids(document)
    request_field_update(document)
