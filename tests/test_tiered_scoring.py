"""End to end: an input that selects a tiered rule set gets tiered scores in its 自评表.

The fixture scores 预算执行率 99% (分值 10) and a count at 99.1% of target (分值 15),
the two published examples 「示例省分档」 reproduces; under 「国家」 the same input
scores them proportionally.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from .conftest import FIXTURES, edited

TIERED_INPUT = FIXTURES / "tiers" / "示例省分档.yaml"
SELECTS_TIERS = "  评分规则: 示例省分档\n"


def _self_evaluation_rows(out: Path) -> list[list[str]]:
    """The rows of every table of the generated report (the 自评表 may span two)."""
    [report] = out.rglob("*.docx")
    document: Any = Document(str(report))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def _scores(rows: list[list[str]]) -> dict[str, str]:
    """得分 by row: the indicators' by name, the budget row's and the total's."""
    header = next(row for row in rows if "三级指标" in row)
    column = header.index("得分")
    scores = {row[2]: row[column] for row in rows if len(row) > column and row[0] != row[2]}
    budget = next(row for row in rows if "年度资金总额" in row)
    scores["年度资金总额"] = budget[-1]
    total = next(row for row in rows if row[0] == "总分")
    scores["总分"] = next(text for text in reversed(total) if text.strip())
    return scores


@pytest.mark.parametrize(
    ("selects", "expected"),
    [
        pytest.param(
            True,
            {"年度资金总额": "9", "医疗救助对象人次规模": "13", "总分": "97"},
            id="tiered-rule-set-scores-9-of-10-and-13-of-15",
        ),
        pytest.param(
            False,
            {"年度资金总额": "9.9", "医疗救助对象人次规模": "14.87", "总分": "99.77"},
            id="national-rule-set-scores-the-same-input-proportionally",
        ),
    ],
)
def test_self_evaluation_table_shows_the_scores_of_the_selected_rule_set(
    run_cli: Callable[..., tuple[int, str, str]],
    tmp_path: Path,
    selects: bool,
    expected: dict[str, str],
) -> None:
    # A department project, so its 自评表 is the scored 项目支出 form (a 医疗救助 transfer
    # payment gets the transfer-payment form, which has no score columns).
    source = tmp_path / "项目.yaml"
    text = edited(TIERED_INPUT.read_text(encoding="utf-8"), ("类型: 医疗救助", "类型: 扶贫济困"))
    source.write_text(text if selects else edited(text, (SELECTS_TIERS, "")), encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_cli(str(source), "-o", str(out))
    assert code == 0, stderr
    scores = _scores(_self_evaluation_rows(out))
    assert {key: scores[key] for key in expected} == expected


def test_templates_check_accepts_the_shipped_tiered_rule_file(
    run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    folder = tmp_path / "本省模板"
    (folder / "rules").mkdir(parents=True)
    shipped = Path(__file__).resolve().parent.parent / "templates" / "rules" / "示例省分档.yaml"
    (folder / "rules" / "示例省分档.yaml").write_bytes(shipped.read_bytes())
    code, stdout, stderr = run_cli("templates", "check", str(folder))
    assert (code, stderr) == (0, "")
    assert stdout.strip() == "检查了 0 个模板：0 个错误，0 个警告。"
