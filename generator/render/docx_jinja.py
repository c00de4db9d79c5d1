"""The Jinja side of a Word template: the environment, docxtpl's patching, a structural check.

generator/render/template.py compiles templates with these once and renders without docxtpl:

- :func:`make_environment`: the bounded sandbox (generator/render/sandbox.py) with the ``成句``
  filter, caching compiled parts, a fast path for ``行.名称`` on plain dicts, and the
  paragraph line breaks dropped from static text at compile time;
- :func:`docx_class`: docxtpl with our ``{% vmerge %}`` cell tag (imported only when a
  template has to be compiled, or rendered the way docxtpl does);
- :func:`always_well_formed`: whether every rendering of a compiled body is well-formed
  XML, so that docxtpl's re-parse of each rendering can be skipped.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import zipfile
from collections.abc import MutableMapping
from typing import Any

from jinja2 import Template, nodes
from jinja2.runtime import LoopContext
from jinja2.utils import Namespace

from generator.errors import TemplateError
from generator.render.repairs import SIGNATURE_MARK
from generator.render.sandbox import BoundedSandbox

__all__ = ["always_well_formed", "docx_class", "make_environment", "open_docx", "sentence"]

_SENTENCE_ENDINGS = ("。", "！", "？", "；", "…", ".", "!", "?")

# ``{% vmerge EXPR %}`` inside a table cell (after docxtpl has joined split runs).
_VMERGE_CELL = re.compile(
    r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vmerge\s+(?:(?!%}).)*%}.*?</w:tc>", re.DOTALL
)
_VMERGE_TAG = re.compile(r"{%\s*vmerge\s+((?:(?!%}).)*?)\s*%}", re.DOTALL)
_CELL_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)(.*?)(</w:t>)", re.DOTALL)
# Children of w:tcPr that must come after w:vMerge (ECMA-376 CT_TcPr sequence).
_AFTER_VMERGE = re.compile(
    r"<w:(?:tcBorders|shd|noWrap|tcMar|textDirection|tcFitText|vAlign|hideMark"
    r"|headers|cellIns|cellDel|cellMerge|tcPrChange)[ />]"
)


def sentence(value: object) -> str:
    """Filter ``成句``: end a clause with a full stop unless it already ends a sentence."""
    text = str(value).rstrip()
    if not text or text.endswith(_SENTENCE_ENDINGS):
        return text
    return text + "。"


class _CachingEnvironment(BoundedSandbox):
    """Compile each template part once; docxtpl asks again on every render."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Template] = {}

    def from_string(  # type: ignore[override]
        self,
        source: str,
        globals: MutableMapping[str, Any] | None = None,
        template_class: Any = None,
    ) -> Template:
        if globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)
            self._compiled[source] = template
        return template

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Drop the line break put before each paragraph once, in the template's text.

        docxtpl compiles one paragraph per line (so errors can name a line) and removes
        those breaks from every rendered document; static text is the only place they
        occur, so removing them here spares two passes over each report.
        """
        tree = super()._parse(source, name, filename)
        for data in tree.find_all(nodes.TemplateData):
            if "\n<w:p" in data.data:
                data.data = data.data.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        return tree

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``行.名称`` on a plain dict, without the failed attribute lookup Jinja tries first.

        Same result as the sandbox's own lookup: a plain dict has no attribute of that name,
        so Jinja would end up at ``obj[attribute]`` anyway, after raising and catching.
        """
        kind = type(obj)
        if kind is dict and attribute not in _DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]
        if isinstance(obj, _PLAIN_OBJECTS) and not attribute.startswith("_"):
            # ``计数.n`` (the sandbox's namespace is a Namespace) and ``loop.index``: the
            # sandbox would allow these after many checks.
            with contextlib.suppress(AttributeError):
                return getattr(obj, attribute)
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))
_PLAIN_OBJECTS = (Namespace, LoopContext)


def make_environment() -> BoundedSandbox:
    """The Jinja environment every report template is rendered with (generator.render.sandbox)."""
    env = _CachingEnvironment(autoescape=True)
    env.filters["成句"] = sentence
    return env


