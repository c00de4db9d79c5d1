"""``genreport new YEAR --from FILE``: next year's input from this year's, in one command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.authoring.nextyear import shift_years
from generator.pipeline import check_file

from .conftest import EXAMPLES, FIXTURES, ROOT, VALID_INPUT, VALID_TEXT, write_input

SOURCES = sorted([VALID_INPUT, FIXTURES / "checks" / "基础.yaml", *EXAMPLES])
IDS = [p.relative_to(ROOT).as_posix() for p in SOURCES]


def _new(run_cli, source: Path, target: Path, year: int | None = None) -> tuple[int, str, str]:
    year = year or check_file(source).result.model.report.year + 1
    return run_cli("new", str(year), "--from", str(source), "-o", str(target))  # type: ignore[no-any-return]


def _fill(text: str) -> str:
    """What staff do next: type this year's figures where the file says 待填."""
    yaml = YAML()
    data = yaml.load(text)
    if data["报告"].get("成文日期") == "待填":
        data["报告"]["成文日期"] = f"{data['报告']['年度'] + 1}-02-20"
    for fund in data["项目"]:
        for row in fund["资金"]:
            for key in ("预算数", "到位数", "执行数"):
                if row.get(key) == "待填":
                    row[key] = 100
        for key, value in (
            ("年初预算数", 100),
            ("总体完成情况", "全年目标均已完成。"),
            ("自评得分", 96),  # a fund whose indicators carry no 分值 states its total
        ):
            if fund.get(key) == "待填":
                fund[key] = value
        accounts = fund.get("基金收支", {})
        for key, amount in (("收入", 1200), ("支出", 1200), ("当期结余", 0), ("累计结余", 600)):
            if accounts.get(key) == "待填":
                accounts[key] = amount
        for ind in fund["指标"]:
            if ind.get("评级") == "待填":
                ind["评级"] = "达成"
            if ind.get("完成值") == "待填":
                ind["完成值"] = ind.get("上年完成值", ind["指标值"])
                if "累计结余" in accounts and "月数" in ind["名称"]:
                    ind["完成值"] = "6个月"  # 600 ÷ (1200 ÷ 12): 可支付月数 follows 基金收支
                ind["偏差原因"] = "测试填写"
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_new_from_every_example_lists_what_to_fill_and_once_filled_generates(
    run_cli, tmp_path: Path, source: Path
) -> None:
    before = source.read_bytes()
    target = tmp_path / "下一年.yaml"
    code, out, _ = _new(run_cli, source, target)
    assert code == 0
    count = int(out.split("共 ")[1].split(" 处")[0])
    assert count == target.read_text(encoding="utf-8").count(": 待填")
    assert source.read_bytes() == before

    code, _, stderr = run_cli("check", str(target))
    assert code == 1
    lines = stderr.splitlines()
    assert sum("尚未填写：请把“待填”改为" in line for line in lines) == count
    assert lines[-2:] == [
        f"其中 {count} 处尚未填写（值为“待填”）。",
        f"共 {count} 个错误，未生成任何文件。",
    ]

    filled = write_input(tmp_path / "已填写.yaml", _fill(target.read_text(encoding="utf-8")))
    code, out, stderr = run_cli("generate", str(filled), "-o", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "错误" not in stderr


def test_new_keeps_structure_comments_and_order_and_moves_the_year_on(
    run_cli, tmp_path: Path
) -> None:
    source = FIXTURES / "checks" / "基础.yaml"
    target = tmp_path / "2025.yaml"
    code, out, _ = _new(run_cli, source, target, 2025)
    assert code == 0
    assert (
        out
        == f"已生成 {target}：共 13 处标为“待填”，请按行尾注释填写；填好后运行 genreport check {target}。\n"
    )
    text = target.read_text(encoding="utf-8")
    for line in (
        "# 交叉核对测试的基础输入：本身不触发任何警告。",
        "  年度: 2025",
        "  成文日期: 待填  # 待填：本报告的成文日期",
        "      - {来源: 中央财政, 预算数: 待填, 执行数: 待填}  # 待填：中央财政本年度预算数、执行数（万元）",
        "      - {来源: 县级财政, 预算数: 待填, 到位数: 待填, 执行数: 待填}  "
        "# 待填：县级财政本年度预算数、到位数、执行数（万元）",
        '      - {一级: 预算执行, 名称: 预算执行率, 分值: 10, 指标值: "≥90%", 完成值: 自动, 上年完成值: 97.3%}',
        "        完成值: 待填  # 待填：本年度完成值（上年为19846人次）",
        "        上年完成值: 19846人次",
        "        说明: 全年实施医疗救助{{ 完成值 }}，完成年度目标的{{ 完成率 }}。",
        "      - {一级: 效益指标, 二级: 社会效益指标, 名称: 困难群众就医负担, 分值: 20, 指标值: 有效减轻, "
        "评级: 待填}  # 待填：达成、部分达成或未达成",
        "      资金安排: 2025年预算{{ 预算合计 }}，其中中央财政1260万元；实际到位{{ 到位合计 }}，"
        "到位率{{ 到位率 }}。",
    ):
        assert line in text.splitlines(), line
    keys = [
        line.split(":")[0].strip()
        for line in text.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert keys == ["资金", "总体目标", "总体完成情况", "指标", "叙述"]


@pytest.mark.parametrize(
    ("accounts", "expected"),
    [
        (
            "基金收支: {收入: 63475, 支出: 63329, 当期结余: 146, 累计结余: 34232}",
            "    基金收支: {收入: 待填, 支出: 待填, 累计结余: 待填}  "
            "# 待填：本年度基金收入、支出、累计结余（万元）",
        ),
        (
            "基金收支: {支出: 60045.63}",
            "    基金收支: {支出: 待填}  # 待填：本年度基金支出（万元）",
        ),
    ],
    ids=["收入、支出和累计结余（种子003）", "只有支出（种子002）"],
)
def test_fund_accounts_on_one_line_stay_on_one_line_with_one_comment(
    run_cli, tmp_path: Path, accounts: str, expected: str
) -> None:
    """当期结余 follows from 收入 and 支出, so it is dropped rather than asked for."""
    source = write_input(
        tmp_path / "2024.yaml",
        (FIXTURES / "checks" / "基础.yaml").read_text(encoding="utf-8"),
        ("类型: 医疗救助", f"类型: 城乡居民医保\n    {accounts}"),
    )
    target = tmp_path / "2025.yaml"
    code, *_ = _new(run_cli, source, target, 2025)
    assert code == 0
    assert expected in target.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年预算，2023年结转，2025年1月完成自评", "2025年预算，2024年结转，2026年1月完成自评"),
        ("自2018年5月起实行，2019年以来逐年提高", "自2018年5月起实行，2019年以来逐年提高"),
        ("依据《关于做好2024年医疗救助工作的通知》", "依据《关于做好2024年医疗救助工作的通知》"),
        ("2020年的情况与2024年度对比", "2020年的情况与2025年度对比"),
    ],
    ids=["本年、上年、下年都顺延", "起始年份不动", "文件名不动", "更早的年份不动"],
)
def test_years_in_narrative_move_on_only_where_they_are_relative_to_the_report_year(
    text: str, expected: str
) -> None:
    assert shift_years(text, 2024, 2025) == expected


