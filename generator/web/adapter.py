"""The workbench's one door into the pipeline: the same functions the command line calls.

Everything the web does with an input goes through here: checking and generating
(``generate_file``, as ``genreport INPUT --xlsx`` does, writing with the CLI's writer into a
scratch folder the caller owns), the fill-in workbook (``excel-template``), next
year's input (``new --from``) and last year's report read back (``import``). Nothing is
checked, computed or rendered here; this module only adds the two rules of a shared
server (no 模板目录 from an upload, and a unit may only submit its own reports, so an
import names the account's unit) and swaps the scratch path for the name the user
uploaded.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.markers import TO_CONFIRM, TO_FILL
from generator.errors import InputError, Problem
from generator.inputs.source import EXCEL_SUFFIXES, LoadedInput

if TYPE_CHECKING:
    from generator.authoring.reading.assemble import Assembled, FundSummary
    from generator.output.pdf import ConverterPool
    from generator.pipeline import ReportRow

__all__ = [
    "ImportedInput",
    "Outcome",
    "ReportFile",
    "check_and_generate",
    "default_year",
    "display_name",
    "fill_in_workbook",
    "import_last_report",
    "next_year_input",
    "report_pdf",
    "rollup_input",
    "rollup_workbook",
    "summary_workbook",
]

#: Characters of an uploaded file name that are kept for display.
_MAX_DISPLAY_NAME = 120


@dataclass(frozen=True)
class ReportFile:
    name: str
    data: bytes
    fund: str
    score: str
    grade: str
    warnings: int
    #: The fund's 自评表 workbook (name, bytes); None for the volume.
    selfeval: tuple[str, bytes] | None = None


@dataclass(frozen=True)
class Outcome:
    """Every finding of one input, and its documents when it had no error."""

    problems: tuple[Problem, ...]
    reports: tuple[ReportFile, ...] = ()
    year: int | None = None

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems) and bool(self.reports)


def display_name(uploaded: str) -> str:
    """The uploaded file's own name, safe to show and to use inside a scratch folder."""
    base = uploaded.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join("_" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in base)
    base = base.strip().lstrip(".").strip()
    if len(base) > _MAX_DISPLAY_NAME:
        stem, dot, suffix = base.rpartition(".")
        base = (
            (stem[: _MAX_DISPLAY_NAME - 10] + dot + suffix[:8]) if dot else base[:_MAX_DISPLAY_NAME]
        )
    return base or "上传文件"


def _shown(problems: Iterable[Problem], path: Path, name: str) -> tuple[Problem, ...]:
    """Problems as the user should read them: their file name, not the scratch path."""
    scratch = str(path)
    out = []
    for problem in problems:
        where = problem.location
        if where.file == scratch:
            where = dataclasses.replace(where, file=name)
        out.append(
            dataclasses.replace(
                problem, location=where, message=problem.message.replace(scratch, name)
            )
        )
    return tuple(out)


def _report_value(loaded: LoadedInput, key: str) -> object:
    report = loaded.data.get("报告") if isinstance(loaded.data, dict) else None
    return report.get(key) if isinstance(report, dict) else None


def _server_rules(loaded: LoadedInput, unit: str | None) -> list[Problem]:
    """What a shared server refuses that the command line allows."""
    problems = []
    if _report_value(loaded, "模板目录") not in (None, ""):
        problems.append(
            Problem(
                loaded.location(("报告", "模板目录")),
                "网页工作台使用统一的模板，不能指定模板目录",
                hint="删除“模板目录”后重新上传",
            )
        )
    given = _report_value(loaded, "单位")
    if unit is not None and isinstance(given, str) and given.strip() and given.strip() != unit:
        problems.append(
            Problem(
                loaded.location(("报告", "单位")),
                f"单位应为本账号所属的“{unit}”，实际为“{given.strip()}”",
                hint=f"改为“{unit}”，或用该单位的账号上传",
            )
        )
    return problems


def _year(loaded: LoadedInput) -> int | None:
    value = _report_value(loaded, "年度")
    try:
        return int(str(value))
    except ValueError:
        return None


def check_and_generate(path: Path, name: str, scratch: Path, unit: str | None) -> Outcome:
    """Check ``path`` and generate its reports into ``scratch`` exactly as ``genreport`` does.

    ``name`` is what the user uploaded; ``unit`` the account's unit, which the input must
    name. Input problems are returned, not raised; anything else (a broken shipped
    template, a full disk) propagates.
    """
    from generator.inputs.load import load_input
    from generator.pipeline import generate_file

    try:
        loaded = load_input(path)
    except InputError as exc:
        return Outcome(_shown(exc.problems, path, name))
    refused = _server_rules(loaded, unit)
    if any(p.location.path == ("报告", "模板目录") for p in refused):
        return Outcome(_shown(refused, path, name))
    try:
        generated = generate_file(path, scratch, xlsx=True)
    except InputError as exc:
        # The pipeline's own word on 单位 (an invisible character, say) comes first.
        named = {p.location.path for p in exc.problems}
        refused = [p for p in refused if p.location.path not in named]
        return Outcome(_shown([*refused, *exc.problems], path, name))
    problems = _shown([*refused, *generated.warnings], path, name)
    if refused:
        return Outcome(problems)
    return Outcome(problems, _report_files(generated.rows), _year(loaded))


