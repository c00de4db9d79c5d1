"""The fingerprint: how a re-run tells genreport's own output from a person's edits.

Each generated document records a SHA-256 of what genreport wrote in a custom document
property (Word: 文件→属性→自定义). The property travels with the file (copies, e-mail,
another folder), so a re-run can tell an untouched output from a hand-edited one
without any side file. The fast render path adds it to a package given as parts
(:func:`with_fingerprint`); :func:`add_fingerprint` does it to finished bytes.

The document properties (标题, 作者, 关键词… in ``docProps/``, which Explorer's 属性 dialog
edits without touching the text) are not in the hash, so that the recorded value of
every report stays what it has always been; they are compared instead with the ones
genreport writes for the same report (:func:`same_properties`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from lxml import etree

from generator.render.deterministic_zip import Entry, entry, inflate, write_package

__all__ = [
    "FACTS_PREFIX",
    "FINGERPRINT_PROPERTY",
    "add_fingerprint",
    "content_fingerprint",
    "is_unedited",
    "raw_part",
    "read_fingerprint",
    "safe_parser",
    "same_properties",
    "with_fingerprint",
]

_PACKAGE_RELS = "_rels/.rels"


def raw_part(value: bytes | Entry) -> bytes:
    """A part's uncompressed bytes (a template's unchanging parts are kept compressed)."""
    return value if isinstance(value, bytes) else _inflated(value)


@functools.lru_cache(maxsize=512)
def _inflated(item: Entry) -> bytes:
    """A template's unchanging part, uncompressed once per process."""
    return inflate(item)


#: Name of the custom document property holding the fingerprint (Word: 文件→属性→自定义).
FINGERPRINT_PROPERTY = "genreport-sha256"
#: Every other property genreport writes starts with this (:mod:`generator.render.facts`).
FACTS_PREFIX = "genreport-"
_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: The format id Office gives user-defined properties.
_USER_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
#: Existing outputs larger than this are never opened to look for a fingerprint.
_MAX_CHECKED_BYTES = 100 * 1024 * 1024


def safe_parser() -> Any:
    """No entities, no DTD, no network, no huge trees: these files may come from anyone."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def content_fingerprint(entries: Mapping[str, bytes | Entry]) -> str:
    """SHA-256 over every part except docProps/ (compared by :func:`same_properties`).

    Covers the text, tables, headers, footers and styles: an edit anywhere changes it.
    """
    digest = hashlib.sha256()
    for name in sorted(entries):
        if name.startswith("docProps/"):
            continue
        data = raw_part(entries[name])
        digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _read_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return {info.filename: source.read(info) for info in source.infolist()}


def _custom_properties(
    existing: bytes | None, value: str, extra: Mapping[str, str] | None = None
) -> bytes:
    """The custom properties part: the user's own properties kept, genreport's replaced."""
    if existing:
        root = etree.fromstring(existing, safe_parser())
    else:
        root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})
    ours = {FINGERPRINT_PROPERTY, *(extra or {})}
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name", "")
        if name in ours or (extra is not None and name.startswith(FACTS_PREFIX)):
            root.remove(prop)
    for name, text in (*(extra or {}).items(), (FINGERPRINT_PROPERTY, value)):
        pids = [
            int(p.get("pid", "1"))
            for p in root.findall(f"{{{_CUSTOM_NS}}}property")
            if p.get("pid", "").isdigit()
        ]
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property")
        prop.set("fmtid", _USER_FMTID)
        prop.set("pid", str(max([1, *pids]) + 1))  # pids start at 2
        prop.set("name", name)
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = text
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


@functools.lru_cache(maxsize=64)
def _with_override(content_types: bytes) -> bytes:
    """[Content_Types].xml naming the custom properties part (the same for every report
    of a template, so computed once per process)."""
    root = etree.fromstring(content_types, safe_parser())
    part = "/" + _CUSTOM_PART
    if not any(o.get("PartName") == part for o in root.findall(f"{{{_CT_NS}}}Override")):
        override = etree.SubElement(root, f"{{{_CT_NS}}}Override")
        override.set("PartName", part)
        override.set("ContentType", _CUSTOM_TYPE)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


@functools.lru_cache(maxsize=64)
def _with_relationship(rels: bytes) -> bytes:
    """_rels/.rels pointing at the custom properties part (once per template and process)."""
    root = etree.fromstring(rels, safe_parser())
    found = root.findall(f"{{{_RELS_NS}}}Relationship")
    if not any(r.get("Type") == _CUSTOM_REL for r in found):
        ids = {r.get("Id") for r in found}
        number = len(found) + 1
        while f"rId{number}" in ids:
            number += 1
        rel = etree.SubElement(root, f"{{{_RELS_NS}}}Relationship")
        rel.set("Id", f"rId{number}")
        rel.set("Type", _CUSTOM_REL)
        rel.set("Target", _CUSTOM_PART)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


@functools.lru_cache(maxsize=64)
def _entry_with(name: str, data: bytes) -> Entry:
    """A rewritten unchanging part, compressed once per process."""
    return entry(name, data)


def with_fingerprint(
    parts: Mapping[str, bytes | Entry], facts: Mapping[str, str] | None = None
) -> dict[str, bytes | Entry]:
    """``parts`` plus the custom property recording what genreport wrote, and ``facts``
    (properties named ``genreport-…``, see :mod:`generator.render.facts`) when given:
    they replace every fact the package had, so a volume never keeps a fund's."""
    out = dict(parts)
    for name, change in (
        ("[Content_Types].xml", _with_override),
        (_PACKAGE_RELS, _with_relationship),
    ):
        value = out[name]
        changed = change(raw_part(value))
        out[name] = changed if isinstance(value, bytes) else _entry_with(name, changed)
    existing = out.get(_CUSTOM_PART)
    out[_CUSTOM_PART] = _custom_properties(
        None if existing is None else raw_part(existing), content_fingerprint(out), facts
    )
    return out


