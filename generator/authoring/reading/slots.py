"""Which outline a report follows, and which 叙述 slot each of its sections fills.

A section is placed by the words of its heading, the way our own outlines print the
slots (templates built by tools/build_templates.py): «（一）项目总体情况» is 项目概况,
«（二）过程管理» under the indicator analysis is 过程管理, and so on. A heading that
holds one slot takes its whole subtree there, sub-headings kept as numbered lines; a
heading that only groups others («二、绩效评价工作开展情况») sends its own text to a
default slot and places its children one by one. Under the indicator analysis, a
heading naming one indicator gives that indicator's 说明.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.authoring.reading.blocks import Found, Paragraph
from generator.authoring.reading.headings import clean_text, compact
from generator.authoring.reading.model import Placement, ReportPart, Route, Section
from generator.core.vocabulary import NARRATIVE_SLOTS, OUTLINES

__all__ = ["GOALS", "NOTE", "UNPLACED", "outline_of", "place_narrative"]

#: Route targets that are not 叙述 slots.
GOALS = "绩效目标"
NOTE = "指标说明"
UNPLACED = "待归类"

_LEAF, _CONTAINER, _ANALYSIS, _GROUP = "leaf", "container", "analysis", "group"


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    kind: str
    to: str


def _rule(pattern: str, kind: str, to: str) -> _Rule:
    assert to in NARRATIVE_SLOTS or to == GOALS, to
    return _Rule(re.compile(pattern), kind, to)


# First match wins: the more specific words come first («绩效自评结果拟应用» before «结果»).
_RULES: tuple[_Rule, ...] = (
    _rule(r"应用|公开", _LEAF, "结果应用"),
    _rule(r"其他需要说明|其他说明", _LEAF, "其他"),
    _rule(r"偏离绩效目标", _CONTAINER, "存在问题"),
    _rule(r"绩效目标分解下达", _CONTAINER, "资金安排"),
    _rule(r"总体绩效目标完成|总体目标完成|总体完成", _LEAF, "总体完成"),
    _rule(r"绩效指标完成情况|指标分析|指标完成情况", _ANALYSIS, "总体完成"),
    _rule(r"绩效目标完成情况|绩效情况分析", _CONTAINER, "总体完成"),
    _rule(r"(?:评价|自评)工作(?:开展)?情况|评价工作开展", _CONTAINER, "评价工作"),
    _rule(r"评价目的|评价对象|评价范围", _LEAF, "评价目的对象范围"),
    _rule(r"评价方法|评价等次|评分标准", _LEAF, "评价方法和等次"),
    _rule(r"指标体系", _LEAF, "指标体系"),
    _rule(r"工作过程|评价过程|组织实施", _LEAF, "评价工作"),
    _rule(r"绩效(?:评价|自评)结论", _CONTAINER, "评价结论"),
    _rule(r"评价得分|评价结论|评价结果|自评结果|自评得分|得分", _LEAF, "评价结论"),
    _rule(r"项目基本概况|基本情况|项目概况|目标任务", _CONTAINER, "项目概况"),
    _rule(r"职能|职责", _LEAF, "职能职责"),
    _rule(r"项目总体情况|项目背景|项目内容|主要内容|总体情况|项目情况", _LEAF, "项目概况"),
    _rule(r"资金管理", _LEAF, "资金管理"),
    _rule(r"资金投入", _CONTAINER, "资金安排"),
    _rule(r"资金|预算", _LEAF, "资金安排"),
    _rule(r"绩效目标|总体目标|绩效指标|目标", _LEAF, GOALS),
    _rule(r"存在|问题|不足|困难", _LEAF, "存在问题"),
    _rule(r"建议|改进|措施|下一步|整改", _LEAF, "改进措施"),
    _rule(r"决策", _LEAF, "项目决策"),
    _rule(r"过程管理", _LEAF, "过程管理"),
    _rule(r"产出|效益|满意度|可持续", _GROUP, "总体完成"),
)
# Under the indicator analysis: the 项目决策 and 过程管理 parts are slots of their own.
_ANALYSIS_RULES: tuple[_Rule, ...] = (
    _rule(r"决策|绩效目标|资金分配|立项", _LEAF, "项目决策"),
    _rule(r"过程|资金管理|组织管理|财务管理", _LEAF, "过程管理"),
)
#: An indicator group (一级 or 二级), not a single indicator.
_CATEGORY = re.compile(
    r"^(?:项目)?(?:产出|效益|满意度|数量|质量|时效|成本|社会效益|经济效益|生态效益"
    r"|可持续(?:性|影响)?|服务对象满意度|预算执行)(?:指标)?(?:完成情况)?(?:分析)?$"
)
_CATEGORY_WORD = re.compile(r"产出|效益|满意度|可持续")
_SCORE_NOTE = re.compile(r"[（(][^（）()]*分[^（）()]*[）)]")

_OUTLINE_WORDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    # outline, the headings only it has, the headings it shares with others
    ("转移支付", re.compile(r"绩效目标分解下达|偏离绩效目标的原因"), re.compile(r"绩效情况分析")),
    (
        "评价报告",
        re.compile(r"绩效评价工作开展情况|绩效评价结论|绩效评价指标分析"),
        re.compile(r"工作开展情况|(?:评价|自评)结论|有关建议|指标分析"),
    ),
    ("项目支出", re.compile(r"项目基本概况"), re.compile(r"部门职能职责|项目资金情况")),
)
assert {outline for outline, _, _ in _OUTLINE_WORDS} == set(OUTLINES)


def heading_words(section: Section) -> str:
    """A heading's title for matching: no blanks, no «（分值20分，得分20分）»."""
    return _SCORE_NOTE.sub("", compact(section.heading.title))