def _report_files(rows: Sequence[ReportRow]) -> tuple[ReportFile, ...]:
    """The documents, each fund's report carrying its 自评表 workbook.

    The pipeline lists the funds' reports first and their workbooks last, both in the
    input's order, so the n-th workbook belongs to the n-th report.
    """
    books = [row.path for row in rows if row.path.suffix.lower() == ".xlsx"]
    documents = [row for row in rows if row.path.suffix.lower() != ".xlsx"]
    return tuple(
        ReportFile(
            row.path.name,
            row.path.read_bytes(),
            row.fund,
            row.score,
            row.grade,
            row.warnings,
            (books[i].name, books[i].read_bytes()) if i < len(books) else None,
        )
        for i, row in enumerate(documents)
    )


def fill_in_workbook(types: Sequence[str], year: int, unit: str | None) -> bytes:
    """The fill-in workbook ``genreport excel-template`` writes."""
    from generator.authoring.scaffold import new_workbook, skeleton

    return new_workbook(skeleton(tuple(types), year, unit), f"{year}.xlsx")


def next_year_input(source: Path, year: int, scratch: Path) -> tuple[str, int]:
    """Next year's YAML from an accepted input, as ``genreport new YEAR --from`` writes it.

    A workbook is first converted to YAML (as ``genreport convert`` does), since ``new
    --from`` edits the YAML text. Returns the text and how many fields are left to fill.
    """
    from generator.authoring.convert import to_yaml
    from generator.authoring.nextyear import new_from_previous

    if source.suffix.lower() in EXCEL_SUFFIXES:
        converted = source.with_suffix(".yaml")
        converted.write_text(to_yaml(source), encoding="utf-8")
        source = converted
    target = scratch / f"{year}.yaml"
    created = new_from_previous(year, source, target)
    return created.path.read_text(encoding="utf-8"), created.to_fill


@dataclass(frozen=True)
class ImportedInput:
    """Last year's report as an input: the YAML ``genreport import`` writes, and what it found."""

    text: str
    #: The input's 年度 (the report's year, or the year assumed when it names none).
    year: int
    funds: tuple[FundSummary, ...]
    #: Figures of the report that disagree, and what the server settled (unit, year).
    remarks: tuple[str, ...]
    to_confirm: int


#: Years an input may be about (the checker's own bound is 2000).
_YEARS = range(2000, 2101)


def import_last_report(path: Path, name: str, unit: str, year: int) -> ImportedInput:
    """Read the report at ``path`` (uploaded as ``name``) into ``unit``'s input.

    ``year`` is the year the user is working on; a report that names no year is taken
    as the one before it, marked 【待核对】. The input names the account's unit, as the
    server requires. A file that cannot be read (wrong kind, too large, a zip bomb, a DTD,
    macros) raises InputError naming ``name``; nothing is written.
    """
    from generator.authoring.import_report import import_report

    try:
        report = import_report(path, path.with_suffix(".yaml"))
    except InputError as exc:
        raise InputError(_shown(exc.problems, path, name)) from None
    assembled = report.assembled
    remarks = [f"原报告前后不一：{conflict}" for conflict in assembled.conflicts]
    remarks += _settle_header(assembled, unit, year - 1)
    header = assembled.data["报告"]
    return ImportedInput(
        assembled.text,
        int(header["年度"]),
        tuple(assembled.funds),
        tuple(remarks),
        assembled.to_confirm,
    )


def _settle_header(assembled: Assembled, unit: str, last_year: int) -> list[str]:
    """Put the account's unit, and a year if the report names none, into the header."""
    header = assembled.data["报告"]
    remarks = []
    named = str(header.get("单位") or "").strip()
    if named != unit:
        said = "" if named.startswith(TO_FILL) else named
        was = f"原报告为“{said}”" if said else "原报告未写单位"
        _put(assembled, "单位", unit, f"本账号所属单位；{was}")
        if said:
            remarks.append(f"原报告的单位为“{said}”，已改为本账号所属的“{unit}”。")
    found = header.get("年度")
    if not isinstance(found, int) or found not in _YEARS:
        _put(assembled, "年度", last_year, f"{TO_CONFIRM}原报告中没有找到年度，暂按上一年度填写")
        remarks.append(f"原报告中没有找到年度，暂按 {last_year} 年度导入，请核对。")
    return remarks


def _put(assembled: Assembled, key: str, value: object, comment: str) -> None:
    assembled.data["报告"][key] = value
    assembled.comments[("报告", key)] = comment


def default_year() -> int:
    """The year reports are being written about, as ``genreport new`` assumes."""
    from generator.authoring.scaffold import default_year as scaffold_year

    return scaffold_year()


def report_pdf(document: Path, pool: ConverterPool | None) -> bytes:
    """The PDF of one generated .docx, as ``genreport --pdf`` writes it (next to it)."""
    from generator.output.pdf import convert_to_pdf

    (pdf,) = convert_to_pdf([document], pool=pool, force=True)
    return pdf.read_bytes()


def rollup_input(paths: Sequence[Path], unit: str) -> str:
    """The city's input from its counties' accepted inputs, as ``genreport rollup`` writes it."""
    from generator.authoring.rollup import city_input_text, rollup
    from generator.batch import check_all

    return city_input_text(rollup(check_all(paths), unit))


def rollup_workbook(text: str, scratch: Path, name: str) -> bytes:
    """The roll-up as a fill-in workbook, as ``genreport convert`` makes one from YAML."""
    from generator.authoring.convert import to_workbook

    scratch.mkdir(parents=True, exist_ok=True)
    source = scratch / name
    source.write_text(text, encoding="utf-8")
    return to_workbook(source)


def summary_workbook(current: Sequence[Path], earlier: Mapping[int, Sequence[Path]]) -> bytes:
    """The 汇总表 of ``genreport summary`` for these inputs (earlier years by year)."""
    from generator.authoring.summary import summary_workbook as build
    from generator.batch import check_all

    past = {year: check_all(paths) for year, paths in earlier.items() if paths}
    return build(check_all(current), past)
