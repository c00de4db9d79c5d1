"""The input contract as pydantic models: Chinese aliases, unknown keys forbidden.

Field names are English for the code; the aliases are the contract's keys, which are
also the Excel headers, the placeholder names and the words in error messages.
The docstring under each field is the documentation users see in ``docs/输入格式.md``
and in the Excel template's header comments. It is read from this file's source on
demand (:func:`field_doc`): pydantic's ``use_attribute_docstrings`` would parse the
source of every model at import time, which every run would pay for.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.core.money import format_number
from generator.core.quantities import classify_target, describe_reading
from generator.core.vocabulary import (
    FUND_TYPES,
    INDICATOR_KINDS,
    MANAGEMENT_ASPECTS,
    NARRATIVE_SLOTS,
    OUTLINES,
    RATINGS,
    UNPLACED_SLOT,
)

__all__ = [
    "FUND_TYPES",
    "INDICATOR_KINDS",
    "KIND_HINT",
    "MANAGEMENT_ASPECTS",
    "NARRATIVE_SLOTS",
    "OUTLINES",
    "RATINGS",
    "ConfirmedFigure",
    "CountyRow",
    "Fund",
    "FundAccounts",
    "FundManagement",
    "FundingRow",
    "Indicator",
    "ManagementItem",
    "Narrative",
    "PolicyDocument",
    "ReportInfo",
    "ReportInput",
    "alias_doc",
    "field_doc",
    "normalize_document_number",
]

FundType = Literal["城乡居民医保", "医疗救助", "能力提升", "扶贫济困"]
Outline = Literal["转移支付", "评价报告", "项目支出"]
Rating = Literal["达成", "部分达成", "未达成"]
MoneyUnit = Literal["元", "万元", "亿元"]
IndicatorKind = Literal["定量", "定性"]

#: How to tell the tool a target is qualitative; compute's messages append it too.
KIND_HINT = "如按评级计分（定性指标），请写“指标类型: 定性”"

#: The pydantic error type inputs/validate.py shows as written (see ``explained`` there).
_EXPLAINED = "explained"


def _explained(message: str) -> PydanticCustomError:
    return PydanticCustomError(_EXPLAINED, "{message}", {"message": message})


def _as_text(value: Any) -> Any:
    """Targets and actuals may be written as bare YAML numbers (``指标值: 0``)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal | float):
        return str(value)
    return value


def _as_optional_text(value: Any) -> Any:
    return None if value is None else _as_text(value)


Text = Annotated[str, Field(min_length=1)]
TargetText = Annotated[str, BeforeValidator(_as_text), Field(min_length=1)]
ActualText = Annotated[str | None, BeforeValidator(_as_optional_text)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18)]
#: Amounts that may be negative: adjustments, clearings, a year's deficit.
SignedMoney = Annotated[Decimal, Field(max_digits=18)]
#: Amounts rates are divided by: a budget the year closed on is never 0.
PositiveMoney = Annotated[Decimal, Field(gt=0, max_digits=18)]

# A year in any bracket people type around it in a 文号: [2021] （2021） 【2021】 ﹝2021﹞.
_YEAR_IN_BRACKETS = re.compile(r"[\[［【（(〔﹝〖〘{｛]\s*(\d{4})\s*[\]］】）)〕﹞〗〙}｝]")


def normalize_document_number(text: str) -> str:
    """文号 with its year in 六角括号 〔〕, as GB/T 9704 prints it: 湘医保办发〔2021〕6号."""
    return _YEAR_IN_BRACKETS.sub(
        lambda m: f"〔{unicodedata.normalize('NFKC', m[1])}〕", text.strip()
    )


def _document_title(text: str) -> str:
    """A title typed with its 书名号 (《…》) is stored without them; the report adds them."""
    inner = text.strip()
    if inner.startswith("《") and inner.endswith("》") and not set(inner[1:-1]) & {"《", "》"}:
        inner = inner[1:-1].strip()
    return inner


DocumentNumber = Annotated[str, AfterValidator(normalize_document_number)]
DocumentTitle = Annotated[str, AfterValidator(_document_title)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=False,
        frozen=True,
        str_strip_whitespace=True,
        use_attribute_docstrings=False,
    )


