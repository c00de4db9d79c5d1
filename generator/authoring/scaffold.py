"""Starting points for a new year's input: a commented YAML file or a fill-in workbook.

Both are built from the same skeleton: the report keys, one fund per chosen type
with its default indicator system (templates/<类型>/指标体系.yaml), and every
optional key shown with the contract's own explanation, so staff fill in blanks
instead of learning the format first.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.config.indicator_systems import load_system
from generator.config.search import template_dirs
from generator.config.wording import load_wording
from generator.core.markers import TO_FILL
from generator.core.quantities import parse_target
from generator.core.vocabulary import MANAGEMENT_ASPECTS, NARRATIVE_SLOTS
from generator.inputs.excel.write import workbook_bytes
from generator.inputs.models import (
    Fund,
    FundAccounts,
    FundingRow,
    Indicator,
    Narrative,
    ReportInfo,
    alias_doc,
)
from generator.inputs.source import FieldPath
from generator.inputs.yaml_write import Blank, dump_yaml

__all__ = ["Skeleton", "default_year", "new_workbook", "new_yaml", "skeleton"]

_SOURCES = {"扶贫济困": ("县级财政",)}
_DEFAULT_SOURCES = ("中央财政", "省级财政", "县级财政")
#: Header rows of the 转移支付 self-evaluation form, shown for funds of that outline.
_TRANSFER_HEADERS = ("转移支付名称", "中央主管部门", "地方主管部门", "资金使用单位")
_ASPECT_BLANK = "写作 {情况说明: ……, 存在问题和改进措施: ……}"


def default_year() -> int:
    """Reports are written early in the year about the year before."""
    return datetime.date.today().year - 1


def _doc(model: type[BaseModel], alias: str) -> str:
    """A key's docstring on one line: a YAML comment cannot continue on the next."""
    return "".join(line.strip() for line in alias_doc(model, alias).splitlines())


@dataclass
class Skeleton:
    """Input data with blanks, plus the comments and hints that explain them."""

    data: dict[str, Any]
    comments: dict[FieldPath, str] = field(default_factory=dict)
    notes: dict[FieldPath, list[str]] = field(default_factory=dict)
    #: (fund index, indicator index) → a reminder from the indicator system.
    hints: dict[tuple[int, int], str] = field(default_factory=dict)


def skeleton(
    types: Sequence[str], year: int, unit: str | None = None, templates: Path | None = None
) -> Skeleton:
    """The blank input for ``types``; raises ConfigError for a broken indicator system."""
    dirs = template_dirs(templates)
    wording = load_wording(dirs)
    comments: dict[FieldPath, str] = {}
    report: dict[str, Any] = {
        "单位": unit,
        "地区": Blank(_doc(ReportInfo, "地区")),
        "自称": Blank(_doc(ReportInfo, "自称")),
        "年度": year,
        "成文日期": Blank(_doc(ReportInfo, "成文日期")),
        "主送": Blank(_doc(ReportInfo, "主送")),
        "金额单位": "万元",
        "提纲": Blank(_doc(ReportInfo, "提纲")),
        "评分规则": Blank(_doc(ReportInfo, "评分规则")),
    }
    for key in ("单位", "年度", "金额单位"):
        comments[("报告", key)] = _doc(ReportInfo, key)
    result = Skeleton({"报告": report, "项目": []}, comments)
    for k, fund_type in enumerate(types):
        result.data["项目"].append(
            _fund(
                k,
                fund_type,
                wording.full_name(fund_type),
                wording.default_outline(fund_type),
                dirs,
                result,
            )
        )
    return result


