"""Import the 项目支出绩效自评表 that finance systems export (domain.md §5).

The table has no fixed grid: provinces add title rows, put the money unit in a
header (“项目资金（万元）”, “年初预算数（元）”), split the target into 指标性质 /
指标值 / 度量单位 (四川), and merge 一级/二级 cells. So cells are found by their
labels, never by position, and one project is read per sheet. What the table
cannot supply (narrative, dates, a 偏差原因 it left blank) is written as a
commented blank so the staff see exactly what is left to do.
"""

from __future__ import annotations

import contextlib
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from generator.config.rulesets import load_rule_set
from generator.config.search import template_dirs
from generator.core.money import format_score, ratio, round_half_up
from generator.core.quantities import parse_actual, parse_target
from generator.core.scoring import Score, score_quantitative
from generator.core.vocabulary import NARRATIVE_SLOTS
from generator.errors import InputError, Location, Problem
from generator.inputs.excel.cells import to_value
from generator.inputs.excel.read import open_workbook
from generator.inputs.excel.schema import Kind
from generator.inputs.models import Fund
from generator.inputs.source import FieldPath
from generator.inputs.yaml_write import Blank, dump_yaml

__all__ = ["Imported", "import_table"]

Cell = tuple[Any, str]
Grid = list[list[Cell]]

_TYPE_WORDS = (
    ("城乡居民", "城乡居民医保"),
    ("医疗救助", "医疗救助"),
    ("能力提升", "能力提升"),
    ("扶贫济困", "扶贫济困"),
)
_MONEY_ROWS = (
    ("资金总额", "总额"),
    ("财政拨款", "当年财政拨款"),
    ("上年结转", "上年结转"),
    ("其他资金", "其他资金"),
)
_NATURE = {
    "≥": "≥",
    ">=": "≥",
    "≤": "≤",
    "<=": "≤",
    ">": ">",
    "<": "<",
    "=": "=",
    "正向": "≥",
    "反向": "≤",
    "定性": "",
}
NOT_GIVEN = "表中未提供"


@dataclass(frozen=True)
class Imported:
    text: str
    funds: int


