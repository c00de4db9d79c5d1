"""Three 项目支出绩效自评表 as finance systems of different provinces export them.

Built with openpyxl cell by cell, merges and number formats included, the way the
real tables look (domain.md §5): the national layout, a 四川-style layout with
指标性质/度量单位 columns and extra title rows, and a 重庆-style workbook in 元 with two
projects on two sheets and separate 偏差原因 / 改进措施 columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet


def _put(ws: Worksheet, row: int, values: Sequence[Any], start: int = 1) -> None:
    for j, value in enumerate(values, start=start):
        if value is not None:
            ws.cell(row, j, value)


def _merge(ws: Worksheet, *ranges: str) -> None:
    for cells in ranges:
        ws.merge_cells(cells)


def national(path: Path) -> Path:
    """财政部 layout, 万元, 医疗救助; consistent scores, one qualitative manual score."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "医疗救助"
    _put(ws, 1, ["项目支出绩效自评表"])
    _put(ws, 2, ["（2024年度）"])
    _merge(ws, "A1:J1", "A2:J2")
    _put(ws, 3, ["项目名称", None, "医疗救助补助资金（城乡医疗救助部分）"])
    _merge(ws, "A3:B3", "C3:J3")
    _put(
        ws,
        4,
        ["主管部门", None, "示例县医疗保障局", None, None, "实施单位", None, "示例县医疗保障局"],
    )
    _merge(ws, "A4:B4", "C4:E4", "F4:G4", "H4:J4")
    _put(
        ws,
        5,
        [
            "项目资金（万元）",
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
    )
    _put(ws, 6, [None, "年度资金总额", 1500, 1580, 1500.5, 10, 0.9497, 9.5])
    ws["G6"].number_format = "0.00%"
    _put(ws, 7, [None, "其中：当年财政拨款", 1500, 1580, 1500.5, "—", "—", "—"])
    _put(ws, 8, [None, "上年结转资金", None, None, None, "—", "—", "—"])
    _put(ws, 9, [None, "其他资金", None, None, None, "—", "—", "—"])
    _merge(ws, "A5:A9")
    _put(ws, 10, ["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    _put(
        ws,
        11,
        [
            None,
            "困难群众应助尽助，“一站式”即时结算全覆盖。",
            None,
            None,
            None,
            "全年救助43210人次，资助参保7736人，“一站式”结算覆盖全部定点医疗机构。",
        ],
    )
    _merge(ws, "A10:A11", "B10:E10", "F10:J10", "B11:E11", "F11:J11")
    _put(
        ws,
        12,
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
    )
    rows = [
        ["产出指标", "数量指标", "医疗救助对象人次规模", "≥40000人次", "43210人次", 20, 20, None],
        [
            None,
            None,
            "资助参保人数",
            "≥8000人",
            "7736人",
            10,
            9.67,
            "部分监测对象年中识别，已过缴费期，次年补录。",
        ],
        [None, "质量指标", "住院自付费用救助比例", "≥70%", 0.763, 10, 10, None],
        [None, "时效指标", "“一站式”即时结算覆盖率", "100%", "100%", 10, 10, None],
        [
            "效益指标",
            "社会效益指标",
            "困难群众医疗费用负担减轻程度",
            "有效减轻",
            "有效减轻",
            15,
            15,
            None,
        ],
        [
            None,
            "可持续影响指标",
            "对健全医疗保障制度体系的作用",
            "进一步增强",
            "明显增强",
            15,
            14,
            None,
        ],
        ["满意度指标", "服务对象满意度指标", "救助对象满意度", "≥90%", "96%", 10, 10, None],
    ]
    for n, row in enumerate(rows, start=13):
        _put(ws, n, row, start=2)
    ws["F15"].number_format = "0.0%"
    _merge(ws, "A12:A19", "B13:B16", "C13:C14", "B17:B18")
    _put(ws, 20, ["总分", None, None, None, None, None, 100, 98.17])
    _merge(ws, "A20:F20")
    wb.save(path)
    return path


def sichuan(path: Path) -> Path:
    """四川-style: title rows, 指标性质 + 指标值 + 度量单位, “（万元）” in money headers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "能力提升"
    _put(ws, 1, ["附件2"])
    _put(ws, 2, ["四川省项目支出绩效自评表"])
    _put(ws, 3, ["（2024年度）"])
    _put(
        ws,
        4,
        [
            "填报单位（盖章）：示例区医疗保障局",
            None,
            None,
            None,
            None,
            None,
            None,
            "填报日期：2025年2月10日",
        ],
    )
    _put(ws, 5, ["项目名称", None, "医疗服务与保障能力提升补助资金"])
    _put(
        ws,
        6,
        ["主管部门", None, "示例区医疗保障局", None, None, "实施单位", None, "示例区医疗保障局"],
    )
    _put(
        ws,
        7,
        [
            "项目资金",
            None,
            "年初预算数（万元）",
            "全年预算数（万元）",
            "全年执行数（万元）",
            "分值",
            "执行率",
            "得分",
        ],
    )
    _put(ws, 8, [None, "年度资金总额", 200, 200, 200, 10, "100%", 10])
    _put(ws, 9, [None, "其中：当年财政拨款", 200, 200, 200])
    _put(ws, 10, [None, "上年结转资金"])
    _put(ws, 11, [None, "其他资金"])
    _merge(ws, "A7:A11")
    _put(ws, 12, ["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    _put(
        ws,
        13,
        [
            None,
            "提升医保信息化和经办服务能力。",
            None,
            None,
            None,
            "医保信息平台稳定运行，经办服务能力持续提升。",
        ],
    )
    _merge(ws, "B12:E12", "F12:K12", "B13:E13", "F13:K13")
    _put(
        ws,
        14,
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
    )
    rows = [
        ["产出指标", "数量指标", "医保新闻发布会次数", "≥", 1, "次", 2, 10, 10],
        [None, "质量指标", "医保系统正常运行率", "≥", 90, "%", 99.5, 20, 20],
        [None, "时效指标", "重大安全事件响应时间", "≤", 60, "分钟", 30, 20, 20],
        [
            "效益指标",
            "社会效益指标",
            "医保经办服务能力",
            "定性",
            "持续提升",
            None,
            "持续提升",
            30,
            30,
        ],
        ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "９０", "%", "95", 10, 10],
    ]
    for n, row in enumerate(rows, start=15):
        _put(ws, n, row, start=2)
    _merge(ws, "A14:A19", "B15:B17")
    _put(ws, 20, ["总分", None, None, None, None, None, None, None, 100, 100])
    wb.save(path)
    return path


def chongqing(path: Path) -> Path:
    """重庆-style, money in 元, two projects on two sheets, split reason/measure columns."""
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "扶贫济困"
    _chongqing_sheet(
        first,
        "扶贫济困医疗费县级配套项目",
        3500000,
        2603030.56,
        7.44,
        [
            ["产出指标", "数量指标", "救助对象纳入救助比例", "100%", "100%", 30, 30, None, None],
            [None, "质量指标", "“一站式”结算覆盖率", "100%", 1, 20, 20, None, None],
            ["效益指标", "社会效益指标", "政策知晓率", "≥80%", "85%", 20, 20, None, None],
            [
                None,
                "可持续影响指标",
                "对健全社会救助体系的影响",
                "成效明显",
                "成效明显",
                10,
                10,
                None,
                None,
            ],
            [
                "满意度指标",
                "服务对象满意度指标",
                "救助对象满意度",
                "≥90%",
                "92%",
                10,
                10,
                None,
                None,
            ],
        ],
        97.44,
    )
    first["F14"].number_format = "0%"  # 1 shown as 100%
    second = wb.create_sheet("医疗救助")
    _chongqing_sheet(
        second,
        "城乡医疗救助补助资金",
        8000000,
        8000000,
        10,
        [
            [
                "产出指标",
                "数量指标",
                "医疗救助人次",
                "≥12000人次",
                "11400人次",
                40,
                38,
                "低收入人口动态调整",
                "加强部门信息共享",
            ],
            [
                "效益指标",
                "社会效益指标",
                "困难群众就医负担减轻程度",
                "有效减轻",
                "有效减轻",
                40,
                40,
                None,
                None,
            ],
            [
                "满意度指标",
                "服务对象满意度指标",
                "救助对象满意度",
                "≥90%",
                "93%",
                10,
                10,
                None,
                None,
            ],
        ],
        98,
    )
    wb.save(path)
    return path


def _chongqing_sheet(
    ws: Worksheet,
    name: str,
    budget: float,
    spent: float,
    execution: float,
    rows: list[list[Any]],
    total: float,
) -> None:
    _put(ws, 1, ["2024年度项目支出绩效自评表"])
    _put(ws, 2, ["单位：元"])
    _put(ws, 3, ["项目名称", None, name])
    _put(
        ws,
        4,
        ["主管部门", None, "示例县医疗保障局", None, None, "实施单位", None, "示例县医疗保障局"],
    )
    _put(
        ws,
        5,
        [
            "项目资金（元）",
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
    )
    _put(ws, 6, [None, "年度资金总额", budget, budget, spent, 10, spent / budget, execution])
    ws["G6"].number_format = "0.00%"
    _put(ws, 7, [None, "其中：当年财政拨款", budget, budget, spent])
    _put(ws, 8, [None, "上年结转资金", 0, 0, 0])
    _put(ws, 9, [None, "其他资金", 0, 0, 0])
    _put(ws, 10, ["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    _put(ws, 11, [None, "困难群众应助尽助。", None, None, None, "救助对象应助尽助。"])
    _merge(ws, "B10:E10", "F10:J10", "B11:E11", "F11:J11")
    _put(
        ws,
        12,
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因",
            "改进措施",
        ],
    )
    for n, row in enumerate(rows, start=13):
        _put(ws, n, row, start=2)
    end = 12 + len(rows)
    _put(ws, end + 1, ["总分", None, None, None, None, None, 100, total])
