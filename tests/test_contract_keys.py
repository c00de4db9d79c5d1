"""The contract's keys for what real reports say: official wording kept as issued, policy
basis, per-fund units, fund accounts, budget adjustments (by source, or for the fund as a
whole: 调整后预算数, see tests/test_adjusted_budget.py), table headers, the 资金管理情况
block, the 评价报告 slots and confirmed figures. Each is optional, validated with a located
Chinese message, and survives YAML → Excel → YAML."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

import openpyxl
import pytest

from generator.authoring.convert import to_workbook
from generator.core.quantities import classify_target
from generator.core.vocabulary import (
    INDICATOR_KINDS,
    MANAGEMENT_ASPECTS,
    NARRATIVE_SLOTS,
    UNPLACED_SLOT,
)
from generator.inputs.models import (
    FundManagement,
    FundNarrative,
    Indicator,
    Narrative,
    PolicyDocument,
    ReportInput,
    normalize_document_number,
)

from .conftest import FIXTURES, VALID_INPUT, CliResult, assert_refused, validated

RunCli = Callable[..., CliResult]

CONTRACT = FIXTURES / "contract"
NEW_KEYS = CONTRACT / "新键.yaml"
BAD = CONTRACT / "bad"

# ------------------------------------------------------------------ vocabulary


def test_narrative_keys_are_the_slots_in_outline_order() -> None:
    keys = [info.alias for info in Narrative.model_fields.values()]
    assert keys == list(NARRATIVE_SLOTS)


def test_a_fund_narrative_also_keeps_the_text_an_import_could_not_place() -> None:
    keys = [info.alias for info in FundNarrative.model_fields.values()]
    assert keys == [*NARRATIVE_SLOTS, UNPLACED_SLOT]


def test_management_block_has_the_seven_rows_of_the_form() -> None:
    assert [i.alias for i in FundManagement.model_fields.values()] == list(MANAGEMENT_ASPECTS)


def test_indicator_kind_takes_the_vocabulary() -> None:
    annotation = Indicator.model_fields["kind"].annotation
    literal = next(a for a in get_args(annotation) if a is not type(None))
    assert get_args(literal) == INDICATOR_KINDS


# ------------------------------------------------------------------ valid inputs


@pytest.fixture(scope="module")
def model() -> ReportInput:
    return validated(NEW_KEYS)


def test_official_wording_with_a_rating_and_no_actual_is_qualitative(model: ReportInput) -> None:
    indicator = model.funds[0].indicators[0]
    assert (indicator.target, indicator.actual, indicator.rating) == ("30日内下达", None, "达成")
    reading = classify_target(indicator.target, declared=indicator.kind, rated=True, measured=False)
    assert reading.is_qualitative


def test_a_qualitative_indicator_keeps_its_actual_as_text(model: ReportInput) -> None:
    declared, undeclared = model.funds[0].indicators[2], model.funds[0].indicators[3]
    assert (declared.kind, declared.target, declared.actual) == ("定性", "100%", "已全面覆盖")
    assert (undeclared.kind, undeclared.actual) == (None, "全面开展")


def test_a_source_combining_levels_is_a_source_of_its_own(model: ReportInput) -> None:
    sources = [row.source for row in model.funds[1].funding]
    assert sources == ["各级财政补助", "市级福彩公益金"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("湘医保办发[2021]6号", "湘医保办发〔2021〕6号"),
        ("益医保办发（2021）3号", "益医保办发〔2021〕3号"),
        ("皖财社【2023】1400号", "皖财社〔2023〕1400号"),
        ("台财社﹝2020﹞14号", "台财社〔2020〕14号"),
        ("江医保发(2019)39号", "江医保发〔2019〕39号"),
        ("川财社［２０２０］66号", "川财社〔2020〕66号"),
        ("国办发〔2015〕30号", "国办发〔2015〕30号"),
        ("财社[13]217号", "财社[13]217号"),
    ],
)
def test_document_numbers_take_hexagonal_brackets_around_the_year(typed: str, stored: str) -> None:
    assert normalize_document_number(typed) == stored
    assert PolicyDocument.model_validate({"文号": typed}).number == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("《社会救助暂行办法》", "社会救助暂行办法"),
        ("社会救助暂行办法", "社会救助暂行办法"),
        ("关于印发<管理办法>的通知", "关于印发<管理办法>的通知"),
        ("《甲》《乙》", "《甲》《乙》"),
    ],
)
def test_a_title_is_stored_without_its_book_title_marks(typed: str, stored: str) -> None:
    assert PolicyDocument.model_validate({"标题": typed}).title == stored


def test_every_existing_input_stays_valid_without_the_new_keys() -> None:
    fund = validated(VALID_INPUT).funds[0]
    assert fund.money_unit is None and fund.accounts is None and fund.management is None
    assert (fund.policy_basis, fund.confirmed) == ([], [])
    assert all(row.adjustment is None and row.clearing is None for row in fund.funding)
    assert all(ind.kind is None for ind in fund.indicators)


# ------------------------------------------------------------------ refused inputs

# (fixture, expected first line after "<file>")
CASES = [
    (
        "调减超过预算",
        ":10: 项目[1].资金[2].调整数：调整后预算数为-50，不能为负（预算数200、调整数-250）；"
        "调减、扣回的金额不能超过预算数",
    ),
    (
        "清算扣回超过预算",
        ":10: 项目[1].资金[2].清算数：调整后预算数为-10，不能为负"
        "（预算数200、调整数-150、清算数-60）；调减、扣回的金额不能超过预算数",
    ),
    (
        "当期结余与收支不符",
        ":15: 项目[1].基金收支.当期结余：当期结余应等于收入减支出：63475 − 63329 = 146，"
        "实际为147；请核对，或删去当期结余由工具计算",
    ),
    ("累计结余为负数", ":15: 项目[1].基金收支.累计结余：应不小于0，实际为“-1”"),
    (
        "基金收支为空",
        ":15: 项目[1].基金收支：基金收支至少须填写一项（收入、支出、当期结余、累计结余）",
    ),
    (
        "基金收支用于医疗救助",
        ":15: 项目[1].基金收支：基金收支只用于城乡居民医保，本项目类型为“医疗救助”；"
        "其他资金的结余由“资金”各行计算",
    ),
    (
        "政策依据缺标题和文号",
        ":17: 项目[1].政策依据[2]：政策依据的每一项须填写标题或文号（至少一项）",
    ),
    ("文号重复", ":15: 项目[1].政策依据：文号重复：“湘医保办发〔2021〕6号”"),
    ("确认数字缺理由", ":16: 项目[1].确认数字[1].理由：缺少必填项"),
    (
        "确认数字不是数字",
        ":16: 项目[1].确认数字[1].数字：应为文中写的数字（如 282.88万元、96.58%），实际为“见上文”",
    ),
    ("确认数字重复", ":15: 项目[1].确认数字：同一数字重复确认：“96.58%”（所指到位率）"),
    ("指标类型无效", ":14: 项目[1].指标[2].指标类型：应为定量、定性之一，实际为“定性指标”"),
    (
        "定量指标的指标值是文字",
        ":14: 项目[1].指标[2].指标类型：指标类型为“定量”，但指标值“普遍开展”不是数字"
        "（写法见“指标值语法”）；如按评级计分，请把指标类型改为“定性”",
    ),
    (
        "定量指标填了评级",
        ":14: 项目[1].指标[2].指标类型：指标类型为“定量”，按完成值计分，不应填写评级",
    ),
    (
        "定性指标缺评级",
        ":14: 项目[1].指标[2].指标类型：指标类型为“定性”，须填写评级：达成、部分达成或未达成",
    ),
    (
        "数字指标值同时有完成值和评级",
        ":14: 项目[1].指标[2]：指标值“30日内下达”读作“=30”，单位“日内下达”，是定量指标，"
        "按完成值计分，不应同时填写评级；如按评级计分（定性指标），请写“指标类型: 定性”",
    ),
    (
        "资金管理情况未知方面",
        ":16: 项目[1].资金管理情况.分配合理性：未知的键“分配合理性”，是否应为“分配科学性”？"
        "（可用的键：" + "、".join(MANAGEMENT_ASPECTS) + "）",
    ),
    ("资金管理情况缺情况说明", ":16: 项目[1].资金管理情况.下达及时性.情况说明：缺少必填项"),
    ("项目金额单位无效", ":15: 项目[1].金额单位：应为元、万元、亿元之一，实际为“千元”"),
    (
        "调整后预算数与调整数同填",
        ":11: 项目[1].调整后预算数：调整后预算数用于调整未分来源的资金，不能与各行的调整数、"
        "清算数同时填写（资金[1]（中央财政）的清算数、资金[2]（县级财政）的调整数）；"
        "调整已分到各来源时删去调整后预算数，"
        "未分来源时删去各行的调整数、清算数",
    ),
    ("调整后预算数为零", ":11: 项目[1].调整后预算数：应大于0，实际为“0”"),
    (
        "调整后预算数缺到位数",
        ":10: 项目[1].资金[2].到位数：填写了调整后预算数（调整未分来源）时，各来源须填写到位数："
        "调整后预算未分到各来源，本行的到位数无从推定",
    ),
]


def test_every_bad_fixture_has_its_case() -> None:
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize(("fixture", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_new_key_written_wrong_is_one_located_chinese_line(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, fixture: str, expected: str
) -> None:
    monkeypatch.chdir(BAD)
    assert_refused(run_cli("check", f"{fixture}.yaml"), f"{fixture}.yaml{expected}", errors=1)


# ------------------------------------------------------------------ YAML → Excel → YAML


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportInput, ReportInput]:
    folder = tmp_path_factory.mktemp("往返")
    workbook = folder / "新键.xlsx"
    workbook.write_bytes(to_workbook(NEW_KEYS))
    back = folder / "新键.yaml"
    from generator.authoring.convert import to_yaml

    back.write_text(to_yaml(workbook), encoding="utf-8")
    assert validated(workbook) == validated(NEW_KEYS)
    return validated(NEW_KEYS), validated(back)


D = Decimal
#: (key, what the key holds in the fixture)
KEYS: list[tuple[str, Callable[[ReportInput], Any], Any]] = [
    (
        "项目[].指标[].指标类型",
        lambda m: [i.kind for i in m.funds[0].indicators],
        [None, "定量", "定性", None],
    ),
    ("项目[].指标[].完成值（文字）", lambda m: m.funds[0].indicators[2].actual, "已全面覆盖"),
    ("项目[].资金[].调整数", lambda m: m.funds[1].funding[0].adjustment, D("-50")),
    ("项目[].资金[].清算数", lambda m: m.funds[0].funding[0].clearing, D("-0.02")),
    ("项目[].金额单位", lambda m: [f.money_unit for f in m.funds], ["亿元", None]),
    ("项目[].主管部门", lambda m: m.funds[0].department, "示例市医疗保障局"),
    ("项目[].实施单位", lambda m: m.funds[0].implementer, "示例市医疗保障局"),
    ("项目[].转移支付名称", lambda m: m.funds[0].transfer_name, "城乡居民基本医疗保险补助资金"),
    ("项目[].中央主管部门", lambda m: m.funds[0].central_department, "财政部、国家医疗保障局"),
    ("项目[].地方主管部门", lambda m: m.funds[0].local_department, "示例市医疗保障局"),
    ("项目[].资金使用单位", lambda m: m.funds[0].user_unit, "示例市医疗保障事务中心"),
    (
        "项目[].政策依据",
        lambda m: [(d.title, d.number) for f in m.funds for d in f.policy_basis],
        [
            ("关于做好城乡居民基本医疗保障工作的通知", "湘医保办发〔2021〕6号"),
            (None, "益医保办发〔2021〕3号"),
            ("社会救助暂行办法", None),
            ("关于下达2020年中央和省财政医疗救助补助资金的通知", "台财社〔2020〕14号"),
        ],
    ),
    (
        "项目[].基金收支",
        lambda m: m.funds[0].accounts and m.funds[0].accounts.model_dump(by_alias=True),
        {
            "收入": D("6.3475"),
            "支出": D("6.3329"),
            "当期结余": D("0.0146"),
            "累计结余": D("3.4232"),
        },
    ),
    (
        "项目[].资金管理情况",
        lambda m: (
            m.funds[0].management
            and {
                k: (v.situation, v.issues)
                for k, v in m.funds[0].management.items().items()
                if v is not None
            }
        ),
        {
            "分配科学性": ("按参保人数和补助标准分配。", "无。"),
            "下达及时性": ("收到资金后30日内下达。", None),
            "支出责任履行情况": ("各级补助按标准足额安排。", "无。"),
        },
    ),
    (
        "项目[].确认数字",
        lambda m: [(c.figure, c.refers_to) for c in m.funds[0].confirmed],
        [("96.58%", "中央财政到位率")],
    ),
    *(
        (
            f"项目[].叙述.{slot}",
            (lambda s: lambda m: bool(m.funds[0].narrative.slots()[s]))(slot),
            True,
        )
        for slot in ("评价目的对象范围", "评价方法和等次", "指标体系", "项目决策", "过程管理")
    ),
]


@pytest.mark.parametrize(("key", "read", "expected"), KEYS, ids=[k[0] for k in KEYS])
def test_each_new_key_survives_yaml_to_excel_to_yaml(
    round_trip: tuple[ReportInput, ReportInput],
    key: str,
    read: Callable[[ReportInput], Any],
    expected: Any,
) -> None:
    source, back = round_trip
    assert read(source) == expected, key
    assert read(back) == expected, key


def test_optional_sheets_appear_only_when_used(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(to_workbook(VALID_INPUT))
    assert openpyxl.load_workbook(plain).sheetnames == ["报告", "项目", "资金", "指标", "叙述"]
    full = tmp_path / "full.xlsx"
    full.write_bytes(to_workbook(NEW_KEYS))
    wb = openpyxl.load_workbook(full)
    assert wb.sheetnames == [
        *("报告", "项目", "资金", "指标", "叙述"),
        *("政策依据", "基金收支", "资金管理情况", "确认数字"),
    ]
    rows = [[c.value for c in row] for row in wb["资金管理情况"].iter_rows()]
    assert rows[0] == ["项目", "方面", "情况说明", "存在问题和改进措施"]
    assert [r[:2] for r in rows[1:]] == [
        ["城乡居民医保", "分配科学性"],
        ["城乡居民医保", "下达及时性"],
        ["城乡居民医保", "支出责任履行情况"],
    ]


def _edited(tmp_path: Path, change: Callable[[Any], None]) -> Path:
    path = tmp_path / "改动.xlsx"
    path.write_bytes(to_workbook(NEW_KEYS))
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda wb: wb["基金收支"].append(["城乡居民医保", 1, 1]),
            "基金收支!A3（项目）：本项目在“基金收支”表第2行已有一行；每个项目只能有一行",
        ),
        (
            lambda wb: wb["资金管理情况"].append(["城乡居民医保", "分配科学性", "再写一遍。"]),
            "资金管理情况!B5（方面）：“分配科学性”重复出现；同一项目的每个方面只能有一行",
        ),
        (
            lambda wb: wb["资金管理情况"].append(["城乡居民医保", None, "无方面。"]),
            "资金管理情况!B5（方面）：缺少方面（可用：" + "、".join(MANAGEMENT_ASPECTS) + "）",
        ),
        (
            lambda wb: wb["资金"].cell(5, 6, -3000),
            "资金!F5（调整数）：调整后预算数为-319.15，不能为负"
            "（预算数2680.85、调整数-3000）；调减、扣回的金额不能超过预算数",
        ),
    ],
    ids=["two account rows", "aspect twice", "aspect missing", "adjustment cell"],
)
def test_workbook_problems_with_the_new_sheets_name_their_cells(
    run_cli: RunCli, tmp_path: Path, change: Callable[[Any], None], expected: str
) -> None:
    path = _edited(tmp_path, change)
    code, _, err = run_cli("check", str(path))
    assert code == 1
    assert err.splitlines()[0] == f"{path} {expected}"


def test_empty_aspect_rows_of_the_fill_in_template_are_ignored(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "模板.xlsx"
    code, _, _ = run_cli("excel-template", "-t", "城乡居民医保", "--year", "2025", "-o", str(path))
    assert code == 0
    wb = openpyxl.load_workbook(path)
    assert {"政策依据", "基金收支", "资金管理情况", "确认数字"} <= set(wb.sheetnames)
    aspects = [row[1].value for row in wb["资金管理情况"].iter_rows(min_row=2)]
    assert aspects == list(MANAGEMENT_ASPECTS)
    _, _, err = run_cli("check", str(path))
    assert "资金管理情况" not in err and "基金收支" not in err


# ------------------------------------------------------------------ genreport new


@pytest.mark.parametrize(
    ("fund_type", "shown", "hidden"),
    [
        (
            "城乡居民医保",
            [
                "    # 金额单位:  # 金额单位（可选）",
                "    # 中央主管部门:  # 中央主管部门（可选）",
                "    # 政策依据:  # 政策依据（可选）",
                "        # 调整数:  # 调整数（可选）",
                "        # 清算数:  # 清算数（可选）",
                "    # 调整后预算数:  # 调整后预算数（可选）",
                "    # 基金收支:",
                "    #   累计结余:  # 累计结余（可选）",
                "    # 资金管理情况:",
                "    #   支出责任履行情况:  # 写作 {情况说明: ……, 存在问题和改进措施: ……}",
                "    #   项目决策:  # 项目决策：",
                "    #   评价方法和等次:  # 评价方法和等次：",
            ],
            [],
        ),
        (
            "医疗救助",
            ["    # 主管部门:  # 主管部门（可选）", "    # 政策依据:  # 政策依据（可选）"],
            ["基金收支:", "资金管理情况:", "中央主管部门:"],
        ),
    ],
)
def test_new_shows_the_optional_keys_where_they_apply(
    run_cli: RunCli, tmp_path: Path, fund_type: str, shown: list[str], hidden: list[str]
) -> None:
    path = tmp_path / "2025.yaml"
    code, _, _ = run_cli("new", "-t", fund_type, "--year", "2025", "-o", str(path))
    assert code == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    for start in shown:
        assert any(line.startswith(start) for line in lines), start
    for key in hidden:
        assert not any(key in line for line in lines), key
