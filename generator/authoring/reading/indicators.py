"""The indicators of one report: the 自评表's rows first, then lists and sentences.

A 自评表 is read by its header's names, never by position, so our two forms and other
provinces' layouts (标准值, 权重, «项目决策 (20分)») read alike; a ragged row of a
flattened table (a merged cell written once) is right-aligned, its empty cells meaning
"as above". Without a table, the text gives the indicators (:mod:`indicator_text`: target
lists, goals in words, one analysis heading per indicator); with one, the text's lists
only fill its gaps. Sentences give actuals the table lacks («参保人数707568人»).
Everything not read from a table cell is a guess (``sure=False``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.authoring.reading.blocks import Block, Found, Paragraph, Table
from generator.authoring.reading.indicator_text import (
    FIGURE_UNIT,
    ITEM_MARK,
    NUMBER,
    QUANTITY,
    clean,
    indicator_name,
    listed_targets,
    text_indicators,
)
from generator.authoring.reading.model import IndicatorRow, ReportPart
from generator.authoring.reading.scan import fold, label, sentences
from generator.core.bookmarks import note_key
from generator.core.vocabulary import RATINGS

__all__ = ["find_indicators", "split_deviation"]

_GROUP_WEIGHT = re.compile(r"^(?P<name>.+?)\s*[（(](?P<w>\d+(?:\.\d+)?)分[）)]$")
_PREVIOUS = re.compile(r"^(?P<actual>.+?)（上年(?P<previous>[^（）]+)）$")


# --------------------------------------------------------------------------- helpers


def _decimal(text: str) -> Decimal | None:
    text = label(text)
    return Decimal(text.replace(",", "")) if re.fullmatch(r"-?\d[\d,]*(?:\.\d+)?", text) else None


def _key(name: str) -> str:
    """Names compared the way a reader sees them (blanks and bracket widths aside)."""
    return label(indicator_name(name))


def split_deviation(cell: str, texts: Sequence[str]) -> tuple[Found[str], Found[str] | None] | None:
    """A 未完成原因和改进措施 cell as genreport prints it («原因；措施。») split in two.

    The split the analysis text confirms (it prints each as its own sentence) wins;
    otherwise the first «；», a guess when there are several.
    """
    body = clean(cell).rstrip("。")
    if not body:
        return None
    cuts = [i for i, ch in enumerate(body) if ch == "；"]
    joined = "\n".join(texts)
    for cut in cuts:
        reason, measure = body[:cut], body[cut + 1 :]
        if f"{reason}。" in joined and f"{measure}。" in joined:
            return Found(f"{reason}。", ""), Found(f"{measure}。", "")
    if not cuts:
        return Found(f"{body}。", ""), None
    sure = len(cuts) == 1
    return (
        Found(f"{body[: cuts[0]]}。", "", sure),
        Found(f"{body[cuts[0] + 1 :]}。", "", sure),
    )


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class _Header:
    row: int
    columns: dict[str, int]


_COLUMN_TESTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("level1", ("一级指标",), ()),
    ("level2", ("二级指标",), ()),
    ("name", ("三级指标", "指标名称"), ()),
    ("actual", ("完成值", "实际完成", "完成情况"), ()),
    ("target", ("指标值", "标准值", "目标值"), ("完成",)),
    ("weight", ("分值", "权重"), ()),
    ("score", ("得分",), ()),
    ("deviation", ("原因", "偏差"), ()),
    ("measures", ("改进措施",), ("原因",)),
)


def _header(table: Table) -> _Header | None:
    for r, row in enumerate(table.rows):
        columns: dict[str, int] = {}
        for c, cell in enumerate(row):
            text = label(cell)
            for key, words, unless in _COLUMN_TESTS:
                if key in columns or not any(w in text for w in words):
                    continue
                if any(w in text for w in unless):
                    continue
                columns[key] = c
                break
        if "name" in columns and "target" in columns:
            return _Header(r, columns)
    return None


def _cell(row: Sequence[str], columns: dict[str, int], key: str) -> str:
    c = columns.get(key)
    return clean(row[c]) if c is not None and c < len(row) else ""


def _table_rows(table: Table, header: _Header, texts: Sequence[str]) -> list[IndicatorRow]:
    columns = header.columns
    width = len(table.rows[header.row])
    found: list[IndicatorRow] = []
    level1 = level2 = ""
    group_weight: Decimal | None = None
    for r in range(header.row + 1, len(table.rows)):
        raw = table.rows[r]
        row = ("",) * (width - len(raw)) + tuple(raw) if len(raw) < width else tuple(raw)
        where = table.row_where(r)
        first = label(row[0]) if row else ""
        if first.startswith(("总分", "合计")):
            break
        name = indicator_name(_cell(row, columns, "name"))
        if not name:
            continue
        new1 = _cell(row, columns, "level1")
        if new1:
            m = _GROUP_WEIGHT.match(new1)
            group_weight = Decimal(m.group("w")) if m else None
            new1 = m.group("name") if m else new1
            if new1 != level1:
                level1, level2 = new1, ""
        new2 = _cell(row, columns, "level2")
        if "level2" in columns and (new2 or new1):
            level2 = new2
        item = IndicatorRow(name=Found(name, where), where=where)
        if level1:
            item.level1 = Found(level1, where)
            if group_weight is not None:
                item.group_weight = Found(group_weight, where)
        if level2:
            item.level2 = Found(level2, where)
        if target := _cell(row, columns, "target"):
            # The contract takes a target as written; a blank after a number is layout.
            item.target = Found(re.sub(r"(?<=\d)\s+", "", target), where)
        _actual_cell(item, _cell(row, columns, "actual"), where)
        if (weight := _decimal(_cell(row, columns, "weight"))) is not None:
            item.weight = Found(weight, where)
        if (score := _decimal(_cell(row, columns, "score"))) is not None:
            item.score = Found(score, where)
        _deviation_cells(item, row, columns, where, texts)
        found.append(item)
    return found


def _actual_cell(item: IndicatorRow, actual: str, where: str) -> None:
    if not actual:
        return
    if actual == "不适用":
        item.not_applicable = Found(True, where)
        return
    if actual in RATINGS:
        item.rating = Found(actual, where)
        item.kind = Found("定性", where)
        return
    if m := _PREVIOUS.match(actual):
        actual = m.group("actual")
        item.previous = Found(m.group("previous"), where)
    item.actual = Found(actual, where)


def _deviation_cells(
    item: IndicatorRow,
    row: Sequence[str],
    columns: dict[str, int],
    where: str,
    texts: Sequence[str],
) -> None:
    deviation = _cell(row, columns, "deviation")
    measures = _cell(row, columns, "measures")
    if measures and "measures" in columns and columns.get("deviation") != columns["measures"]:
        if deviation:
            item.reason = Found(deviation, where)
        item.measure = Found(measures, where)
        return
    split = split_deviation(deviation, texts) if deviation else None
    if split is not None:
        reason, measure = split
        item.reason = Found(reason.value, where, reason.sure)
        if measure is not None:
            item.measure = Found(measure.value, where, measure.sure)


def _budget_row(table: Table) -> IndicatorRow | None:
    """The 项目支出 form prints 预算执行率's 分值 and 得分 in its money block."""
    rows = [[label(c) for c in row] for row in table.rows]
    for r, row in enumerate(rows):
        if "分值" in row and "得分" in row and "执行率" in row:
            columns = {k: row.index(k) for k in ("分值", "得分", "执行率")}
            for s in range(r + 1, len(rows)):
                if any(c.endswith("资金总额") for c in rows[s]):
                    weight = _decimal(rows[s][columns["分值"]])
                    if weight is None:
                        return None
                    where = table.row_where(s)
                    item = IndicatorRow(name=Found("预算执行率", where), where=where)
                    item.level1 = Found("预算执行", where)
                    item.weight = Found(weight, where)
                    item.actual = Found(rows[s][columns["执行率"]], where)
                    if (score := _decimal(rows[s][columns["得分"]])) is not None:
                        item.score = Found(score, where)
                    return item
    return None


