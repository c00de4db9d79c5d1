"""The reports of a file, their header and their sections.

A volume binds several reports (three funds of one bureau); each starts with a title
block (an authority's name, «关于…», «…绩效自评报告», or a Word 'Title' paragraph) that
is followed by a heading numbered 一、 (or 1、). Between the title and the first heading
come the 主送 line and the opening; the 落款 (unit, date) and any attachment close it.
The narrative is placed by :mod:`slots`, the policy basis read by :mod:`policy`.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from generator.authoring.reading.blocks import Found, Paragraph, SourceDocument, Table
from generator.authoring.reading.header import (
    date_in,
    fund_name_in,
    fund_type_in,
    is_bare_unit,
    money_unit_of,
    unit_in,
    year_in,
)
from generator.authoring.reading.headings import HeadingLine, clean_text, compact, parse_heading
from generator.authoring.reading.model import Heading, ReportPart, Section
from generator.authoring.reading.policy import policy_documents
from generator.authoring.reading.slots import outline_of, place_narrative

__all__ = ["parse_heading", "place_narrative", "policy_documents", "split_reports"]

# Lines a web page puts around the text when a report is copied from a government site.
_DEBRIS_BEFORE = re.compile(
    r"链接|继续访问|是否继续|门户网站|当前位置|发布时间|浏览次数|打印本页|关闭窗口|分享到"
)
_DEBRIS_AFTER = re.compile(r"版权|稿件来源|联系方式|转载|ICP|主办单位|承办单位|网站标识码")
_TOC_LINE = re.compile(r"(?:\t|…{2,}|\.{3,}|·{3,})\s*\d+$")
_ANNEX = re.compile(r"^附件\s*\d*\s*(?:[：:]|$)")
_TITLE_STYLES = {"title", "标题"}
_TAIL_STYLES = {"落款", "附件", "附件说明", "表题"}
_END_PUNCTUATION = "。；;，,：:！？!?"
#: How far from a part's end its 落款 may stand (attachment lines and a form title after it).
_SIGNATURE_REACH = 15


@dataclass
class _Line:
    """A non-empty paragraph of the document, with its block index and heading reading."""

    index: int
    para: Paragraph
    text: str
    heading: HeadingLine | None
    after_table: bool = False
    """A table stands between this line and the previous one."""


@dataclass
class _Volume:
    """What the volume's own title and cover say, for reports whose title does not."""

    unit: Found[str] | None = None
    year: Found[int] | None = None
    date: Found[datetime.date] | None = None
    lines: list[_Line] = field(default_factory=list)


def _lines(doc: SourceDocument) -> list[_Line]:
    lines: list[_Line] = []
    table_since = False
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Table):
            table_since = True
            continue
        text = clean_text(block.text)
        if not text:
            continue
        lines.append(_Line(index, block, text, parse_heading(block), table_since))
        table_since = False
    return lines


def _drop_debris(lines: list[_Line]) -> list[_Line]:
    """Web-page lines before the report's first line and after its last."""
    start, end = 0, len(lines)
    while start < end and _DEBRIS_BEFORE.search(lines[start].text) and not lines[start].heading:
        start += 1
    while end > start and _DEBRIS_AFTER.search(lines[end - 1].text) and not lines[end - 1].heading:
        end -= 1
    return lines[start:end]


def _is_title_style(line: _Line) -> bool:
    return line.para.style.strip().lower() in _TITLE_STYLES


def _is_toc(line: _Line) -> bool:
    return bool(_TOC_LINE.search(line.para.text.rstrip())) or compact(line.text) == "目录"


def _title_candidate(line: _Line) -> bool:
    """A short line that could belong to a title block (not a heading, date or sentence)."""
    if line.heading or _is_toc(line) or line.para.style.strip() in _TAIL_STYLES:
        return False
    if _is_title_style(line):
        return True
    text = line.text
    return (
        len(text) <= 60
        and text[-1] not in _END_PUNCTUATION
        and date_in(text) is None
        and not line.para.text.startswith("\t")
        and not text.startswith("附件")
    )


def _title_blocks(lines: list[_Line]) -> list[tuple[int, int]]:
    """Runs of title-like lines that name a report («…报告») or are styled 'Title'."""
    blocks: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not _title_candidate(lines[i]):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and _title_candidate(lines[j]) and not lines[j].after_table:
            j += 1
        run = lines[i:j]
        if any("报告" in line.text or _is_title_style(line) for line in run):
            blocks.append((i, j))
        i = j
    return blocks


