"""Deterministic .docx packages: fixed entry order, timestamps and attributes.

Reports are committed and compared, so the same input must give the same bytes. The zip
is written here rather than through :mod:`zipfile` so that the parts a template never
changes (styles, theme, footers, …) can be compressed once per process and reused for
every document; only the parts that differ per report are deflated again. The output is
byte-for-byte what ``zipfile`` writes for the same entries (tests check this).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "FIRST_ENTRIES",
    "FIXED_ZIP_TIME",
    "Entry",
    "entry",
    "inflate",
    "ordered_names",
    "read_parts",
    "write_package",
]

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
_LEVEL = 6
_VERSION = 20  # "version needed to extract" for deflate, as zipfile writes it
_DOS_DATE = (FIXED_ZIP_TIME[0] - 1980) << 9 | FIXED_ZIP_TIME[1] << 5 | FIXED_ZIP_TIME[2]
_DOS_TIME = FIXED_ZIP_TIME[3] << 11 | FIXED_ZIP_TIME[4] << 5 | FIXED_ZIP_TIME[5] // 2
_UTF8_NAME = 0x800
_ATTRIBUTES = 0o600 << 16  # a plain read-write file, as zipfile records it


@dataclass(frozen=True)
class Entry:
    """One part, already compressed: a template's unchanging parts are kept like this."""

    name: str
    size: int
    crc: int
    compressed: bytes


def entry(name: str, data: bytes) -> Entry:
    """Compress one part the way :mod:`zipfile` does (raw deflate, level 6)."""
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    compressed = compressor.compress(data) + compressor.flush()
    return Entry(name, len(data), zlib.crc32(data) & 0xFFFFFFFF, compressed)


def inflate(item: Entry) -> bytes:
    """The uncompressed bytes of an :class:`Entry`."""
    return zlib.decompress(item.compressed, -15)


def ordered_names(names: Iterable[str]) -> list[str]:
    """[Content_Types].xml and the package relationships first, then the rest sorted."""
    present = set(names)
    first = [name for name in FIRST_ENTRIES if name in present]
    return first + sorted(present.difference(FIRST_ENTRIES))


def read_parts(data: bytes) -> dict[str, bytes]:
    """Every part of a package by name, in the archive's order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_package(parts: Mapping[str, bytes | Entry]) -> bytes:
    """A deterministic zip of ``parts``; :class:`Entry` values are written as compressed."""
    out = bytearray()
    directory = bytearray()
    names = ordered_names(parts)
    for name in names:
        value = parts[name]
        item = value if isinstance(value, Entry) else entry(name, value)
        encoded, flags = _encode_name(name)
        offset = len(out)
        # Fields the local header and the central directory share, in this order:
        # flags, method, time, date, CRC-32, compressed size, size, name length.
        shared = (flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, item.crc)
        sizes = (len(item.compressed), item.size, len(encoded))
        out += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", _VERSION, 0, *shared, *sizes, 0)
        out += encoded
        out += item.compressed
        directory += struct.pack(
            "<4s4B4HL2L5H2L",
            b"PK\x01\x02",
            *(_VERSION, 0, _VERSION, 0),
            *shared,
            *sizes,
            *(0, 0, 0, 0),  # extra field and comment lengths, disk number, internal attributes
            _ATTRIBUTES,
            offset,
        )
        directory += encoded
    start = len(out)
    out += directory
    out += struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(names), len(names), len(directory), start, 0
    )
    return bytes(out)


def _encode_name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_NAME