# --------------------------------------------------------------------------- sentences


def _actual_in_text(
    name: str, paragraphs: Sequence[Paragraph], target: Found[str] | None
) -> Found[str] | None:
    """A figure a sentence states for ``name``, in the target's unit.

    A per-person rate («580元/人») keeps its «/人» only when the target has it.
    """
    skip = target.where if target is not None else None
    pattern = re.compile(
        rf"{re.escape(name)}.{{0,2}}?(?:为|达到|达|是)?(?P<value>{NUMBER}{FIGURE_UNIT})"
    )
    for paragraph in paragraphs:
        if paragraph.where == skip:
            continue  # the list that gave the target
        for sentence in sentences(paragraph.text):
            if ITEM_MARK.match(sentence) and len(sentence) <= 25:
                continue  # a heading restating the target
            if m := pattern.search(sentence):
                value, per = m.group("value"), m.group("per")
                if per and (target is None or per not in target.value):
                    value = value[: -len(per)]
                return Found(value, paragraph.where, sure=False)
    return None


def _rating_in_text(name: str, paragraphs: Sequence[Paragraph]) -> Found[str] | None:
    pattern = re.compile(rf"{re.escape(name)}[^。]*?(?:评为|为)“(?P<rating>部分达成|未达成|达成)”")
    for paragraph in paragraphs:
        if m := pattern.search(paragraph.text):
            return Found(m.group("rating"), paragraph.where, sure=False)
    return None


