"""Whole-file operations on rendered reports: binding a volume and making output reproducible.

Bureaus often bind the reports of one year into a single volume (a cover page, then each
report on its own pages). Outputs are committed and compared, so the same input must give
byte-identical files: core properties and zip entry metadata are fixed here.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import re
import zipfile
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from generator.errors import TemplateError
from generator.layout import polish

__all__ = [
    "FINGERPRINT_PROPERTY",
    "add_fingerprint",
    "build_volume",
    "content_fingerprint",
    "finalize_docx",
    "is_unedited",
    "read_fingerprint",
]

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
# Attributes that point at package relationships; such content cannot move between files as is.
_RELATIONSHIP_ATTRS = (qn("r:id"), qn("r:embed"), qn("r:link"))


def _open(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def _save(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph(style_id: str, text: str, *, centred: bool = False) -> Any:
    p = OxmlElement("w:p")
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


def _style_id(document: Any, name: str, fallback: str) -> str:
    for style in document.styles:
        if style.name == name:
            return str(style.style_id)
    return fallback


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


def _body_elements(data: bytes, index: int) -> list[Any]:
    """The block content of one report (everything but its final section properties)."""
    body = _open(data).element.body
    elements = [copy.deepcopy(el) for el in body if el.tag != qn("w:sectPr")]
    for element in elements:
        for node in element.iter():
            if any(node.get(attr) is not None for attr in _RELATIONSHIP_ATTRS):
                raise TemplateError(
                    f"第{index + 1}份报告含有图片、链接或批注，暂不支持装订为合订本"
                )
        for inner in element.iter(qn("w:sectPr")):
            parent = inner.getparent()
            if parent is not None:
                parent.remove(inner)
    return elements


# CT_SectPr children that come after w:pgNumType.
_AFTER_PAGE_NUMBERS = {qn(f"w:{name}") for name in (
    "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
    "docGrid", "printerSettings", "sectPrChange")}


def _end_section(paragraph: Any, body_sect_pr: Any) -> None:
    """Close a section at ``paragraph``: same page setup as the body, no headers or footers."""
    sect_pr = copy.deepcopy(body_sect_pr)
    for reference in [*sect_pr.findall(qn("w:headerReference")),
                      *sect_pr.findall(qn("w:footerReference"))]:
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
    """Bind several rendered reports into one document with a cover page.

    The first report supplies styles, page setup and footers. The cover is a section of
    its own (no page number); the first report starts after that section break and
    every later one on a new page via ``w:pageBreakBefore`` on its first paragraph.
    """
    if not reports:
        raise ValueError("build_volume needs at least one report")
    base = _open(reports[0])
    body = base.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)

    title_id = _style_id(base, "Title", "Title")
    normal_id = _style_id(base, "Normal", "Normal")
    sign_id = _style_id(base, "落款", normal_id)
    # A few empty lines push the volume title down the cover page.
    cover = [_paragraph(normal_id, "") for _ in range(4)]
    cover.append(_paragraph(title_id, title))
    cover.extend(_paragraph(sign_id, text, centred=True) for text in (unit, date) if text)
    if contents:
        cover.append(_paragraph(normal_id, ""))
        cover.append(_paragraph(normal_id, "本册收录："))
        cover.extend(
            _paragraph(normal_id, f"{number}. {name}")
            for number, name in enumerate(contents, start=1)
        )

    if sect_pr is not None:
        # The cover is a section of its own without footers, and page numbers of the
        # reports start at 1: a bound volume's cover carries no page number.
        _end_section(cover[-1], sect_pr)
        _number_pages_from_one(sect_pr)
    blocks = list(cover)
    for index, data in enumerate(reports):
        elements = _body_elements(data, index)
        first = elements[0] if elements else None
        if first is None or first.tag != qn("w:p"):
            first = _paragraph(normal_id, "")
            elements.insert(0, first)
        if index > 0 or sect_pr is None:
            _set_page_break_before(first)  # the first one follows the section break
        blocks.extend(elements)
    for block in blocks:
        if sect_pr is not None:
            sect_pr.addprevious(block)
        else:
            body.append(block)
    return _save(base)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def _drop_timestamps(document: Any) -> None:
    element = document.core_properties._element
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for node in element.findall(qn(tag)):
            element.remove(node)


def finalize_docx(data: bytes, *, title: str, author: str, created: datetime.date | None) -> bytes:
    """Set core properties and rewrite the zip deterministically (same input, same bytes)."""
    title, author = _fit_property(title), _fit_property(author)
    document = _open(data)
    polish(document)
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.revision = 1
    for field in ("subject", "keywords", "comments", "category"):
        setattr(props, field, "")
    if created is None:
        _drop_timestamps(document)
    else:
        props.created = _midnight(created)
        props.modified = _midnight(created)
    return _normalize_zip(_save(document))


def _fit_property(text: str) -> str:
    """python-docx refuses core properties over 255 characters; a 300-character unit is legal."""
    return text if len(text) <= 255 else text[:254] + "…"


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry order, timestamps and attributes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    names = [name for name in _FIRST_ENTRIES if name in entries]
    names += sorted(name for name in entries if name not in _FIRST_ENTRIES)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


# --- fingerprint: how a re-run tells genreport's own output from a person's edits -------

#: Name of the custom document property holding the fingerprint (Word: 文件→属性→自定义).
FINGERPRINT_PROPERTY = "genreport-sha256"
_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
               "custom-properties")
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: The format id Office gives user-defined properties.
_USER_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
#: Existing outputs larger than this are never opened to look for a fingerprint.
_MAX_CHECKED_BYTES = 100 * 1024 * 1024


def _xml_parser() -> Any:
    """No entities, no DTD, no network, no huge trees: these files may come from anyone."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_blank_text=False)


