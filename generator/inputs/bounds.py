"""Apply the bounds of generator.limits to loaded data, before validation.

Inputs come from anywhere (copies of copies, files mailed between bureaus), so a 10 MB
narrative or 10,000 funds is refused with its field path instead of being validated,
computed and rendered. The same pass refuses what no field may hold, whichever reader
(YAML or workbook) produced the data: characters a person cannot see
(generator/core/text.py) and placeholders where nothing fills them in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from generator.core.money import MONEY_UNITS
from generator.core.numbers import read_number
from generator.core.text import describe, find_hidden, visible
from generator.errors import Location, Problem, format_path
from generator.inputs.source import FieldPath, LoadedInput, with_visible_path
from generator.limits import (
    MAX_AMOUNT_YUAN,
    MAX_FUNDING_ROWS,
    MAX_FUNDS,
    MAX_INDICATORS,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
)

__all__ = ["check_limits", "hidden_character_problems"]

#: Characters XML 1.0 (and so Word) cannot hold; YAML escapes such as "\x01" produce them.
# Characters XML 1.0 cannot hold: C0 controls but tab and newlines, surrogates, U+FFFE/F.
# (Written as this small class rather than the complement of the allowed ranges, which
# takes ten times as long to compile at every start.)
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LONG_TEXT_KEYS = frozenset(
    {
        "总体目标",
        "总体完成情况",
        "说明",
        "偏差原因",
        "改进措施",
        "评分说明",
    }
)
_MONEY_KEYS = frozenset({"预算数", "到位数", "执行数", "年初预算数", "调整数", "清算数"})
#: Amounts of 项目[].基金收支, in the fund's unit like its 资金.
_ACCOUNT_KEYS = frozenset({"收入", "支出", "当期结余", "累计结余"})


#: The opening of a Jinja placeholder, statement or comment.
_PLACEHOLDER = re.compile(r"\{[{%#]")
_PLACEHOLDER_TEXT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _walk(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, (*path, index))


def _at(loaded: LoadedInput, path: FieldPath) -> Location:
    return with_visible_path(loaded.location(path))


def hidden_character_problems(loaded: LoadedInput) -> list[Problem]:
    """Hidden characters in any key or text of ``loaded``, each with its code point.

    Shared by inputs of both kinds and the data files of template folders: a key with
    a zero-width space looks right and matches nothing, a U+202E shows a figure in
    another order than it prints.
    """
    problems = []
    for path, value in _walk(loaded.data, ()):
        key = path[-1] if path else None
        if isinstance(key, str) and (found := find_hidden(key)):
            first = found[0]
            problems.append(
                Problem(
                    _at(loaded, path),
                    f"键“{visible(key)}”的第{first.position + 1}个字符是{describe(first.char)}；"
                    "请删除该字符（常见于从网页或其他软件复制的文字）",
                )
            )
        if isinstance(value, str) and not _NOT_IN_XML.search(value):
            problems.extend(_hidden_in_value(loaded, path, value))
    return problems


def _hidden_in_value(loaded: LoadedInput, path: FieldPath, value: str) -> list[Problem]:
    found = find_hidden(value)
    if not found:
        return []
    first = found[0]
    more = f"（共有{len(found)}个这样的字符）" if len(found) > 1 else ""
    return [
        Problem(
            _at(loaded, path),
            f"第{first.position + 1}个字符是{describe(first.char)}；请删除该字符{more}"
            "（常见于从网页或其他软件复制的文字）",
        )
    ]


def _placeholder_allowed(path: FieldPath) -> bool:
    """叙述 slots and an indicator's 说明: the only texts whose placeholders are filled."""
    match path:
        case ("项目", int(), "叙述", str()):
            return True
        case ("项目", int(), "指标", int(), "说明"):
            return True
    return False


def _placeholder_problem(loaded: LoadedInput, path: FieldPath, value: str) -> list[Problem]:
    opening = _PLACEHOLDER.search(value)
    if opening is None or _placeholder_allowed(path):
        return []
    whole = _PLACEHOLDER_TEXT.search(value, opening.start())
    snippet = whole.group() if whole else value[opening.start() : opening.start() + 20]
    if len(snippet) > 40:
        snippet = f"{snippet[:40]}…"
    field = path[-1] if path and isinstance(path[-1], str) else "此处"
    return [
        Problem(
            _at(loaded, path),
            f"“{visible(snippet)}”是占位符，但“{visible(field)}”中的占位符不会被替换，"
            "会原样印在报告中：占位符只能用在“叙述”各栏目和指标的“说明”中（见 docs/占位符.md）；"
            "请在此处写出实际的文字和数字",
        )
    ]


