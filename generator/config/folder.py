"""Check every data file of one template folder, for ``genreport templates check``.

A folder edited by hand is checked before it is used, so its author sees every
problem of every file at once rather than one per run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from generator.config.indicator_systems import load_system
from generator.config.rulesets import load_rule_set
from generator.config.search import (
    WORDING_FILE,
    find_data_file,
    indicator_system_file,
    rule_set_file,
    rule_set_names,
)
from generator.config.wording import load_wording
from generator.core.vocabulary import FUND_TYPES
from generator.errors import ConfigError, Location, Problem

__all__ = ["check_data_files"]


def check_data_files(directory: Path) -> list[Problem]:
    """Problems of the folder's 措辞.yaml, rules/*.yaml and <类型>/指标体系.yaml, in that order."""
    only = [directory]
    checks: list[tuple[Path | None, Callable[[], object]]] = [
        (find_data_file(only, WORDING_FILE), partial(load_wording, only))
    ]
    for name in rule_set_names(only):
        checks.append(
            (find_data_file(only, rule_set_file(name)), partial(load_rule_set, name, only))
        )
    for fund_type in FUND_TYPES:
        path = find_data_file(only, indicator_system_file(fund_type))
        checks.append((path, partial(load_system, fund_type, only)))
    problems: list[Problem] = []
    for found, load in checks:
        if found is None:
            continue
        try:
            load()
        except ConfigError as exc:
            problems.extend(exc.problems or [Problem(Location(str(found)), str(exc))])
    return problems
