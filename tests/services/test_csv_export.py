"""The one CSV writer: German Excel and RFC 4180, formulas neutralised."""

from datetime import date, datetime

import pytest

from models.enums import DecisionResult
from services.csv_export import (
    EXCEL_DE,
    RFC_4180,
    CsvDialect,
    neutralise,
    write_csv,
    write_records,
)

COLUMNS = {"reference": "Beschluss-Nr.", "text": "Beschlusstext", "due_date": "Frist", "yes": "Ja"}
ROWS = [
    {
        "reference": "LA-2019/01",
        "text": "Zeile 1\nZeile 2; mit Semikolon",
        "due_date": date(2020, 1, 31),
        "yes": 7,
    }
]


def test_excel_dialect_is_what_german_excel_opens() -> None:
    data = write_csv(ROWS, COLUMNS, EXCEL_DE)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.split("\r\n")[0] == "Beschluss-Nr.;Beschlusstext;Frist;Ja"
    assert '"Zeile 1\nZeile 2; mit Semikolon"' in text
    assert "31.01.2020" in text
    assert text.endswith("\r\n")


def test_rfc_dialect_is_for_machines() -> None:
    text = write_csv(ROWS, COLUMNS, RFC_4180).decode("utf-8")
    assert not text.startswith("\ufeff")
    assert text.split("\r\n")[0] == "reference,text,due_date,yes"
    assert "2020-01-31" in text


def test_formulas_are_neutralised_but_negative_numbers_stay_numbers() -> None:
    for dangerous in ("=SUM(A1)", "+1+1", "-A1", "@cmd", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("-12") == "-12"
    assert neutralise("-1,5") == "-1,5"
    assert neutralise("Lecos") == "Lecos"


def test_datetimes_and_booleans() -> None:
    text = write_csv(
        [{"a": datetime(2019, 4, 10, 10, 0), "b": True}], {"a": "Beginn", "b": "öffentlich"}
    ).decode("utf-8-sig")
    assert "10.04.2019 10:00;ja" in text


@pytest.mark.parametrize("dialect", [EXCEL_DE, RFC_4180])
def test_records_by_column_kind_write_what_rows_by_key_write(dialect: CsvDialect) -> None:
    values = [
        ("=SUM(A1)", -3, 1.5, True, date(2020, 1, 31), datetime(2019, 4, 10, 10, 0), "-1,5"),
        (None, None, None, False, None, None, None),
    ]
    kinds = [str, int, float, bool, date, datetime, str]
    columns = {f"c{index}": f"Spalte {index}" for index in range(len(kinds))}
    rows = [dict(zip(columns, record, strict=True)) for record in values]
    assert write_records(values, columns, kinds, dialect) == write_csv(rows, columns, dialect)


def test_enum_columns_give_labels_to_people_and_codes_to_machines() -> None:
    columns = {"result": "Ergebnis", "n": "Nr."}
    adopted = DecisionResult.ADOPTED_UNANIMOUSLY
    # A raw code (as a UNION may return it) is written like its member.
    records = [(adopted, 1), (adopted.value, 2), (None, 3)]
    kinds = [DecisionResult, int]
    german = write_records(records, columns, kinds, EXCEL_DE).decode("utf-8-sig")
    assert german.split("\r\n")[1:] == [
        "einstimmig angenommen;1",
        "einstimmig angenommen;2",
        ";3",
        "",
    ]
    machine = write_records(records, columns, kinds, RFC_4180).decode()
    assert machine.split("\r\n")[1:] == [
        "adopted_unanimously,1",
        "adopted_unanimously,2",
        ",3",
        "",
    ]


def test_records_need_one_kind_per_column() -> None:
    with pytest.raises(ValueError, match="Spalte"):
        write_records([("a",)], {"a": "A", "b": "B"}, [str])
