"""What starting genreport loads: help and version must not pay for the pipeline."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from generator.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

#: Libraries only a run that reads, checks or renders an input needs.
HEAVY = (
    "pydantic",
    "yaml",
    "ruamel",
    "jinja2",
    "docx",
    "docxtpl",
    "openpyxl",
    "lxml",
    "rich",
    "fastapi",
    "starlette",
    "sqlalchemy",
    "pandas",
    "alembic",
    "uvicorn",
    "argon2",
)


def loaded_by(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    modules: list[str] = report["modules"]
    return modules


@pytest.mark.parametrize(
    "args",
    [("--help",), ("--version",), ("generate", "--help"), ("new", "--help"), ("rollup", "--help")],
)
def test_help_and_version_load_no_pipeline_library(args: tuple[str, ...]) -> None:
    modules = loaded_by(*args)
    heavy = [m for m in modules if m.split(".")[0] in HEAVY]
    assert heavy == []


def test_help_loads_no_input_model_or_stage_module() -> None:
    stages = ("inputs.models", "inputs.validate", "analysis", "render", "output", "pipeline")
    modules = loaded_by("--help")
    loaded = [m for m in modules if m.startswith(tuple(f"generator.{s}" for s in stages))]
    assert loaded == []