class ReportInfo(_Model):
    """报告：整份输入共用的信息。"""

    unit: Text = Field(alias="单位")
    """报告单位（必填），用于标题和落款，如“黄山市医疗保障局”。"""
    region: str | None = Field(None, alias="地区")
    """地区（可选），缺省为“单位”去掉“医疗保障局/医保局”后缀。"""
    self_name: str | None = Field(None, alias="自称")
    """自称（可选），缺省按地区末字：市→我市，县→我县，区→我区。"""
    year: int = Field(alias="年度", ge=2000, le=2100)
    """年度（必填），被评价的年份，整数。"""
    date: datetime.date | None = Field(None, alias="成文日期")
    """成文日期（可选），落款日期，如 2025-02-20，印为“2025年2月20日”。"""
    addressee: str | None = Field(None, alias="主送")
    """主送（可选），主送机关，印在标题下方。"""
    money_unit: MoneyUnit = Field("万元", alias="金额单位")
    """金额单位（可选），元、万元或亿元，缺省万元：本文件中所有金额的单位。"""
    outline: Outline | None = Field(None, alias="提纲")
    """提纲（可选），各项目的缺省提纲：转移支付、评价报告或项目支出。"""
    rule_set: Text = Field("国家", alias="评分规则")
    """评分规则（可选），规则集名称，缺省“国家”。"""
    template_dir: str | None = Field(None, alias="模板目录")
    """模板目录（可选），自定义模板所在目录，相对于本输入文件所在目录，如 我的模板；其中的
    <类型>/<提纲>.docx、<提纲>.docx、措辞.yaml 和 rules/ 优先于内置的（命令行 --templates 更优先）。"""


class FundingRow(_Model):
    """资金：每个资金来源一行。"""

    source: Text = Field(alias="来源")
    """来源（必填），如 中央财政、省级财政、市级财政、县级财政、彩票公益金、上年结转。"""
    budget: Money = Field(alias="预算数")
    """预算数（必填），全年预算数（A）。"""
    received: Money | None = Field(None, alias="到位数")
    """到位数（可选），实际到位数，缺省等于预算数。"""
    spent: Money | None = Field(None, alias="执行数")
    """执行数（可选），全年执行数（B）；原始资料未载明执行数时各行都不写，报告和自评表不谈执行。"""
    adjustment: SignedMoney | None = Field(None, alias="调整数")
    """调整数（可选），年中预算调整：调增为正、调减为负；调整后预算数 = 预算数 + 调整数 + 清算数。"""
    clearing: SignedMoney | None = Field(None, alias="清算数")
    """清算数（可选），随本年资金清算的上年度资金：补拨为正、扣回为负，计入调整后预算数。"""

    @field_validator("adjustment", "clearing")
    @classmethod
    def _adjusted_budget_not_negative(
        cls, value: Decimal | None, info: ValidationInfo
    ) -> Decimal | None:
        """Rates are taken against the adjusted budget, which must stay a budget."""
        budget = info.data.get("budget")
        if value is None or budget is None:
            return value
        adjustment = info.data.get("adjustment") if info.field_name == "clearing" else None
        adjusted = budget + value + (adjustment or 0)
        if adjusted < 0:
            terms = f"预算数{format_number(budget)}"
            if adjustment is not None:
                terms += f"、调整数{format_number(adjustment)}"
            terms += f"、{'清算数' if info.field_name == 'clearing' else '调整数'}"
            terms += format_number(value)
            raise _explained(
                f"调整后预算数为{format_number(adjusted)}，不能为负（{terms}）；"
                "调减、扣回的金额不能超过预算数"
            )
        return value


class PolicyDocument(_Model):
    """政策依据：一份文件。"""

    title: DocumentTitle | None = Field(None, alias="标题")
    """标题（与文号至少填一项），文件名称，不带书名号，如 关于做好2021年城乡居民基本医疗保障工作的通知。"""
    number: DocumentNumber | None = Field(None, alias="文号")
    """文号（与标题至少填一项），如 湘医保办发〔2021〕6号；年份外的[ ]（ ）【 】统一改为〔 〕。"""

    @model_validator(mode="after")
    def _title_or_number(self) -> PolicyDocument:
        if not (self.title or self.number):
            raise _explained("政策依据的每一项须填写标题或文号（至少一项）")
        return self


