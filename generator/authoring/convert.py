"""YAML ↔ Excel conversion that loses nothing: both sides go through the validated model.

Converting via the model (not cell by cell) means a file that converts is a file
that validates, and the model equality of the two sides is exactly what the
round-trip tests assert.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.inputs.excel.write import workbook_bytes
from generator.inputs.load import load_input
from generator.inputs.models import ReportInput
from generator.inputs.source import EXCEL_SUFFIXES, YAML_SUFFIXES
from generator.inputs.validate import validate_input
from generator.inputs.yaml_write import dump_yaml, funding_row

__all__ = ["contract_data", "kind_of_file", "to_workbook", "to_yaml"]


def contract_data(model: ReportInput) -> dict[str, Any]:
    """The keys the user actually gave, in contract order (defaults stay implicit)."""
    return model.model_dump(by_alias=True, exclude_unset=True)


def _model(source: Path) -> ReportInput:
    return validate_input(load_input(source))


def to_workbook(source: Path) -> bytes:
    """A YAML (or workbook) input as a fill-in workbook."""
    return workbook_bytes(contract_data(_model(source)))


def to_yaml(source: Path) -> str:
    """A workbook (or YAML) input as YAML in contract order, with a header comment."""
    data = contract_data(_model(source))
    header = [
        f"由 {source.name} 转换而来（genreport convert）。",
        "各键的含义见 docs/输入格式.md；检查：genreport check <本文件>，生成：genreport <本文件>",
    ]
    notes: dict[tuple[str | int, ...], list[str]] = {}
    for k, fund in enumerate(data.get("项目", [])):
        notes[("项目", k)] = [f"项目{k + 1}：{fund.get('名称') or fund.get('类型', '')}"]
    return dump_yaml(data, header=header, notes=notes, flow=funding_row)


def kind_of_file(path: Path) -> str:
    """``"yaml"``, ``"xlsx"`` or ``""`` by suffix."""
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return "yaml"
    if suffix in EXCEL_SUFFIXES:
        return "xlsx"
    return ""