def _opens_report(lines: list[_Line], start: int, stop: int) -> bool:
    """The first heading after a title block is numbered one (一、, or 1、 in some reports)."""
    for line in lines[start:stop]:
        if line.heading:
            number = line.heading.heading.number
            return number[:1] == "一" or re.sub(r"\D", "", number) == "1"
    return False


def split_reports(doc: SourceDocument) -> list[ReportPart]:
    """The reports of a file in order, each with its header, preamble and section tree."""
    lines = _drop_debris(_lines(doc))
    blocks = _title_blocks(lines)
    starts = [
        block
        for k, block in enumerate(blocks)
        if _opens_report(lines, block[1], blocks[k + 1][0] if k + 1 < len(blocks) else len(lines))
    ]
    if not starts:
        starts = [(0, 0)]
    volume = _Volume(lines=lines[: starts[0][0]])
    parts: list[ReportPart] = []
    for k, (start, title_end) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        first_block = lines[start].index if start < len(lines) else len(doc.blocks)
        last_block = lines[stop].index if stop < len(lines) else len(doc.blocks)
        part = _part(doc, lines[start:stop], title_end - start, volume)
        part.blocks = doc.blocks[first_block:last_block]
        part.money_unit = money_unit_of(_texts(part.blocks))
        parts.append(part)
    return parts


def _texts(blocks: tuple[object, ...]) -> list[tuple[str, str]]:
    """Every paragraph and table row of a part as (text, where)."""
    texts: list[tuple[str, str]] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append((block.text, block.where))
        elif isinstance(block, Table):
            texts.extend(("\t".join(row), block.row_where(r)) for r, row in enumerate(block.rows))
    return texts


def _found_line(value: str, line: _Line, sure: bool = True) -> Found[str]:
    return Found(value, line.para.where, sure)


def _title(
    title_lines: list[_Line], volume: _Volume
) -> tuple[str, _Line | None, Found[str] | None]:
    """The report's title, its first line, and the authority named above or in it.

    Lines up to each «…报告» form one title; all but the last are the volume's title.
    """
    groups: list[list[_Line]] = []
    current: list[_Line] = []
    unit: Found[str] | None = None
    for line in title_lines:
        if not current and is_bare_unit(line.text) and not _is_title_style(line):
            unit = unit or _found_line(compact(line.text), line)
            continue
        current.append(line)
        if "报告" in line.text:
            groups.append(current)
            current = []
    if current and not groups:
        groups.append(current)
    if not groups:
        return "", None, unit
    for earlier in groups[:-1]:
        volume.lines.extend(earlier)
    title_group = groups[-1]
    title = "".join(compact(line.text) for line in title_group)
    named = unit_in(title)
    if named:
        unit = _found_line(named, title_group[0])
    return title, title_group[0], unit


def _volume_header(volume: _Volume) -> None:
    """Unit, year and date from the volume's own title and cover, once."""
    for line in volume.lines:
        if volume.unit is None and (named := unit_in(line.text)):
            volume.unit = _found_line(named, line)
        if volume.year is None and "报告" in line.text and (year := year_in(line.text)):
            volume.year = Found(year, line.para.where)
        if volume.date is None and (day := date_in(line.text)):
            volume.date = Found(day, line.para.where)


def _is_recipient(line: _Line) -> bool:
    """主送: a short line ending with a colon, right after the title («益阳市医疗保障局：»)."""
    if line.para.style.strip() == "主送":
        return True
    text = line.text
    return (
        len(text) <= 40
        and text[-1] in "：:"
        and line.heading is None
        and not text.startswith(("根据", "按照", "为"))
        and "，" not in text
    )


@dataclass
class _Signature:
    start: int
    unit: Found[str] | None = None
    date: Found[datetime.date] | None = None


