"""What a report's title and 落款 say: fund type and name, unit, year, date, money unit.

Titles vary in shape between bureaus («关于2021年度…补助资金绩效自评报告»,
«黄山市…补助资金(…部分)转移支付2024年度绩效自评报告», «桃江县2021年度…补助资金绩效
自评报告»), so each value is found by its own words rather than by one title pattern.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable

from generator.authoring.reading.blocks import Found
from generator.authoring.reading.headings import compact
from generator.authoring.reading.scan import AMOUNT, fold, to_decimal
from generator.core.vocabulary import FUND_TYPES

__all__ = [
    "date_in",
    "fund_name_in",
    "fund_type_in",
    "is_bare_unit",
    "money_unit_of",
    "region_of",
    "unit_in",
    "year_in",
]

# Checked in this order: a 扶贫济困 or 能力提升 title may also mention 救助 or 城乡.
_FUND_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("扶贫济困", re.compile(r"扶贫济困")),
    ("能力提升", re.compile(r"能力提升|服务能力|保障能力")),
    ("医疗救助", re.compile(r"医疗救助")),
    ("城乡居民医保", re.compile(r"城乡居民.{0,4}(?:医疗保险|医保)|居民医保|居民基本医疗保险")),
)
assert {name for name, _ in _FUND_KEYWORDS} == set(FUND_TYPES)

_UNIT = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:医疗保障局|医保局)")
_BARE_UNIT = re.compile(r"^[\u4e00-\u9fff]{2,16}(?:医疗保障局|医保局|人民政府|委员会|局)$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DIGITS = "〇零一二三四五六七八九"
_CN_DATE = re.compile(rf"^([{_DIGITS}]{{4}})年([十{_DIGITS}]{{1,3}})月([十{_DIGITS}]{{1,3}})日$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
#: Below this a sum in 元 is a standard or a threshold, not an amount of the fund.
_SMALL_YUAN = 10000
_SUFFIX = re.compile(
    r"(?:转移支付)?(?:(?:19|20)\d{2}年度?)?的?"
    r"(?:绩效(?:评价)?(?:自评|评价)?(?:情况)?的?报告|绩效自评表)$"
)
_REGION = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:省|市|县|区|旗|州)(?=医疗|城乡|扶贫|基本|居民)")


def fund_type_in(text: str) -> str | None:
    """The fund type a title (or any text) names by its keywords."""
    for fund_type, pattern in _FUND_KEYWORDS:
        if pattern.search(text):
            return fund_type
    return None


def region_of(unit: str) -> str:
    """The place a unit is named after: 黄山市医疗保障局 → 黄山市."""
    return re.sub(r"(?:医疗保障局|医保局)$", "", unit)


def fund_name_in(title: str, unit: str | None = None) -> str:
    """The fund's name as the title gives it, brackets full-width.

    «关于2024年度医疗救助补助资金(城乡医疗救助补助资金部分)补助资金绩效评价自评情况的
    报告» → «医疗救助补助资金（城乡医疗救助补助资金部分）»: the unit or place before it,
    the year, «关于» and the «…绩效自评报告» after it are not part of the name.
    """
    name = compact(title).replace("(", "（").replace(")", "）")
    name = re.sub(r"^关于", "", name)
    if unit:
        for prefix in (unit, region_of(unit)):
            if prefix and name.startswith(prefix):
                name = name[len(prefix) :]
                break
    name = _SUFFIX.sub("", name)
    name = re.sub(r"^.{0,12}?(?:19|20)\d{2}年度?", "", name, count=1)
    name = _REGION.sub("", name)
    # «…补助资金（…部分）补助资金»: the words after the bracket repeat the name's end.
    repeated = re.match(r"^(.*补助资金（[^（）]*）)补助资金$", name)
    return repeated[1] if repeated else name


def unit_in(text: str) -> str | None:
    """A 医疗保障局 named in a line: the whole line when it is only a unit's name."""
    line = compact(text)
    if _BARE_UNIT.match(line):
        return line
    match = _UNIT.search(line)
    return match[0] if match else None


def is_bare_unit(text: str) -> bool:
    """A line that is only an authority's name (发文机关 above a title, or 落款)."""
    return bool(_BARE_UNIT.match(compact(text)))


def year_in(text: str) -> int | None:
    """The first year a title names («2021年度»)."""
    match = _YEAR.search(compact(text))
    return int(match[1]) if match else None


def _chinese_number(text: str) -> int:
    """二〇二二 → 2022, 十二 → 12, 二十三 → 23."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_DIGITS.index(tens) % 10 if tens else 1) * 10 + (
            _DIGITS.index(ones) % 10 if ones else 0
        )
    return int("".join(str(_DIGITS.index(c) % 10 if c != "〇" else 0) for c in text))


def date_in(text: str) -> datetime.date | None:
    """A line that is only a date («2022年2月9日», «二〇二二年二月九日»), else None."""
    line = compact(text)
    match = _DATE.match(line)
    try:
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        match = _CN_DATE.match(line)
        if match:
            year, month, day = (_chinese_number(match[i]) for i in (1, 2, 3))
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None


def money_unit_of(texts: Iterable[tuple[str, str]]) -> Found[str] | None:
    """The unit most amounts are written in: (text, where) pairs → 元, 万元 or 亿元.

    Per-person amounts («580元/人») and small sums in 元 (a subsidy standard «670元», a
    threshold «2000元»: a fund's money in 元 runs to far more) do not count. A tie takes the smaller unit (amounts
    convert down exactly) and is marked for checking.
    """
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for text, where in texts:
        folded = fold(text)
        for match in AMOUNT.finditer(folded):
            if folded[match.end() : match.end() + 1] in ("/", "／", "每"):
                continue
            if match[2] == "元" and to_decimal(match[1]) < _SMALL_YUAN:
                continue
            counts[match[2]] += 1
            first.setdefault(match[2], where)
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], ("元", "万元", "亿元").index(kv[0])))
    unit, count = ranked[0]
    tied = len(ranked) > 1 and ranked[1][1] == count
    return Found(unit, first[unit], sure=not tied, note=_count_note(counts))


def _count_note(counts: Counter[str]) -> str:
    return "金额写法：" + "，".join(f"{unit}{n}处" for unit, n in counts.most_common())
