"""Beschlüsse: recording, the vote rules, and the Beschlusskontrolle (follow-up)."""

from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy import and_, case, func, or_
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from models import (
    AgendaItem,
    Committee,
    Decision,
    DecisionCreate,
    DecisionUpdate,
    FollowUpNote,
    FollowUpNoteCreate,
    Meeting,
    Organization,
)
from models.enums import DecisionResult, FollowUpStatus, MajorityRule, MeetingKind, VoteMode
from services.actor import Actor
from services.errors import DomainError, NotFoundError
from services.meetings import editable_meeting, meeting_label, quorum, voting_present
from services.paging import DEFAULT_PAGE_SIZE, Page, fetch_page
from services.periods import format_date
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

# Fields a secretary keeps changing after the meeting is closed: the follow-up.
FOLLOW_UP_FIELDS = {"responsible_organization_id", "due_date", "follow_up_status"}
VOTE_FIELDS = ("votes_yes", "votes_no", "votes_abstain", "votes_biased")


def _check_decision(session: Session, values: DecisionCreate, current: Decision | None) -> None:
    require_active(
        session, Organization, values.responsible_organization_id, "responsible_organization_id"
    )
    if current is not None and _only_follow_up_changed(values, current):
        return
    meeting = editable_meeting(session, values.meeting_id)
    if current is not None and current.meeting_id != values.meeting_id:
        raise DomainError("„Sitzung“ eines Beschlusses kann nicht geändert werden.", "meeting_id")
    if meeting.kind == MeetingKind.CIRCULATION:
        if values.agenda_item_id is not None:
            raise DomainError(
                "„Tagesordnungspunkt“: Ein Umlaufbeschluss gehört zur Sitzung, nicht zu einem TOP.",
                "agenda_item_id",
            )
        if values.vote_mode != VoteMode.CIRCULATION:
            raise DomainError(
                "„Abstimmungsart“ ist bei einem Umlaufverfahren immer Umlauf.", "vote_mode"
            )
    else:
        if values.agenda_item_id is None:
            raise DomainError("„Tagesordnungspunkt“ ist ein Pflichtfeld.", "agenda_item_id")
        item = require_active(session, AgendaItem, values.agenda_item_id, "agenda_item_id")
        assert item is not None
        if item.meeting_id != meeting.id:
            raise DomainError(
                "„Tagesordnungspunkt“ gehört nicht zu dieser Sitzung.", "agenda_item_id"
            )
        other = find_one(session, Decision, agenda_item_id=values.agenda_item_id)
        if other is not None and (current is None or other.id != current.id):
            raise DomainError(
                f"Zu TOP {item.number} ist bereits der Beschluss {other.reference} erfasst.",
                "agenda_item_id",
            )
    other = find_one(
        session, Decision, committee_id=meeting.committee_id, reference=values.reference
    )
    if other is not None and (current is None or other.id != current.id):
        raise DomainError(
            f"„Beschluss-Nr.“ {values.reference} ist in diesem Gremium bereits vergeben.",
            "reference",
        )
    cast = sum(getattr(values, field) or 0 for field in VOTE_FIELDS)
    present = voting_present(session, meeting)
    if cast > present:
        raise DomainError(
            f"Die Stimmen (Ja, Nein, Enthaltung, befangen: zusammen {cast}) übersteigen die "
            f"{present} anwesenden oder vertretenen stimmberechtigten Mitglieder.",
            "votes_yes",
        )


def _only_follow_up_changed(values: DecisionCreate, current: Decision) -> bool:
    return all(
        getattr(values, field) == getattr(current, field)
        for field in DecisionCreate.model_fields
        if field not in FOLLOW_UP_FIELDS
    )


DECISIONS = EntityCommands(Decision, DecisionCreate, DecisionUpdate, _check_decision)
update_decision = DECISIONS.update
archive_decision = DECISIONS.archive
restore_decision = DECISIONS.restore


def record_decision(
    *, session: Session, actor: Actor, data: BaseModel | dict[str, Any]
) -> Decision:
    """Record a decision on an agenda item (or on an Umlaufverfahren)."""
    values = validate(DecisionCreate, data)
    meeting = get_row(session, Meeting, values.meeting_id, "meeting_id")
    return DECISIONS.create(
        session=session, actor=actor, data=data, extra={"committee_id": meeting.committee_id}
    )


