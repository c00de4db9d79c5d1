"""Read a data file beside the templates exactly as carefully as an input.

Rule sets, 措辞.yaml and indicator systems come from template folders people mail to
each other, so they get the input's bounded YAML reader (size, nesting and alias
bombs refused, a line for every field, characters a person cannot see refused), its
number grammar and its pydantic translation: every problem of a file is reported at
once, each as ``文件:行: 键：说明``, in words that fit a data file rather than an input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from generator.errors import ConfigError, InputError
from generator.inputs.bounds import hidden_character_problems
from generator.inputs.source import LoadedInput
from generator.inputs.validate import translate_errors, typed_numbers
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
        raw = read_bounded(path, shown, MAX_DATA_FILE_BYTES, data_file=True)
        loaded = load_yaml_text(decode_text(raw, shown), shown, data_file=True)
    except InputError as exc:
        raise ConfigError(problems=exc.problems) from None
    hidden = hidden_character_problems(loaded)
    if hidden:
        raise ConfigError(problems=hidden)
    return loaded


def validate_data(loaded: LoadedInput, model: type[M]) -> M:
    """``loaded.data`` as ``model``, or a ConfigError with every problem, each located."""
    data, grammar = typed_numbers(loaded, model)
    try:
        validated = model.model_validate(data)
    except ValidationError as exc:
        paths = {p.location.path for p in grammar}
        problems = [
            p for p in translate_errors(exc.errors(), loaded, model) if p.location.path not in paths
        ]
        raise ConfigError(
            problems=sorted([*grammar, *problems], key=lambda p: p.location.line)
        ) from None
    if grammar:
        raise ConfigError(problems=grammar)
    return validated
