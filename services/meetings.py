"""Sitzungen, Tagesordnung and Anwesenheit: commands, the quorum rule and queries."""

from dataclasses import dataclass
from datetime import date
from math import floor
from typing import Any

import pandas as pd
from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from models import (
    AgendaItem,
    AgendaItemCreate,
    AgendaItemUpdate,
    Attendance,
    AttendanceCreate,
    AttendanceUpdate,
    Committee,
    Decision,
    Meeting,
    MeetingCreate,
    MeetingUpdate,
    Person,
)
from models.enums import AttendanceStatus, MeetingKind, MeetingState, QuorumRule
from services.actor import Actor
from services.committees import voting_members_on
from services.errors import DomainError
from services.periods import format_date, valid_on
from services.validation import validate
from services.write import EntityCommands, find_one, get_row, require_active

STATE_ORDER = list(MeetingState)


def _check_meeting(session: Session, values: MeetingCreate, current: Meeting | None) -> None:
    committee = require_active(session, Committee, values.committee_id, "committee_id")
    assert committee is not None
    if not valid_on(committee.start_date, committee.end_date, values.start.date()):
        raise DomainError(
            "„Beginn“ der Sitzung muss in der Bestehenszeit des Gremiums liegen "
            f"({format_date(committee.start_date) or 'offen'} bis "
            f"{format_date(committee.end_date) or 'offen'}).",
            "start",
        )
    if values.number is not None:
        other = find_one(session, Meeting, committee_id=values.committee_id, number=values.number)
        if other is not None and (current is None or other.id != current.id):
            raise DomainError(
                f"„Sitzungsnummer“ {values.number} ist in diesem Gremium bereits vergeben.",
                "number",
            )
    if current is None:
        return
    if current.committee_id != values.committee_id:
        raise DomainError("„Gremium“ einer Sitzung kann nicht geändert werden.", "committee_id")
    if values.state != current.state:
        _check_transition(session, current, values.state)
    if values.cancelled and not current.cancelled and current.state in _held_states():
        raise DomainError(
            "„abgesagt“: Eine durchgeführte Sitzung kann nicht abgesagt werden.", "cancelled"
        )
    swaps_circulation = MeetingKind.CIRCULATION in (values.kind, current.kind)
    if values.kind != current.kind and swaps_circulation and _has_children(session, current.id):
        raise DomainError(
            "„Sitzungsart“: Umlaufverfahren und Sitzung können nicht mehr getauscht werden, "
            "wenn schon Tagesordnung, Anwesenheit oder Beschlüsse erfasst sind.",
            "kind",
        )


def _held_states() -> set[MeetingState]:
    return {MeetingState.HELD, MeetingState.CLOSED}


def _check_transition(session: Session, meeting: Meeting, target: MeetingState) -> None:
    # Forward only (steps may be skipped); a closed meeting may be reopened for corrections.
    reopening = meeting.state == MeetingState.CLOSED and target == MeetingState.HELD
    if STATE_ORDER.index(target) < STATE_ORDER.index(meeting.state) and not reopening:
        raise DomainError(
            f"„Status“ kann nicht von „{meeting.state.label}“ auf „{target.label}“ "
            "zurückgesetzt werden.",
            "state",
        )
    if meeting.cancelled and target in _held_states():
        raise DomainError(
            f"„Status“: Eine abgesagte Sitzung kann nicht „{target.label}“ werden.", "state"
        )
    if target == MeetingState.CLOSED:
        missing = items_without_outcome(session, meeting.id)
        if missing:
            raise DomainError(
                "„Status“: Die Sitzung kann erst abgeschlossen werden, wenn jeder "
                "Tagesordnungspunkt ein Ergebnis (Beschluss oder Protokollnotiz) hat; es fehlt "
                f"bei TOP {', '.join(missing)}.",
                "state",
            )


def _has_children(session: Session, meeting_id: int | None) -> bool:
    return any(
        session.exec(select(model.id).where(model.meeting_id == meeting_id)).first() is not None
        for model in (AgendaItem, Attendance, Decision)
    )


MEETINGS = EntityCommands(Meeting, MeetingCreate, MeetingUpdate, _check_meeting)
update_meeting = MEETINGS.update
archive_meeting = MEETINGS.archive
restore_meeting = MEETINGS.restore


