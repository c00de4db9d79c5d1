"""Render a report context into a Word template (docxtpl + a sandboxed, strict Jinja).

Templates are edited by people in Word, so every Jinja failure is turned into a
:class:`~generator.errors.TemplateError` that names the template file in Chinese.
Narrative text comes from users: the environment (generator/render/docx_jinja.py) is sandboxed
and autoescaped so a ``<`` or ``&`` in a sentence can never break the document XML.
Each template is compiled once (:class:`ReportTemplate`) and rendered without docxtpl.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.exceptions import TemplateError as JinjaTemplateError

from generator.config.search import find_template
from generator.core.bookmarks import MARK_CHARS
from generator.errors import TemplateError
from generator.render import cache as template_cache
from generator.render.deterministic_zip import Entry, entry, read_parts, write_package
from generator.render.document import finalize_parts, polish_package
from generator.render.docx_jinja import always_well_formed, make_environment, open_docx
from generator.render.jinja_messages import runtime_message, syntax_message, template_line
from generator.render.marks import drop_marks, place_bookmarks
from generator.render.repairs import (
    align_grids,
    keep_signature_in_text,
    left_align_long_numbers,
    mark_signatures,
    needs_field_update,
    set_update_fields,
    signature_style_ids,
)
from generator.render.sandbox import RenderLimitError
from generator.render.template_guard import read_template

__all__ = [
    "ReportTemplate",
    "find_template",
    "load_template",
    "make_environment",
    "render_document",
    "render_report",
]

_UNSAFE_ATTRIBUTE = re.compile(r"attribute '([^']+)'")
_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")
_MISSING_ELEMENT = re.compile(r"has no element (.+)$")


def _describe(exc: Exception) -> str:
    """A Chinese explanation of a render failure, with where and the nearby template text."""
    line = template_line(exc)
    where = f"（第{line}段附近）" if line else ""
    if isinstance(exc, TemplateSyntaxError):
        text = f"语法错误{where}：{syntax_message(exc.message)}"
    elif isinstance(exc, UndefinedError):
        message = exc.message or ""
        element = _MISSING_ELEMENT.search(message)
        found = _UNDEFINED_NAME.search(message)
        if element is not None:
            text = f"取了不存在的第 {element.group(1)} 项{where}"
        else:
            name = (found.group(1) or found.group(2)) if found else message
            text = f"使用了上下文中不存在的名称“{name}”{where}"
    elif isinstance(exc, RenderLimitError):
        text = f"超出渲染限制{where}：{exc.message}"
    elif isinstance(exc, SecurityError):
        found = _UNSAFE_ATTRIBUTE.search(exc.message or "")
        what = f"访问内部属性“{found.group(1)}”" if found else "调用不安全的方法"
        text = f"包含不允许的操作（{what}）{where}，已拒绝"
    elif isinstance(exc, JinjaTemplateError):
        text = f"渲染失败{where}：{syntax_message(exc.message)}"
    else:
        text = f"渲染失败{where}：{runtime_message(exc)}"
    context = getattr(exc, "docx_context", []) or []
    nearby = [piece.strip() for piece in context if piece.strip()]
    if nearby:
        text += "；附近文字：" + " / ".join(nearby)[:200]
    return text


_XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_BODY_OPEN = re.compile(r"<w:body(?:\s[^>]*)?>")
_DOCUMENT_BODY = re.compile(r"(<w:body(?:\s[^>]*)?>).*(</w:body>)", re.DOTALL)
# Tags whose output changes a table's cell count or needs ids renumbered: docxtpl then
# re-parses the rendered XML (fix_tables, fix_docpr_ids), and so must we.
_NEEDS_TREE = re.compile(r"\{[{%]-?\s*tc\s|\{%-?\s*(?:hm|colspan)\b|docPr")
_TAG_CHARS = ("{{", "{%", "{#")
_LISTING_CHARS = ("\t", "\a", "\n", "\f")
_CORE_TEXT = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@functools.cache
def _cache_salt() -> tuple[str, ...]:
    """What shapes a compiled template besides its bytes: our modules and the libraries.

    The sandbox rewrites loops while compiling and the layout repairs edit the template,
    so a change to either is a cache miss too. docxtpl is identified by its template
    module's file (importing it, or asking importlib.metadata, costs more than a render).
    """
    import importlib.util

    import jinja2

    here = Path(__file__).parent
    sources = [
        (here / name).read_text(encoding="utf-8")
        for name in ("template.py", "docx_jinja.py", "sandbox.py", "repairs.py")
    ]
    spec = importlib.util.find_spec("docxtpl")
    docxtpl = ""
    if spec is not None and spec.origin:
        module = Path(spec.origin).with_name("template.py")
        with contextlib.suppress(OSError):
            stat = module.stat()
            docxtpl = f"{module}:{stat.st_size}:{stat.st_mtime_ns}"
    return (*sources, docxtpl, jinja2.__version__)


def _paragraph_lines(xml: str) -> str:
    """One paragraph per line, as docxtpl compiles it (error messages count these lines)."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _polish_template(document: Any) -> None:
    """The layout repairs that can be made once, on the template (python-docx document).

    Row loops copy template rows, so cell widths and fixed layouts set here carry over to
    every report; the field flag depends on fields the template holds (context values are
    escaped text and cannot add any); the 落款 paragraphs get the mark that the per-report
    chain (:func:`generator.render.repairs.keep_signature_in_text`) starts from.
    """
    body = document.element.body
    align_grids(body)
    if needs_field_update(body):
        set_update_fields(document.settings.element)
    mark_signatures(body, signature_style_ids(document.styles.element))


