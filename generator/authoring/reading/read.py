"""Read last year's report file, whatever its kind, into a :class:`SourceDocument`.

The kind is told by the file's extension: a Word document (.docx) or plain text (.txt,
as copied from a website). Older and macro-enabled Word files are refused with how to
save them as .docx; a directory, a named pipe or a device is refused before anything
opens it (opening a pipe would wait forever).
"""

from __future__ import annotations

from pathlib import Path

from generator.authoring.reading.blocks import SourceDocument
from generator.core.bookmarks import note_key
from generator.errors import InputError, Location, Problem
from generator.inputs.files import check_regular_file

__all__ = ["REPORT_SUFFIXES", "note_key", "read_report"]

#: What ``genreport import`` reads as a report.
REPORT_SUFFIXES = (".docx", ".txt")
#: Word files that must be saved as .docx first, and what to call them.
_OLD_WORD = {
    ".doc": "旧版 Word 97-2003 文档（.doc）",
    ".dot": "旧版 Word 模板（.dot）",
    ".docm": "启用宏的 Word 文档（.docm）",
    ".dotx": "Word 模板（.dotx）",
    ".dotm": "启用宏的 Word 模板（.dotm）",
    ".wps": "WPS 文字文档（.wps）",
    ".rtf": "RTF 文档",
}


def read_report(path: Path) -> SourceDocument:
    """The paragraphs and tables of the report at ``path``, in reading order."""
    name = str(path)
    suffix = path.suffix.lower()
    old = _OLD_WORD.get(suffix)
    if old is not None:
        raise _refuse(
            name, f"不能直接读取{old}：请在 Word 或 WPS 中“另存为”Word 文档（.docx）后重试"
        )
    if suffix not in REPORT_SUFFIXES:
        shown = path.suffix or "无扩展名"
        raise _refuse(
            name,
            f"不支持的文件类型“{shown}”：请提供 Word 文档（.docx）或纯文本文件（.txt）",
        )
    check_regular_file(path, name)
    if suffix == ".docx":
        from generator.authoring.reading.docx_read import read_docx

        return read_docx(path, name)
    from generator.authoring.reading.txt_read import read_txt

    return read_txt(path, name)


def _refuse(name: str, message: str) -> InputError:
    return InputError([Problem(Location(name), message)])
