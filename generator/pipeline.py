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
from .write import WriteResult, safe_name, write_outputs

__all__ = ["Checked", "Generated", "ReportRow", "check_file", "generate_file", "volume_name"]


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


def generate_file(
    path: Path, output_dir: Path, *, templates: Path | None = None, strict: bool = False
) -> Generated:
    """Generate every report of one input, plus the volume when it has several funds."""
    from .docxfile import build_volume, finalize_docx
    from .render import render_document

    checked = check_file(path, templates=templates, strict=strict)
    info = checked.result.model.report
    dirs = template_dirs(templates)
    created = info.date
    files: dict[str, bytes] = {}
    rendered: list[tuple[ReportContext, str]] = []
    for ctx in checked.contexts:
        template = find_template(ctx.fund.outline, ctx.fund.fund.type, dirs)
        data = render_document(ctx.values, template, title=ctx.values["标题"],
                               author=info.unit, created=created)
        name = safe_name(f"{info.unit}-{ctx.fund.name}-绩效自评报告")
        files[name] = data
        rendered.append((ctx, name))
    volume: str | None = None
    if len(checked.contexts) > 1:
        title = f"{info.unit}{info.year}年度医保转移支付补助资金绩效自评报告"
        contents = [ctx.values["标题"] for ctx in checked.contexts]
        date_text = checked.contexts[0].values["成文日期"]
        data = build_volume([files[name] for _, name in rendered], title, info.unit, date_text,
                            contents)
        volume = safe_name(volume_name(info.unit, info.year))
        files[volume] = finalize_docx(data, title=title, author=info.unit, created=created)
    written = {w.path.name: w for w in write_outputs(output_dir / str(info.year), files)}
    rows = [_row(info.unit, ctx, written[name]) for ctx, name in rendered]
    if volume is not None:
        w = written[volume]
        rows.append(ReportRow(info.unit, "（合订本）", "", "", w.path, w.kept_aside))
    return Generated(str(path), rows, checked.warnings)


def _row(unit: str, ctx: ReportContext, written: WriteResult) -> ReportRow:
    return ReportRow(unit, ctx.fund.name, ctx.values["总分"], ctx.fund.grade, written.path,
                     written.kept_aside)