def _label(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    folded = unicodedata.normalize("NFKC", value)
    return "".join(folded.split()).strip(":")


def _grid(ws: Any) -> Grid:
    """Cell values with every merged range filled from its top-left cell."""
    grid: Grid = [
        [(c.value, str(c.number_format or "General")) for c in row] for row in ws.iter_rows()
    ]
    for merged in ws.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = top
    return grid


def _find(grid: Grid, test: Callable[[str], bool]) -> tuple[int, int] | None:
    for r, row in enumerate(grid):
        for c, (value, _) in enumerate(row):
            if test(_label(value)):
                return r, c
    return None


def _right_of(grid: Grid, r: int, c: int) -> Any:
    """The value beside a label (skipping the label's own merged cells)."""
    label = grid[r][c][0]
    for value, number_format in grid[r][c + 1 :]:
        if value is not None and value != label and str(value).strip():
            return to_value(value, number_format, Kind.TEXT)
    return None


def _number(cell: Cell) -> Decimal | None:
    value = to_value(cell[0], cell[1], Kind.NUMBER)
    if isinstance(value, str) and value.endswith("%"):
        number = to_value(value[:-1], "General", Kind.NUMBER)
        return number / 100 if isinstance(number, Decimal) else None
    return value if isinstance(value, Decimal) else None


def _text(cell: Cell, kind: Kind = Kind.TEXT) -> str:
    value = to_value(cell[0], cell[1], kind)
    return "" if value is None else str(value)


def _money_unit(grid: Grid, upto: int) -> str:
    for row in grid[: upto + 1]:
        for value, _ in row:
            text = _label(value)
            for unit in ("亿元", "万元", "元"):
                if f"({unit})" in text or f"单位{unit}" in text or f"单位:{unit}" in text:
                    return unit
    return "万元"


class _Sheet:
    """One project's table, read by labels."""

    def __init__(self, title: str, grid: Grid) -> None:
        self.title = title
        self.grid = grid
        self.comments: dict[FieldPath, str] = {}

    def header(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key in ("项目名称", "主管部门", "实施单位"):
            at = _find(self.grid, partial(operator.eq, key))
            found[key] = _right_of(self.grid, *at) if at else None
        year = None
        for row in self.grid[:6]:
            for value, _ in row:
                match = re.search(r"(20\d{2})\s*年", str(value or ""))
                if match and year is None:
                    year = int(match.group(1))
        found["年度"] = year
        return found

    def money(self) -> tuple[dict[str, int], int, str] | None:
        at = _find(self.grid, lambda t: "全年预算数" in t)
        if at is None:
            return None
        r = at[0]
        columns: dict[str, int] = {}
        for c, (value, _) in enumerate(self.grid[r]):
            text = _label(value)
            for key in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"):
                if key in text and key not in columns:
                    columns[key] = c
        return columns, r, _money_unit(self.grid, r)

    def money_rows(self, columns: dict[str, int], r: int) -> dict[str, list[Cell]]:
        rows: dict[str, list[Cell]] = {}
        first = min(columns.values())
        for row in self.grid[r + 1 :]:
            labels = "".join(_label(v) for v, _ in row[:first])
            if "总体目标" in labels or "一级指标" in labels:
                break
            for word, key in _MONEY_ROWS:
                if word in labels and key not in rows:
                    rows[key] = row
        return rows

    def goals(self) -> tuple[str, str]:
        expected = _find(self.grid, lambda t: t.startswith("预期目标"))
        actual = _find(self.grid, lambda t: t.startswith("实际完成情况"))
        goal = result = ""
        if expected and expected[0] + 1 < len(self.grid):
            goal = _text(self.grid[expected[0] + 1][expected[1]])
        if actual and actual[0] + 1 < len(self.grid):
            result = _text(self.grid[actual[0] + 1][actual[1]])
        return goal, result

    def indicators(self) -> tuple[dict[str, int], list[list[Cell]], Decimal | None]:
        at = _find(self.grid, lambda t: t.startswith("三级指标"))
        if at is None:
            return {}, [], None
        r = at[0]
        columns: dict[str, int] = {}
        rules = (
            ("一级", lambda t: t.startswith("一级指标")),
            ("二级", lambda t: t.startswith("二级指标")),
            ("三级", lambda t: t.startswith("三级指标")),
            ("性质", lambda t: "指标性质" in t),
            ("指标值", lambda t: "指标值" in t),
            ("单位", lambda t: "度量单位" in t or "计量单位" in t),
            ("完成值", lambda t: "完成值" in t),
            ("分值", lambda t: t.startswith("分值")),
            ("得分", lambda t: t.startswith("得分")),
            ("偏差", lambda t: "原因" in t or "偏差" in t),
            ("措施", lambda t: "改进措施" in t and "原因" not in t),
        )
        for c, (value, _) in enumerate(self.grid[r]):
            text = _label(value)
            for key, test in rules:
                if key not in columns and test(text):
                    columns[key] = c
                    break
        rows: list[list[Cell]] = []
        total: Decimal | None = None
        for row in self.grid[r + 1 :]:
            labels = [_label(v) for v, _ in row]
            if any(t.startswith("总分") for t in labels):
                if "得分" in columns:
                    total = _number(row[columns["得分"]])
                break
            if "三级" in columns and _text(row[columns["三级"]]):
                rows.append(row)
        return columns, rows, total


def _guess_type(name: str) -> str | None:
    for word, fund_type in _TYPE_WORDS:
        if word in name:
            return fund_type
    return None


def _target(row: list[Cell], columns: dict[str, int]) -> str:
    text = _text(row[columns["指标值"]], Kind.QUANTITY) if "指标值" in columns else ""
    if "性质" not in columns:
        return text
    nature = _label(row[columns["性质"]][0])
    nature = unicodedata.normalize("NFKC", nature)
    prefix = next((v for k, v in _NATURE.items() if nature.startswith(k)), "")
    unit = _text(row[columns["单位"]]) if "单位" in columns else ""
    qualitative = nature.startswith("定性") or parse_target(text or "定性").is_qualitative
    if qualitative:
        return text
    if unit and not text.endswith(unit):
        text += unit
    return f"{prefix}{text}"


def _actual(row: list[Cell], columns: dict[str, int], unit: str) -> str:
    text = _text(row[columns["完成值"]], Kind.QUANTITY) if "完成值" in columns else ""
    if text and unit and not text.endswith(unit):
        try:
            parse_actual(text)
            text += unit
        except ValueError:
            pass
    return text


def _rating(score: Decimal, weight: Decimal) -> str:
    share = ratio(score, weight) or Decimal(0)
    return (
        "达成" if share >= Decimal("0.8") else "部分达成" if share >= Decimal("0.6") else "未达成"
    )


_DEFAULT_SHARE = {"达成": Decimal(1), "部分达成": Decimal("0.7"), "未达成": Decimal("0.3")}


def import_table(
    path: Path, *, year: int | None = None, unit: str | None = None, fund_type: str | None = None
) -> Imported:
    """Read every 自评表 sheet of ``path`` into one commented contract YAML text."""
    name = str(path)
    if not path.exists():
        raise InputError([Problem(Location(name), "文件不存在")])
    workbook = open_workbook(path, name)
    sheets = []
    for ws in workbook.worksheets:
        grid = _grid(ws)
        if _find(grid, lambda t: t == "项目名称") and _find(
            grid, lambda t: t.startswith("三级指标")
        ):
            sheets.append(_Sheet(ws.title, grid))
    if not sheets:
        raise InputError(
            [
                Problem(
                    Location(name),
                    "没有找到《项目支出绩效自评表》：工作表中应有“项目名称”和“三级指标”两栏",
                )
            ]
        )
    rules = load_rule_set("国家", template_dirs())
    comments: dict[FieldPath, str] = {}
    first = sheets[0].header()
    money_unit = "万元"
    funds = []
    for k, sheet in enumerate(sheets):
        fund, money_unit = _fund(k, sheet, fund_type, rules, comments)
        funds.append(fund)
    report: dict[str, Any] = {
        "单位": unit or first["主管部门"] or first["实施单位"],
        "年度": year or first["年度"],
        "成文日期": Blank(f"{NOT_GIVEN}：落款日期，如 2025-02-20"),
        "主送": Blank(f"{NOT_GIVEN}：主送机关"),
        "金额单位": money_unit,
    }
    if report["单位"] is None:
        comments[("报告", "单位")] = f"{NOT_GIVEN}：请填写报告单位（必填），或导入时加 --unit"
    if report["年度"] is None:
        comments[("报告", "年度")] = f"{NOT_GIVEN}：请填写被评价的年度（必填），或导入时加 --year"
    comments[("报告", "金额单位")] = "按表头的金额单位"
    header = [
        f"由《项目支出绩效自评表》{path.name} 导入（genreport import），每个工作表一个项目。",
        "注释中写“表中未提供”的键请补充；以“# 键:”开头的是可选键，需要时去掉“# ”再填写。",
        "补充后运行：genreport check <本文件>，无误后运行：genreport <本文件>",
    ]
    text = dump_yaml(
        {"报告": report, "项目": funds},
        header=header,
        comments=comments,
        flow=lambda p: len(p) == 4 and p[2] == "资金",
    )
    return Imported(text, len(funds))


def _fund(
    k: int, sheet: _Sheet, fund_type: str | None, rules: Any, comments: dict[FieldPath, str]
) -> tuple[dict[str, Any], str]:
    base: FieldPath = ("项目", k)
    info = sheet.header()
    project = str(info["项目名称"] or "")
    chosen = fund_type or _guess_type(project)
    fund: dict[str, Any] = {"类型": chosen}
    if chosen is None:
        comments[(*base, "类型")] = (
            f"{NOT_GIVEN}：未能从项目名称判断，请填写城乡居民医保、医疗救助、能力提升或扶贫济困"
        )
    fund["名称"] = project or Blank(f"{NOT_GIVEN}：资金全称，缺省按类型")
    comments[(*base, "名称")] = f"取自工作表“{sheet.title}”"
    fund["提纲"] = Blank("表中未提供：转移支付、评价报告或项目支出，缺省按类型")
    money = sheet.money()
    money_unit = "万元"
    execution: tuple[Decimal | None, Decimal | None] = (None, None)
    rows: list[dict[str, Any]] = []
    if money is not None:
        columns, r, money_unit = money
        found = sheet.money_rows(columns, r)
        total = found.get("总额")

        def amount(row: list[Cell], key: str) -> Decimal | None:
            return _number(row[columns[key]]) if key in columns else None

        for key in ("当年财政拨款", "上年结转", "其他资金"):
            row = found.get(key)
            if row is None:
                continue
            budget, spent = amount(row, "全年预算数"), amount(row, "全年执行数")
            if budget or spent:
                rows.append(
                    {"来源": key, "预算数": budget or Decimal(0), "执行数": spent or Decimal(0)}
                )
        if not rows and total is not None:
            rows.append(
                {
                    "来源": "当年财政拨款",
                    "预算数": amount(total, "全年预算数") or Decimal(0),
                    "执行数": amount(total, "全年执行数") or Decimal(0),
                }
            )
        if total is not None:
            execution = (amount(total, "分值"), amount(total, "得分"))
            initial = amount(total, "年初预算数")
            if initial is not None:
                fund["年初预算数"] = initial
    fund["资金"] = rows or [{"来源": "当年财政拨款", "预算数": None, "执行数": None}]
    comments[(*base, "资金", 0)] = (
        "表中无到位数：到位数缺省等于预算数，如有差额请在该行加“到位数: …”"
        if rows
        else f"{NOT_GIVEN}：请填写资金来源、预算数和执行数"
    )
    goal, result = sheet.goals()
    fund["总体目标"] = goal or None
    if not goal:
        comments[(*base, "总体目标")] = f"{NOT_GIVEN}：年度总体目标（必填）"
    fund["总体完成情况"] = result or Blank(f"{NOT_GIVEN}：全年实际完成情况")
    columns, indicator_rows, total_score = sheet.indicators()
    indicators = _indicators(k, rows, columns, indicator_rows, execution, rules, comments)
    if total_score is not None:
        fund["自评得分"] = total_score
        comments[(*base, "自评得分")] = "取自表中总分；与按指标计算的总分不一致时 check 会报错"
    fund["指标"] = indicators
    fund["叙述"] = {slot: Blank(NOT_GIVEN) for slot in NARRATIVE_SLOTS}
    order = [info.alias or n for n, info in Fund.model_fields.items()]
    return {key: fund[key] for key in order if key in fund}, money_unit


def _indicators(
    k: int,
    money_rows: list[dict[str, Any]],
    columns: dict[str, int],
    rows: list[list[Cell]],
    execution: tuple[Decimal | None, Decimal | None],
    rules: Any,
    comments: dict[FieldPath, str],
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    weight, _ = execution
    if weight:
        out.append(_budget_indicator(("项目", k, "指标", 0), money_rows, weight, comments))
    level1 = level2 = ""
    for row in rows:
        path: FieldPath = ("项目", k, "指标", len(out))
        unit = _text(row[columns["单位"]]) if "单位" in columns else ""
        # A blank group cell under a label means the same group, merged or not.
        new1 = _text(row[columns["一级"]]) if "一级" in columns else ""
        new2 = _text(row[columns["二级"]]) if "二级" in columns else ""
        if new1 and new1 != level1:
            level1, level2 = new1, ""
        level2 = new2 or level2
        item: dict[str, Any] = {"一级": level1}
        if level2:
            item["二级"] = level2
        item["名称"] = _text(row[columns["三级"]])
        weight_value = _number(row[columns["分值"]]) if "分值" in columns else None
        item["分值"] = weight_value
        item["指标值"] = _target(row, columns) or None
        actual = _actual(row, columns, unit)
        score = _number(row[columns["得分"]]) if "得分" in columns else None
        reason = _text(row[columns["偏差"]]) if "偏差" in columns else ""
        measures = _text(row[columns["措施"]]) if "措施" in columns else ""
        target = None
        with contextlib.suppress(ValueError):
            target = parse_target(item["指标值"] or "")
        if target is not None and target.is_qualitative and item["指标值"]:
            _rate_qualitative(item, path, actual, score, weight_value, reason, comments)
        else:
            computed = _computed(target, actual, weight_value, rules)
            _check_quantitative(item, path, actual, score, computed, reason, comments)
        if reason:
            item["偏差原因"] = reason
        if measures:
            item["改进措施"] = measures
        out.append(item)
    return out


def _budget_indicator(
    path: FieldPath,
    money_rows: list[dict[str, Any]],
    weight: Decimal,
    comments: dict[FieldPath, str],
) -> dict[str, Any]:
    """The table's 预算执行 score becomes a 预算执行率 indicator computed from the money."""
    item: dict[str, Any] = {
        "一级": "预算执行",
        "名称": "预算执行率",
        "分值": weight,
        "指标值": "100%",
        "完成值": "自动",
    }
    comments[(*path, "指标值")] = "表中无执行率目标，按100%填写；如另有目标请修改"
    budget = sum((r["预算数"] or Decimal(0) for r in money_rows), Decimal(0))
    spent = sum((r["执行数"] or Decimal(0) for r in money_rows), Decimal(0))
    if budget and spent < budget:
        item["偏差原因"] = None
        comments[(*path, "偏差原因")] = f"{NOT_GIVEN}：执行率未达100%，须填写偏差原因"
    return item


def _rate_qualitative(
    item: dict[str, Any],
    path: FieldPath,
    actual: str,
    score: Decimal | None,
    weight: Decimal | None,
    reason: str,
    comments: dict[FieldPath, str],
) -> None:
    """A qualitative row has no 评级 column: infer it from the table's score, and say so."""
    if actual:
        item["完成值"] = actual
    if score is None or not weight:
        item["评级"] = None
        comments[(*path, "评级")] = f"{NOT_GIVEN}：定性指标须填写评级（达成、部分达成、未达成）"
        return
    rating = _rating(score, weight)
    item["评级"] = rating
    if rating != "达成" and not reason:
        item["偏差原因"] = None
        comments[(*path, "偏差原因")] = f"{NOT_GIVEN}：未完全达成，须填写偏差原因"
    comments[(*path, "评级")] = f"按表中得分{format_score(score)}分推定"
    default = round_half_up(weight * _DEFAULT_SHARE[rating])
    if default != round_half_up(score):
        item["得分"] = score
        item["评分说明"] = None
        comments[(*path, "评分说明")] = (
            f"表中得分{format_score(score)}分与评级“{rating}”的缺省得分"
            f"{format_score(default)}分不同：请写明理由，或删除“得分”"
        )


def _check_quantitative(
    item: dict[str, Any],
    path: FieldPath,
    actual: str,
    score: Decimal | None,
    computed: Score | None,
    reason: str,
    comments: dict[FieldPath, str],
) -> None:
    """Blanks to fill where the table's figures would not pass ``check`` as they are."""
    item["完成值"] = actual or None
    if not actual:
        comments[(*path, "完成值")] = f"{NOT_GIVEN}：实际完成值（必填）"
    if computed is not None and not computed.met and not reason:
        item["偏差原因"] = None
        comments[(*path, "偏差原因")] = f"{NOT_GIVEN}：未完成目标，须填写偏差原因"
    if score is not None and computed is not None and computed.value != round_half_up(score):
        item["得分"] = score
        item["评分说明"] = None
        comments[(*path, "评分说明")] = (
            f"表中得分{format_score(score)}分与按规则计算的"
            f"{format_score(computed.value)}分不同：请写明理由，"
            "或删除“得分”"
        )


def _computed(target: Any, actual: str, weight: Decimal | None, rules: Any) -> Score | None:
    if target is None or not actual or weight is None:
        return None
    try:
        quantity = parse_actual(actual)
    except ValueError:
        return None
    return score_quantitative(target, quantity, weight, rules)
