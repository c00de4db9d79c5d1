"""The GB/T 9704 layout, verified on the PDFs LibreOffice makes of every example.

One session fixture runs the real CLI once with --pdf over every example input (one
LibreOffice process for all of them); each test then reads the PDFs with pdfplumber.
They need LibreOffice: the ``libreoffice`` fixture (tests/conftest.py) skips them
locally without it and fails them in CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from generator.config.wording import Wording
from generator.render.form_context import title_lines

from .conftest import ROOT, generate

pytestmark = pytest.mark.usefixtures("libreoffice")

MM = 72 / 25.4
TOLERANCE = 1.5  # mm
PAGE = (210.0, 297.0)
# GB/T 9704 text block: top 37, bottom 35, left 28, right 26 mm.
BLOCK = {"left": 28.0, "right": 210.0 - 26.0, "top": 37.0, "bottom": 297.0 - 35.0}
CENTRE = (BLOCK["left"] + BLOCK["right"]) / 2
PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
TITLE_SIZE = 22.0


@dataclass(frozen=True)
class Example:
    input: str
    unit: str
    date: str  # 落款日期 as printed, "" when the input has none
    reports: int


EXAMPLES = [
    Example("inputs/2024.yaml", "示例县医疗保障局", "2025年2月20日", 4),
    Example("inputs/examples/黄山市-2024.yaml", "黄山市医疗保障局", "", 3),
    Example("inputs/examples/丰都县-2021.yaml", "丰都县医疗保障局", "", 1),
]


# Closing CJK punctuation LibreOffice lets hang past the right margin (标点悬挂): it
# ignores the templates' w:overflowPunct="0" on import, which Word and WPS honour.
HANGING = set("，。、；：！？）》」』”’")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    #: Right edge without a hanging punctuation mark that starts inside the block.
    ink_x1: float = 0.0

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Page:
    number: int  # 1-based position in the file
    width: float
    height: float
    lines: list[Line]
    boxes: list[tuple[float, float, float, float]]  # table rules: x0, x1, top, bottom (mm)
    footer: list[Line] = field(default_factory=list)

    @property
    def body(self) -> list[Line]:
        return [line for line in self.lines if line not in self.footer]


@dataclass
class Pdf:
    path: Path
    pages: list[Page]

    @property
    def is_volume(self) -> bool:
        return "年度医保转移支付补助资金绩效自评报告" in self.path.name


def _lines(chars: list[dict[str, Any]]) -> list[Line]:
    """Group characters into visual lines by their top edge (mm)."""
    rows: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"], 0), c["x0"])):
        if rows and abs(rows[-1][0]["top"] - char["top"]) < 2:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        visible = [c for c in row if c["text"].strip()]
        if not visible:
            continue
        last = visible[-1]
        hangs = (
            last["text"] in HANGING
            and len(visible) > 1
            and last["x0"] / MM <= BLOCK["right"] + TOLERANCE
        )
        ink = visible[:-1] if hangs else visible
        lines.append(
            Line(
                text="".join(c["text"] for c in row).strip(),
                x0=min(c["x0"] for c in visible) / MM,
                x1=max(c["x1"] for c in visible) / MM,
                top=min(c["top"] for c in visible) / MM,
                bottom=max(c["bottom"] for c in visible) / MM,
                size=max(round(c["size"], 1) for c in visible),
                ink_x1=max(c["x1"] for c in ink) / MM,
            )
        )
    return lines


def _read(path: Path) -> Pdf:
    pages = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages, start=1):
            lines = _lines(page.chars)
            boxes = [
                (b["x0"] / MM, b["x1"] / MM, b["top"] / MM, b["bottom"] / MM)
                for b in (*page.lines, *page.rects)
            ]
            read = Page(index, page.width / MM, page.height / MM, lines, boxes)
            read.footer = [
                line
                for line in lines
                if line.top > BLOCK["bottom"] and PAGE_NUMBER.match(line.text)
            ]
            pages.append(read)
    return Pdf(path, pages)


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Pdf]]:
    """Every example generated with --pdf in one CLI run; PDFs read once, by input."""
    out = tmp_path_factory.mktemp("pdf")
    generate(*(str(ROOT / e.input) for e in EXAMPLES), "-o", str(out), "--pdf")
    by_input: dict[str, list[Pdf]] = {}
    for example in EXAMPLES:
        found = sorted(out.rglob(f"{example.unit}-*.pdf"))
        by_input[example.input] = [_read(p) for p in found]
    return by_input


def _pdfs(pdfs: dict[str, list[Pdf]], example: Example) -> list[Pdf]:
    found = pdfs[example.input]
    expected = example.reports + (1 if example.reports > 1 else 0)
    assert len(found) == expected, [p.path.name for p in found]
    return found


def _pages(pdfs: dict[str, list[Pdf]], example: Example) -> Iterator[tuple[Pdf, Page]]:
    for pdf in _pdfs(pdfs, example):
        for page in pdf.pages:
            yield pdf, page


def _where(pdf: Pdf, page: Page) -> str:
    return f"{pdf.path.name} 第{page.number}页"


IDS = [Path(e.input).stem for e in EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_every_page_is_a4(pdfs: dict[str, list[Pdf]], example: Example) -> None:
    wrong = [
        f"{_where(pdf, page)}: {page.width:.1f}×{page.height:.1f}"
        for pdf, page in _pages(pdfs, example)
        if abs(page.width - PAGE[0]) > 0.5 or abs(page.height - PAGE[1]) > 0.5
    ]
    assert wrong == []


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_all_text_lies_inside_the_gb9704_text_block(
    pdfs: dict[str, list[Pdf]], example: Example
) -> None:
    outside = []
    for pdf, page in _pages(pdfs, example):
        for line in page.body:
            if (
                line.x0 < BLOCK["left"] - TOLERANCE
                or line.ink_x1 > BLOCK["right"] + TOLERANCE
                or line.top < BLOCK["top"] - TOLERANCE
                or line.bottom > BLOCK["bottom"] + TOLERANCE
            ):
                outside.append(
                    f"{_where(pdf, page)}: “{line.text[:20]}” "
                    f"x {line.x0:.1f}–{line.x1:.1f} y {line.top:.1f}–{line.bottom:.1f}"
                )
    assert outside == []


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_tables_lie_inside_the_text_block(pdfs: dict[str, list[Pdf]], example: Example) -> None:
    outside = []
    seen = 0
    for pdf, page in _pages(pdfs, example):
        for x0, x1, top, bottom in page.boxes:
            seen += 1
            if (
                x0 < BLOCK["left"] - TOLERANCE
                or x1 > BLOCK["right"] + TOLERANCE
                or top < BLOCK["top"] - TOLERANCE
                or bottom > BLOCK["bottom"] + TOLERANCE
            ):
                outside.append(f"{_where(pdf, page)}: x {x0:.1f}–{x1:.1f} y {top:.1f}–{bottom:.1f}")
    assert seen > 0, "no table rules found: the 绩效自评表 is missing"
    assert outside == []


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_pages_are_numbered_with_dashes_in_sequence(
    pdfs: dict[str, list[Pdf]], example: Example
) -> None:
    """ "— n —" on every page; the volume's cover is not numbered and its reports start at 1."""
    for pdf in _pdfs(pdfs, example):
        pages = pdf.pages[1:] if pdf.is_volume else pdf.pages
        if pdf.is_volume:
            assert pdf.pages[0].footer == [], "the volume's cover page carries no page number"
        numbers = []
        for page in pages:
            match = [PAGE_NUMBER.match(line.text) for line in page.footer]
            numbers.append(int(match[0].group(1)) if len(match) == 1 and match[0] else None)
        assert numbers == list(range(1, len(pages) + 1)), pdf.path.name


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_page_numbers_sit_on_the_outer_side(pdfs: dict[str, list[Pdf]], example: Example) -> None:
    """Odd pages right, even pages left (GB/T 9704 7.5), one character in from the edge."""
    wrong = []
    for pdf in _pdfs(pdfs, example):
        for page in pdf.pages:
            for line in page.footer:
                number = int(PAGE_NUMBER.match(line.text).group(1))  # type: ignore[union-attr]
                right_side = line.centre > CENTRE
                if right_side != (number % 2 == 1):
                    wrong.append(f"{_where(pdf, page)}: “{line.text}” x {line.x0:.1f}")
    assert wrong == []


