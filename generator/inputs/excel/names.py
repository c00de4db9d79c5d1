"""Which sheet and which column is which: exact names, and a clear error otherwise.

A workbook is read by the names of its sheets and of its header cells. Matching them
loosely (spaces, a trailing 「（…）」 dropped) lets a hidden backup 「指标（旧）」 or
Excel's own copy 「资金 (2)」 stand in for the real sheet and print its figures without a
word. So a sheet or a column is the one named exactly as the contract says; another one
whose name folds to the same word (a copy, a note, a number, spaces) is never read
instead: with the exact one present both are named in an error, alone it is reported
with the exact name it should have.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.core.text import visible
from generator.inputs.excel.schema import Sheet
from generator.inputs.excel.sheetxml import SheetEntry, column_letter

__all__ = [
    "HeaderCell",
    "Headers",
    "fold_name",
    "missing_sheet_hint",
    "resolve_headers",
    "resolve_sheets",
    "trim_key",
]

#: Notes people add to a name: 「（旧）」「(2)」「【备份】」「<万元>」「《…》」.
_NOTES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|<[^<>]*>|《[^《》]*》")
#: Words that mark a copy of a sheet or column, as Excel, WPS, LibreOffice, Google
#: Sheets and people write them (longest first, so 的副本 goes before 副本).
_COPY_WORDS = (
    "的副本",
    "副本",
    "复件",
    "复制",
    "拷贝",
    "备份",
    "旧版",
    "旧",
    "copyof",
    "copy",
    "backup",
    "bak",
    "old",
)
#: Spaces, digits and separators that numbering and notes leave behind.
_FILLER = re.compile(r"[\s\d_\-.·—~#*+]+")

#: How loosely named sheets and columns are described in messages.
_EXACT_RULE = "须与键名完全一致，不能多出空格、括号注释、单位或编号"
_UNHIDE = "隐藏的工作表可右键单击工作表标签，选“取消隐藏”找到"


def fold_name(text: str) -> str:
    """The word a name stands for, once copies, notes, numbers and spacing are taken away.

    Used only to find names that could be mistaken for a contract name, never to
    accept one: ``“资金 (2)”``, ``“指标（旧）”``, ``“*执行数”``, ``“预算数（万元）”`` fold to
    资金, 指标, 执行数, 预算数.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf" and not ch.isspace())
    previous = ""
    while previous != folded:  # nested notes: “（旧（2））”
        previous, folded = folded, _NOTES.sub("", folded)
    for word in _COPY_WORDS:
        folded = folded.replace(word, "")
    return _FILLER.sub("", folded)


def trim_key(text: object) -> str:
    """A key typed in a cell (报告 keys, 叙述 栏目), spaces removed (``“ 单 位 ”``).

    Keys are cell values, trimmed like every value; unlike sheet and column names they
    keep their notes, so 「单位（旧）」 is an unknown key, not a second 单位.
    """
    return "" if text is None else "".join(str(text).split())


def _quoted(titles: Iterable[str]) -> str:
    return "、".join(f"“{visible(title)}”" for title in titles)


def _shown(entry: SheetEntry) -> str:
    return f"“{visible(entry.title)}”" + ("（隐藏）" if entry.hidden else "")


