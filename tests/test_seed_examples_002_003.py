"""The 桃江 2021 (seed 002) and 攀枝花 2021 (seed 003) examples state what their seeds state.

Each table pairs a figure or heading as the seed prints it with how the generated report
prints it: the same, or corrected where the seed has a slip domain.md §9 lists (96.58% for
96.57%, 100.62% for 100.61%), or where the outline's own heading stands for the seed's.
The seed's 5.23 months (its own 累计结余 34232 and 支出 63329 make 6.49) is no listed slip:
the example keeps 5.23 and confirms it. The report side always runs; the seed side checks
the tables against the seeds when at hand.

Seed 003 measures the 城乡居民医保 到位率 against the budget as adjusted mid-year (38026,
not the sources' 38909): the report states that one rate, and each source's share of its
own budget in other words, so no quantity is printed with two values.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.seeds import seed_text
from tests.test_seed_examples import report_texts

TAOJIANG = ROOT / "inputs" / "examples" / "桃江县-2021.yaml"
PANZHIHUA = ROOT / "inputs" / "examples" / "攀枝花市-2021.yaml"

#: (as the seed prints it, as the report prints it)
Pairs = tuple[tuple[str, str], ...]

FIGURES_002: Pairs = (
    ("32030.18万元", "32030.18万元"),
    ("资金到位率100%", "执行率100%"),
    ("60045.63万元", "60045.63万元"),
    ("55086.41万元", "55086.41万元"),
    ("4959.22万元", "4959.22万元"),
    ("≥707568人", "≥707568人"),
    ("707568人", "707568人"),
    ("755860人", "755860人"),
    ("48292人", "48292人"),
    ("580元", "580元"),
    ("95.02%", "95.02%"),
    ("85.94%", "85.94%"),
    ("65.01%", "65.01%"),
    ("55.31%", "55.31%"),
    ("2.26 %", "2.26个百分点"),
    ("5.68%", "5.68个百分点"),
    ("0.1个月", "0.1个月"),
    ("6-9 个月", "6-9个月"),
    ("5786.74万元", "5786.74万元"),
    ("2765万元", "2765万元"),
    ("1168万元", "1168万元"),
    ("225家", "225家"),
    ("33家", "33家"),
    ("192家", "192家"),
    ("1.64万元", "1.64万元"),
    ("满意度100%", "满意度为100%"),
    ("政策知晓率95%", "政策知晓率为95%"),
    ("指标分值20分，得分20分", "分值20分，自评得20分"),
    ("指标分值25分，得分25分", "分值25分，自评得25分"),
    ("（自评得分44分）", "分值45分，自评得44分"),
    ("（自评得分10分）", "分值10分，自评得10分"),
    ("总得分99分", "自评得分99分"),
    ("湘医保办发[2021]6号", "湘医保办发〔2021〕6号"),
    ("益医保办发[2021]3号", "益医保办发〔2021〕3号"),
)

HEADINGS_002: Pairs = (
    ("1、 绩效目标分解下达情况", "一、绩效目标分解下达情况"),
    ("（1） 中央下达转移支付资金预算情况", "（一）中央下达转移支付资金预算情况"),
    ("（2） 下达绩效目标情况", "（二）下达绩效目标情况"),
    ("二、绩效目标完成情况分析", "二、绩效目标完成情况分析"),
    ("（一）资金投入情况分析", "（一）资金投入情况分析"),
    ("1.项目资金到位情况分析", "1.资金到位和执行情况"),  # the outline says 到位 and 执行 together
    ("2.项目资金执行情况分析", "1.资金到位和执行情况"),
    ("3.项目资金管理情况分析", "2.资金管理情况"),
    ("（二）总体绩效目标完成情况分析", "（二）总体绩效目标完成情况分析"),
    ("1.强化政策宣传", "1.加强政策宣传"),
    ("2.严把基金监管", "2.守住基金安全"),
    ("3.深化医保改革", "3.推进医保改革"),
    ("4.落实优惠政策", "4.落实倾斜政策"),
    ("（三）绩效指标完成情况分析", "（三）绩效指标完成情况分析"),
    ("1.项目决策指标分析", "1.项目决策"),
    ("（1）决策依据", "（1）决策依据"),
    ("（2）决策过程", "（2）决策过程"),
    ("（3）绩效目标", "（3）绩效目标"),
    ("（4）资金分配", "（4）资金分配"),
    ("2.过程管理指标分析", "2.过程管理"),
    ("（1）资金管理", "（1）资金管理"),
    ("（2）组织管理", "（2）组织管理"),
    ("3.项目产出指标分析", "3.项目产出"),
    ("4.项目效益指标完成情况分析", "4.项目效益"),
    ("三、偏离绩效目标的原因和下一步改进措施", "三、偏离绩效目标的原因和下一步改进措施"),
    ("（一）存在的问题及困难", "（一）偏离绩效目标的原因"),
    ("（二）下一步改进措施及建议", "（二）下一步改进措施"),
    ("四、绩效自评结果拟应用和公开情况", "四、绩效自评结果拟应用和公开情况"),
    ("五、其他需要说明的问题", "五、其他需要说明的问题"),
)

FIGURES_003_BASIC: Pairs = (
    ("35524万元", "35524万元"),
    ("市级资金1000万元", "市级财政1000万元"),
    ("2385万元", "2385万元"),
    ("34307万元", "34307万元"),
    ("1055万元", "1055万元"),
    ("2664万元", "2664万元"),
    ("96.58%", "96.57%"),  # §9: 34307 ÷ 35524
    ("105.5%", "105.5%"),
    ("111.7%", "111.7%"),
    ("38026万元", "38026万元"),
    ("资金到位率为100%", "到位率100%"),
    ("调减了344万元", "调减344万元"),
    ("685083人", "685083人"),
    ("67.5万人", "67.5万人"),
    ("679151人", "679151人"),
    ("100.62%", "100.61%"),  # §9: 679151 ÷ 675000
    ("550元", "550元"),
    ("580元", "580元"),
    ("一档280元/人·年、二档400元/人·年", "一档280元/人·年、二档400元/人·年"),
    ("一档300元/人·年、二档450元/人·年", "一档300元/人·年、二档450元/人·年"),
    ("98.92%", "98.92%"),
    ("97.2%", "97.2%"),
    ("500人左右", "500人左右"),
    ("74.82%", "74.82%"),
    ("62.06%", "62.06%"),
    ("收入63475万元", "收入63475万元"),
    ("支出63329万元", "支出63329万元"),
    ("当期结余146万元", "当期结余146万元"),
    ("年末基金结余34232万元", "年末累计结余34232万元"),
    ("可支配5.23个月", "可支配5.23个月"),  # as published; confirmed in the example
    ("资金到位率为100%", "应到位38026万元，实际到位38026万元，到位率100%"),
    ("预算执行率为97.8%", "预算执行率为97.8%"),
    ("政策知晓率达到95%", "政策知晓率达到95%"),
    ("满意度达到98%", "满意度达到98%"),
    ("得分99分", "得分99分"),
)

FIGURES_003_ASSISTANCE: Pairs = (
    ("2630.85万元", "2630.85万元"),
    ("2155.05万元", "2155.05万元"),
    ("475.8万元", "475.8万元"),
    ("1147.91万元", "1147.91万元"),
    ("940.31万元", "940.31万元"),
    ("207.6万元", "207.6万元"),
    ("332.11万元", "332.11万元"),
    ("222.55万元", "222.55万元"),
    ("593.25万元", "593.25万元"),
    ("1482.94万元", "1482.94万元"),
    ("229万元", "229万元"),
    ("医疗救助资金50万元", "市级财政50万元"),
    ("179万元", "179万元"),
    ("东区15万元", "东区15万元"),
    ("西区9万元", "西区9万元"),
    ("仁和区26万元", "仁和区26万元"),
    ("53.29万元", "53.29万元"),
    ("32.2万元", "32.2万元"),
    ("93.51万元", "93.51万元"),
    ("40000人次", "40000人次"),
    ("53733人次", "53733人次"),
    ("134.33%", "134.33%"),
    ("3392.95万元", "3392.95万元"),
    ("632.17万元", "632.17万元"),
    ("282.14万元", "282.14万元"),
    ("2478.64万元", "2478.64万元"),
    ("3.28万名", "3.28万名"),
    ("2680.85万元", "2680.85万元"),
    ("地方资金占比20%", "地方资金占20%"),
    ("增补30%", "增加30%"),
    ("超过95%", "超过95%"),
    ("超过98%", "超过98%"),
    ("得分100分", "得分100分"),
)

FIGURES_003_CAPACITY: Pairs = (
    ("121万元", "121万元"),
    ("67万元", "67万元"),
    ("市医保事务中心20万元", "市医保事务中心20万元"),
    ("县（区）医保局34万元", "县（区）医保局34万元"),
    ("14.22万元", "14.22万元"),
    ("74.78万元", "74.78万元"),
    ("7.56万元", "7.56万元"),
    ("3.55万元", "3.55万元"),
    ("8.31万元", "8.31万元"),
    ("12.58万元", "12.58万元"),
    ("资金预算执行率100%", "预算执行率100%"),
    ("不少于30篇", "不少于30篇"),
    ("46篇", "46篇"),
    ("70期", "70期"),
    ("3180条", "3180条"),
    ("258条", "258条"),
    ("23951件", "23951件"),
    ("151件", "151件"),
    ("30491通", "30491通"),
    ("660家", "660家"),
    ("124家", "124家"),
    ("467家", "467家"),
    ("52家", "52家"),
    ("170家", "170家"),
    ("5个批次", "5个批次"),
    ("满意度98%以上", "满意度在98%以上"),
    ("得分100分", "得分100分"),
)

_EVALUATION: Pairs = (
    ("一、基本情况", "一、基本情况"),
    ("（一）项目总体情况", "（一）项目总体情况"),
    ("二、绩效评价工作开展情况", "二、绩效评价工作开展情况"),
    ("（一）评价目的、对象和范围", "（一）评价目的、对象和范围"),
    ("（二）评价方法和评价等次", "（二）评价方法和评价等次"),
    ("（三）指标体系设置", "（三）指标体系设置"),
    ("（四）评价工作过程", "（四）评价工作过程"),
    ("三、绩效评价结论", "三、绩效评价结论"),
    ("（一）评价得分", "（一）评价得分"),
    ("（二）评价结论", "（二）评价结论"),
    ("四、绩效评价指标分析", "四、绩效评价指标分析"),
    ("（一）项目决策", "（一）项目决策"),
    ("（二）过程管理", "（二）过程管理"),
    ("（三）项目产出", "（三）项目产出"),
    ("（四）项目效益", "（四）项目效益"),
)

HEADINGS_003_BASIC: Pairs = (
    *_EVALUATION,
    ("（二）项目绩效目标", "（二）项目绩效目标"),
    ("1.决策依据", "1.决策依据"),
    ("2.决策过程", "2.决策过程"),
    ("3.绩效目标", "3.绩效目标"),
    ("4.资金分配", "4.资金分配"),
    ("1.资金管理", "1.资金管理"),
    ("2.组织管理", "2.组织管理"),
    ("1.数量指标", "1.数量指标"),
    ("2.质量指标", "2.质量指标"),
    ("1.社会效益", "社会效益方面"),  # no indicator of its own: said under 四、
    ("2.可持续性", "可持续性方面"),
    ("3.服务对象满意度", "1.服务对象满意度"),
    ("五、存在问题", "五、存在问题"),
    ("六、有关建议", "六、有关建议"),
)

HEADINGS_003_ASSISTANCE: Pairs = (
    *_EVALUATION,
    # The outline's （二） is 项目绩效目标: 目标任务's three items sit under （一）.
    ("1．救助对象", "1.救助对象"),
    ("2．主要内容", "2.主要内容"),
    ("3．资金分解下达", "3.资金分解下达"),
    ("（三）项目绩效目标", "（二）项目绩效目标"),
    ("1．决策依据", "1.决策依据"),
    ("2．决策过程", "2.决策过程"),
    ("3．绩效目标", "3.绩效目标"),
    ("4．资金分配", "4.资金分配"),
    ("1．资金管理", "1.资金管理"),
    ("2．组织管理", "2.组织管理"),
    ("1．数量指标", "1.数量指标"),
    ("2．质量指标", "2.质量指标"),
    ("1．社会效益", "1.社会效益"),
    ("2．可持续影响", "2.可持续影响"),
    ("3．满意度指标", "3.满意度指标"),
    ("六、存在问题", "五、存在问题"),
    ("五、下一步工作措施", "（一）下一步工作措施"),  # under 有关建议, the outline's last section
    ("七、有关建议", "六、有关建议"),
)

HEADINGS_003_CAPACITY: Pairs = (
    *_EVALUATION,
    ("（二）项目绩效目标", "（二）项目绩效目标"),
    ("1.决策依据", "1.决策依据"),
    ("2.决策过程", "2.决策过程"),
    ("3.绩效目标", "3.绩效目标"),
    ("4.资金分配", "4.资金分配"),
    ("1.资金管理", "1.资金管理"),
    ("2.组织管理", "2.组织管理"),
    ("1.数量指标", "1.数量指标"),
    ("2.质量指标", "2.质量指标"),
    ("1.社会效益", "1.社会效益"),
    ("2.服务对象满意度", "2.服务对象满意度"),
    ("五、存在问题", "五、存在问题"),
    ("六、有关建议", "六、有关建议"),
)

#: (seed number, example, a word of the report's file name, figures, headings)
CASES = (
    pytest.param(2, TAOJIANG, "城乡居民医保", FIGURES_002, HEADINGS_002, id="002-桃江"),
    pytest.param(
        3, PANZHIHUA, "城乡居民", FIGURES_003_BASIC, HEADINGS_003_BASIC, id="003-城乡居民医保"
    ),
    pytest.param(
        3,
        PANZHIHUA,
        "医疗救助",
        FIGURES_003_ASSISTANCE,
        HEADINGS_003_ASSISTANCE,
        id="003-医疗救助",
    ),
    pytest.param(
        3, PANZHIHUA, "能力提升", FIGURES_003_CAPACITY, HEADINGS_003_CAPACITY, id="003-能力提升"
    ),
)

_ARGS = ("seed", "example", "fund", "figures", "headings")


def _report(example: Path, fund: str) -> str:
    """The text of the one fund report (not the bound volume) whose file name holds ``fund``."""
    texts = report_texts(example)
    found = [text for name, text in texts.items() if fund in name and "绩效自评报告" in name]
    assert len(found) == 1, sorted(texts)
    return found[0]


@pytest.mark.parametrize(_ARGS, CASES)
def test_each_seed_figure_appears_in_the_report(
    seed: int, example: Path, fund: str, figures: Pairs, headings: Pairs
) -> None:
    text = _report(example, fund)
    missing = [printed for _, printed in figures if printed not in text]
    assert missing == []


@pytest.mark.parametrize(_ARGS, CASES)
def test_each_heading_of_the_seeds_outline_starts_a_paragraph(
    seed: int, example: Path, fund: str, figures: Pairs, headings: Pairs
) -> None:
    lines = _report(example, fund).splitlines()
    missing = [h for _, h in headings if not any(line.startswith(h) for line in lines)]
    assert missing == []


@pytest.mark.parametrize(_ARGS, CASES)
def test_the_tables_quote_the_seed(
    seed: int, example: Path, fund: str, figures: Pairs, headings: Pairs
) -> None:
    """The left column is the seed's own text, so a table cannot drift from its seed."""
    published = seed_text(seed)
    missing = [quoted for quoted, _ in (*figures, *headings) if quoted not in published]
    assert missing == []


