"""Read which narrative slots a Word template prints.

Kept apart from rendering so that ``check`` never imports docxtpl. A slot the user
filled but the chosen outline never prints would vanish silently; reading the
template itself (not a fixed table) keeps this right for custom templates.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from generator.config.filecache import per_file_version
from generator.errors import TemplateError
from generator.render.template_guard import read_template

__all__ = ["slots_used"]

_SLOT = re.compile(r"节\s*(?:\.\s*([\u4e00-\u9fff]+)|\[\s*['\"]([\u4e00-\u9fff]+)['\"]\s*\])")
_TAGS = re.compile(r"<[^>]+>")


@per_file_version(maxsize=32)
def slots_used(template: Path) -> frozenset[str]:
    """Slot names referenced as ``节.名称`` (or ``节['名称']``) in ``template``."""
    data = read_template(template)  # the guards: size, zip bomb, DTD, not a pipe
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = _TAGS.sub("", archive.read("word/document.xml").decode("utf-8"))
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        raise TemplateError(f"{template.name}：不是有效的 Word 模板（.docx）") from None
    return frozenset(a or b for a, b in _SLOT.findall(text))