class FundAccounts(_Model):
    """基金收支：城乡居民医保基金本年度的收支和结余（金额单位同本项目）。"""

    income: Money | None = Field(None, alias="收入")
    """收入（可选），基金本年度收入。"""
    expenditure: Money | None = Field(None, alias="支出")
    """支出（可选），基金本年度支出；与累计结余一起用于计算可支付月数。"""
    current_balance: SignedMoney | None = Field(None, alias="当期结余")
    """当期结余（可选），缺省为收入减支出；收入、支出都写了时须与之相等；收不抵支时为负。"""
    accumulated_balance: Money | None = Field(None, alias="累计结余")
    """累计结余（可选），年末基金累计（滚存）结余；可支付月数 = 累计结余 ÷（支出 ÷ 12）。"""

    @field_validator("current_balance")
    @classmethod
    def _balance_is_income_less_spending(
        cls, value: Decimal | None, info: ValidationInfo
    ) -> Decimal | None:
        """A stated balance that disagrees with its own income and spending is a typo."""
        income, spending = info.data.get("income"), info.data.get("expenditure")
        if value is None or income is None or spending is None:
            return value
        if value != income - spending:
            raise _explained(
                f"当期结余应等于收入减支出：{format_number(income)} − {format_number(spending)}"
                f" = {format_number(income - spending)}，实际为{format_number(value)}；"
                "请核对，或删去当期结余由工具计算"
            )
        return value

    @model_validator(mode="after")
    def _something_given(self) -> FundAccounts:
        if all(getattr(self, name) is None for name in type(self).model_fields):
            raise _explained("基金收支至少须填写一项（收入、支出、当期结余、累计结余）")
        return self


class ManagementItem(_Model):
    """资金管理情况的一行。"""

    situation: Text = Field(alias="情况说明")
    """情况说明（必填），该方面的实际情况。"""
    issues: str | None = Field(None, alias="存在问题和改进措施")
    """存在问题和改进措施（可选），表中留空则不印。"""


class FundManagement(_Model):
    """资金管理情况：转移支付绩效自评表中的七个方面，每个方面可选。"""

    allocation: ManagementItem | None = Field(None, alias="分配科学性")
    """分配科学性（可选），资金分配是否科学合理。"""
    timeliness: ManagementItem | None = Field(None, alias="下达及时性")
    """下达及时性（可选），是否在规定时限内下达。"""
    disbursement: ManagementItem | None = Field(None, alias="拨付合规性")
    """拨付合规性（可选），拨付是否合规。"""
    use: ManagementItem | None = Field(None, alias="使用规范性")
    """使用规范性（可选），使用是否规范、专款专用。"""
    accuracy: ManagementItem | None = Field(None, alias="执行准确性")
    """执行准确性（可选），执行是否准确。"""
    performance: ManagementItem | None = Field(None, alias="预算绩效管理情况")
    """预算绩效管理情况（可选），绩效目标、监控、评价开展情况。"""
    responsibility: ManagementItem | None = Field(None, alias="支出责任履行情况")
    """支出责任履行情况（可选），本级支出责任是否落实。"""

    def items(self) -> dict[str, ManagementItem | None]:
        """The aspects by their Chinese names, in the form's order."""
        return {
            info.alias or name: getattr(self, name)
            for name, info in type(self).model_fields.items()
        }


class ConfirmedFigure(_Model):
    """确认数字：核对过、确认无误的一处数字。"""

    figure: Text = Field(alias="数字")
    """数字（必填），文中写的数字，照文中写法，如 282.88万元、96.58%。"""
    refers_to: Text = Field(alias="所指")
    """所指（必填），检查提示中与它比较的计算项，如 结余、到位率、中央财政到位数。"""
    reason: Text = Field(alias="理由")
    """理由（必填），为什么这个数字是对的（如所指口径不同），供审核。"""

    @field_validator("figure")
    @classmethod
    def _is_a_figure(cls, value: str) -> str:
        if not any(ch.isdigit() for ch in value):
            raise _explained(f"应为文中写的数字（如 282.88万元、96.58%），实际为“{value}”")
        return value


