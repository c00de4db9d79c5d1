"""What the tables and the page layout need: the fund's own 自评表 form, title lines, 附件说明.

The form follows the fund, not the outline (domain.md §5): a central transfer payment
gets the transfer-payment form (header, money rows with fund-specific ones, the seven
资金管理情况 rows, goals, indicators), a department's own project the 项目支出 form.
Titles are broken where the words allow (GB/T 9704 7.3.3): the template prints the
lines this module computes, so no title wraps inside a word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from generator.analysis.compute import FundResult, Money, ReportResult
from generator.core.money import HUNDRED, format_number, format_rate, format_score, ratio
from generator.core.vocabulary import MANAGEMENT_ASPECTS
from generator.render.narrative import overall_sentence

__all__ = [
    "CENTRAL_TRANSFER",
    "TABLE_TITLE_WIDTH",
    "TITLE_WIDTH",
    "form_values",
    "is_transfer_payment",
    "score_group",
    "title_lines",
]

Context = dict[str, Any]

#: Whether each fund type is a central transfer payment (the others are a department's
#: own project). Types not listed are treated as transfer payments: most funds a 医保局
#: reports on are.
CENTRAL_TRANSFER: Mapping[str, bool] = {
    "城乡居民医保": True,
    "医疗救助": True,
    "能力提升": True,
    "扶贫济困": False,
}

#: Characters of a 2号 (22 pt) title in the 156 mm text block, and of a 小二 (18 pt) table title.
TITLE_WIDTH = Decimal(20)
#: A deviation text longer than this gets the 自评表's wide deviation column.
WIDE_DEVIATION = 30
TABLE_TITLE_WIDTH = Decimal(24)

#: Words a title is never broken inside; a break may fall at either end of each.
_WORDS = (
    "城乡居民",
    "基本医疗保险",
    "补助资金",
    "医疗救助",
    "城乡医疗救助部分",
    "医疗服务与保障",
    "能力提升",
    "医疗保障服务",
    "医疗保障服务能力提升部分",
    "扶贫济困",
    "医疗基金",
    "县级配套资金",
    "区县配套",
    "医保转移支付",
    "转移支付",
    "项目支出",
    "绩效目标自评表",
    "绩效自评表",
    "绩效自评报告",
)
_YEAR = re.compile(r"\d{4}年度")
_HALF_WIDTH = re.compile(r"[\x20-\x7e]")


def text_width(text: str) -> Decimal:
    """Width in em: a Chinese character is one, an ASCII character (digits) half."""
    half = len(_HALF_WIDTH.findall(text))
    return Decimal(len(text) - half) + Decimal(half) / 2


#: Words that end a title (绩效自评报告) or begin its form name: a break before them is strong.
_STRONG_WORDS = ("绩效自评报告", "绩效目标自评表", "绩效自评表", "转移支付项目")
#: Squared-slack cost of a break between two words of one name (the title's region, year
#: and parenthesised groups break for free): a name is kept whole when the lines allow.
_WEAK_BREAK = Decimal(100)


def _breaks(text: str, extra_words: Sequence[str]) -> dict[int, bool]:
    """Positions where ``text`` may break, each with whether the break is a weak one.

    A position inside a word, the year or a parenthesised group that fits on a line is
    never a break; text that is no known word only breaks at its ends. Breaks at the
    region, the year, parentheses and before 绩效自评报告 are strong; between the words
    of a fund name weak.
    """
    inside: set[int] = set()
    strong: set[int] = set()
    weak: set[int] = set()
    for pattern, edges in (
        *((re.escape(w), strong) for w in (*extra_words, *_STRONG_WORDS) if w),
        (_YEAR.pattern, strong),
        *((re.escape(w), weak) for w in _WORDS),
    ):
        for found in re.finditer(pattern, text):
            edges.update(found.span())
            inside.update(range(found.start() + 1, found.end()))
    for found in re.finditer(r"（[^（）]*）", text):
        strong.update(found.span())
        if text_width(found.group()) <= TITLE_WIDTH:
            inside.update(range(found.start() + 1, found.end()))
    return {
        p: p not in strong for p in sorted(strong | weak) if 0 < p < len(text) and p not in inside
    }


def title_lines(text: str, width: Decimal = TITLE_WIDTH, words: Sequence[str] = ()) -> list[str]:
    """``text`` in as few lines of at most ``width`` as its word breaks allow, balanced.

    Among the fewest lines, the split with the most even lengths wins (a title is set
    symmetrically); a later line may be longer than an earlier one, as in 梯形 titles.
    When no allowed break keeps a line within ``width`` the text breaks at the width.
    """
    if text_width(text) <= width:
        return [text]
    breaks = _breaks(text, words)
    points = [0, *breaks, len(text)]
    # Dynamic programming over break points: fewest lines, then least squared slack.
    table: dict[int, tuple[int, Decimal, list[str]]] = {0: (0, Decimal(0), [])}
    for end in points[1:]:
        for start in points:
            if start >= end or start not in table:
                continue
            line = text[start:end]
            size = text_width(line)
            if size > width:
                continue
            count, cost, lines = table[start]
            penalty = _WEAK_BREAK if breaks.get(end, False) else Decimal(0)
            candidate = (count + 1, cost + (width - size) ** 2 + penalty, [*lines, line])
            current = table.get(end)
            if current is None or candidate[:2] < current[:2]:
                table[end] = candidate
    best = table.get(len(text))
    if best is None:
        return _hard_lines(text, width)
    return best[2]


def _hard_lines(text: str, width: Decimal) -> list[str]:
    lines: list[str] = []
    current = ""
    for char in text:
        if text_width(current + char) > width:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current] if current else lines


def is_transfer_payment(fund_type: str) -> bool:
    return CENTRAL_TRANSFER.get(fund_type, True)


def _short_name(name: str) -> str:
    """The fund name without its parenthesised part (the form's heading uses it)."""
    return name.split("（", 1)[0] or name


def _money_cells(
    budget: Decimal | None, spent: Decimal | None, received: Decimal | None
) -> Context:
    """One money row; without a budget all blank, without 执行数 the spending cells blank."""
    if budget is None:
        blank = {"全年预算数": "", "全年执行数": "", "到位数": "", "执行率": ""}
        return {"年初预算数": "", **blank, "分值": "", "得分": ""}
    return {
        "年初预算数": "",
        "全年预算数": format_number(budget),
        "全年执行数": "" if spent is None else format_number(spent),
        "到位数": format_number(received if received is not None else budget),
        "执行率": "" if spent is None else format_rate(ratio(spent, budget)),
        "分值": "",
        "得分": "",
    }


_LOCAL_WORDS = ("省", "市", "县", "区", "本级", "地方", "州", "旗")


def _transfer_group(source: str) -> str:
    """The transfer form's row of a source; "" for a combined one (its own row)."""
    if "中央" in source:
        return "中央财政资金"
    if "彩票" in source:
        return "彩票公益金"
    if "结转" in source or "其他" in source:
        return "其他资金"
    if "各级" in source:
        return ""
    if any(word in source for word in _LOCAL_WORDS):
        return "地方资金"
    return ""


def _transfer_money(fund: FundResult) -> list[Context]:
    """年度资金总额, 中央财政资金, combined sources, 地方资金, 其他资金; never an invented split.

    A source that names no level (「各级财政补助」), or combines 中央 with other levels
    (「中央及省级财政」), is its own row: splitting it between 中央 and 地方 would state
    figures the input did not give. A group without sources prints empty cells, not zeros.
    """
    money = fund.money
    lottery = "彩票公益金用于医疗救助" if fund.fund.type == "医疗救助" else "彩票公益金"
    order = ["中央财政资金", "彩票公益金", "地方资金", "其他资金"]
    sums: dict[str, list[Decimal]] = {}
    combined: list[tuple[str, list[Decimal]]] = []
    for source in money.sources:
        row = source.row
        received = source.received
        # 「中央及省级财政」 in the 中央财政资金 row would state a central figure nobody gave.
        spans_central = "中央" in source.levels and source.combined_levels
        group = "" if spans_central else _transfer_group(row.source)
        if group:
            bucket = sums.setdefault(group, [Decimal(0), Decimal(0), Decimal(0)])
        else:
            bucket = [Decimal(0), Decimal(0), Decimal(0)]
            combined.append((row.source, bucket))
        bucket[0] += row.budget
        bucket[1] += row.spent or Decimal(0)
        bucket[2] += received
    first = {
        "名称": "年度资金总额",
        **_money_cells(*_spending(money, _year_budget(money), money.spent)),
    }
    if money.executed:
        first["执行率"] = format_rate(money.execution_rate)
    rows = [first]
    for index, group in enumerate(order):
        if group == "彩票公益金" and group not in sums and fund.fund.type != "医疗救助":
            continue
        label = lottery if group == "彩票公益金" else group
        values = sums.get(group)
        cells = (
            _money_cells(*_spending(money, *values)) if values else _money_cells(None, None, None)
        )
        rows.append({"名称": ("其中：" if index == 0 else "") + label, **cells})
        if index == 0:
            # Next to the central row it cannot be split into, before 地方资金.
            for name, values in combined:
                rows.append({"名称": name, **_money_cells(*_spending(money, *values))})
    return rows


def _year_budget(money: Money) -> Decimal:
    """年度资金总额's 全年预算数: the fund's 调整后预算数 when the bureau states one.

    The rows below keep each source's own 预算数, from before an adjustment nobody split
    by source, so they need not add up to it; the report's money paragraph says so
    (「年中调整预算后应到位…」, each source 「为其调整前预算的…」). Per-source 调整数 and
    清算数 stay as the form has always shown them, at 预算数 as typed.
    """
    return money.adjusted_budget if money.adjusted_as_a_whole else money.budget


def _spending(
    money: Money, budget: Decimal, spent: Decimal, received: Decimal | None = None
) -> tuple[Decimal, Decimal | None, Decimal]:
    """(预算, 执行, 到位) of a money row; 执行 None when the input gives no 执行数."""
    if received is None:
        received = money.received
    return budget, spent if money.executed else None, received


_FISCAL_WORDS = (
    "财政",
    "中央",
    "省级",
    "市级",
    "县级",
    "区级",
    "本级",
    "彩票公益金",
    "补助",
    "拨款",
)


def score_group(source: str) -> str:
    """The 项目支出 form's money row of a source: by its words, since 来源 is free text."""
    if "结转" in source:
        return "上年结转资金"
    fiscal = any(word in source for word in _FISCAL_WORDS) and "其他" not in source
    return "当年财政拨款" if fiscal else "其他资金"


def _score_money(fund: FundResult, budget_row: Mapping[str, str] | None) -> list[Context]:
    """The 项目支出 form's money block: 年度资金总额 with the 预算执行率 points, then groups."""
    money = fund.money
    groups = ["当年财政拨款", "上年结转资金", "其他资金"]
    sums = {g: [Decimal(0), Decimal(0), Decimal(0)] for g in groups}
    for row in money.rows:
        bucket = sums[score_group(row.source)]
        bucket[0] += row.budget
        bucket[1] += row.spent or Decimal(0)
        bucket[2] += row.budget if row.received is None else row.received
    first = {
        "名称": "年度资金总额",
        **_money_cells(*_spending(money, _year_budget(money), money.spent)),
    }
    if money.executed:
        first["执行率"] = format_rate(money.execution_rate)
    if fund.fund.initial_budget is not None:
        first["年初预算数"] = format_number(fund.fund.initial_budget)
    if budget_row is not None:
        first["分值"] = budget_row["分值"]
        first["得分"] = budget_row["得分"]
    return [first] + [
        {"名称": ("其中：" if i == 0 else "") + g, **_money_cells(*_spending(money, *sums[g]))}
        for i, g in enumerate(groups)
    ]


def _merged(rows: Sequence[Mapping[str, Any]]) -> list[Context]:
    """Vertical-merge markers for runs of equal 一级 (and 二级 within them)."""
    marked = [dict(row) for row in rows]
    for key, scope in (("一级", ("一级",)), ("二级", ("一级", "二级"))):
        start = 0
        while start < len(marked):
            end = start
            ident = tuple(marked[start][k] for k in scope)
            while end + 1 < len(marked) and tuple(marked[end + 1][k] for k in scope) == ident:
                end += 1
            for n in range(start, end + 1):
                if end == start:
                    marked[n][f"{key}合并"] = ""
                else:
                    marked[n][f"{key}合并"] = "restart" if n == start else "continue"
            start = end + 1
    return marked


def _management(fund: FundResult) -> list[Context]:
    """The seven 资金管理情况 rows; an aspect the input leaves out stays empty."""
    given = fund.fund.management.items() if fund.fund.management is not None else {}
    rows = []
    for aspect in MANAGEMENT_ASPECTS:
        item = given.get(aspect)
        rows.append(
            {
                "方面": aspect,
                "情况说明": item.situation if item is not None else "",
                "存在问题和改进措施": (item.issues or "") if item is not None else "",
            }
        )
    return rows


def _weight_total(fund: FundResult) -> str:
    """分值合计: the weights' sum, or the 100-point scale of a bureau's stated total."""
    if fund.score_stated:
        return format_score(HUNDRED)
    return format_score(sum((r.model.weight or Decimal(0) for r in fund.indicators), Decimal(0)))


def form_values(
    result: ReportResult,
    fund: FundResult,
    table_rows: Sequence[Mapping[str, Any]],
    budget_row: Mapping[str, Any] | None,
) -> Context:
    """The layout's names: 标题行, 附件说明 and the fund's own 自评表 (its form by fund type)."""
    info = result.model.report
    model = fund.fund
    transfer = is_transfer_payment(model.type)
    department = model.department or info.unit
    implementer = model.implementer or info.unit
    if transfer:
        form_title = f"{_short_name(model.transfer_name or fund.name)}转移支付项目绩效目标自评表"
        rows = list(table_rows)
        money = _transfer_money(fund)
    else:
        form_title = "项目支出绩效自评表"
        rows = [
            r
            for r in table_rows
            if budget_row is None or (r is not budget_row and r["名称"] != budget_row["名称"])
        ]
        money = _score_money(fund, budget_row)
    region_words = (result.region, info.unit)
    title = f"{result.region}{info.year}年度{fund.name}绩效自评报告"
    table = {
        "布局": "转移支付" if transfer else "得分",
        "表名": form_title,
        "表名行": title_lines(form_title, TABLE_TITLE_WIDTH),
        "项目名称": fund.name,
        "主管部门": department,
        "实施单位": implementer,
        "转移支付名称": model.transfer_name or fund.name,
        "中央主管部门": model.central_department or "",
        "地方主管部门": model.local_department or department,
        "资金使用单位": model.user_unit or implementer,
        "资金行": money,
        "资金管理行": _management(fund),
        "总体目标": model.goal,
        "总体完成情况": model.goal_result or overall_sentence(fund),
        "指标行": _merged(rows),
        "显示上年": any(row.get("上年完成值") for row in rows),
        "偏差列宽": any(len(str(row.get("偏差", ""))) > WIDE_DEVIATION for row in rows),
        "分值合计": _weight_total(fund),
        "总分": format_score(fund.total),
    }
    return {
        "标题行": title_lines(title, TITLE_WIDTH, region_words),
        "附件说明": f"附件：{form_title}",
        "自评表": table,
    }
