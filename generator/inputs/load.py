"""Read an input file of any supported kind: the first stage of the pipeline."""

from __future__ import annotations

from pathlib import Path

from generator.errors import InputError, Location, Problem
from generator.inputs.files import check_regular_file
from generator.inputs.source import EXCEL_SUFFIXES, YAML_SUFFIXES, LoadedInput
from generator.inputs.yaml_read import decode_text, load_yaml_text, read_bounded
from generator.limits import MAX_INPUT_BYTES

__all__ = ["load_input"]


def load_input(path: Path) -> LoadedInput:
    """Read an input file (YAML or an .xlsx workbook) from disk; never modifies it.

    Whatever its name says, a directory, a named pipe, a device or a symlink loop is
    refused here, before any reader opens it (opening a pipe would wait forever).
    """
    name = str(path)
    check_regular_file(path, name)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        # Imported here so that a YAML run never loads openpyxl.
        from generator.inputs.excel.read import load_workbook_input

        return load_workbook_input(path, name)
    if suffix == ".xls":
        raise InputError(
            [Problem(Location(name), "不支持 .xls 旧格式：请在 Excel 或 WPS 中另存为 .xlsx 后重试")]
        )
    if suffix not in YAML_SUFFIXES:
        raise InputError(
            [
                Problem(
                    Location(name),
                    f"不支持的文件类型“{path.suffix or '无扩展名'}”：请使用 .yaml 或 .xlsx 文件",
                )
            ]
        )
    return load_yaml_text(decode_text(read_bounded(path, name, MAX_INPUT_BYTES), name), name)
