"""A hand-edited PDF is kept aside like a .docx, and --force overwrites it; a PDF that
cannot be written is reported with the .docx already in place."""

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


@pytest.mark.usefixtures("libreoffice")
def test_a_pdf_that_cannot_be_written_says_the_docx_are_written(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(str(VALID_INPUT), "-o", str(out))[0] == 0
    (docx,) = (out / "2024").glob("*.docx")
    pdf = docx.with_suffix(".pdf")
    pdf.mkdir()
    code, stdout, stderr = run_cli(str(VALID_INPUT), "-o", str(out), "--pdf")
    assert code == 1
    assert stderr.splitlines() == [
        f"错误：无法写入“{pdf}”：已有同名文件夹，请移走或改名后重试；未写入该文件"
        "（各 .docx 报告已写出，见上表）"
    ]
    assert "已生成 PDF" not in stdout
    assert docx.is_file() and pdf.is_dir()


@pytest.mark.usefixtures("libreoffice")
def test_a_warm_and_a_cold_libreoffice_make_the_same_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm pool (one LibreOffice per core, kept running) is only faster, not different."""
    import pdfplumber

    from generator.output.pdf import ConverterPool, convert_to_pdf

    from .conftest import generate

    generate(str(VALID_INPUT), "-o", str(tmp_path / "warm"))
    generate(str(VALID_INPUT), "-o", str(tmp_path / "cold"))
    (warm_docx,) = (tmp_path / "warm" / "2024").glob("*.docx")
    (cold_docx,) = (tmp_path / "cold" / "2024").glob("*.docx")
    with ConverterPool(1) as pool:
        (warm,) = convert_to_pdf([warm_docx], pool=pool)
    monkeypatch.setenv("GENREPORT_UNO_PYTHON", "")  # no Python with uno: the cold path
    (cold,) = convert_to_pdf([cold_docx])

    def pages(pdf: Path) -> list[str]:
        with pdfplumber.open(pdf) as document:
            return [page.extract_text() for page in document.pages]

    assert pages(warm) == pages(cold)
