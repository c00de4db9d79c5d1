"""Command line: thin wrappers that call the pipeline (the group is in :mod:`generator.cli.app`).

This module imports nothing the interpreter has not already loaded (not even
``__future__``), so that from the first moment the program runs its own code, a
Ctrl-C — even one that lands while the libraries are still being imported — ends
with one Chinese line and exit code 130 instead of a traceback.
"""

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from sys import UnraisableHookArgs
    from typing import NoReturn

    from generator.cli.app import cli

__all__ = ["INTERRUPTED", "cli", "main", "run"]

#: Ctrl-C: every set of outputs is written whole or not at all; say so in one line.
INTERRUPTED = "已中断：已写出的报告都是完整的，未写完的没有留下；重新运行即可生成全部报告。"


def __getattr__(name: str) -> object:
    """``generator.cli.cli``, the click group, loaded when first asked for."""
    if name == "cli":
        from generator.cli.app import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _interrupted() -> int:
    """One line for a Ctrl-C, after a line break that ends the terminal's ``^C``."""
    try:
        sys.stderr.write(f"\n{INTERRUPTED}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # no usable stderr: the exit code still tells
        pass
    return 130


def interrupted_by(exc: BaseException) -> bool:
    """Whether ``exc`` is, or was caused by, a Ctrl-C.

    Python wraps a KeyboardInterrupt that lands in a class's ``__set_name__`` in a
    RuntimeError, which would otherwise be reported as an internal error.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def main(argv: "Sequence[str] | None" = None) -> int:
    """Console entry point; never lets a traceback reach the user.

    Everything heavy is imported inside, so a Ctrl-C at any moment, start-up
    included, is answered here. Python drops a KeyboardInterrupt raised inside a
    weakref callback or ``__del__`` (printing "Exception ignored"); such a Ctrl-C is
    noted instead of printed, and answered when the command returns.
    """
    lost: list[object] = []
    report_unraisable = sys.unraisablehook

    def note_lost_interrupt(unraisable: "UnraisableHookArgs") -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            lost.append(unraisable.exc_value)
        else:
            report_unraisable(unraisable)

    sys.unraisablehook = note_lost_interrupt
    try:
        from generator.cli.app import dispatch

        code = dispatch(argv)
    except BaseException as exc:
        if not interrupted_by(exc):
            raise
        return _interrupted()
    finally:
        sys.unraisablehook = report_unraisable
    return _interrupted() if lost and code != 130 else code


def run() -> "NoReturn":
    """The ``genreport`` command: :func:`main`, then a quick exit.

    Once main() has answered, a further Ctrl-C changes nothing and is ignored. After
    an interruption the process leaves with ``os._exit``: a Ctrl-C that landed inside
    code compiled at run time (dataclasses build their methods with ``exec``) leaves
    the interpreter set to end itself by SIGINT on a normal exit, which would turn
    exit code 130 into death by signal. Otherwise, at exit Python would run garbage
    collection over every object still alive (models, compiled templates, parsed
    inputs), tens of milliseconds for a process that is ending anyway; frozen objects
    are skipped. main() itself stays usable in-process.
    """
    code = main()
    import contextlib
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if code == 130:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    gc.freeze()
    sys.exit(code)
