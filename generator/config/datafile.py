"""Read a data file beside the templates exactly as carefully as an input.

Rule sets, 措辞.yaml and indicator systems come from template folders people mail to
each other, so they get the input's bounded YAML reader (size, nesting and alias
bombs refused, a line for every field) and its pydantic translation: every problem
of a file is reported at once, each as ``文件:行: 键：说明``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from generator.errors import ConfigError, InputError, Location, Problem
from generator.inputs.source import LoadedInput
from generator.inputs.validate import translate_errors
from generator.inputs.yaml_read import decode_text, load_yaml_text, read_bounded
from generator.limits import MAX_DATA_FILE_BYTES

__all__ = ["DataModel", "read_data_file", "validate_data"]

M = TypeVar("M", bound=BaseModel)


class DataModel(BaseModel):
    """A data file's mapping: its Chinese keys are the aliases, unknown keys are errors."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=False, frozen=True, str_strip_whitespace=True
    )


def read_data_file(path: Path) -> LoadedInput:
    """The file's data with the line of every field; a ConfigError lists what is wrong."""
    shown = str(path)
    try:
        text = decode_text(read_bounded(path, shown, MAX_DATA_FILE_BYTES), shown)
        if _blank(text):
            raise ConfigError(problems=[Problem(Location(shown, 1), "文件为空，没有任何内容")])
        return load_yaml_text(text, shown)
    except InputError as exc:
        raise ConfigError(problems=exc.problems) from None


def validate_data(loaded: LoadedInput, model: type[M]) -> M:
    """``loaded.data`` as ``model``, or a ConfigError with every problem, each located."""
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        raise ConfigError(problems=translate_errors(exc.errors(), loaded, model)) from None


def _blank(text: str) -> bool:
    """Only comments and blank lines: the YAML reader would call it an empty *input*."""
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