#: «到位率100%», «到位率：100%», «到位率为96.58%»: a rate the text calls 到位率.
_RECEIVED_RATE = re.compile(r"到位率(?:为|：|:)?\s*(\d+(?:\.\d+)?%)")
#: «可支配5.23个月», «可支付6.49个月»: the months the fund's balance covers.
_MONTHS = re.compile(r"可支[配付](?:月数)?(?:为|：|:)?\s*(\d+(?:\.\d+)?)个月")


@pytest.mark.parametrize(
    ("pattern", "value"),
    [(_RECEIVED_RATE, "100%"), (_MONTHS, "5.23")],
    ids=["到位率", "可支配月数"],
)
def test_the_basic_insurance_report_states_one_value_per_quantity_seed_003(
    pattern: re.Pattern[str], value: str
) -> None:
    """Body, indicator list, analysis and form alike: the fund's rate against the adjusted
    budget (38026), never 97.73% against the sources' 38909; the months as published."""
    text = _report(PANZHIHUA, "城乡居民")
    found = pattern.findall(text)
    assert found and set(found) == {value}


def test_each_source_is_measured_against_its_own_budget_seed_003() -> None:
    text = _report(PANZHIHUA, "城乡居民")
    shares = re.findall(r"(?:（其中|；)([^；（]+?)到位(\d+万元)，为其调整前预算的([\d.]+%)", text)
    assert shares == [
        ("中央及省级财政", "34307万元", "96.57%"),
        ("市级财政", "1055万元", "105.5%"),
        ("县级财政", "2664万元", "111.7%"),
    ]
    assert "97.73%" not in text and "6.49" not in text
