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
from models.enums import (
    AttendanceStatus,
    DecisionKind,
    DecisionResult,
    FollowUpStatus,
    MeetingKind,
    MembershipRole,
)
from services.csv_export import EXCEL_DE, CsvDialect, column_formatter, write_csv, write_records
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


def _code(column: Any) -> Any:
    """An enum column read as its plain code: the CSV maps codes to cells itself, so the
    driver-side enum conversion per row and column would be wasted work."""
    return sa.type_coerce(column, sa.String)


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
        _code(Meeting.kind).label("meeting_kind"),
    ]
    decision_columns: list[Any] = [
        col(Decision.reference).label("decision_reference"),
        _code(Decision.kind).label("decision_kind"),
        col(Decision.text).label("decision_text"),
        _code(Decision.result).label("decision_result"),
        col(Decision.votes_yes).label("votes_yes"),
        col(Decision.votes_no).label("votes_no"),
        col(Decision.votes_abstain).label("votes_abstain"),
        col(Decision.votes_biased).label("votes_biased"),
        attendees.c.attendees.label("attendees"),
        col(Organization.name).label("responsible"),
        col(Decision.due_date).label("due_date"),
        _code(Decision.follow_up_status).label("follow_up_status"),
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
    session: Session,
    statement: Any,
    total: int,
    progress: Progress | None,
    *,
    entities: bool = False,
) -> Iterator[Any]:
    # Statements of plain columns run on Core: the ORM's per-row bookkeeping would cost about
    # a third of the query's time. Only statements that load entities need the ORM.
    execute = session.execute if entities else session.connection().execute
    result = execute(statement.execution_options(yield_per=BATCH))
    done = 0
    for batch in result.partitions():
        yield from batch
        done += len(batch)
        if progress is not None and total:
            progress(min(done / total, 1.0))
    if progress is not None:
        progress(1.0)


MINUTES_KINDS: list[type | None] = [
    str,  # committee
    int,  # meeting
    date,  # date
    None,  # start: HH:MM
    None,  # end: HH:MM
    str,  # location
    MeetingKind,
    str,  # agenda_item
    str,  # title
    bool,  # public
    str,  # decision_reference
    DecisionKind,
    str,  # decision_text
    str,  # result: the decision's result as its label, or the item's minutes note
    int,  # votes_yes
    int,  # votes_no
    int,  # votes_abstain
    int,  # votes_biased
    int,  # attendees
    str,  # responsible
    date,  # due_date
    FollowUpStatus,
]


def _minutes_records(
    session: Session,
    *,
    meeting_id: int | None,
    committee_id: int | None,
    since: date | None,
    until: date | None,
    include_non_public: bool,
    progress: Progress | None,
    result: Callable[[Any], Any],
) -> Iterator[tuple[Any, ...]]:
    """One tuple per minutes row in MINUTES_COLUMNS order; enums may come as raw codes.

    `result` turns a decision's result into what shares the column with the minutes note.
    """
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
        (
            _meeting_id,
            committee,
            meeting,
            start,
            end,
            location,
            meeting_kind,
            _item_order,
            agenda_item,
            title,
            public,
            minutes_note,
            reference,
            decision_kind,
            decision_text,
            decision_result,
            votes_yes,
            votes_no,
            votes_abstain,
            votes_biased,
            attendees,
            responsible,
            due_date,
            follow_up_status,
        ) = row
        # Inline rather than helpers: this loop runs once per row of a country's minutes.
        if not isinstance(start, datetime):
            start = datetime.fromisoformat(str(start))
        if end is not None and not isinstance(end, datetime):
            end = datetime.fromisoformat(str(end))
        has_decision = reference is not None
        yield (
            committee,
            meeting,
            start.date(),
            f"{start.hour:02d}:{start.minute:02d}",
            "" if end is None else f"{end.hour:02d}:{end.minute:02d}",
            location,
            meeting_kind,
            agenda_item,
            title,
            bool(public),
            reference,
            decision_kind,
            decision_text,
            result(decision_result) if has_decision else minutes_note,
            votes_yes,
            votes_no,
            votes_abstain,
            votes_biased,
            attendees or 0,
            responsible,
            _as_date(due_date),
            follow_up_status if has_decision else None,
        )


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
    keys = list(MINUTES_COLUMNS)
    for record in _minutes_records(
        session,
        meeting_id=meeting_id,
        committee_id=committee_id,
        since=since,
        until=until,
        include_non_public=include_non_public,
        progress=progress,
        result=lambda value: _enum(value, "DecisionResult"),
    ):
        row = dict(zip(keys, record, strict=True))
        row["meeting_kind"] = _enum(row["meeting_kind"], "MeetingKind")
        row["decision_kind"] = _enum(row["decision_kind"], "DecisionKind")
        row["follow_up_status"] = _enum(row["follow_up_status"], "FollowUpStatus")
        yield row


def _enum(value: Any, enum_name: str) -> Any:
    """Columns read through a UNION lose their enum type on some backends; restore it."""
    if value is None or isinstance(value, Enum):
        return value
    from models import enums

    return getattr(enums, enum_name)(value)


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
    for row in _stream(session, statement, total, progress, entities=True):
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
    records = _minutes_records(
        session,
        meeting_id=meeting_id,
        committee_id=committee_id,
        since=since,
        until=until,
        include_non_public=include_non_public,
        progress=progress,
        result=column_formatter(DecisionResult, dialect),
    )
    return write_records(records, MINUTES_COLUMNS, MINUTES_KINDS, dialect)


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
