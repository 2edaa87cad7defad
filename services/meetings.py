"""Sitzungen, Tagesordnung and Anwesenheit: commands, the quorum rule and queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from math import floor
from typing import Any

import pandas as pd
from pydantic import BaseModel
from sqlalchemy import case
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, or_, select

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
    Membership,
    Organization,
    Person,
)
from models.enums import (
    AttendanceStatus,
    DecisionKind,
    DecisionResult,
    MeetingKind,
    MeetingState,
    QuorumRule,
)
from services.actor import Actor
from services.committees import composition, voting_members_on
from services.errors import ConflictError, DomainError, FieldError, PermissionDeniedError
from services.paging import DEFAULT_PAGE_SIZE, Page, fetch_page
from services.periods import BERLIN, format_date, valid_on
from services.validation import validate
from services.write import (
    EntityCommands,
    add_row,
    apply_changes,
    find_one,
    get_row,
    key,
    require_active,
    transaction,
)

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
    clash = select(AgendaItem.id).where(
        AgendaItem.meeting_id == values.meeting_id,
        AgendaItem.number == values.number,
        col(AgendaItem.archived).is_(False),
    )
    if current is not None:
        clash = clash.where(AgendaItem.id != current.id)
    if session.exec(clash).first() is not None:
        raise DomainError(f"„TOP“ {values.number} gibt es in dieser Sitzung bereits.", "number")
    if current is not None and current.meeting_id != values.meeting_id:
        raise DomainError(
            "„Sitzung“ eines Tagesordnungspunkts kann nicht geändert werden.", "meeting_id"
        )


def _check_agenda_item_archivable(session: Session, item: AgendaItem, _current: object) -> None:
    editable_meeting(session, item.meeting_id)
    decision = find_one(session, Decision, agenda_item_id=item.id)
    if decision is not None and not decision.archived:
        raise DomainError(
            f"TOP {item.number} hat den Beschluss {decision.reference}; archivieren Sie zuerst "
            "den Beschluss, damit er nicht ohne Tagesordnungspunkt in der Niederschrift steht.",
            "agenda_item_id",
        )


AGENDA_ITEMS = EntityCommands(
    AgendaItem,
    AgendaItemCreate,
    AgendaItemUpdate,
    _check_agenda_item,
    archive_check=_check_agenda_item_archivable,
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


# --- the meeting list ------------------------------------------------------------------

CANCELLED = "cancelled"
# The states a secretary filters by: the workflow states, plus abgesagt (a flag, not a state).
STATE_FILTERS = {**MeetingState.labels(), CANCELLED: "abgesagt"}
MEETING_COLUMNS = [
    "id",
    "committee_id",
    "committee",
    "number",
    "title",
    "kind",
    "start",
    "end",
    "location",
    "state",
    "archived",
]


def search_meetings(
    session: Session,
    *,
    committee_id: int | None = None,
    state: str | None = None,
    upcoming_first: bool = False,
    include_archived: bool = False,
    today: date | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page:
    """Meetings for the list, paged in SQL: newest first, or the coming ones first.

    `state` is a MeetingState code or "cancelled"; a cancelled meeting matches only
    "cancelled", whatever state it had reached.
    """
    statement = select(Meeting, Committee.name).join(
        Committee, col(Meeting.committee_id) == Committee.id
    )
    if committee_id is not None:
        statement = statement.where(Meeting.committee_id == committee_id)
    if state == CANCELLED:
        statement = statement.where(col(Meeting.cancelled).is_(True))
    elif state is not None:
        statement = statement.where(
            Meeting.state == MeetingState(state), col(Meeting.cancelled).is_(False)
        )
    if not include_archived:
        statement = statement.where(col(Meeting.archived).is_(False))
    if upcoming_first:
        # Meeting times are German wall-clock times; today's meetings count as coming.
        midnight = datetime.combine(today or datetime.now(BERLIN).date(), time(0, 0))
        coming = col(Meeting.start) >= midnight
        statement = statement.order_by(
            case((coming, 0), else_=1),
            case((coming, col(Meeting.start)), else_=None),
            col(Meeting.start).desc(),
            col(Meeting.id),
        )
    else:
        statement = statement.order_by(col(Meeting.start).desc(), col(Meeting.id).desc())

    def to_row(row: Any) -> dict[str, Any]:
        meeting, committee_name = row
        return {
            "id": meeting.id,
            "committee_id": meeting.committee_id,
            "committee": committee_name,
            "number": meeting.number,
            "title": meeting.title,
            "kind": meeting.kind.label,
            "start": meeting.start,
            "end": meeting.end,
            "location": meeting.location,
            "state": meeting_state_label(meeting),
            "archived": meeting.archived,
        }

    return fetch_page(
        session,
        statement,  # type: ignore[arg-type]  # sqlmodel's typed Select is a SQLAlchemy Select
        to_row,
        MEETING_COLUMNS,
        limit=limit,
        offset=offset,
    )


def meeting_state_label(meeting: Meeting) -> str:
    """The state as the secretary says it: abgesagt wins over the workflow state."""
    return "abgesagt" if meeting.cancelled else meeting.state.label


def schedule(
    day: date | None, start_time: time | None, end_time: time | None
) -> dict[str, datetime | None]:
    """`start` and `end` of a meeting held on one day (the form asks for a date and two times).

    Without a start time the meeting starts at 00:00; without a date there is no start,
    which validation reports as the missing „Beginn“.
    """
    if day is None:
        return {"start": None, "end": None}
    return {
        "start": datetime.combine(day, start_time or time(0, 0)),
        "end": datetime.combine(day, end_time) if end_time is not None else None,
    }


def allowed_transitions(meeting: Meeting) -> list[MeetingState]:
    """The states a meeting may move to next (forward; a closed one back to durchgeführt)."""
    if meeting.state == MeetingState.CLOSED:
        return [MeetingState.HELD]
    if meeting.cancelled:
        return []
    return STATE_ORDER[STATE_ORDER.index(meeting.state) + 1 :]


def can_be_cancelled(meeting: Meeting) -> bool:
    """Only a meeting that has not taken place can be called off."""
    return not meeting.cancelled and meeting.state not in _held_states()


# --- Tagesordnung: order and numbers ---------------------------------------------------


def _active_agenda(session: Session, meeting_id: int | None) -> list[AgendaItem]:
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id, col(AgendaItem.archived).is_(False))
            .order_by(col(AgendaItem.order), col(AgendaItem.id))
        )
    )


def next_agenda_order(session: Session, meeting_id: int) -> int:
    """The sort position after the last item of a meeting's agenda."""
    highest = session.exec(
        select(func.max(AgendaItem.order)).where(AgendaItem.meeting_id == meeting_id)
    ).one()
    return int(highest or 0) + 1


