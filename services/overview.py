"""What needs attention now: the next meetings, overdue decisions, agreements still waiting."""

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from models import Agreement, Committee, Meeting, Organization
from models.enums import AgreementState
from services.agreements import approval_counts, row_status
from services.decisions import list_decisions
from services.paging import Page, fetch_page

UPCOMING_COLUMNS = [
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
]
WAITING_COLUMNS = [
    "id",
    "title",
    "kind",
    "state",
    "target_date",
    "approvals_outstanding",
    "days_late",
    "status",
    "source",
]

# States in which an agreement has not yet taken effect (nor failed or ended).
UNSETTLED_STATES = (
    AgreementState.NEGOTIATING,
    AgreementState.AGREED,
    AgreementState.AWAITING_APPROVAL,
)


def workspace_counts(session: Session) -> dict[str, int]:
    """How many active committees, organizations and agreements the workspace holds."""
    counts = {}
    for name, model in (
        ("committees", Committee),
        ("organizations", Organization),
        ("agreements", Agreement),
    ):
        statement = select(func.count()).where(col(model.archived).is_(False))  # type: ignore[attr-defined]
        counts[name] = int(session.exec(statement).one())
    return counts


def upcoming_meetings(
    session: Session, *, today: date | None = None, limit: int = 5, offset: int = 0
) -> Page:
    """Meetings from today on that are neither cancelled nor archived, soonest first."""
    since = datetime.combine(today or date.today(), time.min)
    statement: sa.Select[*tuple[Any, ...]] = (
        sa.select(Meeting, col(Committee.name))
        .join(Committee, col(Meeting.committee_id) == Committee.id)
        .where(
            col(Meeting.start) >= since,
            col(Meeting.cancelled).is_(False),
            col(Meeting.archived).is_(False),
            col(Committee.archived).is_(False),
        )
        .order_by(col(Meeting.start), col(Meeting.id))
    )

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
            "location": meeting.location,
            "state": meeting.state.label,
            "source": meeting.source,
        }

    return fetch_page(session, statement, to_row, UPCOMING_COLUMNS, limit=limit, offset=offset)


def overdue_decisions(
    session: Session,
    *,
    today: date | None = None,
    include_non_public: bool = True,
    limit: int = 10,
    offset: int = 0,
) -> Page:
    """Decisions past their due date whose follow-up is not finished, most overdue first.

    The rows of services.decisions.list_decisions plus `days_overdue`.
    """
    today = today or date.today()
    page = list_decisions(
        session,
        overdue_only=True,
        today=today,
        include_non_public=include_non_public,
        limit=limit,
        offset=offset,
    )
    days = [(today - due_date).days for due_date in page.rows["due_date"]]
    return replace(page, rows=page.rows.assign(days_overdue=pd.array(days, dtype="Int64")))


def waiting_agreements(
    session: Session, *, today: date | None = None, limit: int = 10, offset: int = 0
) -> Page:
    """Agreements waiting for approvals, or not yet in effect although past their target date.

    The same rule as services.agreements.agreement_status, in SQL: an agreed agreement takes
    effect with its last approval, so without an open approval it no longer waits.
    """
    today = today or date.today()
    # Counted once for all agreements and joined: a correlated EXISTS per agreement made
    # SQLite scan every approval once per agreement.
    counts = approval_counts()
    open_approvals = func.coalesce(counts.c.outstanding, 0) + func.coalesce(counts.c.refused, 0)
    late_in_negotiation = (col(Agreement.state) == AgreementState.NEGOTIATING) & (
        col(Agreement.target_date) < today
    )
    statement = (
        sa.select(Agreement, counts.c.total, counts.c.outstanding, counts.c.refused)
        .add_columns(counts.c.last_decided_on)
        .outerjoin(counts, counts.c.agreement_id == Agreement.id)
        .where(
            col(Agreement.archived).is_(False),
            col(Agreement.state).in_(UNSETTLED_STATES),
            or_(open_approvals > 0, late_in_negotiation),
        )
        .order_by(
            col(Agreement.target_date).is_(None), col(Agreement.target_date), col(Agreement.id)
        )
    )

    def to_row(row: Any) -> dict[str, Any]:
        agreement = row[0]
        status = row_status(agreement, row, today)
        return {
            "id": agreement.id,
            "title": agreement.title,
            "kind": agreement.kind.label,
            "state": agreement.state.label,
            "target_date": agreement.target_date,
            "approvals_outstanding": status.approvals_outstanding,
            "days_late": status.days_late,
            "status": "; ".join(status.sentences()),
            "source": agreement.source,
        }

    page = fetch_page(session, statement, to_row, WAITING_COLUMNS, limit=limit, offset=offset)
    return replace(page, rows=page.rows.astype({"days_late": "Int64"}))
