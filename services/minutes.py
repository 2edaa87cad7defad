"""Minutes and attendance as CSV: one row per agenda item, streamed from SQL joins.

At country scale the minutes run over hundreds of thousands of agenda items, so the rows
come from two joined queries read in batches (`yield_per`), never one query per item.
"""

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, or_, select

from models import (
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Meeting,
    Membership,
    Organization,
    Person,
)
from models.enums import AttendanceStatus, MembershipRole
from services.csv_export import EXCEL_DE, CsvDialect, write_csv
from services.meetings import meeting_label
from services.write import get_row

Progress = Callable[[float], None]

BATCH = 1000

MINUTES_COLUMNS = {
    "committee": "Gremium",
    "meeting": "Sitzung",
    "date": "Datum",
    "start": "Beginn",
    "end": "Ende",
    "location": "Ort",
    "meeting_kind": "Sitzungsart",
    "agenda_item": "TOP",
    "title": "Titel",
    "public": "öffentlich",
    "decision_reference": "Beschluss-Nr.",
    "decision_kind": "Art",
    "decision_text": "Beschlusstext",
    "result": "Ergebnis",
    "votes_yes": "Ja",
    "votes_no": "Nein",
    "votes_abstain": "Enthaltung",
    "votes_biased": "befangen",
    "attendees": "Anwesende",
    "responsible": "Verantwortlich",
    "due_date": "Frist",
    "follow_up_status": "Umsetzungsstand",
}

ATTENDANCE_COLUMNS = {
    "meeting": "Sitzung",
    "person": "Person",
    "on_behalf_of": "entsandt von",
    "role": "Rolle",
    "status": "Status",
    "substitute": "vertreten durch",
}

GUEST_ROLE = "Gast"
PRESENT_STATES = [AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED]


def _scope(
    session: Session,
    *,
    meeting_id: int | None,
    committee_id: int | None,
    since: date | None,
    until: date | None,
) -> list[Any]:
    """The WHERE conditions on Meeting for the chosen scope; unknown ids raise in German."""
    conditions: list[Any] = [col(Meeting.archived).is_(False)]
    if meeting_id is not None:
        get_row(session, Meeting, meeting_id, "meeting_id")
        return [*conditions, Meeting.id == meeting_id]
    # A cancelled meeting has no minutes; asked for by its id it still exports what it has.
    conditions.append(col(Meeting.cancelled).is_(False))
    if committee_id is not None:
        get_row(session, Committee, committee_id, "committee_id")
        conditions.append(Meeting.committee_id == committee_id)
    if since is not None:
        conditions.append(col(Meeting.start) >= datetime.combine(since, time(0, 0)))
    if until is not None:
        conditions.append(col(Meeting.start) < datetime.combine(until + timedelta(days=1), time()))
    return conditions


def _attendees_subquery() -> Any:
    return (
        select(Attendance.meeting_id, func.count().label("attendees"))
        .where(col(Attendance.archived).is_(False), col(Attendance.status).in_(PRESENT_STATES))
        .group_by(col(Attendance.meeting_id))
        .subquery()
    )


