"""Sitzungen as iCalendar (.ics) files that Outlook and Thunderbird import.

Times are the German wall-clock times of the invitation, written with TZID Europe/Berlin
and the matching VTIMEZONE, so every client shows them right across daylight saving.
A cancelled meeting stays in the file with STATUS:CANCELLED: a client that imported it
earlier then removes or strikes it instead of keeping a stale appointment.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from models import AgendaItem, Committee, Meeting
from models.enums import MeetingState
from services.errors import NotFoundError
from services.meetings import meeting_label
from services.periods import BERLIN
from services.write import get_row, key

PRODID = "-//Kooperationsraum//Sitzungskalender//DE"
UID_DOMAIN = "kooperationsraum"
ICS_MIME = "text/calendar"


def meeting_uid(meeting_id: int) -> str:
    """The stable UID of a meeting's event: re-importing updates instead of duplicating."""
    return f"meeting-{meeting_id}@{UID_DOMAIN}"


def meeting_ics(session: Session, meeting_id: int, *, include_non_public: bool = True) -> bytes:
    """One meeting as an .ics file (raises NotFoundError for an unknown or archived meeting)."""
    meeting = get_row(session, Meeting, meeting_id)
    if meeting.archived:
        raise NotFoundError(f"Sitzung mit der Nummer {meeting_id} ist archiviert.", "meeting_id")
    committee = get_row(session, Committee, meeting.committee_id)
    name = f"{committee.name}: {meeting_label(meeting.number, meeting.start, None)}"
    return _calendar(session, name, [(meeting, committee)], include_non_public)


def committee_ics(session: Session, committee_id: int, *, include_non_public: bool = True) -> bytes:
    """Every non-archived meeting of a committee as one .ics calendar."""
    committee = get_row(session, Committee, committee_id)
    meetings = session.exec(
        select(Meeting)
        .where(Meeting.committee_id == committee_id, col(Meeting.archived).is_(False))
        .order_by(col(Meeting.start), col(Meeting.id))
    )
    return _calendar(
        session, committee.name, [(m, committee) for m in meetings], include_non_public
    )


def ics_file_name(*, meeting_id: int | None = None, committee_id: int | None = None) -> str:
    """The download name of a calendar file."""
    if meeting_id is not None:
        return f"sitzung-{meeting_id}.ics"
    return f"gremium-{committee_id}-sitzungen.ics"


def _calendar(
    session: Session,
    name: str,
    meetings: Iterable[tuple[Meeting, Committee]],
    include_non_public: bool,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    stamp = datetime.now(UTC)
    for meeting, committee in meetings:
        calendar.add_component(_event(session, meeting, committee, include_non_public, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(
    session: Session,
    meeting: Meeting,
    committee: Committee,
    include_non_public: bool,
    stamp: datetime,
) -> Event:
    event = Event()
    event.add("uid", meeting_uid(key(meeting)))
    event.add("dtstamp", stamp)
    event.add("created", _utc(meeting.created_at))
    event.add("last-modified", _utc(meeting.updated_at))
    event.add("sequence", max(meeting.version - 1, 0))
    event.add("dtstart", meeting.start.replace(tzinfo=BERLIN))
    # Without a planned end the event has no length (RFC 5545 §3.6.1) rather than an invented one.
    if meeting.end is not None:
        event.add("dtend", meeting.end.replace(tzinfo=BERLIN))
    summary = f"{committee.name}: " + (
        f"Sitzung Nr. {meeting.number}" if meeting.number else "Sitzung"
    )
    if meeting.title:
        summary += f" – {meeting.title}"
    # Outlook ignores STATUS on import, so the word in the title tells its users too.
    event.add("summary", f"Abgesagt: {summary}" if meeting.cancelled else summary)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", _description(session, meeting, include_non_public))
    event.add("status", _status(meeting))
    event.add("class", "PUBLIC" if meeting.public else "CONFIDENTIAL")
    event.add("categories", [committee.short_name or committee.name])
    return event


def _status(meeting: Meeting) -> str:
    if meeting.cancelled:
        return "CANCELLED"
    return "TENTATIVE" if meeting.state == MeetingState.PLANNED else "CONFIRMED"


def _description(session: Session, meeting: Meeting, include_non_public: bool) -> str:
    lines = [f"Sitzungsart: {meeting.kind.label}"]
    if meeting.cancelled:
        lines.insert(0, "Die Sitzung ist abgesagt.")
    items = session.exec(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, col(AgendaItem.archived).is_(False))
        .order_by(col(AgendaItem.order), col(AgendaItem.id))
    ).all()
    shown = [item for item in items if item.public or include_non_public]
    if shown:
        lines += ["", "Tagesordnung:"]
        lines += [
            f"TOP {item.number} {item.title}" + ("" if item.public else " (nichtöffentlich)")
            for item in shown
        ]
    return "\n".join(lines)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back the stored UTC times without their zone.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