def propose_result(
    *,
    yes: int | None,
    no: int | None,
    abstain: int | None,
    rule: MajorityRule,
    voting_members: int,
) -> DecisionResult | None:
    """The result the vote counts give under the committee's majority rule.

    Abstentions and biased members never count (GO IT-Planungsrat § 7 (4)).
    """
    if yes is None and no is None:
        return None
    yes, no = yes or 0, no or 0
    if rule == MajorityRule.ABSOLUTE:
        passed = yes > voting_members / 2
    elif rule == MajorityRule.TWO_THIRDS:
        passed = yes > 0 and 3 * yes >= 2 * (yes + no)
    elif rule == MajorityRule.UNANIMOUS:
        passed = yes > 0 and no == 0
    else:
        passed = yes > no
    if not passed:
        return DecisionResult.REJECTED
    return DecisionResult.ADOPTED_UNANIMOUSLY if no == 0 else DecisionResult.ADOPTED_BY_MAJORITY


def result_conflict(session: Session, decision: Decision) -> str | None:
    """A German warning when the recorded result contradicts the vote counts, else None."""
    counted = (
        DecisionResult.ADOPTED_UNANIMOUSLY,
        DecisionResult.ADOPTED_BY_MAJORITY,
        DecisionResult.REJECTED,
    )
    if decision.result not in counted:
        return None
    meeting = get_row(session, Meeting, decision.meeting_id)
    committee = get_row(session, Committee, meeting.committee_id)
    proposal = propose_result(
        yes=decision.votes_yes,
        no=decision.votes_no,
        abstain=decision.votes_abstain,
        rule=committee.majority_rule,
        voting_members=quorum(session, key(meeting)).seats,
    )
    if proposal is None or proposal == decision.result:
        return None
    return (
        f"Das Ergebnis „{decision.result.label}“ passt nicht zu den Stimmen "  # type: ignore[union-attr]
        f"(Ja {decision.votes_yes or 0}, Nein {decision.votes_no or 0}, Enthaltung "
        f"{decision.votes_abstain or 0}); nach der Mehrheitsregel wäre es „{proposal.label}“."
    )


def add_follow_up_note(
    *, session: Session, actor: Actor, data: BaseModel | dict[str, Any]
) -> FollowUpNote:
    """Record a dated follow-up note; the decision's status follows it, in one transaction."""
    with transaction(session):
        values = validate(FollowUpNoteCreate, data)
        decision = require_active(session, Decision, values.decision_id, "decision_id")
        assert decision is not None
        meeting = get_row(session, Meeting, decision.meeting_id)
        if values.noted_on < meeting.start.date():
            raise DomainError(
                f"„Datum“ des Vermerks darf nicht vor dem Beschluss "
                f"({format_date(meeting.start.date())}) liegen.",
                "noted_on",
            )
        note = add_row(session, actor, FollowUpNote, values.model_dump())
        latest = session.exec(
            select(FollowUpNote)
            .where(FollowUpNote.decision_id == decision.id, col(FollowUpNote.archived).is_(False))
            .order_by(col(FollowUpNote.noted_on).desc(), col(FollowUpNote.id).desc())
        ).first()
        # A note back-dated behind a newer one records history but does not change the status.
        if latest is not None and latest.id == note.id:
            apply_changes(session, actor, decision, {"follow_up_status": values.status})
    session.refresh(note)
    return note


def follow_up_notes(session: Session, decision_id: int) -> pd.DataFrame:
    """The dated notes of one decision, newest first."""
    statement = (
        select(FollowUpNote)
        .where(FollowUpNote.decision_id == decision_id, col(FollowUpNote.archived).is_(False))
        .order_by(col(FollowUpNote.noted_on).desc(), col(FollowUpNote.id).desc())
    )
    rows = [
        {
            "noted_on": note.noted_on,
            "status": note.status.label,
            "text": note.text,
            "by": note.created_by,
        }
        for note in session.exec(statement)
    ]
    return pd.DataFrame(rows, columns=["noted_on", "status", "text", "by"])


def overdue_decisions(session: Session, today: date | None = None) -> pd.DataFrame:
    """Decisions past their due date whose follow-up is not finished."""
    today = today or date.today()
    statement = (
        select(Decision, Committee.name, Organization.name)
        .join(Committee, col(Decision.committee_id) == Committee.id)
        .join(
            Organization,
            col(Decision.responsible_organization_id) == Organization.id,
            isouter=True,
        )
        .where(
            col(Decision.archived).is_(False),
            col(Decision.due_date) < today,
            col(Decision.follow_up_status).in_([FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS]),
        )
        .order_by(col(Decision.due_date))
    )
    rows = [
        {
            "id": decision.id,
            "committee": committee_name,
            "reference": decision.reference,
            "text": decision.text,
            "responsible": responsible,
            "due_date": decision.due_date,
            "days_overdue": (today - decision.due_date).days,  # type: ignore[operator]
            "status": decision.follow_up_status.label,
        }
        for decision, committee_name, responsible in session.exec(statement)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "committee",
            "reference",
            "text",
            "responsible",
            "due_date",
            "days_overdue",
            "status",
        ],
    )


