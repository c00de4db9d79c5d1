"""Whole-file operations on rendered reports: binding a volume and making output reproducible.

Bureaus often bind the reports of one year into a single volume (a cover page, then each
report on its own pages). Outputs are committed and compared, so the same input must give
byte-identical files: core properties and zip entry metadata are fixed here, and the
fingerprint (generator/render/fingerprint.py) is recorded as the last step.
"""

from __future__ import annotations

import copy
import datetime
import io
import re
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from lxml import etree

from generator.errors import TemplateError
from generator.render.deterministic_zip import Entry, inflate, read_parts, write_package
from generator.render.fingerprint import raw_part, safe_parser, with_fingerprint
from generator.render.form_context import title_lines
from generator.render.repairs import (
    align_grids,
    chain_signatures,
    polish_parts,
    set_update_fields,
)

__all__ = ["build_volume", "finalize_docx", "finalize_parts", "polish_package"]

_NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def qn(tag: str) -> str:
    """Clark notation for ``w:``/``r:`` names, without importing python-docx for it."""
    prefix, local = tag.split(":")
    return f"{{{_NAMESPACES[prefix]}}}{local}"


_PACKAGE_RELS = "_rels/.rels"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _related(parts: Mapping[str, bytes | Entry], rels_name: str, kind: str, default: str) -> str:
    """The part a relationship of ``kind`` points at (``…/officeDocument``, ``…/styles``)."""
    data = parts.get(rels_name)
    if data is None:
        return default
    raw = data if isinstance(data, bytes) else inflate(data)
    base = rels_name.replace("_rels/", "").removesuffix(".rels").rsplit("/", 1)[0]
    for rel in etree.fromstring(raw).iter(_REL_NS):
        if rel.get("Type", "").endswith(f"/{kind}") and rel.get("TargetMode") != "External":
            target: str = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return f"{base}/{target}".lstrip("/") if base else target
    return default


def _xml(parts: Mapping[str, bytes | Entry], name: str) -> Any:
    data = parts.get(name)
    if data is None:
        raise TemplateError(f"报告缺少“{name}”部件，无法装订为合订本")
    return etree.fromstring(data if isinstance(data, bytes) else inflate(data))


def _document_part(parts: Mapping[str, bytes | Entry]) -> str:
    return _related(parts, _PACKAGE_RELS, "officeDocument", "word/document.xml")


def _paragraph(style_id: str, text: str, *, centred: bool = False) -> Any:
    p = etree.Element(qn("w:p"), nsmap={"w": _NAMESPACES["w"]})
    ppr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), style_id)
    if centred:
        ind = etree.SubElement(ppr, qn("w:ind"))
        ind.set(qn("w:right"), "0")
        ind.set(qn("w:rightChars"), "0")
        etree.SubElement(ppr, qn("w:jc")).set(qn("w:val"), "center")
    if text:
        t = etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def _title_paragraph(style_id: str, lines: list[str]) -> Any:
    """A title paragraph whose lines are separated by line breaks (never by wrapping)."""
    p = _paragraph(style_id, "")
    run = etree.SubElement(p, qn("w:r"))
    for index, line in enumerate(lines):
        if index:
            etree.SubElement(run, qn("w:br"))
        t = etree.SubElement(run, qn("w:t"))
        t.text = line
        t.set(_XML_SPACE, "preserve")
    return p


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Right edge of the 156 mm text block in twips, where the 目录's page numbers stand.
_TEXT_WIDTH = 8845
_BOOKMARK = "_GenreportReport{}"
#: 目录 lines break by words within 25 of the 28 characters, leaving room for the page.
_CONTENTS_WIDTH = Decimal(25)


def _run(parent: Any, text: str, *, font: str = "") -> Any:
    run = etree.SubElement(parent, qn("w:r"))
    if font:
        rpr = etree.SubElement(run, qn("w:rPr"))
        fonts = etree.SubElement(rpr, qn("w:rFonts"))
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{slot}"), font)
    t = etree.SubElement(run, qn("w:t"))
    t.text = text
    t.set(_XML_SPACE, "preserve")
    return run


