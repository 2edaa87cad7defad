"""Uploaded files are checked before parsing: size, type by content, zip bombs."""

import io
import tomllib
import zipfile
from pathlib import Path

import pytest

from services import uploads
from services.errors import DomainError

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_size_limit_names_both_sizes() -> None:
    uploads.check_size(b"x" * 1024, limit=1024, what="Die Datei")
    with pytest.raises(DomainError) as info:
        uploads.check_size(b"x" * (25 * uploads.MB + 1), limit=20 * uploads.MB, what="Die Datei")
    assert info.value.message == "Die Datei ist 25,0 MB groß; erlaubt sind höchstens 20 MB."
    assert info.value.field == "file"


def test_megabytes_are_written_the_german_way() -> None:
    assert uploads.megabytes(20 * uploads.MB) == "20 MB"
    assert uploads.megabytes(uploads.MB // 2) == "0,5 MB"


def test_a_zip_is_recognised_by_its_content_and_must_be_whole() -> None:
    data = _zip({"a.txt": b"a"})
    assert uploads.looks_like_zip(data)
    assert not uploads.looks_like_zip(b"Name;Art\r\n")
    with pytest.raises(DomainError, match="Die Datei ist keine ZIP-Datei"):
        uploads.open_zip(b"Name;Art", what="Die Datei", max_entries=10, max_unpacked=100)
    with pytest.raises(DomainError, match="Die Datei ist keine gültige ZIP-Datei"):
        uploads.open_zip(data[:20], what="Die Datei", max_entries=10, max_unpacked=100)
    with uploads.open_zip(data, what="Die Datei", max_entries=10, max_unpacked=100) as archive:
        assert archive.read("a.txt") == b"a"


def test_zip_bombs_are_refused_by_size_and_by_entries() -> None:
    bomb = _zip({"zeros.bin": bytes(10 * uploads.MB)})
    assert len(bomb) < 20_000  # ten megabytes of zeros pack into a few kilobytes
    with pytest.raises(DomainError) as info:
        uploads.open_zip(bomb, what="Die Datei", max_entries=10, max_unpacked=uploads.MB)
    assert info.value.message == (
        "Die Datei ist entpackt zu groß (10 MB, 1 Eintrag); "
        "erlaubt sind höchstens 1 MB und 10 Einträge."
    )
    many = _zip({f"{n}.txt": b"" for n in range(11)})
    with pytest.raises(DomainError, match="0 MB, 11 Einträge"):
        uploads.open_zip(many, what="Die Datei", max_entries=10, max_unpacked=uploads.MB)


def test_text_must_be_utf8_or_windows_1252_without_nul_bytes() -> None:
    assert uploads.decode_text("Müller".encode(), what="Die Datei") == "Müller"
    assert uploads.decode_text("\ufeffMüller".encode(), what="Die Datei") == "Müller"
    assert uploads.decode_text("Müller".encode("cp1252"), what="Die Datei") == "Müller"
    with pytest.raises(DomainError, match="Nullbytes"):
        uploads.decode_text("Name;Art".encode("utf-16"), what="Die Datei")
    # 0x81 is neither a UTF-8 start byte nor defined in Windows-1252.
    with pytest.raises(DomainError, match="weder UTF-8- noch Windows-1252-Text \\(Byte 2\\)"):
        uploads.decode_text(b"a\x81b", what="Die Datei")


def test_old_office_files_are_recognised() -> None:
    assert uploads.looks_like_old_office(uploads.OLE2_MAGIC + bytes(100))
    assert not uploads.looks_like_old_office(b"Name;Art")


def test_streamlit_takes_uploads_up_to_the_largest_service_limit() -> None:
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    largest = max(uploads.IMPORT_MAX_BYTES, uploads.BACKUP_MAX_BYTES)
    assert config["server"]["maxUploadSize"] * uploads.MB == largest
