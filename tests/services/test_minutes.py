"""Minutes and attendance as CSV on the demo meeting: columns, dialects, formulas, round trip."""

import io
from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session, select

from models import Committee, Meeting
from models.enums import MeetingState
from services import decisions, meetings
from services.csv_export import RFC_4180
from services.errors import NotFoundError
from services.minutes import (
    ATTENDANCE_COLUMNS,
    MINUTES_COLUMNS,
    attendance_csv,
    minutes_csv,
    minutes_rows,
)
from services.seed import load_demo_data
from tests.conftest import ACTOR, make_agenda_item

GERMAN_HEADERS = [
    "Gremium",
    "Sitzung",
    "Datum",
    "Beginn",
    "Ende",
    "Ort",
    "Sitzungsart",
    "TOP",
    "Titel",
    "öffentlich",
    "Beschluss-Nr.",
    "Art",
    "Beschlusstext",
    "Ergebnis",
    "Ja",
    "Nein",
    "Enthaltung",
    "befangen",
    "Anwesende",
    "Verantwortlich",
    "Frist",
    "Umsetzungsstand",
]
MACHINE_HEADERS = [
    "committee",
    "meeting",
    "date",
    "start",
    "end",
    "location",
    "meeting_kind",
    "agenda_item",
    "title",
    "public",
    "decision_reference",
    "decision_kind",
    "decision_text",
    "result",
    "votes_yes",
    "votes_no",
    "votes_abstain",
    "votes_biased",
    "attendees",
    "responsible",
    "due_date",
    "follow_up_status",
]
COMMITTEE = "Lenkungsausschuss E-Government Mecklenburg-Vorpommern"


def _demo_meeting(session: Session, number: int = 1) -> Meeting:
    committee = session.exec(select(Committee).where(Committee.name == COMMITTEE)).one()
    return session.exec(
        select(Meeting).where(Meeting.committee_id == committee.id, Meeting.number == number)
    ).one()


@pytest.fixture
def demo(session: Session) -> Meeting:
    load_demo_data(session)
    return _demo_meeting(session)


@pytest.fixture
def tricky(session: Session, demo: Meeting) -> Meeting:
    """The demo meeting reopened, with items a spreadsheet would misread."""
    meetings.change_meeting_state(
        session=session, actor=ACTOR, row_id=demo.id, state=MeetingState.HELD
    )
    make_agenda_item(
        session,
        demo,
        number="6",
        order=6,
        title="=SUMME(A1)",
        minutes_note="- erster Punkt\n- zweiter Punkt; mit Semikolon",
        public=True,
    )
    make_agenda_item(session, demo, number="7", order=7, title="-42", minutes_note="Notiz")
    return demo


def _read(data: bytes) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )


def test_excel_minutes_have_the_exact_columns_bom_separator_and_crlf(
    session: Session, demo: Meeting
) -> None:
    assert list(MINUTES_COLUMNS.values()) == GERMAN_HEADERS
    data = minutes_csv(session, meeting_id=demo.id)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == ";".join(GERMAN_HEADERS)
    assert text.endswith("\r\n")
    assert len(lines) == 1 + 5 + 1  # header, five TOPs, the empty rest after the last CRLF
    assert "Eröffnung und Feststellung der Beschlussfähigkeit" in text
    assert "Präsenz".encode() in data  # umlauts as UTF-8, not Windows-1252
    frame = _read(data)
    assert list(frame.columns) == GERMAN_HEADERS
    top2 = frame[frame["TOP"] == "2"].iloc[0]
    assert top2["Gremium"] == COMMITTEE
    assert top2["Sitzung"] == "1"
    assert top2["Datum"] == "10.04.2019"
    assert (top2["Beginn"], top2["Ende"], top2["Ort"]) == ("10:00", "13:00", "Schwerin")
    assert top2["Sitzungsart"] == "Präsenz"
    assert top2["öffentlich"] == "nein"
    assert top2["Beschluss-Nr."] == "LA-2019/01"
    assert top2["Art"] == "Beschluss"
    assert top2["Ergebnis"] == "einstimmig angenommen"
    assert (top2["Ja"], top2["Nein"], top2["Enthaltung"], top2["befangen"]) == ("7", "0", "0", "0")
    # Eight present and one represented (Martin Muster by Tobias Testfeld).
    assert top2["Anwesende"] == "9"
    assert top2["Umsetzungsstand"] == "erledigt"
    top4 = frame[frame["TOP"] == "4"].iloc[0]
    assert top4["Verantwortlich"] == "Land Mecklenburg-Vorpommern"
    assert top4["Frist"] == "31.12.2019"
    top1 = frame[frame["TOP"] == "1"].iloc[0]
    assert top1["Beschluss-Nr."] == ""
    assert top1["Ergebnis"].startswith("Die Vorsitzende eröffnet")


