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
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from generator.core.vocabulary import FUND_TYPES, NARRATIVE_SLOTS, OUTLINES, RATINGS

__all__ = [
    "FUND_TYPES",
    "NARRATIVE_SLOTS",
    "OUTLINES",
    "RATINGS",
    "CountyRow",
    "Fund",
    "FundingRow",
    "Indicator",
    "Narrative",
    "ReportInfo",
    "ReportInput",
    "alias_doc",
    "field_doc",
]

FundType = Literal["城乡居民医保", "医疗救助", "能力提升", "扶贫济困"]
Outline = Literal["转移支付", "评价报告", "项目支出"]
Rating = Literal["达成", "部分达成", "未达成"]
MoneyUnit = Literal["元", "万元", "亿元"]


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
    spent: Money = Field(alias="执行数")
    """执行数（必填），全年执行数（B）。"""


class Indicator(_Model):
    """指标：一个三级指标。"""

    level1: Text = Field(alias="一级")
    """一级（必填），如 项目决策、过程管理、产出指标、效益指标、满意度指标、预算执行。"""
    level2: str | None = Field(None, alias="二级")
    """二级（除“预算执行”外必填），如 数量指标、质量指标、时效指标。"""
    name: Text = Field(alias="名称")
    """名称（必填），三级指标名称。"""
    weight: Decimal = Field(alias="分值", ge=0, le=100)
    """分值（必填），权重，0～100；一份报告的分值合计应为 100。"""
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
    evaluation: str | None = Field(None, alias="评价工作")
    """评价工作：自评工作如何开展（评价报告提纲第二部分）。"""
    overall: str | None = Field(None, alias="总体完成")
    """总体完成：总体目标完成情况分析。"""
    conclusion: str | None = Field(None, alias="评价结论")
    """评价结论：结论段落；缺省按得分和等级生成。"""
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
            info.alias or name: getattr(self, name)
            for name, info in type(self).model_fields.items()
        }


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
    """自评得分（可选），预期总分；与计算总分不一致时报错。"""
    indicators: list[Indicator] = Field(alias="指标", min_length=1)
    """指标（必填），三级指标列表，分值合计 100。"""
    narrative: Narrative = Field(default_factory=Narrative, alias="叙述")
    """叙述（可选），按栏目填写的文字。"""
    counties: list[CountyRow] = Field(default_factory=list, alias="县区对比")
    """县区对比（可选），汇总报告中各县区的资金和得分，用于县区对比表。"""


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
