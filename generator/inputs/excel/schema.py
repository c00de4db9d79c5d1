"""The workbook form of the input contract: sheet names, column headers, cell kinds.

Everything is derived from the pydantic models, so a key added to the contract
becomes a column without touching the Excel code, and the reader, the writer and
the fill-in template can never disagree about the layout.
"""

from __future__ import annotations

import datetime
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from generator.core.vocabulary import MANAGEMENT_ASPECTS, NARRATIVE_SLOTS
from generator.inputs.models import (
    ConfirmedFigure,
    CountyRow,
    Fund,
    FundAccounts,
    FundingRow,
    Indicator,
    ManagementItem,
    PolicyDocument,
    ReportInfo,
    alias_doc,
)

__all__ = [
    "ASPECT",
    "ASPECT_SHEET",
    "COUNTY_COLUMNS",
    "FUNDING_COLUMNS",
    "FUND_COLUMNS",
    "FUND_LISTS",
    "INDICATOR_COLUMNS",
    "NARRATIVE_COLUMNS",
    "OPTIONAL_SHEETS",
    "RECORD_SHEETS",
    "REF",
    "REPORT_COLUMNS",
    "REPORT_KEYS",
    "REQUIRED_SHEETS",
    "ROW_SHEETS",
    "SHEETS",
    "Kind",
    "Sheet",
    "column_help",
    "kind_of",
    "report_key_help",
]

#: The column that ties a row to its fund (项目) in every sheet but 报告.
REF = "项目"

#: Keys of a fund that are lists or mappings and live in their own sheets.
FUND_LISTS = (
    "资金",
    "指标",
    "叙述",
    "县区对比",
    "政策依据",
    "基金收支",
    "资金管理情况",
    "确认数字",
)
#: Fund lists whose sheets hold one row per item, tied to the fund by the 项目 column.
ROW_SHEETS = ("资金", "指标", "县区对比", "政策依据", "确认数字")
#: Fund mappings whose sheets hold at most one row per fund.
RECORD_SHEETS = ("基金收支",)
#: The sheet of 资金管理情况: one row per aspect, named in its 方面 column.
ASPECT_SHEET = "资金管理情况"
ASPECT = "方面"
#: Sheets written only when some fund has rows for them; a workbook may leave them out.
OPTIONAL_SHEETS = ("县区对比", "政策依据", "基金收支", "资金管理情况", "确认数字")


class Kind(Enum):
    """How a cell is read: numbers are cleaned up, text is kept as typed."""

    TEXT = "文字"
    NUMBER = "数字"
    INTEGER = "整数"
    DATE = "日期"
    BOOL = "是否"
    #: 指标值/完成值: text, but a number cell formatted as percent reads as "95.02%".
    QUANTITY = "数量"


