"""The published reports the project is measured against, when they are at hand.

They live outside the repository (their text is not ours to copy); set
``GENREPORT_SEEDS`` to their folder, or keep them in ``../shared/seeds`` beside the
project. Tests that need them skip when they are absent; tests that must always run
use fixtures in our own words under ``tests/fixtures/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def seeds_folder() -> Path:
    """Where the seed reports are looked for."""
    configured = os.environ.get("GENREPORT_SEEDS")
    return Path(configured) if configured else ROOT.parent / "shared" / "seeds"


def seed_path(number: int) -> Path:
    """The seed file whose name starts with the three-digit ``number``; skips if absent."""
    folder = seeds_folder()
    found = sorted(folder.glob(f"{number:03d}_*.txt")) if folder.is_dir() else []
    if not found:
        pytest.skip(f"seed {number:03d} not at hand ({folder})")
    return found[0]


def seed_text(number: int) -> str:
    """The text of seed ``number``; skips when the seeds are not at hand."""
    return seed_path(number).read_text(encoding="utf-8")
