"""Find the Word template of a report, and read which narrative slots it prints.

Kept apart from rendering so that ``check`` never imports docxtpl. A slot the user
filled but the chosen outline never prints would vanish silently; reading the
template itself (not a fixed table) keeps this right for custom templates.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from .errors import TemplateError
from .filecache import per_file_version

__all__ = ["find_template", "slots_used"]


def find_template(outline: str, fund_type: str, dirs: Sequence[Path]) -> Path:
    """First ``<dir>/<类型>/<提纲>.docx``, then ``<dir>/<提纲>.docx``, for each dir in order."""
    tried: list[Path] = []
    for directory in dirs:
        for candidate in (directory / fund_type / f"{outline}.docx", directory / f"{outline}.docx"):
            if candidate.is_file():
                return candidate
            tried.append(candidate)
    listed = "、".join(str(p) for p in tried) or "（未指定模板目录）"
    raise TemplateError(f"找不到提纲“{outline}”（类型“{fund_type}”）的模板，已查找：{listed}")

_SLOT = re.compile(r"节\s*(?:\.\s*([\u4e00-\u9fff]+)|\[\s*['\"]([\u4e00-\u9fff]+)['\"]\s*\])")
_TAGS = re.compile(r"<[^>]+>")


@per_file_version(maxsize=32)
def slots_used(template: Path) -> frozenset[str]:
    """Slot names referenced as ``节.名称`` (or ``节['名称']``) in ``template``."""
    try:
        with zipfile.ZipFile(template) as archive:
            text = _TAGS.sub("", archive.read("word/document.xml").decode("utf-8"))
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        raise TemplateError(f"{template.name}：不是有效的 Word 模板（.docx）") from None
    return frozenset(a or b for a, b in _SLOT.findall(text))
