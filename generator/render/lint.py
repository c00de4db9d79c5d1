"""Lint Word templates edited by people: every problem at once, each with its place.

A template edited in Word or WPS fails in ways its author cannot see: a tag typed with
Chinese quotes, an ``{% if %}`` whose ``{% endif %}`` was deleted with a paragraph, a
misspelt name, a tag that spell-checking split into pieces. The checker reads the tags
out of the document paragraph by paragraph, so each finding names the paragraph or
table cell and quotes the nearby text, then checks them together as one template
against the documented context (generator.render.names).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, meta, nodes
from lxml import etree

from generator.core.vocabulary import FUND_TYPES, OUTLINES
from generator.errors import Location, Problem, Severity
from generator.render.jinja_messages import syntax_message
from generator.render.names import CONTEXT, GLOBALS, Name
from generator.render.sandbox import TICK_FILTER
from generator.render.template_guard import TemplateFileError, read_template

__all__ = ["check_template", "check_template_dir"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TAG = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
_OPENING = re.compile(r"{[{%#]")
_DOCXTPL_PREFIX = re.compile(r"^({%|{{)(p|tr|tc|r)\s")
_CELL_TAG = re.compile(r"^{%-?\s*(vmerge|colspan|cellbg)\s+(.*?)\s*-?%}$", re.DOTALL)
_STATEMENT = re.compile(r"^{%-?\s*(\w+)")
_BLOCKS = {"if", "for", "macro", "call", "filter", "with", "block", "raw", "autoescape", "trans"}
_MIDDLES = {"elif": {"if"}, "else": {"if", "for"}, "pluralize": {"trans"}}
_CURLY = "“”‘’"
_BINDING = re.compile(r"^{%-?\s*(?:for\s+([\w\s,]+?)\s+in\b|set\s+(\w+))")
#: The widest table that fits the text block (210 − 28 − 26 mm in twips), with slack.
_TEXT_WIDTH_TWIPS = 8845


@dataclass
class _Paragraph:
    place: str
    text: str
    order: int
    #: For each character of ``text``, which w:t element it came from.
    sources: list[int]


@dataclass
class _Tag:
    text: str  # as written
    source: str  # normalised Jinja source
    paragraph: _Paragraph
    start: int


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _read_paragraph(element: Any, place: str, order: int) -> _Paragraph:
    text: list[str] = []
    sources: list[int] = []
    for index, t in enumerate(element.iter(_w("t"))):
        chunk = t.text or ""
        text.append(chunk)
        sources.extend([index] * len(chunk))
    return _Paragraph(place, "".join(text), order, sources)


def _paragraphs(root: Any, prefix: str) -> Iterator[_Paragraph]:
    """Paragraphs in document order, each named the way a person finds it in Word."""
    body = root.find(_w("body"))
    container = body if body is not None else root
    number = table_number = 0
    for child in container:
        if child.tag == _w("p"):
            number += 1
            yield _read_paragraph(child, f"{prefix}第{number}段", next(_ORDER))
        elif child.tag == _w("tbl"):
            table_number += 1
            for r, row in enumerate(child.iter(_w("tr")), start=1):
                for c, cell in enumerate(row.findall(_w("tc")), start=1):
                    for k, p in enumerate(cell.findall(_w("p")), start=1):
                        extra = f"第{k}段" if k > 1 else ""
                        yield _read_paragraph(
                            p, f"{prefix}表{table_number}第{r}行第{c}格{extra}", next(_ORDER)
                        )


_ORDER = itertools.count()


def _nearby(paragraph: _Paragraph, start: int, end: int) -> str:
    text = paragraph.text
    if len(text) <= 60:
        return text
    left = max(0, start - 20)
    right = min(len(text), end + 20)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


class _Checker:
    def __init__(self, path: Path, env: Any, *, each_split: bool) -> None:
        self.path = path
        self.env = env
        self.problems: list[Problem] = []
        self.order: list[int] = []
        self.tags: list[_Tag] = []
        self.each_split = each_split
        self.split: list[tuple[_Tag, int]] = []
        #: Tags already reported; left out when the rest is checked as one template.
        self.bad: set[int] = set()
        self.removed: list[_Tag] = []

    def report(
        self,
        place: str,
        message: str,
        nearby: str = "",
        severity: Severity = Severity.ERROR,
        order: int = -1,
    ) -> None:
        text = message + (f"（附近文字：“{nearby}”）" if nearby else "")
        self.problems.append(Problem(Location(str(self.path), cell=place), text, severity))
        self.order.append(order)

    def sorted_problems(self) -> list[Problem]:
        """In document order, so the list reads top to bottom like the template."""
        pairs = sorted(zip(self.order, range(len(self.problems)), self.problems, strict=True))
        return [problem for _, _, problem in pairs]

    def at(self, tag: _Tag, message: str, severity: Severity = Severity.ERROR) -> None:
        if severity is Severity.ERROR:
            self.bad.add(id(tag))
        end = tag.start + len(tag.text)
        self.report(
            tag.paragraph.place,
            message,
            _nearby(tag.paragraph, tag.start, end),
            severity,
            tag.paragraph.order,
        )

    # ----------------------------------------------------------------- collecting tags

    def collect(self, paragraph: _Paragraph) -> None:
        text = paragraph.text
        position = 0
        for match in _TAG.finditer(text):
            self._unclosed(paragraph, text[position : match.start()], position)
            position = match.end()
            tag = _Tag(match.group(0), _normalise(match.group(0)), paragraph, match.start())
            pieces = set(paragraph.sources[match.start() : match.end()])
            if len(pieces) > 1:
                self.split.append((tag, len(pieces)))
            if tag.text.startswith("{#"):
                continue
            self.tags.append(tag)
            if any(q in tag.text for q in _CURLY):
                self.at(
                    tag,
                    f"标签 {tag.text} 中有中文引号；标签内的引号须为英文引号 \" 或 '"
                    "（在 Word 中关闭“自动套用格式：直引号替换为弯引号”后重新输入）",
                )
        self._unclosed(paragraph, text[position:], position)

    def _unclosed(self, paragraph: _Paragraph, gap: str, offset: int) -> None:
        found = _OPENING.search(gap)
        if found:
            start = offset + found.start()
            self.report(
                paragraph.place,
                f"标签 {gap[found.start() : found.start() + 20]} 没有在同一段内结束"
                "（缺少 }} 或 %}，或被回车分成了两段）",
                _nearby(paragraph, start, start + 2),
                order=paragraph.order,
            )
        elif "}}" in gap or "%}" in gap:
            start = offset + max(gap.find("}}"), gap.find("%}"))
            self.report(
                paragraph.place,
                "有结束符号 }} 或 %} 却没有对应的开始符号",
                _nearby(paragraph, start, start + 2),
                order=paragraph.order,
            )

    def report_split(self) -> None:
        """Split tags render fine (docxtpl joins them), so they are warnings, summarised."""
        if not self.split:
            return
        cause = "（Word/WPS/LibreOffice 的拼写检查标记、修订记录或书签所致）；生成时会自动合并，无需处理"
        if self.each_split:
            for tag, pieces in self.split:
                self.at(tag, f"标签 {tag.text} 被拆分在 {pieces} 段文字中{cause}", Severity.WARNING)
            return
        examples = "、".join(f"{tag.paragraph.place} {tag.text}" for tag, _ in self.split[:3])
        more = "等" if len(self.split) > 3 else ""
        self.report(
            "",
            f"{len(self.split)} 个标签被拆分在多段文字中{cause}。例如：{examples}{more}"
            "（加 -v 逐个列出）",
            severity=Severity.WARNING,
        )

    # ----------------------------------------------------------------- checking

    def check_blocks(self) -> None:
        """Match block tags like brackets; report the opening tag of an unclosed block.

        The elif/else of an unclosed block are set aside with it (not reported again).
        """
        stack: list[tuple[str, _Tag, list[_Tag]]] = []

        def unclosed(opened: str, opener: _Tag, middles: list[_Tag]) -> None:
            if id(opener) not in self.bad:
                kind = _DOCXTPL_PREFIX.match(opener.text)
                prefix = kind.group(2) if kind else ""
                self.at(opener, f"{opener.text} 缺少对应的 {{%{prefix} end{opened} %}}")
            self.bad.update(id(m) for m in middles)

        for tag in self.tags:
            found = _STATEMENT.match(tag.source)
            if not found:
                continue
            word = found.group(1)
            if word == "set" and "=" not in tag.source:
                word = "set-block"
            if word in _BLOCKS or word == "set-block":
                stack.append(("set" if word == "set-block" else word, tag, []))
            elif word in _MIDDLES:
                if stack and stack[-1][0] in _MIDDLES[word]:
                    stack[-1][2].append(tag)
                else:
                    self.at(
                        tag,
                        f"{tag.text} 前面没有对应的 "
                        + " 或 ".join(f"{{% {b} %}}" for b in sorted(_MIDDLES[word])),
                    )
            elif word.startswith("end"):
                name = word[3:]
                if stack and stack[-1][0] == name:
                    _, opener, middles = stack.pop()
                    if id(opener) in self.bad:  # already reported: set its block aside
                        self.bad.update(id(t) for t in (*middles, tag))
                elif any(name == opened for opened, _, _ in stack):
                    while stack and stack[-1][0] != name:
                        unclosed(*stack.pop())
                    stack.pop()
                else:
                    self.at(tag, f"{tag.text} 前面没有对应的 {{% {name} … %}}")
        for item in stack:
            unclosed(*item)

    def check_each_tag(self) -> None:
        for tag in self.tags:
            if id(tag) in self.bad:
                continue
            try:
                tree = self.env.parse(_standalone(tag.source))
            except TemplateSyntaxError as exc:
                self.at(tag, f"标签 {tag.text} 写法有误：{_syntax_message(exc)}")
                continue
            for name in sorted({f.name for f in tree.find_all(nodes.Filter)}):
                if name not in self.env.filters:
                    self.at(
                        tag,
                        f"{tag.text} 中的过滤器“{name}”不存在{_suggest(name, self.env.filters)}",
                    )

    def check_whole(self) -> nodes.Template | None:
        """Parse the remaining tags as one template, one tag per line (line n = tag n)."""
        self.removed = [tag for tag in self.tags if id(tag) in self.bad]
        self.tags = [tag for tag in self.tags if id(tag) not in self.bad]
        source = "\n".join(tag.source.replace("\n", " ") for tag in self.tags)
        try:
            return self.env.parse(source)  # type: ignore[no-any-return]
        except TemplateSyntaxError as exc:
            tag = self.tags[min(max(exc.lineno, 1), len(self.tags)) - 1]
            self.at(tag, f"模板结构有误：{_syntax_message(exc)}")
            return None

    def _names_bound_by_bad_tags(self) -> set[str]:
        """Loop and set variables of tags set aside, so their bodies raise no name errors."""
        names: set[str] = set()
        for tag in self.removed:
            found = _BINDING.match(tag.source)
            if found:
                bound = found.group(1) or found.group(2)
                names.update(n.strip() for n in bound.split(","))
        return names

    def check_names(self, tree: nodes.Template) -> None:
        undeclared = (
            meta.find_undeclared_variables(tree)
            - set(CONTEXT)
            - set(GLOBALS)
            - self._names_bound_by_bad_tags()
        )
        reported: set[tuple[str, int]] = set()
        for name_node in tree.find_all(nodes.Name):
            if (
                name_node.ctx == "load"
                and name_node.name in undeclared
                and (name_node.name, name_node.lineno) not in reported
            ):
                reported.add((name_node.name, name_node.lineno))
                tag = self.tags[name_node.lineno - 1]
                self.at(
                    tag,
                    f"{tag.text} 中的“{name_node.name}”不是模板可用的名称"
                    f"{_suggest(name_node.name, CONTEXT)}（可用名称见 docs/模板上下文.md）",
                )
        _Scope(self, {name: value for name, value in CONTEXT.items()}).visit_all(tree.body)

    def check_tables(self, root: Any, prefix: str) -> None:
        body = root.find(_w("body"))
        if body is None:
            return
        for t, table in enumerate((c for c in body if c.tag == _w("tbl")), start=1):
            grid = [int(c.get(_w("w"), "0") or 0) for c in table.iter(_w("gridCol"))]
            if sum(grid) > _TEXT_WIDTH_TWIPS + 60:
                self.report(
                    f"{prefix}表{t}",
                    f"表格宽 {sum(grid) / 567:.1f} 厘米，超出版心宽度 "
                    f"{_TEXT_WIDTH_TWIPS / 567:.1f} 厘米，打印时会伸到页边距中",
                    severity=Severity.WARNING,
                )


class _Scope:
    """Follow loop variables through the documented context to check attribute names."""

    def __init__(self, checker: _Checker, names: dict[str, Name | None]) -> None:
        self.checker = checker
        self.names = names

    def visit_all(self, body: Sequence[nodes.Node]) -> None:
        for node in body:
            self.visit(node)

    def visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.For):
            iterable: nodes.Node | None = node.iter
            if isinstance(iterable, nodes.Filter) and iterable.name == TICK_FILTER:
                iterable = iterable.node  # the sandbox's loop bound, not the user's
            inner = _Scope(self.checker, dict(self.names))
            item = self.resolve(iterable)
            if isinstance(node.target, nodes.Name):
                inner.names[node.target.name] = (
                    Name("", "", "字典", item.fields) if item is not None and item.fields else None
                )
            if node.test is not None:
                inner.resolve(node.test)
            inner.visit_all(node.body)
            self.visit_all(node.else_)
            return
        if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            self.names[node.target.name] = None
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.resolve(child)
            else:
                self.visit(child)

    def resolve(self, expr: nodes.Node | None) -> Name | None:
        """The documented name an expression stands for, reporting unknown keys on the way."""
        if expr is None:
            return None
        if isinstance(expr, nodes.Name):
            return self.names.get(expr.name)
        if isinstance(expr, nodes.Getattr | nodes.Getitem):
            base = self.resolve(expr.node)
            key = (
                expr.attr
                if isinstance(expr, nodes.Getattr)
                else (expr.arg.value if isinstance(expr.arg, nodes.Const) else None)
            )
            if isinstance(expr, nodes.Getitem) and not isinstance(key, str):
                self.resolve(expr.arg)
                return base if base is not None and base.kind == "列表" else None
            if base is None or not isinstance(key, str):
                return None
            if base.kind == "字典":
                if key not in base.fields:
                    tag = self.checker.tags[expr.lineno - 1]
                    owner = _describe(expr.node)
                    self.checker.at(
                        tag, f"{tag.text} 中的“{owner}”没有“{key}”一项{_suggest(key, base.fields)}"
                    )
                    return None
                return base.fields[key]
            return None
        for child in expr.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.resolve(child)
        return None


def _describe(expr: nodes.Node) -> str:
    if isinstance(expr, nodes.Name):
        return str(expr.name)
    if isinstance(expr, nodes.Getattr):
        return f"{_describe(expr.node)}.{expr.attr}"
    return "该值"


def _suggest(name: str, choices: Mapping[str, object]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return f"，是否应为“{close[0]}”？" if close else ""


def _normalise(tag: str) -> str:
    """docxtpl's {%p/{%tr/{%tc/{%r and the cell tags, as plain Jinja."""
    cell = _CELL_TAG.match(tag)
    if cell:
        return "{{ " + cell.group(2) + " }}"
    return _DOCXTPL_PREFIX.sub(lambda m: m.group(1) + " ", tag, count=1)


