"""A run either writes all of an input's files or says exactly what it wrote.

Through the real CLI on inputs/2024.yaml (four reports and the volume: one set). The
faults are real where the file system can make them (a folder in the way, a name too
long, a file where the year folder belongs, a read-only folder) and injected at the
operating-system calls where it cannot (a full disk, a report open in another program,
a disk that fails while undoing).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.output.write import MANIFEST, TEMP_PREFIX, describe_os_error
from generator.render.fingerprint import is_unedited

from .conftest import EXAMPLES, write_input

UNIT = "示例县医疗保障局"
#: The set inputs/2024.yaml writes, in the order it is written: funds, then the volume.
SET = [
    f"{UNIT}-城乡居民基本医疗保险补助资金-绩效自评报告.docx",
    f"{UNIT}-医疗救助补助资金（城乡医疗救助部分）-绩效自评报告.docx",
    f"{UNIT}-医疗服务与保障能力提升补助资金（医疗保障服务能力提升部分）-绩效自评报告.docx",
    f"{UNIT}-扶贫济困医疗基金县级配套资金-绩效自评报告.docx",
    f"{UNIT}-2024年度医保转移支付补助资金绩效自评报告.docx",
]
ALL_UNDONE = "本次应写出的 5 个文件均未写入，输出目录保持原样"
NOTHING = "共 1 个错误，未生成任何文件。"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_input(tmp_path / "in" / "2024.yaml", EXAMPLES[0].read_text(encoding="utf-8"))


def _redated(source: Path) -> Path:
    """The same input with another 成文日期: every document of the set changes."""
    text = source.read_text(encoding="utf-8")
    return write_input(source, text, ("成文日期: 2025-02-20", "成文日期: 2025-02-21"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _temporaries(root: Path) -> list[Path]:
    return list(root.rglob(f"{TEMP_PREFIX}*"))


def _failing(
    monkeypatch: pytest.MonkeyPatch, call: str, fails: Callable[[Any], bool], code: int
) -> None:
    """Make ``os.<call>`` raise ``OSError(code)`` whenever ``fails(first argument)``."""
    real = getattr(os, call)

    def faulty(*args: Any, **kwargs: Any) -> Any:
        if fails(args[0] if call != "replace" else args[1]):
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, call, faulty)


def _summary_rows(stdout: str) -> int:
    """Rows of the summary table (each begins with the unit; rich draws │ between cells)."""
    return sum(line.startswith(f"│ {UNIT}") for line in stdout.splitlines())


def _named(name: str) -> Callable[[Any], bool]:
    return lambda target: isinstance(target, str | os.PathLike) and Path(target).name == name


# ------------------------------------------------------------------ nothing written


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("folder in the way", f"无法写入“{{year}}/{SET[2]}”：已有同名文件夹，请移走或改名后重试"),
        ("file in place of the year folder", "无法写入“{year}”：已有同名文件，此处应为文件夹"),
        ("name too long", "无法创建输出目录“{year}”：文件名或路径过长"),
    ],
)
def test_a_set_that_cannot_be_placed_writes_nothing_and_says_why(
    run_cli, tmp_path: Path, source: Path, fault: str, reason: str
) -> None:
    out = tmp_path / ("长" * 90 if fault == "name too long" else "out")
    year = out / "2024"
    if fault == "folder in the way":
        (year / SET[2]).mkdir(parents=True)
    elif fault == "file in place of the year folder":
        out.mkdir()
        year.write_bytes(b"not a folder")
    before = sorted(tmp_path.rglob("*"))
    code, stdout, stderr = run_cli(str(source), "-o", str(out))
    assert (code, stdout) == (1, "")
    assert stderr.splitlines() == [
        f"{source}: {reason.format(year=year)}；{ALL_UNDONE}",
        NOTHING,
    ]
    assert sorted(tmp_path.rglob("*")) == before  # not even an empty folder or a manifest


def test_a_full_disk_while_writing_the_third_report_writes_nothing(
    run_cli, tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def third(_fd: object) -> bool:
        calls.append(_fd)
        return len(calls) == 3

    _failing(monkeypatch, "fsync", third, errno.ENOSPC)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(str(source), "-o", str(out))
    assert (code, stdout) == (1, "")
    assert stderr.splitlines() == [
        f"{source}: 无法写入“{out}/2024/{SET[2]}”：磁盘空间不足；{ALL_UNDONE}",
        NOTHING,
    ]
    assert not out.exists()


def test_a_rename_that_fails_puts_the_previous_set_back_hand_edits_included(
    run_cli, tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Say the third report is open in Word: the two already renamed are undone."""
    out = tmp_path / "out"
    assert run_cli(str(source), "-o", str(out))[0] == 0
    year = out / "2024"
    (year / SET[1]).write_bytes(b"edited by hand")  # moved aside, then moved back
    before = _snapshot(year)
    _failing(monkeypatch, "replace", _named(SET[2]), errno.EACCES)
    code, stdout, stderr = run_cli(str(_redated(source)), "-o", str(out))
    assert (code, stdout) == (1, "")
    assert stderr.splitlines() == [
        f"{source}: 无法写入“{year}/{SET[2]}”：没有写入权限；{ALL_UNDONE}",
        NOTHING,
    ]
    assert _snapshot(year) == before
    assert not _temporaries(tmp_path)


