"""Hypothesis strategies that build inputs from the contract (generator/models.py).

``valid_inputs`` gives data a user could really write: weights summing to 100, units
that agree, a 偏差原因 on every indicator (so unmet targets are explained), ratings on
qualitative ones. ``mutate`` then breaks one thing the way people do: a key dropped,
a value of the wrong type, random text or an absurd number.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import strategies as st

from generator.core.markers import TO_FILL
from generator.core.vocabulary import FUND_TYPES

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
#: Any printable text: no controls, format characters, line separators or surrogates, no
#: invisible fillers (all refused, generator/core/text.py), no braces (placeholders are
#: tested apart).
SAFE = st.characters(
    blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn"),
    blacklist_characters="{}\ufffe\uffff\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0",
)


def _filled(text: str) -> bool:
    """Not blank and not the 待填 marker, which valid inputs never contain."""
    return text.strip() not in ("", TO_FILL)


NAME = st.text(st.one_of(CJK, SAFE), min_size=1, max_size=30).filter(_filled)
SENTENCE = st.text(st.one_of(CJK, SAFE), min_size=1, max_size=80).filter(_filled)
UNITS = st.sampled_from(["人", "人次", "%", "个", "万人", "元", "家", "次", ""])
SOURCES = st.sampled_from(
    ["中央财政", "省级财政", "市级财政", "县级财政", "上年结转", "彩票公益金"]
)
QUALITATIVE = st.sampled_from(["有效减轻", "普遍开展", "逐步提高", "定性", "持续改善"])


def money(max_value: int = 99_999) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=0, max_value=max_value, places=2, allow_nan=False, allow_infinity=False
    )


def _amount(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


@st.composite
def weights(draw: st.DrawFn, count: int) -> list[int]:
    """``count`` non-negative integers summing to 100."""
    if count == 1:
        return [100]
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    return [bounds[i + 1] - bounds[i] for i in range(count)]


@st.composite
def indicator(draw: st.DrawFn, weight: int, *, all_met: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {
        "一级": draw(st.sampled_from(["产出指标", "效益指标", "满意度指标", "过程管理"])),
        "二级": draw(st.sampled_from(["数量指标", "质量指标", "时效指标", "社会效益指标"])),
        "名称": draw(NAME.filter(lambda s: "执行率" not in s and "到位率" not in s)),
        "分值": weight,
    }
    if draw(st.booleans()):
        row["指标值"] = draw(QUALITATIVE)
        row["评级"] = "达成" if all_met else draw(st.sampled_from(["达成", "部分达成", "未达成"]))
    else:
        unit = draw(UNITS)
        comparator = draw(st.sampled_from(["≥", ">=", "≤", "<", ">", "", "＞="]))
        target = draw(st.decimals(min_value=0, max_value=10**7, places=2))
        actual = target if all_met else draw(st.decimals(min_value=0, max_value=10**8, places=2))
        if all_met and comparator in {">", "<"}:
            comparator = "≥"
        row["指标值"] = f"{comparator}{_amount(target)}{unit}"
        row["完成值"] = f"{_amount(actual)}{unit}"
    row["偏差原因"] = draw(SENTENCE)
    if draw(st.booleans()):
        row["说明"] = draw(SENTENCE)
    return row


@st.composite
def fund(draw: st.DrawFn, *, all_met: bool = False, not_applicable: bool = False) -> dict[str, Any]:
    count = draw(st.integers(1, 8))
    parts = draw(weights(count))
    rows = [draw(indicator(w, all_met=all_met)) for w in parts]
    if not_applicable and count > 1:
        keep = draw(st.integers(0, count - 1))  # at least one stays applicable
        for i in draw(st.sets(st.integers(0, count - 1), max_size=count - 1)):
            if i != keep:
                rows[i]["不适用"] = True
    funding = []
    for _ in range(draw(st.integers(1, 4))):
        budget = draw(money())
        row: dict[str, Any] = {
            "来源": draw(SOURCES),
            "预算数": budget,
            "执行数": draw(money(min(int(budget) + 1, 99_999))),
        }
        if draw(st.booleans()):
            row["到位数"] = draw(money(min(int(budget) + 1, 99_999)))
        funding.append(row)
    result: dict[str, Any] = {
        "类型": draw(st.sampled_from(FUND_TYPES)),
        "资金": funding,
        "总体目标": draw(SENTENCE),
        "指标": rows,
    }
    if draw(st.booleans()):
        result["名称"] = draw(NAME)
    if draw(st.booleans()):
        result["叙述"] = {
            draw(st.sampled_from(["项目概况", "存在问题", "改进措施", "其他"])): draw(SENTENCE)
        }
    return result


@st.composite
def valid_inputs(
    draw: st.DrawFn, *, all_met: bool = False, not_applicable: bool = False, max_funds: int = 3
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "单位": draw(NAME),
        "年度": draw(st.integers(2000, 2100)),
        "金额单位": draw(st.sampled_from(["元", "万元", "亿元"])),
        "评分规则": draw(st.sampled_from(["国家", "示例省线性"])),
    }
    if draw(st.booleans()):
        report["成文日期"] = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2101, 12, 31)))
    if draw(st.booleans()):
        report["主送"] = draw(NAME)
    funds = [
        draw(fund(all_met=all_met, not_applicable=not_applicable))
        for _ in range(draw(st.integers(1, max_funds)))
    ]
    return {"报告": report, "项目": funds}


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.decimals(min_value=-(10**30), max_value=10**30),
    st.sampled_from(
        [
            Decimal("NaN"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
            Decimal("1E+999999"),
            Decimal("1E-999999"),
            Decimal("-0.000"),
        ]
    ),
    st.text(max_size=40),
    st.text(SAFE, max_size=40),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.dates(),
    st.sampled_from(
        [
            "自动",
            "不适用",
            "定性",
            "≥",
            "1,2,3",
            "6-9个月",
            "9-6个月",
            "{{ 总分 }}",
            "{{ 不存在 }}",
            "{% for %}",
            "2025-13-45",
            ".nan",
            "1e999",
            "-0",
            "０．５",
        ]
    ),
)


@st.composite
def mutated_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid input with one to three things broken."""
    data = draw(valid_inputs(max_funds=2))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["drop", "replace", "unknown key"]))
        if action == "drop":
            if isinstance(parent, dict):
                parent.pop(key, None)
            elif isinstance(parent, list) and parent:
                parent.pop(key)
        elif action == "replace":
            parent[key] = draw(ANY_VALUE)
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=6))] = draw(ANY_VALUE)
    return data


class _Dumper(yaml.SafeDumper):
    """Decimals as YAML floats written from their exact text."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value.is_nan():
        text = ".nan"
    elif value.is_infinite():
        text = "-.inf" if value < 0 else ".inf"
    elif abs(value.adjusted()) > 40:
        text = str(value)  # 1E+999999, not a million zeros
    else:
        text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_representer(Decimal, _decimal)


def to_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)
