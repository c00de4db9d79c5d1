"""«从上年的报告导入»: last year's published report (.docx, .txt) becomes a new version.

The report is read as ``genreport import`` reads it; its input (YAML) is then submitted
like any upload, so the version page shows the checker's findings, and what the import
found is kept with the version. A file that cannot be read (wrong kind, too large, a
zip bomb, a DTD, macros) gets the error page with the reason, and nothing is stored.
"""

from __future__ import annotations

import secrets
import shutil

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from generator.web import adapter
from generator.web.audit import Action, record
from generator.web.context import client_of
from generator.web.imported import ImportNote, dump_note
from generator.web.versions import Upload, submit
from generator.web.views_units import read_file_form
from generator.web.workbench import Workbench

__all__ = ["import_report", "imported_name"]


def imported_name(uploaded: str) -> str:
    """The imported input's file name: the report's own name, marked as imported."""
    stem = uploaded.rpartition(".")[0] if "." in uploaded else uploaded
    return f"{stem or '上年报告'}-导入.yaml"


def _read(wb: Workbench, upload: Upload, name: str, unit: str, year: int) -> adapter.ImportedInput:
    scratch = wb.dirs.work / f"import-{secrets.token_hex(4)}"
    try:
        path = scratch / "report" / name
        path.parent.mkdir(parents=True)
        path.write_bytes(upload.data)
        return adapter.import_last_report(path, name, unit, year)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


async def import_report(request: Request) -> Response:
    form = await read_file_form(request, "请先选择上年的绩效自评报告（.docx 或 .txt）。")
    current, wb, unit, year = form.current, form.bench, form.unit, form.year
    source = adapter.display_name(form.file.file_name)
    imported = await run_in_threadpool(_read, wb, form.file, source, unit.name, year)
    note = ImportNote(source, imported.funds, imported.remarks, imported.to_confirm)
    upload = Upload(imported_name(source), imported.text.encode("utf-8"))
    version_id = await run_in_threadpool(
        submit,
        wb,
        current.user,
        unit,
        imported.year,
        upload,
        client_of(request),
        imported=dump_note(note),
    )
    with wb.db() as db:
        record(
            db,
            Action.IMPORT,
            user=current.user,
            unit_id=unit.id,
            version_id=version_id,
            detail=(
                f"{source} → {upload.file_name}：{len(note.funds)} 项资金，"
                f"{note.to_confirm} 处待核对"
            ),
            client=client_of(request),
        )
        db.commit()
    return RedirectResponse(f"/versions/{version_id}", status_code=303)
