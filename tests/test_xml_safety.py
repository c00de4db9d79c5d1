"""XML inside .docx files is parsed without entities, DTDs or network access.

A template (``--templates``) and an existing output are files from anyone; these tests
plant an external entity that would read a local file and an exponential entity, and
check that neither is resolved.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from generator.render.fingerprint import is_unedited, read_fingerprint, safe_parser

from .conftest import VALID_INPUT, make_docx, write_zip, zip_parts

DTD = (
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">'
    '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def _with_dtd(xml: bytes, secret: Path, marker: bytes) -> bytes:
    """Declare the entities and use them right after ``marker``."""
    text = xml.decode("utf-8")
    end = text.index("?>") + 2
    text = text[:end] + DTD.format(secret=secret) + text[end:]
    return text.encode("utf-8").replace(marker, marker + b"&xxe;&d;")


def test_a_template_cannot_read_local_files_or_expand_entities(run_cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密口令-42", encoding="utf-8")
    template = make_docx(tmp_path / "模板" / "评价报告.docx", ["{{ 标题 }}", "PAYLOAD"])
    parts = zip_parts(template)
    parts["word/document.xml"] = _with_dtd(parts["word/document.xml"], secret, b">PAYLOAD")
    write_zip(template, parts)
    code, _, stderr = run_cli(
        str(VALID_INPUT), "-o", str(tmp_path / "out"), "--templates", str(template.parent)
    )
    assert "Traceback" not in stderr and "内部错误" not in stderr
    for report in (tmp_path / "out").rglob("*.docx"):
        body = zip_parts(report)["word/document.xml"]
        assert "绝密口令".encode() not in body
        assert b"aaaaaaaaaaaaaaaaaaaa" not in body
    assert code in (0, 1)


def test_a_fingerprint_is_read_without_expanding_entities(run_cli, tmp_path: Path) -> None:
    code, _, stderr = run_cli(str(VALID_INPUT), "-o", str(tmp_path))
    assert code == 0, stderr
    report = next((tmp_path / "2024").glob("*.docx"))
    original = read_fingerprint(report.read_bytes())
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密口令-42", encoding="utf-8")
    parts = zip_parts(report)
    planted = _with_dtd(parts["docProps/custom.xml"], secret, b"<vt:lpwstr>")
    parts["docProps/custom.xml"] = planted
    data = write_zip(tmp_path / "planted.docx", parts).read_bytes()
    # Entities stay unexpanded references, so the value is no longer a bare hash: the
    # file counts as not genreport's (kept aside on a re-run), and nothing was read.
    assert original is not None
    text = "".join(etree.fromstring(planted, safe_parser()).itertext())
    assert "绝密口令" not in text and "aaaaaaaaaaaaaaaaaaaa" not in text
    assert len(text) < len(planted), "nothing was expanded: the text is shorter than the XML"
    assert read_fingerprint(data) is None
    assert is_unedited(data) is None