def resolve_sheets(
    entries: Sequence[SheetEntry], sheets: Iterable[str]
) -> tuple[dict[str, SheetEntry], dict[str, str]]:
    """The sheet to read for each contract sheet, and a message for each name problem.

    A contract sheet with no candidate at all is in neither result: the caller decides
    whether it was required.
    """
    chosen: dict[str, SheetEntry] = {}
    messages: dict[str, str] = {}
    folded = [fold_name(e.title) for e in entries]
    for wanted in sheets:
        key = fold_name(wanted)
        exact = [e for e in entries if e.title == wanted]
        loose = [e for e, f in zip(entries, folded, strict=True) if e.title != wanted and f == key]
        hidden = any(e.hidden for e in (*exact, *loose))
        unhide = f"；{_UNHIDE}" if hidden else ""
        if len(exact) == 1 and not loose:
            chosen[wanted] = exact[0]
        elif len(exact) + len(loose) > 1:
            listing = "、".join(_shown(e) for e in (*exact, *loose))
            action = (
                f"请删除或改名{_quoted(e.title for e in loose)}，只留下名为“{wanted}”的一张"
                if len(exact) == 1
                else f"请只留下一张并命名为“{wanted}”，其余的删除或改名"
            )
            messages[wanted] = (
                f"工作表{listing}都可能是“{wanted}”表，程序不会猜用哪一张：{action}{unhide}"
            )
        elif loose:
            (entry,) = loose
            messages[wanted] = (
                f"缺少工作表“{wanted}”：工作表{_shown(entry)}与它名称相近但不相同，"
                f"请改名为“{wanted}”（工作表名{_EXACT_RULE}）{unhide}"
            )
    return chosen, messages


def missing_sheet_hint(entries: Sequence[SheetEntry], wanted: str, known: Iterable[str]) -> str:
    """“did you mean” for a required sheet no sheet name comes close to."""
    keys = {fold_name(k) for k in known}
    strays = [e.title for e in entries if fold_name(e.title) not in keys]
    guess = (
        difflib.get_close_matches(wanted, strays, n=1, cutoff=0.3)
        or [t for t in strays if set(t) & set(wanted)][:1]
    )
    return f"；工作表“{visible(guess[0])}”是否应改名为“{wanted}”？" if guess else ""


@dataclass(frozen=True)
class HeaderCell:
    """One non-blank cell of the header row."""

    column: int
    text: str
    hidden: bool


@dataclass
class Headers:
    """The header row read against a sheet's contract columns."""

    #: Column number → contract column, for the columns to read.
    columns: dict[int, str]
    #: (cell, message) for every header problem.
    problems: list[tuple[str, str]]
    #: Contract columns a problem above already speaks for (not also “missing”).
    spoken_for: set[str]
    #: (cell, header text) of visible headers that are no contract column.
    unknown: list[tuple[str, str]]


def resolve_headers(sheet: Sheet, row: int, cells: Sequence[HeaderCell]) -> Headers:
    """Map exact headers to columns; copies, near-duplicates and loose names are errors."""
    by_fold = {fold_name(c): c for c in sheet.columns}
    candidates: dict[str, list[HeaderCell]] = {c: [] for c in sheet.columns}
    unknown: list[tuple[str, str]] = []
    for cell in cells:
        column = cell.text if cell.text in candidates else by_fold.get(fold_name(cell.text))
        if column is not None:
            candidates[column].append(cell)
        elif not cell.hidden:
            unknown.append((_at(sheet, cell.column, row), cell.text))
    headers = Headers({}, [], set(), unknown)
    for column, found in candidates.items():
        exact = [c for c in found if c.text == column]
        if len(found) == 1 and exact:
            headers.columns[exact[0].column] = column
            continue
        if not found:
            continue
        headers.spoken_for.add(column)
        if len(found) > 1:
            listing = "、".join(
                f"{column_letter(c.column)}{row}“{visible(c.text)}”"
                + ("（隐藏列）" if c.hidden else "")
                for c in found
            )
            headers.problems.append(
                (
                    f"{sheet.name}!第{row}行",
                    f"{listing}都可能是“{column}”列，程序不会猜用哪一列："
                    f"请只留下一列并以“{column}”为列名，其余的删除或改名",
                )
            )
        else:
            (cell,) = found
            unit = "；金额单位以“报告”表的“金额单位”为准" if "元" in cell.text else ""
            headers.problems.append(
                (
                    _at(sheet, cell.column, row),
                    f"列名“{visible(cell.text)}”与“{column}”相近但不相同：请改为“{column}”"
                    f"（列名{_EXACT_RULE}{unit}）",
                )
            )
    return headers


def _at(sheet: Sheet, column: int, row: int) -> str:
    return f"{sheet.name}!{column_letter(column)}{row}"
