"""Apply the bounds of generator.limits to loaded data, before validation.

Inputs come from anywhere (copies of copies, files mailed between bureaus), so a 10 MB
narrative or 10,000 funds is refused with its field path instead of being validated,
computed and rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from generator.core.money import MONEY_UNITS
from generator.errors import Problem
from generator.inputs.source import FieldPath, LoadedInput
from generator.limits import (
    MAX_AMOUNT_YUAN,
    MAX_FUNDING_ROWS,
    MAX_FUNDS,
    MAX_INDICATORS,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
)

__all__ = ["check_limits"]

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
_MONEY_KEYS = frozenset({"预算数", "到位数", "执行数", "年初预算数"})


def _walk(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, (*path, index))


def _text_limit(path: FieldPath) -> int:
    keys = [part for part in path if isinstance(part, str)]
    if "叙述" in keys or (keys and keys[-1] in _LONG_TEXT_KEYS):
        return MAX_LONG_TEXT
    return MAX_SHORT_TEXT


def _unit_size(data: Any) -> Decimal:
    report = data.get("报告") if isinstance(data, dict) else None
    unit = report.get("金额单位", "万元") if isinstance(report, dict) else "万元"
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
    unit = _unit_size(data)
    for path, value in _walk(data, ()):
        if isinstance(value, str):
            limit = _text_limit(path)
            bad = _NOT_IN_XML.search(value)
            if len(value) > limit:
                problems.append(
                    Problem(loaded.location(path), f"文字过长：共{len(value)}字，上限{limit}字")
                )
            elif bad:
                problems.append(
                    Problem(
                        loaded.location(path),
                        f"含有不能写入 Word 文档的控制字符（U+{ord(bad.group()):04X}），请删除该字符",
                    )
                )
        elif (
            isinstance(value, int | Decimal)
            and not isinstance(value, bool)
            and path
            and path[-1] in _MONEY_KEYS
            and _is_finite(value)
            and abs(Decimal(value)) > MAX_AMOUNT_YUAN / unit
        ):
            shown = f"{Decimal(value):f}"
            shown = shown if len(shown) <= 30 else f"{shown[:30]}…"
            problems.append(
                Problem(
                    loaded.location(path),
                    f"金额过大：{shown}超过10万亿元，请检查数字和“报告.金额单位”",
                )
            )
    return problems


def _is_finite(value: int | Decimal) -> bool:
    return isinstance(value, int) or value.is_finite()
