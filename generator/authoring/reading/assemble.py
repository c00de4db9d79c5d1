"""Turn what was recognised in last year's report into a commented input.

Every value carries a comment saying where it came from («第2个表格第5行»,
«二、（一）第2段»); a value the recognisers were not sure of is marked 【待核对】 so that
``genreport check`` lists it until the user confirms it. Nothing the report says is
dropped: text that fits no 叙述 slot is kept under 待归类.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.authoring.reading.accounts import find_accounts
from generator.authoring.reading.blocks import Found, Paragraph, SourceDocument, Table
from generator.authoring.reading.figures import find_money
from generator.authoring.reading.indicators import find_indicators
from generator.authoring.reading.model import (
    IndicatorRow,
    MoneyRow,
    Placement,
    PolicyDocument,
    ReportPart,
)
from generator.authoring.reading.outline import place_narrative, policy_documents, split_reports
from generator.core.markers import TO_CONFIRM, TO_FILL
from generator.core.vocabulary import UNPLACED_SLOT
from generator.errors import InputError, Location, Problem
from generator.inputs.source import FieldPath
from generator.inputs.yaml_write import Blank, dump_yaml, funding_row
from generator.render.facts import (
    AUTOMATIC,
    RULE_SET_FACT,
    IndicatorFacts,
    read_confirmed,
    read_indicators,
)

__all__ = ["Assembled", "FundSummary", "Given", "assemble"]

#: 总体目标 is required by the contract; when the report states none, the user is asked.
NO_GOAL = f"{TO_FILL}：原报告未写年度总体目标"


@dataclass(frozen=True)
class FundSummary:
    """What was found for one fund, for the terminal summary and the workbench's page."""

    name: str
    fund_type: str
    outline: str
    sources: int
    indicators: int
    with_target: int
    with_actual: int
    slots: int
    unplaced: int


@dataclass
class Assembled:
    """The input (data, comments, header lines) and what it holds; :attr:`text` is its YAML."""

    data: dict[str, Any]
    comments: dict[FieldPath, str]
    header: list[str]
    funds: list[FundSummary]
    conflicts: list[str] = field(default_factory=list)

    @property
    def to_confirm(self) -> int:
        """How many values are marked 【待核对】 (one per line of the written input)."""
        return sum(1 for comment in self.comments.values() if comment.startswith(TO_CONFIRM))

    @property
    def text(self) -> str:
        return dump_yaml(self.data, header=self.header, comments=self.comments, flow=funding_row)

    def fill(self, path: FieldPath, value: str, comment: str) -> None:
        """Put ``value`` at ``path`` (an existing mapping's key) with a 【待核对】 comment."""
        target: Any = self.data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        self.comments[path] = f"{TO_CONFIRM}{comment}"


class _Writer:
    """Collects the data and the comment for each path as values are placed."""

    def __init__(self) -> None:
        self.comments: dict[FieldPath, str] = {}

    def put(self, target: dict[str, Any], path: FieldPath, key: str, found: Found[Any]) -> None:
        target[key] = found.value
        self.note((*path, key), found.where, sure=found.sure, extra=found.note)

    def note(self, path: FieldPath, where: str, *, sure: bool = True, extra: str = "") -> None:
        text = "；".join(part for part in (where, extra) if part)
        if not sure:
            text = f"{TO_CONFIRM}{text}"
        if text:
            self.comments[path] = text


@dataclass(frozen=True)
class Given:
    """What the user settled on the command line; it wins over what the report says."""

    year: int | None = None
    unit: str | None = None
    fund_type: str | None = None


