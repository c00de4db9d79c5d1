"""The 城乡居民医保 fund accounts (基金收支) a report states: income, expenditure, the
year's balance and the accumulated balance.

Read from sentences about the fund («城乡居民医保基金收入63475万元、支出63329万元，当期结余
146万元，累计结余34232万元»), never from the subsidy money: a report's 「资金支出」 of the
subsidy is its 执行数, so only a sentence that names the fund (基金) counts.
"""

from __future__ import annotations

import re
from decimal import Decimal

from generator.authoring.reading.blocks import Found, Paragraph
from generator.authoring.reading.model import ReportPart
from generator.authoring.reading.scan import amount_in, fold, sentences

__all__ = ["find_accounts"]


_ITEM = re.compile(
    r"(?P<key>收入|支出|当期结余|当期收不抵支|累计结余|滚存结余)"
    r"(?:为|达|达到|共计|合计)?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)"
)
_KEYS = {
    "收入": "收入",
    "支出": "支出",
    "当期结余": "当期结余",
    "当期收不抵支": "当期结余",
    "累计结余": "累计结余",
    "滚存结余": "累计结余",
}


def find_accounts(part: ReportPart, unit: str) -> dict[str, Found[Decimal]]:
    """基金收支 keys → amount in ``unit``, the first statement of each; {} when none."""
    found: dict[str, Found[Decimal]] = {}
    for block in part.blocks:
        if not isinstance(block, Paragraph) or block.slot or block.note_of:
            # In a report genreport wrote, the accounts are in its own sentences; the
            # user's text may quote other funds' figures (职工医保 支出 …).
            continue
        for sentence in sentences(fold(block.text)):
            if "基金" not in sentence:
                continue
            for match in _ITEM.finditer(sentence):
                key = _KEYS[match["key"]]
                if key in found:
                    continue
                value = amount_in(match["digits"], match["unit"], unit)
                if match["key"] == "当期收不抵支":
                    value = -value
                found[key] = Found(value, block.where, sure=part.made_by_genreport)
    return found