def append_agenda_item(
    *, session: Session, actor: Actor, data: BaseModel | dict[str, Any]
) -> AgendaItem:
    """Add a TOP at the end of the agenda (its sort position is assigned)."""
    values = validate(AgendaItemCreate, data)
    return add_agenda_item(
        session=session,
        actor=actor,
        data=data,
        extra={"order": next_agenda_order(session, values.meeting_id)},
    )


def move_agenda_item(
    *,
    session: Session,
    actor: Actor,
    row_id: int,
    direction: int,
    expected_version: int | None = None,
) -> AgendaItem:
    """Move a TOP one place up (-1) or down (+1); the agenda's positions become 1, 2, 3 …"""
    if direction not in (-1, 1):
        raise ValueError(f"direction must be -1 or +1, not {direction}")
    with transaction(session):
        item = get_row(session, AgendaItem, row_id)
        editable_meeting(session, item.meeting_id)
        if item.archived:
            raise DomainError(
                f"TOP {item.number} ist archiviert und hat keinen Platz in der Tagesordnung.",
                "order",
            )
        items = _active_agenda(session, item.meeting_id)
        position = next(index for index, row in enumerate(items) if row.id == item.id)
        target = position + direction
        if not 0 <= target < len(items):
            where = "oben" if direction < 0 else "unten"
            raise DomainError(f"TOP {item.number} steht bereits ganz {where}.", "order")
        items.insert(target, items.pop(position))
        for index, row in enumerate(items, start=1):
            version = expected_version if row.id == item.id else None
            apply_changes(session, actor, row, {"order": index}, version)
    session.refresh(item)
    return item