@dataclass(frozen=True)
class _Part:
    """One XML part compiled once: the Jinja template and the source it came from."""

    name: str
    source: str
    template: Template
    code: Any


@dataclass(frozen=True)
class _Compiled:
    """A template prepared for rendering without python-docx or docxtpl."""

    static: dict[str, Entry]
    document: str
    prefix: str
    suffix: str
    body: _Part
    body_open: str
    parts: tuple[_Part, ...]
    tree: bool


class ReportTemplate:
    """A Word template read once and rendered any number of times.

    docxtpl reloads the .docx, patches its XML and recompiles the Jinja template on
    every render, which costs far more than writing the document. Here that work is done
    once: the patched XML (with our ``vmerge`` tag) is compiled once, the parts that no
    render changes are kept compressed, and each render only runs Jinja and writes the zip.
    Templates using features that need the rendered XML re-parsed, or templated document
    properties or footnotes, take docxtpl's own path (:meth:`render_docxtpl`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data = read_template(path)
        self._env = make_environment()
        self._document: Any = None
        key = template_cache.cache_key(self._data, *_cache_salt())
        cached = template_cache.load(key)
        restored = self._restore(cached) if isinstance(cached, dict) else None
        if restored is not None:
            self._fast = restored[0]
            return
        self._document = open_docx(self._data, path.name)
        self._fast = self._compile()
        template_cache.store(key, self._dump())

    @property
    def _probe(self) -> Any:
        """docxtpl's view of the template, for the rare steps that still need it."""
        if self._document is None:
            self._document = open_docx(self._data, self.path.name)
        return self._document

    # ----------------------------------------------------------------- preparation

    def _template(self, code: Any) -> Template:
        env = self._env
        return env.template_class.from_code(env, code, env.make_globals(None), None)

    def _compile_part(self, name: str, xml: str) -> _Part:
        source = _paragraph_lines(self._probe.patch_xml(xml))
        try:
            code = self._env.compile(source)
        except JinjaTemplateError as exc:
            raise self._error(exc, source) from exc
        return _Part(name, source, self._template(code), code)

    def _dump(self) -> dict[str, Any]:
        """The compiled form as marshal-able data (code objects included)."""
        compiled = self._fast
        if compiled is None:
            return {"fast": False}
        return {
            "fast": True,
            "static": [(e.name, e.size, e.crc, e.compressed) for e in compiled.static.values()],
            "document": compiled.document,
            "prefix": compiled.prefix,
            "suffix": compiled.suffix,
            "body_open": compiled.body_open,
            "tree": compiled.tree,
            "parts": [(p.name, p.source, p.code) for p in (compiled.body, *compiled.parts)],
        }

    def _restore(self, data: dict[str, Any]) -> tuple[_Compiled | None] | None:
        try:
            if not data["fast"]:
                return (None,)
            parts = [
                _Part(name, source, self._template(code), code)
                for name, source, code in data["parts"]
            ]
            static = {item[0]: Entry(*item) for item in data["static"]}
            return (
                _Compiled(
                    static,
                    data["document"],
                    data["prefix"],
                    data["suffix"],
                    parts[0],
                    data["body_open"],
                    tuple(parts[1:]),
                    data["tree"],
                ),
            )
        except (KeyError, TypeError, ValueError, IndexError, JinjaTemplateError):
            return None

    def _compile(self) -> _Compiled | None:
        probe = self._probe
        document = probe.docx
        props = document.core_properties  # docxtpl's render adds the part when missing
        if any(tag in (getattr(props, name) or "") for name in _CORE_TEXT for tag in _TAG_CHARS):
            return None
        for name in _CORE_TEXT:  # docxtpl writes each back after rendering it
            setattr(props, name, getattr(props, name))
        package = document.part.package
        if any(
            part.content_type == _FOOTNOTES and b"{" in part.blob for part in package.iter_parts()
        ):
            return None
        _polish_template(document)
        body_xml = probe.get_xml()
        opening = _BODY_OPEN.match(body_xml)
        if opening is None or not body_xml.endswith("</w:body>"):
            return None
        inner = body_xml[opening.end() : -len("</w:body>")]
        body = self._compile_part(document.part.partname.lstrip("/"), inner)
        tree = (
            bool(_NEEDS_TREE.search(body_xml))
            or self._fixes_tables(body_xml)
            or not always_well_formed(body.source)
        )
        parts = []
        for uri in (probe.HEADER_URI, probe.FOOTER_URI):
            for _, part in probe.get_headers_footers(uri):
                xml = probe.get_part_xml(part)
                if any(tag in xml for tag in ("{", *_LISTING_CHARS)):
                    parts.append(self._compile_part(part.partname.lstrip("/"), xml))
        out = io.BytesIO()
        document.save(out)
        baseline = read_parts(out.getvalue())
        name = body.name
        found = _DOCUMENT_BODY.search(baseline[name].decode("utf-8"))
        if found is None:
            return None
        text = baseline[name].decode("utf-8")
        rendered = {name, *(p.name for p in parts)}
        static = {n: entry(n, data) for n, data in baseline.items() if n not in rendered}
        return _Compiled(
            static,
            name,
            text[: found.end(1)],
            text[found.start(2) :],
            body,
            opening.group(0),
            tuple(parts),
            tree,
        )

    def _fixes_tables(self, body_xml: str) -> bool:
        """Whether docxtpl's table fix would change this template's tables as they stand."""
        from lxml import etree

        try:
            before = etree.tostring(etree.fromstring(body_xml))
        except etree.XMLSyntaxError:
            return True  # e.g. undefined entities: docxtpl's recovering re-parse drops them
        return bool(etree.tostring(self._probe.fix_tables(body_xml)) != before)

    # ----------------------------------------------------------------- rendering

    def _error(self, exc: Exception, source: str) -> TemplateError:
        lineno = template_line(exc)
        if lineno is not None and not hasattr(exc, "docx_context"):
            start = max(lineno - 4, 0)
            lines = source.splitlines()[start : start + 7]
            exc.docx_context = [re.sub(r"<[^>]+>", "", line) for line in lines]  # type: ignore[attr-defined]
        return TemplateError(f"模板“{self.path.name}”{_describe(exc)}")

    def _run(self, part: _Part, context: Mapping[str, object]) -> str:
        """Render one part exactly as docxtpl's render_xml_part does, minus the recompiling."""
        try:
            xml = part.template.render(context)
        except (JinjaTemplateError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            raise self._error(exc, part.source) from exc
        except RecursionError as exc:
            raise TemplateError(f"模板“{self.path.name}”嵌套或递归过深，已停止") from exc
        if "\n<w:p" in xml:  # only from raw (|safe) output: static text has none left
            xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml or "%_" in xml:
            xml = (
                xml.replace("{_{", "{{")
                .replace("}_}", "}}")
                .replace("{_%", "{%")
                .replace("%_}", "%}")
            )
        if any(char in xml for char in _LISTING_CHARS):
            xml = str(self._probe.resolve_listing(xml))
        return xml

    def _fix_tree(self, compiled: _Compiled, inner: str) -> str:
        from lxml import etree

        tree = self._probe.fix_tables(f"{compiled.body_open}{inner}</w:body>")
        self._probe.docx_ids_index = 1000
        self._probe.fix_docpr_ids(tree)
        align_grids(tree)  # the table fix may have changed the grid
        xml: str = etree.tostring(tree, encoding="unicode")
        opening = _BODY_OPEN.match(xml)
        if opening is None or not xml.endswith("</w:body>"):
            return ""
        return xml[opening.end() : -len("</w:body>")]

    def render_parts(self, context: Mapping[str, object]) -> dict[str, bytes | Entry]:
        """The package of one rendered report as parts (compressed where unchanged)."""
        compiled = self._fast
        if compiled is None:
            return dict(read_parts(self.render_docxtpl(context)))
        values = dict(context)
        inner = self._run(compiled.body, values)
        if compiled.tree:
            inner = self._fix_tree(compiled, inner)
        inner = left_align_long_numbers(keep_signature_in_text(place_bookmarks(inner)))
        parts: dict[str, bytes | Entry] = dict(compiled.static)
        parts[compiled.document] = f"{compiled.prefix}{inner}{compiled.suffix}".encode()
        for part in compiled.parts:
            parts[part.name] = (_XML_DECLARATION + drop_marks(self._run(part, values))).encode()
        return parts

    def render(self, context: Mapping[str, object]) -> bytes:
        """Fill the template with ``context`` and return the .docx file as bytes."""
        return write_package(self.render_parts(context))

    def render_docxtpl(self, context: Mapping[str, object]) -> bytes:
        """docxtpl's own rendering, polished: the reference the fast path is tested against.

        Also the path for templates the fast one cannot take (templated document
        properties or footnotes).
        """
        document = open_docx(self._data, self.path.name)
        try:
            document.render(dict(context), jinja_env=self._env)
        except (JinjaTemplateError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            raise TemplateError(f"模板“{self.path.name}”{_describe(exc)}") from exc
        except RecursionError as exc:
            raise TemplateError(f"模板“{self.path.name}”嵌套或递归过深，已停止") from exc
        out = io.BytesIO()
        document.save(out)
        main = str(document.docx.part.partname).lstrip("/")
        return write_package(polish_package(_with_bookmarks(read_parts(out.getvalue()), main)))


def _with_bookmarks(parts: dict[str, bytes], main: str) -> dict[str, bytes]:
    """The marks of a package rendered by docxtpl: bookmarks in ``main``, gone elsewhere."""
    for name, data in parts.items():
        if name.endswith(".xml") and any(char.encode() in data for char in MARK_CHARS):
            text = data.decode("utf-8")
            parts[name] = (place_bookmarks(text) if name == main else drop_marks(text)).encode()
    return parts


_CACHE: dict[tuple[Path, int, int], ReportTemplate] = {}


def load_template(path: Path) -> ReportTemplate:
    """The loaded template for ``path``, read once per process (reloaded if the file changes)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise TemplateError(f"找不到模板“{path}”") from exc
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    template = _CACHE.get(key)
    if template is None:
        template = ReportTemplate(path)
        _CACHE[key] = template
    return template


def render_report(context: dict[str, object], template_path: Path) -> bytes:
    """Render one report; the template is loaded once per process."""
    return load_template(template_path).render(context)


def render_document(
    context: Mapping[str, object],
    template_path: Path,
    *,
    title: str,
    author: str,
    created: datetime.date | None,
    facts: Mapping[str, str] | None = None,
) -> bytes:
    """Render one report straight to its final bytes (as ``finalize_docx(render_report())``)."""
    parts = load_template(template_path).render_parts(context)
    return write_package(
        finalize_parts(parts, title=title, author=author, created=created, facts=facts)
    )