def _contents_heading(style_id: str) -> Any:
    """「目录」 centred in 黑体."""
    p = _paragraph(style_id, "", centred=True)
    ppr = p.find(qn("w:pPr"))
    ind = ppr.find(qn("w:ind"))
    ind.set(qn("w:firstLine"), "0")
    ind.set(qn("w:firstLineChars"), "0")
    _run(p, "目　录", font="黑体")
    return p


def _contents_entry(style_id: str, text: str, index: int, words: tuple[str, ...]) -> Any:
    """One 目录 line: the report's title, a dot leader and its first page (a PAGEREF field).

    Word and WPS update the field (the volume asks them to on opening), LibreOffice lays
    it out itself: the number is where the report's title bookmark falls.
    """
    p = etree.Element(qn("w:p"), nsmap={"w": _NAMESPACES["w"]})
    ppr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), style_id)
    tabs = etree.SubElement(ppr, qn("w:tabs"))
    tab = etree.SubElement(tabs, qn("w:tab"))
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:leader"), "middleDot")
    tab.set(qn("w:pos"), str(_TEXT_WIDTH))
    ind = etree.SubElement(ppr, qn("w:ind"))
    for name, value in (("left", "0"), ("firstLine", "0"), ("firstLineChars", "0"), ("right", "0")):
        ind.set(qn(f"w:{name}"), value)
    etree.SubElement(ppr, qn("w:jc")).set(qn("w:val"), "left")
    for number, line in enumerate(title_lines(text, _CONTENTS_WIDTH, words)):
        if number:
            etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:br"))
        _run(p, line)
    etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:tab"))
    begin = etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    instr = etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:instrText"))
    instr.text = f" PAGEREF {_BOOKMARK.format(index)} \\h "
    instr.set(_XML_SPACE, "preserve")
    etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:fldChar")).set(
        qn("w:fldCharType"), "separate"
    )
    _run(p, str(index))
    etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:fldChar")).set(
        qn("w:fldCharType"), "end"
    )
    return p


def _mark_report(paragraph: Any, index: int) -> None:
    """A bookmark around the report's first paragraph (its title), for the 目录's PAGEREF."""
    start = etree.Element(qn("w:bookmarkStart"))
    start.set(qn("w:id"), str(900 + index))
    start.set(qn("w:name"), _BOOKMARK.format(index))
    end = etree.Element(qn("w:bookmarkEnd"))
    end.set(qn("w:id"), str(900 + index))
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(end)


def _ask_to_update_fields(parts: Mapping[str, bytes | Entry], document: str) -> dict[str, bytes]:
    """settings.xml with ``w:updateFields``: Word and WPS refresh the 目录's page numbers."""
    folder, _, leaf = document.rpartition("/")
    rels = f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels"
    name = _related(parts, rels, "settings", f"{folder}/settings.xml" if folder else "settings.xml")
    if name not in parts:
        return {}
    root = _xml(parts, name)
    set_update_fields(root)
    return {name: etree.tostring(root, encoding="UTF-8", standalone=True)}


def _style_ids(parts: Mapping[str, bytes | Entry], document: str) -> dict[str, str]:
    """Paragraph style names (as Word shows them) → style ids."""
    folder, _, leaf = document.rpartition("/")
    rels = f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels"
    name = _related(parts, rels, "styles", f"{folder}/styles.xml" if folder else "styles.xml")
    if name not in parts:
        return {}
    ids: dict[str, str] = {}
    for style in _xml(parts, name).iter(qn("w:style")):
        label = style.find(qn("w:name"))
        if label is not None and style.get(qn("w:styleId")):
            ids.setdefault(label.get(qn("w:val"), "").lower(), style.get(qn("w:styleId")))
    return ids