def renumber_agenda(*, session: Session, actor: Actor, meeting_id: int) -> list[AgendaItem]:
    """Give the TOPs the labels 1, 2, 3 … in their current order, in one transaction."""
    with transaction(session):
        editable_meeting(session, meeting_id)
        items = _active_agenda(session, meeting_id)
        # The final labels are unique by construction; the per-item uniqueness check would
        # trip over the intermediate states (TOP 2 becoming 1 while the old 1 still exists).
        for index, item in enumerate(items, start=1):
            apply_changes(session, actor, item, {"number": str(index), "order": index})
    for item in items:
        session.refresh(item)
    return items


# --- Anwesenheit: the attendance sheet -------------------------------------------------


def restore_attendance(
    *, session: Session, actor: Actor, row_id: int, expected_version: int | None = None
) -> Attendance:
    """Put a removed attendance entry back, while the meeting is still open."""
    row = get_row(session, Attendance, row_id)
    editable_meeting(session, row.meeting_id)
    return ATTENDANCES.restore(
        session=session, actor=actor, row_id=row_id, expected_version=expected_version
    )


def save_attendance(
    *, session: Session, actor: Actor, meeting_id: int, entries: list[dict[str, Any]]
) -> list[Attendance]:
    """Record the attendance sheet: one row per person, created or updated, all or nothing.

    Each entry holds `person_id`, `status`, `substitute_id` and optionally
    `expected_version`. Errors name the entry: the field is `<field>.<person_id>` and the
    message starts with the person's name, so every wrong line can be shown at once.
    """
    saved: list[Attendance] = []
    errors: list[FieldError] = []
    with transaction(session):
        meeting = editable_meeting(session, meeting_id)
        if meeting.kind == MeetingKind.CIRCULATION:
            raise DomainError("Bei einem Umlaufverfahren gibt es keine Anwesenheit.", "meeting_id")
        seen: set[Any] = set()
        for entry in entries:
            # Anything but a plain id is left to the line's validation to refuse.
            person_id = entry.get("person_id")
            person_key = str(person_id) if isinstance(person_id, int | str) else None
            try:
                if person_key is not None and person_key in seen:
                    raise DomainError(
                        "„Person“ steht mehrfach auf der Anwesenheitsliste.", "person_id"
                    )
                seen.add(person_key)
                saved.append(_save_attendance_entry(session, actor, meeting_id, entry))
            except (PermissionDeniedError, ConflictError):
                # Not a mistake in one line of the sheet: the whole sheet is not the actor's,
                # or someone else saved it first.
                raise
            except DomainError as exc:
                name = _person_name(session, person_id)
                errors.extend(
                    FieldError(
                        f"{error.field}.{person_id}" if error.field else None,
                        f"{name}: {error.message}",
                    )
                    for error in exc.errors
                )
        if errors:
            raise DomainError.many(errors)
    for row in saved:
        session.refresh(row)
    return saved


def _save_attendance_entry(
    session: Session, actor: Actor, meeting_id: int, entry: dict[str, Any]
) -> Attendance:
    data = {k: v for k, v in entry.items() if k != "expected_version"}
    values = validate(AttendanceCreate, {**data, "meeting_id": meeting_id})
    current = find_one(session, Attendance, meeting_id=meeting_id, person_id=values.person_id)
    _check_attendance(session, values, current)
    if current is None:
        return add_row(session, actor, Attendance, values.model_dump())
    # A person removed from the sheet earlier comes back with the new status.
    changes: dict[str, Any] = {
        "status": values.status,
        "substitute_id": values.substitute_id,
        "archived": False,
    }
    if "source" in data:
        changes["source"] = values.source
    apply_changes(session, actor, current, changes, entry.get("expected_version"))
    return current


def _person_name(session: Session, person_id: Any) -> str:
    person = session.get(Person, person_id) if isinstance(person_id, int) else None
    return person.full_name if person is not None else f"Person Nr. {person_id}"


ATTENDANCE_SHEET_COLUMNS = [
    "person_id",
    "name",
    "role",
    "on_behalf_of",
    "voting_right",
    "attendance_id",
    "status",
    "status_label",
    "substitute_id",
    "substitute",
    "version",
]


