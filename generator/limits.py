"""Every bound on inputs in one place, and the checks that apply them to loaded data.

Inputs come from anywhere (copies of copies, files mailed between bureaus), so nothing
a file says may make genreport read, build or compute without bound (rendering is
bounded by generator/sandbox.py). Each number is
generous for a real bureau (the county example has 4 funds, 32 KB, 1,344 YAML nodes)
and small enough that refusing takes well under a second. docs/安全说明.md lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import Problem

if TYPE_CHECKING:  # load.py reads the size limits from here
    from .load import LoadedInput, Path_

__all__ = [
    "MAX_AMOUNT_YUAN",
    "MAX_FUNDING_ROWS",
    "MAX_FUNDS",
    "MAX_INDICATORS",
    "MAX_INPUT_BYTES",
    "MAX_LONG_TEXT",
    "MAX_QUANTITY",
    "MAX_SHORT_TEXT",
    "MAX_WORKBOOK_BYTES",
    "MAX_WORKBOOK_ENTRIES",
    "MAX_WORKBOOK_RATIO",
    "MAX_WORKBOOK_UNCOMPRESSED",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "check_limits",
    "describe_size",
]

# --- files -------------------------------------------------------------------------
#: A YAML input file; checked before it is read. The county example is 32 KB.
MAX_INPUT_BYTES = 2 * 1024 * 1024
#: An .xlsx input file as stored on disk.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
#: The sum of the declared uncompressed sizes of all parts of a workbook.
MAX_WORKBOOK_UNCOMPRESSED = 100 * 1024 * 1024
#: Parts in a workbook zip (a real workbook has a few dozen).
MAX_WORKBOOK_ENTRIES = 2_000
#: Uncompressed/compressed ratio allowed for a part above 1 MB (XML compresses ~10×).
MAX_WORKBOOK_RATIO = 200

# --- YAML structure ----------------------------------------------------------------
#: Nodes after expanding aliases (``*名字``): refuses "billion laughs" before building.
MAX_YAML_NODES = 200_000
#: Nesting of mappings and lists; the contract needs 7 levels.
MAX_YAML_DEPTH = 32

# --- contents ----------------------------------------------------------------------
#: Funds (reports) in one input.
MAX_FUNDS = 50
#: Indicators of one fund.
MAX_INDICATORS = 300
#: Rows under 资金 of one fund.
MAX_FUNDING_ROWS = 100
#: Characters of a name-like field (单位, 名称, 来源, 指标值 …).
MAX_SHORT_TEXT = 500
#: Characters of a narrative field (叙述 slots, 说明, 偏差原因, 总体目标 …).
MAX_LONG_TEXT = 20_000
#: Money above this many 元 is a typo (10万亿元, above any bureau's budget).
MAX_AMOUNT_YUAN = Decimal(10) ** 13
#: A 指标值 or 完成值 above this (千万亿, after 万/亿) is a typo, whatever its unit.
MAX_QUANTITY = Decimal(10) ** 15

# --- rendering ---------------------------------------------------------------------
# Time and size bounds of templates and snippets live beside the sandbox that applies
# them (generator/sandbox.py: TEMPLATE_TIME_BUDGET, SNIPPET_TIME_BUDGET,
# MAX_TEMPLATE_OUTPUT, MAX_SNIPPET_OUTPUT, MAX_RANGE, MAX_NUMBER), so that importing
# these input limits never loads Jinja.

#: Characters XML 1.0 (and so Word) cannot hold; YAML escapes such as "\x01" produce them.
# Characters XML 1.0 cannot hold: C0 controls but tab and newlines, surrogates, U+FFFE/F.
# (Written as this small class rather than the complement of the allowed ranges, which
# takes ten times as long to compile at every start.)
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LONG_TEXT_KEYS = frozenset({
    "总体目标", "总体完成情况", "说明", "偏差原因", "改进措施", "评分说明",
})
_MONEY_KEYS = frozenset({"预算数", "到位数", "执行数", "年初预算数"})
_UNIT_SIZES = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


def describe_size(size: int) -> str:
    """``52428800`` → ``50 MB``: sizes in messages the way file managers show them."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size} 字节"


def _walk(data: Any, path: Path_) -> Iterator[tuple[Path_, Any]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, (*path, index))


def _text_limit(path: Path_) -> int:
    keys = [part for part in path if isinstance(part, str)]
    if "叙述" in keys or (keys and keys[-1] in _LONG_TEXT_KEYS):
        return MAX_LONG_TEXT
    return MAX_SHORT_TEXT


def _unit_size(data: Any) -> Decimal:
    report = data.get("报告") if isinstance(data, dict) else None
    unit = report.get("金额单位", "万元") if isinstance(report, dict) else "万元"
    return _UNIT_SIZES.get(unit, _UNIT_SIZES["万元"]) if isinstance(unit, str) else Decimal(10_000)


def _count(loaded: LoadedInput, path: Path_, value: Any, limit: int, what: str) -> list[Problem]:
    if isinstance(value, list) and len(value) > limit:
        return [Problem(loaded.location(path),
                        f"{what}过多：共{len(value)}项，上限{limit}项；请拆分为多个输入文件")]
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
            base: Path_ = ("项目", index)
            problems += _count(loaded, (*base, "指标"), fund.get("指标"), MAX_INDICATORS, "指标")
            problems += _count(loaded, (*base, "资金"), fund.get("资金"), MAX_FUNDING_ROWS,
                               "资金来源")
    unit = _unit_size(data)
    for path, value in _walk(data, ()):
        if isinstance(value, str):
            limit = _text_limit(path)
            bad = _NOT_IN_XML.search(value)
            if len(value) > limit:
                problems.append(Problem(loaded.location(path),
                                        f"文字过长：共{len(value)}字，上限{limit}字"))
            elif bad:
                problems.append(Problem(
                    loaded.location(path),
                    f"含有不能写入 Word 文档的控制字符（U+{ord(bad.group()):04X}），请删除该字符",
                ))
        elif (isinstance(value, int | Decimal) and not isinstance(value, bool) and path
              and path[-1] in _MONEY_KEYS and _is_finite(value)
              and abs(Decimal(value)) > MAX_AMOUNT_YUAN / unit):
            shown = f"{Decimal(value):f}"
            shown = shown if len(shown) <= 30 else f"{shown[:30]}…"
            problems.append(Problem(
                loaded.location(path),
                f"金额过大：{shown}超过10万亿元，请检查数字和“报告.金额单位”",
            ))
    return problems


def _is_finite(value: int | Decimal) -> bool:
    return isinstance(value, int) or value.is_finite()
