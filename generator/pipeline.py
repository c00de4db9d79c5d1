"""The straight pipeline: load → validate → compute → context → render → write.

Everything up to render happens in memory for every fund of an input before the
first byte is written, so a bad input writes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.analysis.checks import at_most, run_checks
from generator.analysis.compute import ReportResult, compute_report
from generator.analysis.yoy import merge_previous
from generator.config.rulesets import load_rule_set
from generator.config.search import find_template, template_dirs
from generator.config.wording import load_wording
from generator.core.rules import RuleSet
from generator.core.vocabulary import UNPLACED_SLOT
from generator.errors import (
    ConfigError,
    InputError,
    Location,
    Problem,
    Severity,
    TemplateError,
)
from generator.inputs.load import load_input
from generator.inputs.source import LoadedInput
from generator.inputs.totals import total_problems
from generator.inputs.validate import validate_input
from generator.output.write import OutputWriter, WriteResult, safe_name, unique_name
from generator.render.budget import render_budget
from generator.render.context import ReportContext, build_contexts
from generator.render.slots import slots_used
from generator.render.unwritten import unwritten_slots

__all__ = [
    "Checked",
    "Generated",
    "Rendered",
    "RenderedFile",
    "ReportRow",
    "check_file",
    "generate_file",
    "generated_rows",
    "output_folder",
    "render_file",
    "resolve_template_dirs",
    "volume_name",
    "write_rendered",
]


@dataclass(frozen=True)
class Checked:
    """An input that passed every validation, with its computed figures."""

    loaded: LoadedInput
    result: ReportResult
    contexts: list[ReportContext]
    rules: RuleSet
    warnings: tuple[Problem, ...]
    #: Where templates, 措辞.yaml and rules were looked up, in order.
    template_dirs: tuple[Path, ...] = ()


@dataclass(frozen=True)
class ReportRow:
    unit: str
    fund: str
    score: str
    grade: str
    path: Path
    kept_aside: Path | None = None
    #: A hand-edited previous version was overwritten (``--force``).
    forced: bool = False
    warnings: int = 0


@dataclass(frozen=True)
class Generated:
    input: str
    rows: list[ReportRow]
    warnings: tuple[Problem, ...] = field(default=())


def check_file(
    path: Path,
    *,
    templates: Path | None = None,
    strict: bool = False,
    previous: Path | None = None,
) -> Checked:
    """Run every validation, computation and cross-check; raise :class:`InputError` on errors.

    ``previous`` is last year's input: its actuals fill the missing 上年完成值.
    """
    loaded = load_input(path)
    too_much = total_problems(loaded)  # before validation, which is linear in the totals
    if too_much:
        raise InputError(too_much)
    try:
        return _check_loaded(path, loaded, templates=templates, strict=strict, previous=previous)
    except InputError as exc:
        if not loaded.to_confirm or strict:
            raise
        # The lines an import marked 【待核对】 are listed beside the errors: they are
        # often why the errors are there.
        raise InputError([*exc.problems, *loaded.unconfirmed()]) from None


def _check_loaded(
    path: Path,
    loaded: LoadedInput,
    *,
    templates: Path | None,
    strict: bool,
    previous: Path | None,
) -> Checked:
    model = validate_input(loaded)
    notes: list[Problem] = []
    if previous is not None:
        last = check_file(previous, templates=templates).result
        if last.model.report.year != model.report.year - 1:
            raise InputError(
                [
                    Problem(
                        loaded.location(("报告", "年度")),
                        f"--previous 指定的“{previous}”是{last.model.report.year}年度的输入，"
                        f"应为上一年度（{model.report.year - 1}年度）",
                    )
                ]
            )
        model, notes = merge_previous(model, last, loaded.location)
    dirs = resolve_template_dirs(path, loaded, model.report.template_dir, templates)
    try:
        rules = load_rule_set(model.report.rule_set, dirs)
    except ConfigError as exc:
        if exc.problems:
            raise  # a broken rule file: its own file and lines, not the input's
        where = loaded.location(("报告", "评分规则"))
        raise InputError([Problem(where, str(exc))]) from None
    wording = load_wording(dirs)
    result = compute_report(model, loaded.location, rules, wording)
    checks = run_checks(result, rules, loaded.location)
    contradictions = [p for p in checks if p.is_error]
    if contradictions:
        # A figure that contradicts a computed one would print two values for one
        # quantity: nothing is written until it is corrected or acknowledged (确认数字).
        raise InputError(contradictions)
    with render_budget():  # shared with render_file's templates when called from there
        contexts = build_contexts(result, loaded.location, rules, wording)
    warnings = tuple(
        at_most(
            (
                *loaded.unconfirmed(),
                *notes,
                *result.warnings,
                *_unprinted_slots(loaded, contexts, dirs),
                *unwritten_slots(contexts, loaded.location, lambda ctx: _printed(ctx, dirs)),
                *checks,
            ),
            Location(loaded.file),
        )
    )
    if strict and warnings:
        raise InputError(
            Problem(
                w.location,
                f"{w.message}{'，' + w.hint if w.hint else ''}（--strict：警告按错误处理）",
                Severity.ERROR,
            )
            for w in warnings
        )
    return Checked(loaded, result, contexts, rules, warnings, dirs)


def _printed(ctx: ReportContext, dirs: tuple[Path, ...]) -> frozenset[str]:
    """The 叙述 slots the template of this context's fund prints."""
    return slots_used(find_template(ctx.fund.outline, ctx.fund.fund.type, dirs))