def _minutes_statements(conditions: list[Any], include_non_public: bool) -> tuple[Any, Any]:
    """Agenda items with their decision, and the Umlauf decisions without an item."""
    attendees = _attendees_subquery()
    meeting_columns: list[Any] = [
        col(Meeting.id).label("meeting_id"),
        col(Committee.name).label("committee"),
        col(Meeting.number).label("meeting"),
        col(Meeting.start).label("start"),
        col(Meeting.end).label("end"),
        col(Meeting.location).label("location"),
        col(Meeting.kind).label("meeting_kind"),
    ]
    decision_columns: list[Any] = [
        col(Decision.reference).label("decision_reference"),
        col(Decision.kind).label("decision_kind"),
        col(Decision.text).label("decision_text"),
        col(Decision.result).label("decision_result"),
        col(Decision.votes_yes).label("votes_yes"),
        col(Decision.votes_no).label("votes_no"),
        col(Decision.votes_abstain).label("votes_abstain"),
        col(Decision.votes_biased).label("votes_biased"),
        attendees.c.attendees.label("attendees"),
        col(Organization.name).label("responsible"),
        col(Decision.due_date).label("due_date"),
        col(Decision.follow_up_status).label("follow_up_status"),
    ]
    items = (
        sa.select(
            *meeting_columns,
            col(AgendaItem.order).label("item_order"),
            col(AgendaItem.number).label("agenda_item"),
            col(AgendaItem.title).label("title"),
            col(AgendaItem.public).label("public"),
            col(AgendaItem.minutes_note).label("minutes_note"),
            *decision_columns,
        )
        .select_from(Meeting)
        .join(Committee, col(Meeting.committee_id) == Committee.id)
        .join(AgendaItem, col(AgendaItem.meeting_id) == Meeting.id)
        .join(
            Decision,
            sa.and_(
                col(Decision.agenda_item_id) == AgendaItem.id, col(Decision.archived).is_(False)
            ),
            isouter=True,
        )
        .join(
            Organization,
            col(Decision.responsible_organization_id) == Organization.id,
            isouter=True,
        )
        .join(attendees, attendees.c.meeting_id == Meeting.id, isouter=True)
        .where(*conditions, col(AgendaItem.archived).is_(False))
    )
    circulated = (
        sa.select(
            *meeting_columns,
            sa.literal(-1).label("item_order"),
            sa.literal(None, sa.String).label("agenda_item"),
            sa.literal(None, sa.String).label("title"),
            col(Meeting.public).label("public"),
            sa.literal(None, sa.String).label("minutes_note"),
            *decision_columns,
        )
        .select_from(Meeting)
        .join(Committee, col(Meeting.committee_id) == Committee.id)
        .join(Decision, col(Decision.meeting_id) == Meeting.id)
        .join(
            Organization,
            col(Decision.responsible_organization_id) == Organization.id,
            isouter=True,
        )
        .join(attendees, attendees.c.meeting_id == Meeting.id, isouter=True)
        .where(
            *conditions,
            col(Decision.agenda_item_id).is_(None),
            col(Decision.archived).is_(False),
        )
    )
    if not include_non_public:
        items = items.where(col(AgendaItem.public).is_(True))
        circulated = circulated.where(col(Meeting.public).is_(True))
    return items, circulated


def _count(session: Session, statements: tuple[Any, ...]) -> int:
    return sum(
        int(session.execute(select(func.count()).select_from(s.subquery())).scalar_one())
        for s in statements
    )


def _stream(
    session: Session, statement: Any, total: int, progress: Progress | None
) -> Iterator[Any]:
    rows = session.execute(statement.execution_options(yield_per=BATCH))
    for done, row in enumerate(rows, start=1):
        yield row
        if progress is not None and total and done % BATCH == 0:
            progress(min(done / total, 1.0))
    if progress is not None:
        progress(1.0)