class Indicator(_Model):
    """指标：一个三级指标。"""

    level1: Text = Field(alias="一级")
    """一级（必填），如 项目决策、过程管理、产出指标、效益指标、满意度指标、预算执行。"""
    level2: str | None = Field(None, alias="二级")
    """二级（除“预算执行”外必填），如 数量指标、质量指标、时效指标。"""
    name: Text = Field(alias="名称")
    """名称（必填），三级指标名称。"""
    weight: Decimal | None = Field(None, alias="分值", ge=0, le=100)
    """分值（可选），权重，0～100，合计应为 100；单位只公布总分时各指标都不写，另写自评得分。"""
    target: TargetText = Field(alias="指标值")
    """指标值（必填），目标值，语法见“指标值语法”。"""
    actual: ActualText = Field(None, alias="完成值")
    """完成值（定量指标必填），数字或数字加单位；“自动”表示取资金计算值。"""
    rating: Rating | None = Field(None, alias="评级")
    """评级（定性指标必填），达成、部分达成或未达成。"""
    score: Decimal | None = Field(None, alias="得分", ge=0, le=100)
    """得分（可选），手工得分，不超过分值；与计算值不同时须写评分说明。"""
    score_note: str | None = Field(None, alias="评分说明")
    """评分说明（手工调整得分时必填），说明调整理由，报告中照录。"""
    deviation: str | None = Field(None, alias="偏差原因")
    """偏差原因（未完成目标时必填）。"""
    measures: str | None = Field(None, alias="改进措施")
    """改进措施（可选）。"""
    note: str | None = Field(None, alias="说明")
    """说明（可选），该指标的分析文字，可用占位符；缺省自动生成一句。"""
    previous: ActualText = Field(None, alias="上年完成值")
    """上年完成值（可选），用于同比表述。"""
    not_applicable: bool = Field(False, alias="不适用")
    """不适用（可选），为 true 时该指标不计分，其余指标折算为 100 分。"""
    kind: IndicatorKind | None = Field(None, alias="指标类型", validate_default=True)
    """指标类型（可选），定量或定性；不写时，有评级而无完成值的为定性，其余按指标值判断。"""

    @field_validator("kind")
    @classmethod
    def _kind_fits(cls, value: str | None, info: ValidationInfo) -> str | None:
        """The target, 评级 and 完成值 must agree on how the indicator is scored."""
        data = info.data
        target = data.get("target")
        if target is None or data.get("not_applicable"):
            return value
        rated = data.get("rating") is not None
        measured = bool((data.get("actual") or "").strip())
        try:
            reading = classify_target(target, declared=value, rated=rated, measured=measured)
        except ValueError as exc:
            if value is None:
                return value  # a malformed number: compute reports it at 指标值
            raise _explained(str(exc)) from None
        if value == "定量" and rated:
            raise _explained("指标类型为“定量”，按完成值计分，不应填写评级")
        if value == "定性" and not rated and data.get("weight") is not None:
            # Without 分值 the indicator is not scored, and a rating may go unstated.
            raise _explained("指标类型为“定性”，须填写评级：达成、部分达成或未达成")
        if value is None and rated and not reading.is_qualitative:
            raise _explained(
                f"指标值“{target}”{describe_reading(reading)}，是定量指标，按完成值计分，"
                f"不应同时填写评级；{KIND_HINT}"
            )
        return value


class Narrative(_Model):
    """叙述：按栏目填写的文字，一行一段，可用占位符。"""

    overview: str | None = Field(None, alias="项目概况")
    """项目概况：政策依据、资金用途等背景。"""
    duties: str | None = Field(None, alias="职能职责")
    """职能职责：单位职责（项目支出提纲）。"""
    allocation: str | None = Field(None, alias="资金安排")
    """资金安排：资金分解下达情况；缺省按“资金”自动生成。"""
    management: str | None = Field(None, alias="资金管理")
    """资金管理：专款专用、拨付、监管等情况。"""
    purpose: str | None = Field(None, alias="评价目的对象范围")
    """评价目的对象范围：评价目的、评价对象和评价范围（评价报告提纲二、（一））。"""
    method: str | None = Field(None, alias="评价方法和等次")
    """评价方法和等次：评价方法、评分标准和等次划分（评价报告提纲二、（二））。"""
    system: str | None = Field(None, alias="指标体系")
    """指标体系：评价指标体系的构成（评价报告提纲二、（三））。"""
    evaluation: str | None = Field(None, alias="评价工作")
    """评价工作：自评工作如何开展（评价报告提纲第二部分）。"""
    overall: str | None = Field(None, alias="总体完成")
    """总体完成：总体目标完成情况分析。"""
    conclusion: str | None = Field(None, alias="评价结论")
    """评价结论：结论段落；缺省按得分和等级生成。"""
    decision: str | None = Field(None, alias="项目决策")
    """项目决策：决策依据、决策过程、绩效目标、资金分配的分析（指标分析中的项目决策部分）。"""
    process: str | None = Field(None, alias="过程管理")
    """过程管理：资金管理、组织管理的分析（指标分析中的过程管理部分）。"""
    problems: str | None = Field(None, alias="存在问题")
    """存在问题。"""
    improvements: str | None = Field(None, alias="改进措施")
    """改进措施：下一步工作或有关建议。"""
    application: str | None = Field(None, alias="结果应用")
    """结果应用：绩效自评结果拟应用和公开情况。"""
    other: str | None = Field(None, alias="其他")
    """其他：其他需要说明的问题。"""

    def slots(self) -> dict[str, str | None]:
        """The slots by their Chinese names, as templates and error messages use them."""
        return {
            info.alias or name: getattr(self, name) for name, info in Narrative.model_fields.items()
        }