def assemble(document: SourceDocument, given: Given | None = None) -> Assembled:
    """The commented YAML input for every report in ``document``."""
    parts = split_reports(document)
    if not parts:
        raise InputError(
            [
                Problem(
                    Location(document.name),
                    "没有找到绩效自评报告：文件中应有以“一、”开始的各部分标题，"
                    "如“一、绩效目标分解下达情况”或“一、基本情况”",
                )
            ]
        )
    writer = _Writer()
    given = given or Given()
    for part in parts:
        if given.year is not None:
            part.year = Found(given.year, "命令行 --year")
        if given.unit is not None:
            part.unit = Found(given.unit, "命令行 --unit")
        if given.fund_type is not None:
            part.fund_type = Found(given.fund_type, "命令行 --type")
    report = _report_header(parts, writer, document.properties)
    unit = str(report.get("金额单位", "万元"))
    funds: list[dict[str, Any]] = []
    summaries: list[FundSummary] = []
    conflicts: list[str] = []
    for k, part in enumerate(parts):
        recorded = read_indicators(document.properties, k + 1)
        fund, summary, found_conflicts = _fund(k, part, unit, writer, recorded)
        confirmed = read_confirmed(document.properties, k + 1)
        if confirmed:
            fund["确认数字"] = confirmed
            writer.note(("项目", k, "确认数字"), "文档属性中记录的确认数字")
        funds.append(fund)
        summaries.append(summary)
        conflicts.extend(found_conflicts)
    header = [
        f"由上年报告《{_display_name(document.name)}》导入（genreport import），共 {len(parts)} 项资金。",
        f"注释写明每个值取自原报告何处；标有“{TO_CONFIRM}”的是推断的值，请对照原报告核对后删去该标记。",
        f"“{UNPLACED_SLOT}”中是未能归入栏目的原文，不会印入报告，请移到合适的栏目。",
        "核对后运行：genreport check <本文件>；下一年度的输入用：genreport new --from <本文件>",
    ]
    data = {"报告": report, "项目": funds}
    return Assembled(data, writer.comments, header, summaries, conflicts)


