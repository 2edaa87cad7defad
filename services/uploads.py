"""Checks on an uploaded file before anything parses it: size, type by content, zip bombs.

The limits are the service's own: the command line and any future page get them too, not
only Streamlit's uploader (whose `server.maxUploadSize` in .streamlit/config.toml matches
the largest limit here).
"""

import io
import zipfile

from services.errors import DomainError

MB = 1024 * 1024  # Streamlit's "megabyte" in server.maxUploadSize
IMPORT_MAX_BYTES = 20 * MB
BACKUP_MAX_BYTES = 200 * MB
# An .xlsx is a zip of XML: a few times its size unpacked is normal, a thousand times is
# a bomb. The backup's JSON Lines compress well, so its allowance is larger.
XLSX_MAX_UNPACKED_BYTES = 100 * MB
XLSX_MAX_ENTRIES = 1_000
BACKUP_MAX_UNPACKED_BYTES = 1024 * MB
BACKUP_MAX_ENTRIES = 1_000

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office formats (.xls)


def megabytes(size: int) -> str:
    """A size in German notation: 20 MB, 0,4 MB, 20,0 MB (a little over 20)."""
    value = size / MB
    text = f"{value:.0f}" if value.is_integer() else f"{value:.1f}".replace(".", ",")
    return f"{text} MB"


def check_size(data: bytes, *, limit: int, what: str) -> None:
    """Refuse a file larger than `limit` bytes, naming both sizes."""
    if len(data) > limit:
        raise DomainError(
            f"{what} ist {megabytes(len(data))} groß; erlaubt sind höchstens {megabytes(limit)}.",
            "file",
        )


def looks_like_zip(data: bytes) -> bool:
    """Whether the file starts like a zip archive (an .xlsx, .docx or a backup)."""
    return data.startswith(ZIP_MAGIC)


def looks_like_old_office(data: bytes) -> bool:
    """Whether the file is in the binary Office format of .xls/.doc (before 2007)."""
    return data.startswith(OLE2_MAGIC)


def open_zip(data: bytes, *, what: str, max_entries: int, max_unpacked: int) -> zipfile.ZipFile:
    """Open a zip archive after checking it is one and would not unpack beyond the limits.

    The sizes checked are the ones the archive declares; zipfile never returns more than
    an entry declares (and fails on a mismatch), so they bound what reading can produce.
    """
    if not looks_like_zip(data):
        raise DomainError(f"{what} ist keine ZIP-Datei.", "file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DomainError(f"{what} ist keine gültige ZIP-Datei.", "file") from exc
    entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > max_entries or unpacked > max_unpacked:
        archive.close()
        count = "1 Eintrag" if len(entries) == 1 else f"{len(entries)} Einträge"
        raise DomainError(
            f"{what} ist entpackt zu groß ({megabytes(unpacked)}, {count}); erlaubt sind "
            f"höchstens {megabytes(max_unpacked)} und {max_entries} Einträge.",
            "file",
        )
    return archive


def decode_text(data: bytes, *, what: str) -> str:
    """A text file's content: UTF-8 (with or without BOM), else Windows-1252.

    Refused when it holds NUL bytes (a binary file, or UTF-16 text) or bytes that are
    text in neither encoding.
    """
    if b"\x00" in data:
        raise DomainError(
            f"{what} ist keine Textdatei (sie enthält Nullbytes); bitte als CSV "
            "(UTF-8 oder Windows-1252) speichern.",
            "file",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DomainError(
            f"{what} ist weder UTF-8- noch Windows-1252-Text (Byte {exc.start + 1}); "
            "bitte als CSV (UTF-8) speichern.",
            "file",
        ) from exc


__all__ = [
    "BACKUP_MAX_BYTES",
    "BACKUP_MAX_ENTRIES",
    "BACKUP_MAX_UNPACKED_BYTES",
    "IMPORT_MAX_BYTES",
    "MB",
    "OLE2_MAGIC",
    "XLSX_MAX_ENTRIES",
    "XLSX_MAX_UNPACKED_BYTES",
    "ZIP_MAGIC",
    "check_size",
    "decode_text",
    "looks_like_old_office",
    "looks_like_zip",
    "megabytes",
    "open_zip",
]
