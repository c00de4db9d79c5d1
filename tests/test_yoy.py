"""Year over year: percentage points for rates, percent for counts and amounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.analysis.yoy import change_text
from generator.core.quantities import parse_actual
from generator.pipeline import check_file

from .conftest import FIXTURES, edited, write_input

BASE = (FIXTURES / "checks" / "基础.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        ("94.54%", "96.8%", "较上年提高2.26个百分点"),
        ("70.36%", "70.12%", "较上年降低0.24个百分点"),
        ("18710人次", "19846人次", "较上年增长6.07%"),
        ("318905人", "312460人", "较上年下降2.02%"),
        ("2亿元", "2.9亿元", "较上年增长45%"),
        ("100%", "100%", "与上年持平"),
        ("0", "3人", "较上年增加3人"),
    ],
    ids=[
        "比率提高按百分点",
        "比率降低按百分点",
        "人次增长按百分比",
        "人数下降按百分比",
        "金额按百分比",
        "相同为持平",
        "上年为零写增加量",
    ],
)
def test_change_is_in_points_for_rates_and_percent_for_counts(
    previous: str, current: str, expected: str
) -> None:
    assert change_text(parse_actual(previous), parse_actual(current)) == expected


def _checked(tmp_path: Path, text: str, **options: Any) -> Any:
    return check_file(write_input(tmp_path / "输入.yaml", text), **options)


def _indicator(values: dict[str, Any], name: str) -> dict[str, Any]:
    for group in values["指标分析"]:
        for sub in group["二级组"]:
            for item in sub["指标"]:
                if item["名称"] == name:
                    return item  # type: ignore[no-any-return]
    raise AssertionError(name)


def test_analysis_and_table_state_the_change_from_上年完成值(tmp_path: Path) -> None:
    values = _checked(tmp_path, BASE).contexts[0].values
    assert _indicator(values, "医疗救助人次")["段落"] == [
        "全年实施医疗救助19846人次，完成年度目标的110.26%。上年为18710人次，较上年增长6.07%。",
    ]
    rows = {row["名称"]: row for row in values["自评表"]["指标行"]}
    assert rows["医疗救助人次"]["上年完成值"] == "18710人次"
    assert rows["住院救助比例"]["上年完成值"] == ""
    assert values["自评表"]["显示上年"] is True


def test_同比_placeholder_in_说明_states_the_change_from_last_year(tmp_path: Path) -> None:
    text = edited(BASE, ("完成年度目标的{{ 完成率 }}。", "{{ 同比 }}。"))
    values = _checked(tmp_path, text).contexts[0].values
    # The 说明 gives the change itself, so no generated 上年 sentence repeats it.
    assert _indicator(values, "医疗救助人次")["段落"] == [
        "全年实施医疗救助19846人次，较上年增长6.07%。",
    ]


def test_同比_without_a_previous_value_is_an_input_error(run_cli, tmp_path: Path) -> None:
    path = write_input(
        tmp_path / "输入.yaml",
        BASE,
        ("        上年完成值: 18710人次\n", ""),
        ("完成年度目标的{{ 完成率 }}。", "{{ 同比 }}。"),
    )
    code, _, stderr = run_cli("check", str(path))
    assert code == 1
    assert stderr.splitlines()[0] == (
        f"{path}:25: 项目[1].指标[2].说明：用了 {{{{ 同比 }}}}，但该指标没有上年完成值："
        "请填写“上年完成值”，或用 --previous 指定上一年度的输入文件"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "大约一万",
            "上年完成值：无法识别“大约一万”：完成值应为数字或数字加单位（如 53733人次、96.57%）",
        ),
        (
            "18710人",
            "上年完成值：单位与指标值不一致：指标值“≥18000人次”的单位为“人次”，"
            "上年完成值“18710人”的单位为“人”",
        ),
    ],
    ids=["无法识别", "单位不一致"],
)
def test_bad_上年完成值_is_an_input_error(
    run_cli, tmp_path: Path, value: str, message: str
) -> None:
    path = write_input(
        tmp_path / "输入.yaml", BASE, ("上年完成值: 18710人次", f"上年完成值: {value}")
    )
    code, _, stderr = run_cli("check", str(path))
    assert code == 1
    assert stderr.splitlines()[0] == f"{path}:25: 项目[1].指标[2].{message}"


def _last_year(tmp_path: Path, **changes: str) -> Path:
    text = edited(
        BASE,
        ("年度: 2024", "年度: 2023"),
        ("2025-02-18", "2024-02-18"),
        ("完成值: 72.6%", "完成值: 70.34%"),
        ("住院救助比例72.6%", "住院救助比例70.34%"),
        ("完成值: 19846人次", "完成值: 18710人次"),
        ("全年实施医疗救助19846人次", "全年实施医疗救助18710人次"),
        ("        上年完成值: 18710人次\n", ""),
    )
    return write_input(tmp_path / "2023.yaml", text, *changes.items())


def test_previous_file_fills_missing_上年完成值_and_written_ones_win(tmp_path: Path) -> None:
    last = _last_year(
        tmp_path,
        **{
            "完成值: 18710人次": "完成值: 18000人次",
            "全年实施医疗救助18710人次": "全年实施医疗救助18000人次",
        },
    )
    checked = _checked(tmp_path, BASE, previous=last)
    assert checked.warnings == ()
    values = checked.contexts[0].values
    assert _indicator(values, "住院救助比例")["段落"] == [
        "住院救助比例72.6%，达到年度指标值（≥70%）。上年为70.34%，较上年提高2.26个百分点。"
    ]
    # 上年完成值 written in this year's input (18710人次) wins over last year's file (18000人次).
    assert "上年为18710人次，" in _indicator(values, "医疗救助人次")["段落"][-1]


def test_check_with_previous_takes_last_years_file_from_the_cli(run_cli, tmp_path: Path) -> None:
    path = write_input(tmp_path / "2024.yaml", BASE)
    code, out, _ = run_cli("check", str(path), "--previous", str(_last_year(tmp_path)))
    assert code == 0
    assert out.splitlines()[-1].endswith("检查完成，未发现问题。")


def test_previous_file_must_be_last_year(run_cli, tmp_path: Path) -> None:
    path = write_input(tmp_path / "2024.yaml", BASE)
    last = _last_year(tmp_path, **{"年度: 2023": "年度: 2022"})
    code, _, stderr = run_cli("check", str(path), "--previous", str(last))
    assert code == 1
    assert stderr.splitlines()[0] == (
        f"{path}:6: 报告.年度：--previous 指定的“{last}”是2022年度的输入，应为上一年度（2023年度）"
    )


def test_previous_value_with_another_unit_is_not_compared(tmp_path: Path) -> None:
    last = _last_year(
        tmp_path,
        **{
            "完成值: 70.34%": "完成值: 7034人",
            '指标值: "≥70%", 完成值: 7034人': '指标值: "≥7000人", 完成值: 7034人',
            "住院救助比例70.34%": "住院救助比例",
        },
    )
    checked = _checked(tmp_path, BASE, previous=last)
    assert [w.message for w in checked.warnings] == [
        "上年输入中“住院救助比例”的完成值“7034人”与本年指标值“≥70%”单位不同，未作同比"
    ]
