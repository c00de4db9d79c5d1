"""Copy the shipped templates out for editing, without ever overwriting someone's edits."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.config.search import shipped_templates_dir
from generator.errors import OutputError

__all__ = ["export_templates", "shipped_files"]


def shipped_files() -> list[Path]:
    """The shipped templates, 措辞.yaml and rule sets, relative to the shipped directory."""
    root = shipped_templates_dir()
    files = [*sorted(root.glob("*.docx")), root / "措辞.yaml", *sorted(root.glob("rules/*.yaml"))]
    return [path.relative_to(root) for path in files if path.is_file()]


def export_templates(directory: Path, *, force: bool = False) -> list[Path]:
    """Copy every shipped file into ``directory``; existing files are an error unless ``force``."""
    root = shipped_templates_dir()
    files = shipped_files()
    existing = [directory / name for name in files if (directory / name).exists()]
    if existing and not force:
        listed = "、".join(str(path) for path in existing)
        raise OutputError(
            f"目录中已有同名文件，未导出任何文件（避免覆盖您的修改）：{listed}；"
            "确需覆盖请加 --force"
        )
    written = []
    try:
        for name in files:
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / name, target)
            written.append(target)
    except OSError as exc:
        raise OutputError(f"无法导出模板到“{directory}”：{exc.strerror or exc}") from None
    return written