def content_fingerprint(entries: dict[str, bytes]) -> str:
    """SHA-256 over every part except docProps/ (which Word rewrites on any save anyway).

    Covers the text, tables, headers, footers and styles: an edit anywhere changes it.
    """
    digest = hashlib.sha256()
    for name in sorted(entries):
        if name.startswith("docProps/"):
            continue
        data = entries[name]
        digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _read_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return {info.filename: source.read(info) for info in source.infolist()}


def _custom_properties(existing: bytes | None, value: str) -> bytes:
    if existing:
        root = etree.fromstring(existing, _xml_parser())
    else:
        root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == FINGERPRINT_PROPERTY:
            root.remove(prop)
    pids = [int(p.get("pid", "1")) for p in root.findall(f"{{{_CUSTOM_NS}}}property")
            if p.get("pid", "").isdigit()]
    prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property")
    prop.set("fmtid", _USER_FMTID)
    prop.set("pid", str(max([1, *pids]) + 1))  # pids start at 2
    prop.set("name", FINGERPRINT_PROPERTY)
    etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _with_override(content_types: bytes) -> bytes:
    root = etree.fromstring(content_types, _xml_parser())
    part = "/" + _CUSTOM_PART
    if not any(o.get("PartName") == part for o in root.findall(f"{{{_CT_NS}}}Override")):
        override = etree.SubElement(root, f"{{{_CT_NS}}}Override")
        override.set("PartName", part)
        override.set("ContentType", _CUSTOM_TYPE)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _with_relationship(rels: bytes) -> bytes:
    root = etree.fromstring(rels, _xml_parser())
    found = root.findall(f"{{{_REL_NS}}}Relationship")
    if not any(r.get("Type") == _CUSTOM_REL for r in found):
        ids = {r.get("Id") for r in found}
        number = len(found) + 1
        while f"rId{number}" in ids:
            number += 1
        rel = etree.SubElement(root, f"{{{_REL_NS}}}Relationship")
        rel.set("Id", f"rId{number}")
        rel.set("Type", _CUSTOM_REL)
        rel.set("Target", _CUSTOM_PART)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def add_fingerprint(data: bytes) -> bytes:
    """Record what genreport wrote in a custom document property, as the last step.

    The property travels with the file (copies, e-mail, another folder), so a re-run
    can tell an untouched output from a person's edits without any side file.
    """
    entries = _read_entries(data)
    entries["[Content_Types].xml"] = _with_override(entries["[Content_Types].xml"])
    entries["_rels/.rels"] = _with_relationship(entries["_rels/.rels"])
    entries[_CUSTOM_PART] = _custom_properties(entries.get(_CUSTOM_PART),
                                               content_fingerprint(entries))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, content in entries.items():
            target.writestr(name, content)
    return _normalize_zip(out.getvalue())


def read_fingerprint(data: bytes) -> str | None:
    """The fingerprint genreport recorded, or None (not ours, not a .docx, unreadable)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            info = source.getinfo(_CUSTOM_PART)
            if info.file_size > 1024 * 1024:
                return None
            root = etree.fromstring(source.read(info), _xml_parser())
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError):
        return None
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == FINGERPRINT_PROPERTY:
            value = "".join(prop.itertext()).strip()
            return value if _SHA256_HEX.fullmatch(value) else None
    return None


def is_unedited(data: bytes) -> bool | None:
    """True: exactly as genreport wrote it; False: edited since; None: no fingerprint."""
    if len(data) > _MAX_CHECKED_BYTES:
        return None
    recorded = read_fingerprint(data)
    if recorded is None:
        return None
    try:
        return content_fingerprint(_read_entries(data)) == recorded
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False
