"""Validate loaded data against the contract; rewrite pydantic errors in Chinese.

Every problem is collected (not just the first) and reported one line each with its
file, line and field path, the way copier and mkdocs report configuration errors.
"""

from __future__ import annotations

import datetime
import difflib
import types
import typing
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from generator.core.markers import TO_FILL, UNFILLED
from generator.core.numbers import read_number
from generator.core.text import visible
from generator.errors import InputError, Location, Problem
from generator.inputs.bounds import check_limits
from generator.inputs.models import ReportInput
from generator.inputs.source import FieldPath, LoadedInput, with_visible_path

__all__ = [
    "explained",
    "field_aliases",
    "model_at",
    "to_fill_paths",
    "translate_errors",
    "typed_numbers",
    "validate_input",
]

#: The error type of :func:`explained`: its message is shown as written.
_EXPLAINED = "explained"


def explained(message: str) -> PydanticCustomError:
    """An error a validator raises with its own Chinese message (a rule about several fields)."""
    return PydanticCustomError(_EXPLAINED, "{message}", {"message": message})


def validate_input(loaded: LoadedInput) -> ReportInput:
    """Return the validated model, or raise :class:`InputError` with every problem."""
    if not isinstance(loaded.data, dict):
        raise InputError(
            [Problem(loaded.location(()), "顶层应为“报告”和“项目”两部分（键值对），实际不是")]
        )
    limited = check_limits(loaded)
    if any(p.location.path in {("项目",), *_counted_lists(loaded)} for p in limited):
        # Thousands of funds or indicators: validating them all first gains nothing.
        raise InputError(limited)
    unfilled = to_fill_paths(loaded.data)
    marked = set(unfilled)
    data, grammar = typed_numbers(loaded, ReportInput)
    limited = [*limited, *grammar]
    try:
        model = ReportInput.model_validate(data)
    except ValidationError as exc:
        # A 待填 field fails its own type check too; say "still to fill" once instead.
        errors = [e for e in exc.errors() if _path(e) not in marked]
    else:
        if not unfilled and not limited:
            return model
        errors = []
    if not errors:
        raise InputError(_dedupe([*limited, *_unfilled_problems(loaded, unfilled)]))
    problems = translate_errors(errors, loaded)
    # A limit already explains an absurd value better than "too many digits".
    limited_paths = {p.location.path for p in limited}
    problems = limited + [p for p in problems if p.location.path not in limited_paths]
    raise InputError(_dedupe([*problems, *_unfilled_problems(loaded, unfilled)]))


