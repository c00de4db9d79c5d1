"""Write the largest valid input the limits allow (generator/limits.py).

``python benchmarks/largest_input.py tests/fixtures/large/最大输入.yaml`` rewrites the
fixture that tests/test_large_inputs.py and benchmarks/bench.py run: MAX_FUNDS funds
sharing MAX_TOTAL_INDICATORS indicators, and text (each alias counted where it appears)
just under MAX_TOTAL_TEXT. One fund is written out and repeated by YAML alias, so the
file stays small, like a hostile input would be. Run it again after changing a limit.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.limits import MAX_FUNDS, MAX_TOTAL_INDICATORS, MAX_TOTAL_TEXT

NOTE = (
    "全年完成{{ 完成值 }}，为年度目标的{{ 完成率 }}；资金执行率{{ 执行率 }}，"
    "结余{{ 结余 }}，预算合计1200万元。"
)
PAD = "各乡镇医保经办机构按月核对救助对象名单，做到应助尽助、及时结算，群众满意度稳步提高。"
SLOT = "县级配套资金到位率为{{ 到位率 }}，执行{{ 执行合计 }}，执行率{{ 执行率 }}，总分{{ 总分 }}。"
SLOTS = ("项目概况", "资金管理", "评价工作", "存在问题", "改进措施")
#: Share of MAX_TOTAL_TEXT the input fills (the rest is keys, names and figures).
TEXT_SHARE = 0.9


def _indicator(number: int, weight: str, note: str) -> str:
    """Indicators cycle through a count, a rate, a qualitative one and satisfaction."""
    name = f"指标{number:03d}"
    kind = number % 4
    if kind == 0:
        fields = f'二级: 数量指标, 名称: 救助人次{name}, 指标值: "≥{1000 + number}人次", '
        fields += f"完成值: {1100 + number}人次, 上年完成值: {1050 + number}人次"
    elif kind == 1:
        fields = f'二级: 质量指标, 名称: 结算覆盖率{name}, 指标值: "≥95%", 完成值: 97.5%'
    elif kind == 2:
        fields = f"二级: 时效指标, 名称: 按时结算{name}, 指标值: 及时结算, 评级: 达成"
    else:
        fields = f'二级: 满意度指标, 名称: 满意度{name}, 指标值: "≥90%", 完成值: 93%'
    return f"      - {{一级: 产出指标, {fields}, 分值: {weight}, 说明: {note}}}"


def largest_input() -> str:
    """The YAML text of the largest valid input."""
    per_fund = MAX_TOTAL_INDICATORS // MAX_FUNDS
    rest = per_fund - 1
    step = 10_000 // rest  # hundredths of a point
    first = 10_000 - step * rest
    texts = MAX_FUNDS * (rest + len(SLOTS))
    length = int(MAX_TOTAL_TEXT * TEXT_SHARE) // texts
    note = (NOTE + PAD * (length // len(PAD) + 1))[:length]
    lines = [
        f"# 上限以内最大的输入：{MAX_FUNDS}项资金，共{MAX_TOTAL_INDICATORS}个指标，文字合计约"
        f"{int(MAX_TOTAL_TEXT * TEXT_SHARE)}字。",
        "# 由 benchmarks/largest_input.py 按 generator/limits.py 生成（改了上限要重新生成）；",
        "# 用于 tests/test_large_inputs.py 和 benchmarks/bench.py：最大的输入也要在 10 秒内答复。",
        "报告:",
        "  单位: 测试县医疗保障局",
        "  年度: 2024",
        "  成文日期: 2025-02-18",
        "  主送: 测试市医疗保障局",
        "  金额单位: 万元",
        "项目:",
        "  - &fund",
        "    类型: 医疗救助",
        "    资金:",
        "      - {来源: 中央财政, 预算数: 1000, 执行数: 950}",
        "      - {来源: 县级财政, 预算数: 200, 到位数: 180, 执行数: 170}",
        "    总体目标: 困难群众应助尽助，“一站式”结算全覆盖。",
        "    指标:",
        f'      - {{一级: 预算执行, 名称: 预算执行率, 分值: {first / 100:g}, 指标值: "≥90%", '
        "完成值: 自动}",
    ]
    for number in range(1, per_fund):
        shown = f'&note "{note}"' if number == 1 else "*note"
        lines.append(_indicator(number, f"{step / 100:g}", shown))
    lines.append("    叙述:")
    for index, slot in enumerate(SLOTS):
        text = (
            f'&slot "{(SLOT + PAD * (length // len(PAD) + 1))[:length]}"' if not index else "*slot"
        )
        lines.append(f"      {slot}: {text}")
    lines += ["  - *fund"] * (MAX_FUNDS - 1)
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python benchmarks/largest_input.py 输出文件.yaml", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(largest_input(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