def _unprinted_slots(
    loaded: LoadedInput, contexts: list[ReportContext], dirs: tuple[Path, ...]
) -> list[Problem]:
    """Narrative the user wrote but the chosen outline's template never prints."""
    problems = []
    for ctx in contexts:
        fund = ctx.fund
        used = _printed(ctx, dirs)
        unplaced = fund.fund.narrative.unplaced
        if unplaced and unplaced.strip():
            count = sum(1 for line in unplaced.splitlines() if line.strip())
            problems.append(
                Problem(
                    loaded.location(("项目", fund.index, "叙述", UNPLACED_SLOT)),
                    f"“{UNPLACED_SLOT}”中有{count}段导入的原文，不会出现在报告中",
                    Severity.WARNING,
                    f"把每段移到合适的栏目（见 docs/输入格式.md），然后删去“{UNPLACED_SLOT}”",
                )
            )
        for slot, text in fund.fund.narrative.slots().items():
            if text and text.strip() and slot not in used:
                where = loaded.location(("项目", fund.index, "叙述", slot))
                problems.append(
                    Problem(
                        where,
                        f"提纲“{fund.outline}”的模板不使用栏目“{slot}”，这段文字不会出现在报告中",
                        Severity.WARNING,
                        "改用该提纲使用的栏目，或改用其他提纲",
                    )
                )
    return problems


def resolve_template_dirs(
    path: Path, loaded: LoadedInput, own: str | None, option: Path | None
) -> tuple[Path, ...]:
    """--templates first, then 报告.模板目录 (relative to the input file), then the shipped ones."""
    if option is not None and not option.is_dir():
        raise TemplateError(f"找不到模板目录“{option}”")
    user: list[Path] = [option] if option is not None else []
    if own:
        directory = path.parent / own
        if not directory.is_dir():
            where = loaded.location(("报告", "模板目录"))
            raise InputError(
                [
                    Problem(
                        where, f"模板目录“{own}”不存在（相对于输入文件所在目录，即“{directory}”）"
                    )
                ]
            )
        user.append(directory)
    return (*user, *template_dirs(None))


def volume_name(unit: str, year: int) -> str:
    return f"{unit}-{year}年度医保转移支付补助资金绩效自评报告"


@dataclass(frozen=True)
class RenderedFile:
    """One finished document and what the summary says about it."""

    name: str
    data: bytes
    fund: str
    score: str
    grade: str
    warnings: int = 0


@dataclass(frozen=True)
class Rendered:
    """Every document of one input, rendered but not yet written (crosses processes)."""

    input: str
    unit: str
    year: int
    files: tuple[RenderedFile, ...]
    warnings: tuple[Problem, ...] = field(default=())


def render_file(
    path: Path,
    *,
    templates: Path | None = None,
    strict: bool = False,
    previous: Path | None = None,
    xlsx: bool = False,
) -> Rendered:
    """Check one input and render all its documents in memory; nothing is written.

    Two funds whose report names clash (case-insensitively) get ``（2）``… appended.
    With ``xlsx`` each fund's 自评表 is also rendered as a workbook, written with the set.
    Snippets and templates of the input render within one budget (seconds, characters).
    """
    with render_budget():
        checked = check_file(path, templates=templates, strict=strict, previous=previous)
        return _render_checked(path, checked, xlsx=xlsx)


