"""Render a report context into a Word template (docxtpl + a sandboxed, strict Jinja).

Templates are edited by people in Word, so every Jinja failure is turned into a
:class:`~generator.errors.TemplateError` that names the template file in Chinese.
Narrative text comes from users: the environment is sandboxed and autoescaped so a
``<`` or ``&`` in a sentence can never break the document XML.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import Template, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.exceptions import TemplateError as JinjaTemplateError

from generator.errors import TemplateError
from generator.sandbox import BoundedSandbox, RenderLimitError
from generator.template_lookup import find_template

__all__ = [
    "ReportTemplate",
    "find_template",
    "load_template",
    "make_environment",
    "render_report",
]

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
_UNSAFE_ATTRIBUTE = re.compile(r"attribute '([^']+)'")
_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def _sentence(value: object) -> str:
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


def make_environment() -> BoundedSandbox:
    """The Jinja environment every report template is rendered with (generator.sandbox)."""
    env = _CachingEnvironment(autoescape=True)
    env.filters["成句"] = _sentence
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


class _Docx(DocxTemplate):  # type: ignore[misc]
    """docxtpl plus the ``{% vmerge %}`` cell tag for merging groups inside one loop."""

    def patch_xml(self, src_xml: str) -> str:
        patched: str = super().patch_xml(src_xml)
        return _VMERGE_CELL.sub(_vmerge_cell, patched)


def _describe(exc: JinjaTemplateError) -> str:
    """A Chinese explanation of a Jinja failure, with the nearby template text when known."""
    if isinstance(exc, TemplateSyntaxError):
        text = f"语法错误（第{exc.lineno}段附近）：{exc.message}"
    elif isinstance(exc, UndefinedError):
        found = _UNDEFINED_NAME.search(exc.message or "")
        name = (found.group(1) or found.group(2)) if found else (exc.message or "")
        text = f"使用了上下文中不存在的名称“{name}”"
    elif isinstance(exc, RenderLimitError):
        text = f"超出渲染限制：{exc.message}"
    elif isinstance(exc, SecurityError):
        found = _UNSAFE_ATTRIBUTE.search(exc.message or "")
        what = f"访问内部属性“{found.group(1)}”" if found else "调用不安全的方法"
        text = f"包含不允许的操作（{what}），已拒绝"
    else:
        text = f"渲染失败：{exc.message or exc}"
    nearby = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    if nearby:
        text += "；附近文字：" + " / ".join(nearby)[:200]
    return text


class ReportTemplate:
    """A Word template read once and rendered any number of times."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._data = path.read_bytes()
            probe = _Docx(io.BytesIO(self._data))
            probe.init_docx()
        except OSError as exc:
            raise TemplateError(f"无法读取模板“{path.name}”：{exc.strerror or exc}") from exc
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise TemplateError(f"模板“{path.name}”不是有效的 Word（.docx）文件") from exc
        self._env = make_environment()

    def render(self, context: Mapping[str, object]) -> bytes:
        """Fill the template with ``context`` and return the .docx file as bytes."""
        document = _Docx(io.BytesIO(self._data))
        try:
            document.render(dict(context), jinja_env=self._env)
        except JinjaTemplateError as exc:
            raise TemplateError(f"模板“{self.path.name}”{_describe(exc)}") from exc
        except (TypeError, ValueError, AttributeError, ArithmeticError, RecursionError) as exc:
            raise TemplateError(f"模板“{self.path.name}”渲染失败：{exc}") from exc
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


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