def create_meeting(*, session: Session, actor: Actor, data: BaseModel | dict[str, Any]) -> Meeting:
    """Schedule a meeting; without a number it gets the committee's next one."""
    values = validate(MeetingCreate, data)
    extra = {}
    if values.number is None:
        extra["number"] = next_meeting_number(session, values.committee_id)
    return MEETINGS.create(session=session, actor=actor, data=data, extra=extra)


def next_meeting_number(session: Session, committee_id: int) -> int:
    """The next free sequence number of a committee's meetings."""
    highest = session.exec(
        select(func.max(Meeting.number)).where(Meeting.committee_id == committee_id)
    ).one()
    return int(highest or 0) + 1


def change_meeting_state(
    *,
    session: Session,
    actor: Actor,
    row_id: int,
    state: MeetingState,
    expected_version: int | None = None,
) -> Meeting:
    """Move a meeting along geplant → eingeladen → durchgeführt → abgeschlossen."""
    return update_meeting(
        session=session,
        actor=actor,
        row_id=row_id,
        data={"state": state},
        expected_version=expected_version,
    )


def cancel_meeting(
    *, session: Session, actor: Actor, row_id: int, expected_version: int | None = None
) -> Meeting:
    """Mark a meeting that has not taken place as abgesagt."""
    return update_meeting(
        session=session,
        actor=actor,
        row_id=row_id,
        data={"cancelled": True},
        expected_version=expected_version,
    )


def editable_meeting(
    session: Session, meeting_id: int | None, field: str = "meeting_id"
) -> Meeting:
    """A meeting whose agenda, attendance and votes may still change (not closed, not archived)."""
    meeting = require_active(session, Meeting, meeting_id, field)
    assert meeting is not None
    if meeting.state == MeetingState.CLOSED:
        raise DomainError(
            "Die Sitzung ist abgeschlossen; Tagesordnung, Anwesenheit und Abstimmungen sind "
            "festgeschrieben. Setzen Sie sie zuerst auf „durchgeführt“ zurück.",
            field,
        )
    return meeting


def items_without_outcome(session: Session, meeting_id: int | None) -> list[str]:
    """Numbers of the agenda items with neither a decision nor a minutes note."""
    statement = (
        select(AgendaItem)
        .join(Decision, col(Decision.agenda_item_id) == AgendaItem.id, isouter=True)
        .where(
            AgendaItem.meeting_id == meeting_id,
            col(AgendaItem.archived).is_(False),
            col(Decision.id).is_(None),
        )
        .order_by(col(AgendaItem.order))
    )
    return [
        item.number for item in session.exec(statement) if not (item.minutes_note or "").strip()
    ]


def _check_agenda_item(
    session: Session, values: AgendaItemCreate, current: AgendaItem | None
) -> None:
    meeting = editable_meeting(session, values.meeting_id)
    if meeting.kind == MeetingKind.CIRCULATION:
        raise DomainError(
            "Ein Umlaufverfahren hat keine Tagesordnung; der Beschluss gehört zur Sitzung selbst.",
            "meeting_id",
        )
    other = find_one(session, AgendaItem, meeting_id=values.meeting_id, number=values.number)
    if other is not None and not other.archived and (current is None or other.id != current.id):
        raise DomainError(f"„TOP“ {values.number} gibt es in dieser Sitzung bereits.", "number")
    if current is not None and current.meeting_id != values.meeting_id:
        raise DomainError(
            "„Sitzung“ eines Tagesordnungspunkts kann nicht geändert werden.", "meeting_id"
        )


AGENDA_ITEMS = EntityCommands(
    AgendaItem,
    AgendaItemCreate,
    AgendaItemUpdate,
    _check_agenda_item,
    archive_check=lambda session, row, _current: editable_meeting(session, row.meeting_id),
)
add_agenda_item = AGENDA_ITEMS.create
update_agenda_item = AGENDA_ITEMS.update
archive_agenda_item = AGENDA_ITEMS.archive
restore_agenda_item = AGENDA_ITEMS.restore


def _check_attendance(
    session: Session, values: AttendanceCreate, current: Attendance | None
) -> None:
    meeting = editable_meeting(session, values.meeting_id)
    if meeting.kind == MeetingKind.CIRCULATION:
        raise DomainError("Bei einem Umlaufverfahren gibt es keine Anwesenheit.", "meeting_id")
    require_active(session, Person, values.person_id, "person_id")
    other = find_one(session, Attendance, meeting_id=values.meeting_id, person_id=values.person_id)
    if other is not None and (current is None or other.id != current.id):
        raise DomainError("„Person“ ist für diese Sitzung bereits erfasst.", "person_id")
    if values.status == AttendanceStatus.REPRESENTED:
        if values.substitute_id is None:
            raise DomainError(
                "„vertreten durch“ ist bei Status vertreten anzugeben.", "substitute_id"
            )
        if values.substitute_id == values.person_id:
            raise DomainError("„vertreten durch“ muss eine andere Person sein.", "substitute_id")
        require_active(session, Person, values.substitute_id, "substitute_id")
    elif values.substitute_id is not None:
        raise DomainError("„vertreten durch“ gibt es nur beim Status vertreten.", "substitute_id")


