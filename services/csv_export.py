"""The one CSV writer: German Excel by default, RFC 4180 for machines.

German Excel opens a file correctly only with `;`, a UTF-8 byte order mark and
dd.mm.yyyy dates; machines want `,`, plain UTF-8, ISO dates and stable headers.
Cells a spreadsheet would run as a formula are neutralised in both dialects.
"""

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

import pandas as pd

from services.periods import format_datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Formatter = Callable[[Any], str]


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


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    # Only the rare cell that starts like a formula needs the full check.
    return neutralise(text) if text.startswith(FORMULA_STARTS) else text


def _number(value: Any) -> str:
    # str() of an int never looks like a formula: a leading "-" is a negative number.
    return "" if value is None else str(value)


def _german_date(value: date | None) -> str:
    # Field by field is several times faster than strftime and gives the same text (%Y unpadded).
    return "" if value is None else f"{value.day:02d}.{value.month:02d}.{value.year}"


def _iso_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _german_datetime(value: datetime | None) -> str:
    return "" if value is None else format_datetime(value)


def _iso_datetime(value: datetime | None) -> str:
    return "" if value is None else value.isoformat(timespec="minutes")


def _german_bool(value: Any) -> str:
    return "" if value is None else ("ja" if value else "nein")


def _machine_bool(value: Any) -> str:
    return "" if value is None else ("true" if value else "false")


def _german_float(value: Any) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{value:g}".replace(".", ",")


def _machine_float(value: Any) -> str:
    if value is None or math.isnan(value):
        return ""
    return neutralise(str(value))


def _enum_formatter(kind: type[Enum], dialect: CsvDialect) -> Formatter:
    """Label (German) or code (machines) per member, looked up by member or by its raw code."""
    cells: dict[Any, str] = {}
    for member in kind:
        label = getattr(member, "label", member.value) if dialect.german_headers else member.value
        cell = _cell(label, dialect)
        cells[member] = cell
        cells[member.value] = cell

    def enum_cell(value: Any) -> str:
        return "" if value is None else cells[value]

    return enum_cell


# Per (type, dialect): the types a workspace's cells have are few, so the cache stays small.
_FORMATTERS: dict[tuple[type, CsvDialect], Formatter] = {}


def column_formatter(kind: type, dialect: CsvDialect) -> Formatter:
    """How every value of one type becomes a cell in `dialect`; None is always empty.

    Enum columns give labels to German readers and codes to machines.
    """
    found = _FORMATTERS.get((kind, dialect))
    if found is None:
        found = _FORMATTERS[(kind, dialect)] = _new_formatter(kind, dialect)
    return found


def _new_formatter(kind: type, dialect: CsvDialect) -> Formatter:
    german = dialect.german_dates
    # The same order of checks as a single cell's: subclasses (bool of int, datetime of date)
    # first.
    if issubclass(kind, Enum):
        return _enum_formatter(kind, dialect)
    if issubclass(kind, bool):
        return _german_bool if german else _machine_bool
    if issubclass(kind, datetime):
        return _german_datetime if german else _iso_datetime
    if issubclass(kind, date):
        return _german_date if german else _iso_date
    if issubclass(kind, float):
        return _german_float if german else _machine_float
    if issubclass(kind, int) and kind.__str__ is int.__str__:
        return _number
    return _text


def _cell(value: Any, dialect: CsvDialect) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, Enum):
        value = getattr(value, "label", value.value)
    return column_formatter(type(value), dialect)(value)


def _writer(buffer: io.StringIO, columns: Mapping[str, str], dialect: CsvDialect) -> Any:
    writer = csv.writer(
        buffer, delimiter=dialect.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(list(columns.values()) if dialect.german_headers else list(columns))
    return writer


def _encoded(buffer: io.StringIO, dialect: CsvDialect) -> bytes:
    return buffer.getvalue().encode("utf-8-sig" if dialect.byte_order_mark else "utf-8")


def write_csv(
    rows: Iterable[Mapping[str, Any]],
    columns: Mapping[str, str],
    dialect: CsvDialect = EXCEL_DE,
) -> bytes:
    """Rows as CSV bytes; `columns` maps each key to its German header (the key is the machine header)."""
    buffer = io.StringIO(newline="")
    writer = _writer(buffer, columns, dialect)
    keys = list(columns)
    writer.writerows([_cell(row.get(key), dialect) for key in keys] for row in rows)
    return _encoded(buffer, dialect)


def write_records(
    records: Iterable[Sequence[Any]],
    columns: Mapping[str, str],
    kinds: Sequence[type | None],
    dialect: CsvDialect = EXCEL_DE,
) -> bytes:
    """Tuples in column order as CSV bytes, each column formatted as its kind; as write_csv.

    A kind of None marks values that already are cells (text that cannot start a formula).
    """
    if len(kinds) != len(columns):
        raise ValueError("Für jede Spalte ist genau ein Typ anzugeben.")
    buffer = io.StringIO(newline="")
    writer = _writer(buffer, columns, dialect)
    # The csv module itself writes None as an empty cell and an int as str() does, so those
    # columns skip a call per cell.
    formatters = [
        None
        if kind is None or (formatter := column_formatter(kind, dialect)) is _number
        else formatter
        for kind in kinds
    ]
    writer.writerows(
        [
            value if format_ is None else format_(value)
            for format_, value in zip(formatters, record, strict=True)
        ]
        for record in records
    )
    return _encoded(buffer, dialect)


def frame_to_csv(
    frame: pd.DataFrame, columns: Mapping[str, str], dialect: CsvDialect = EXCEL_DE
) -> bytes:
    """A DataFrame's `columns` as CSV in `dialect`."""
    records = [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
    return write_csv(records, columns, dialect)