def _title_lines(page: Page) -> list[Line]:
    return [line for line in page.body if abs(line.size - TITLE_SIZE) < 0.5]


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_title_is_centred_in_the_text_block(pdfs: dict[str, list[Pdf]], example: Example) -> None:
    off = []
    titles = 0
    for pdf, page in _pages(pdfs, example):
        for line in _title_lines(page):
            titles += 1
            if abs(line.centre - CENTRE) > TOLERANCE:
                off.append(f"{_where(pdf, page)}: “{line.text}” centre {line.centre:.1f} mm")
    assert titles >= example.reports
    assert off == []


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_no_page_is_blank(pdfs: dict[str, list[Pdf]], example: Example) -> None:
    """No blank trailing page (or any other): every page has text besides its number."""
    blank = [_where(pdf, page) for pdf, page in _pages(pdfs, example) if not page.body]
    assert blank == []


@pytest.mark.parametrize(
    "example",
    [e for e in EXAMPLES if e.reports > 1],
    ids=[Path(e.input).stem for e in EXAMPLES if e.reports > 1],
)
def test_each_report_of_the_volume_starts_on_a_new_page(
    pdfs: dict[str, list[Pdf]], example: Example
) -> None:
    found = _pdfs(pdfs, example)
    volume = next(pdf for pdf in found if pdf.is_volume)
    reports = [pdf for pdf in found if not pdf.is_volume]
    starts = []
    for page in volume.pages[1:]:
        body = page.body
        if body and abs(body[0].size - TITLE_SIZE) < 0.5:
            starts.append("".join(line.text for line in _title_lines(page)))
    expected = ["".join(line.text for line in _title_lines(r.pages[0])) for r in reports]
    assert sorted(starts) == sorted(expected)
    assert len(volume.pages) == 1 + sum(len(r.pages) for r in reports)