DECISION_COLUMNS = [
    "id",
    "committee_id",
    "committee",
    "meeting_id",
    "meeting_start",
    "reference",
    "kind",
    "text",
    "result",
    "responsible_id",
    "responsible",
    "due_date",
    "status",
    "overdue",
]


def list_decisions(
    session: Session,
    *,
    committee_id: int | None = None,
    statuses: list[FollowUpStatus] | None = None,
    responsible_id: int | None = None,
    overdue_only: bool = False,
    search: str | None = None,
    today: date | None = None,
    include_non_public: bool = True,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page:
    """Decisions across committees for the Beschlusskontrolle, most urgent first."""
    today = today or date.today()
    open_states = [FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS]
    conditions: list[Any] = [col(Decision.archived).is_(False)]
    if not include_non_public:
        conditions.append(col(Decision.id).in_(public_decision_ids()))
    if committee_id is not None:
        conditions.append(Decision.committee_id == committee_id)
    if statuses:
        conditions.append(col(Decision.follow_up_status).in_(statuses))
    if responsible_id is not None:
        conditions.append(Decision.responsible_organization_id == responsible_id)
    if overdue_only:
        conditions += [
            col(Decision.due_date) < today,
            col(Decision.follow_up_status).in_(open_states),
        ]
    if search:
        pattern = f"%{search.strip()}%"
        conditions.append(
            col(Decision.reference).ilike(pattern) | col(Decision.text).ilike(pattern)
        )
    statement = (
        select(Decision, Committee.name, Organization.name, Meeting.start)
        .join(Committee, col(Decision.committee_id) == Committee.id)
        .join(Meeting, col(Decision.meeting_id) == Meeting.id)
        .join(
            Organization,
            col(Decision.responsible_organization_id) == Organization.id,
            isouter=True,
        )
        .where(*conditions)
        # Overdue first, then by due date, then newest meeting.
        .order_by(
            case(
                (
                    (col(Decision.due_date) < today)
                    & col(Decision.follow_up_status).in_(open_states),
                    0,
                ),
                else_=1,
            ),
            col(Decision.due_date).is_(None),
            col(Decision.due_date),
            col(Meeting.start).desc(),
        )
    )
    # Committee and meeting are required references, and the responsible organization is
    # joined outer: the joins never change how many decisions match, so the count skips them.
    count = sa.select(func.count()).select_from(Decision).where(*conditions)

    def to_row(row: Any) -> dict[str, Any]:
        decision, committee_name, responsible, meeting_start = row
        overdue = bool(
            decision.due_date
            and decision.due_date < today
            and decision.follow_up_status in open_states
        )
        return {
            "id": decision.id,
            "committee_id": decision.committee_id,
            "committee": committee_name,
            "meeting_id": decision.meeting_id,
            "meeting_start": meeting_start,
            "reference": decision.reference,
            "kind": decision.kind.label,
            "text": decision.text,
            "result": decision.result.label if decision.result else "",
            "responsible_id": decision.responsible_organization_id,
            "responsible": responsible,
            "due_date": decision.due_date,
            "status": decision.follow_up_status.label,
            "overdue": overdue,
        }

    return fetch_page(
        session,
        statement,  # type: ignore[arg-type]
        to_row,
        DECISION_COLUMNS,
        limit=limit,
        offset=offset,
        count=count,
    )


def _open_and_late(decision: Decision, today: date) -> bool:
    return bool(
        decision.due_date
        and decision.due_date < today
        and decision.follow_up_status in (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)
    )


def decision_detail(
    session: Session,
    decision_id: int,
    today: date | None = None,
    *,
    include_non_public: bool = True,
) -> dict[str, Any]:
    """Everything the Beschlusskontrolle shows about one decision, with German labels."""
    today = today or date.today()
    decision = get_row(session, Decision, decision_id)
    if (
        not include_non_public
        and not session.exec(
            select(public_decision_ids().where(col(Decision.id) == decision_id).exists())
        ).one()
    ):
        # Said like a missing record: whether a non-public decision exists is not public either.
        raise NotFoundError(f"Beschluss mit der Nummer {decision_id} gibt es nicht.", "id")
    meeting = get_row(session, Meeting, decision.meeting_id)
    committee = get_row(session, Committee, decision.committee_id)
    responsible = (
        session.get(Organization, decision.responsible_organization_id)
        if decision.responsible_organization_id is not None
        else None
    )
    item = (
        session.get(AgendaItem, decision.agenda_item_id)
        if decision.agenda_item_id is not None
        else None
    )
    overdue = _open_and_late(decision, today)
    return {
        "id": decision.id,
        "version": decision.version,
        "archived": decision.archived,
        "committee_id": committee.id,
        "committee": committee.name,
        "meeting_id": meeting.id,
        "meeting_start": meeting.start,
        "meeting_number": meeting.number,
        "meeting_title": meeting.title,
        "meeting": meeting_label(meeting.number, meeting.start, meeting.title),
        "agenda_item": f"TOP {item.number} – {item.title}" if item else None,
        "reference": decision.reference,
        "kind": decision.kind.label,
        "text": decision.text,
        "result": decision.result.label if decision.result else "",
        "votes_yes": decision.votes_yes,
        "votes_no": decision.votes_no,
        "votes_abstain": decision.votes_abstain,
        "votes_biased": decision.votes_biased,
        "vote_mode": decision.vote_mode.label,
        "responsible_id": decision.responsible_organization_id,
        "responsible": responsible.name if responsible else None,
        "due_date": decision.due_date,
        "status": decision.follow_up_status.label,
        "status_code": decision.follow_up_status.value,
        "overdue": overdue,
        "days_overdue": (today - decision.due_date).days if overdue and decision.due_date else None,
        "source": decision.source,
    }


def overdue_marker(due_date: date | None, overdue: bool, today: date | None = None) -> str:
    """The marker the decision list shows for an overdue decision, e.g. "⚠ 120 Tage"."""
    if not overdue or due_date is None:
        return ""
    return f"⚠ {((today or date.today()) - due_date).days} Tage"


def decision_committees(session: Session) -> dict[int, str]:
    """The committees that have taken decisions (for the committee filter), by name."""
    statement = (
        select(Committee.id, Committee.name)
        .join(Decision, col(Decision.committee_id) == Committee.id)
        .where(col(Decision.archived).is_(False))
        .distinct()
        .order_by(Committee.name)
    )
    return {int(committee_id): name for committee_id, name in session.exec(statement)}  # type: ignore[arg-type]


def responsible_organizations(session: Session) -> dict[int, str]:
    """The organizations some decision names as responsible (for the filter), by name."""
    statement = (
        select(Organization.id, Organization.name)
        .join(Decision, col(Decision.responsible_organization_id) == Organization.id)
        .where(col(Decision.archived).is_(False))
        .distinct()
        .order_by(Organization.name)
    )
    return {int(org_id): name for org_id, name in session.exec(statement)}  # type: ignore[arg-type]


def decision_choices(
    session: Session,
    *,
    committee_id: int | None = None,
    include: int | None = None,
    limit: int = 200,
) -> dict[int, str]:
    """Decisions to pick from (newest meeting first), e.g. the one that granted an approval."""
    statement = (
        select(Decision.id, Decision.reference, Committee.name, Meeting.start)
        .join(Committee, col(Decision.committee_id) == Committee.id)
        .join(Meeting, col(Decision.meeting_id) == Meeting.id)
        .where(col(Decision.archived).is_(False))
        .order_by(col(Meeting.start).desc(), col(Decision.reference))
        .limit(limit)
    )
    if committee_id is not None:
        statement = statement.where(Decision.committee_id == committee_id)
    rows = list(session.exec(statement))
    if include is not None and include not in {row[0] for row in rows}:
        rows += list(session.exec(statement.where(Decision.id == include).limit(None)))
    return {
        int(decision_id): f"{reference} – {committee} ({format_date(start.date())})"  # type: ignore[arg-type]
        for decision_id, reference, committee, start in rows
    }


def public_decision_ids() -> Select[Any]:
    """The decisions everyone may see: their agenda item is public, or, in an
    Umlaufverfahren without agenda items, their meeting is (the minutes export's rule)."""
    return (
        select(Decision.id)
        .join(Meeting, col(Meeting.id) == Decision.meeting_id)
        .outerjoin(AgendaItem, col(AgendaItem.id) == Decision.agenda_item_id)
        .where(
            or_(
                col(AgendaItem.public).is_(True),
                and_(col(Decision.agenda_item_id).is_(None), col(Meeting.public).is_(True)),
            )
        )
    )
