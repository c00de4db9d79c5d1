"""Sentences generated from the figures: money, indicator analysis, score and conclusion.

Each sentence only restates values the tool computed or the input supplied, so the text
can never claim a practice nobody reported nor disagree with the tables. Sentence shapes
come from 措辞.yaml (句式), several per kind used in turn, so one report does not repeat
the same formula down the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from generator.analysis.compute import FundResult, IndicatorResult, Money, SourceMoney
from generator.config.wording import fill_phrase
from generator.core.money import (
    format_amount,
    format_number,
    format_rate,
    format_score,
)
from generator.core.quantities import Kind
from generator.core.rules import RuleSet, grade_bands
from generator.inputs.models import FundingRow

__all__ = [
    "MARKER_HEAD",
    "MoneyText",
    "Phrasing",
    "accounts_sentence",
    "conclusion_sentence",
    "group_paragraphs",
    "indicator_paragraphs",
    "leveled_paragraphs",
    "marker",
    "money_text",
    "outcomes",
    "overall_sentence",
    "rescale_sentence",
    "score_sentence",
]


#: How every mark of a section still to write starts; ``check`` searches for it.
MARKER_HEAD = "【待填："


def marker(what: str) -> str:
    """【待填：资金管理】: a slot the outline must print and the input left empty."""
    return f"{MARKER_HEAD}{what}】"


@dataclass
class Phrasing:
    """The 句式 of one report, each kind's variants used in turn."""

    phrases: Mapping[str, Sequence[str]]
    _used: dict[str, int] = field(default_factory=dict)

    def say(self, kind: str, **values: str) -> str:
        variants = self.phrases.get(kind) or ("",)
        turn = self._used.get(kind, 0)
        self._used[kind] = turn + 1
        return fill_phrase(variants[turn % len(variants)], values)


# --------------------------------------------------------------------------- money


@dataclass(frozen=True)
class MoneyText:
    """The money of one fund: budgets as allocated, then receipt and spending."""

    allocated: str
    used: str

    @property
    def combined(self) -> str:
        return self.allocated + self.used


def _changes(row: FundingRow, unit: str) -> list[str]:
    said = []
    if row.adjustment:
        verb = "调增" if row.adjustment > 0 else "调减"
        said.append(f"{row.source}年中{verb}{format_amount(abs(row.adjustment), unit)}")
    if row.clearing:
        verb = "补拨" if row.clearing > 0 else "扣回"
        said.append(f"{row.source}同步清算{verb}上年度资金{format_amount(abs(row.clearing), unit)}")
    return said


def money_text(fund: FundResult, year: int, unit: str, say: Phrasing) -> MoneyText:
    """Budget by source with its adjustments; 到位 and 执行 with each source's differing rate.

    结余 is said only when it is not zero; each figure appears once. A budget adjusted for
    the fund as a whole (调整后预算数) is said with what was due and arrived (句式
    预算调整), and each source's share against its own budget before the adjustment
    (句式 分来源), never as a second 到位率. The 基金收支 the input gives (城乡居民医保)
    follow in the same paragraph.
    """
    money = fund.money
    rows = money.rows
    changes = [said for row in rows for said in _changes(row, unit)]
    allocated = f"{year}年，{fund.name}"
    allocated += "下达预算" if changes or money.adjusted_as_a_whole else "全年预算"
    allocated += format_amount(money.budget, unit)
    if len(rows) > 1:
        allocated += "，其中" + "、".join(
            f"{row.source}{format_amount(row.budget, unit)}" for row in rows
        )
    else:
        allocated += f"，全部为{rows[0].source}资金"
    if changes:
        allocated += "；" + "，".join(changes)
        allocated += f"，调整后全年预算{format_amount(money.adjusted_budget, unit)}"
    allocated += "。"

    if money.adjusted_as_a_whole:
        used = say.say(
            "预算调整",
            调整后预算=format_amount(money.adjusted_budget, unit),
            到位=format_amount(money.received, unit),
            到位率=format_rate(money.received_rate),
        )
        used += _by_source(money, unit, "到位", say)
    elif money.received == money.adjusted_budget:
        used = "预算资金全部到位"
    else:
        used = f"资金实际到位{format_amount(money.received, unit)}，"
        used += f"到位率{format_rate(money.received_rate)}"
        used += _differing(money, unit, "到位")
    if money.executed:  # without 执行数 nothing is said of spending
        used += f"；全年执行{format_amount(money.spent, unit)}，"
        used += f"执行率{format_rate(money.execution_rate)}"
        if money.adjusted_as_a_whole:
            used += _by_source(money, unit, "执行", say)
        else:
            used += _differing(money, unit, "执行")
    if money.balance:
        used += f"，年末结余{format_amount(money.balance, unit)}"
    used += "。" + accounts_sentence(fund, year, unit, say)
    return MoneyText(allocated, used)