def _display_name(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


# ------------------------------------------------------------------ 报告


def _first(parts: Sequence[ReportPart], attribute: str) -> Found[Any] | None:
    for part in parts:
        value = getattr(part, attribute)
        if value is not None:
            return value  # type: ignore[no-any-return]
    return None


def _report_header(
    parts: Sequence[ReportPart], writer: _Writer, properties: Mapping[str, str]
) -> dict[str, Any]:
    report: dict[str, Any] = {}
    path: FieldPath = ("报告",)
    unit = _first(parts, "unit")
    if unit is not None:
        writer.put(report, path, "单位", unit)
    else:
        report["单位"] = f"{TO_FILL}：报告单位"
        writer.note((*path, "单位"), "原报告未写单位（标题和落款中都没有找到）", sure=False)
    year = _first(parts, "year") or _year_mentioned(parts)
    if year is not None:
        writer.put(report, path, "年度", year)
    else:
        report["年度"] = TO_FILL  # check: «尚未填写：请把“待填”改为实际内容»
        writer.note((*path, "年度"), "原报告标题中没有年度，请填写被评价的年度", sure=False)
    date = _first(parts, "date")
    if date is not None:
        writer.put(report, path, "成文日期", date)
    else:
        report["成文日期"] = Blank("原报告未写落款日期")
    recipient = _first(parts, "recipient")
    if recipient is not None:
        writer.put(report, path, "主送", recipient)
    else:
        report["主送"] = Blank("原报告未写主送机关")
    units = [p.money_unit for p in parts if p.money_unit is not None]
    common = _most_common([u.value for u in units]) if units else "万元"
    report["金额单位"] = common
    writer.note((*path, "金额单位"), "按原报告多数金额的写法" if units else "原报告未见金额")
    rule_set = properties.get(RULE_SET_FACT)
    if rule_set:
        report["评分规则"] = rule_set
        writer.note((*path, "评分规则"), "文档属性中记录的评分规则")
    outlines = {p.outline.value for p in parts if p.outline is not None}
    if len(outlines) == 1 and len(parts) > 1:
        (only,) = outlines
        report["提纲"] = only
        writer.note((*path, "提纲"), "各报告的部分标题相同")
    return report


_YEAR = re.compile(r"(20\d\d)年")


def _year_mentioned(parts: Sequence[ReportPart]) -> Found[int] | None:
    """A report without a title: the year its opening paragraphs name most (a guess)."""
    years: list[str] = []
    first_where = ""
    for block in parts[0].blocks[:8]:
        if isinstance(block, Paragraph):
            found = _YEAR.findall(block.text)
            if found and not first_where:
                first_where = block.where
            years.extend(found)
    if not years:
        return None
    return Found(int(_most_common(years)), first_where, sure=False, note="正文中最常提到的年度")


def _most_common(values: Sequence[str]) -> str:
    return max(dict.fromkeys(values), key=values.count)


# ------------------------------------------------------------------ 项目


def _fund(
    k: int,
    part: ReportPart,
    unit: str,
    writer: _Writer,
    recorded: Sequence[IndicatorFacts] = (),
) -> tuple[dict[str, Any], FundSummary, list[str]]:
    path: FieldPath = ("项目", k)
    fund: dict[str, Any] = {}
    own_unit = _identity(fund, part, unit, path, writer)
    findings = find_money(part, own_unit)
    if findings.initial is not None:
        writer.put(fund, path, "年初预算数", findings.initial)
    money = _money(findings.rows, (*path, "资金"), writer)
    fund["资金"] = money
    if findings.adjusted_total is not None:
        writer.put(fund, path, "调整后预算数", findings.adjusted_total)
    if fund.get("类型") == "城乡居民医保":
        _accounts(fund, find_accounts(part, own_unit), path, writer)
    placement = place_narrative(part)
    _goals(fund, part, placement.goals, path, writer)
    rows = find_indicators(part)
    facts = _recorded_facts(rows, recorded)
    fund["指标"] = [
        _indicator(row, placement.notes, (*path, "指标", i), writer, facts[i])
        for i, row in enumerate(rows)
    ]
    if not rows:
        writer.note((*path, "指标"), "原报告中没有找到绩效指标：请按上年的自评表填写", sure=False)
    narrative = _narrative(placement, (*path, "叙述"), writer)
    if narrative:
        fund["叙述"] = narrative
    summary = FundSummary(
        name=part.fund_name.value if part.fund_name is not None else part.title,
        fund_type=part.fund_type.value if part.fund_type is not None else "？",
        outline=part.outline.value if part.outline is not None else "？",
        sources=len(money),
        indicators=len(rows),
        with_target=sum(1 for r in rows if r.target is not None),
        with_actual=sum(1 for r in rows if r.actual is not None or r.rating is not None),
        slots=len([s for s in narrative if s != UNPLACED_SLOT]),
        unplaced=len(placement.unplaced),
    )
    return fund, summary, list(findings.conflicts)


def _identity(
    fund: dict[str, Any], part: ReportPart, unit: str, path: FieldPath, writer: _Writer
) -> str:
    """类型, 名称, 提纲, 金额单位 and 政策依据 of the fund; returns its money unit."""
    if part.fund_type is not None:
        writer.put(fund, path, "类型", part.fund_type)
    else:
        fund["类型"] = f"{TO_FILL}：城乡居民医保、医疗救助、能力提升或扶贫济困"
        writer.note((*path, "类型"), f"标题“{part.title}”中看不出资金类型", sure=False)
    if part.fund_name is not None:
        writer.put(fund, path, "名称", part.fund_name)
    if part.outline is not None:
        writer.put(fund, path, "提纲", part.outline)
    stated = _table_unit(part) or part.money_unit
    own_unit = stated.value if stated is not None else unit
    if own_unit != unit:
        fund["金额单位"] = own_unit
        writer.note((*path, "金额单位"), f"本报告的金额以{own_unit}计")
    policies = policy_documents(part)
    if policies:
        fund["政策依据"] = [
            _policy(p, (*path, "政策依据", i), writer) for i, p in enumerate(policies)
        ]
    return own_unit


def _accounts(
    fund: dict[str, Any], accounts: Mapping[str, Found[Decimal]], path: FieldPath, writer: _Writer
) -> None:
    if accounts:
        fund["基金收支"] = {}
        for key in ("收入", "支出", "当期结余", "累计结余"):
            if key in accounts:
                writer.put(fund["基金收支"], (*path, "基金收支"), key, accounts[key])


def _goals(
    fund: dict[str, Any],
    part: ReportPart,
    goals: Sequence[Found[str]],
    path: FieldPath,
    writer: _Writer,
) -> None:
    """总体目标 (required: 待填 when the report has none), 总体完成情况 and 自评得分."""
    goal = _goal(part, goals)
    if goal is not None:
        writer.put(fund, path, "总体目标", goal)
    else:
        fund["总体目标"] = NO_GOAL
        writer.note((*path, "总体目标"), "原报告未单独写出年度总体目标", sure=False)
    result = _goal_result(part)
    if result is not None:
        writer.put(fund, path, "总体完成情况", result)
    score = _stated_score(part)
    if score is not None:
        writer.put(fund, path, "自评得分", score)


def _narrative(placement: Placement, path: FieldPath, writer: _Writer) -> dict[str, str]:
    narrative: dict[str, str] = {}
    for slot, texts in placement.slots.items():
        if not texts:
            continue
        narrative[slot] = "\n".join(t.value for t in texts)
        writer.note((*path, slot), _span([t.where for t in texts]), sure=all(t.sure for t in texts))
    if placement.unplaced:
        narrative[UNPLACED_SLOT] = "\n".join(t.value for t in placement.unplaced)
        writer.note((*path, UNPLACED_SLOT), _span([t.where for t in placement.unplaced]))
    return narrative


def _recorded_facts(
    rows: list[IndicatorRow], recorded: Sequence[IndicatorFacts]
) -> list[IndicatorFacts]:
    """For each row, what the report's document properties recorded of it ({} if nothing).

    Matched by name, the n-th row of a name to the n-th record of it, so a row added or
    renamed by hand in Word simply gets nothing (and ``check`` asks for what is missing).
    """
    pending: dict[str, list[IndicatorFacts]] = {}
    for item in recorded:
        pending.setdefault(item["名称"], []).append(item)
    return [(pending[row.name.value].pop(0) if pending.get(row.name.value) else {}) for row in rows]


_UNIT_HEADER = re.compile(r"(?:资金情况|项目资金)[（(](元|万元|亿元)[)）]")


def _table_unit(part: ReportPart) -> Found[str] | None:
    """The unit the 自评表's money block states in its header («资金情况（亿元）»): it wins
    over a count of the units in the text, where quoted figures may use another."""
    for block in part.blocks:
        if isinstance(block, Table):
            for r, row in enumerate(block.rows):
                for cell in row:
                    match = _UNIT_HEADER.search(cell)
                    if match:
                        return Found(match[1], block.row_where(r))
    return None


def _span(wheres: Sequence[str]) -> str:
    """Where a slot's paragraphs came from, short: the first and the last place."""
    if not wheres:
        return ""
    if len(wheres) == 1:
        return wheres[0]
    return f"{wheres[0]}至{wheres[-1]}（{len(wheres)}段）"


def _policy(policy: PolicyDocument, path: FieldPath, writer: _Writer) -> dict[str, Any]:
    """A cited document: its title when the report gives one, its 文号 as normalised."""
    item: dict[str, Any] = {}
    if policy.title:
        item["标题"] = policy.title
    if policy.number:
        item["文号"] = policy.number
    writer.note((*path, next(iter(item))), policy.where)
    return item


def _money(rows: Sequence[MoneyRow], path: FieldPath, writer: _Writer) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        item: dict[str, Any] = {"来源": row.source.value}
        wheres: list[str] = [row.source.where]
        sure = row.source.sure
        for key, value in (
            ("预算数", row.budget),
            ("到位数", row.arrived),
            ("执行数", row.spent),
            ("调整数", row.adjustment),
            ("清算数", row.clearing),
        ):
            if value is not None:
                item[key] = value.value
                wheres.append(value.where)
                sure = sure and value.sure
        if "预算数" not in item:
            item["预算数"] = Decimal(0)
            sure = False
        places = dict.fromkeys(part for where in wheres for part in where.split("；") if part)
        writer.note((*path, i), "、".join(places), sure=sure)
        result.append(item)
    if not result:
        result.append({"来源": f"{TO_FILL}：资金来源", "预算数": Decimal(0)})
        writer.note((*path, 0), "原报告中没有找到资金数", sure=False)
    return result


_GOAL_TITLE = re.compile(r"(年度)?总体(绩效)?目标")


_GOAL_LABEL = re.compile(r"^(?:\d+[.．、]\s*)?(?:年度)?总体(?:绩效)?目标(?:为)?[。：:．.]?\s*")


def _goal(part: ReportPart, goals: Sequence[Found[str]]) -> Found[str] | None:
    """总体目标: the 自评表's «年度总体目标» row, else the text under the report's 绩效目标
    heading that names itself the overall goal (a guess, to confirm)."""
    for block in part.blocks:
        if isinstance(block, Table):
            found = _goal_in_table(block)
            if found is not None:
                return found
    for text in goals:
        if _GOAL_LABEL.match(text.value):
            goal = _GOAL_LABEL.sub("", text.value, count=1).strip()
            if goal:
                return Found(goal, text.where, sure=False)
    return None


_GOAL_COLUMNS = ("总体目标", "预期目标")
_RESULT_COLUMNS = ("全年实际完成情况", "实际完成情况")


def _goal_in_table(table: Table, columns: Sequence[str] = _GOAL_COLUMNS) -> Found[str] | None:
    """The 自评表's «年度总体目标» block: a header row naming the column, the text below it."""
    for r, row in enumerate(table.rows[:-1]):
        if not row or not _GOAL_TITLE.search(row[0]):
            continue
        below = table.rows[r + 1]
        for column, cell in enumerate(row):
            if cell.strip() in columns and column < len(below) and below[0] == row[0]:
                text = below[column].strip()
                if text and text not in columns:
                    return Found(text, table.row_where(r + 1))
    return None


def _goal_result(part: ReportPart) -> Found[str] | None:
    """总体完成情况: the 自评表's «实际完成情况» beside the goal."""
    for block in part.blocks:
        if isinstance(block, Table):
            found = _goal_in_table(block, _RESULT_COLUMNS)
            if found is not None:
                return found
    return None


_SCORE = re.compile(
    r"得分(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*分|整体自评\s*([0-9]+(?:\.[0-9]+)?)\s*分"
)
#: Words of a sentence that states the whole evaluation's score, not one indicator's.
_TOTAL_WORDS = ("自评", "总得分", "整体", "评价得分", "绩效评价得分")


def _stated_score(part: ReportPart) -> Found[Decimal] | None:
    """The total the report states («自评得分95分», «总得分99分», «评价得分99分»).

    A sentence about one indicator («此项指标得分3分») or a group's score in brackets
    («（自评得分44分）») does not count; a sentence naming the total («总得分») wins.
    """
    found: list[tuple[bool, Found[Decimal]]] = []
    previous = ""
    for block in part.blocks:
        if not isinstance(block, Paragraph):
            continue
        text = _BRACKETED.sub("", block.text)
        total = any(word in text for word in _TOTAL_WORDS) or "评价得分" in previous
        previous = text
        if "此项" in text or "指标得分" in text or not total:
            continue
        for match in _SCORE.finditer(text):
            value = Decimal(match.group(1) or match.group(2))
            if value <= 100:
                is_total = "总得分" in text or "整体" in text
                found.append((is_total, Found(value, block.where, note="原报告所写总分")))
    ranked = [f for is_total, f in found if is_total] + [f for is_total, f in found if not is_total]
    return ranked[0] if ranked else None


_BRACKETED = re.compile(r"[（(][^（）()]*得分[^（）()]*[）)]")


_RECORDED = "文档属性中记录的值"
#: The groups whose indicators need no 二级 (as compute checks it).
_BUDGET_GROUPS = frozenset({"预算执行", "预算执行率"})


def _apply_recorded(row: IndicatorRow, recorded: IndicatorFacts) -> None:
    """What the document properties recorded fills what the report's table leaves open."""
    if row.weight is None and "分值" in recorded:
        row.weight = Found(Decimal(recorded["分值"]), _RECORDED)
    if row.kind is None and "指标类型" in recorded:
        row.kind = Found(recorded["指标类型"], _RECORDED)
    if row.rating is None and "评级" in recorded:
        row.rating = Found(recorded["评级"], _RECORDED)
    if recorded.get("完成值") == AUTOMATIC:
        row.actual = Found(AUTOMATIC, _RECORDED)


def _indicator(
    row: IndicatorRow,
    notes: dict[str, Found[str]],
    path: FieldPath,
    writer: _Writer,
    recorded: IndicatorFacts,
) -> dict[str, Any]:
    _apply_recorded(row, recorded)
    item: dict[str, Any] = {}
    for key, value in (
        ("一级", row.level1),
        ("二级", row.level2),
        ("名称", row.name),
        ("指标类型", row.kind),
        ("分值", row.weight),
        ("指标值", row.target),
        ("完成值", row.actual),
        ("评级", row.rating),
        ("上年完成值", row.previous),
        ("偏差原因", row.reason),
        ("改进措施", row.measure),
    ):
        if value is not None:
            item[key] = value.value
            if not value.sure:
                writer.note((*path, key), value.where, sure=False)
    if "得分" in recorded:
        item["得分"] = Decimal(recorded["得分"])
        if "评分说明" in recorded:
            item["评分说明"] = recorded["评分说明"]
        writer.note((*path, "得分"), _RECORDED)
    if row.not_applicable is not None and row.not_applicable.value:
        item["不适用"] = True
    for key in ("一级", "二级"):
        if key == "二级" and str(item.get("一级", "")).strip() in _BUDGET_GROUPS:
            continue  # the one group the contract lets go without 二级
        if key not in item:
            item[key] = f"{TO_FILL}：{key}指标"
            writer.note((*path, key), "原报告未写", sure=False)
    if "指标值" not in item:
        item["指标值"] = f"{TO_FILL}：指标值"
        writer.note((*path, "指标值"), "原报告未写指标值", sure=False)
    note = row.note or notes.get(row.name.value)
    if note is not None:
        item["说明"] = note.value
        writer.note((*path, "说明"), note.where, sure=note.sure)
    if row.score is not None:
        extra = f"原报告得分 {row.score.value}"
        writer.note((*path, "名称"), row.where, sure=row.name.sure, extra=extra)
    else:
        writer.note((*path, "名称"), row.where, sure=row.name.sure)
    return item