def _notes(item: IndicatorRow, paragraphs: Sequence[Paragraph]) -> None:
    name = item.name.value
    keys = {name, note_key(name)}
    own = [p for p in paragraphs if p.note_of is not None and p.note_of in keys]
    if own:
        item.note = Found("\n".join(p.own_text or p.text for p in own), own[0].where)


def _settle(item: IndicatorRow, paragraphs: Sequence[Paragraph], ours: bool) -> None:
    """What the table left open: the 说明, an actual or rating from the text.

    In a report genreport wrote (``ours``) the form prints every actual and 评级 the
    input had, so an empty cell stays empty (a guessed 评级 would add a sentence the
    report never said).
    """
    _notes(item, paragraphs)
    if item.not_applicable is not None:
        return
    if item.actual is None and item.rating is None and not ours:
        item.actual = _actual_in_text(item.name.value, paragraphs, item.target)
    text_actual = item.actual is not None and not QUANTITY.match(
        fold(item.actual.value).replace(" ", "")
    )
    if item.rating is None and item.target is not None and text_actual:
        _qualitative_rating(item, paragraphs, guess=not ours)


def _qualitative_rating(item: IndicatorRow, paragraphs: Sequence[Paragraph], guess: bool) -> None:
    """An actual written as text: a qualitative indicator; its 评级 by score or text."""
    where = item.where
    item.kind = Found("定性", where, sure=False)
    if not guess:
        return
    if item.score is not None and item.weight is not None and item.weight.value:
        share = item.score.value / item.weight.value
        rating = "达成" if share >= 1 else "未达成" if share == 0 else "部分达成"
        item.rating = Found(rating, where, sure=share >= 1)
        return
    said = _rating_in_text(item.name.value, paragraphs)
    if said is not None:
        item.rating = said
    elif item.reason is None:
        item.rating = Found("达成", where, sure=False, note="表中无评级，未写偏差原因")


def _merge(rows: list[IndicatorRow], extra: Iterable[IndicatorRow], *, add: bool) -> None:
    """Fill rows from list items of the same name; keep new names only when ``add``."""
    by_key = {_key(r.name.value): r for r in rows}
    for item in extra:
        row = by_key.get(_key(item.name.value))
        if row is None:
            if add:
                rows.append(item)
                by_key[_key(item.name.value)] = item
            continue
        if row.target is None:
            row.target = item.target
        if row.level2 is None and item.level2 is not None:
            row.level2 = item.level2


def find_indicators(part: ReportPart) -> list[IndicatorRow]:
    """Every indicator the report gives, in its order, with where each value came from."""
    blocks: Sequence[Block] = part.blocks
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    texts = [p.text for p in paragraphs]
    rows: list[IndicatorRow] = []
    budget: IndicatorRow | None = None
    for block in blocks:
        if not isinstance(block, Table):
            continue
        if budget is None:
            budget = _budget_row(block)
        header = _header(block)
        if header is not None:
            rows.extend(_table_rows(block, header, texts))
    if budget is not None and not any(_key(r.name.value) == "预算执行率" for r in rows):
        rows.insert(0, budget)
    if rows:
        _merge(rows, listed_targets(paragraphs), add=False)
    else:
        _merge(rows, text_indicators(paragraphs), add=True)
    ours = any(p.slot is not None or p.note_of is not None for p in paragraphs)
    for row in rows:
        _settle(row, paragraphs, ours)
    return rows
