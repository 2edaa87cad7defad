"""Calendars: the .ics files parse with icalendar and carry time zone, agenda and status."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component
from sqlmodel import Session, select

from models import Committee, Meeting
from services import meetings
from services.calendar_export import committee_ics, meeting_ics
from services.errors import NotFoundError
from services.seed import load_demo_data
from tests.conftest import ACTOR, make_agenda_item, make_committee, make_meeting

BERLIN = ZoneInfo("Europe/Berlin")


def _events(content: bytes) -> tuple[Calendar, list[Component]]:
    calendar = Calendar.from_ical(content)
    return calendar, list(calendar.walk("VEVENT"))


def _demo_meeting(session: Session) -> Meeting:
    load_demo_data(session)
    committee = session.exec(
        select(Committee).where(Committee.name.startswith("Lenkungsausschuss"))  # type: ignore[attr-defined]
    ).one()
    return session.exec(
        select(Meeting).where(Meeting.committee_id == committee.id, Meeting.number == 1)
    ).one()


def test_demo_meeting_is_one_event_in_berlin_time(session: Session) -> None:
    meeting = _demo_meeting(session)
    calendar, events = _events(meeting_ics(session, meeting.id))  # type: ignore[arg-type]

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "Kooperationsraum" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]).startswith("Lenkungsausschuss E-Government")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]

    (event,) = events
    assert str(event["UID"]) == f"meeting-{meeting.id}@kooperationsraum"
    assert str(event["SUMMARY"]) == (
        "Lenkungsausschuss E-Government Mecklenburg-Vorpommern: Sitzung Nr. 1 – "
        "Sitzung des Lenkungsausschusses E-Government"
    )
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    start = event.decoded("DTSTART")
    assert start == datetime(2019, 4, 10, 10, 0, tzinfo=BERLIN)
    assert start.utcoffset().total_seconds() == 2 * 3600  # Sommerzeit
    assert event.decoded("DTEND") == datetime(2019, 4, 10, 13, 0, tzinfo=BERLIN)
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert str(event["LOCATION"]) == "Schwerin"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == meeting.version - 1
    description = str(event["DESCRIPTION"])
    assert "Tagesordnung:" in description
    assert "TOP 2 Wahl der stellvertretenden Vorsitzenden (nichtöffentlich)" in description


def test_non_public_items_stay_out_when_the_reader_may_not_see_them(session: Session) -> None:
    committee = make_committee(session)
    meeting = make_meeting(session, committee, location="Rathaus, Saal 1")
    make_agenda_item(session, meeting, number="1", order=1, title="Bericht", public=True)
    make_agenda_item(session, meeting, number="2", order=2, title="Personalsache", public=False)

    _, (full,) = _events(meeting_ics(session, meeting.id))  # type: ignore[arg-type]
    _, (public,) = _events(
        meeting_ics(session, meeting.id, include_non_public=False)  # type: ignore[arg-type]
    )

    assert "Personalsache (nichtöffentlich)" in str(full["DESCRIPTION"])
    assert "TOP 1 Bericht" in str(public["DESCRIPTION"])
    assert "Personalsache" not in str(public["DESCRIPTION"])
    assert str(full["STATUS"]) == "TENTATIVE"  # geplant, noch nicht eingeladen


def test_committee_calendar_marks_cancelled_and_leaves_out_archived(session: Session) -> None:
    committee = make_committee(session, name="Arbeitsgruppe Kalender", kind="working_group")
    winter = make_meeting(session, committee, start=datetime(2026, 1, 20, 9, 30))
    called_off = make_meeting(session, committee, start=datetime(2026, 3, 10, 10, 0))
    archived = make_meeting(session, committee, start=datetime(2026, 5, 5, 10, 0))
    meetings.cancel_meeting(session=session, actor=ACTOR, row_id=called_off.id)  # type: ignore[arg-type]
    meetings.archive_meeting(session=session, actor=ACTOR, row_id=archived.id)  # type: ignore[arg-type]

    calendar, events = _events(committee_ics(session, committee.id))  # type: ignore[arg-type]

    assert str(calendar["X-WR-CALNAME"]) == "Arbeitsgruppe Kalender"
    by_uid = {str(event["UID"]): event for event in events}
    assert set(by_uid) == {
        f"meeting-{winter.id}@kooperationsraum",
        f"meeting-{called_off.id}@kooperationsraum",
    }
    cancelled = by_uid[f"meeting-{called_off.id}@kooperationsraum"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("Abgesagt: Arbeitsgruppe Kalender")
    assert int(cancelled["SEQUENCE"]) == 1  # changed once since it was scheduled
    # Winter time: +01:00, the VTIMEZONE carries both offsets.
    start = by_uid[f"meeting-{winter.id}@kooperationsraum"].decoded("DTSTART")
    assert start.utcoffset().total_seconds() == 3600
    assert "DTEND" not in by_uid[f"meeting-{winter.id}@kooperationsraum"]


def test_archived_or_unknown_meeting_is_refused(session: Session) -> None:
    committee = make_committee(session)
    meeting = make_meeting(session, committee)
    meetings.archive_meeting(session=session, actor=ACTOR, row_id=meeting.id)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError, match="archiviert"):
        meeting_ics(session, meeting.id)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError, match="Sitzung"):
        meeting_ics(session, 9999)
