"""The one writer of YAML text: new inputs from data, and edits of a user's file.

PyYAML's dumper cannot place comments and sorts or reflows freely, so inputs that
genreport writes (``new``, ``convert``, ``import``, ``rollup``) go through this small
emitter (:func:`dump_yaml`): block style, short 资金 rows in flow style like the
examples in the docs, Decimal written exactly, multi-line text as ``|`` blocks, and
optional keys the user may want shown commented out (:class:`Blank`).

Editing a file the user wrote (``new --from``) must keep their comments, key order
and quoting: :class:`RoundTrip` does that with ruamel.yaml.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.error import YAMLError as RoundTripError
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

from generator.inputs.source import FieldPath

__all__ = [
    "Blank",
    "CommentedMap",
    "CommentedSeq",
    "RoundTrip",
    "RoundTripError",
    "drop",
    "dump_yaml",
    "funding_row",
    "is_flow",
    "retyped",
    "scalar",
    "set_after",
]


@dataclass(frozen=True)
class Blank:
    """A key shown commented out (``# 主送:  说明``) so the user sees where it goes."""

    comment: str = ""


Comments = Mapping[FieldPath, str]
Flow = Callable[[FieldPath], bool]


def scalar(value: Any) -> str:
    """One value in YAML syntax that loads back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = yaml.safe_dump(str(value), allow_unicode=True, width=10**9)
    return text.rstrip("\n").removesuffix("\n...")


_FLOW_UNSAFE = (",", "[", "]", "{", "}", ": ", " #", "\n")


def _flowable(item: Mapping[str, Any]) -> bool:
    for value in item.values():
        if isinstance(value, Mapping | list | Blank):
            return False
        if any(mark in scalar(value) for mark in _FLOW_UNSAFE):
            return False
    return True


class _Emitter:
    def __init__(
        self, comments: Comments, notes: Mapping[FieldPath, Sequence[str]], flow: Flow
    ) -> None:
        self.comments = comments
        self.notes = notes
        self.flow = flow
        self.lines: list[str] = []

    def line(self, indent: int, text: str, path: FieldPath) -> None:
        comment = self.comments.get(path)
        self.lines.append(f"{' ' * indent}{text}" + (f"  # {comment}" if comment else ""))

    def mapping(
        self, data: Mapping[str, Any], indent: int, path: FieldPath, first_prefix: str = ""
    ) -> None:
        for n, (key, value) in enumerate(data.items()):
            child = (*path, key)
            prefix = first_prefix if n == 0 else " " * len(first_prefix)
            margin = " " * (indent + (len(first_prefix) if n else 0))
            for note in self.notes.get(child, ()):
                self.lines.append(f"{margin}# {note}" if note else "")
            self.entry(key, value, indent, child, prefix)

    def entry(self, key: str, value: Any, indent: int, path: FieldPath, prefix: str) -> None:
        pad = indent + len(prefix)
        if isinstance(value, Blank):
            text = f"# {key}:" + (f"  # {value.comment}" if value.comment else "")
            self.lines.append(f"{' ' * indent}{prefix}{text}")
            return
        head = f"{prefix}{key}:"
        if (
            isinstance(value, Mapping)
            and value
            and all(isinstance(v, Blank) for v in value.values())
        ):
            # Nothing to fill yet: the whole mapping is shown commented out, so the
            # file still loads; uncommenting a child line and this one enables it.
            self.line(indent, f"{prefix}# {key}:", path)
            for child, blank in value.items():
                text = f"#   {child}:" + (f"  # {blank.comment}" if blank.comment else "")
                self.lines.append(f"{' ' * pad}{text}")
            return
        if isinstance(value, Mapping | list):
            if not value:
                self.line(indent, f"{head} {'{}' if isinstance(value, Mapping) else '[]'}", path)
                return
            self.line(indent, head, path)
            if isinstance(value, Mapping):
                self.mapping(value, pad + 2, path)
            else:
                self.sequence(value, pad + 2, path)
        elif isinstance(value, str) and "\n" in value:
            self.line(indent, f"{head} |-", path)
            for text in value.split("\n"):
                self.lines.append(f"{' ' * (pad + 2)}{text}" if text else "")
        else:
            text = scalar(value)
            self.line(indent, f"{head} {text}" if text else head, path)

    def sequence(self, items: list[Any], indent: int, path: FieldPath) -> None:
        for i, item in enumerate(items):
            child = (*path, i)
            for note in self.notes.get(child, ()):
                self.lines.append(f"{' ' * indent}# {note}" if note else "")
            if isinstance(item, Mapping) and item:
                if self.flow(child) and _flowable(item):
                    body = ", ".join(f"{k}: {scalar(v)}" for k, v in item.items())
                    self.line(indent, f"- {{{body}}}", child)
                else:
                    self.mapping(item, indent, child, first_prefix="- ")
            else:
                self.line(indent, f"- {scalar(item)}", child)


def funding_row(path: FieldPath) -> bool:
    """``项目[k].资金[i]``: short rows written on one line, as the docs show them."""
    return len(path) == 4 and path[2] == "资金"


def dump_yaml(
    data: Mapping[str, Any],
    *,
    header: Sequence[str] = (),
    comments: Comments | None = None,
    notes: Mapping[FieldPath, Sequence[str]] | None = None,
    flow: Flow | None = None,
) -> str:
    """YAML text of ``data``: ``header`` lines as comments on top, ``comments`` after
    the value at a path, ``notes`` as comment lines above a key, ``flow`` choosing which
    list items are written on one line."""
    emitter = _Emitter(comments or {}, notes or {}, flow or (lambda _path: False))
    emitter.lines.extend(f"# {line}" if line else "#" for line in header)
    emitter.mapping(data, 0, ())
    return "\n".join(emitter.lines) + "\n"


# --------------------------------------------------------------- editing a user's file


class RoundTrip:
    """A user's YAML file loaded for editing; :meth:`dump` keeps comments, order and quotes."""

    def __init__(self, text: str) -> None:
        _, indent, offset = load_yaml_guess_indent(text)
        self._yaml = YAML()
        self._yaml.preserve_quotes = True
        self._yaml.width = 4096
        self._yaml.indent(mapping=2, sequence=max(indent, 2), offset=offset)
        self.data: Any = self._yaml.load(text)
        self._comments: list[tuple[CommentedMap | CommentedSeq, Any, str]] = []

    def comment(self, node: CommentedMap | CommentedSeq, key: Any, text: str) -> None:
        """Put ``# text`` at the end of ``key``'s line (an item's line, for a sequence)."""
        self._comments.append((node, key, text))

    def dump(self) -> str:
        flow: list[str] = []
        for node, key, text in self._comments:
            _attach_comment(node, key, text, flow)
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return _SENTINEL_RE.sub(lambda m: "}  # " + flow[int(m.group(1))], out.getvalue())


def is_flow(node: CommentedMap | CommentedSeq) -> bool:
    """Written on one line (``{…}``) in the user's file."""
    return bool(node.fa.flow_style())


_SENTINEL = "__genreport_comment__"
_SENTINEL_RE = re.compile(rf", {_SENTINEL}: (\d+)\}}")


def _attach_comment(
    node: CommentedMap | CommentedSeq, key: Any, text: str, flow: list[str]
) -> None:
    """An end-of-line comment that keeps the comments already attached to ``key``.

    A comment on a one-line ``{…}`` item goes in through a sentinel key replaced after
    dumping: ruamel's own end-of-line comments on sequence items can glue the next
    block mapping onto the commented line.
    """
    if isinstance(node, CommentedSeq):
        item = node[key]
        item[_SENTINEL] = len(flow)
        flow.append(text)
        return
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    current = entry[2]
    if isinstance(current, CommentToken) and current.value.lstrip().startswith("#"):
        # ruamel hangs the comment lines that follow on this token: keep them after ours.
        current.value = f"# {text} {current.value.lstrip()}"
        return
    entry[2] = CommentToken(f" # {text}\n", CommentMark(0), None)


def retyped(value: Any, text: str) -> Any:
    """Keep the scalar style (|- blocks, quotes) when replacing a string's text."""
    return type(value)(text) if isinstance(value, str) and type(value) is not str else text


def drop(node: CommentedMap, key: str) -> None:
    """Delete a key with its end-of-line comment (ruamel mangles the layout otherwise)."""
    if key in node:
        node.ca.items.pop(key, None)
        del node[key]


def set_after(node: CommentedMap, after: str, key: str, value: Any) -> None:
    """Set ``key``, inserting it right after ``after`` when it is new."""
    if key in node:
        node[key] = value
        return
    keys = list(node.keys())
    node.insert(keys.index(after) + 1 if after in keys else len(keys), key, value)