def _clock(moment: datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def minutes_rows(
    session: Session,
    *,
    meeting_id: int | None = None,
    committee_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    include_non_public: bool = True,
    progress: Progress | None = None,
) -> Iterator[dict[str, Any]]:
    """One dict per agenda item (Umlauf: per decision, TOP empty), keyed like MINUTES_COLUMNS."""
    conditions = _scope(
        session, meeting_id=meeting_id, committee_id=committee_id, since=since, until=until
    )
    items, circulated = _minutes_statements(conditions, include_non_public)
    union = sa.union_all(items, circulated).subquery()
    statement = sa.select(union).order_by(
        union.c.start,
        union.c.meeting_id,
        union.c.item_order,
        union.c.agenda_item,
        union.c.decision_reference,
    )
    total = _count(session, (items, circulated)) if progress is not None else 0
    for row in _stream(session, statement, total, progress):
        has_decision = row.decision_reference is not None
        result = row.decision_result if has_decision else row.minutes_note
        start = _as_datetime(row.start)
        assert start is not None
        end = _as_datetime(row.end)
        yield {
            "committee": row.committee,
            "meeting": row.meeting,
            "date": start.date(),
            "start": _clock(start),
            "end": _clock(end),
            "location": row.location,
            "meeting_kind": _enum(row.meeting_kind, "MeetingKind"),
            "agenda_item": row.agenda_item,
            "title": row.title,
            "public": bool(row.public),
            "decision_reference": row.decision_reference,
            "decision_kind": _enum(row.decision_kind, "DecisionKind"),
            "decision_text": row.decision_text,
            "result": _enum(result, "DecisionResult") if has_decision else result,
            "votes_yes": row.votes_yes,
            "votes_no": row.votes_no,
            "votes_abstain": row.votes_abstain,
            "votes_biased": row.votes_biased,
            "attendees": int(row.attendees or 0),
            "responsible": row.responsible,
            "due_date": _as_date(row.due_date),
            "follow_up_status": _enum(row.follow_up_status, "FollowUpStatus")
            if has_decision
            else None,
        }


def _enum(value: Any, enum_name: str) -> Any:
    """Columns read through a UNION lose their enum type on some backends; restore it."""
    if value is None or isinstance(value, Enum):
        return value
    from models import enums

    return getattr(enums, enum_name)(value)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value  # type: ignore[no-any-return]
    return date.fromisoformat(str(value)[:10])


def attendance_rows(
    session: Session,
    *,
    meeting_id: int | None = None,
    committee_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    include_non_public: bool = True,
    progress: Progress | None = None,
) -> Iterator[dict[str, Any]]:
    """One dict per attendance entry, with the membership valid on the meeting day."""
    conditions = _scope(
        session, meeting_id=meeting_id, committee_id=committee_id, since=since, until=until
    )
    if not include_non_public:
        conditions.append(col(Meeting.public).is_(True))
    person = aliased(Person)
    substitute = aliased(Person)
    day = func.date(Meeting.start)
    role_order = sa.case(
        {role: index for index, role in enumerate(MembershipRole)},
        value=col(Membership.role),
        else_=len(MembershipRole),
    )
    statement: Any = (
        sa.select(
            col(Committee.short_name),
            col(Committee.name),
            col(Meeting.number),
            col(Meeting.start),
            person,
            col(Organization.name).label("on_behalf_of"),
            col(Membership.role),
            col(Membership.deputy_rank),
            col(Attendance.status),
            substitute,
        )
        .select_from(Attendance)
        .join(Meeting, col(Attendance.meeting_id) == Meeting.id)
        .join(Committee, col(Meeting.committee_id) == Committee.id)
        .join(person, col(Attendance.person_id) == person.id)
        .join(substitute, col(Attendance.substitute_id) == substitute.id, isouter=True)
        .join(
            Membership,
            sa.and_(
                col(Membership.committee_id) == Meeting.committee_id,
                col(Membership.person_id) == Attendance.person_id,
                col(Membership.archived).is_(False),
                or_(col(Membership.start_date).is_(None), col(Membership.start_date) <= day),
                or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= day),
            ),
            isouter=True,
        )
        .join(Organization, col(Membership.on_behalf_of_id) == Organization.id, isouter=True)
        .where(*conditions, col(Attendance.archived).is_(False))
        .order_by(
            col(Meeting.start),
            col(Meeting.id),
            role_order,
            col(Membership.deputy_rank),
            col(person.family_name),
            col(person.given_name),
            col(person.id),
        )
    )
    total = 0
    if progress is not None:
        total = _count(session, (statement.order_by(None),))
    for row in _stream(session, statement, total, progress):
        (short, name, number, start, who, org, role, rank, status, deputy) = row
        role_label = (role.label + (f" ({rank}.)" if rank else "")) if role else GUEST_ROLE
        yield {
            "meeting": f"{short or name}: {meeting_label(number, start, None)}",
            "person": who.full_name,
            "on_behalf_of": org,
            "role": role_label,
            "status": status,
            "substitute": deputy.full_name if deputy is not None else None,
        }


def _machine(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Codes instead of German labels, so machine readers get stable values."""
    for row in rows:
        yield {k: v.value if isinstance(v, Enum) else v for k, v in row.items()}


def _with_dialect(rows: Iterator[dict[str, Any]], dialect: CsvDialect) -> Any:
    return rows if dialect.german_headers else _machine(rows)


def minutes_csv(
    session: Session,
    *,
    meeting_id: int | None = None,
    committee_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    dialect: CsvDialect = EXCEL_DE,
    include_non_public: bool = True,
    progress: Progress | None = None,
) -> bytes:
    """The minutes of one meeting, a committee (and period) or everything as CSV."""
    rows = minutes_rows(
        session,
        meeting_id=meeting_id,
        committee_id=committee_id,
        since=since,
        until=until,
        include_non_public=include_non_public,
        progress=progress,
    )
    return write_csv(_with_dialect(rows, dialect), MINUTES_COLUMNS, dialect)


def attendance_csv(
    session: Session,
    *,
    meeting_id: int | None = None,
    committee_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    dialect: CsvDialect = EXCEL_DE,
    include_non_public: bool = True,
    progress: Progress | None = None,
) -> bytes:
    """The attendance lists of the same scope as CSV."""
    rows = attendance_rows(
        session,
        meeting_id=meeting_id,
        committee_id=committee_id,
        since=since,
        until=until,
        include_non_public=include_non_public,
        progress=progress,
    )
    return write_csv(_with_dialect(rows, dialect), ATTENDANCE_COLUMNS, dialect)


def export_file_name(
    kind: str,
    *,
    meeting_id: int | None = None,
    committee_id: int | None = None,
    extension: str = "csv",
) -> str:
    """A download name such as "niederschrift_sitzung_3.docx" or "protokolle_gremium_2.csv"."""
    if meeting_id is not None:
        return f"{kind}_sitzung_{meeting_id}.{extension}"
    if committee_id is not None:
        return f"{kind}_gremium_{committee_id}.{extension}"
    return f"{kind}_alle.{extension}"