def add_fingerprint(data: bytes) -> bytes:
    """Record what genreport wrote in a custom document property, as the last step.

    The property travels with the file (copies, e-mail, another folder), so a re-run
    can tell an untouched output from a person's edits without any side file.
    """
    return write_package(with_fingerprint(_read_entries(data)))


def read_fingerprint(data: bytes) -> str | None:
    """The fingerprint genreport recorded, or None (not ours, not a .docx, unreadable)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            info = source.getinfo(_CUSTOM_PART)
            if info.file_size > 1024 * 1024:
                return None
            root = etree.fromstring(source.read(info), safe_parser())
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError):
        return None
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == FINGERPRINT_PROPERTY:
            value = "".join(prop.itertext()).strip()
            return value if _SHA256_HEX.fullmatch(value) else None
    return None


_PROPERTIES = "docProps/"
_CORE_PART = "docProps/core.xml"
#: Stamps that follow 成文日期, the one property a changed input may legitimately change;
#: the 属性 dialog cannot edit them.
_DATES = (
    "{http://purl.org/dc/terms/}created",
    "{http://purl.org/dc/terms/}modified",
)
_MAX_PROPERTY_BYTES = 1024 * 1024


def _comparable_properties(data: bytes) -> dict[str, bytes] | None:
    """The docProps/ parts as compared: without the fingerprint property and the dates.

    None when they cannot be read (then nothing is taken as unchanged).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            infos = [i for i in source.infolist() if i.filename.startswith(_PROPERTIES)]
            if any(i.file_size > _MAX_PROPERTY_BYTES for i in infos):
                return None
            parts = {i.filename: source.read(i) for i in infos}
        for name, drop in ((_CUSTOM_PART, _is_fingerprint), (_CORE_PART, _is_date)):
            if name in parts:
                root = etree.fromstring(parts[name], safe_parser())
                for node in [n for n in root if drop(n)]:
                    root.remove(node)
                parts[name] = etree.tostring(root, encoding="UTF-8")
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, EOFError):
        return None
    return parts


def _is_fingerprint(node: Any) -> bool:
    return bool(node.get("name") == FINGERPRINT_PROPERTY)


def _is_date(node: Any) -> bool:
    return node.tag in _DATES


def same_properties(existing: bytes, fresh: bytes) -> bool:
    """Whether ``existing`` has the document properties genreport writes in ``fresh``.

    ``fresh`` is the same report generated now: same file name, hence same unit, year
    and fund, hence same 标题 and 作者; only the dates follow 成文日期. Anything else that
    differs (标题, 作者, 主题, 关键词, 备注, 类别, 单位, another custom property) was set
    by a person, typically in Explorer's 属性 dialog.
    """
    mine = _comparable_properties(existing)
    return mine is not None and mine == _comparable_properties(fresh)


def is_unedited(data: bytes) -> bool | None:
    """True: text and layout as genreport wrote them; False: edited since; None: no fingerprint.

    The document properties are judged separately (:func:`same_properties`).
    """
    if len(data) > _MAX_CHECKED_BYTES:
        return None
    recorded = read_fingerprint(data)
    if recorded is None:
        return None
    try:
        return content_fingerprint(_read_entries(data)) == recorded
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False
