"""The one CSV writer: German Excel and RFC 4180, formulas neutralised."""

from datetime import date, datetime

from services.csv_export import EXCEL_DE, RFC_4180, neutralise, write_csv

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
