"""XML inside .docx files is parsed without entities, DTDs or network access.

A template (``--templates``) and an existing output are files from anyone; these tests
plant an external entity that would read a local file and an exponential entity, and
check that neither is resolved.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

from docx import Document
from lxml import etree

from generator.render.fingerprint import is_unedited, read_fingerprint, safe_parser

from .conftest import FIXTURES

DTD = (
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">'
    '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def _pack(parts: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def _with_dtd(xml: bytes, secret: Path, marker: bytes) -> bytes:
    """Declare the entities and use them right after ``marker``."""
    text = xml.decode("utf-8")
    end = text.index("?>") + 2
    text = text[:end] + DTD.format(secret=secret) + text[end:]
    return text.encode("utf-8").replace(marker, marker + b"&xxe;&d;")


def test_a_template_cannot_read_local_files_or_expand_entities(run_cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密口令-42", encoding="utf-8")
    document = Document()
    document.add_paragraph("{{ 标题 }}")
    document.add_paragraph("PAYLOAD")
    buffer = io.BytesIO()
    document.save(buffer)
    parts = _parts(buffer.getvalue())
    parts["word/document.xml"] = _with_dtd(parts["word/document.xml"], secret, b">PAYLOAD")
    templates = tmp_path / "模板"
    templates.mkdir()
    _pack(parts, templates / "评价报告.docx")
    code, _, stderr = run_cli(
        str(FIXTURES / "valid.yaml"), "-o", str(tmp_path / "out"), "--templates", str(templates)
    )
    assert "Traceback" not in stderr and "内部错误" not in stderr
    for report in (tmp_path / "out").rglob("*.docx"):
        body = _parts(report.read_bytes())["word/document.xml"]
        assert "绝密口令".encode() not in body
        assert b"aaaaaaaaaaaaaaaaaaaa" not in body
    assert code in (0, 1)


def test_a_fingerprint_is_read_without_expanding_entities(run_cli, tmp_path: Path) -> None:
    code, _, stderr = run_cli(str(FIXTURES / "valid.yaml"), "-o", str(tmp_path))
    assert code == 0, stderr
    report = next((tmp_path / "2024").glob("*.docx"))
    original = read_fingerprint(report.read_bytes())
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密口令-42", encoding="utf-8")
    parts = _parts(report.read_bytes())
    parts["docProps/custom.xml"] = _with_dtd(parts["docProps/custom.xml"], secret, b"<vt:lpwstr>")
    data = _pack(parts, tmp_path / "planted.docx").read_bytes()
    started = time.perf_counter()
    # Entities stay unexpanded references, so the value is no longer a bare hash: the
    # file counts as not genreport's (kept aside on a re-run), and nothing was read.
    assert original is not None
    text = "".join(etree.fromstring(parts["docProps/custom.xml"], safe_parser()).itertext())
    assert "绝密口令" not in text and "aaaaaaaaaaaaaaaaaaaa" not in text
    assert read_fingerprint(data) is None
    assert is_unedited(data) is None
    assert time.perf_counter() - started < 1.0