def _aliases(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _field(model: type[BaseModel], alias: str) -> Any:
    for name, info in model.model_fields.items():
        if (info.alias or name) == alias:
            return info
    return None


def _members(annotation: Any) -> set[Any]:
    while get_origin(annotation) is typing.Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (typing.Union, types.UnionType):
        found: set[Any] = set()
        for arg in get_args(annotation):
            found |= _members(arg)
        return found
    return {annotation}


_QUANTITIES = {"指标值", "完成值", "上年完成值"}


def kind_of(model: type[BaseModel], alias: str) -> Kind:
    """The cell kind of a contract key, read off the model's type annotation."""
    if alias in _QUANTITIES:
        return Kind.QUANTITY
    info = _field(model, alias)
    members = _members(info.annotation) if info is not None else {str}
    if bool in members:
        return Kind.BOOL
    if Decimal in members:
        return Kind.NUMBER
    if int in members:
        return Kind.INTEGER
    if datetime.date in members:
        return Kind.DATE
    return Kind.TEXT


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, its columns in order, which are required, and the model."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    model: type[BaseModel] | None

    def kind(self, column: str) -> Kind:
        if self.model is None or column in (REF, ASPECT):
            return Kind.TEXT
        return kind_of(self.model, column)


def _required(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(
        info.alias or name for name, info in model.model_fields.items() if info.is_required()
    )


#: 报告 is a two-column list of keys and values.
REPORT_COLUMNS: tuple[str, ...] = (REF, "值")
REPORT_KEYS: tuple[str, ...] = tuple(_aliases(ReportInfo))
FUND_COLUMNS: tuple[str, ...] = (REF, *(a for a in _aliases(Fund) if a not in FUND_LISTS))
FUNDING_COLUMNS: tuple[str, ...] = (REF, *_aliases(FundingRow))
INDICATOR_COLUMNS: tuple[str, ...] = (REF, *_aliases(Indicator))
COUNTY_COLUMNS: tuple[str, ...] = (REF, *_aliases(CountyRow))
NARRATIVE_COLUMNS: tuple[str, ...] = (REF, "栏目", "内容")
POLICY_COLUMNS: tuple[str, ...] = (REF, *_aliases(PolicyDocument))
ACCOUNT_COLUMNS: tuple[str, ...] = (REF, *_aliases(FundAccounts))
ASPECT_COLUMNS: tuple[str, ...] = (REF, ASPECT, *_aliases(ManagementItem))
CONFIRMED_COLUMNS: tuple[str, ...] = (REF, *_aliases(ConfirmedFigure))

SHEETS: dict[str, Sheet] = {
    "报告": Sheet("报告", REPORT_COLUMNS, REPORT_COLUMNS, None),
    "项目": Sheet(
        "项目", FUND_COLUMNS, (REF, *(c for c in _required(Fund) if c not in FUND_LISTS)), Fund
    ),
    "资金": Sheet("资金", FUNDING_COLUMNS, _required(FundingRow), FundingRow),
    "指标": Sheet("指标", INDICATOR_COLUMNS, (*_required(Indicator), "二级"), Indicator),
    "叙述": Sheet("叙述", NARRATIVE_COLUMNS, ("栏目", "内容"), None),
    # A roll-up's county rows (genreport rollup writes them); only city inputs have it.
    "县区对比": Sheet("县区对比", COUNTY_COLUMNS, _required(CountyRow), CountyRow),
    "政策依据": Sheet("政策依据", POLICY_COLUMNS, (), PolicyDocument),
    "基金收支": Sheet("基金收支", ACCOUNT_COLUMNS, (), FundAccounts),
    ASPECT_SHEET: Sheet(ASPECT_SHEET, ASPECT_COLUMNS, (ASPECT, "情况说明"), ManagementItem),
    "确认数字": Sheet("确认数字", CONFIRMED_COLUMNS, _required(ConfirmedFigure), ConfirmedFigure),
}

#: Sheets a workbook must have; 叙述 and the optional sheets may be left out.
REQUIRED_SHEETS = ("报告", "项目", "资金", "指标")

_REF_HELP = {
    "项目": "本行的项目编号或简称（如 1、医疗救助），用于把资金、指标、叙述各行对应到项目；"
    "每个项目一行，不能重复。",
    "资金": "本行属于哪个项目：填“项目”表中该项目的“项目”列（也可填其名称或序号）。"
    "只有一个项目时可留空。",
}


def column_help(sheet: str, column: str) -> str:
    """The help text shown as a header comment: the model's own field docstring."""
    if sheet == "报告":
        return (
            "报告信息的键名（单位、年度……），每行一个。"
            if column == REF
            else ("键名对应的取值；各键的含义见键名单元格的批注。")
        )
    if column == REF:
        return _REF_HELP["项目" if sheet == "项目" else "资金"]
    if sheet == "叙述":
        if column == "栏目":
            return (
                "叙述栏目，取：" + "、".join(NARRATIVE_SLOTS) + "。同一栏目写多行时按段落依次合并。"
            )
        return "该栏目的文字，可用占位符（如 {{ 执行率 }}）；单元格内换行即分段。"
    if sheet == ASPECT_SHEET and column == ASPECT:
        return (
            "资金管理情况的方面，取："
            + "、".join(MANAGEMENT_ASPECTS)
            + "。每个方面一行，同一项目不能重复。"
        )
    model = SHEETS[sheet].model
    return alias_doc(model, column) if model is not None else ""


def report_key_help(key: str) -> str:
    """Help for one row of the 报告 sheet."""
    return alias_doc(ReportInfo, key)
