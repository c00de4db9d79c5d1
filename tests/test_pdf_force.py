"""A hand-edited PDF is kept aside like a .docx, and --force overwrites it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import VALID_INPUT


@pytest.mark.usefixtures("libreoffice")
def test_edited_pdf_is_kept_aside_unless_forced(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = str(VALID_INPUT)
    assert run_cli(source, "-o", str(out), "--pdf")[0] == 0
    (pdf,) = (out / "2024").glob("*.pdf")
    pdf.write_bytes(b"%PDF-1.4 edited by hand")
    assert run_cli(source, "-o", str(out), "--pdf")[0] == 0
    aside = [p for p in (out / "2024").glob("*.pdf") if "手工修改" in p.name]
    assert [p.read_bytes() for p in aside] == [b"%PDF-1.4 edited by hand"]
    pdf.write_bytes(b"%PDF-1.4 edited again")
    assert run_cli(source, "-o", str(out), "--pdf", "--force")[0] == 0
    assert pdf.read_bytes() != b"%PDF-1.4 edited again"
    assert len([p for p in (out / "2024").glob("*.pdf") if "手工修改" in p.name]) == 1