def _text_limit(path: FieldPath) -> int:
    keys = [part for part in path if isinstance(part, str)]
    if "叙述" in keys or (keys and keys[-1] in _LONG_TEXT_KEYS):
        return MAX_LONG_TEXT
    return MAX_SHORT_TEXT


def _fund_at(data: Any, path: FieldPath) -> dict[str, Any] | None:
    """The fund (项目[k]) an amount at ``path`` belongs to, if it sets its own 金额单位."""
    funds = data.get("项目") if isinstance(data, dict) else None
    if len(path) < 2 or path[0] != "项目" or not isinstance(path[1], int):
        return None
    if not isinstance(funds, list) or path[1] >= len(funds):
        return None
    fund = funds[path[1]]
    return fund if isinstance(fund, dict) and "金额单位" in fund else None


def _unit_key(data: Any, path: FieldPath) -> str:
    """The key that sets the unit of the amount at ``path``, as a message names it."""
    if _fund_at(data, path) is None:
        return "报告.金额单位"
    return f"{format_path(path[:2])}.金额单位"


def _unit_size(data: Any, path: FieldPath = ()) -> Decimal:
    """Size in 元 of the unit an amount at ``path`` is written in: its fund's 金额单位,
    else the report's, else 万元."""
    report = data.get("报告") if isinstance(data, dict) else None
    unit = report.get("金额单位", "万元") if isinstance(report, dict) else "万元"
    fund = _fund_at(data, path)
    if fund is not None:
        unit = fund["金额单位"]
    return MONEY_UNITS.get(unit, MONEY_UNITS["万元"]) if isinstance(unit, str) else Decimal(10_000)


def _count(
    loaded: LoadedInput, path: FieldPath, value: Any, limit: int, what: str
) -> list[Problem]:
    if isinstance(value, list) and len(value) > limit:
        return [
            Problem(
                loaded.location(path),
                f"{what}过多：共{len(value)}项，上限{limit}项；请拆分为多个输入文件",
            )
        ]
    return []


def check_limits(loaded: LoadedInput) -> list[Problem]:
    """Problems for counts, text lengths and money beyond the bounds above.

    Runs on the plain data before validation, so a 10 MB narrative or 10,000 funds is
    refused with its field path instead of being validated, computed and rendered.
    """
    data = loaded.data
    if not isinstance(data, dict):
        return []
    problems = _count(loaded, ("项目",), data.get("项目"), MAX_FUNDS, "项目（资金）")
    funds = data.get("项目")
    for index, fund in enumerate(funds if isinstance(funds, list) else []):
        if isinstance(fund, dict):
            base: FieldPath = ("项目", index)
            problems += _count(loaded, (*base, "指标"), fund.get("指标"), MAX_INDICATORS, "指标")
            problems += _count(
                loaded, (*base, "资金"), fund.get("资金"), MAX_FUNDING_ROWS, "资金来源"
            )
    problems += hidden_character_problems(loaded)
    for path, value in _walk(data, ()):
        if isinstance(value, str):
            problems += _text_problems(loaded, path, value)
        amount = _amount(path, value)
        if amount is not None and abs(amount) > MAX_AMOUNT_YUAN / _unit_size(data, path):
            shown_amount = value if isinstance(value, str) else f"{amount:f}"
            shown_amount = shown_amount if len(shown_amount) <= 30 else f"{shown_amount[:30]}…"
            problems.append(
                Problem(
                    _at(loaded, path),
                    f"金额过大：{visible(shown_amount)}超过10万亿元，"
                    f"请检查数字和“{_unit_key(data, path)}”",
                )
            )
    return problems


def _text_problems(loaded: LoadedInput, path: FieldPath, value: str) -> list[Problem]:
    limit = _text_limit(path)
    bad = _NOT_IN_XML.search(value)
    problems = []
    if len(value) > limit:
        problems.append(Problem(_at(loaded, path), f"文字过长：共{len(value)}字，上限{limit}字"))
    elif bad:
        problems.append(
            Problem(
                _at(loaded, path),
                f"含有不能写入 Word 文档的控制字符（U+{ord(bad.group()):04X}），请删除该字符",
            )
        )
    return problems + _placeholder_problem(loaded, path, value)


def _amount(path: FieldPath, value: Any) -> Decimal | None:
    """A money field's figure, written as a number or as text in the number grammar."""
    if not path or isinstance(value, bool):
        return None
    accounts = len(path) > 1 and path[-2] == "基金收支" and path[-1] in _ACCOUNT_KEYS
    if path[-1] not in _MONEY_KEYS and not accounts:
        return None
    if isinstance(value, str):
        return read_number(value)
    if isinstance(value, int | Decimal) and _is_finite(value):
        return Decimal(value)
    return None


def _is_finite(value: int | Decimal) -> bool:
    return isinstance(value, int) or value.is_finite()