def attendance_sheet(session: Session, meeting_id: int) -> pd.DataFrame:
    """The members valid on the meeting day, each with the attendance recorded so far.

    `status` is the code (None while not recorded), `status_label` its German label.
    """
    meeting = get_row(session, Meeting, meeting_id)
    members = composition(session, meeting.committee_id, meeting.start.date())
    recorded = _recorded_attendance(session, meeting_id)
    rows = []
    for member in members.to_dict("records"):
        person_id = int(member["person_id"])
        attendance, substitute = recorded.get(person_id, (None, None))
        rows.append(
            {
                "person_id": person_id,
                "name": member["name"],
                "role": member["role"],
                "on_behalf_of": member["on_behalf_of"],
                "voting_right": bool(member["voting_right"]),
                "attendance_id": attendance.id if attendance else None,
                "status": attendance.status.value if attendance else None,
                "status_label": attendance.status.label if attendance else "nicht erfasst",
                "substitute_id": attendance.substitute_id if attendance else None,
                "substitute": substitute,
                "version": attendance.version if attendance else None,
            }
        )
    return pd.DataFrame(rows, columns=ATTENDANCE_SHEET_COLUMNS, dtype=object)


def _recorded_attendance(
    session: Session, meeting_id: int
) -> dict[int, tuple[Attendance | None, str | None]]:
    substitute = aliased(Person)
    statement = (
        select(Attendance, substitute)
        .join(substitute, col(Attendance.substitute_id) == substitute.id, isouter=True)
        .where(Attendance.meeting_id == meeting_id, col(Attendance.archived).is_(False))
    )
    return {
        attendance.person_id: (attendance, deputy.full_name if deputy is not None else None)
        for attendance, deputy in session.exec(statement)
    }


GUEST_COLUMNS = ["id", "person_id", "name", "status", "substitute", "version", "archived"]


def guests(session: Session, meeting_id: int, *, archived: bool = False) -> pd.DataFrame:
    """Attendance of persons who were not members on the meeting day (guests)."""
    meeting = get_row(session, Meeting, meeting_id)
    member_ids = _member_ids_on(session, meeting)
    recorded = {
        person_id: pair
        for person_id, pair in _all_attendance(session, meeting_id, archived).items()
        if person_id not in member_ids
    }
    rows = [
        {
            "id": attendance.id,
            "person_id": attendance.person_id,
            "name": name,
            "status": attendance.status.label,
            "substitute": None,
            "version": attendance.version,
            "archived": attendance.archived,
        }
        for attendance, name in recorded.values()
    ]
    rows.sort(key=lambda row: str(row["name"]))
    return pd.DataFrame(rows, columns=GUEST_COLUMNS, dtype=object)


def _all_attendance(
    session: Session, meeting_id: int, archived: bool
) -> dict[int, tuple[Attendance, str]]:
    statement = (
        select(Attendance, Person)
        .join(Person, col(Attendance.person_id) == Person.id)
        .where(Attendance.meeting_id == meeting_id, col(Attendance.archived).is_(archived))
    )
    return {
        attendance.person_id: (attendance, person.full_name)
        for attendance, person in session.exec(statement)
    }


def _member_ids_on(session: Session, meeting: Meeting) -> set[int]:
    day = meeting.start.date()
    statement = select(Membership.person_id).where(
        Membership.committee_id == meeting.committee_id,
        col(Membership.archived).is_(False),
        or_(col(Membership.start_date).is_(None), col(Membership.start_date) <= day),
        or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= day),
    )
    return set(session.exec(statement))