def _fund(
    k: int, fund_type: str, full_name: str, outline: str, dirs: Sequence[Path], out: Skeleton
) -> dict[str, Any]:
    base: FieldPath = ("项目", k)
    first = k == 0
    system = load_system(fund_type, dirs)
    rows: list[dict[str, Any]] = []
    for n, source in enumerate(_SOURCES.get(fund_type, _DEFAULT_SOURCES)):
        row: dict[str, Any] = {"来源": source, "预算数": None}
        if first and n == 0:
            row["到位数"] = Blank(_doc(FundingRow, "到位数"))
        # Optional in the contract (a source that never states it leaves it out), but a
        # new year's file has it to type: 待填, so a blank is not read as "not stated".
        row["执行数"] = TO_FILL
        if first and n == 0:
            row["调整数"] = Blank(_doc(FundingRow, "调整数"))
            row["清算数"] = Blank(_doc(FundingRow, "清算数"))
        rows.append(row)
    if first:
        for key in ("预算数", "执行数"):
            out.comments[(*base, "资金", 0, key)] = _doc(FundingRow, key)
    indicators = []
    documented: set[str] = set()
    for i, item in enumerate(system.indicators):
        data = item.contract()
        key = ""
        if parse_target(item.target).is_qualitative:
            key = "评级"
        elif "完成值" not in data:
            key = "完成值"
        if key:
            data[key] = None
            if first and key not in documented:
                documented.add(key)
                out.comments[(*base, "指标", i, key)] = _doc(Indicator, key)
        if item.hint:
            out.comments[(*base, "指标", i, "指标值")] = item.hint
            out.hints[(k, i)] = item.hint
        indicators.append(data)
    fund: dict[str, Any] = {
        "类型": fund_type,
        "名称": Blank(f"资金全称，缺省为“{full_name}”"),
        "提纲": Blank(f"转移支付、评价报告或项目支出，缺省为“{outline}”"),
        "资金": rows,
        "年初预算数": Blank(_doc(Fund, "年初预算数")),
        "调整后预算数": Blank(_doc(Fund, "调整后预算数")),
        "总体目标": None,
        "总体完成情况": Blank(_doc(Fund, "总体完成情况")),
        "自评得分": Blank(_doc(Fund, "自评得分")),
        "金额单位": Blank(_doc(Fund, "金额单位")),
        "主管部门": Blank(_doc(Fund, "主管部门")),
        "实施单位": Blank(_doc(Fund, "实施单位")),
    }
    if outline == "转移支付":
        fund.update({key: Blank(_doc(Fund, key)) for key in _TRANSFER_HEADERS})
    fund["政策依据"] = Blank(_doc(Fund, "政策依据"))
    if fund_type == "城乡居民医保":
        fund["基金收支"] = {
            key: Blank(_doc(FundAccounts, key)) for key in ("收入", "支出", "当期结余", "累计结余")
        }
    if outline == "转移支付":
        fund["资金管理情况"] = {aspect: Blank(_ASPECT_BLANK) for aspect in MANAGEMENT_ASPECTS}
    fund["指标"] = indicators
    fund["叙述"] = {slot: Blank(_doc(Narrative, slot)) for slot in NARRATIVE_SLOTS}
    out.notes[(*base, "政策依据")] = [
        "政策依据：每份文件一项，如 - {标题: 关于……的通知, 文号: 湘医保办发〔2021〕6号}"
    ]
    out.notes[(*base, "指标")] = [
        "指标值照上级下达的原文填写：只填评级、不填完成值的指标按定性计分（如“30日内下达”）；"
        "需要时写“指标类型: 定性”或“指标类型: 定量”明确计分方式",
        "原始资料只公布总分、没有各指标分值时，各指标都删去“分值”并填写“自评得分”；"
        "没有执行数时，资金各行都删去“执行数”",
    ]
    out.comments[(*base, "类型")] = f"{full_name}；缺省提纲：{outline}"
    out.comments[(*base, "总体目标")] = _doc(Fund, "总体目标")
    out.comments[(*base, "指标")] = (
        f"缺省指标体系：{system.description}。请按本省通知调整指标、分值和指标值，分值合计须为 100"
    )
    out.notes[(*base, "叙述")] = [
        "叙述：按栏目填写的文字，可用占位符（如 {{ 执行率 }}）；需要时去掉行首的“# ”再填写"
    ]
    return fund