def _set_page_break_before(paragraph: Any) -> None:
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        paragraph.insert(0, ppr)
    if ppr.find(qn("w:pageBreakBefore")) is not None:
        return
    marker = etree.Element(qn("w:pageBreakBefore"))
    # CT_PPr order: pStyle, keepNext, keepLines, pageBreakBefore, ...
    position = 0
    for child in ppr:
        if child.tag in (qn("w:pStyle"), qn("w:keepNext"), qn("w:keepLines")):
            position += 1
    ppr.insert(position, marker)


def _body(parts: Mapping[str, bytes | Entry], index: int) -> tuple[Any, Any]:
    try:
        root = _xml(parts, _document_part(parts))
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"第{index + 1}份报告的正文不是有效的 XML") from exc
    body = root.find(qn("w:body"))
    if body is None:
        raise TemplateError(f"第{index + 1}份报告没有正文，无法装订为合订本")
    return root, body


def _main_parts(data: bytes) -> dict[str, bytes]:
    """Only the parts a volume takes from a report: the package rels and the main document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            parts = {_PACKAGE_RELS: archive.read(_PACKAGE_RELS)} if _PACKAGE_RELS in names else {}
            document = _document_part(parts)
            if document in names:
                parts[document] = archive.read(document)
            return parts
    except zipfile.BadZipFile as exc:
        raise TemplateError("报告不是有效的 Word（.docx）文件，无法装订为合订本") from exc


_LINKED = etree.XPath(".//@r:id | .//@r:embed | .//@r:link", namespaces=_NAMESPACES)
_INNER_SECTIONS = etree.XPath(".//w:sectPr", namespaces=_NAMESPACES)


def _body_elements(data: bytes, index: int) -> list[Any]:
    """The block content of one report (everything but its final section properties).

    Returned as copies: lxml moves an element out of a large parsed document many times
    slower than it copies it (a volume of 50 long reports took seconds per report), and
    the copy, once moved into the volume, serialises the same.
    """
    _, body = _body(_main_parts(data), index)
    elements = [el for el in body if el.tag != qn("w:sectPr")]
    for element in elements:
        if _LINKED(element):
            raise TemplateError(f"第{index + 1}份报告含有图片、链接或批注，暂不支持装订为合订本")
        for inner in _INNER_SECTIONS(element):
            parent = inner.getparent()
            if parent is not None:
                parent.remove(inner)
    return [copy.deepcopy(element) for element in elements]


# CT_SectPr children that come after w:pgNumType.
_AFTER_PAGE_NUMBERS = {
    qn(f"w:{name}")
    for name in (
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    )
}


def _end_section(paragraph: Any, body_sect_pr: Any) -> None:
    """Close a section at ``paragraph``: same page setup as the body, no headers or footers."""
    sect_pr = copy.deepcopy(body_sect_pr)
    for reference in [
        *sect_pr.findall(qn("w:headerReference")),
        *sect_pr.findall(qn("w:footerReference")),
    ]:
        sect_pr.remove(reference)
    for numbering in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(numbering)
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        paragraph.insert(0, ppr)
    ppr.append(sect_pr)  # w:sectPr is the last child of CT_PPr but w:pPrChange


def _number_pages_from_one(sect_pr: Any) -> None:
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = etree.Element(qn("w:pgNumType"))
        later = next((child for child in sect_pr if child.tag in _AFTER_PAGE_NUMBERS), None)
        if later is not None:
            later.addprevious(numbering)
        else:
            sect_pr.append(numbering)
    numbering.set(qn("w:start"), "1")


def build_volume(
    reports: list[bytes], title: str, unit: str, date: str, contents: list[str]
) -> bytes:
    """Bind several rendered reports into one document with a cover page and a 目录.

    The first report supplies styles, page setup and footers. The cover (the title in
    lines broken by words, then the 目录 listing each report's title and first page) is
    a section of its own (no page number); the first report starts after that section
    break and every later one on a new page via ``w:pageBreakBefore`` on its first
    paragraph.
    Works on the package parts with lxml: python-docx would parse every part of every
    report for this.
    """
    if not reports:
        raise ValueError("build_volume needs at least one report")
    base = read_parts(reports[0])
    document = _document_part(base)
    ids = _style_ids(base, document)
    normal_id = ids.get("normal", "Normal")
    joined = _joined_bodies(base, reports)
    if joined is not None:
        root, body, sect_pr, groups = joined
    else:
        root, body, sect_pr, groups = _moved_bodies(base, reports)

    title_id = ids.get("title", "Title")
    sign_id = ids.get("落款", normal_id)
    # A few empty lines push the volume title down the cover page.
    cover = [_paragraph(normal_id, "") for _ in range(4)]
    cover.append(_title_paragraph(title_id, title_lines(title, words=(unit,))))
    cover.extend(_paragraph(sign_id, text, centred=True) for text in (unit, date) if text)
    if contents:
        cover.append(_paragraph(normal_id, ""))
        cover.append(_contents_heading(normal_id))
        cover.extend(
            _contents_entry(normal_id, name, number, (unit,))
            for number, name in enumerate(contents, start=1)
        )
    if sect_pr is not None:
        # The cover is a section of its own without footers, and page numbers of the
        # reports start at 1: a bound volume's cover carries no page number.
        _end_section(cover[-1], sect_pr)
        _number_pages_from_one(sect_pr)
    for index, (anchor, elements) in enumerate(groups):
        first = elements[0] if elements else None
        if first is None or first.tag != qn("w:p"):
            first = _paragraph(normal_id, "")
            anchor.addnext(first)
        if index > 0 or sect_pr is None:
            _set_page_break_before(first)  # the first one follows the section break
        if contents:
            _mark_report(first, index + 1)
    for anchor, _ in groups:
        body.remove(anchor)
    for position, block in enumerate(cover):
        body.insert(position, block)
    # The layout repairs, here on the tree already parsed (the reports bring theirs; the
    # cover's 落款 needs its chain): finalize_docx(polished=True) need not parse it again.
    if "落款" in ids:
        chain_signatures(body, {ids["落款"]})
    align_grids(body)
    xml = etree.tostring(root, encoding="UTF-8", standalone=True)
    settings = _ask_to_update_fields(base, document) if contents else {}
    return write_package({**base, **settings, document: xml})


#: Where each report begins in a joined body; removed before the volume is written.
_REPORT_MARK = "genreport-volume-report"
_BODY_OPEN = re.compile(rb"<w:body(?:\s[^>]*)?>")
_BODY_CLOSE = b"</w:body>"
_SECT_PR = qn("w:sectPr")
# Top-level blocks (not the body's section properties) holding a relationship reference.
_LINKED_BLOCKS = etree.XPath(
    "./*[not(self::w:sectPr)][.//@r:id or .//@r:embed or .//@r:link]", namespaces=_NAMESPACES
)
_BLOCK_SECTIONS = etree.XPath("./*[not(self::w:sectPr)]//w:sectPr", namespaces=_NAMESPACES)

#: (document root, body, the body's section properties, each report as (marker, blocks)).
_Volume = tuple[Any, Any, Any, list[tuple[Any, list[Any]]]]


def _joined_bodies(base: Mapping[str, bytes | Entry], reports: list[bytes]) -> _Volume | None:
    """Every report's body in the first one's document, from one parse of their joined text.

    Moving the elements of 50 parsed reports into one tree costs seconds; parsing the
    joined text gives the same tree (so the same bytes) when every report declares the
    same namespaces as the first (their text up to ``<w:body>`` is equal) and no element
    declares its own. Otherwise None: the reports are then parsed and moved one by one.
    """
    raw = base.get(_document_part(base))
    if raw is None:
        return None
    joined = _joined_text(raw if isinstance(raw, bytes) else inflate(raw), reports)
    if joined is None:
        return None
    try:
        root = etree.fromstring(joined)
    except etree.XMLSyntaxError:
        return None  # the report-by-report path names the report
    body = root.find(qn("w:body"))
    if body is None:
        return None
    groups = _report_groups(body)
    for inner_section in _BLOCK_SECTIONS(body):
        parent = inner_section.getparent()
        if parent is not None:
            parent.remove(inner_section)
    # The first report's section properties end the volume; the others' are dropped.
    kept = [element for element in groups[0][1] if element.tag == _SECT_PR]
    for _, elements in groups:
        for element in elements:
            if element.tag == _SECT_PR:
                body.remove(element)
        elements[:] = [element for element in elements if element.tag != _SECT_PR]
    for element in kept:
        body.append(element)
    return root, body, (kept[0] if kept else None), groups


def _joined_text(first: bytes, reports: list[bytes]) -> bytes | None:
    """The first report's document with every report's body inside, each after a mark.

    None when a report does not share the first one's opening text (its namespaces) or
    declares namespaces of its own: joining the text would then change its meaning.
    """
    opening = _BODY_OPEN.search(first)
    closing = first.rfind(_BODY_CLOSE)
    if opening is None or closing < opening.end():
        return None
    head = first[: opening.end()]
    mark = f"<!--{_REPORT_MARK}-->".encode()
    pieces = [head]
    for data in reports:
        parts = _main_parts(data)
        xml = parts.get(_document_part(parts), b"")
        end = xml.rfind(_BODY_CLOSE)
        if not xml.startswith(head) or end < len(head):
            return None
        inner = xml[len(head) : end]
        if b"xmlns" in inner or mark in inner:
            return None
        pieces += (mark, inner)
    pieces.append(first[closing:])
    return b"".join(pieces)


def _report_groups(body: Any) -> list[tuple[Any, list[Any]]]:
    """The body's blocks grouped by report (each after its mark); refuses linked content."""
    groups: list[tuple[Any, list[Any]]] = []
    for child in body:
        if child.tag is etree.Comment and child.text == _REPORT_MARK:
            groups.append((child, []))
        else:
            groups[-1][1].append(child)
    linked = set(_LINKED_BLOCKS(body))
    for index, (_, elements) in enumerate(groups):
        if any(element in linked for element in elements):
            raise TemplateError(f"第{index + 1}份报告含有图片、链接或批注，暂不支持装订为合订本")
    return groups


def _moved_bodies(base: Mapping[str, bytes | Entry], reports: list[bytes]) -> _Volume:
    """Every report's body moved, element by element, into the first one's document."""
    root, body = _body(base, 0)
    sect_pr = body.find(_SECT_PR)
    for element in list(body):
        if element.tag != _SECT_PR:
            body.remove(element)
    groups: list[tuple[Any, list[Any]]] = []
    for index, data in enumerate(reports):
        anchor = etree.Comment(_REPORT_MARK)
        elements = _body_elements(data, index)
        for block in (anchor, *elements):
            if sect_pr is not None:
                sect_pr.addprevious(block)
            else:
                body.append(block)
        groups.append((anchor, elements))
    return root, body, sect_pr, groups


_CORE = "docProps/core.xml"
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
#: Text properties we always set, as python-docx names them → their element.
_TEXT_PROPS = {
    "title": "dc:title",
    "author": "dc:creator",
    "last_modified_by": "cp:lastModifiedBy",
    "revision": "cp:revision",
    "subject": "dc:subject",
    "keywords": "cp:keywords",
    "comments": "dc:description",
    "category": "cp:category",
}


def _tag(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def _midnight(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}T00:00:00Z"


def _fit_property(text: str) -> str:
    """Office refuses core properties over 255 characters; a 300-character unit is legal."""
    return text if len(text) <= 255 else text[:254] + "…"


def _set_core_properties(
    xml: bytes, *, title: str, author: str, created: datetime.date | None
) -> bytes:
    """Edit ``docProps/core.xml`` directly: parsing the whole document for it is too slow."""
    root = etree.fromstring(xml, safe_parser())
    if root.nsmap.get("xsi") != _NS["xsi"]:
        widened = etree.Element(
            root.tag, attrib=dict(root.attrib), nsmap={**root.nsmap, "xsi": _NS["xsi"]}
        )
        widened.extend(list(root))
        root = widened
    title, author = _fit_property(title), _fit_property(author)
    values = {"title": title, "author": author, "last_modified_by": author, "revision": "1"}
    for prop, name in _TEXT_PROPS.items():
        node = root.find(_tag(name))
        if node is None:
            node = etree.SubElement(root, _tag(name))
        node.text = values.get(prop, "")
    stamps = ("dcterms:created", "dcterms:modified", "cp:lastPrinted")
    if created is None:
        for name in stamps:
            for node in root.findall(_tag(name)):
                root.remove(node)
    else:
        for name in stamps[:2]:
            node = root.find(_tag(name))
            if node is None:
                node = etree.SubElement(root, _tag(name))
            node.text = _midnight(created)
            node.set(_tag("xsi:type"), "dcterms:W3CDTF")
    return bytes(etree.tostring(root, encoding="UTF-8", standalone=True))


def finalize_parts(
    parts: Mapping[str, bytes | Entry],
    *,
    title: str,
    author: str,
    created: datetime.date | None,
    fingerprint: bool = True,
    facts: Mapping[str, str] | None = None,
) -> dict[str, bytes | Entry]:
    """Fixed core properties, then the fingerprint, on a package given as parts.

    The fast render path calls this on every report: the core properties part is edited
    in place and the fingerprint is computed over the parts as they are (the unchanging
    ones uncompressed once per process), without python-docx.
    """
    core = parts.get(_CORE)
    if core is None:
        # Rare (a hand-made template): let python-docx add the core properties part.
        from docx import Document

        document = Document(io.BytesIO(write_package(parts)))
        document.core_properties.title = _fit_property(title)
        out = io.BytesIO()
        document.save(out)
        parts = read_parts(out.getvalue())
        core = parts[_CORE]
    done: dict[str, bytes | Entry] = {
        **parts,
        _CORE: _set_core_properties(raw_part(core), title=title, author=author, created=created),
    }
    return with_fingerprint(done, facts) if fingerprint else done


def finalize_docx(
    data: bytes,
    *,
    title: str,
    author: str,
    created: datetime.date | None,
    fingerprint: bool = True,
    polished: bool = False,
    facts: Mapping[str, str] | None = None,
) -> bytes:
    """Polish the layout (:mod:`generator.render.repairs`), set core properties and the fingerprint,
    and rewrite the zip deterministically (same input, same bytes).

    For documents assembled outside the fast render path: a bound volume (``polished``:
    build_volume made the repairs), a template built by tools/build_templates.py
    (``fingerprint=False``; polishing skips templates).
    """
    try:
        parts = read_parts(data)
    except zipfile.BadZipFile as exc:
        raise TemplateError("生成的文件不是有效的 Word（.docx）文件") from exc
    if not polished:
        parts = polish_package(parts)
    return write_package(
        finalize_parts(
            parts,
            title=title,
            author=author,
            created=created,
            fingerprint=fingerprint,
            facts=facts,
        )
    )


def polish_package(parts: Mapping[str, bytes]) -> dict[str, bytes]:
    """:func:`generator.render.repairs.polish_parts` with the package's own part names."""
    document = _document_part(parts)
    if document not in parts:
        return dict(parts)
    folder, _, leaf = document.rpartition("/")
    rels = f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels"
    default = f"{folder}/" if folder else ""
    styles = _related(parts, rels, "styles", f"{default}styles.xml")
    settings = _related(parts, rels, "settings", f"{default}settings.xml")
    try:
        return polish_parts(parts, document, styles, settings)
    except etree.XMLSyntaxError as exc:
        raise TemplateError("生成的文件正文不是有效的 XML") from exc