def person_options(
    session: Session,
    meeting_id: int,
    *,
    search: str | None = None,
    include: Iterable[int | None] = (),
    exclude: Iterable[int] = (),
    limit: int = 50,
) -> dict[int, str]:
    """Persons to pick as substitute or guest: the committee's people on the meeting day,
    those already on the sheet, `include` (what the user picked), and up to `limit`
    persons whose name matches `search`."""
    meeting = get_row(session, Meeting, meeting_id)
    wanted = {person_id for person_id in include if person_id is not None}
    wanted |= _member_ids_on(session, meeting) | set(
        session.exec(select(Attendance.person_id).where(Attendance.meeting_id == meeting_id))
    )
    wanted |= {
        substitute_id
        for substitute_id in session.exec(
            select(Attendance.substitute_id).where(Attendance.meeting_id == meeting_id)
        )
        if substitute_id is not None
    }
    condition: Any = col(Person.id).in_(wanted)
    if search and search.strip():
        pattern = f"%{search.strip()}%"
        matches = session.exec(
            select(Person.id)
            .where(
                col(Person.archived).is_(False),
                col(Person.family_name).ilike(pattern) | col(Person.given_name).ilike(pattern),
            )
            .order_by(col(Person.family_name), col(Person.given_name))
            .limit(limit)
        ).all()
        condition = condition | col(Person.id).in_(matches)
    excluded = set(exclude)
    statement = (
        select(Person)
        .where(condition, col(Person.archived).is_(False))
        .order_by(col(Person.family_name), col(Person.given_name), col(Person.id))
    )
    return {
        person.id: person.full_name
        for person in session.exec(statement)
        if person.id is not None and person.id not in excluded
    }


# --- Beschlüsse of a meeting ------------------------------------------------------------

NO_OUTCOME = "noch kein Ergebnis"
AGENDA_COLUMNS = [
    "id",
    "number",
    "order",
    "title",
    "description",
    "public",
    "minutes_note",
    "version",
    "decision_id",
    "decision_reference",
    "outcome",
]


def agenda(session: Session, meeting_id: int, *, archived: bool = False) -> pd.DataFrame:
    """The meeting's TOPs in order, each with the decision taken on it (if any)."""
    statement = (
        select(AgendaItem, Decision.id, Decision.reference)
        .join(Decision, col(Decision.agenda_item_id) == AgendaItem.id, isouter=True)
        .where(AgendaItem.meeting_id == meeting_id, col(AgendaItem.archived).is_(archived))
        .order_by(col(AgendaItem.order), col(AgendaItem.id))
    )
    rows = [
        {
            "id": item.id,
            "number": item.number,
            "order": item.order,
            "title": item.title,
            "description": item.description,
            "public": item.public,
            "minutes_note": item.minutes_note,
            "version": item.version,
            "decision_id": decision_id,
            "decision_reference": reference,
            "outcome": f"Beschluss {reference}"
            if reference
            else (item.minutes_note or "").strip() or NO_OUTCOME,
        }
        for item, decision_id, reference in session.exec(statement)
    ]
    return pd.DataFrame(rows, columns=AGENDA_COLUMNS, dtype=object)


MEETING_DECISION_COLUMNS = [
    "id",
    "agenda_item_id",
    "reference",
    "kind",
    "kind_label",
    "text",
    "result",
    "result_label",
    "votes_yes",
    "votes_no",
    "votes_abstain",
    "votes_biased",
    "vote_mode",
    "vote_mode_label",
    "responsible_organization_id",
    "responsible",
    "due_date",
    "version",
    "conflict",
]


def meeting_decisions(session: Session, meeting_id: int) -> pd.DataFrame:
    """The meeting's decisions with codes (for editing), labels and a result-conflict warning."""
    # services.decisions builds on this module, so it is imported where it is needed.
    from services.decisions import result_conflict

    statement = (
        select(Decision, Organization.name)
        .join(
            Organization,
            col(Decision.responsible_organization_id) == Organization.id,
            isouter=True,
        )
        .where(Decision.meeting_id == meeting_id, col(Decision.archived).is_(False))
        .order_by(col(Decision.reference), col(Decision.id))
    )
    rows = [
        {
            "id": decision.id,
            "agenda_item_id": decision.agenda_item_id,
            "reference": decision.reference,
            "kind": decision.kind.value,
            "kind_label": decision.kind.label,
            "text": decision.text,
            "result": decision.result.value if decision.result else None,
            "result_label": decision.result.label if decision.result else "",
            "votes_yes": decision.votes_yes,
            "votes_no": decision.votes_no,
            "votes_abstain": decision.votes_abstain,
            "votes_biased": decision.votes_biased,
            "vote_mode": decision.vote_mode.value,
            "vote_mode_label": decision.vote_mode.label,
            "responsible_organization_id": decision.responsible_organization_id,
            "responsible": responsible,
            "due_date": decision.due_date,
            "version": decision.version,
            "conflict": result_conflict(session, decision),
        }
        for decision, responsible in session.exec(statement)
    ]
    return pd.DataFrame(rows, columns=MEETING_DECISION_COLUMNS, dtype=object)