def typed_numbers(loaded: LoadedInput, root: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """``loaded.data`` with every number field written as text read by the number grammar.

    A YAML value the reader left as text (``0200``, ``1e3``) and a workbook cell holding
    text both reach a number field here, and both are read by
    :func:`generator.core.numbers.read_number`, never by pydantic's own, looser parsing
    (which takes ``1__0`` for 10 and Arabic-Indic digits for ours). A number given where
    a date belongs is refused too: pydantic would read ``成文日期: 0`` as 1 January 1970.
    """
    problems: list[Problem] = []

    def visit(value: Any, annotation: Any, path: FieldPath) -> Any:
        kind = _unwrap(annotation)
        model = _as_model(kind)
        if model is not None:
            if not isinstance(value, dict):
                return value
            fields = {
                info.alias or name: info.annotation for name, info in model.model_fields.items()
            }
            return {
                key: visit(item, fields[key], (*path, key)) if key in fields else item
                for key, item in value.items()
            }
        origin = get_origin(kind)
        if origin is list and isinstance(value, list):
            return [visit(item, get_args(kind)[0], (*path, i)) for i, item in enumerate(value)]
        if origin is dict and isinstance(value, dict):
            return {
                key: visit(item, get_args(kind)[1], (*path, key)) for key, item in value.items()
            }
        if kind in (Decimal, int) and isinstance(value, str) and value.strip() != TO_FILL:
            number = read_number(value)
            if number is None:
                message = _number_message(_not_a_number(value, kind), _show(value))
                problems.append(Problem(_at(loaded, path), message))
                return value
            return number
        if (
            kind is datetime.date
            and isinstance(value, int | Decimal)
            and not isinstance(value, bool)
        ):
            problems.append(
                Problem(_at(loaded, path), f"应为日期（如 2025-02-20），实际为数字{_show(value)}")
            )
        return value

    return visit(loaded.data, root, ()), problems


def _not_a_number(text: str, kind: Any) -> str:
    """The error kind of text outside the grammar: ``nan`` and ``inf`` are not finite."""
    try:
        finite = Decimal(text.strip()).is_finite()
    except ArithmeticError:
        finite = True
    if not finite:
        return "finite_number"
    return "int_parsing" if kind is int else "decimal_parsing"


def _at(loaded: LoadedInput, path: FieldPath) -> Location:
    return with_visible_path(loaded.location(path))


def translate_errors(
    errors: Sequence[ErrorDetails], loaded: LoadedInput, root: type[BaseModel] = ReportInput
) -> list[Problem]:
    """Pydantic's errors as Chinese problems located in ``loaded``, in file order.

    ``root`` is the model ``loaded.data`` was validated against: unknown keys are
    answered with its keys. Shared by inputs and the data files beside the templates.
    """
    missing: dict[FieldPath, list[str]] = {}
    for error in errors:
        if error["type"] == "missing":
            missing.setdefault(_path(error)[:-1], []).append(str(_path(error)[-1]))
    problems = []
    guessed: set[FieldPath] = set()
    for error in errors:
        path = _path(error)
        # A misspelt key: suggest a required key missing right here, else a key the
        # neighbouring items have and this one lacks (an optional 分值 left out of one).
        unknown = error["type"] == "extra_forbidden"
        expected = unknown and (missing.get(path[:-1]) or _siblings_have(loaded.data, path[:-1]))
        if expected:
            guess = _closest(str(path[-1]), expected)
            if guess:
                guessed.add((*path[:-1], guess))
                problems.append(Problem(_at(loaded, path), _unknown_key(path, root, guess)))
                continue
        problems.append(_problem(loaded, error, root))
    return _dedupe(
        [p for p in problems if not (p.message == _MISSING and p.location.path in guessed)]
    )


def to_fill_paths(data: Any, path: FieldPath = ()) -> list[FieldPath]:
    """Every field whose value is the 待填 marker, in file order, to report all at once."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in to_fill_paths(value, (*path, key))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in to_fill_paths(value, (*path, i))]
    if isinstance(data, str) and data.strip() == TO_FILL:
        return [path]
    return []


_WHAT_TO_FILL = {
    "预算数": "本年度全年预算数",
    "到位数": "本年度实际到位数",
    "执行数": "本年度全年执行数",
    "年初预算数": "本年度年初预算数",
    "完成值": "本年度完成值",
    "评级": "评级（达成、部分达成或未达成）",
    "总体完成情况": "本年度总体目标的实际完成情况",
    "成文日期": "成文日期（如 2026-02-20）",
}


def _unfilled_problems(loaded: LoadedInput, paths: list[FieldPath]) -> list[Problem]:
    problems = []
    for path in paths:
        what = _WHAT_TO_FILL.get(str(path[-1]), "实际内容")
        problems.append(Problem(_at(loaded, path), f"{UNFILLED}：请把“{TO_FILL}”改为{what}"))
    return problems


def _counted_lists(loaded: LoadedInput) -> set[FieldPath]:
    funds = loaded.data.get("项目") if isinstance(loaded.data, dict) else None
    count = len(funds) if isinstance(funds, list) else 0
    return {("项目", i, key) for i in range(count) for key in ("指标", "资金")}


def _path(error: Any) -> FieldPath:
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden" and loc:
        # The last part is the user's own key, which may well be lower-case ASCII.
        return (*(part for part in loc[:-1] if not _is_union_tag(part)), loc[-1])
    return tuple(part for part in loc if not _is_union_tag(part))


def _siblings_have(data: Any, path: FieldPath) -> list[str]:
    """Keys the other mappings of the list holding ``path`` have and the one at ``path`` lacks."""
    if not path or not isinstance(path[-1], int):
        return []
    items: Any = data
    for part in path[:-1]:
        try:
            items = items[part]
        except (KeyError, IndexError, TypeError):
            return []
    if not isinstance(items, list) or not 0 <= path[-1] < len(items):
        return []
    if not isinstance(items[path[-1]], dict):
        return []
    own = items[path[-1]]
    others = [item for i, item in enumerate(items) if i != path[-1] and isinstance(item, dict)]
    return [key for key in dict.fromkeys(k for item in others for k in item) if key not in own]


def _closest(key: str, candidates: list[str]) -> str | None:
    if len(candidates) == 1:
        return candidates[0]
    found = difflib.get_close_matches(key, candidates, n=1, cutoff=0.3)
    return found[0] if found else None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    unique = []
    for problem in problems:
        key = str(problem)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return sorted(unique, key=lambda p: p.location.line)


_MISSING = "缺少必填项"


def _problem(loaded: LoadedInput, error: Any, root: type[BaseModel]) -> Problem:
    path = _path(error)
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return Problem(_at(loaded, path), _unknown_key(path, root))
    if kind == "missing":
        # The key is absent, so this falls back to its parent's line (YAML) or to
        # the key's own empty cell (Excel).
        return Problem(_at(loaded, path), _MISSING)
    return Problem(_at(loaded, path), _message(kind, value, ctx))


def _is_union_tag(part: Any) -> bool:
    # pydantic inserts the union member's type name ("str", "decimal") into loc.
    return isinstance(part, str) and part.isascii() and part.islower() and "[" not in part


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "键值对"
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = visible(str(value))
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


_NUMBER_KINDS = frozenset(
    {
        "decimal_parsing",
        "decimal_type",
        "float_parsing",
        "float_type",
        "int_parsing",
        "int_type",
        "int_from_float",
        "decimal_max_digits",
        "finite_number",
        "int_parsing_size",
    }
)
_BOUND_KINDS = frozenset({"greater_than_equal", "greater_than", "less_than_equal", "less_than"})
#: Error kinds whose message only shows the value; ``{shown}`` is the value as written.
_PLAIN_MESSAGES = {
    "string_type": "应为文字，实际为{shown}",
    "string_sub_type": "应为文字，实际为{shown}",
    "string_too_short": "不能为空",
    "too_short": "至少需要一项",
    "list_type": "应为列表（每项以“- ”开头），实际为{shown}",
    "model_type": "应为键值对（“键: 值”），实际为{shown}",
    "dict_type": "应为键值对（“键: 值”），实际为{shown}",
    "model_attributes_type": "应为键值对（“键: 值”），实际为{shown}",
    "bool_parsing": "应为 true 或 false，实际为{shown}",
    "bool_type": "应为 true 或 false，实际为{shown}",
    "date_parsing": "应为日期（如 2025-02-20），实际为{shown}",
    "date_type": "应为日期（如 2025-02-20），实际为{shown}",
    "date_from_datetime_parsing": "应为日期（如 2025-02-20），实际为{shown}",
    "date_from_datetime_inexact": "应为日期（如 2025-02-20），实际为{shown}",
}


def _message(kind: str, value: Any, ctx: dict[str, Any]) -> str:
    """One pydantic error kind in Chinese, quoting the value as the user wrote it."""
    shown = _show(value)
    if kind == _EXPLAINED:
        return str(ctx["message"])
    if kind in _NUMBER_KINDS:
        return _number_message(kind, shown)
    if kind in _BOUND_KINDS:
        return _bound_message(kind, ctx, shown)
    if kind == "literal_error":
        expected = (
            str(ctx.get("expected", "")).replace("'", "").replace(" or ", "、").replace(", ", "、")
        )
        return f"应为{expected}之一，实际为{shown}"
    return _PLAIN_MESSAGES.get(kind, "取值无效：{shown}").format(shown=shown)


def _number_message(kind: str, shown: str) -> str:
    if kind.startswith("int"):
        return f"应为整数，实际为{shown}"
    if kind == "decimal_max_digits":
        return f"数字过大或位数过多，实际为{shown}"
    if kind == "finite_number":
        return f"应为有限的数字，实际为{shown}"
    return f"应为数字，实际为{shown}"


def _bound_message(kind: str, ctx: dict[str, Any], shown: str) -> str:
    comparison = {
        "greater_than_equal": ("ge", "应不小于"),
        "greater_than": ("gt", "应大于"),
        "less_than_equal": ("le", "应不大于"),
        "less_than": ("lt", "应小于"),
    }
    key, words = comparison[kind]
    return f"{words}{ctx.get(key)}，实际为{shown}"


def _unknown_key(path: FieldPath, root: type[BaseModel], guess: str | None = None) -> str:
    key = str(path[-1])
    candidates = field_aliases(model_at(path[:-1], root))
    shown_key = visible(key)
    suggestion = [guess] if guess else difflib.get_close_matches(key, candidates, n=1, cutoff=0.3)
    if not suggestion:
        suggestion = [c for c in candidates if set(c) & set(key)][:1]
    hint = f"，是否应为“{suggestion[0]}”？" if suggestion else ""
    listing = "、".join(candidates)
    return f"未知的键“{shown_key}”{hint}（可用的键：{listing}）"


def field_aliases(model: type[BaseModel] | None) -> list[str]:
    """The contract's key names of a model, in declaration order."""
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def model_at(path: FieldPath, root: type[BaseModel] = ReportInput) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``path`` of ``root`` (None if not a model)."""
    current: Any = root
    for part in path:
        if isinstance(part, int):
            current = _list_item(current)
            continue
        model = _as_model(current)
        if model is None:
            return None
        info = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if info is None:
            return None
        current = info.annotation
    return _as_model(current)


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is typing.Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _unwrap(members[0])
    return annotation


def _list_item(annotation: Any) -> Any:
    annotation = _unwrap(annotation)
    if get_origin(annotation) is list:
        return get_args(annotation)[0]
    return None


def _as_model(annotation: Any) -> type[BaseModel] | None:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None
