"""Where templates, rule sets and wording are found: one search path for all of them.

A user's template folder (``--templates`` or the input's 模板目录) comes first, then the
templates shipped with the package; every reader of a data file asks here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.errors import TemplateError

__all__ = ["find_template", "shipped_templates_dir", "template_dirs"]


def shipped_templates_dir() -> Path:
    """The templates shipped with the package (installed) or beside it (source tree)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    if installed.is_dir():
        return installed
    return package.parent / "templates"


def template_dirs(user_dir: Path | None = None) -> tuple[Path, ...]:
    """Search order: the user's directory first, then the shipped one."""
    shipped = shipped_templates_dir()
    return (user_dir, shipped) if user_dir is not None else (shipped,)


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