def proposed_result(
    session: Session,
    meeting_id: int,
    *,
    kind: DecisionKind | str | None,
    yes: int | None,
    no: int | None,
    abstain: int | None,
) -> DecisionResult | None:
    """The result the vote counts give under the committee's majority rule.

    The absolute majority counts against the committee's voting seats (as the quorum
    does); a Kenntnisnahme without votes is „zur Kenntnis genommen“.
    """
    from services.decisions import propose_result

    meeting = get_row(session, Meeting, meeting_id)
    committee = get_row(session, Committee, meeting.committee_id)
    proposal = propose_result(
        yes=yes,
        no=no,
        abstain=abstain,
        rule=committee.majority_rule,
        voting_members=quorum(session, meeting_id).seats,
    )
    if proposal is None and kind == DecisionKind.ACKNOWLEDGEMENT:
        return DecisionResult.NOTED
    return proposal


def responsible_options(
    session: Session,
    meeting_id: int,
    *,
    search: str | None = None,
    include: Iterable[int | None] = (),
    limit: int = 50,
) -> dict[int, str]:
    """Organizations to name as responsible: the host, those sending members on the meeting
    day, those already responsible for this meeting's decisions, `include` (what the user
    picked) and up to `limit` organizations whose name matches `search`."""
    meeting = get_row(session, Meeting, meeting_id)
    committee = get_row(session, Committee, meeting.committee_id)
    day = meeting.start.date()
    wanted = {committee.host_organization_id, *include} | set(
        session.exec(
            select(Membership.on_behalf_of_id).where(
                Membership.committee_id == committee.id,
                col(Membership.archived).is_(False),
                or_(col(Membership.start_date).is_(None), col(Membership.start_date) <= day),
                or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= day),
            )
        )
    )
    wanted |= set(
        session.exec(
            select(Decision.responsible_organization_id).where(Decision.meeting_id == meeting_id)
        )
    )
    condition: Any = col(Organization.id).in_([org_id for org_id in wanted if org_id is not None])
    if search and search.strip():
        pattern = f"%{search.strip()}%"
        matches = session.exec(
            select(Organization.id)
            .where(
                col(Organization.archived).is_(False),
                col(Organization.name).ilike(pattern) | col(Organization.short_name).ilike(pattern),
            )
            .order_by(col(Organization.name))
            .limit(limit)
        ).all()
        condition = condition | col(Organization.id).in_(matches)
    statement = (
        select(Organization)
        .where(condition, col(Organization.archived).is_(False))
        .order_by(col(Organization.name), col(Organization.id))
    )
    return {org.id: org.name for org in session.exec(statement) if org.id is not None}


def meeting_label(number: int | None, start: datetime, title: str | None) -> str:
    """How a meeting is named in links and lists: "Sitzung Nr. 2 am 20.11.2019 – Titel"."""
    label = f"Sitzung Nr. {number}" if number else "Sitzung"
    label += f" am {format_date(start.date())}"
    return f"{label} – {title}" if title else label


def meeting_choices(
    session: Session, *, keep: int | None = None, limit: int = 200
) -> dict[int, str]:
    """Recent meetings an agreement may have been agreed at, newest first."""
    statement = (
        select(Meeting, Committee.name)
        .join(Committee, col(Meeting.committee_id) == Committee.id)
        .where(col(Meeting.archived).is_(False))
        .order_by(col(Meeting.start).desc(), col(Meeting.id))
    )
    rows = list(session.exec(statement.limit(limit)))
    if keep is not None and keep not in {meeting.id for meeting, _ in rows}:
        rows += list(session.exec(statement.where(Meeting.id == keep)))
    return {
        key(meeting): f"{committee}: {meeting_label(meeting.number, meeting.start, meeting.title)}"
        for meeting, committee in rows
    }
