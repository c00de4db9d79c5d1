"""Read YAML text into plain data plus the source line of every field.

PyYAML's constructor forgets where values came from and silently keeps the last of
two duplicate keys, so we walk the composed node tree ourselves: that gives a line
for every field path (for messages like ``2024.yaml:37: 项目[2].指标[5].分值``) and
lets us refuse duplicates.

Plain scalars are read with one small grammar instead of PyYAML's YAML 1.1 resolver,
which turns ``0200`` into 128 (octal), ``1:1`` into 61 (base 60) and ``no`` into
false. Only what every YAML version agrees on becomes a number, a truth value, a date
or null; everything else stays the text the person typed, and the fields that want a
number read that text as a decimal number (docs/输入格式.md, “数字、日期和真假的写法”).
Numbers become ``Decimal`` from their source text, so money never passes through
binary floating point. Every parser error is translated into Chinese with its line.
"""

from __future__ import annotations

import bisect
import datetime
import errno
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from generator.core.markers import TO_CONFIRM
from generator.core.text import LINE_BREAKS, HiddenCharacter, describe, find_hidden, visible
from generator.errors import InputError, Location, Problem
from generator.inputs.source import FieldPath, LoadedInput, visible_path
from generator.limits import MAX_YAML_DEPTH, MAX_YAML_NODES, describe_size

__all__ = ["decode_text", "load_yaml_text", "read_bounded"]

_TAG = "tag:yaml.org,2002:"
_STR_TAG = f"{_TAG}str"
#: The tag our resolver gives every plain (unquoted, untagged) scalar: read by _plain.
_PLAIN_TAG = "tag:genreport:plain"