def _walk(sections: list[Section]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _walk(section.children)


def outline_of(sections: list[Section]) -> Found[str] | None:
    """The outline the headings follow; a guess (sure=False) from words it shares with others."""
    for strong in (True, False):
        hits: dict[str, Section] = {}
        for section in _walk(sections):
            words = heading_words(section)
            for outline, own, shared in _OUTLINE_WORDS:
                if outline not in hits and (own if strong else shared).search(words):
                    hits[outline] = section
        if hits:
            outline, section = next(iter(hits.items()))
            return Found(outline, section.where, sure=strong and len(hits) == 1)
    return None


def _where(section: Section, n: int | None = None) -> str:
    path = "".join(section.path)
    return path if n is None else f"{path}第{n}段"


class _Placer:
    """Collects a part's texts into a Placement, section by section."""

    def __init__(self) -> None:
        self.placement = Placement()
        self._table: list[Found[str]] = []

    def put(self, to: str, found: Found[str]) -> None:
        if to == GOALS:
            self.placement.goals.append(found)
        elif to == UNPLACED:
            self.placement.unplaced.append(found)
        else:
            self.placement.slots.setdefault(to, []).append(found)

    def route(self, section: Section, to: str, sure: bool = True) -> None:
        self.placement.routes.append(
            Route(_where(section), compact(section.heading.title), to, sure)
        )

    def paragraphs(self, section: Section, to: str, sure: bool = True) -> None:
        """A section's own paragraphs; lines of a table typed as text go to 待归类 as one."""
        for n, paragraph in enumerate(section.paragraphs, 1):
            self.text(paragraph, _where(section, n), to, sure)
        self.flush()

    def text(self, paragraph: Paragraph, where: str, to: str, sure: bool = True) -> None:
        text = clean_text(paragraph.text)
        if paragraph.text.startswith("\t"):
            self._table.append(Found(text, where))
            return
        self.flush()
        if to == "存在问题" and text.startswith("下一步"):
            to = "改进措施"
        self.put(to, Found(text, where, sure))

    def flush(self) -> None:
        """Consecutive table cells as one 待归类 text (the readers give tables as tables)."""
        if self._table:
            cells = " | ".join(found.value for found in self._table)
            self.put(UNPLACED, Found(cells, self._table[0].where, False, "表格文字"))
            self._table = []

    def subtree(self, section: Section, to: str, sure: bool = True, top: bool = True) -> None:
        """A section and all below it to one place, sub-headings as numbered lines."""
        if not top:
            heading = section.heading
            self.put(to, Found(f"{heading.number}{heading.title}", _where(section), sure))
        self.route(section, to, sure)
        self.paragraphs(section, to, sure)
        for child in section.children:
            self.subtree(child, to, sure, top=False)

    def note(self, section: Section) -> None:
        """One indicator's analysis, keyed by its heading's title."""
        collector = _Placer()
        collector.subtree(section, "其他")
        lines = [found.value for found in collector.placement.slots.get("其他", [])]
        self.placement.unplaced.extend(collector.placement.unplaced)
        title = compact(section.heading.title)
        if not lines:
            return self.route(section, NOTE)
        previous = self.placement.notes.get(title)
        text = "\n".join(([previous.value] if previous else []) + lines)
        self.placement.notes[title] = Found(text, _where(section))
        self.route(section, NOTE)

    # ---------------------------------------------------------------- the walk

    def section(self, section: Section, default: str | None, analysis: bool) -> None:
        words = heading_words(section)
        rules = (_ANALYSIS_RULES if analysis else ()) + _RULES
        rule = next((r for r in rules if r.pattern.search(words)), None)
        if analysis and (rule is None or rule.kind != _LEAF or rule.to not in _ANALYSIS_SLOTS):
            return self.analysis_item(section)
        if rule is None:
            return self.unknown(section, default)
        if rule.kind == _LEAF:
            return self.subtree(section, rule.to)
        if rule.kind == _GROUP:
            return self.group(section)
        self.route(section, rule.to)
        self.paragraphs(section, rule.to)
        for child in section.children:
            self.section(child, rule.to, rule.kind == _ANALYSIS)

    def analysis_item(self, section: Section) -> None:
        words = heading_words(section)
        if _CATEGORY.match(words) or (section.children and _CATEGORY_WORD.search(words)):
            return self.group(section)
        self.note(section)

    def group(self, section: Section) -> None:
        """An indicator group: its heading and own text to 总体完成, its items one by one."""
        heading = section.heading
        self.put("总体完成", Found(f"{heading.number}{heading.title}", _where(section)))
        self.route(section, "总体完成")
        self.paragraphs(section, "总体完成")
        for child in section.children:
            self.section(child, "总体完成", analysis=True)

    def unknown(self, section: Section, default: str | None) -> None:
        """A heading no rule knows: with its parent's slot (to check), else 待归类."""
        if default is None:
            return self.subtree(section, UNPLACED, sure=False, top=False)
        self.subtree(section, default, sure=False, top=False)


_ANALYSIS_SLOTS = {"项目决策", "过程管理"}


def _marked(part: ReportPart) -> Placement:
    """A report genreport wrote: only the paragraphs it marked as the user's own text.

    Read in document order, headings included: a sub-heading the user typed in a slot
    («（1）资金管理») is a heading of the report but a line of the slot.
    """
    wheres: dict[int, str] = {}
    for n, paragraph in enumerate(part.preamble, 1):
        wheres[id(paragraph)] = f"开头第{n}段"
    for section in _walk(part.sections):
        for n, paragraph in enumerate(section.paragraphs, 1):
            wheres[id(paragraph)] = _where(section, n)
    placer = _Placer()
    for block in part.blocks:
        if isinstance(block, Paragraph) and (block.slot or block.note_of):
            _take_marked(placer, block, wheres.get(id(block), block.where))
    return placer.placement


#: A heading number alone («（一）», «1.», «（1）», «一、»): printed outside the user's words.
_NUMBER_ONLY = re.compile(r"[（(]?[一二三四五六七八九十百\d]+[)）]?[、.．]?")


def _take_marked(placer: _Placer, paragraph: Paragraph, where: str) -> None:
    text = clean_text(paragraph.own_text or paragraph.text)
    if paragraph.slot and paragraph.own_text:
        # A sub-heading's number is printed outside the user's words («（1）» + «资金管理»);
        # the slot keeps the line as typed, number included.
        full = clean_text(paragraph.text)
        number = full[: len(full) - len(text)].strip()
        if full.endswith(text) and number and _NUMBER_ONLY.fullmatch(number):
            text = full
    if paragraph.slot:
        placer.put(paragraph.slot, Found(text, where))
    elif paragraph.note_of:
        previous = placer.placement.notes.get(paragraph.note_of)
        joined = f"{previous.value}\n{text}" if previous else text
        placer.placement.notes[paragraph.note_of] = Found(
            joined, previous.where if previous else where
        )


def place_narrative(part: ReportPart) -> Placement:
    """Each section's text in its 叙述 slot, with where it came from («二、（一）第2段»).

    The opening (开头) is written by genreport from the input, so the report's own
    opening goes to 待归类 with anything else no slot fits; nothing is dropped.
    """
    if part.made_by_genreport:
        return _marked(part)
    placer = _Placer()
    for n, paragraph in enumerate(part.preamble, 1):
        placer.text(paragraph, f"开头第{n}段", UNPLACED, sure=False)
    placer.flush()
    for section in part.sections:
        placer.section(section, None, analysis=False)
    return placer.placement
