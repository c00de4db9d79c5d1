"""Read YAML text into plain data plus the source line of every field.

PyYAML's constructor forgets where values came from and silently keeps the last of
two duplicate keys, so we walk the composed node tree ourselves: that gives a line
for every field path (for messages like ``2024.yaml:37: 项目[2].指标[5].分值``) and
lets us refuse duplicates. Floats become ``Decimal`` from their source text, so
``236.5`` is exactly 236.5 and money never passes through binary floating point.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from generator.errors import InputError, Location, Problem
from generator.inputs.source import FieldPath, LoadedInput
from generator.limits import MAX_YAML_DEPTH, MAX_YAML_NODES, describe_size

__all__ = ["decode_text", "load_yaml_text", "read_bounded"]

_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT_TAG = "tag:yaml.org,2002:int"
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


#: Tags of the YAML core schema; anything else (``!!python/…``, ``!!binary``, ``!自定义``)
#: is refused rather than guessed at.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")
)


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


class _BoundedLoader(_Bounds, yaml.SafeLoader):
    """The pure-Python loader: slower, but its error messages are the ones we translate."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
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
    from yaml.resolver import Resolver

    class _FastBoundedLoader(_Bounds, Composer, c_parser, Resolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            c_parser.__init__(self, stream)  # type: ignore[misc]
            Composer.__init__(self)
            Resolver.__init__(self)
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
        self._constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(
                Problem(
                    Location(self.file, node.start_mark.line + 1, path),
                    f"不支持 YAML 标签“{node.tag.replace('tag:yaml.org,2002:', '!!')}”，请删除标签",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(
                        Location(self.file, key_node.start_mark.line + 1, path),
                        "不支持 YAML 合并键“<<”，请把内容直接写出",
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(
                        Location(self.file, key_node.start_mark.line + 1, path),
                        "键应为文字，实际为列表或键值对（“? ”开头的复杂键不受支持）",
                    )
                )
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                key = str(key) if key is not None else "?"
            # A BOM or zero-width space pasted before a key makes it look right but not match.
            key = key.strip().strip(_INVISIBLE).strip()
            child_path = (*path, key)
            if key in result:
                first = self.lines.get(child_path, 0)
                self.problems.append(
                    Problem(
                        Location(self.file, key_node.start_mark.line + 1, child_path),
                        f"键“{key}”重复出现（第一次在第{first}行）；请只保留一个",
                    )
                )
                continue
            result[key] = self.build(value_node, child_path)
            self.lines[child_path] = key_node.start_mark.line + 1
        return result

    def _scalar(self, node: yaml.Node, path: FieldPath) -> Any:
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == _FLOAT_TAG:
            text = node.value.replace("_", "")
            try:
                return Decimal(text)
            except InvalidOperation:
                return node.value
        try:
            value = self._constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError):
            if node.tag == _INT_TAG:
                # Python refuses to convert integers of more than 4,300 digits.
                shown = node.value if len(node.value) <= 20 else f"{node.value[:20]}…"
                self.problems.append(
                    Problem(
                        Location(self.file, node.start_mark.line + 1, path),
                        f"无法读取整数“{shown}”（共{len(node.value)}个字符，位数过多）",
                    )
                )
                return None
            # 2025-13-45: keep the text so that validation names the field and shows it.
            return node.value
        if node.tag == _TIMESTAMP_TAG and isinstance(value, datetime.datetime):
            return value.date()
        return value


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


def load_yaml_text(text: str, file: str) -> LoadedInput:
    """Parse YAML text; every syntax problem becomes an :class:`InputError` with its line."""
    try:
        node, loader = _compose(text)
    except _TooDeep as exc:
        raise InputError(
            [
                Problem(
                    Location(file, exc.line),
                    f"嵌套层次过深（超过{MAX_YAML_DEPTH}层），输入格式只需要几层缩进",
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
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
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        detail = _yaml_problem_in_chinese(exc)
        raise InputError([Problem(Location(file, line), f"YAML 语法错误：{detail}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise InputError([Problem(Location(file), f"YAML 语法错误：{exc}")]) from None
    if node is None:
        raise InputError([Problem(Location(file, 1), "文件为空：至少需要“报告”和“项目”两部分")])
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
            why = f"内容过多（超过{MAX_YAML_NODES}项），已拒绝；请拆分为多个输入文件"
        raise InputError([Problem(Location(file, line), why)])
    builder = _Builder(file)
    data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return LoadedInput(file=file, data=data, lines=builder.lines)


_YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（冒号后的内容可能需要加引号，或缩进不对）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "含有制表符（Tab），请改用空格缩进",
    "did not find expected key": "缩进不一致，找不到预期的键",
    "did not find expected '-' indicator": "列表项缩进不一致，缺少“-”",
    "found undefined alias": "引用了未定义的锚点",
    "expected alphabetic or numeric character": "锚点（&）和别名（*）的名字只能用英文字母、数字、“-”和“_”",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found unknown escape character": "字符串中有无法识别的转义字符",
    "expected ',' or '}', but got": "花括号 { } 内的写法有误（缺少逗号或右括号）",
    "expected ',' or ']', but got": "方括号 [ ] 内的写法有误（缺少逗号或右括号）",
}


def _yaml_problem_in_chinese(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    for english, chinese in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return chinese
    return problem or "无法解析"


def read_bounded(path: Path, name: str, limit: int) -> bytes:
    """The file's bytes, refusing before reading when it is larger than ``limit``.

    A 50 MB file (a database export, a video renamed .yaml) is refused from its size
    alone; the read itself is capped too, in case the size was not known in advance.
    """
    try:
        if not path.is_file():
            raise InputError(
                [Problem(Location(name), "不是普通文件（可能是设备或管道），无法作为输入")]
            )
        size = path.stat().st_size
        if size > limit:
            raise InputError([Problem(Location(name), _too_big(size, limit))])
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(
            [Problem(Location(name), f"无法读取文件：{exc.strerror or exc}")]
        ) from None
    if len(raw) > limit:
        raise InputError([Problem(Location(name), _too_big(len(raw), limit))])
    return raw


def _too_big(size: int, limit: int) -> str:
    return (
        f"文件过大（{describe_size(size)}），输入文件不能超过{describe_size(limit)}；"
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