def _signature_pages(pdf: Pdf, example: Example) -> list[Page]:
    """Pages holding the 落款 unit line (right-aligned, unlike the cover's centred one)."""
    return [
        page
        for page in pdf.pages
        for line in page.body
        if line.text == example.unit and line.x1 > CENTRE + 30
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_signature_shares_its_page_with_body_text(
    pdfs: dict[str, list[Pdf]], example: Example
) -> None:
    """The 落款 (unit and date) never stands alone on a page after the last section."""
    alone = []
    for pdf in _pdfs(pdfs, example):
        pages = _signature_pages(pdf, example)
        assert len(pages) == example.reports if pdf.is_volume else 1, pdf.path.name
        for page in pages:
            others = [line for line in page.body if line.text not in (example.unit, example.date)]
            if not others:
                alone.append(_where(pdf, page))
            if example.date:
                texts = [line.text for line in page.body]
                assert example.date in texts, _where(pdf, page)
    assert alone == []


def _title_of(page: Page) -> list[str]:
    return [line.text.replace(" ", "") for line in _title_lines(page)]


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_every_title_line_ends_where_the_words_allow(
    pdfs: dict[str, list[Pdf]], example: Example
) -> None:
    """GB/T 9704 7.3.3: the title breaks between words, never 「（城乡医 / 疗救助部分）」."""
    region = Wording.region_of(example.unit)
    for pdf in _pdfs(pdfs, example):
        printed = _title_of(pdf.pages[0])
        words = (example.unit,) if pdf.is_volume else (region,)
        assert printed == title_lines("".join(printed), words=words), pdf.path.name


_CONTENTS_NUMBER = re.compile(r"[·.…]+\s*(\d+)$")


@pytest.mark.parametrize(
    "example",
    [e for e in EXAMPLES if e.reports > 1],
    ids=[Path(e.input).stem for e in EXAMPLES if e.reports > 1],
)
def test_the_contents_give_the_page_each_report_starts_on(
    pdfs: dict[str, list[Pdf]], example: Example
) -> None:
    volume = next(pdf for pdf in _pdfs(pdfs, example) if pdf.is_volume)
    cover = [line.text.replace(" ", "") for line in volume.pages[0].body]
    assert "目录" in [text.replace("\u3000", "") for text in cover]
    listed = [int(m.group(1)) for m in map(_CONTENTS_NUMBER.search, cover) if m]
    starts = []
    for page in volume.pages[1:]:
        if page.body and abs(page.body[0].size - TITLE_SIZE) < 0.5:
            (number,) = [PAGE_NUMBER.match(line.text) for line in page.footer]
            starts.append(int(number.group(1)))  # type: ignore[union-attr]
    assert len(listed) == example.reports
    assert listed == starts


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_the_annex_note_precedes_the_signature_and_the_annex_page_opens_with_附件(
    pdfs: dict[str, list[Pdf]], example: Example
) -> None:
    for pdf in _pdfs(pdfs, example):
        if pdf.is_volume:
            continue
        texts = [line.text.replace(" ", "") for page in pdf.pages for line in page.body]
        notes = [n for n, text in enumerate(texts) if text.startswith("附件：")]
        assert len(notes) == 1, pdf.path.name
        assert example.unit in texts[notes[0] :], pdf.path.name
        annex = [page for page in pdf.pages if page.body and page.body[0].text == "附件"]
        assert len(annex) == 1, pdf.path.name
        assert annex[0].body[0].x0 < BLOCK["left"] + TOLERANCE