def test_line_breaks_are_quoted_and_formulas_neutralised(session: Session, tricky: Meeting) -> None:
    data = minutes_csv(session, meeting_id=tricky.id)
    text = data.decode("utf-8-sig")
    assert '"\'- erster Punkt\n- zweiter Punkt; mit Semikolon"' in text
    assert ";'=SUMME(A1);" in text
    assert ";-42;" in text  # a plain negative number stays a number
    frame = _read(data)
    six = frame[frame["TOP"] == "6"].iloc[0]
    assert six["Titel"] == "'=SUMME(A1)"
    assert six["öffentlich"] == "ja"
    assert six["Ergebnis"] == "'- erster Punkt\n- zweiter Punkt; mit Semikolon"
    seven = frame[frame["TOP"] == "7"].iloc[0]
    assert seven["Titel"] == "-42"
    assert pd.to_numeric(seven["Titel"]) == -42


def test_round_trip_through_pandas_gives_the_same_values(session: Session, tricky: Meeting) -> None:
    rows = list(minutes_rows(session, meeting_id=tricky.id))
    frame = _read(minutes_csv(session, meeting_id=tricky.id))
    assert len(frame) == len(rows) == 7
    for row, (_, read) in zip(rows, frame.iterrows(), strict=True):
        assert read["Gremium"] == row["committee"]
        assert read["Sitzung"] == str(row["meeting"])
        assert read["Datum"] == row["date"].strftime("%d.%m.%Y")
        assert read["TOP"] == row["agenda_item"]
        assert read["Titel"].removeprefix("'") == row["title"]
        assert read["Beschlusstext"] == (row["decision_text"] or "")
        assert read["Ja"] == ("" if row["votes_yes"] is None else str(row["votes_yes"]))
        assert read["Anwesende"] == str(row["attendees"])
        assert read["Verantwortlich"] == (row["responsible"] or "")


def test_rfc_4180_uses_machine_headers_iso_dates_and_codes(session: Session, demo: Meeting) -> None:
    data = minutes_csv(session, meeting_id=demo.id, dialect=RFC_4180)
    assert not data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert list(frame.columns) == MACHINE_HEADERS
    top4 = frame[frame["agenda_item"] == "4"].iloc[0]
    assert top4["date"] == "2019-04-10"
    assert top4["due_date"] == "2019-12-31"
    assert top4["public"] == "false"
    assert top4["meeting_kind"] == "in_person"
    assert top4["result"] == "adopted_unanimously"
    assert top4["follow_up_status"] == "done"


def test_circulation_gives_one_row_per_decision_without_top(
    session: Session, demo: Meeting
) -> None:
    circulation = _demo_meeting(session, 3)
    frame = _read(minutes_csv(session, meeting_id=circulation.id))
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["TOP"] == ""
    assert row["Sitzungsart"] == "Umlaufverfahren"
    assert row["Beschluss-Nr."] == "LA-2020/01"
    assert row["Ja"] == "8"