def _vmerge_cell(match: re.Match[str]) -> str:
    """Turn one cell carrying ``{% vmerge EXPR %}`` into a conditional vertical merge."""
    cell = match.group(0)
    tag = _VMERGE_TAG.search(cell)
    assert tag is not None  # guaranteed by _VMERGE_CELL
    expr = f"({tag.group(1).strip()})"
    cell = cell[: tag.start()] + cell[tag.end() :]
    cell = _CELL_TEXT.sub(
        lambda t: (
            f'{t.group(1)}{{% if {expr} != "continue" %}}{t.group(2)}{{% endif %}}{t.group(3)}'
        ),
        cell,
    )
    mark = (
        f'{{% if {expr} == "restart" %}}<w:vMerge w:val="restart"/>'
        f'{{% elif {expr} == "continue" %}}<w:vMerge/>{{% endif %}}'
    )
    cell = re.sub(r"<w:vMerge(?:\s[^>]*)?/>", "", cell)
    if "<w:tcPr/>" in cell:
        return cell.replace("<w:tcPr/>", f"<w:tcPr>{mark}</w:tcPr>", 1)
    props = re.search(r"<w:tcPr(?:\s[^>]*)?>(.*?)</w:tcPr>", cell, re.DOTALL)
    if props is None:
        opening = re.match(r"<w:tc(?:\s[^>]*)?>", cell)
        assert opening is not None
        return f"{opening.group(0)}<w:tcPr>{mark}</w:tcPr>{cell[opening.end() :]}"
    body_start, body_end = props.span(1)
    later = _AFTER_VMERGE.search(cell, body_start, body_end)
    insert_at = later.start() if later else body_end
    return cell[:insert_at] + mark + cell[insert_at:]


@functools.cache
def docx_class() -> Any:
    """docxtpl plus the ``{% vmerge %}`` cell tag (imported only when a render needs it)."""
    from docxtpl import DocxTemplate

    class _Docx(DocxTemplate):  # type: ignore[misc]
        def patch_xml(self, src_xml: str) -> str:
            patched: str = super().patch_xml(src_xml)
            return _VMERGE_CELL.sub(_vmerge_cell, patched)

    return _Docx


def open_docx(data: bytes, name: str) -> Any:
    """A docxtpl document for ``data``; a file that is not a .docx is a template error."""
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx_class()(io.BytesIO(data))
        document.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"模板“{name}”不是有效的 Word（.docx）文件") from exc
    return document


_TOKEN = re.compile(
    r"\{%-?\s*(\w+).*?%\}|\{\{.*?\}\}|\{#.*?#\}|<([/?!]?)([^\s/>]*)[^>]*?(/?)>", re.DOTALL
)
_BLOCKS = {
    "if": "endif",
    "for": "endfor",
    "macro": "endmacro",
    "call": "endcall",
    "filter": "endfilter",
    "with": "endwith",
    "autoescape": "endautoescape",
}
_BRANCHES = {"elif", "else"}
_INLINE = {"set", "break", "continue", "do"}


def always_well_formed(source: str) -> bool:
    """Whether every rendering of ``source`` is well-formed XML, judged from its structure.

    True when each branch of every Jinja block holds balanced XML and nothing outputs raw
    markup; docxtpl re-parses every rendering (with recovery), which we then need only for
    templates this cannot vouch for.
    """
    frames: list[list[str]] = [[]]
    for match in _TOKEN.finditer(source):
        text = match.group(0)
        if text.startswith("{{"):
            if "safe" in text or "markup" in text.lower():
                return False
        elif text.startswith("{#"):
            continue
        elif match.group(1) is not None:
            if not _jinja_tag_fits(match.group(1), text, frames):
                return False
        elif not _xml_tag_fits(match, frames):
            return False
    return len(frames) == 1 and not frames[0]


def _jinja_tag_fits(keyword: str, text: str, frames: list[list[str]]) -> bool:
    """A block opens a frame; a branch or its end needs the XML of the frame balanced.

    Any other tag but a plain assignment or loop control might output markup.
    """
    if keyword in _BLOCKS:
        frames.append([])
        return True
    if keyword in _BRANCHES or keyword in _BLOCKS.values():
        if len(frames) == 1 or frames[-1]:
            return False
        if keyword not in _BRANCHES:
            frames.pop()
        return True
    return keyword in _INLINE and not (keyword == "set" and "=" not in text)


def _xml_tag_fits(match: re.Match[str], frames: list[list[str]]) -> bool:
    """An opening tag joins the frame, a closing one must close its last opening.

    Of comments, only the 落款 mark is expected; a processing instruction is harmless.
    """
    kind, name, closed = match.group(2), match.group(3), match.group(4)
    if kind in ("?", "!"):
        return kind != "!" or match.group(0) == SIGNATURE_MARK
    if kind == "/":
        return bool(frames[-1]) and frames[-1].pop() == name
    if not closed:
        frames[-1].append(name)
    return True