def _standalone(source: str) -> str:
    """One tag made parseable on its own (an opener gets its end, an end its opener)."""
    found = _STATEMENT.match(source)
    if not found:
        return source
    word = found.group(1)
    if word == "set" and "=" not in source:
        return source + "{% endset %}"
    if word in _BLOCKS:
        return source + f"{{% end{word} %}}"
    if word in ("elif", "else"):
        return "{% if true %}" + source + "{% endif %}"
    if word.startswith("end"):
        return ""
    return source


def _syntax_message(exc: TemplateSyntaxError) -> str:
    return syntax_message(exc.message)


def _xml_parts(path: Path) -> list[tuple[str, Any]]:
    parts: list[tuple[str, Any]] = []
    with zipfile.ZipFile(io.BytesIO(read_template(path))) as archive:
        names = archive.namelist()
        headers = sorted(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        ordered = ["word/document.xml", *headers]
        for name in ordered:
            if name in names:
                parts.append((name, etree.fromstring(archive.read(name))))
    return parts


def check_template(path: Path, *, each_split: bool = False) -> list[Problem]:
    """Every problem of one .docx template (errors and warnings).

    Tags split across runs are summarised in one warning unless ``each_split``.
    """
    from generator.render.docx_jinja import make_environment

    checker = _Checker(path, make_environment(), each_split=each_split)
    try:
        parts = _xml_parts(path)
    except TemplateFileError as exc:  # refused by the guards before anything parsed it
        checker.report("", exc.problems[0].message)
        return checker.problems
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        checker.report("", "不是有效的 Word（.docx）文件")
        return checker.problems
    for name, root in parts:
        prefix = "" if name == "word/document.xml" else ("页眉" if "header" in name else "页脚")
        for paragraph in _paragraphs(root, prefix):
            checker.collect(paragraph)
        checker.check_tables(root, prefix)
    checker.report_split()
    if not checker.tags:
        return checker.sorted_problems()
    checker.check_each_tag()
    checker.check_blocks()
    tree = checker.check_whole()
    if tree is not None:
        checker.check_names(tree)
    return checker.sorted_problems()


def check_template_dir(
    directory: Path, *, each_split: bool = False
) -> tuple[list[Path], list[Problem]]:
    """Check every template a directory offers, plus its 措辞.yaml, rule sets and indicator systems."""
    from generator.config.folder import check_data_files

    problems: list[Problem] = []
    templates: list[Path] = []
    if directory.is_file():
        return [directory], check_template(directory, each_split=each_split)
    for path in sorted(directory.glob("*.docx")) + sorted(directory.glob("*/*.docx")):
        if path.name.startswith("~$"):
            continue  # Word's lock file while the template is open
        templates.append(path)
        relative = path.relative_to(directory)
        if path.stem not in OUTLINES or (
            len(relative.parts) == 2 and relative.parts[0] not in FUND_TYPES
        ):
            problems.append(
                Problem(
                    Location(str(path)),
                    "文件不会被使用：模板应命名为 <提纲>.docx 或 <类型>/<提纲>.docx，提纲为"
                    + "、".join(OUTLINES)
                    + "，类型为"
                    + "、".join(FUND_TYPES),
                    Severity.WARNING,
                )
            )
        problems.extend(check_template(path, each_split=each_split))
    problems.extend(check_data_files(directory))
    return templates, problems
