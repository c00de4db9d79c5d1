"""The docs keep up with the code: every input key and every command is documented."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from generator.cli import cli
from generator.inputs.models import (
    ConfirmedFigure,
    CountyRow,
    Fund,
    FundAccounts,
    FundingRow,
    FundManagement,
    FundNarrative,
    Indicator,
    ManagementItem,
    Narrative,
    PolicyDocument,
    ReportInfo,
    ReportInput,
    field_doc,
)

from .conftest import ROOT

INPUT_DOC = (ROOT / "docs" / "输入格式.md").read_text(encoding="utf-8")
MODELS: list[type[BaseModel]] = [
    ReportInput,
    ReportInfo,
    Fund,
    FundingRow,
    Indicator,
    Narrative,
    FundNarrative,
    CountyRow,
    PolicyDocument,
    FundAccounts,
    FundManagement,
    ManagementItem,
    ConfirmedFigure,
]


@pytest.mark.parametrize(
    "key",
    sorted({info.alias for model in MODELS for info in model.model_fields.values() if info.alias}),
)
def test_every_input_key_is_documented(key: str) -> None:
    row = rf"(^|\|)\s*`?{re.escape(key)}`?\s*\|"
    heading = rf"^#+ {re.escape(key)}"
    assert re.search(row, INPUT_DOC, re.MULTILINE) or re.search(heading, INPUT_DOC, re.MULTILINE), (
        key
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_docstring_for_the_docs(model: type[BaseModel]) -> None:
    """Read from the source (generator.inputs.models.field_doc), not from pydantic at import time."""
    for name, info in model.model_fields.items():
        assert field_doc(model, name), f"{model.__name__}.{name} ({info.alias})"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_appears_in_the_readme_or_docs(command: str) -> None:
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")]
    assert any(f"genreport {command}" in t for t in texts) or command == "generate"