def new_yaml(shape: Skeleton, file_name: str = "") -> str:
    """A commented YAML input to fill in (``genreport new``)."""
    year = shape.data["报告"]["年度"]
    name = file_name or f"{year}.yaml"
    header = [
        f"{year} 年度医保资金绩效自评输入文件（每个“项目”生成一份报告）。",
        "",
        "填写方法：冒号后为空的键须填写；以“# 键:”开头的行是可选键，需要时去掉“# ”再填写。",
        "指标按本类资金的缺省指标体系预先列出，请按本省当年的通知调整，分值合计须为 100；",
        "定量指标填“完成值”（如 53733人次、96.5%），定性指标填“评级”（达成、部分达成、未达成）。",
        "各键的含义见 docs/输入格式.md，指标值的写法见 docs/指标值语法.md。",
        f"填好后运行：genreport check {name}，检查无误再运行：genreport {name}",
    ]
    return dump_yaml(shape.data, header=header, comments=shape.comments, notes=shape.notes)


def new_workbook(shape: Skeleton, file_name: str = "") -> bytes:
    """The fill-in workbook (``genreport excel-template``)."""
    data = _without_blanks(shape.data)
    for fund in data["项目"]:
        fund["叙述"] = dict.fromkeys(NARRATIVE_SLOTS)
        if "资金管理情况" in fund:  # the aspects listed, for the user to describe
            fund["资金管理情况"] = {aspect: {} for aspect in MANAGEMENT_ASPECTS}
    name = file_name or f"{shape.data['报告']['年度']}.xlsx"
    return workbook_bytes(
        data, hints=shape.hints, instructions=_instructions(name), optional_sheets=True
    )


def _without_blanks(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_blanks(v) for k, v in value.items() if not isinstance(v, Blank)}
    if isinstance(value, list):
        return [_without_blanks(v) for v in value]
    return value


def _instructions(name: str) -> list[str]:
    return [
        "填写说明",
        "本工作簿是 genreport 的输入：每个“项目”（一项资金）生成一份绩效自评报告。"
        "工作表名称和第一行的列名不要修改；每个列名都有批注说明（鼠标移到列名上查看）。",
        "橙色列名为必填列，蓝色为可选列。带下拉箭头的单元格请从列表中选择。",
        "1. 报告：单位、年度等全文共用的信息，“值”列填写。金额单位对本工作簿所有金额有效。",
        "2. 项目：每项资金一行。“项目”列是该项目的简称（如 医疗救助），其他各表用它指明"
        "每一行属于哪个项目。",
        "3. 资金：每个资金来源一行，填预算数和执行数（原始资料没有执行数时各行都不填）；"
        "到位数不填时视为等于预算数。"
        "合计、到位率、执行率、结余由程序计算，不要填写。",
        "4. 指标：已按各类资金的缺省指标体系预先列出，请按本省当年的通知增删指标、调整分值"
        "（合计须为 100）和指标值。定量指标填“完成值”（如 53733人次、96.5%），定性指标"
        "（指标值为“有效减轻”等文字）填“评级”。未完成目标的指标须填“偏差原因”。"
        "只公布总分、没有各指标分值时，各指标的分值都不填，在“项目”表填写自评得分。",
        "   “完成值”填“自动”时，预算执行率、资金到位率按“资金”表计算。",
        "5. 叙述：按栏目填写报告中的文字，可用占位符，如 {{ 执行率 }}、{{ 到位合计 }}；"
        "单元格内换行即分段。不填的栏目由程序生成或写“无。”。",
        "6. 政策依据、基金收支、资金管理情况、确认数字：可选，不用时留空。政策依据每份文件一行"
        "（标题、文号）；基金收支只用于城乡居民医保，每个项目一行；资金管理情况每个方面一行；"
        "确认数字用于答复检查中“与计算所得不一致”的提示。",
        f"填好后保存，运行：genreport check {name} 检查；无误后运行：genreport {name} 生成报告。"
        "出错时，提示会写明工作表、单元格和列名，例如：指标!G12（完成值）。",
        "空行会被忽略；合并的一级、二级单元格按每行各自填写处理；数字可带千分位，"
        "百分比可直接写 96.5% 或用百分比格式。",
    ]