class FundNarrative(Narrative):
    """一项资金的叙述：各栏目，以及导入时未能归类的原文。"""

    unplaced: str | None = Field(None, alias=UNPLACED_SLOT)
    """待归类：导入上年报告时未能归入栏目的原文；不印入报告，移到合适的栏目后删除。"""


class CountyRow(_Model):
    """县区对比：汇总输入中每个县区一行（由 genreport rollup 生成）。"""

    name: Text = Field(alias="县区")
    """县区（必填），县区单位名称。"""
    budget: Money = Field(alias="预算数")
    """预算数（必填），该县区本项资金的预算合计。"""
    received: Money | None = Field(None, alias="到位数")
    """到位数（可选），缺省等于预算数。"""
    spent: Money = Field(alias="执行数")
    """执行数（必填），该县区本项资金的执行合计。"""
    score: Decimal = Field(alias="得分", ge=0, le=100)
    """得分（必填），该县区本项资金的自评总分。"""


class Fund(_Model):
    """项目：一项资金，生成一份报告。"""

    type: FundType = Field(alias="类型")
    """类型（必填）：城乡居民医保、医疗救助、能力提升或扶贫济困。"""
    name: str | None = Field(None, alias="名称")
    """名称（可选），资金全称，缺省按类型。"""
    outline: Outline | None = Field(None, alias="提纲")
    """提纲（可选），覆盖“报告.提纲”；缺省按类型。"""
    funding: list[FundingRow] = Field(alias="资金", min_length=1)
    """资金（必填），每个来源一行。"""
    initial_budget: Money | None = Field(None, alias="年初预算数")
    """年初预算数（可选），用于项目支出绩效自评表。"""
    goal: Text = Field(alias="总体目标")
    """总体目标（必填），年度总体目标。"""
    goal_result: str | None = Field(None, alias="总体完成情况")
    """总体完成情况（可选），全年实际完成情况。"""
    expected_score: Decimal | None = Field(None, alias="自评得分", ge=0, le=100)
    """自评得分（可选），预期总分，与计算总分不一致时报错；各指标都不写分值时必填，即单位公布的总分。"""
    indicators: list[Indicator] = Field(alias="指标", min_length=1)
    """指标（必填），三级指标列表，分值合计 100。"""
    narrative: FundNarrative = Field(default_factory=FundNarrative, alias="叙述")
    """叙述（可选），按栏目填写的文字。"""
    counties: list[CountyRow] = Field(default_factory=list, alias="县区对比")
    """县区对比（可选），汇总报告中各县区的资金和得分，用于县区对比表。"""
    money_unit: MoneyUnit | None = Field(None, alias="金额单位")
    """金额单位（可选），本项目金额（资金、基金收支）的单位，覆盖“报告.金额单位”。"""
    adjusted_budget: PositiveMoney | None = Field(None, alias="调整后预算数")
    """调整后预算数（可选），年中调整了预算、但调整未分到各来源时，整项资金调整后的全年预算数
    （如“应到位38026万元”）；整项资金的到位率、执行率以它为分母，各来源仍以本行预算数为分母；
    各行须填写到位数，不能再写调整数、清算数。"""
    department: str | None = Field(None, alias="主管部门")
    """主管部门（可选），自评表表头，缺省为报告单位。"""
    implementer: str | None = Field(None, alias="实施单位")
    """实施单位（可选），项目支出绩效自评表表头，缺省为报告单位。"""
    transfer_name: str | None = Field(None, alias="转移支付名称")
    """转移支付名称（可选），转移支付绩效自评表的“转移支付（项目）名称”，缺省为资金名称。"""
    central_department: str | None = Field(None, alias="中央主管部门")
    """中央主管部门（可选），转移支付绩效自评表表头，如 财政部、国家医疗保障局；缺省留空。"""
    local_department: str | None = Field(None, alias="地方主管部门")
    """地方主管部门（可选），转移支付绩效自评表表头，缺省为主管部门。"""
    user_unit: str | None = Field(None, alias="资金使用单位")
    """资金使用单位（可选），转移支付绩效自评表表头，缺省为实施单位。"""
    policy_basis: list[PolicyDocument] = Field(default_factory=list, alias="政策依据")
    """政策依据（可选），本项目依据的文件，每项写标题和（或）文号，按顺序印在报告开头。"""
    accounts: FundAccounts | None = Field(None, alias="基金收支")
    """基金收支（可选，仅城乡居民医保），基金的收入、支出、当期结余和累计结余。"""
    management: FundManagement | None = Field(None, alias="资金管理情况")
    """资金管理情况（可选），转移支付绩效自评表的七个方面，每个方面写情况说明和存在问题和改进措施。"""
    confirmed: list[ConfirmedFigure] = Field(default_factory=list, alias="确认数字")
    """确认数字（可选），检查指出与计算值不一致、但经核对确属无误的数字，每项写数字、所指和理由。"""

    @field_validator("accounts")
    @classmethod
    def _accounts_of_basic_insurance(
        cls, value: FundAccounts | None, info: ValidationInfo
    ) -> FundAccounts | None:
        """Only the 城乡居民医保 fund has accounts of its own; the others have 资金 only."""
        fund_type = info.data.get("type")
        if value is not None and fund_type is not None and fund_type != "城乡居民医保":
            raise _explained(
                f"基金收支只用于城乡居民医保，本项目类型为“{fund_type}”；"
                "其他资金的结余由“资金”各行计算"
            )
        return value

    @field_validator("adjusted_budget")
    @classmethod
    def _adjusted_budget_alone(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        """One adjustment, said once: per source (调整数/清算数) or for the fund, not both."""
        rows: list[FundingRow] = info.data.get("funding") or []
        if value is None:
            return value
        split = [
            f"资金[{k}]（{row.source}）的{key}"
            for k, row in enumerate(rows, 1)
            for key, amount in (("调整数", row.adjustment), ("清算数", row.clearing))
            if amount is not None
        ]
        if split:
            raise _explained(
                "调整后预算数用于调整未分来源的资金，不能与各行的调整数、清算数同时填写（"
                + "、".join(split)
                + "）；调整已分到各来源时删去调整后预算数，未分来源时删去各行的调整数、清算数"
            )
        return value

    @field_validator("policy_basis")
    @classmethod
    def _documents_once(cls, value: list[PolicyDocument]) -> list[PolicyDocument]:
        numbers = [d.number for d in value if d.number]
        twice = sorted({n for n in numbers if numbers.count(n) > 1}, key=numbers.index)
        if twice:
            raise _explained("文号重复：" + "、".join(f"“{n}”" for n in twice))
        return value

    @field_validator("confirmed")
    @classmethod
    def _confirmed_once(cls, value: list[ConfirmedFigure]) -> list[ConfirmedFigure]:
        keys = [(c.figure, c.refers_to) for c in value]
        twice = sorted({k for k in keys if keys.count(k) > 1}, key=keys.index)
        if twice:
            raise _explained(
                "同一数字重复确认：" + "、".join(f"“{f}”（所指{n}）" for f, n in twice)
            )
        return value


class ReportInput(_Model):
    """一份输入文件：报告信息和若干项目。"""

    report: ReportInfo = Field(alias="报告")
    """报告（必填）。"""
    funds: list[Fund] = Field(alias="项目", min_length=1)
    """项目（必填），每项资金一份报告。"""


@functools.cache
def _field_docs() -> dict[tuple[str, str], str]:
    """(class name, field name) → the docstring written under the field in this file."""
    import ast
    import inspect
    import itertools

    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    docs: dict[tuple[str, str], str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        body = node.body
        for statement, following in itertools.pairwise(body):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[(node.name, statement.target.id)] = inspect.cleandoc(following.value.value)
    return docs


def field_doc(model: type[BaseModel], name: str) -> str:
    """The docstring of field ``name`` (its Python name) of ``model``; "" when it has none.

    Inherited fields are looked up along the class's bases.
    """
    docs = _field_docs()
    for cls in model.__mro__:
        text = docs.get((cls.__name__, name))
        if text is not None:
            return text
    return ""


def alias_doc(model: type[BaseModel], alias: str) -> str:
    """The docstring of the field whose contract key is ``alias``; "" when there is none."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == alias:
            return field_doc(model, name)
    return ""
