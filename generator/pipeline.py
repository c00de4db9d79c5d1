"""The straight pipeline: load → validate → compute → context → render → write.

Everything up to render happens in memory for every fund of an input before the
first byte is written, so a bad input writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .compute import ReportResult, compute_report
from .context import ReportContext, build_contexts
from .errors import ConfigError, InputError, Problem, Severity
from .load import LoadedInput, load_input
from .rules import RuleSet, load_rule_set
from .template_lookup import find_template, slots_used
from .validate import validate_input
from .wording import load_wording, template_dirs
from .write import OutputWriter, safe_name, write_outputs

__all__ = [
    "Checked",
    "Generated",
    "Rendered",
    "RenderedFile",
    "ReportRow",
    "check_file",
    "generate_file",
    "output_folder",
    "render_file",
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


@dataclass(frozen=True)
class ReportRow:
    unit: str
    fund: str
    score: str
    grade: str
    path: Path
    kept_aside: Path | None = None
    warnings: int = 0


@dataclass(frozen=True)
class Generated:
    input: str
    rows: list[ReportRow]
    warnings: tuple[Problem, ...] = field(default=())


def check_file(path: Path, *, templates: Path | None = None, strict: bool = False) -> Checked:
    """Run every validation and computation; raise :class:`InputError` on any error."""
    loaded = load_input(path)
    model = validate_input(loaded)
    dirs = template_dirs(templates)
    try:
        rules = load_rule_set(model.report.rule_set, dirs)
    except ConfigError as exc:
        where = loaded.location(("报告", "评分规则"))
        raise InputError([Problem(where, str(exc))]) from None
    wording = load_wording(dirs)
    result = compute_report(model, loaded.location, rules, wording)
    contexts = build_contexts(result, loaded.location, rules, wording)
    warnings = result.warnings + tuple(_unprinted_slots(loaded, contexts, dirs))
    if strict and warnings:
        raise InputError(
            Problem(w.location, f"{w.message}（--strict：警告按错误处理）", Severity.ERROR)
            for w in warnings
        )
    return Checked(loaded, result, contexts, rules, warnings)


def _unprinted_slots(
    loaded: LoadedInput, contexts: list[ReportContext], dirs: tuple[Path, ...]
) -> list[Problem]:
    """Narrative the user wrote but the chosen outline's template never prints."""
    problems = []
    for ctx in contexts:
        fund = ctx.fund
        used = slots_used(find_template(fund.outline, fund.fund.type, dirs))
        for slot, text in fund.fund.narrative.slots().items():
            if text and text.strip() and slot not in used:
                where = loaded.location(("项目", fund.index, "叙述", slot))
                problems.append(Problem(
                    where, f"提纲“{fund.outline}”的模板不使用栏目“{slot}”，这段文字不会出现在报告中",
                    Severity.WARNING, "改用该提纲使用的栏目，或改用其他提纲"))
    return problems


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


def render_file(path: Path, *, templates: Path | None = None, strict: bool = False) -> Rendered:
    """Check one input and render all its documents in memory; nothing is written."""
    from .docxfile import build_volume, finalize_docx
    from .render import render_document

    checked = check_file(path, templates=templates, strict=strict)
    info = checked.result.model.report
    dirs = template_dirs(templates)
    created = info.date
    files: list[RenderedFile] = []
    owners: dict[str, int] = {}
    clashes: list[Problem] = []
    for ctx in checked.contexts:
        name = safe_name(f"{info.unit}-{ctx.fund.name}-绩效自评报告")
        index = ctx.fund.index
        if name in owners:
            clashes.append(Problem(
                checked.loaded.location(("项目", index, "名称")),
                f"与项目[{owners[name] + 1}]的报告同名（{name}），请为其中一项填写不同的“名称”",
            ))
            continue
        owners[name] = index
        template = find_template(ctx.fund.outline, ctx.fund.fund.type, dirs)
        data = render_document(ctx.values, template, title=ctx.values["标题"],
                               author=info.unit, created=created)
        count = sum(1 for w in checked.warnings if w.location.path[:2] == ("项目", index))
        files.append(RenderedFile(name, data, ctx.fund.name, ctx.values["总分"], ctx.fund.grade,
                                  count))
    if clashes:
        raise InputError(clashes)
    if len(checked.contexts) > 1:
        title = f"{info.unit}{info.year}年度医保转移支付补助资金绩效自评报告"
        contents = [ctx.values["标题"] for ctx in checked.contexts]
        date_text = checked.contexts[0].values["成文日期"]
        data = build_volume([f.data for f in files], title, info.unit, date_text, contents)
        files.append(RenderedFile(
            safe_name(volume_name(info.unit, info.year)),
            finalize_docx(data, title=title, author=info.unit, created=created),
            "（合订本）", "", "",
        ))
    return Rendered(str(path), info.unit, info.year, tuple(files), checked.warnings)


def output_folder(output_dir: Path, year: int) -> Path:
    """Reports of one year go together: ``<DIR>/<年度>/``."""
    return output_dir / str(year)


def write_rendered(
    rendered: Rendered, output_dir: Path, writer: OutputWriter | None = None
) -> Generated:
    """Write one input's documents (atomically, keeping hand edits) and list them."""
    folder = output_folder(output_dir, rendered.year)
    files = {f.name: f.data for f in rendered.files}
    results = write_outputs(folder, files) if writer is None else writer.write(folder, files)
    written = {w.path.name: w for w in results}
    rows = [ReportRow(rendered.unit, f.fund, f.score, f.grade, written[f.name].path,
                      written[f.name].kept_aside, f.warnings) for f in rendered.files]
    return Generated(rendered.input, rows, rendered.warnings)


def generate_file(
    path: Path, output_dir: Path, *, templates: Path | None = None, strict: bool = False
) -> Generated:
    """Generate every report of one input, plus the volume when it has several funds."""
    return write_rendered(render_file(path, templates=templates, strict=strict), output_dir)
