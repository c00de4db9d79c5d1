"""The money of one report: each source's budget, arrivals, spending and changes.

Two kinds of evidence: the 自评表's money block (sure: a form states its figures) and
the sentences (a guess until the form confirms them). The sentences genreport writes
itself (``render.narrative.money_text``) are read exactly; other reports' sentences by
their verbs (预算、下达、到位、执行、清算、调减…) and level words (中央、省级、市县…).
Where the form and the text disagree both stay, and a conflict names the two places.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from generator.authoring.reading.blocks import Block, Found, Paragraph, Table
from generator.authoring.reading.model import MoneyFindings, MoneyRow, ReportPart
from generator.authoring.reading.scan import (
    AMOUNT,
    amount_in,
    clauses,
    fold,
    label,
    sentences,
    strip_titles,
)
from generator.config.search import shipped_templates_dir
from generator.config.wording import load_wording
from generator.core.money import MONEY_UNITS, format_amount, round_half_up, strip_zeros

__all__ = ["find_money", "source_group"]

_FIELDS = ("budget", "initial", "arrived", "spent", "adjustment", "clearing")
_FIELD_NAMES = {
    "budget": "预算数",
    "initial": "年初预算数",
    "arrived": "到位数",
    "spent": "执行数",
    "adjustment": "调整数",
    "clearing": "清算数",
}

#: The name a source gets when the text gives a figure without naming any level.
UNNAMED = "各级财政补助"


# --------------------------------------------------------------------------- collecting


@dataclass
class _Collected:
    """Rows by source in order of first mention, and the conflicts met on the way."""

    unit: str
    rows: dict[str, MoneyRow] = field(default_factory=dict)
    initial: list[Found[Decimal]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    unsigned_clearing: set[str] = field(default_factory=set)
    complete: bool = False
    #: 调整后预算数 of a fund whose budget was adjusted without a split by source.
    adjusted_total: Found[Decimal] | None = None

    def row(self, source: str, where: str, sure: bool = True) -> MoneyRow:
        if source not in self.rows:
            self.rows[source] = MoneyRow(source=Found(source, where, sure))
        return self.rows[source]

    def put(
        self, source: str, name: str, value: Decimal, where: str, *, sure_name: bool = True
    ) -> None:
        """Record a figure from the text; a second, different figure is a conflict.

        Once genreport's own money sentence is read (``complete``), it names every
        source: other sentences may only contradict it, never add to it.
        """
        if self.complete and (source not in self.rows or getattr(self.rows[source], name) is None):
            return
        row = self.row(source, where, sure_name)
        old: Found[Decimal] | None = getattr(row, name)
        if old is None:
            setattr(row, name, Found(value, where, sure=False))
        elif old.value != value:
            self.conflicts.append(
                f"{source}{_FIELD_NAMES[name]}：{old.where}为{format_amount(old.value, self.unit)}，"
                f"{where}为{format_amount(value, self.unit)}"
            )


# --------------------------------------------------------------------------- genreport's own sentences

_A = AMOUNT.pattern
_ALLOCATED = re.compile(
    rf"^\d{{4}}年，.+?(?:全年预算|下达预算)(?P<total>{_A})"
    rf"(?:，其中(?P<list>.+?)|，全部为(?P<only>.+?)资金)"
    rf"(?:；(?P<changes>.+)，调整后全年预算{_A})?。$"
)
_ITEM = re.compile(rf"(?P<src>[^、]+?)(?P<amt>{_A})(?:、|$)")
_CHANGE = re.compile(rf"^(?P<src>.+?)年中(?P<verb>调增|调减)(?P<amt>{_A})$")
_CLEARING = re.compile(rf"^(?P<src>.+?)同步清算(?P<verb>补拨|扣回)上年度资金(?P<amt>{_A})$")
_RATE = r"(?:\d+(?:\.\d+)?%|—)"
_USED = re.compile(
    rf"^(?:预算资金全部到位|资金实际到位(?P<received>{_A})，到位率{_RATE}(?:（其中(?P<rlist>.*?)）)?)"
    rf"(?:；全年执行(?P<spent>{_A})，执行率{_RATE}(?:（其中(?P<slist>.*?)）)?)?"
    rf"(?:，年末结余{_A})?。$"
)


_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
#: What each name of the money 句式 stands for in genreport's sentences.
_PHRASE_GROUPS = {
    "调整后预算": _A,
    "到位": _A,
    "金额": _A,
    "到位率": _RATE,
    "比例": _RATE,
    "来源": ".+?",
    "动词": "到位|执行",
}


def _phrase_patterns(kind: str) -> list[str]:
    """Regexes of the shipped 句式 ``kind`` (措辞.yaml), each name a group of its own."""
    wording = load_wording([shipped_templates_dir()])
    patterns = []
    for text in wording.phrases.get(kind, ()):
        parts = _PLACEHOLDER.split(text)
        pattern = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_PHRASE_GROUPS[part]})"
            for i, part in enumerate(parts)
        )
        patterns.append(pattern)
    return patterns


@functools.cache
def _as_a_whole() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """The money sentence of a budget adjusted for the fund as a whole, and its source items.

    Built from the 句式 预算调整 and 分来源 that ``render.narrative.money_text`` uses.
    """
    sentences = [
        re.compile(
            rf"^{pattern}(?:（其中(?P<rlist>.*?)）)?"
            rf"(?:；全年执行(?P<spent>{_A})，执行率{_RATE}(?:（其中(?P<slist>.*?)）)?)?"
            rf"(?:，年末结余{_A})?。$"
        )
        for pattern in _phrase_patterns("预算调整")
    ]
    items = [re.compile(rf"^{pattern}$") for pattern in _phrase_patterns("分来源")]
    return sentences, items


def _amount(match: re.Match[str], group: str, unit: str) -> Decimal:
    """The amount a named group of ``match`` holds (digits then unit), in ``unit``."""
    found = AMOUNT.fullmatch(match.group(group))
    assert found is not None  # the group is AMOUNT itself
    return amount_in(found.group(1), found.group(2), unit)


def _adjusted(row: MoneyRow) -> Decimal:
    total = Decimal(0)
    for part in (row.budget, row.adjustment, row.clearing):
        if part is not None:
            total += part.value
    return total


def _names(listed: str, known: Sequence[str]) -> list[str]:
    """「中央财政、其他资金（社会捐赠）」 split by the source names already read."""
    names: list[str] = []
    rest = listed
    while rest:
        name = next((k for k in sorted(known, key=len, reverse=True) if rest.startswith(k)), None)
        if name is None:
            names.extend(n for n in rest.split("、") if n)
            break
        names.append(name)
        rest = rest[len(name) :].lstrip("、")
    return names


def _own_sentences(text: str, where: str, found: _Collected) -> bool:
    """Read a paragraph genreport wrote about the money; False when it is not one."""
    matched = False
    for sentence in sentences(text):
        if m := _ALLOCATED.match(sentence):
            matched = True
            if m.group("only"):
                found.put(m.group("only"), "budget", _amount(m, "total", found.unit), where)
            for item in _ITEM.finditer(m.group("list") or ""):
                found.put(item.group("src"), "budget", _amount(item, "amt", found.unit), where)
            for change in clauses(m.group("changes") or ""):
                change = change.rstrip("，")
                if c := _CHANGE.match(change):
                    sign = 1 if c.group("verb") == "调增" else -1
                    found.put(
                        c.group("src"), "adjustment", sign * _amount(c, "amt", found.unit), where
                    )
                elif c := _CLEARING.match(change):
                    sign = 1 if c.group("verb") == "补拨" else -1
                    found.put(
                        c.group("src"), "clearing", sign * _amount(c, "amt", found.unit), where
                    )
        elif m := _USED.match(sentence):
            matched = True
            _own_used(m, where, found)
        elif m := next((p.match(sentence) for p in _as_a_whole()[0] if p.match(sentence)), None):
            matched = True
            _own_used_as_a_whole(m, where, found)
    return matched


def _own_used_as_a_whole(m: re.Match[str], where: str, found: _Collected) -> None:
    """「年中调整预算后应到位A，实际到位B，到位率R（其中X到位C，为其调整前预算的S；…）」."""
    unit = found.unit
    adjusted = _amount(m, "调整后预算", unit)
    found.adjusted_total = Found(adjusted, where, sure=False)
    _per_source(
        m.group("rlist"), "到位", "arrived", _amount(m, "到位", unit), adjusted, where, found
    )
    if m.group("spent") is not None:
        spent = _amount(m, "spent", unit)
        _per_source(m.group("slist"), "执行", "spent", spent, adjusted, where, found)


def _per_source(
    listed: str | None,
    verb: str,
    name: str,
    total: Decimal,
    adjusted: Decimal,
    where: str,
    found: _Collected,
) -> None:
    """Each source's amount from 「X到位C，为其调整前预算的S」; when no source is listed
    (all at the fund's rate), each source's share of ``total`` by its budget."""
    if listed is None:
        for source, row in found.rows.items():
            budget = row.budget.value if row.budget is not None else Decimal(0)
            share = total if len(found.rows) == 1 else round_half_up(budget * total / adjusted)
            found.put(source, name, strip_zeros(share), where)
        return
    items = _as_a_whole()[1]
    for part in listed.split("；"):
        item = next((i.match(part) for i in items if i.match(part)), None)
        if item is not None and item.group("动词") == verb:
            found.put(item.group("来源"), name, _amount(item, "金额", found.unit), where)


def _own_used(m: re.Match[str], where: str, found: _Collected) -> None:
    rows = list(found.rows.values())
    known = list(found.rows)
    if m.group("received") and len(rows) == 1:
        found.put(known[0], "arrived", _amount(m, "received", found.unit), where)
    for part in (m.group("rlist") or "").split("；"):
        if part.endswith("全部到位"):
            continue  # 到位数 defaults to the adjusted budget
        if r := re.fullmatch(rf"(?P<src>.+?)到位(?P<amt>{_A})，到位率{_RATE}", part):
            found.put(r.group("src"), "arrived", _amount(r, "amt", found.unit), where)
    if m.group("spent") is None:
        return  # the input gave no 执行数
    spent = _amount(m, "spent", found.unit)
    if len(rows) == 1:
        found.put(known[0], "spent", spent, where)
        return
    slist = m.group("slist")
    if slist is None:
        # No source differs from the total rate: each spent its share of the total.
        total = sum((_adjusted(r) for r in rows), Decimal(0))
        for source, row in found.rows.items():
            share = spent if total == 0 else round_half_up(_adjusted(row) * spent / total)
            found.put(source, "spent", strip_zeros(share), where)
        return
    for part in slist.split("；"):
        if part.endswith("执行率为100%"):
            for name in _names(part[: -len("执行率为100%")], known):
                if name in found.rows:
                    found.put(name, "spent", _adjusted(found.rows[name]), where)
        elif s := re.fullmatch(rf"(?P<src>.+?)执行(?P<amt>{_A})，执行率{_RATE}", part):
            found.put(s.group("src"), "spent", _amount(s, "amt", found.unit), where)


# --------------------------------------------------------------------------- other reports' sentences

#: Level words, longest first where they overlap; the canonical name the contract uses.
_LEVELS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"(?:中央|省级|市级|县级|区级)?(?:福彩|体彩|彩票)公益金"), None),  # as written
    (re.compile(r"中央(?:财政)?(?:及|和|、)省(?:级)?"), "中央及省级"),
    (re.compile(r"中央"), "中央财政"),
    (re.compile(r"省级|省本级|省财政(?!厅)"), "省级财政"),
    (re.compile(r"市县"), "市县财政"),
    (re.compile(r"市级|市本级|市财政(?!局)"), "市级财政"),
    (re.compile(r"县（区）级|区县|县区|县级|区级|县财政(?!局)"), "县级财政"),
    (re.compile(r"各级财政"), UNNAMED),
    (re.compile(r"上年结转|结转资金"), "上年结转"),
)
#: Which combined source is made of which levels (for a split the text also gives).
_COMBINED = {
    "中央及省级": ("中央财政", "省级财政"),
    "市县财政": ("市级财政", "县级财政"),
}

_ROLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"年初(?:部门)?预算数?"), "initial"),
    (re.compile(r"清算"), "clearing"),
    (re.compile(r"调增"), "adjustment+"),
    (re.compile(r"调减"), "adjustment-"),
    (re.compile(r"执行数?(?!率)|实际支出|实际使用"), "spent"),
    (re.compile(r"到位(?!率)(?:资金)?|实到|收入|实际下达|实际拨付"), "arrived"),
    (re.compile(r"预算数?(?!执行)|下达|安排|投入|配套|指标数|结转"), "budget"),
    (re.compile(r"合计|共计|总额|总计"), "total"),
    (re.compile(r"结余"), "balance"),
)
#: A sentence that distributes money to districts or units, not one that receives it.
_DISTRIBUTION = re.compile(r"分配|至各|向各|下达到|下达至|分给|安排情况")
#: Words before an amount that make it a comparison, a standard or an estimate.
_NOT_AN_AMOUNT = re.compile(
    r"人均|每人|标准|少|多于|减少|增加|差额|缺口|较上年|比上年|比年初|超过|节约|约|利息"
)


def _last(
    patterns: Iterable[tuple[re.Pattern[str], str | None]], text: str
) -> tuple[int, str] | None:
    """The mention that ends last in ``text`` (the longest of those ending there)."""
    best: tuple[int, int, str] | None = None
    for pattern, name in patterns:
        for m in pattern.finditer(text):
            key = (m.end(), m.end() - m.start(), name or m.group())
            if best is None or key[:2] > best[:2]:
                best = key
    return None if best is None else (best[0], best[2])


def _broken_down(sentence: str, unit: str) -> str:
    """「X万元（中央A万元、省级B万元）」 where A + B = X: drop X, keep the split."""

    def split(m: re.Match[str]) -> str:
        inner = [amount_in(a.group(1), a.group(2), unit) for a in AMOUNT.finditer(m.group(3))]
        outer = amount_in(m.group(1), m.group(2), unit)
        if len(inner) >= 2 and sum(inner, Decimal(0)) == outer:
            return "，" + m.group(3) + "，"
        return m.group(0)

    return re.sub(rf"{_A}（([^（）]*)）", split, sentence)


@dataclass
class _Sentence:
    """What the clauses read so far say: the level and the verb a later clause shares."""

    role: str | None = None
    source: str | None = None
    unnamed: Decimal | None = None
    """Several unnamed allocations of one sentence add up («下达A；下达B»)."""


def _other_sentences(text: str, where: str, found: _Collected) -> None:
    """Figures by verb and level; an amount needs one of them in its own clause.

    The other may come from an earlier clause of the sentence: «安排中央及省级资金A，
    市级资金B» (the verb carries), «中央财政下达…A，同步清算…B» (the level carries).
    """
    text = re.sub(
        r"（(?:含|均为|其中含)[^（）]*）|（[^（）]*分配[^（）]*）", "", strip_titles(text)
    )
    for sentence in sentences(text):
        if _DISTRIBUTION.search(sentence) or "标准" in sentence:
            continue  # money handed on to districts; per-person standards
        state = _Sentence()
        for clause in clauses(_broken_down(sentence, found.unit)):
            _clause(clause, state, where, found)


def _clause(clause: str, state: _Sentence, where: str, found: _Collected) -> None:
    start = 0
    amounts = list(AMOUNT.finditer(clause))
    for m in amounts:
        prefix = clause[start : m.start()]
        start = m.end()
        level = _last(_LEVELS, prefix)
        verb = _last(_ROLES, prefix)
        if level is None and verb is None:
            continue
        if level is not None:
            state.source = level[1]
        if verb is not None:
            state.role = "initial" if verb[1] == "budget" and "年初" in prefix else verb[1]
        role, source = state.role, state.source
        if role is None or not _is_money(prefix, clause[m.end() : m.end() + 2], role):
            continue
        value = amount_in(m.group(1), m.group(2), found.unit)
        if role == "budget" and source is None and state.unnamed is not None:
            state.unnamed += value
            if not found.complete:
                found.row(UNNAMED, where, False).budget = Found(state.unnamed, where, sure=False)
            continue
        if role == "budget" and source is None:
            state.unnamed = value
        _put_role(found, source or UNNAMED, role, value, where, sure_name=source is not None)
        if source == "上年结转":
            state.source = None  # a carry-over is money, not a level the next clause shares
    if amounts or "%" in clause:
        return  # a rate («完成预算的96.58%») leads nothing
    # A level or verb named in a clause without an amount leads the next clause.
    if (level := _last(_LEVELS, clause)) is not None:
        state.source = level[1]
    if (verb := _last(_ROLES, clause)) is not None and verb[1] not in ("total", "balance"):
        state.role = verb[1]


def _is_money(prefix: str, after: str, role: str) -> bool:
    """An amount the source received or spent, not a standard, comparison or total."""
    if _NOT_AN_AMOUNT.search(prefix) or after.startswith(("/人", "／人")):
        return False
    if "基金" in prefix and "资金" not in prefix.split("基金")[-1]:
        return False  # the insurance fund's own income and spending
    return role not in ("total", "balance")


def _put_role(
    found: _Collected, name: str, role: str, value: Decimal, where: str, *, sure_name: bool
) -> None:
    if role == "initial":
        found.initial.append(Found(value, where, sure=False))
        found.put(name, "initial", value, where, sure_name=sure_name)
    elif role.startswith("adjustment"):
        found.put(
            name, "adjustment", value if role.endswith("+") else -value, where, sure_name=sure_name
        )
    elif role == "clearing":
        found.put(name, "clearing", value, where, sure_name=sure_name)
        found.unsigned_clearing.add(name)
    else:
        found.put(name, role, value, where, sure_name=sure_name)


def _settle_clearing(found: _Collected) -> None:
    """「同步清算…0.02亿元」 says no sign: the arithmetic with 实际下达 does."""
    for name in found.unsigned_clearing:
        row = found.rows[name]
        if row.clearing is None:
            continue
        size = row.clearing.value
        budget = row.budget.value if row.budget else None
        arrived = row.arrived.value if row.arrived else None
        if budget is not None and arrived is not None and budget + size == arrived:
            continue
        row.clearing = replace(row.clearing, value=-size, note="扣回（按实际下达数推算）")


def _settle_combined(found: _Collected) -> None:
    """A combined source beside its own split is a sum, not more money."""
    rows = found.rows
    for combined, parts in _COMBINED.items():
        row = rows.get(combined)
        if row is None:
            continue
        members = [rows[p] for p in parts if p in rows]
        if not members:
            continue
        whole = True
        for name in ("budget", "arrived", "spent"):
            mine: Found[Decimal] | None = getattr(row, name)
            if mine is None:
                continue
            values = [getattr(m, name) for m in members]
            given = [v.value for v in values if v is not None]
            if len(given) < len(values):
                whole = False
            elif sum(given, Decimal(0)) == mine.value:
                continue
            elif name == "budget" and len(members) == len(parts) - 1:
                missing = next(p for p in parts if p not in rows)
                derived = found.row(missing, mine.where, False)
                derived.budget = Found(
                    mine.value - sum(given, Decimal(0)),
                    mine.where,
                    sure=False,
                    note=f"由{combined}{format_amount(mine.value, found.unit)}减去其余级次推算",
                )
            else:
                whole = False
        if whole:
            del rows[combined]
    _settle_unnamed(found)


def _settle_unnamed(found: _Collected) -> None:
    """A figure naming no level: the one named source's, or the total of several."""
    row = found.rows.get(UNNAMED)
    if row is None or row.source.sure:
        return
    named = [(n, r) for n, r in found.rows.items() if n != UNNAMED and "结转" not in n]
    if not named:
        return
    del found.rows[UNNAMED]
    for name in _FIELDS:
        mine: Found[Decimal] | None = getattr(row, name)
        if mine is None:
            continue
        if len(named) == 1:
            source, only = named[0]
            if getattr(only, name) is None:
                setattr(only, name, mine)
                continue
            found.put(source, name, mine.value, mine.where)
            continue
        values = [getattr(r, name) for n, r in found.rows.items()]
        total = sum((v.value for v in values if v is not None), Decimal(0))
        if total != mine.value:
            found.conflicts.append(
                f"{_FIELD_NAMES[name]}合计：{mine.where}为{format_amount(mine.value, found.unit)}，"
                f"各来源合计为{format_amount(total, found.unit)}"
            )


def _text_money(blocks: Sequence[Block], unit: str) -> _Collected:
    found = _Collected(unit)
    paragraphs = [b for b in blocks if isinstance(b, Paragraph) and AMOUNT.search(fold(b.text))]
    others = [p for p in paragraphs if not _own_sentences(p.text, p.where, found)]
    found.complete = bool(found.rows)
    for paragraph in others:
        _other_sentences(paragraph.text, paragraph.where, found)
    _settle_clearing(found)
    _settle_combined(found)
    return found


# --------------------------------------------------------------------------- the form


@dataclass(frozen=True)
class _FormRow:
    """One row of a 自评表 money block: its label and figures, in the report's unit."""

    label: str
    where: str
    figures: dict[str, Decimal]


@dataclass(frozen=True)
class _Form:
    kind: str
    """``transfer`` (中央财政资金 · 地方资金 · 其他资金) or ``project`` (当年财政拨款 · …)."""
    total: _FormRow | None
    groups: list[_FormRow]


_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
_UNIT_IN_LABEL = re.compile(r"（(亿元|万元|元)）")


def _columns(header: Sequence[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for c, cell in enumerate(header):
        text = label(cell)
        name = (
            "initial"
            if "年初预算" in text
            else "budget"
            if "预算数" in text
            else "spent"
            if "执行数" in text
            else "arrived"
            if "到位数" in text
            else None
        )
        if name is not None and name not in columns:
            columns[name] = c
    return columns


def _form(table: Table, unit: str) -> _Form | None:
    rows = [[label(c) for c in row] for row in table.rows]
    at = next((r for r, row in enumerate(rows) if any(c.endswith("资金总额") for c in row)), None)
    if at is None:
        return None
    header_at = next((r for r in range(at, -1, -1) if _columns(rows[r]) and r != at), None)
    if header_at is None:
        return None
    columns = _columns(rows[header_at])
    first_value = min(columns.values())
    block = rows[header_at][0]
    written = next(
        (
            m.group(1)
            for cell in (*rows[header_at], *rows[at])
            if (m := _UNIT_IN_LABEL.search(cell))
        ),
        unit,
    )
    total: _FormRow | None = None
    groups: list[_FormRow] = []
    for r in range(at, len(rows)):
        row = rows[r]
        if block and row[0] != block and r > at:
            break
        names = [c for c in row[:first_value] if c and c != block]
        if not names:
            continue
        name = names[-1].removeprefix("其中：").removeprefix("其中")
        figures = {
            key: amount_in(row[c].replace(",", ""), written, unit)
            for key, c in columns.items()
            if c < len(row) and _NUMBER.match(row[c])
        }
        form_row = _FormRow(name, table.row_where(r), figures)
        if name.endswith("资金总额"):
            total = form_row
        else:
            groups.append(form_row)
    kind = "project" if any("财政拨款" in g.label for g in groups) else "transfer"
    return _Form(kind, total, groups)


def source_group(source: str, kind: str) -> str:
    """The form row a 来源 falls in, by its words (as the forms genreport prints sort it)."""
    if kind == "project":
        if "结转" in source:
            return "上年结转资金"
        if "其他" in source:
            return "其他资金"
        return "当年财政拨款"
    if "中央" in source:
        return "中央财政资金"
    if "彩票" in source or "福彩" in source:
        return "彩票公益金"
    if "结转" in source or "其他" in source:
        return "其他资金"
    return "地方资金"


def _group_of_label(text: str) -> str:
    for word, group in (
        ("中央", "中央财政资金"),
        ("彩票", "彩票公益金"),
        ("财政拨款", "当年财政拨款"),
        ("结转", "上年结转资金"),
        ("其他", "其他资金"),
        ("地方", "地方资金"),
    ):
        if word in text:
            return group
    return text


#: A form row's group as a 来源 when the text gives no source for it.
_GROUP_SOURCE = {
    "中央财政资金": ("中央财政", True),
    "彩票公益金": ("彩票公益金", False),
    "地方资金": ("地方财政", False),
    "其他资金": ("其他资金", True),
    "当年财政拨款": ("当年财政拨款", False),
    "上年结转资金": ("上年结转", True),
}


def _confirm(found: _Collected, form: _Form) -> None:
    """Mark text figures the form agrees with; note where it disagrees; add what only it has."""
    unit = found.unit
    combined = [n for n in found.rows if n == UNNAMED]
    for group in form.groups:
        if not any(group.figures.values()):
            continue  # an empty group (no such money) or one printed as zeros
        key = _group_of_label(group.label)
        members = [
            (n, r)
            for n, r in found.rows.items()
            if n not in combined and source_group(n, form.kind) == key
        ]
        if not members:
            source, sure = _GROUP_SOURCE.get(key, (group.label, False))
            row = found.row(source, group.where, sure)
            for name in ("budget", "spent", "arrived"):
                if name in group.figures:
                    setattr(row, name, Found(group.figures[name], group.where))
            continue
        for name in ("budget", "spent", "arrived"):
            if name not in group.figures:
                continue
            table_value = group.figures[name]
            values: list[Found[Decimal] | None] = [getattr(r, name) for _, r in members]
            if name == "arrived" and all(v is None for v in values):
                continue
            if len(members) == 1 and values[0] is None:
                setattr(members[0][1], name, Found(table_value, group.where))
                continue
            given = [v for v in values if v is not None]
            total = sum((v.value for v in given), Decimal(0))
            if len(given) == len(values) and total == table_value:
                for _, r in members:
                    old = getattr(r, name)
                    setattr(r, name, replace(old, sure=True, where=f"{old.where}；{group.where}"))
            elif len(given) == len(values):
                names = "、".join(n for n, _ in members)
                found.conflicts.append(
                    f"{group.label}{_FIELD_NAMES[name]}：{group.where}为{format_amount(table_value, unit)}，"
                    f"正文中{names}合计为{format_amount(total, unit)}"
                )
    if form.total is not None:
        _confirm_total(found, form.total)


def _confirm_total(found: _Collected, total: _FormRow) -> None:
    unit = found.unit
    initial = total.figures.get("initial")
    if initial is not None:
        said = [f for f in found.initial if f.value != initial]
        for f in said:
            found.conflicts.append(
                f"年初预算数：{total.where}为{format_amount(initial, unit)}，"
                f"{f.where}为{format_amount(f.value, unit)}"
            )
        found.initial = [Found(initial, total.where)]
    rows = list(found.rows.values())
    for name in ("budget", "spent"):
        if name not in total.figures or not rows:
            continue
        values = [getattr(r, name) for r in rows]
        if any(v is None for v in values):
            continue
        text_total = sum((v.value for v in values), Decimal(0))
        stated = found.adjusted_total
        if name == "budget" and stated is not None:
            # The form's 全年预算数 is the adjusted total the text states, not the rows' sum.
            if stated.value == total.figures[name]:
                found.adjusted_total = replace(
                    stated, sure=True, where=f"{stated.where}；{total.where}"
                )
                continue
            text_total = stated.value
        if text_total != total.figures[name]:
            found.conflicts.append(
                f"年度资金总额{_FIELD_NAMES[name]}：{total.where}为"
                f"{format_amount(total.figures[name], unit)}，各来源合计为{format_amount(text_total, unit)}"
            )


_DUE = re.compile(r"应到位(?:资金)?\s*" + AMOUNT.pattern)


def _stated_due(blocks: Sequence[Block], found: _Collected, unit: str) -> Found[Decimal] | None:
    """«财政补助资金应到位38026万元»: the budget the year closed on, when it is not the sum
    of the sources' budgets and every source states what arrived (seed 003) — a guess."""
    rows = list(found.rows.values())
    if not rows or any(r.budget is None or r.arrived is None for r in rows):
        return None
    budgets = sum((r.budget.value for r in rows if r.budget is not None), Decimal(0))
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        match = _DUE.search(fold(block.text))
        if match:
            due = amount_in(match[1], match[2], unit)
            if due != budgets and due > 0:
                return Found(due, block.where, sure=False, note="原报告所写应到位数（调整后预算）")
    return None


def find_money(part: ReportPart, unit: str) -> MoneyFindings:
    """Every source's figures in ``unit`` (元, 万元 or 亿元), with the form/text conflicts."""
    if unit not in MONEY_UNITS:
        raise ValueError(f"unknown money unit {unit!r}")
    found = _text_money(part.blocks, unit)
    for block in part.blocks:
        if isinstance(block, Table) and (form := _form(block, unit)) is not None:
            _confirm(found, form)
            break
    if found.adjusted_total is None:
        found.adjusted_total = _stated_due(part.blocks, found, unit)
    initial: Found[Decimal] | None = None
    distinct = {f.value for f in found.initial}
    if len(distinct) == 1:
        initial = found.initial[0]
    return MoneyFindings(
        list(found.rows.values()), unit, initial, found.conflicts, found.adjusted_total
    )
