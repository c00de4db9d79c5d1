"""The documents a report names as its basis (政策依据), from its opening.

Reports cite «《title》（文号）», a 文号 alone («根据湘医保办发[2021]6号、益医保办发
[2021]3号文件精神»), or «文号《title》»; the year's brackets are typed every way ([ ], ﹝﹞,
［］) and printed as 〔〕. Only the opening and the first section are read, as the seeds
state their basis there; later citations are evidence for other sections, not the basis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.authoring.reading.blocks import Paragraph
from generator.authoring.reading.headings import clean_text, compact
from generator.authoring.reading.model import PolicyDocument, ReportPart, Section
from generator.inputs.models import normalize_document_number

__all__ = ["policy_documents"]

_NUMBER = r"[\u4e00-\u9fff]{1,14}\s*[\[［【〔﹝(（〖]\s*\d{4}\s*[\]］】〕﹞)）〗]\s*\d{1,4}\s*号"
_TITLED = re.compile(rf"《([^《》]+)》\s*(?:[（(]\s*({_NUMBER})\s*[）)])?")
_NUMBER_FIRST = re.compile(rf"({_NUMBER})\s*《([^《》]+)》")
_BARE = re.compile(_NUMBER)
# Words a sentence puts before a 文号 that the pattern's prefix would take in.
_LEAD = re.compile(r"^(?:根据|按照|依据|依照|参照|结合|执行|落实|以及|和|及|与|对|经|按)+")


def _number(text: str) -> str:
    return normalize_document_number(_LEAD.sub("", compact(text)))


def _sources(part: ReportPart) -> Iterator[tuple[Paragraph, str]]:
    """The opening's paragraphs and the first section's, each with its place."""
    for n, paragraph in enumerate(part.preamble, 1):
        yield paragraph, f"开头第{n}段"
    if part.sections:
        yield from _section_sources(part.sections[0])


def _section_sources(section: Section) -> Iterator[tuple[Paragraph, str]]:
    path = "".join(section.path)
    for n, paragraph in enumerate(section.paragraphs, 1):
        yield paragraph, f"{path}第{n}段"
    for child in section.children:
        yield from _section_sources(child)


def _in_paragraph(text: str, where: str) -> Iterator[PolicyDocument]:
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, PolicyDocument]] = []
    for match in _NUMBER_FIRST.finditer(text):
        taken.append(match.span())
        found.append((match.start(), PolicyDocument(match[2].strip(), _number(match[1]), where)))
    for match in _TITLED.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        taken.append(match.span())
        number = _number(match[2]) if match[2] else None
        found.append((match.start(), PolicyDocument(match[1].strip(), number, where)))
    for match in _BARE.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        found.append((match.start(), PolicyDocument("", _number(match[0]), where)))
    for _, document in sorted(found, key=lambda item: item[0]):
        yield document


def policy_documents(part: ReportPart) -> list[PolicyDocument]:
    """The basis the opening cites, in order, once each; a bare 文号 has an empty title.

    A document cited twice (once by 文号 alone, once with its title) is listed once, with
    the title where the report gives it.
    """
    documents: list[PolicyDocument] = []
    for paragraph, where in _sources(part):
        for document in _in_paragraph(clean_text(paragraph.text), where):
            key = document.number or document.title
            same = next((i for i, d in enumerate(documents) if (d.number or d.title) == key), None)
            if same is None:
                documents.append(document)
            elif document.title and not documents[same].title:
                documents[same] = document
    return documents
