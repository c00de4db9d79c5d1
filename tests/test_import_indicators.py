"""The indicators of a published report are recovered with their targets and actuals.

Reports genreport writes give back every indicator of their input exactly (after
computing: 完成值 ``自动`` is the printed rate); other layouts (a flattened table with
«项目决策 (20分)», foreign column names, lists of targets in the text, goals in words,
one analysis heading per indicator) give what they state, and what is inferred rather
than read from a cell is marked a guess.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.authoring.reading.indicators import find_indicators, split_deviation
from generator.authoring.reading.model import IndicatorRow
from generator.pipeline import check_file
from tests.import_blocks import ROOT, fixture_part, rendered, text_parts
from tests.seeds import seed_text

EXAMPLES = (
    ROOT / "inputs" / "2024.yaml",
    ROOT / "inputs" / "examples" / "黄山市-2024.yaml",
    ROOT / "inputs" / "examples" / "丰都县-2021.yaml",
)
FIELDS = ("level1", "level2", "weight", "target", "actual", "rating", "score", "previous")

Expected = dict[str, dict[str, str]]


def _as_table(rows: list[IndicatorRow], fields: tuple[str, ...] = FIELDS) -> Expected:
    return {
        row.name.value: {
            name: str(value.value) for name in fields if (value := getattr(row, name)) is not None
        }
        for row in rows
    }


def _plain(text: str | None) -> str | None:
    return text.strip().rstrip("。") if text else None


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_indicator_of_our_own_reports_comes_back_exactly(path: Path) -> None:
    result = check_file(path).result
    for fund, part in zip(result.funds, rendered(path), strict=True):
        found = find_indicators(part)
        assert [r.name.value for r in found] == [r.model.name for r in fund.indicators]
        for row, computed in zip(found, fund.indicators, strict=True):
            model = computed.model
            assert row.level1 is not None and row.level1.value == model.level1
            assert (row.level2.value if row.level2 else None) == (model.level2 or None)
            assert row.target is not None and row.target.value == model.target
            if row.weight is not None:  # the transfer form prints no points
                assert row.weight.value == model.weight
            if row.score is not None:
                assert row.score.value == computed.score
            assert (row.not_applicable is not None) == (not computed.applicable)
            if not computed.applicable:
                continue
            if computed.qualitative:
                if model.rating is not None:
                    assert row.rating is not None and row.rating.value == model.rating
                else:  # no 评级 in the input: the form printed none, none is guessed
                    assert row.rating is None
                assert (row.actual.value if row.actual else None) == model.actual
            else:
                assert row.actual is not None and row.actual.value == computed.actual_text
            assert (row.previous.value if row.previous else None) == model.previous
            assert _plain(row.reason.value if row.reason else None) == _plain(model.deviation)
            assert _plain(row.measure.value if row.measure else None) == _plain(model.measures)
            assert (row.note is not None) == bool(model.note)


def test_what_our_form_prints_is_sure() -> None:
    rows = find_indicators(rendered(EXAMPLES[0])[0])
    assert all(r.target is not None and r.target.sure for r in rows)
    assert all((r.actual or r.rating) is not None for r in rows)
    assert all(v.sure for r in rows for v in (r.actual, r.rating, r.reason, r.measure) if v)


DEVIATIONS: list[tuple[str, list[str], tuple[str, str | None], bool]] = [
    ("人数下降；逐户动员。", [], ("人数下降。", "逐户动员。"), True),
    ("只写了原因。", [], ("只写了原因。", None), True),
    # Two 「；」: the analysis text printing each part as a sentence settles the cut.
    (
        "外出务工；新生儿减少；按季度比对。",
        ["原因：外出务工；新生儿减少。下一步，按季度比对。"],
        ("外出务工；新生儿减少。", "按季度比对。"),
        True,
    ),
    ("外出务工；新生儿减少；按季度比对。", [], ("外出务工。", "新生儿减少；按季度比对。"), False),
]


@pytest.mark.parametrize(("cell", "texts", "parts", "sure"), DEVIATIONS)
def test_a_deviation_cell_splits_into_reason_and_measures(
    cell: str, texts: list[str], parts: tuple[str, str | None], sure: bool
) -> None:
    split = split_deviation(cell, texts)
    assert split is not None
    reason, measure = split
    assert (reason.value, measure.value if measure else None) == parts
    assert reason.sure is sure


FIXTURE_CASES: list[tuple[str, Expected]] = [
    (
        # A flattened table: «(20分)» is the group's, «(人)» a unit, blank cells as above.
        "indicators_flat.txt",
        {
            "落实医保制度改革部署": {
                "level1": "项目决策",
                "level2": "决策依据",
                "target": "按改革意见作出决策",
            },
            "资金下达及时": {"level1": "项目决策", "level2": "资金分配", "target": "按时限下达"},
            "预算执行率": {
                "level1": "过程管理",
                "level2": "资金管理",
                "target": "≥90%",
                "actual": "98.6%",
            },
            "县级统筹推进程度": {"level1": "过程管理", "level2": "资金管理", "target": "逐步提高"},
            "参保人数": {
                "level1": "项目产出",
                "level2": "数量指标",
                "target": "≥512000人",
                "actual": "512300人",
            },
            "基金累计结余可支配月数": {
                "level1": "项目产出",
                "level2": "数量指标",
                "target": "6-9个月",
                "actual": "7.1个月",
            },
        },
    ),
    (
        "indicators_lists.txt",
        {
            "医疗救助人次规模": {
                "level2": "数量指标",
                "target": "32000人次",
                "actual": "36210人次",
            },
            "重点救助对象资助参保覆盖率": {"level2": "质量指标", "target": "100%"},
            "住院救助比例": {"level2": "质量指标", "target": "≥70%"},
            "市域内“一站式”结算覆盖率": {"level2": "时效指标", "target": "100%"},
            "政策知晓率": {"level2": "服务对象满意度指标", "target": "≥85%", "actual": "92%"},
            "救助对象满意度": {"level2": "服务对象满意度指标", "target": "≥90%"},
        },
    ),
    (
        # Goals in words split into the indicator and its target as issued; an analysis
        # heading restating a goal keeps the goal's name, one worded otherwise («…减轻程度»)
        # names it; a heading no goal matches is an indicator without a target.
        "indicators_goals.txt",
        {
            "救助对象": {"target": "应救尽救"},
            "医疗救助“一站式”结算": {"target": "全覆盖"},
            "困难群众住院费用负担减轻程度": {"target": "有效减轻"},
            "对完善多层次医疗保障体系的作用": {"target": "作用明显"},
            "政策知晓率": {"target": "≥85%"},
            "困难群众就医便利程度": {},
        },
    ),
    (
        # Numbered headings under 二级 headings: a bare figure stated for the same quantity
        # is the actual («参保率达98.6%», not «参保完成率»), one with a comparator the target.
        "indicators_analysis.txt",
        {
            "基本医保参保率": {"level2": "数量指标", "actual": "98.6%"},
            "医保基金监督检查能力": {"level2": "数量指标"},
            "医保信息系统正常运行率": {"level2": "质量指标", "target": "≥95%"},
            "乡镇医保服务站覆盖率": {"level2": "质量指标", "actual": "100%"},
            "医保信息系统故障响应时间": {"level2": "时效指标", "target": "≤30分钟"},
            "参保人员满意度": {"level2": "服务对象满意度指标", "target": "≥90%"},
        },
    ),
    (
        # Targets inline «（1）…；（2）…»: two figures joined by «、» are two indicators, a
        # share «按75%救助» is a 救助比例, «为…的60%» is 60%; the 总体目标 lists none.
        "indicators_inline.txt",
        {
            "全市参保人数": {"target": "21.3万人", "actual": "21.6万人"},
            "个人缴费标准一档": {"target": "320元/人·年", "actual": "350元/人·年"},
            "个人缴费标准二档": {"target": "380元/人·年"},
            "按病种付费改革": {"target": "普遍推行"},
            "基金累计结余可支付": {"target": "6-9个月"},
            "门诊统筹": {"target": "普遍开展"},
            "参保对象满意度": {"target": "90%"},
            "低保对象救助比例": {"level2": "质量指标", "target": "75%"},
            "特困人员救助比例": {"level2": "质量指标", "target": "85%"},
            "大病救助比例": {"level2": "质量指标", "target": "60%"},
            "群众就医负担": {"level2": "社会效益指标", "target": "有效减轻"},
            "对健全医疗保障体系的作用": {"level2": "社会效益指标", "target": "进一步增强"},
        },
    ),
    (
        # Foreign names (年度指标值, 权重); a text actual scored below its weight.
        "indicators_foreign.txt",
        {
            "救助人次": {
                "level1": "产出指标",
                "level2": "数量指标",
                "weight": "20",
                "target": "≥2000人次",
                "actual": "1850人次",
                "score": "18.5",
            },
            "困难群众就医负担": {
                "level1": "效益指标",
                "level2": "社会效益指标",
                "weight": "20",
                "target": "有效减轻",
                "actual": "负担有所减轻",
                "rating": "部分达成",
                "score": "14",
            },
            "救助对象满意度": {
                "level1": "满意度指标",
                "level2": "服务对象满意度指标",
                "weight": "10",
                "target": "≥90%",
            },
        },
    ),
]


@pytest.mark.parametrize(("name", "expected"), FIXTURE_CASES, ids=[c[0] for c in FIXTURE_CASES])
def test_indicators_of_other_layouts(name: str, expected: Expected) -> None:
    assert _as_table(find_indicators(fixture_part(name))) == expected


def test_guesses_are_marked() -> None:
    flat = {r.name.value: r for r in find_indicators(fixture_part("indicators_flat.txt"))}
    assert flat["参保人数"].actual is not None and not flat["参保人数"].actual.sure
    assert flat["参保人数"].group_weight is not None and flat["参保人数"].group_weight.value == 45
    foreign = {r.name.value: r for r in find_indicators(fixture_part("indicators_foreign.txt"))}
    burden = foreign["困难群众就医负担"]
    assert burden.rating is not None and not burden.rating.sure
    assert foreign["救助对象满意度"].not_applicable is not None
    assert (
        foreign["救助人次"].reason is not None
        and foreign["救助人次"].reason.value == "部分对象转入大病保险"
    )
    assert (
        foreign["救助人次"].measure is not None
        and foreign["救助人次"].measure.value == "加强对象识别"
    )


def test_a_goal_in_words_is_a_qualitative_guess() -> None:
    rows = find_indicators(fixture_part("indicators_inline.txt"))
    kinds = {r.name.value: r.kind.value for r in rows if r.kind is not None}
    assert kinds == {
        "按病种付费改革": "定性",
        "门诊统筹": "定性",
        "群众就医负担": "定性",
        "对健全医疗保障体系的作用": "定性",
    }
    assert not any(v.sure for r in rows for v in (r.name, r.target, r.kind) if v is not None)


NOTES: list[tuple[str, str, str]] = [
    ("indicators_goals.txt", "救助对象", "民政等部门按月推送困难人员名单"),
    ("indicators_goals.txt", "困难群众住院费用负担减轻程度", "经三重制度报销后"),
    ("indicators_goals.txt", "困难群众就医便利程度", "困难群众出院时只需结清"),
    ("indicators_analysis.txt", "基本医保参保率", "年末全市参保人数48.2万人"),
    ("indicators_analysis.txt", "医保信息系统故障响应时间", "安排专人值守"),
]


@pytest.mark.parametrize(("name", "indicator", "start"), NOTES)
def test_the_text_under_an_analysis_heading_is_its_indicators_note(
    name: str, indicator: str, start: str
) -> None:
    rows = {r.name.value: r for r in find_indicators(fixture_part(name))}
    note = rows[indicator].note
    assert note is not None and note.value.startswith(start) and not note.sure


SEED_002 = {
    "贯彻中央医疗保障制度改革有关城乡居民医保决策部署": {
        "target": "依据中央和国务院深化医疗保障制度改革的意见进行决策"
    },
    "执行预算绩效管理和资金管理办法": {"target": "决策符合预算绩效管理要求和资金管理办法"},
    "决策程序规范": {"target": "程序合规完整"},
    "绩效目标设置科学": {"target": "遵照财政部和国家医疗保障局下达的年度总体目标和具体绩效指标"},
    "绩效目标分解细化": {
        "target": "对财政部和国家医疗保障局下达的年度绩效目标结合实际进行分解细化"
    },
    "资金分配规范性": {"target": "按规定时限下达资金"},
    "资金分配合理性": {"target": "符合预算管理和城乡居民基本医疗保险补助资金管理要求"},
    "预算执行率": {"target": "≥90%", "actual": "100%"},
    "基金使用合规性": {"target": "专账核算专款专用"},
    "市级统筹实现程度": {"target": "逐年加大"},
    "基金监管有效性": {"target": "监督检查制度全覆盖"},
    "管理制度健全有效性": {"target": "全面建立统一的城乡居民医保制度"},
    "定点医药机构规范性": {"target": "协议管理严格监管"},
    "医保信息系统功能性": {"target": "信息数据及时准确"},
    "医保统计、基金报表准确性、及时性、完整性": {
        "target": "医保基金统计、基金报表上报准确完整、及时有效"
    },
    "绩效评价机制健全性": {"target": "全面实现绩效管理"},
    "参保人数": {"target": "≥707568人", "actual": "707568人"},
    "各级财政补助标准": {"target": "≥580元", "actual": "580元"},
    "以常住人口为基数计算的基本医保综合参保率": {"target": "≥95%"},
    "重复参保人数": {"target": "0"},
    "虚报参保人数": {"target": "0"},
    "参保人政策范围内住院费用报销比": {"target": "≥65%", "actual": "65.01%"},
    "参保人住院费用实际报销比": {"target": "≥50%", "actual": "55.31%"},
    "开展门诊统筹,实行个人账户的,向门诊统筹过渡": {"target": "普遍开展"},
    "基金累计结余可支配月数": {"target": "6-9个月", "actual": "0.1个月"},
    "参保对象满意度": {"target": "≥80%"},
}
SEED_003_BASIC = {
    "全市城乡居民医保参保人数": {"target": "67.5万人"},
    "各级财政实际补助标准": {"target": "550元"},
    "参保居民个人缴费标准一档": {"target": "280元/人·年", "actual": "300元/人·年"},
    "参保居民个人缴费标准二档": {"target": "400元/人·年"},
    "以户籍人口数为基数计算的基本医保综合参保率": {"target": "85%"},
    "以常住人口数为基数计算的基本医保综合参保率": {"target": "75%"},
    "重复参保人数": {"target": "500人左右"},
    "虚报参保人数": {"target": "0人"},
    "参保人政策范围内住院费用报销比例": {"target": "≥70%"},
    "实行按病种（组）、按人头付费等支付方式改革": {"target": "普遍开展"},
    "基金滚存结余可支配": {"target": "6-9个月"},
    "门诊统筹": {"target": "普遍开展"},
    "当年各级财政补助资金到位率": {"target": "100%"},
    "参保对象满意度": {"target": "95%", "actual": "98%"},
}
SEED_003_RESCUE = {
    "医疗救助对象人次规模": {"target": "40000人次"},
    "三级医院救助比例": {"target": "70%"},
    "二级及以下医疗机构救助比例": {"target": "80%"},
    "重大疾病医疗救助比例": {"target": "70%"},
    "符合资助条件的农村低收入人口资助参保政策覆盖率": {"target": "100%"},
    "市域内“一站式”即时结算覆盖率": {"target": "100%"},
    "医疗救助制度覆盖范围": {"target": "100%"},
    "困难群众看病就医": {"target": "有效缓解"},
    "困难群众医疗费用负担": {"target": "有效减轻"},
    "对健全社会救助体系的影响": {"target": "成效明显"},
    "对健全医疗保障制度体系的作用": {"target": "进一步增强"},
    "政策知晓率": {"target": "≥90%"},
    "救助对象满意度": {"target": "≥95%"},
}
SEED_003_CAPACITY = {
    "召开医保工作市级新闻发布会、政策吹风会": {"target": "≥1次"},
    "召开医保工作政府信息公开工作会议或培训": {"target": "≥2次"},
    "报送本地医保信息": {"target": "≥30篇"},
    "医保信息系统验收合格率": {"target": "≥90%", "actual": "90%"},
    "医保系统正常运行率": {"target": "≥90%", "actual": "90%"},
    "医保系统重大安全事件响应时间": {"target": "<60分钟"},
    "定点医药机构监督检查覆盖率": {"target": "≥90%"},
    "医保人才培训合格率": {"target": "100%"},
    "医保支付方式改革和DRG试点": {"target": "持续推行"},
    "异地就医直接结算定点医药机构数量扩面工作": {"target": "按省上要求完成"},
    "定点医药机构监管和年度考核": {"target": "完成"},
    "医药价格和招标采购政策落实和执行": {"target": "按要求按时完成"},
    "医保重要政策知晓率": {"target": "≥90%"},
    "跨省异地就医直接结算率": {"target": "持续提高"},
    "医保经办服务能力": {"target": "持续提升"},
    "医保综合监管能力": {"target": "持续提升"},
    "参保人员对医保服务的满意度": {"target": "≥80%"},
}
SEED_000 = {
    "救助对象人数": {"target": "应助尽助"},
    "“一站式”即时结算": {"target": "全覆盖"},
    "困难群众医疗费用负担减轻程度": {"target": "有效缓解"},
    "对健全社会救助体系的影响及对健全医疗保障制度体系的作用": {"target": "成效明显"},
    "政策知晓率": {"target": "≥80%"},
    "困难群众看病就医方便程度": {},
}
SEED_004_CAPACITY = {
    "基本医保参保率": {"actual": "100.95%"},
    "每个县（区）范围内开通门诊慢特病相关治疗费用跨省联网定点医疗机构数量": {},
    "医保基金综合监管能力": {},
    "基金预警和风险防控能力": {},
    "推进医保支付方式改革": {},
    "医保经办服务能力": {},
    "医保标准化水平": {},
    "开展村（社区）级医保服务、由网点提供帮办、代办服务的村（社区）覆盖率": {"actual": "100%"},
    "提升公立医疗机构平台采购药品耗材比例": {},
    "医保信息系统正常运行率": {"target": "≥90%"},
    "医药服务价格动态调整与深化医疗服务价格改革试点执行情况": {},
    "集中带量采购落实情况": {},
    "国谈药等相关药品落地及统计监测情况": {},
    "医保目录管理规范性情况": {},
    "医保信息系统重大安全事件响应时间": {"target": "≤60分钟"},
    "医保信息系统运行维护响应时间": {"target": "≤30分钟"},
    "参保人员对医保服务的满意度": {"target": "≥85%"},
}
PARTS_003 = ("关于2021年度医疗救助", "关于2021年度医疗服务")
PARTS_004 = ("关于2024年度医疗救助", "黄山市医疗服务与保障能力")
SEED_CASES: list[tuple[int, tuple[str, ...], int, Expected]] = [
    (0, (), 0, SEED_000),
    (2, (), 0, SEED_002),
    (3, PARTS_003, 0, SEED_003_BASIC),
    (3, PARTS_003, 1, SEED_003_RESCUE),
    (3, PARTS_003, 2, SEED_003_CAPACITY),
    (4, PARTS_004, 0, {}),
    (4, PARTS_004, 1, {}),
    (4, PARTS_004, 2, SEED_004_CAPACITY),
]


@pytest.mark.parametrize(
    ("seed", "starts", "index", "expected"),
    SEED_CASES,
    ids=[f"{c[0]:03d}-{c[2]}" for c in SEED_CASES],
)
def test_each_seeds_indicators_with_target_and_actual(
    seed: int, starts: tuple[str, ...], index: int, expected: Expected
) -> None:
    part = text_parts(seed_text(seed), starts)[index]
    assert _as_table(find_indicators(part), ("target", "actual")) == expected


def test_a_seeds_group_cells_carry_their_points() -> None:
    rows = find_indicators(text_parts(seed_text(2))[0])
    weights = {r.level1.value: r.group_weight.value for r in rows if r.level1 and r.group_weight}
    assert weights == {
        "项目决策": Decimal(20),
        "过程管理": Decimal(25),
        "项目产出": Decimal(45),
        "项目效益": Decimal(10),
    }


def test_a_seeds_analysis_headings_give_each_goal_its_note() -> None:
    rows = find_indicators(text_parts(seed_text(0))[0])
    notes = {r.name.value: r.note.where for r in rows if r.note is not None}
    assert len(notes) == len(rows) == 6
    assert all(
        row.note is not None and row.note.where != row.target.where for row in rows if row.target
    )
