"""Indicators a report gives in its text rather than in a 自评表.

Two places hold them. The 绩效目标 part lists targets: «1.预算执行率：≥90%；»,
«数量指标：…40000人次。», «（1）参保人数67.5万人；（2）…», or goals in words
(«救助对象人数应助尽助。», «有效缓解参保群众医疗费用负担。»). The 绩效指标完成情况
analysis gives one numbered heading per indicator, grouped or not under 二级 headings
(«1.数量指标» › «(1)基本医保参保率。…»); the paragraphs under such a heading are its
说明. An analysis heading and a goal name the same indicator when their words mostly
agree; the heading's wording then names it (it is the form's 三级指标).

Rules a reader follows here (each value is a guess, ``sure=False``):

- a figure after a comparator word is written in the contract's syntax: «达到80%» and
  «达85%以上» read «≥80%», «≥85%»; a bare figure stays as written («67.5万人»);
- a goal in words is split into the indicator and its target as issued, the target
  being the standard phrase that states the expected result («应助尽助», «全覆盖»,
  «成效明显», a leading «有效缓解», «持续提升», «按要求完成»); such an indicator is
  定性 and keeps its target text unchanged;
- under an analysis heading, a figure stated for the same quantity («参保率达100.95%»
  under «基本医保参保率») is its 完成值 when bare, its target when it carries a
  comparator («运行率达90%以上»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.authoring.reading.blocks import Found, Paragraph
from generator.authoring.reading.headings import parse_heading
from generator.authoring.reading.model import IndicatorRow
from generator.authoring.reading.scan import fold, label, sentences

__all__ = [
    "FIGURE_UNIT",
    "ITEM_MARK",
    "NUMBER",
    "QUANTITY",
    "clean",
    "indicator_name",
    "listed_targets",
    "target_text",
    "text_indicators",
]

NUMBER = r"\d[\d,]*(?:\.\d+)?"
_PER = r"(?:/人·年|/人/年|/人)?"
_UNIT = rf"(?:万|亿)?(?:%|‰|[^\d\s%，。；、：（）()/]{{0,4}}?){_PER}"
#: A target or actual as the contract writes it: comparator, number(s), unit.
QUANTITY = re.compile(rf"^(?:[≥≤><=＞＜＝]=?)?{NUMBER}(?:\s*[-～~至]\s*{NUMBER})?\s*{_UNIT}$")
#: The units a figure in a sentence carries (a bare number is not an actual); a
#: per-person rate («元/人·年») is the group ``per``.
FIGURE_UNIT = r"(?:万|亿)?(?:%|‰|个月|万人|人次|人|元(?P<per>/人·年|/人/年|/人)?|次|篇|家|分钟|个工作日|日|天|个|项|批)"
_UNIT_SUFFIX = re.compile(r"\s*[（(](?:人|元|%|月|人次|个|家|天|日|篇|次|万人|万元)[）)]$")
#: Words before a number that say how it compares (达到80% reads ≥80%).
_LEADS = (
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("达到", "≥"),
    ("大于等于", "≥"),
    ("不高于", "≤"),
    ("不超过", "≤"),
    ("小于等于", "≤"),
    ("小于", "<"),
    ("低于", "<"),
    ("大于", ">"),
    ("高于", ">"),
    ("达", "≥"),
    ("为", ""),
)
_TRAILS = (("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"))
_LEVEL2_WORDS = (
    r"数量指标|质量指标|时效指标|实效指标|成本指标|社会效益指标|经济效益指标"
    r"|生态效益指标|可持续影响指标|服务对象满意度指标|服务对象满意度|满意度指标"
)
_LEVEL2 = re.compile(rf"^(?P<level2>{_LEVEL2_WORDS})[：:]")
ITEM_MARK = re.compile(r"(?:^|(?<=[；。，：\s]))(?:\d+[.、]|[（(]\d+[）)]|[①-⑳])\s*")

# A goal in words: the phrase that states the expected result, at the end or the start.
_DEGREE = r"(?:有效|明显|显著|进一步|逐步|稳步|持续|不断|普遍|全面)"
_CHANGE = r"(?:缓解|减轻|提高|提升|增强|改善|加强|降低|完善)"
_QUALITATIVE_TAIL = re.compile(
    rf"(?P<target>应助尽助|应保尽保|应救尽救|应享尽享|全覆盖|(?:成效|效果|作用)(?:明显|显著)"
    rf"|{_DEGREE}{_CHANGE})$"
)
_QUALITATIVE_HEAD = re.compile(
    rf"^(?P<target>(?:按[^，。；]{{0,6}}?要求)?(?:按时)?完成"
    rf"|{_DEGREE}(?:{_CHANGE}|开展|推行|推进|落实|实现))(?P<name>.{{2,}})$"
)
#: «三级医院按70%救助»: the share of a cost a rule pays.
_SHARE = re.compile(rf"^(?P<who>.{{2,30}}?)按(?P<share>{NUMBER}%)(?P<verb>救助|报销|补助|支付)$")


# --------------------------------------------------------------------------- helpers


def clean(text: str) -> str:
    """A cell or list text as the contract would hold it: one line, trimmed."""
    return re.sub(r"\s*\n\s*", "", text).strip()


def indicator_name(text: str) -> str:
    """An indicator's name without a unit in brackets («参保人数（人）»)."""
    return _UNIT_SUFFIX.sub("", clean(text)).strip()


