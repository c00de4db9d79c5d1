"""Run by LibreOffice's own Python (the one with ``uno``), never imported by genreport.

Connects to one running ``soffice --accept=pipe,name=NAME;urp;…`` and converts files on
request, so LibreOffice starts once for many documents. Protocol on stdin/stdout, one
JSON object a line: it prints ``{"ready": true}`` once connected (or ``{"error": …}``
and exits), then answers every ``{"source": …, "target": …}`` with ``{"ok": true}`` or
``{"error": …}``. End of input closes LibreOffice and exits.

Usage: python uno_worker.py PIPE_NAME CONNECT_SECONDS
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _props(**values: Any) -> tuple[Any, ...]:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


def _connect(pipe: str, seconds: float) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + seconds
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _convert(desktop: Any, source: str, target: str) -> None:
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, _props(Hidden=True, ReadOnly=True)
    )
    if document is None:
        raise RuntimeError("source file could not be loaded")
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), _props(FilterName="writer_pdf_Export"))
    finally:
        document.close(True)


def main() -> int:
    pipe, seconds = sys.argv[1], float(sys.argv[2])
    try:
        context = _connect(pipe, seconds)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
    except Exception as exc:
        _say({"error": f"cannot connect: {exc}"})
        return 1
    try:  # whatever ends this loop (end of input, a caller gone), LibreOffice ends too
        _say({"ready": True})
        for line in sys.stdin:
            try:
                request = json.loads(line)
                _convert(desktop, request["source"], request["target"])
            except Exception as exc:
                _say({"error": str(exc) or type(exc).__name__})
            else:
                _say({"ok": True})
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