def _signature(body: list[_Line]) -> _Signature:
    """The 落款 near the end (unit, then date) and where the closing lines start."""
    last_heading = max((i for i, line in enumerate(body) if line.heading), default=-1)
    end = len(body)
    for i in range(end - 1, max(last_heading, end - _SIGNATURE_REACH - 1), -1):
        day = date_in(body[i].text)
        if day is None:
            continue
        found = _Signature(i, date=Found(day, body[i].para.where))
        if i - 1 > last_heading and is_bare_unit(body[i - 1].text):
            found.start = i - 1
            found.unit = _found_line(compact(body[i - 1].text), body[i - 1])
        while found.start - 1 > last_heading and _is_annex_note(body[found.start - 1]):
            found.start -= 1
        return found
    for i in range(last_heading + 1, end):
        if _is_annex_note(body[i]):
            return _Signature(i)
    if end - 1 > last_heading and is_bare_unit(body[end - 1].text):
        return _Signature(end - 1, unit=_found_line(compact(body[end - 1].text), body[end - 1]))
    return _Signature(end)


def _is_annex_note(line: _Line) -> bool:
    """«附件：…» under the body, or the attachment page's «附件» label."""
    return bool(_ANNEX.match(line.text)) or line.para.style.strip() in _TAIL_STYLES - {"落款"}


def _promote_first(body: list[_Line]) -> None:
    """«1、绩效目标分解下达情况 … 二、…»: a first heading numbered 1 stands for 一、."""
    headings = [line for line in body if line.heading]
    if not headings or headings[0].heading is None:
        return
    first = headings[0].heading
    if first.heading.level > 1 and any(
        h.heading and h.heading.heading.level == 1 and h.heading.heading.number.startswith("二")
        for h in headings[1:]
    ):
        headings[0].heading = replace(first, heading=replace(first.heading, level=1))


def _tree(body: list[_Line]) -> list[Section]:
    """Sections nested by level; text typed on a heading's line is its first paragraph."""
    roots: list[Section] = []
    stack: list[Section] = []
    for line in body:
        if line.heading is None:
            if stack:
                stack[-1].paragraphs.append(line.para)
            continue
        heading: Heading = line.heading.heading
        while stack and stack[-1].heading.level >= heading.level:
            stack.pop()
        parent = stack[-1] if stack else None
        section = Section(
            heading, line.para.where, path=(*(parent.path if parent else ()), heading.number)
        )
        (parent.children if parent else roots).append(section)
        stack.append(section)
        if line.heading.body:
            section.paragraphs.append(replace(line.para, text=line.heading.body))
    return roots


def _fund_type(title: str, title_line: _Line | None, body: list[_Line]) -> Found[str] | None:
    named = fund_type_in(title)
    if named and title_line:
        return _found_line(named, title_line)
    counts = Counter(t for line in body if (t := fund_type_in(line.text)))
    if not counts:
        return None
    best, _ = counts.most_common(1)[0]
    where = next(line for line in body if fund_type_in(line.text) == best)
    return _found_line(best, where, sure=False)


def _part(doc: SourceDocument, lines: list[_Line], title_len: int, volume: _Volume) -> ReportPart:
    title, title_line, unit = _title(lines[:title_len], volume)
    _volume_header(volume)
    rest = lines[title_len:]
    recipient = None
    if rest and _is_recipient(rest[0]):
        recipient = _found_line(compact(rest[0].text).rstrip("：:"), rest[0])
        rest = rest[1:]
    signature = _signature(rest)
    body = rest[: signature.start]
    first = next((i for i, line in enumerate(body) if line.heading), len(body))
    _promote_first(body)
    year = year_in(title) if title else None
    part = ReportPart(
        title=title,
        blocks=(),
        where=lines[0].para.where if lines else "",
        fund_type=_fund_type(title, title_line, body),
        unit=unit or signature.unit or volume.unit or _unit_in_text(body),
        year=Found(year, title_line.para.where) if year and title_line else volume.year,
        recipient=recipient,
        date=signature.date or volume.date,
        preamble=[line.para for line in body[:first]],
        sections=_tree(body[first:]),
        made_by_genreport=doc.made_by_genreport,
    )
    if title and title_line:
        named = part.unit.value if part.unit else None
        part.fund_name = _found_line(fund_name_in(title, named), title_line)
    part.outline = outline_of(part.sections)
    return part


def _unit_in_text(body: list[_Line]) -> Found[str] | None:
    """A 医疗保障局 the text names, when neither title nor 落款 does (a guess)."""
    for line in body:
        named = unit_in(line.text)
        if named and "医疗保障局" in named:
            return _found_line(named, line, sure=False)
    return None