ATTENDANCES = EntityCommands(
    Attendance,
    AttendanceCreate,
    AttendanceUpdate,
    _check_attendance,
    archive_check=lambda session, row, _current: editable_meeting(session, row.meeting_id),
)
record_attendance = ATTENDANCES.create
update_attendance = ATTENDANCES.update
archive_attendance = ATTENDANCES.archive


@dataclass(frozen=True)
class Quorum:
    """Beschlussfähigkeit of a meeting from its attendance and its committee's rule."""

    seats: int
    present: int
    required: int
    rule: QuorumRule

    @property
    def reached(self) -> bool:
        return self.present >= self.required

    def statement(self) -> str:
        """The sentence for the minutes."""
        verdict = "beschlussfähig" if self.reached else "nicht beschlussfähig"
        return (
            f"Von {self.seats} stimmberechtigten Mitgliedern sind {self.present} anwesend oder "
            f"vertreten (erforderlich: {self.required}). Das Gremium ist {verdict}."
        )


def required_for_quorum(rule: QuorumRule, seats: int) -> int:
    """How many voting members must be present under `rule`."""
    if rule == QuorumRule.MORE_THAN_HALF:
        return floor(seats / 2) + 1
    if rule == QuorumRule.AT_LEAST_HALF:
        return -(-seats // 2)
    if rule == QuorumRule.TWO_THIRDS:
        return -(-seats * 2 // 3)
    if rule == QuorumRule.ALL:
        return seats
    return 0


def voting_present(session: Session, meeting: Meeting) -> int:
    """Voting members present or represented on the meeting day (a circulation: all of them)."""
    voting = voting_members_on(session, meeting.committee_id, meeting.start.date())
    if meeting.kind == MeetingKind.CIRCULATION:
        return len(voting)
    voting_persons = {membership.person_id for membership in voting}
    attending = session.exec(
        select(Attendance.person_id).where(
            Attendance.meeting_id == meeting.id,
            col(Attendance.archived).is_(False),
            col(Attendance.status).in_([AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED]),
        )
    ).all()
    return len(voting_persons.intersection(attending))


def quorum(session: Session, meeting_id: int) -> Quorum:
    """Whether the meeting is beschlussfähig; seats are the legal count if the committee sets one."""
    meeting = get_row(session, Meeting, meeting_id)
    committee = get_row(session, Committee, meeting.committee_id)
    seats = committee.seat_count or len(
        voting_members_on(session, meeting.committee_id, meeting.start.date())
    )
    return Quorum(
        seats=seats,
        present=voting_present(session, meeting),
        required=required_for_quorum(committee.quorum_rule, seats),
        rule=committee.quorum_rule,
    )


def list_meetings(
    session: Session,
    *,
    committee_id: int | None = None,
    since: date | None = None,
    include_archived: bool = False,
) -> pd.DataFrame:
    """Meetings with their committee, newest first."""
    statement = (
        select(Meeting, Committee.name)
        .join(Committee, col(Meeting.committee_id) == Committee.id)
        .order_by(col(Meeting.start).desc())
    )
    if committee_id is not None:
        statement = statement.where(Meeting.committee_id == committee_id)
    if since is not None:
        statement = statement.where(col(Meeting.start) >= since)
    if not include_archived:
        statement = statement.where(col(Meeting.archived).is_(False))
    rows = [
        {
            "id": meeting.id,
            "committee_id": meeting.committee_id,
            "committee": committee_name,
            "number": meeting.number,
            "title": meeting.title,
            "kind": meeting.kind.label,
            "start": meeting.start,
            "location": meeting.location,
            "state": "abgesagt" if meeting.cancelled else meeting.state.label,
            "source": meeting.source,
        }
        for meeting, committee_name in session.exec(statement)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "committee_id",
            "committee",
            "number",
            "title",
            "kind",
            "start",
            "location",
            "state",
            "source",
        ],
    )