def _render_checked(path: Path, checked: Checked, *, xlsx: bool = False) -> Rendered:
    """Every document of a checked input, in memory."""
    # Imported after the checks: a bad input is reported without loading the Word stack.
    from generator.render.document import build_volume, finalize_docx
    from generator.render.facts import report_facts
    from generator.render.template import render_document

    info = checked.result.model.report
    dirs = checked.template_dirs
    created = info.date
    files: list[RenderedFile] = []
    for ctx in checked.contexts:
        template = find_template(ctx.fund.outline, ctx.fund.fund.type, dirs)
        data = render_document(
            ctx.printed,
            template,
            title=ctx.values["标题"],
            author=info.unit,
            created=created,
            facts=report_facts([ctx.fund.fund], info.rule_set),
        )
        name = unique_name(
            safe_name(f"{info.unit}-{ctx.fund.name}-绩效自评报告"), (f.name for f in files)
        )
        index = ctx.fund.index
        count = sum(1 for w in checked.warnings if w.location.path[:2] == ("项目", index))
        files.append(
            RenderedFile(name, data, ctx.fund.name, ctx.values["总分"], ctx.fund.grade, count)
        )
    if len(checked.contexts) > 1:
        title = f"{info.unit}{info.year}年度医保转移支付补助资金绩效自评报告"
        contents = [f"{ctx.fund.name}绩效自评报告" for ctx in checked.contexts]
        date_text = checked.contexts[0].values["成文日期"]
        data = build_volume([f.data for f in files], title, info.unit, date_text, contents)
        files.append(
            RenderedFile(
                unique_name(safe_name(volume_name(info.unit, info.year)), (f.name for f in files)),
                finalize_docx(
                    data,
                    title=title,
                    author=info.unit,
                    created=created,
                    polished=True,
                    facts=report_facts([c.fund.fund for c in checked.contexts], info.rule_set),
                ),
                "（合订本）",
                "",
                "",
            )
        )
    if xlsx:
        from generator.render.selfeval_xlsx import selfeval_workbook

        for ctx in checked.contexts:
            stem = safe_name(f"{info.unit}-{ctx.fund.name}-绩效自评表").removesuffix(".docx")
            name = unique_name(f"{stem}.xlsx", (f.name for f in files))
            files.append(RenderedFile(name, selfeval_workbook(ctx.values), "（自评表）", "", ""))
    return Rendered(str(path), info.unit, info.year, tuple(files), checked.warnings)


def output_folder(output_dir: Path, year: int) -> Path:
    """Reports of one year go together: ``<DIR>/<年度>/``."""
    return output_dir / str(year)


def generated_rows(rendered: Rendered, results: Sequence[WriteResult]) -> Generated:
    """The summary of one input's documents that ``results`` says are on disk, in order."""
    written = {w.path.name: w for w in results}
    rows = [
        ReportRow(
            rendered.unit,
            f.fund,
            f.score,
            f.grade,
            written[f.name].path,
            written[f.name].kept_aside,
            written[f.name].forced,
            f.warnings,
        )
        for f in rendered.files
        if f.name in written
    ]
    return Generated(rendered.input, rows, rendered.warnings)


def write_rendered(rendered: Rendered, output_dir: Path, writer: OutputWriter) -> Generated:
    """Write one input's documents as one set (all or none, keeping hand edits) and list them.

    Raises :class:`~generator.output.write.WriteFailed` when the set could not be
    written; it says which files, if any, are new (:func:`generated_rows` lists them).
    """
    folder = output_folder(output_dir, rendered.year)
    results = writer.write(folder, {f.name: f.data for f in rendered.files})
    return generated_rows(rendered, results)


def generate_file(
    path: Path,
    output_dir: Path,
    *,
    templates: Path | None = None,
    strict: bool = False,
    previous: Path | None = None,
    force: bool = False,
    xlsx: bool = False,
) -> Generated:
    """Generate every report of one input, plus the volume when it has several funds.

    All are written or none (:func:`write_rendered`); a manifest that cannot be saved
    only becomes a warning of the result.
    """
    rendered = render_file(path, templates=templates, strict=strict, previous=previous, xlsx=xlsx)
    with OutputWriter(force=force) as writer:
        generated = write_rendered(rendered, output_dir, writer)
    notes = tuple(Problem(Location(str(path)), text, Severity.WARNING) for text in writer.warnings)
    return dataclasses.replace(generated, warnings=(*generated.warnings, *notes))
