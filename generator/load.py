"""Load an input file into plain data plus the source line of every field.

PyYAML's constructor forgets where values came from and silently keeps the last of
two duplicate keys, so we walk the composed node tree ourselves: that gives a line
for every field path (for messages like ``2024.yaml:37: 项目[2].指标[5].分值``) and
lets us refuse duplicates. Floats become ``Decimal`` from their source text, so
``236.5`` is exactly 236.5 and money never passes through binary floating point.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Location, Problem

__all__ = ["LoadedInput", "Path_", "load_input", "load_yaml_text"]

Path_ = tuple[str | int, ...]


@dataclass
class LoadedInput:
    """Plain data as read, with the line of each field path (1-based)."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def location(self, path: Path_) -> Location:
        """The location of ``path``, falling back to its nearest located ancestor."""
        probe = tuple(path)
        while probe and probe not in self.lines:
            probe = probe[:-1]
        return Location(self.file, self.lines.get(probe, 0), tuple(path))


_FLOAT_TAG = "tag:yaml.org,2002:float"
#: libyaml's parser when PyYAML has it (several times faster; a batch parses hundreds of files).
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
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
            key = self._scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                key = str(key) if key is not None else "?"
            key = key.strip()
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

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == _FLOAT_TAG:
            text = node.value.replace("_", "")
            try:
                return Decimal(text)
            except InvalidOperation:
                return node.value
        if node.tag == _TIMESTAMP_TAG:
            value = self._constructor.construct_object(node)
            if isinstance(value, datetime.datetime):
                return value.date()
            return value
        return self._constructor.construct_object(node)


def load_yaml_text(text: str, file: str) -> LoadedInput:
    """Parse YAML text; every syntax problem becomes an :class:`InputError` with its line."""
    try:
        try:
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            # Re-parse in pure Python: its messages are the ones translated below.
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        detail = _yaml_problem_in_chinese(exc)
        raise InputError([Problem(Location(file, line), f"YAML 语法错误：{detail}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise InputError([Problem(Location(file), f"YAML 语法错误：{exc}")]) from None
    if node is None:
        raise InputError([Problem(Location(file, 1), "文件为空：至少需要“报告”和“项目”两部分")])
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


def load_input(path: Path, display_name: str | None = None) -> LoadedInput:
    """Read an input file from disk; never modifies it."""
    name = display_name or str(path)
    if not path.exists():
        raise InputError([Problem(Location(name), "文件不存在")])
    if path.is_dir():
        raise InputError([Problem(Location(name), "这是一个目录，不是输入文件")])
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml"}:
        raise InputError(
            [Problem(Location(name), f"不支持的文件类型“{path.suffix or '无扩展名'}”：请使用 .yaml 文件")]
        )
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    Location(name, line),
                    "文件不是 UTF-8 编码（可能是 GBK）：请在编辑器中“另存为”UTF-8 编码后重试",
                )
            ]
        ) from None
    if "\x00" in text:
        raise InputError([Problem(Location(name), "文件含有二进制内容，不是文本格式的 YAML")])
    return load_yaml_text(text, name)
