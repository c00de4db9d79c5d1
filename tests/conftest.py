"""Fixtures and helpers shared by the test modules: one copy of each.

Paths of the repository and its fixtures, the in-process CLI, reading what a run wrote
(.docx text, zip parts), building inputs and Word files, the assertion that a bad input
is refused, and the one rule for tests that need LibreOffice.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import HealthCheck, settings

from generator.inputs.load import load_input
from generator.inputs.models import ReportInput
from generator.inputs.validate import validate_input

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
#: The shipped Word templates, wording and rule files.
TEMPLATES = ROOT / "templates"
OUTLINES = ("转移支付", "评价报告", "项目支出")
#: The example inputs the repository ships.
EXAMPLES = (
    ROOT / "inputs" / "2024.yaml",
    ROOT / "inputs" / "examples" / "黄山市-2024.yaml",
    ROOT / "inputs" / "examples" / "丰都县-2021.yaml",
    ROOT / "inputs" / "examples" / "桃江县-2021.yaml",
    ROOT / "inputs" / "examples" / "攀枝花市-2021.yaml",
)
#: A one-fund input that checks clean; most tests start from it.
VALID_INPUT = FIXTURES / "valid.yaml"
VALID_TEXT = VALID_INPUT.read_text(encoding="utf-8")
#: What every refused input's last line of stderr ends with.
NOTHING_WRITTEN = "个错误，未生成任何文件。"

CliResult = tuple[int, str, str]

# Property tests (tests/test_properties.py) scale their example counts from the loaded
# profile: "ci" (the default, also used by .ci/run) runs over 2,000 examples in total,
# "quick" a tenth of that for editing, "long" ten times as many for a deeper search.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow], "print_blob": True}
settings.register_profile("ci", max_examples=400, **_COMMON)
settings.register_profile("quick", max_examples=40, **_COMMON)
settings.register_profile("long", max_examples=4000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# ------------------------------------------------------------------ fixtures


@pytest.fixture(autouse=True, scope="session")
def _template_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Compiled templates go to a temporary cache, never the user's own."""
    from generator.render.cache import CACHE_ENV

    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("template-cache"))
    yield
    if previous is None:
        del os.environ[CACHE_ENV]
    else:
        os.environ[CACHE_ENV] = previous


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the real entry point in-process; return (exit code, stdout, stderr)."""
    from generator.cli import main

    def run(*args: str) -> CliResult:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """The soffice executable, for tests that need LibreOffice.

    Without LibreOffice they skip on a developer's machine but fail in CI (CI=true), so
    the PDF layout and LibreOffice round trips are never silently unverified there.
    """
    from generator.errors import OutputError
    from generator.output.pdf import find_soffice

    try:
        return find_soffice()
    except OutputError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI 必须能运行 LibreOffice 测试：{exc}")
        pytest.skip(f"LibreOffice 未安装，跳过（{exc}）")


def resave_with_libreoffice(libreoffice: str, source: Path, folder: Path, profile: Path) -> Path:
    """``source`` opened and saved again as .docx by LibreOffice, into ``folder``."""
    subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / f"{source.stem}.docx"


# ------------------------------------------------------------------ running the CLI


def command_args(command: str, source: str | Path, out: str | Path) -> list[str]:
    """``check SOURCE`` or ``generate SOURCE -o OUT``: the two commands a refusal is tried with."""
    return [command, str(source)] + (["-o", str(out)] if command == "generate" else [])


def generate(*args: str) -> None:
    """Run ``genreport`` in-process where ``run_cli`` cannot go (module/session fixtures)."""
    from generator.cli import main

    assert main(list(args)) == 0, args


def assert_refused(
    result: CliResult, first_line: str, *, out: Path | None = None, errors: int | None = None
) -> None:
    """Exit code 1, ``first_line`` first on stderr, a closing count, no traceback, no file."""
    code, stdout, stderr = result
    lines = stderr.splitlines()
    assert code == 1, stderr
    assert lines[0] == first_line
    count = "" if errors is None else f"共 {errors} "
    assert lines[-1].startswith("共 ") and lines[-1].endswith(count + NOTHING_WRITTEN), lines[-1]
    assert "Traceback" not in stderr and "内部错误" not in stderr
    assert stdout == ""
    if out is not None:
        assert not out.exists()


# ------------------------------------------------------------------ building inputs


def edited(text: str, *changes: tuple[str, str]) -> str:
    """``text`` with every (old, new) change made; a change that matches nothing fails."""
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text


def write_input(path: Path, text: str = VALID_TEXT, *changes: tuple[str, str]) -> Path:
    """Write an input (valid.yaml unless told) with ``changes`` made; return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(edited(text, *changes), encoding="utf-8")
    return path


def validated(path: Path) -> ReportInput:
    """The validated model of an input file, YAML or workbook."""
    return validate_input(load_input(path))


def outline_context(outline: str) -> dict[str, Any]:
    """The stored report context for an outline (tests/fixtures/context_<outline>.json)."""
    data: dict[str, Any] = json.loads(
        (FIXTURES / f"context_{outline}.json").read_text(encoding="utf-8")
    )
    return data


def make_docx(path: Path, paragraphs: Sequence[str], cells: Sequence[Sequence[str]] = ()) -> Path:
    """A Word file with one paragraph per text and, when given, one table of ``cells``."""
    doc: Any = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if cells:
        table = doc.add_table(rows=len(cells), cols=len(cells[0]))
        for r, row in enumerate(cells):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


# ------------------------------------------------------------------ reading outputs


def zip_parts(source: Path | bytes) -> dict[str, bytes]:
    """Every entry of a zip package (.docx, .xlsx) by name, in stored order."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def write_zip(path: Path, parts: Mapping[str, bytes | str]) -> Path:
    """Write ``parts`` as a deflated zip package; return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def document_texts(document: Any) -> list[str]:
    """Paragraph texts of an opened python-docx document, then every table cell's."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return texts


def docx_texts(source: Path | bytes) -> list[str]:
    """:func:`document_texts` of a .docx file or its bytes."""
    opened = Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    return document_texts(opened)