#: Indicator names that state 可支付月数 themselves (as contradictions.py reads them).
_MONTHS_WORDS = ("可支付月数", "可支配月数", "支付月数")


def _months_stated(fund: FundResult) -> bool:
    """An indicator reports its 可支付月数: the analysis says it, so the money text does not."""
    return any(
        r.applicable and r.actual is not None and any(w in r.model.name for w in _MONTHS_WORDS)
        for r in fund.indicators
    )


def accounts_sentence(fund: FundResult, year: int, unit: str, say: Phrasing) -> str:
    """基金收支 as the input gives them: 收入, 支出, 当期结余, 累计结余 and 可支付月数.

    Only the figures supplied (or computed from them) are said; 可支付月数 is left to the
    indicator that states it, so it appears once.
    """
    accounts = fund.accounts
    if accounts is None:
        return ""
    flows = [
        f"{label}{format_amount(value, unit)}"
        for label, value in (("收入", accounts.income), ("支出", accounts.expenditure))
        if value is not None
    ]
    clauses = ["、".join(flows)] if flows else []
    balance = accounts.current_balance
    if balance is not None:
        clauses.append(
            f"当期结余{format_amount(balance, unit)}"
            if balance >= 0
            else f"当期收不抵支{format_amount(-balance, unit)}"
        )
    if accounts.accumulated_balance is not None:
        clauses.append(f"年末累计结余{format_amount(accounts.accumulated_balance, unit)}")
        months = accounts.months_payable
        if months is not None and not _months_stated(fund):
            clauses.append(f"可支付{format_number(months)}个月")
    return say.say("基金收支", 年度=str(year), 各项="，".join(clauses))


def _amount_of(source: SourceMoney, verb: str) -> Decimal:
    return source.received if verb == "到位" else source.spent


def _rate_of(source: SourceMoney, verb: str) -> Decimal | None:
    return source.received_rate if verb == "到位" else source.execution_rate


def _total_rate(money: Money, verb: str) -> Decimal | None:
    return money.received_rate if verb == "到位" else money.execution_rate


def _differing(money: Money, unit: str, verb: str) -> str:
    """「（其中中央财政、省级财政全部到位，县级财政到位2093.48万元，到位率97.83%）」.

    Only when some source's rate is not the total's; sources at 100% are named together.
    """
    if len(money.sources) < 2:
        return ""
    total = format_rate(_total_rate(money, verb))
    rates = [(source, _rate_of(source, verb)) for source in money.sources]
    if all(format_rate(rate) == total for _, rate in rates):
        return ""
    whole = [source.source for source, rate in rates if rate == 1]
    parts = []
    if whole:
        names = "、".join(whole)
        parts.append(f"{names}全部{verb}" if verb == "到位" else f"{names}{verb}率为100%")
    for source, rate in rates:
        if rate != 1:
            amount = format_amount(_amount_of(source, verb), unit)
            parts.append(f"{source.source}{verb}{amount}，{verb}率{format_rate(rate)}")
    return "（其中" + "；".join(parts) + "）"


def _by_source(money: Money, unit: str, verb: str, say: Phrasing) -> str:
    """Each source against its own budget before an adjustment that was not split by source.

    Said only when some source's share differs from the fund's rate; worded as a share of
    the source's budget, not as a 到位率, so the fund's rate is the only one printed.
    """
    if len(money.sources) < 2:
        return ""
    total = format_rate(_total_rate(money, verb))
    if all(format_rate(_rate_of(source, verb)) == total for source in money.sources):
        return ""
    parts = [
        say.say(
            "分来源",
            来源=source.source,
            动词=verb,
            金额=format_amount(_amount_of(source, verb), unit),
            比例=format_rate(_rate_of(source, verb)),
        )
        for source in money.sources
    ]
    return "（其中" + "；".join(parts) + "）"


# --------------------------------------------------------------------------- indicators


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；", ".")) else f"{text}。"


def _completion(result: IndicatorResult) -> str:
    """「（为目标的102.39%）」 for counts and amounts against a target; never a rate of a rate."""
    target = result.target
    if result.completion is None or target.kind not in (Kind.GE, Kind.GT):
        return ""
    if "%" in target.unit or not target.low or result.completion == 1:
        return ""
    return f"（为目标的{format_rate(result.completion)}）"


def _item(result: IndicatorResult) -> str:
    actual = result.actual_text
    zero = result.actual is not None and not result.actual.value
    joiner = "为" if zero and actual[:1].isdigit() else ""
    return f"{result.model.name}{joiner}{actual}{_completion(result)}"


def _joined(items: Sequence[str]) -> str:
    return "、".join(items)


def _score_of(result: IndicatorResult) -> Decimal:
    return result.score or Decimal(0)