def test_scope_by_committee_period_and_everything(session: Session, demo: Meeting) -> None:
    whole = _read(minutes_csv(session, committee_id=demo.committee_id))
    assert set(whole["Gremium"]) == {COMMITTEE}
    assert {"LA-2019/01", "LA-2020/01"} <= set(whole["Beschluss-Nr."])
    period = _read(
        minutes_csv(
            session,
            committee_id=demo.committee_id,
            since=date(2019, 4, 10),
            until=date(2019, 4, 10),
        )
    )
    assert set(period["Datum"]) == {"10.04.2019"}
    assert len(period) == 5
    everything = _read(minutes_csv(session))
    assert len(set(everything["Gremium"])) > 1
    # Sorted by meeting start: the Sachsen summit of 09.04.2019 comes first.
    dates = pd.to_datetime(everything["Datum"], format="%d.%m.%Y")
    assert dates.is_monotonic_increasing


def test_non_public_items_are_left_out_on_request(session: Session, tricky: Meeting) -> None:
    frame = _read(minutes_csv(session, meeting_id=tricky.id, include_non_public=False))
    assert list(frame["TOP"]) == ["6"]
    circulation = _demo_meeting(session, 3)
    assert (
        len(_read(minutes_csv(session, meeting_id=circulation.id, include_non_public=False))) == 0
    )


def test_progress_is_reported_up_to_the_end(session: Session, demo: Meeting) -> None:
    seen: list[float] = []
    minutes_csv(session, progress=seen.append)
    assert seen
    assert seen[-1] == 1.0


def test_unknown_ids_raise_german_errors(session: Session, demo: Meeting) -> None:
    with pytest.raises(NotFoundError, match="gibt es nicht"):
        minutes_csv(session, meeting_id=9999)
    with pytest.raises(NotFoundError, match="gibt es nicht"):
        attendance_csv(session, committee_id=9999)


def test_attendance_csv_lists_roles_delegations_and_substitutes(
    session: Session, demo: Meeting
) -> None:
    data = attendance_csv(session, meeting_id=demo.id)
    assert data.startswith(b"\xef\xbb\xbf")
    frame = _read(data)
    assert list(frame.columns) == list(ATTENDANCE_COLUMNS.values())
    assert list(frame.columns) == [
        "Sitzung",
        "Person",
        "entsandt von",
        "Rolle",
        "Status",
        "vertreten durch",
    ]
    assert len(frame) == 10
    chair = frame.iloc[0]
    assert chair["Person"] == "Ina-Maria Ulbrich"
    assert chair["Rolle"] == "Vorsitz"
    assert chair["entsandt von"] == "Land Mecklenburg-Vorpommern"
    assert chair["Sitzung"].endswith("Sitzung Nr. 1 am 10.04.2019")
    muster = frame[frame["Person"] == "Martin Muster"].iloc[0]
    assert (muster["Status"], muster["vertreten durch"]) == ("vertreten", "Tobias Testfeld")
    assert frame[frame["Person"] == "Max Mustermann"].iloc[0]["Status"] == "entschuldigt"
    machine = pd.read_csv(
        io.BytesIO(attendance_csv(session, meeting_id=demo.id, dialect=RFC_4180)), dtype=str
    )
    assert list(machine.columns) == list(ATTENDANCE_COLUMNS)
    assert "represented" in set(machine["status"])


def test_a_new_decision_shows_up_with_its_votes(session: Session, tricky: Meeting) -> None:
    item = meetings.agenda(session, tricky.id)
    seven = int(item[item["number"] == "7"]["id"].iloc[0])
    decisions.record_decision(
        session=session,
        actor=ACTOR,
        data={
            "meeting_id": tricky.id,
            "agenda_item_id": seven,
            "reference": "LA-2019/99",
            "text": "Zeile eins\r\nZeile zwei",
            "result": "adopted_by_majority",
            "votes_yes": 5,
            "votes_no": 1,
            "votes_abstain": 1,
            "votes_biased": 0,
        },
    )
    row = _read(minutes_csv(session, meeting_id=tricky.id)).set_index("TOP").loc["7"]
    assert row["Beschlusstext"] == "Zeile eins\nZeile zwei"
    assert (row["Ja"], row["Nein"], row["Enthaltung"]) == ("5", "1", "1")
    assert row["Ergebnis"] == "mehrheitlich angenommen"
