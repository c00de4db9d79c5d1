"""Where templates, rule sets, wording and indicator systems are found: the one search path.

A user's template folder (``--templates`` or the input's 模板目录) comes first, then the
templates shipped with the package. This module is the only one that knows the folder
layout; every reader of a data file asks it for the file's place.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from generator.errors import TemplateError

__all__ = [
    "INDICATOR_SYSTEM_FILE",
    "RULES_FOLDER",
    "WORDING_FILE",
    "find_data_file",
    "find_template",
    "indicator_system_file",
    "rule_set_file",
    "rule_set_names",
    "shipped_templates_dir",
    "template_dirs",
    "template_files",
]

#: ``<dir>/rules/<名称>.yaml``: one scoring rule set per file, named by its file.
RULES_FOLDER = "rules"
#: ``<dir>/措辞.yaml``: full names, default outlines and default narrative of each fund type.
WORDING_FILE = "措辞.yaml"
#: ``<dir>/<类型>/指标体系.yaml``: the default indicators of a fund type.
INDICATOR_SYSTEM_FILE = "指标体系.yaml"
_RULE_SUFFIX = ".yaml"


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


def rule_set_file(name: str) -> PurePosixPath | None:
    """``rules/<name>.yaml``; None for a name that is not a plain file name (``../x``)."""
    if not name or name.startswith(".") or any(ch in name for ch in "/\\"):
        return None
    return PurePosixPath(RULES_FOLDER, f"{name}{_RULE_SUFFIX}")


def indicator_system_file(fund_type: str) -> PurePosixPath:
    return PurePosixPath(fund_type, INDICATOR_SYSTEM_FILE)


def template_files(outline: str, fund_type: str) -> tuple[PurePosixPath, ...]:
    """A fund type's own template before the one every type shares."""
    return PurePosixPath(fund_type, f"{outline}.docx"), PurePosixPath(f"{outline}.docx")


def find_data_file(dirs: Sequence[Path], *candidates: PurePosixPath | str | None) -> Path | None:
    """The first existing ``<dir>/<candidate>``: dirs in order, then candidates in order.

    A file in the user's folder replaces the shipped one as a whole (files are never merged).
    """
    for directory in dirs:
        for candidate in candidates:
            if candidate is not None and (path := Path(directory) / candidate).is_file():
                return path
    return None


def rule_set_names(dirs: Sequence[Path]) -> list[str]:
    """Names of every rule file in ``<dir>/rules/``, for messages and ``--help``."""
    names: set[str] = set()
    for directory in dirs:
        folder = Path(directory) / RULES_FOLDER
        if folder.is_dir():
            names.update(p.stem for p in folder.glob(f"*{_RULE_SUFFIX}") if p.is_file())
    return sorted(names)


def find_template(outline: str, fund_type: str, dirs: Sequence[Path]) -> Path:
    """First ``<dir>/<类型>/<提纲>.docx``, then ``<dir>/<提纲>.docx``, for each dir in order."""
    candidates = template_files(outline, fund_type)
    found = find_data_file(dirs, *candidates)
    if found is not None:
        return found
    tried = [Path(directory) / candidate for directory in dirs for candidate in candidates]
    listed = "、".join(str(p) for p in tried) or "（未指定模板目录）"
    raise TemplateError(f"找不到提纲“{outline}”（类型“{fund_type}”）的模板，已查找：{listed}")