def _full(result: IndicatorResult) -> bool:
    """Scored in full, or not scored at all (the bureau states only its total)."""
    weight = result.model.weight
    return weight is None or _score_of(result) >= weight


def _reasons(result: IndicatorResult, say: Phrasing) -> str:
    """Deviation and measures of a missed target, in the input's own words."""
    text = ""
    if result.model.deviation and result.model.deviation.strip():
        text += say.say("偏差原因", 原因=_sentence(result.model.deviation))
    if result.model.measures and result.model.measures.strip():
        text += say.say("改进措施", 措施=_sentence(result.model.measures))
    return text


def _override(result: IndicatorResult, say: Phrasing) -> str:
    return say.say(
        "调整得分",
        名称=result.model.name,
        计算得分=format_score(result.computed or Decimal(0)),
        得分=format_score(_score_of(result)),
        理由=_sentence(result.model.score_note or ""),
    )


def _missed(result: IndicatorResult, say: Phrasing) -> str:
    model = result.model
    if model.weight is None:  # not scored: the shortfall, without points
        return f"{model.name}{result.actual_text}，未达到{model.target}的目标。"
    if result.qualitative:
        return say.say(
            "定性未达成",
            名称=model.name,
            评级=model.rating or "未达成",
            得分=format_score(_score_of(result)),
            分值=format_score(model.weight),
        )
    return say.say(
        "未达标",
        名称=model.name,
        指标值=model.target,
        完成值=result.actual_text,
        完成率=_completion(result).replace("（为目标的", "，为目标的").rstrip("）"),
        得分=format_score(_score_of(result)),
        分值=format_score(model.weight),
    )


def _partial(result: IndicatorResult, say: Phrasing) -> str:
    """A met target scored below its weight (by 执行率, or a tier of the rule set)."""
    model = result.model
    weight = format_score(model.weight or Decimal(0))  # only scored indicators fall short
    if result.by_execution_rate:
        return (
            f"{model.name}{result.actual_text}，达到{model.target}的目标，"
            f"按执行率计得{format_score(_score_of(result))}分（分值{weight}分）。"
        )
    return say.say(
        "部分得分",
        名称=model.name,
        完成值=result.actual_text,
        指标值=model.target,
        得分=format_score(_score_of(result)),
        分值=weight,
    )


def _own(
    result: IndicatorResult,
    given: list[str] | None,
    say: Phrasing,
    previous: Callable[[IndicatorResult], str],
) -> list[str]:
    """An indicator discussed on its own: its 说明 (or the missed-target sentence), then
    what that may not say: last year, a score short of full, an adjustment, the reasons."""
    # Met and overridden without a 说明: the adjustment sentence names the indicator.
    text = list(given) if given else ["" if result.met else _missed(result, say)]
    # 上年完成值 is stated here too: the shared sentence only covers the silent ones.
    if history := previous(result):
        text[-1] += history if text[-1] else f"{result.model.name}{history}"
    score = format_score(_score_of(result))
    said = given is not None and any(f"{score}分" in t for t in given)
    if given and not said and not result.overridden and not _full(result):
        weight = format_score(result.model.weight or Decimal(0))
        text[-1] += f"本项得{score}分（分值{weight}分）。"
    if result.overridden:
        text[-1] += _override(result, say)
    if not result.met:
        text[-1] += _reasons(result, say)
    return text


def group_paragraphs(
    results: Sequence[IndicatorResult],
    notes: Mapping[int, list[str]],
    say: Phrasing,
    previous: Callable[[IndicatorResult], str],
) -> list[str]:
    """The analysis of one 二级 group as a careful author writes it.

    Met indicators without a 说明 share a sentence (measured ones with their actuals,
    qualitative ones by name); an indicator with a 说明 gets the user's words in place
    of a generated sentence, followed only by what they may not say: the score when it
    is not full, the reviewer's adjustment, the reason for a missed target.
    ``notes`` maps an indicator's position in ``results`` to its rendered 说明.
    """
    shared: list[str] = []
    own: list[str] = []
    measured: list[IndicatorResult] = []
    rated: list[IndicatorResult] = []
    skipped: list[str] = []
    for i, result in enumerate(results):
        if not result.applicable:
            if i in notes:
                own.extend(notes[i])
            else:
                skipped.append(result.model.name)
            continue
        given = notes.get(i)
        if result.met is None:  # not rated, not measured: only what its 说明 says
            own.extend(given or [])
            continue
        if given is None and result.met and not result.overridden:
            if not _full(result):
                shared.append(_partial(result, say))
            elif result.qualitative:
                rated.append(result)
            else:
                measured.append(result)
            continue
        own.extend(t for t in _own(result, given, say, previous) if t)
    if len(measured) == 1:
        # One indicator: its last year follows it directly (「其中」 needs several).
        only = measured[0]
        said = say.say("达标单项", 项=_item(only), 指标值=only.model.target)
        shared.insert(0, said + previous(only))
    elif measured:
        shared.insert(0, say.say("达标", 各项=_joined([_item(r) for r in measured])))
        history = "".join(f"{r.model.name}{s}" for r in measured if (s := previous(r)))
        if history:
            shared.append("其中" + history)
    if rated:
        items = [
            f"{r.model.name}（{r.model.actual}）" if r.model.actual else r.model.name for r in rated
        ]
        shared.append(say.say("定性达成", 各项=_joined(items), 均="均" if len(rated) > 1 else ""))
    if skipped:
        shared.append(say.say("不适用", 各项=_joined(skipped)))
    paragraphs = ["".join(shared)] if shared else []
    return paragraphs + own