#: Tags a file may carry; anything else (``!!python/…``, ``!!binary``, ``!自定义``) is
#: refused rather than guessed at. Explicit scalar tags other than ``!!str`` are read
#: like plain scalars: ``!!int 0x1F`` does not make hexadecimal a number.
_PLAIN_TAGS = frozenset(
    [_PLAIN_TAG]
    + [f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")]
    + [f"{_TAG}map", f"{_TAG}seq"]
)

# --- the scalar grammar -----------------------------------------------------------
# Each form is one that YAML 1.1 (PyYAML, which genreport's own writer quotes by) and
# YAML 1.2 both read as the same non-text value, so every file either version writes
# reads back unchanged. Leading zeros, 0x/0o, 1_000, 1e3, 1:30, yes/no/on/off, .inf
# and .nan are not in it: they stay text.
_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLEAN = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
#: YAML's timestamp: 2025-02-18, or a date and time (whose time a date field drops).
_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"|([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)


class _TooLong(ValueError):
    """An integer of more digits than Python converts (4,300)."""


def _plain(text: str) -> Any:
    """The value of a plain scalar: None, bool, int, Decimal, date, or the text itself."""
    if text in _NULL:
        return None
    if text in _BOOLEAN:
        return _BOOLEAN[text]
    if _INTEGER.fullmatch(text):
        try:
            return int(text)
        except ValueError:
            raise _TooLong from None
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    match = _TIMESTAMP.fullmatch(text)
    if match:
        parts = match.groups()
        year, month, day = (int(part) for part in (parts[:3] if parts[0] else parts[3:]))
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return text  # 2025-13-45: validation names the field and shows it
    return text


# --- loaders ----------------------------------------------------------------------


class _Resolver(yaml.resolver.BaseResolver):
    """Every plain scalar gets one tag; :func:`_plain` reads it, not YAML 1.1's regexes."""

    def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN_TAG
        resolved: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return resolved


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Bounds:
    """Composing that refuses deep nesting per node and notes where aliases are.

    PyYAML composes recursively: ten thousand ``[`` would end in RecursionError (or, in
    libyaml's composer, overflow the C stack), so the depth is checked per node here, long
    before any limit. Mixed into a pure-Python and a libyaml-backed loader.
    """

    depth: int
    alias_lines: list[int]

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        line: int = self.peek_event().start_mark.line + 1  # type: ignore[attr-defined]
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            self.alias_lines.append(line)
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise _TooDeep(line)
            composed: yaml.Node | None = super().compose_node(  # type: ignore[misc]
                parent, index
            )
            return composed
        finally:
            self.depth -= 1


class _BoundedLoader(
    _Bounds,
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Resolver,
):
    """The pure-Python loader: slower, but its error messages are the ones we translate."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)
        self.depth = 0
        self.alias_lines = []


def _fast_loader() -> Any:
    """libyaml's scanner and parser under PyYAML's (bounded) composer, when available.

    Scanning is where pure-Python PyYAML spends its time (about ten times libyaml's); the
    composer stays in Python so every node is still depth-checked. A batch parses hundreds
    of files, and a single run starts faster.
    """
    c_parser = getattr(getattr(yaml, "_yaml", None), "CParser", None)
    if c_parser is None or not hasattr(yaml, "CSafeLoader"):
        return None
    from yaml.composer import Composer

    class _FastBoundedLoader(_Bounds, Composer, c_parser, _Resolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            c_parser.__init__(self, stream)  # type: ignore[misc]
            Composer.__init__(self)
            _Resolver.__init__(self)
            self.depth = 0
            self.alias_lines = []

        # The composer's entry points, not libyaml's (which would skip the bounds).
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document

    return _FastBoundedLoader


_FAST_LOADER: Any = _fast_loader()


def _expanded_size(root: yaml.Node) -> int | None:
    """Nodes the tree has once every alias is expanded; None for a self-referencing alias.

    Aliases share node objects, so ten aliases of ten aliases … stay tiny as text and as
    a composed graph but explode when built: counting over the shared graph (memoised)
    decides in microseconds whether building is safe.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise RecursionError
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        active.discard(key)
        sizes[key] = min(total, MAX_YAML_NODES + 1)
        return sizes[key]

    try:
        return size(root)
    except RecursionError:
        return None


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, path: FieldPath, message: str) -> None:
        location = Location(self.file, node.start_mark.line + 1, visible_path(path))
        self.problems.append(Problem(location, message))

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if node.tag not in _PLAIN_TAGS:
            tag = visible(node.tag.replace(_TAG, "!!"))
            self.problem(node, path, f"不支持 YAML 标签“{tag}”，请删除标签")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(
                    key_node, path, "键应为文字，实际为列表或键值对（“? ”开头的复杂键不受支持）"
                )
                continue
            if key_node.tag not in _PLAIN_TAGS:
                tag = visible(key_node.tag.replace(_TAG, "!!"))
                self.problem(key_node, path, f"不支持 YAML 标签“{tag}”，请删除标签")
                continue
            if key_node.tag == _PLAIN_TAG and key_node.value == "<<":
                self.problem(key_node, path, "不支持 YAML 合并键“<<”，请把内容直接写出")
                continue
            # Keys are names, never numbers: ``2024:`` is the key "2024", ``no:`` is "no".
            key = key_node.value.strip() or "?"
            child_path = (*path, key)
            if key in result:
                first = self.lines.get(child_path, 0)
                self.problem(
                    key_node,
                    child_path,
                    f"键“{visible(key)}”重复出现（第一次在第{first}行）；请只保留一个",
                )
                continue
            result[key] = self.build(value_node, child_path)
            self.lines[child_path] = key_node.start_mark.line + 1
        return result

    def _scalar(self, node: yaml.Node, path: FieldPath) -> Any:
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == _STR_TAG:
            return node.value
        try:
            return _plain(node.value)
        except _TooLong:
            # Python refuses to convert integers of more than 4,300 digits.
            shown = node.value if len(node.value) <= 20 else f"{node.value[:20]}…"
            self.problem(
                node, path, f"无法读取整数“{shown}”（共{len(node.value)}个字符，位数过多）"
            )
            return None


def _compose(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree of ``text`` and the loader that composed it (for its alias lines)."""
    if _FAST_LOADER is not None:
        fast = _FAST_LOADER(text)
        try:
            return fast.get_single_node(), fast
        except yaml.YAMLError:
            pass  # re-parsed below in pure Python: its messages are the ones we translate
        finally:
            fast.dispose()
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()


@dataclass(frozen=True)
class _Role:
    """How messages name the file: an input, or a data file of a template folder."""

    not_regular: str
    too_big: str
    empty: str
    deep: str
    split: str


_INPUT = _Role(
    not_regular="不是普通文件（可能是设备或管道），无法作为输入",
    too_big="输入文件",
    empty="文件为空：至少需要“报告”和“项目”两部分",
    deep="输入格式只需要几层缩进",
    split="请拆分为多个输入文件",
)
_DATA = _Role(
    not_regular="不是普通文件（可能是设备或管道），无法读取",
    too_big="模板目录中的数据文件",
    empty="文件为空，没有任何内容",
    deep="数据文件只需要几层缩进",
    split="请检查文件内容",
)


def load_yaml_text(text: str, file: str, *, data_file: bool = False) -> LoadedInput:
    """Parse YAML text; every syntax problem becomes an :class:`InputError` with its line.

    ``data_file`` words the messages for a rule set or 措辞.yaml rather than an input.
    """
    role = _DATA if data_file else _INPUT
    # YAML and Word break lines at U+2028/U+2029/U+0085, editors do not: refused before
    # parsing, or every later line number would be off (and "缺少冒号" name the wrong line).
    breaks = [h for h in find_hidden(text) if ord(h.char) in LINE_BREAKS]
    if breaks:
        raise InputError(_hidden_in_text(text, file, breaks))
    node, loader = _parse(text, file, role)
    if node is None:
        raise InputError([Problem(Location(file, 1), role.empty)])
    size = _expanded_size(node)
    if size is None or size > MAX_YAML_NODES:
        line = loader.alias_lines[0] if loader.alias_lines else 1
        if size is None:
            why = "别名（*）引用了包含它自己的锚点（&），形成循环；请直接写出内容"
        elif loader.alias_lines:
            why = (
                f"展开锚点（&）和别名（*）后内容超过{MAX_YAML_NODES}项，已拒绝；"
                "请直接写出内容，不要层层引用"
            )
        else:
            why = f"内容过多（超过{MAX_YAML_NODES}项），已拒绝；{role.split}"
        raise InputError([Problem(Location(file, line), why)])
    builder = _Builder(file)
    data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return LoadedInput(file=file, data=data, lines=builder.lines, to_confirm=_marked(text))


def _marked(text: str) -> tuple[tuple[int, str], ...]:
    """The lines an import marked 【待核对】 (in a value or a comment), for ``check``."""
    if TO_CONFIRM not in text:
        return ()
    return tuple(
        (n, line.strip())
        for n, line in enumerate(text.splitlines(), 1)
        if TO_CONFIRM in line and not line.lstrip().startswith("#")  # a note, not a value
    )


def _parse(text: str, file: str, role: _Role) -> tuple[yaml.Node | None, Any]:
    try:
        return _compose(text)
    except _TooDeep as exc:
        message = f"嵌套层次过深（超过{MAX_YAML_DEPTH}层），{role.deep}"
        raise InputError([Problem(Location(file, exc.line), message)]) from None
    except yaml.reader.ReaderError as exc:
        line = _line_of(text, exc.position)
        code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?"
        raise InputError(
            [
                Problem(
                    Location(file, line),
                    f"含有不可见的控制字符（{code}），请删除该字符"
                    "（常见于从网页或其他软件复制的文字）",
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        # A hidden character is refused anyway and is the likeliest cause: named first.
        hidden = _hidden_in_text(text, file, find_hidden(text))
        raise InputError([*hidden, _syntax_problem(exc, file)]) from None
    except yaml.YAMLError:  # pragma: no cover - PyYAML marks every error it raises
        raise InputError([Problem(Location(file), "YAML 语法错误：无法解析")]) from None


def _line_of(text: str, index: int) -> int:
    """The 1-based line of ``text[index]``, breaking lines where YAML does (LF, CRLF, CR)."""
    head = text[:index]
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


#: Lines with hidden characters listed one by one; a file full of them gets a summary.
_HIDDEN_LINES_SHOWN = 20
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _hidden_in_text(text: str, file: str, found: list[HiddenCharacter]) -> list[Problem]:
    """One problem per line holding hidden characters, naming the first and its column."""
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    by_line: dict[int, list[HiddenCharacter]] = {}
    for hidden in found:
        by_line.setdefault(bisect.bisect_right(starts, hidden.position), []).append(hidden)
    problems = []
    for line, items in list(by_line.items())[:_HIDDEN_LINES_SHOWN]:
        first = items[0]
        column = first.position - starts[line - 1] + 1
        more = f"（这一行共有{len(items)}个这样的字符）" if len(items) > 1 else ""
        problems.append(
            Problem(
                Location(file, line),
                f"这一行第{column}个字符是{describe(first.char)}；请删除该字符{more}"
                "（常见于从网页或其他软件复制的文字）",
            )
        )
    if len(by_line) > _HIDDEN_LINES_SHOWN:
        rest = len(by_line) - _HIDDEN_LINES_SHOWN
        line = list(by_line)[_HIDDEN_LINES_SHOWN]
        problems.append(
            Problem(Location(file, line), f"此后另有{rest}行也含有这样的字符，请一并删除")
        )
    return problems


# --- parser errors in Chinese -----------------------------------------------------

#: Token names in PyYAML's messages, as the character the user typed.
_TOKENS = {
    "<block mapping start>": "键: 值",
    "<block sequence start>": "- ",
    "<flow mapping start>": "{",
    "<flow sequence start>": "[",
    "<flow mapping end>": "}",
    "<flow sequence end>": "]",
    "<scalar>": "文字",
    "<alias>": "*",
    "<anchor>": "&",
    "<tag>": "!",
    "<stream end>": "文件结尾",
    "<document start>": "---",
    "<document end>": "...",
    "<block end>": "缩进结束",
}

_LIST_INDENT = (
    "列表项“- ”的缩进不对：同一列表的各个“- ”应上下对齐，并比所属的键多缩进；"
    "请检查这一行和上一项的行首空格"
)
_UNCLOSED_QUOTE = (
    "从这一行开始的引号没有闭合：请在这段文字末尾补上同样的引号"
    "（文字中本身有这种引号时，改用另一种引号括起整段）"
)
_TAG_HINT = "以“!”开头的标签写法有误：输入文件不需要标签；如果“!”是文字的一部分，请给整个值加上引号"
_DIRECTIVE_HINT = "以“%”开头的指令无效：请删除以“%”开头的行（文字以“%”开头时请加引号）"


@dataclass(frozen=True)
class _Syntax:
    """One kind of parser error: how to recognise it and what to tell the user.

    ``message`` is a format string: ``{value}`` is the first group of the match (a
    character or name quoted back), ``{token}`` the same as the user typed it,
    ``{first}`` the line of the context mark.
    """

    problem: str  # regex on PyYAML's ``problem``
    message: str
    context: str = ""  # regex on PyYAML's ``context``, when the problem alone is ambiguous
    at_context: bool = False  # report at the context mark (where a quote or bracket opened)


_BRACKET = (
    "从这一行开始的{kind}有误：缺少“{close}”、两项之间缺少逗号，或其中的引号没有闭合；"
    "值中含有逗号、冒号或括号时，请给整个值加上引号"
)

_SYNTAX: tuple[_Syntax, ...] = (
    _Syntax(
        r"found character '\\t' that cannot start any token", "含有制表符（Tab），请改用空格缩进"
    ),
    _Syntax(
        r"found character '(.*)' that cannot start any token",
        "“{value}”不能作为值的开头：请给整个值加上引号",
    ),
    _Syntax(r"expected <block end>, but found '(?:<block sequence start>|-)'", _LIST_INDENT),
    _Syntax(
        r"expected <block end>, but found '<block mapping start>'",
        "缩进不一致：这一行的键与上文同一层的键没有对齐；请检查行首的空格数",
    ),
    _Syntax(
        r"expected <block end>, but found '<scalar>'",
        "这一行多出了一段文字：可能是引号闭合后还有文字（整段文字都应在引号内），或这一行的缩进不对",
    ),
    _Syntax(
        r"expected <block end>, but found '\?'",
        "这一行的“键: 值”与上文的列表项“- ”处于同一层：同一层不能既有列表项又有键；"
        "请检查这一行的缩进，或上文是否少写了键",
    ),
    _Syntax(
        r"expected <block end>, but found '(.*)'",
        "此处多出了“{token}”：请检查这一行的缩进和标点；值以“[ ] {{ }} , ? & * !”开头时请给整个值加上引号",
    ),
    _Syntax(
        r"expected the node content, but found '(.*)'",
        "此处应有一个值，却出现了“{token}”：请检查标点，或给整个值加上引号",
    ),
    _Syntax(
        r"mapping values are not allowed here",
        "此处不能出现“键: 值”：请检查上一行是否少了冒号、这一行的缩进是否多了空格；"
        "值中含有“: ”时请给整个值加上引号",
    ),
    _Syntax(
        r"could not find expected ':'",
        "缺少冒号：每行应写成“键: 值”（冒号后留一个空格）；"
        "如果这一行是上一行文字的延续，请给整段文字加上引号，或用“|-”书写多行文字",
        at_context=True,
    ),
    _Syntax(
        r"sequence entries are not allowed here",
        "此处不能出现列表项“- ”：列表项应另起一行并缩进；值以“-”开头时请加引号",
    ),
    _Syntax(
        r"mapping keys are not allowed here", "此处不能出现“? ”：值以“?”开头时请给整个值加上引号"
    ),
    _Syntax(
        r"found unknown escape character '(.*)'",
        "双引号中的“\\{value}”不是有效的转义：要写反斜杠本身，请写成两个“\\\\”，或改用单引号括起整段",
    ),
    _Syntax(
        r"expected escape sequence of (\d+) hexadecimal numbers",
        "双引号中的“\\x”“\\u”“\\U”之后应为{value}位十六进制数字：要写反斜杠本身，"
        "请写成两个“\\\\”，或改用单引号括起整段",
    ),
    _Syntax(r"found unexpected end of stream", _UNCLOSED_QUOTE, at_context=True),
    _Syntax(r"found unexpected document separator", _UNCLOSED_QUOTE, at_context=True),
    _Syntax(
        r"expected ',' or '\]'", _BRACKET.format(kind="方括号“[ ]”", close="]"), at_context=True
    ),
    _Syntax(
        r"expected ',' or '\}'", _BRACKET.format(kind="花括号“{{ }}”", close="}}"), at_context=True
    ),
    _Syntax(
        r"but found another document",
        "出现了第二个文档分隔线“---”：一个文件只能有一份内容；请删除这一行（两份内容请分别保存为两个文件）",
    ),
    _Syntax(
        r"expected '<document start>', but found",
        "文件中间出现了文档结束标记“...”或以“%”开头的行，其后的内容无法读取；请删除那一行",
    ),
    _Syntax(
        r"second occurrence",
        "锚点“&{value}”重复定义（第一次在第{first}行）：请给第二个锚点换一个名字",
        context=r"found duplicate anchor '(.*)'",
    ),
    _Syntax(
        r"found undefined alias '(.*)'",
        "引用了未定义的锚点“*{value}”：请先在要引用的内容前写“&{value}”，或直接写出内容",
    ),
    _Syntax(
        r"expected alphabetic or numeric character",
        "锚点（&）和别名（*）的名字只能用英文字母、数字、“-”和“_”",
        context=r"while scanning an? (?:anchor|alias)",
    ),
    _Syntax(r".", _DIRECTIVE_HINT, context=r"while scanning a directive"),
    _Syntax(
        r"found incompatible YAML document|found duplicate YAML directive|duplicate tag handle",
        _DIRECTIVE_HINT,
    ),
    _Syntax(
        r".",
        "“|”或“>”之后只能写“-”“+”或1～9的数字，文字请从下一行开始并缩进",
        context=r"while scanning a block scalar",
    ),
    _Syntax(r".", _TAG_HINT, context=r"while (?:parsing|scanning) a (?:tag|node)"),
    _Syntax(r"expected URI|expected '!'|expected '>'|found undefined tag handle", _TAG_HINT),
)

_FALLBACK = "无法解析：请检查这一行及上一行的缩进、冒号和引号"


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    """PyYAML's error as one Chinese line at the line where the user should look."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    problem_line = exc.problem_mark.line + 1 if exc.problem_mark else 0
    context_line = exc.context_mark.line + 1 if exc.context_mark else problem_line
    problem_line = problem_line or context_line
    for kind in _SYNTAX:
        found = re.search(kind.problem, problem)
        if found is None:
            continue
        if kind.context:
            in_context = re.search(kind.context, context)
            if in_context is None:
                continue
            found = in_context if in_context.groups() else found
        value = found.group(1) if found.groups() else ""
        line = context_line if kind.at_context else problem_line
        message = kind.message.format(
            value=visible(value),
            token=visible(_TOKENS.get(value, value)),
            first=context_line,
        )
        return Problem(Location(file, line), f"YAML 语法错误：{message}")
    return Problem(Location(file, problem_line), f"YAML 语法错误：{_FALLBACK}")


def read_bounded(path: Path, name: str, limit: int, *, data_file: bool = False) -> bytes:
    """The file's bytes, refusing before reading when it is larger than ``limit``.

    A 50 MB file (a database export, a video renamed .yaml) is refused from its size
    alone; the read itself is capped too, in case the size was not known in advance.
    ``data_file`` words the messages for a file of a template folder.
    """
    role = _DATA if data_file else _INPUT
    try:
        if not path.is_file():
            raise InputError([Problem(Location(name), role.not_regular)])
        size = path.stat().st_size
        if size > limit:
            raise InputError([Problem(Location(name), _too_big(size, limit, role))])
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise InputError([Problem(Location(name), f"无法读取文件：{_os_reason(exc)}")]) from None
    if len(raw) > limit:
        raise InputError([Problem(Location(name), _too_big(len(raw), limit, role))])
    return raw


#: The reasons a file cannot be read, by errno, as the user should read them.
_OS_REASONS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ENOENT: "文件不存在",
    errno.EISDIR: "这是一个目录",
    errno.ELOOP: "符号链接形成循环",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "磁盘读取出错",
    errno.EBUSY: "文件正被其他程序占用",
}


def _os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno or 0, f"系统错误（错误号 {exc.errno}）")