def test_when_undoing_fails_too_the_run_lists_what_is_new_and_what_is_not(
    run_cli, tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing(monkeypatch, "replace", _named(SET[2]), errno.EIO)
    _failing(
        monkeypatch,
        "unlink",
        lambda target: not Path(target).name.startswith(TEMP_PREFIX),
        errno.EIO,
    )
    out = tmp_path / "out"
    year = out / "2024"
    code, stdout, stderr = run_cli(str(source), "-o", str(out))
    assert code == 1
    assert stderr.splitlines() == [
        f"{source}: 无法写入“{year}/{SET[2]}”：磁盘读写出错，且无法恢复运行前的文件"
        f"（“{SET[1]}”：磁盘读写出错；“{SET[0]}”：磁盘读写出错）："
        f"已写入新版本的有 {SET[0]}、{SET[1]}，未写入的有 {SET[2]}、{SET[3]}、{SET[4]}",
        "共 1 个错误，只写入了 2 个文件（见上），其余未写入。",
    ]
    assert sorted(p.name for p in year.iterdir()) == sorted([MANIFEST, *SET[:2]])
    for name in SET[:2]:
        assert is_unedited((year / name).read_bytes()) is True
    assert _summary_rows(stdout) == 2  # the summary lists what was written
    assert not _temporaries(tmp_path)


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="POSIX permissions (root ignores them)"
)
def test_a_read_only_folder_keeps_the_previous_set(run_cli, tmp_path: Path, source: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(str(source), "-o", str(out))[0] == 0
    year = out / "2024"
    before = _snapshot(year)
    year.chmod(0o555)
    try:
        code, _, stderr = run_cli(str(_redated(source)), "-o", str(out))
    finally:
        year.chmod(0o755)
    assert code == 1
    assert stderr.splitlines() == [
        f"{source}: 无法写入“{year}/{SET[0]}”：没有写入权限；{ALL_UNDONE}",
        NOTHING,
    ]
    assert _snapshot(year) == before


# ------------------------------------------------------------------ batches and manifests


def test_in_a_batch_a_failed_set_stops_only_its_own_input(
    run_cli, tmp_path: Path, source: Path
) -> None:
    other = write_input(
        tmp_path / "in" / "乙县.yaml", source.read_text(encoding="utf-8"), (UNIT, "乙县医疗保障局")
    )
    out = tmp_path / "out"
    (out / "2024" / SET[4]).mkdir(parents=True)
    code, stdout, stderr = run_cli(str(source), str(other), "-o", str(out), "-j", "1")
    assert code == 1
    assert stderr.splitlines() == [
        f"{source}: 无法写入“{out}/2024/{SET[4]}”：已有同名文件夹，请移走或改名后重试；{ALL_UNDONE}",
        f"{source}：共 1 个错误，该输入未生成任何文件。",
    ]
    written = sorted(p.name for p in (out / "2024").iterdir() if p.is_file())
    assert written == sorted([MANIFEST, *(n.replace(UNIT, "乙县医疗保障局") for n in SET)])
    assert stdout.splitlines()[-1] == f"共 2 个输入：成功 1 个，失败 1 个（{source}）。"


def test_a_manifest_that_cannot_be_saved_is_a_warning_and_the_reports_stay(
    run_cli, tmp_path: Path, source: Path
) -> None:
    out = tmp_path / "out"
    (out / "2024" / MANIFEST).mkdir(parents=True)
    code, stdout, stderr = run_cli(str(source), "-o", str(out))
    assert code == 0
    assert stderr.splitlines() == [
        f"警告：无法写入清单文件“{out}/2024/{MANIFEST}”：路径中有同名文件夹；报告已写出，"
        "但下次运行时无法据此识别没有指纹的文件（如 PDF）是否被手工修改过"
    ]
    assert sorted(p.name for p in (out / "2024").glob("*.docx")) == sorted(SET)
    assert _summary_rows(stdout) == 5


# ------------------------------------------------------------------ the words


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
        (PermissionError(errno.EACCES, "Permission denied"), "没有写入权限"),
        (OSError(errno.ENAMETOOLONG, "File name too long"), "文件名或路径过长"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "路径中有同名文件夹"),
        (
            NotADirectoryError(errno.ENOTDIR, "Not a directory"),
            "路径中有同名文件（此处应为文件夹）",
        ),
        (OSError(errno.EROFS, "Read-only file system"), "磁盘或文件夹是只读的"),
        (OSError(errno.ECONNRESET, "Connection reset by peer"), "系统错误（ECONNRESET）"),
    ],
    ids=["disk full", "no permission", "name too long", "folder", "file", "read-only", "other"],
)
def test_operating_system_errors_are_told_in_chinese(error: OSError, text: str) -> None:
    assert describe_os_error(error) == text