def test_new_never_overwrites_an_existing_file(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "2025.yaml"
    target.write_text("手工内容", encoding="utf-8")
    code, _, stderr = _new(run_cli, VALID_INPUT, target, 2025)
    assert code == 1
    assert (
        stderr == f"错误：“{target}”已存在：为免覆盖已填写的内容，未写入（确需覆盖请加 --force）\n"
    )
    assert target.read_text(encoding="utf-8") == "手工内容"
    code, _, _ = run_cli("new", "2025", "--from", str(VALID_INPUT), "-o", str(target), "--force")
    assert code == 0
    assert "待填" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "--from", "x.yaml", "-o", "y.yaml"], "用法错误：请写明新的年度"),
        (["new", "2025", "--year", "2026", "--from", "x.yaml"], "用法错误：年度写了两次且不一致"),
        (
            ["new", "2025", "--from", "x.yaml", "--type", "医疗救助"],
            "用法错误：--from 与 --type/--unit 不能同时使用",
        ),
    ],
    ids=["year missing", "year twice", "from with type"],
)
def test_new_rejects_mixed_forms_with_a_usage_error(run_cli, args: list[str], message: str) -> None:
    code, _, stderr = run_cli(*args)
    assert code == 2
    assert stderr.splitlines()[-1].startswith(message)


def test_new_from_an_excel_file_points_to_convert(run_cli, tmp_path: Path) -> None:
    source = tmp_path / "2024.xlsx"
    source.write_bytes(b"")
    code, _, stderr = run_cli(
        "new", "2025", "--from", str(source), "-o", str(tmp_path / "2025.yaml")
    )
    assert code == 1
    assert "请先用 genreport convert 转为 YAML" in stderr


def test_new_year_must_be_later_than_the_source(run_cli, tmp_path: Path) -> None:
    code, _, stderr = _new(run_cli, VALID_INPUT, tmp_path / "x.yaml", 2024)
    assert code == 1
    assert stderr.splitlines()[0].endswith("新年度2024应晚于原文件的年度2024")
    assert not (tmp_path / "x.yaml").exists()


def test_new_refuses_a_bad_source_and_writes_nothing(run_cli, tmp_path: Path) -> None:
    code, _, stderr = _new(run_cli, FIXTURES / "bad" / "缺少完成值.yaml", tmp_path / "x.yaml", 2025)
    assert code == 1
    assert "缺少完成值" in stderr
    assert not (tmp_path / "x.yaml").exists()


def test_new_without_from_scaffolds_from_the_default_indicator_systems(
    run_cli, tmp_path: Path
) -> None:
    target = tmp_path / "2025.yaml"
    code, out, _ = run_cli("new", "2025", "--type", "医疗救助", "-o", str(target))
    assert code == 0
    assert "1 个项目：医疗救助" in out
    assert "年度: 2025" in target.read_text(encoding="utf-8")


def test_unfilled_fields_and_other_errors_are_reported_together(run_cli, tmp_path: Path) -> None:
    path = write_input(
        tmp_path / "半成品.yaml",
        VALID_TEXT,
        ("预算数: 1000, 执行数: 950", "预算数: 待填, 执行数: 待填"),
        ("完成值: 53733人次", "完成值: 待填"),
        ("分值: 40,", "分值: 四十,"),
    )
    code, _, stderr = run_cli("check", str(path))
    assert code == 1
    assert stderr.splitlines() == [
        f"{path}:11: 项目[1].资金[1].预算数：尚未填写：请把“待填”改为本年度全年预算数",
        f"{path}:11: 项目[1].资金[1].执行数：尚未填写：请把“待填”改为本年度全年执行数",
        f"{path}:16: 项目[1].指标[2].分值：应为数字，实际为“四十”",
        f"{path}:16: 项目[1].指标[2].完成值：尚未填写：请把“待填”改为本年度完成值",
        "其中 3 处尚未填写（值为“待填”）。",
        "共 4 个错误，未生成任何文件。",
    ]
