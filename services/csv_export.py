"""The one CSV writer: German Excel by default, RFC 4180 for machines.

German Excel opens a file correctly only with `;`, a UTF-8 byte order mark and
dd.mm.yyyy dates; machines want `,`, plain UTF-8, ISO dates and stable headers.
Cells a spreadsheet would run as a formula are neutralised in both dialects.
"""

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

import pandas as pd

from services.periods import format_date, format_datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written for one kind of reader."""

    label: str
    delimiter: str
    byte_order_mark: bool
    german_dates: bool
    german_headers: bool


EXCEL_DE = CsvDialect("Excel (Deutschland)", ";", True, True, True)
RFC_4180 = CsvDialect("RFC 4180", ",", False, False, False)
DIALECTS = {"excel": EXCEL_DE, "rfc4180": RFC_4180}


def neutralise(text: str) -> str:
    """Prefix a cell that would start a formula with an apostrophe; plain numbers stay numbers."""
    if not text.startswith(FORMULA_STARTS):
        return text
    try:
        float(text.replace(",", "."))
    except ValueError:
        return "'" + text
    return text


def _cell(value: Any, dialect: CsvDialect) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, Enum):
        value = getattr(value, "label", value.value)
    if isinstance(value, bool):
        return ("ja" if value else "nein") if dialect.german_dates else str(value).lower()
    if isinstance(value, datetime):
        return (
            format_datetime(value) if dialect.german_dates else value.isoformat(timespec="minutes")
        )
    if isinstance(value, date):
        return format_date(value) if dialect.german_dates else value.isoformat()
    if isinstance(value, float) and dialect.german_dates:
        return f"{value:g}".replace(".", ",")
    return neutralise(str(value))


def write_csv(
    rows: Iterable[Mapping[str, Any]],
    columns: Mapping[str, str],
    dialect: CsvDialect = EXCEL_DE,
) -> bytes:
    """Rows as CSV bytes; `columns` maps each key to its German header (the key is the machine header)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, delimiter=dialect.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(list(columns.values()) if dialect.german_headers else list(columns))
    for row in rows:
        writer.writerow([_cell(row.get(key), dialect) for key in columns])
    encoding = "utf-8-sig" if dialect.byte_order_mark else "utf-8"
    return buffer.getvalue().encode(encoding)


def frame_to_csv(
    frame: pd.DataFrame, columns: Mapping[str, str], dialect: CsvDialect = EXCEL_DE
) -> bytes:
    """A DataFrame's `columns` as CSV in `dialect`."""
    records = [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
    return write_csv(records, columns, dialect)
