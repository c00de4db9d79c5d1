"""Parse a data file once per process while it is unchanged.

A batch asks for the same rule set, wording file and template on every input; the
cache key is the file's version (mtime and size), so an edited file is read again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["per_file_version"]

T = TypeVar("T")


def per_file_version(maxsize: int) -> Callable[[Callable[[Path], T]], Callable[[Path], T]]:
    """Cache ``func(path)`` by the file's path, mtime and size."""

    def decorate(func: Callable[[Path], T]) -> Callable[[Path], T]:
        @functools.lru_cache(maxsize=maxsize)
        def by_version(path: Path, mtime_ns: int, size: int) -> T:
            del mtime_ns, size  # part of the cache key only
            return func(path)

        @functools.wraps(func)
        def call(path: Path) -> T:
            try:
                stat = path.stat()
            except OSError:
                return func(path)  # let the reader report it in its own words
            return by_version(path, stat.st_mtime_ns, stat.st_size)

        return call

    return decorate