def _too_big(size: int, limit: int, role: _Role = _INPUT) -> str:
    return (
        f"文件过大（{describe_size(size)}），{role.too_big}不能超过{describe_size(limit)}；"
        "请确认选对了文件"
    )


#: Leading bytes of files people pick by mistake, and what to call them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "这是一个 zip 压缩包或 Office 文件（.xlsx/.docx），不是 YAML 文本"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "这是一个旧版 Office 文件（.xls/.doc）或加密文件，不是 YAML 文本",
    ),
    (b"%PDF", "这是一个 PDF 文件，不是 YAML 文本"),
    (b"\x89PNG", "这是一张图片（PNG），不是 YAML 文本"),
    (b"\xff\xd8\xff", "这是一张图片（JPEG），不是 YAML 文本"),
    (b"\x1f\x8b", "这是一个 gzip 压缩文件，不是 YAML 文本"),
    (b"7z\xbc\xaf", "这是一个 7z 压缩包，不是 YAML 文本"),
    (b"Rar!", "这是一个 RAR 压缩包，不是 YAML 文本"),
)


def decode_text(raw: bytes, name: str) -> str:
    """Text of an input file: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    GBK/GB18030 files from Windows editors are refused with how to re-save them rather
    than guessed at: a wrong guess would put mojibake into a report that is signed and
    published, while re-saving takes ten seconds.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                [
                    Problem(
                        Location(name, 1),
                        "文件以 UTF-16 标记开头，但内容无法按 UTF-16 读取；"
                        "请“另存为”UTF-8 编码后重试",
                    )
                ]
            ) from None
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise InputError([Problem(Location(name), what)])
    if b"\x00" in raw:
        raise InputError([Problem(Location(name), "文件含有二进制内容，不是文本格式的 YAML")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            message = (
                "文件不是 UTF-8 编码的文本，也不像 GBK 文本：请确认选对了文件，"
                "并在编辑器中“另存为”UTF-8 编码"
            )
        else:
            message = (
                "文件是 GBK/GB18030 编码（Windows 记事本的“ANSI”），不是 UTF-8："
                "请在编辑器中“另存为”，编码选“UTF-8”后重试"
            )
        raise InputError([Problem(Location(name, line), message)]) from None