def indicator_paragraphs(
    result: IndicatorResult,
    given: list[str],
    previous: Callable[[IndicatorResult], str],
    say: Phrasing,
) -> list[str]:
    """One indicator on its own (for templates that discuss indicators one by one)."""
    return group_paragraphs([result], {0: given} if given else {}, say, previous)


# --------------------------------------------------------------------------- score and conclusion


def score_sentence(fund: FundResult, rules: RuleSet, *, bands: bool) -> str:
    """The total and grade; the bands only where no 评价方法和等次 section states them."""
    applicable = sum(1 for r in fund.indicators if r.applicable)
    text = f"{applicable}项绩效指标合计得分{format_score(fund.total)}分，自评等级为“{fund.grade}”"
    if fund.score_stated:  # the bureau's own total: the indicators carry no points
        text = f"本项目自评得分{format_score(fund.total)}分，自评等级为“{fund.grade}”"
    if bands:
        text += f"（{grade_bands(rules)}）"
    return text + "。"


def bands_sentence(rules: RuleSet) -> str:
    """评价等次 as the rule set defines them, stated once."""
    return f"自评等次按总得分划分：{grade_bands(rules)}。"


def rescale_sentence(fund: FundResult) -> str:
    names = [r.model.name for r in fund.indicators if not r.applicable]
    if not names or fund.score_stated:
        return ""
    listed = "、".join(f"“{n}”" for n in names)
    return (
        f"其中{listed}本年度不适用，不计分；其余指标分值合计{format_score(fund.applicable_weight)}分，"
        f"得分按比例折算为百分制。"
    )


def _quoted(names: Sequence[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


def outcomes(fund: FundResult) -> tuple[list[str], list[str], list[str]]:
    """Names of the applicable indicators met, missed, and with no stated result.

    An indicator of a fund that publishes only its total may state neither 完成值 nor
    评级: it was neither met nor missed, and no sentence may count it as either.
    """
    met: list[str] = []
    missed: list[str] = []
    unstated: list[str] = []
    for r in fund.indicators:
        if r.applicable:
            {True: met, False: missed, None: unstated}[r.met].append(r.model.name)
    return met, missed, unstated


def overall_sentence(fund: FundResult) -> str:
    met, missed, unstated = outcomes(fund)
    count = len(met) + len(missed) + len(unstated)
    if not met and not missed:
        return f"对照年度总体目标，{count}项绩效指标的完成情况见指标分析。"
    clauses = [f"对照年度总体目标，{count}项绩效指标中{len(met)}项达到目标值"]
    if missed:
        clauses.append(f"{_quoted(missed)}未达到目标值，原因及改进措施见指标分析")
    text = "，".join(clauses)
    if unstated:
        text += f"{'；' if missed else '，'}{_quoted(unstated)}的完成情况见指标分析"
    return text + "。"


def conclusion_sentence(fund: FundResult) -> str:
    """Whether the year's goals were met, without restating the score printed beside it."""
    met, missed, unstated = outcomes(fund)
    if not missed and not unstated:
        return f"{fund.name}年度绩效目标全部完成。"
    if not unstated:
        return f"除{_quoted(missed)}外，{fund.name}其余绩效目标均已实现，年度绩效目标基本完成。"
    said = [f"{len(met)}项绩效目标已实现"] if met else []
    if missed:
        said.append(f"{_quoted(missed)}未实现")
    said.append(f"{_quoted(unstated)}的完成情况见指标分析")
    return f"{fund.name}" + "，".join(said) + "。"


# --------------------------------------------------------------------------- sub-headings

_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)


def heading_level(paragraph: str) -> int:
    """The 公文 level a typed line starts at: 1 一、 · 2 （一） · 3 1. · 4 （1）; 0 for body."""
    for level, pattern in _LEVELS:
        if pattern.match(paragraph):
            return level
    return 0


def leveled_paragraphs(paragraphs: Sequence[str]) -> list[dict[str, object]]:
    """Paragraphs as {文字, 级别} so a template can set typed sub-headings as headings."""
    return [{"文字": text, "级别": heading_level(text)} for text in paragraphs]