def target_text(text: str) -> tuple[str, bool]:
    """A written target in the contract's syntax, and whether it was rewritten.

    «达到90%以上», «不低于70%», «1次及以上» read as «≥…»; anything else stays as written.
    """
    text = fold(clean(text)).replace(" ", "")
    body, comparator = text, ""
    for word, sign in _TRAILS:
        if body.endswith(word):
            body, comparator = body[: -len(word)], sign
            break
    for word, sign in _LEADS:
        if body.startswith(word):
            body, comparator = body[len(word) :], comparator or sign
            break
    if body != text and QUANTITY.match(body):
        return comparator + body, bool(comparator)
    return text, False


def _key(name: str) -> str:
    return label(indicator_name(name))


def _pairs(text: str) -> set[str]:
    """The character pairs of a name: what two wordings of one indicator share."""
    text = re.sub(r"[“”\"'（）()、，。的及和与对]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _likeness(a: str, b: str) -> float:
    """How much of the shorter name's wording the other repeats (0–1)."""
    pa, pb = _pairs(a), _pairs(b)
    if not pa or not pb:
        return 0.0
    return len(pa & pb) / min(len(pa), len(pb))


# --------------------------------------------------------------------------- one item


def _quantity_item(piece: str) -> tuple[str, str, bool] | None:
    """(name, target, sure) of «名称：指标值» or «名称≥90%»; None for anything else."""
    if m := re.fullmatch(r"(?P<name>[^：]{2,60})：(?P<target>.+)", piece):
        target, changed = target_text(m.group("target"))
        return indicator_name(m.group("name")), target, not changed
    if m := _SHARE.fullmatch(piece):
        return f"{m.group('who')}{m.group('verb')}比例", m.group("share"), False
    m = re.search(
        r"(?:不低于|不少于|达到|达|为|大于等于|不高于|不超过|小于|低于|大于|高于|[≥≤><=])?\d", piece
    )
    if m is None:
        return None
    name, rest = piece[: m.start()], piece[m.start() :]
    if name.endswith("的") and "为" in name:  # «救助比例为合规费用的70%»
        name = name[: name.index("为")]
    target, _ = target_text(rest)
    if (
        len(name) < 2
        or name.endswith(("的", "按", "为", "是", "和", "及"))
        or not QUANTITY.match(target)
    ):
        return None
    return indicator_name(name), target, False


def _qualitative_item(piece: str) -> tuple[str, str] | None:
    """(name, target) of a goal in words: «救助对象人数应助尽助», «有效缓解…负担»."""
    if (m := _QUALITATIVE_TAIL.search(piece)) and m.start() >= 2:
        return indicator_name(piece[: m.start()]), m.group("target")
    if m := _QUALITATIVE_HEAD.match(piece):
        return indicator_name(m.group("name")), m.group("target")
    return None


def _enumerated(piece: str) -> list[tuple[str, str]]:
    """«缴费标准一档280元、二档400元»: one target per figure, the name completed."""
    parts = piece.split("、")
    if len(parts) < 2 or not all(re.search(r"\d", p) for p in parts):
        return []
    read = [_quantity_item(p) for p in parts]
    if any(r is None for r in read):
        return []
    items = [(r[0], r[1]) for r in read if r is not None]
    first = items[0][0]
    found = [items[0]]
    for name, target in items[1:]:
        if len(name) <= 3 and first.endswith(name[-1]):
            name = first[: len(first) - len(name)] + name
        found.append((name, target))
    return found


def _read_piece(piece: str, words: bool) -> list[tuple[str, str, bool]]:
    """(name, target, quantity) of what one clause lists; ``words`` allows goals in words."""
    if (read := _quantity_item(piece)) is not None:
        return [(read[0], read[1], True)]
    if enumerated := _enumerated(piece):
        return [(name, target, True) for name, target in enumerated]
    if words and (said := _qualitative_item(piece)) is not None:
        return [(said[0], said[1], False)]
    return []


def _row(
    name: str, target: str | None, quantity: bool, where: str, level2: str | None
) -> IndicatorRow:
    row = IndicatorRow(name=Found(name, where, False), where=where)
    if target is not None:
        row.target = Found(target, where, False)
        if not quantity:
            row.kind = Found("定性", where, False)
    if level2:
        row.level2 = Found(level2, where, False)
    return row


# --------------------------------------------------------------------------- target lists


@dataclass(frozen=True)
class _Listing:
    paragraph: Paragraph
    text: str
    words: bool
    """Goals in words count here (a 绩效目标 part, not a stray numbered sentence)."""


_COLON_ITEM = re.compile(r"^(?:\d+[.、]|（\d+）|[①-⑳])\s*[^：。]{2,60}：")
_TARGET_HEADING = re.compile(r"绩效目标|绩效指标|具体指标")
_NOT_TARGETS = re.compile(r"完成|分析|评价|情况|总体")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_COMPARED = re.compile(r"[≥≤<>]|不低于|不少于|不高于|不超过|小于|低于|以上|以下|以内")
_GENERAL_GOAL = re.compile(r"^(?:\d+\s*[.、]|（\d+）)?\s*(?:年度)?总体(?:绩效)?目标")


def _target_paragraphs(paragraphs: Sequence[Paragraph], skip: set[int]) -> Iterable[_Listing]:
    """Paragraphs (or their first sentence) that list targets, not the analysis of actuals."""
    listing = False
    for n, paragraph in enumerate(paragraphs):
        text = fold(paragraph.text)
        if _HEADING.match(text):
            short = len(text) <= 20
            listing = bool(short and _TARGET_HEADING.search(text) and not _NOT_TARGETS.search(text))
            continue
        if n in skip or _GENERAL_GOAL.match(text):
            continue  # an analysis section, or the 总体目标 (not indicators)
        if _LEVEL2.match(text) or listing:
            yield _Listing(paragraph, text, True)
        elif _COLON_ITEM.match(text):
            yield _Listing(paragraph, text, False)
        elif re.search(r"具体(?:绩效)?(?:指标|目标)", text) and "（1）" in text:
            yield _Listing(paragraph, text[text.index("（1）") :], True)
        elif ITEM_MARK.match(text):
            first = sentences(text)[0]
            if _COMPARED.search(first):
                yield _Listing(paragraph, first, False)


def _pieces(text: str) -> Iterable[tuple[str | None, str, bool]]:
    """(二级 or None, clause, listed) for each clause of a paragraph's enumerated items.

    ``listed`` is whether the clause belongs to a numbered item or a «数量指标：» line,
    where a goal in words is an indicator (running text is not).
    """
    level2: str | None = None
    if m := _LEVEL2.match(text):
        level2 = m.group("level2")
        text = text[m.end() :]
    marks = list(ITEM_MARK.finditer(text))
    items: list[tuple[str, bool]] = []
    start = 0
    for mark in marks:
        if mark.start() > start:
            items.append((text[start : mark.start()], start > 0 or level2 is not None))
        start = mark.end()
    items.append((text[start:], bool(marks) or level2 is not None))
    for item, listed in items:
        for piece in re.split(r"[；。，]", item):
            if piece.strip():
                yield level2, piece.strip(), listed


def _listed(paragraphs: Sequence[Paragraph], skip: set[int]) -> list[IndicatorRow]:
    found: list[IndicatorRow] = []
    for listing in _target_paragraphs(paragraphs, skip):
        where = listing.paragraph.where
        for level2, piece, listed in _pieces(listing.text):
            for name, target, quantity in _read_piece(piece, listing.words and listed):
                found.append(_row(name, target, quantity, where, level2))
    return found


def listed_targets(paragraphs: Sequence[Paragraph]) -> list[IndicatorRow]:
    """The targets the text lists (to fill a 自评表's gaps): analysis sections aside."""
    return _listed(paragraphs, _analysis(paragraphs).inside)


# --------------------------------------------------------------------------- the analysis


_ANALYSIS_TITLE = re.compile(r"指标完成情况|指标分析|指标的完成")
_CATEGORY_TITLE = re.compile(
    r"^(?P<word>数量|质量|时效|实效|成本|社会效益|经济效益|生态效益|可持续影响|服务对象满意度|满意度)"
    r"(?:指标)?$"
)
#: Analysis headings that are parts of the evaluation, not single indicators.
_PART_TITLE = re.compile(
    r"决策|过程|资金|组织管理|财务|绩效目标|^(?:项目)?(?:产出|效益)(?:指标)?$|可持续性?$"
)


@dataclass
class _Analysed:
    """An indicator an analysis heading names, with the text under it."""

    row: IndicatorRow
    grouped: bool
    body: list[Paragraph] = field(default_factory=list)
    same_line: str = ""


@dataclass
class _Analysis:
    items: list[_Analysed] = field(default_factory=list)
    inside: set[int] = field(default_factory=set)
    """Indices of the paragraphs in an analysis section."""


@dataclass
class _Category:
    level: int
    level2: str
    has_body: bool


def _heading_item(title: str, where: str, category: _Category | None) -> _Analysed:
    level2 = category.level2 if category else None
    read = _read_piece(title, True)
    if len(read) == 1:
        name, target, quantity = read[0]
        row = _row(name, target, quantity, where, level2)
    else:
        row = _row(indicator_name(title), None, True, where, level2)
    return _Analysed(row, category is not None)


def _analysis(paragraphs: Sequence[Paragraph]) -> _Analysis:
    """The indicators the 绩效指标完成情况 sections name, one heading each."""
    found = _Analysis()
    level: int | None = None
    category: _Category | None = None
    current: _Analysed | None = None
    for n, paragraph in enumerate(paragraphs):
        line = parse_heading(paragraph)
        if line is not None and level is not None and line.heading.level <= level:
            level, category, current = None, None, None
        if level is None:
            title = line.heading.title if line is not None else ""
            if line is not None and _ANALYSIS_TITLE.search(title) and "总体" not in title:
                level = line.heading.level
            continue
        found.inside.add(n)
        if line is None:
            if current is not None:
                current.body.append(paragraph)
            elif category is not None and not category.has_body:
                _category_text(found, paragraph, category)
            continue
        heading = line.heading
        title = fold(heading.title)
        current = None
        if category is not None and heading.level <= category.level:
            category = None
        if m := _CATEGORY_TITLE.match(title):
            word = m.group("word")
            level2 = "服务对象满意度指标" if word == "满意度" else f"{word}指标"
            category = _Category(heading.level, level2, bool(line.body))
            continue
        if _PART_TITLE.search(title):
            category = None
            continue
        current = _heading_item(title, paragraph.where, category)
        current.same_line = line.body
        found.items.append(current)
    return found


def _category_text(found: _Analysis, paragraph: Paragraph, category: _Category) -> None:
    """Under a bare 二级 heading, a line that states an indicator and its target."""
    for _, piece, _ in _pieces(fold(paragraph.text)):
        for name, target, quantity in _read_piece(piece, True):
            row = _row(name, target, quantity, paragraph.where, category.level2)
            found.items.append(_Analysed(row, True))


def _terms(name: str) -> list[str]:
    """The name, and the word a sentence uses for the same quantity («参保率»)."""
    terms = [name]
    for tail, size in (("率", 3), ("比例", 4), ("人数", 4), ("人次", 4)):
        if name.endswith(tail) and len(name) > size:
            terms.append(name[-size:])
    return terms


def _figures(item: _Analysed) -> None:
    """A target or actual the text under the heading states for the same quantity."""
    row = item.row
    text = "。".join([item.same_line, *(p.text for p in item.body)])
    text = fold(text)
    for term in _terms(row.name.value):
        pattern = re.compile(
            rf"{re.escape(term)}[^，。；\d]{{0,3}}?"
            r"(?P<lead>不低于|不少于|不高于|不超过|小于|低于|大于|高于|达到|达|为|是|[≥≤<>])?"
            rf"(?P<value>{NUMBER}{FIGURE_UNIT})(?P<trail>及以上|以上|及以下|以下|以内|内)?"
        )
        for m in pattern.finditer(text):
            compared = m.group("trail") or m.group("lead") not in (None, "达到", "达", "为", "是")
            if compared and row.target is None:
                trail = "以内" if m.group("trail") == "内" else m.group("trail") or ""
                target, _ = target_text(f"{m.group('lead') or ''}{m.group('value')}{trail}")
                if QUANTITY.match(target):
                    row.target = Found(target, row.where, False)
            elif not compared and row.actual is None:
                row.actual = Found(m.group("value"), row.where, False)
        if row.actual is not None or row.target is not None:
            return


def _note(item: _Analysed) -> None:
    lines = [item.same_line] if item.same_line else []
    lines += [clean(p.text) for p in item.body if p.text.strip()]
    if lines:
        item.row.note = Found("\n".join(lines), item.row.where, False)


def _adopt(listed: IndicatorRow, item: _Analysed) -> None:
    """The analysis heading's name, text and figures for the goal it takes up."""
    row = item.row
    if _key(row.name.value) != _key(listed.name.value):
        listed.name = Found(row.name.value, row.where, False, f"原目标“{listed.name.value}”")
    listed.note = row.note
    for key in ("target", "actual", "level2", "kind"):
        if getattr(listed, key) is None and getattr(row, key) is not None:
            setattr(listed, key, getattr(row, key))


def _combine(listed: list[IndicatorRow], items: list[_Analysed]) -> list[IndicatorRow]:
    """Goals and analysis headings as one list: a heading takes up the goal it restates."""
    rows = list(listed)
    free = list(range(len(listed)))
    matched: set[int] = set()
    for i, item in enumerate(items):
        key = _key(item.row.name.value)
        exact = [j for j in free if _key(listed[j].name.value) == key]
        if exact:
            j = exact[0]
        else:
            scores = [(_likeness(item.row.name.value, listed[j].name.value), j) for j in free]
            best = max(scores, key=lambda s: (s[0], -s[1]), default=(0.0, -1))
            if best[0] < 0.5:
                continue
            j = best[1]
        _adopt(listed[j], item)
        free.remove(j)
        matched.add(i)
    loose = [i for i, item in enumerate(items) if not item.grouped]
    keep_loose = 2 * len(matched.intersection(loose)) >= len(loose)
    for i, item in enumerate(items):
        if i not in matched and (item.grouped or keep_loose):
            rows.append(item.row)
    return rows


def text_indicators(paragraphs: Sequence[Paragraph]) -> list[IndicatorRow]:
    """Every indicator the text gives, when the report has no 自评表: goals, then headings."""
    analysis = _analysis(paragraphs)
    for item in analysis.items:
        _note(item)
        _figures(item)
    return _combine(_listed(paragraphs, analysis.inside), analysis.items)
