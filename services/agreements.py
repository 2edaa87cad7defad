"""Vereinbarungen, their Parteien and Zustimmungen: commands and the derived status."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from models import (
    Agreement,
    AgreementCreate,
    AgreementParty,
    AgreementPartyCreate,
    AgreementPartyUpdate,
    AgreementUpdate,
    Approval,
    ApprovalCreate,
    ApprovalUpdate,
    Committee,
    Decision,
    Meeting,
    Organization,
)
from models.enums import AgreementState, ApprovalState
from services.actor import Actor
from services.errors import DomainError
from services.meetings import meeting_label
from services.paging import DEFAULT_PAGE_SIZE, Page, fetch_page
from services.periods import format_date
from services.validation import validate
from services.write import EntityCommands, find_one, get_row, require_active

OPEN_APPROVAL_STATES = (ApprovalState.PENDING, ApprovalState.REFUSED)


def _approvals_of(session: Session, agreement_id: int | None) -> list[Approval]:
    statement = (
        select(Approval)
        .join(AgreementParty, col(Approval.party_id) == AgreementParty.id)
        .where(
            AgreementParty.agreement_id == agreement_id,
            col(AgreementParty.archived).is_(False),
            col(Approval.archived).is_(False),
        )
    )
    return list(session.exec(statement))


def _check_agreement(session: Session, values: AgreementCreate, current: Agreement | None) -> None:
    require_active(session, Meeting, values.meeting_id, "meeting_id")
    if values.state == AgreementState.IN_FORCE:
        missing = [
            a
            for a in _approvals_of(session, current.id if current else None)
            if a.state in OPEN_APPROVAL_STATES
        ]
        if missing:
            raise DomainError(
                f"„Stand“ kann nicht „wirksam“ sein, solange {len(missing)} Zustimmung(en) "
                "ausstehen oder verweigert sind.",
                "state",
            )


AGREEMENTS = EntityCommands(Agreement, AgreementCreate, AgreementUpdate, _check_agreement)
create_agreement = AGREEMENTS.create
update_agreement = AGREEMENTS.update
archive_agreement = AGREEMENTS.archive
restore_agreement = AGREEMENTS.restore


def _check_party(
    session: Session, values: AgreementPartyCreate, current: AgreementParty | None
) -> None:
    require_active(session, Agreement, values.agreement_id, "agreement_id")
    require_active(session, Organization, values.organization_id, "organization_id")
    require_active(session, Organization, values.represented_by_id, "represented_by_id")
    if values.represented_by_id == values.organization_id:
        raise DomainError(
            "„vertreten durch“ muss eine andere Organisation als die Partei sein.",
            "represented_by_id",
        )
    other = find_one(
        session,
        AgreementParty,
        agreement_id=values.agreement_id,
        organization_id=values.organization_id,
    )
    if other is not None and (current is None or other.id != current.id):
        raise DomainError(
            "„Partei“ ist an dieser Vereinbarung bereits beteiligt.", "organization_id"
        )
    if current is not None and current.agreement_id != values.agreement_id:
        raise DomainError("„Vereinbarung“ einer Partei kann nicht geändert werden.", "agreement_id")


PARTIES = EntityCommands(AgreementParty, AgreementPartyCreate, AgreementPartyUpdate, _check_party)
add_party = PARTIES.create
update_party = PARTIES.update
archive_party = PARTIES.archive
restore_party = PARTIES.restore


def _check_approval(session: Session, values: ApprovalCreate, current: Approval | None) -> None:
    party = require_active(session, AgreementParty, values.party_id, "party_id")
    assert party is not None
    if current is not None and current.party_id != values.party_id:
        raise DomainError("„Partei“ einer Zustimmung kann nicht geändert werden.", "party_id")
    named = bool((values.approving_body_name or "").strip())
    if (values.approving_committee_id is None) == (not named):
        raise DomainError(
            "Geben Sie genau eines an: „zustimmendes Gremium“ aus der Liste oder seinen Namen.",
            "approving_committee_id",
        )
    require_active(session, Committee, values.approving_committee_id, "approving_committee_id")
    if values.state == ApprovalState.PENDING and values.decided_on is not None:
        raise DomainError(
            "„Datum“ gibt es erst, wenn die Zustimmung erteilt, abgelehnt oder entfallen ist.",
            "decided_on",
        )
    if values.decision_id is not None:
        decision = require_active(session, Decision, values.decision_id, "decision_id")
        assert decision is not None
        if (
            values.approving_committee_id is not None
            and decision.committee_id != values.approving_committee_id
        ):
            raise DomainError("„Beschluss“ stammt nicht vom zustimmenden Gremium.", "decision_id")


APPROVALS = EntityCommands(Approval, ApprovalCreate, ApprovalUpdate, _check_approval)
update_approval = APPROVALS.update
archive_approval = APPROVALS.archive
restore_approval = APPROVALS.restore


def add_approval(
    *,
    session: Session,
    actor: Actor,
    agreement_id: int,
    data: BaseModel | dict[str, Any],
) -> Approval:
    """Record an approval a party of `agreement_id` needs; other agreements' parties are refused."""
    # Validated first: the raw form value may be anything, not only an id.
    values = validate(ApprovalCreate, data)
    party = session.get(AgreementParty, values.party_id)
    if party is not None and party.agreement_id != agreement_id:
        raise DomainError("„Partei“ ist keine Partei dieser Vereinbarung.", "party_id")
    return APPROVALS.create(session=session, actor=actor, data=data)


@dataclass(frozen=True)
class AgreementStatus:
    """What a secretary needs to know about an agreement at a glance, in words."""

    approvals_total: int
    approvals_outstanding: int
    approvals_refused: int
    target_date: date | None
    effective_on: date | None
    days_late: int | None

    def sentences(self) -> list[str]:
        """German status lines such as "2 von 5 Zustimmungen ausstehend"."""
        lines: list[str] = []
        total = self.approvals_total
        if self.approvals_outstanding:
            lines.append(f"{self.approvals_outstanding} von {total} Zustimmungen ausstehend")
        if self.approvals_refused:
            lines.append(f"{self.approvals_refused} von {total} Zustimmungen abgelehnt")
        if total and not (self.approvals_outstanding or self.approvals_refused):
            lines.append(f"alle {total} Zustimmungen liegen vor")
        if self.days_late:
            lines.append(
                f"Zieltermin {format_date(self.target_date)} um {self.days_late} Tage überschritten"
            )
        return lines


def approval_counts() -> Any:
    """Per agreement: its active approvals, how many pending and refused, the last decision date.

    A subquery with the columns agreement_id, total, outstanding, refused and last_decided_on,
    so that lists derive every agreement's status in the same query as its rows.
    """
    return (
        sa.select(
            col(AgreementParty.agreement_id).label("agreement_id"),
            func.count(col(Approval.id)).label("total"),
            func.sum(sa.case((col(Approval.state) == ApprovalState.PENDING, 1), else_=0)).label(
                "outstanding"
            ),
            func.sum(sa.case((col(Approval.state) == ApprovalState.REFUSED, 1), else_=0)).label(
                "refused"
            ),
            func.max(col(Approval.decided_on)).label("last_decided_on"),
        )
        .select_from(Approval)
        .join(AgreementParty, col(Approval.party_id) == AgreementParty.id)
        .where(col(AgreementParty.archived).is_(False), col(Approval.archived).is_(False))
        .group_by(col(AgreementParty.agreement_id))
        .subquery("approval_counts")
    )


def derive_status(
    *,
    state: AgreementState,
    target_date: date | None,
    concluded_on: date | None,
    total: int,
    outstanding: int,
    refused: int,
    last_decided_on: date | None,
    today: date,
) -> AgreementStatus:
    """The status from an agreement's state, dates and approval counts (see agreement_status)."""
    settled = not outstanding and not refused
    # An agreement takes effect with its last approval; until then the delay grows daily.
    # Without approvals recorded, an agreement awaiting them has not taken effect yet.
    effective = state in (AgreementState.IN_FORCE, AgreementState.ENDED) or (
        settled
        and (
            state == AgreementState.AGREED
            or (state == AgreementState.AWAITING_APPROVAL and bool(total))
        )
    )
    effective_on = (last_decided_on or concluded_on) if effective else None
    reference = None if state == AgreementState.FAILED else (effective_on if effective else today)
    days_late = None
    if target_date and reference and reference > target_date:
        days_late = (reference - target_date).days
    return AgreementStatus(
        approvals_total=total,
        approvals_outstanding=outstanding,
        approvals_refused=refused,
        target_date=target_date,
        effective_on=effective_on,
        days_late=days_late,
    )


def agreement_status(
    session: Session, agreement_id: int, today: date | None = None
) -> AgreementStatus:
    """Count approvals and measure the delay against the target date."""
    agreement = get_row(session, Agreement, agreement_id)
    approvals = _approvals_of(session, agreement_id)
    dated = [a.decided_on for a in approvals if a.decided_on is not None]
    return derive_status(
        state=agreement.state,
        target_date=agreement.target_date,
        concluded_on=agreement.concluded_on,
        total=len(approvals),
        outstanding=sum(1 for a in approvals if a.state == ApprovalState.PENDING),
        refused=sum(1 for a in approvals if a.state == ApprovalState.REFUSED),
        last_decided_on=max(dated, default=None),
        today=today or date.today(),
    )


def row_status(agreement: Agreement, row: Any, today: date) -> AgreementStatus:
    """The status of `agreement` from its joined approval_counts() columns."""
    return derive_status(
        state=agreement.state,
        target_date=agreement.target_date,
        concluded_on=agreement.concluded_on,
        total=int(row.total or 0),
        outstanding=int(row.outstanding or 0),
        refused=int(row.refused or 0),
        last_decided_on=row.last_decided_on,
        today=today,
    )


def list_agreements(
    session: Session, *, include_archived: bool = False, today: date | None = None
) -> pd.DataFrame:
    """Agreements with their parties and derived status in words."""
    today = today or date.today()
    counts = approval_counts()
    statement = (
        sa.select(Agreement, counts.c.total, counts.c.outstanding, counts.c.refused)
        .add_columns(counts.c.last_decided_on)
        .outerjoin(counts, counts.c.agreement_id == Agreement.id)
        .order_by(col(Agreement.title))
    )
    if not include_archived:
        statement = statement.where(col(Agreement.archived).is_(False))
    party_names: dict[int, list[str]] = {}
    for agreement_id, short_name, name in session.exec(
        select(AgreementParty.agreement_id, Organization.short_name, Organization.name)
        .join(Organization, col(AgreementParty.organization_id) == Organization.id)
        .where(col(AgreementParty.archived).is_(False))
        .order_by(Organization.name)
    ):
        party_names.setdefault(agreement_id, []).append(short_name or name)
    rows = []
    for row in session.execute(statement):
        agreement = row[0]
        status = row_status(agreement, row, today)
        rows.append(
            {
                "id": agreement.id,
                "title": agreement.title,
                "kind": agreement.kind.label,
                "state": agreement.state.label,
                "parties": ", ".join(party_names.get(agreement.id, [])),  # type: ignore[arg-type]
                "concluded_on": agreement.concluded_on,
                "target_date": agreement.target_date,
                "status": "; ".join(status.sentences()),
                "source": agreement.source,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "title",
            "kind",
            "state",
            "parties",
            "concluded_on",
            "target_date",
            "status",
            "source",
        ],
    )


AGREEMENT_COLUMNS = [
    "id",
    "title",
    "kind",
    "state",
    "parties",
    "concluded_on",
    "target_date",
    "status",
    "archived",
    "source",
]


def search_agreements(
    session: Session,
    *,
    search: str | None = None,
    states: list[AgreementState] | None = None,
    include_archived: bool = False,
    today: date | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page:
    """One page of agreements by title; parties and status in words only for that page."""
    today = today or date.today()
    counts = approval_counts()
    statement = (
        sa.select(Agreement, counts.c.total, counts.c.outstanding, counts.c.refused)
        .add_columns(counts.c.last_decided_on)
        .outerjoin(counts, counts.c.agreement_id == Agreement.id)
        .order_by(col(Agreement.title), col(Agreement.id))
    )
    if not include_archived:
        statement = statement.where(col(Agreement.archived).is_(False))
    if states:
        statement = statement.where(col(Agreement.state).in_(states))
    if search:
        pattern = f"%{search.strip()}%"
        statement = statement.where(
            col(Agreement.title).ilike(pattern) | col(Agreement.subject).ilike(pattern)
        )

    def to_row(row: Any) -> dict[str, Any]:
        agreement = row[0]
        return {
            "id": agreement.id,
            "title": agreement.title,
            "kind": agreement.kind.label,
            "state": agreement.state.label,
            "parties": "",
            "concluded_on": agreement.concluded_on,
            "target_date": agreement.target_date,
            "status": "; ".join(row_status(agreement, row, today).sentences()),
            "archived": agreement.archived,
            "source": agreement.source,
        }

    page = fetch_page(session, statement, to_row, AGREEMENT_COLUMNS, limit=limit, offset=offset)
    ids = [int(i) for i in page.rows["id"]]
    if ids:
        names = _party_names(session, ids)
        page.rows["parties"] = [", ".join(names.get(i, [])) for i in ids]
    return page


def _party_names(session: Session, agreement_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for agreement_id, short_name, name in session.exec(
        select(AgreementParty.agreement_id, Organization.short_name, Organization.name)
        .join(Organization, col(AgreementParty.organization_id) == Organization.id)
        .where(
            col(AgreementParty.agreement_id).in_(agreement_ids),
            col(AgreementParty.archived).is_(False),
        )
        .order_by(Organization.name)
    ):
        names.setdefault(agreement_id, []).append(short_name or name)
    return names


def agreement_detail(session: Session, agreement_id: int) -> dict[str, Any]:
    """One agreement with German labels and the meeting it was agreed at."""
    agreement = get_row(session, Agreement, agreement_id)
    meeting = session.get(Meeting, agreement.meeting_id) if agreement.meeting_id else None
    committee = session.get(Committee, meeting.committee_id) if meeting else None
    return {
        "id": agreement.id,
        "version": agreement.version,
        "archived": agreement.archived,
        "title": agreement.title,
        "kind": agreement.kind.label,
        "kind_code": agreement.kind.value,
        "subject": agreement.subject,
        "concluded_on": agreement.concluded_on,
        "target_date": agreement.target_date,
        "ended_on": agreement.ended_on,
        "state": agreement.state.label,
        "state_code": agreement.state.value,
        "conditions": agreement.conditions,
        "meeting_id": agreement.meeting_id,
        "meeting": (
            f"{committee.name if committee else ''}: "
            f"{meeting_label(meeting.number, meeting.start, meeting.title)}"
            if meeting
            else None
        ),
        "source": agreement.source,
    }


PARTY_COLUMNS = [
    "id",
    "version",
    "organization_id",
    "organization",
    "role",
    "role_code",
    "represented_by_id",
    "represented_by",
    "party",
    "archived",
    "source",
]


def party_display(organization: str, represented_by: str | None) -> str:
    """A party as the page names it: "Stadt Leipzig — vertreten durch Lecos GmbH"."""
    return f"{organization} — vertreten durch {represented_by}" if represented_by else organization


def agreement_parties(
    session: Session, agreement_id: int, *, archived: bool = False
) -> pd.DataFrame:
    """The parties of an agreement (or its archived ones) with role and who represents them."""
    representative = aliased(Organization)
    statement = (
        select(AgreementParty, Organization.name, representative.name)
        .join(Organization, col(AgreementParty.organization_id) == Organization.id)
        .join(
            representative,
            col(AgreementParty.represented_by_id) == representative.id,
            isouter=True,
        )
        .where(
            AgreementParty.agreement_id == agreement_id,
            col(AgreementParty.archived).is_(archived),
        )
        .order_by(Organization.name)
    )
    rows = [
        {
            "id": party.id,
            "version": party.version,
            "organization_id": party.organization_id,
            "organization": organization,
            "role": party.role.label,
            "role_code": party.role.value,
            "represented_by_id": party.represented_by_id,
            "represented_by": represented_by,
            "party": party_display(organization, represented_by),
            "archived": party.archived,
            "source": party.source,
        }
        for party, organization, represented_by in session.exec(statement)
    ]
    return pd.DataFrame(rows, columns=PARTY_COLUMNS).astype({"represented_by_id": "Int64"})


APPROVAL_COLUMNS = [
    "id",
    "version",
    "party_id",
    "party",
    "approving_committee_id",
    "body",
    "state",
    "state_code",
    "decided_on",
    "decision_id",
    "decision",
    "source",
]


def agreement_approvals(
    session: Session, agreement_id: int, *, archived: bool = False
) -> pd.DataFrame:
    """The approvals each active party needs (or the archived ones): body, state, date, decision."""
    statement = (
        select(Approval, Organization.name, Committee.name, Decision.reference)
        .join(AgreementParty, col(Approval.party_id) == AgreementParty.id)
        .join(Organization, col(AgreementParty.organization_id) == Organization.id)
        .join(Committee, col(Approval.approving_committee_id) == Committee.id, isouter=True)
        .join(Decision, col(Approval.decision_id) == Decision.id, isouter=True)
        .where(
            AgreementParty.agreement_id == agreement_id,
            col(AgreementParty.archived).is_(False),
            col(Approval.archived).is_(archived),
        )
        .order_by(Organization.name, col(Approval.id))
    )
    rows = [
        {
            "id": approval.id,
            "version": approval.version,
            "party_id": approval.party_id,
            "party": organization,
            "approving_committee_id": approval.approving_committee_id,
            "body": committee or approval.approving_body_name,
            "state": approval.state.label,
            "state_code": approval.state.value,
            "decided_on": approval.decided_on,
            "decision_id": approval.decision_id,
            "decision": reference,
            "source": approval.source,
        }
        for approval, organization, committee, reference in session.exec(statement)
    ]
    # Nullable integers: an approval without committee or decision keeps <NA>, not a float.
    return pd.DataFrame(rows, columns=APPROVAL_COLUMNS).astype(
        {"approving_committee_id": "Int64", "decision_id": "Int64"}
    )


# Milestone kinds in the order the timeline lists them.
MILESTONE_KINDS = [
    "vereinbart",
    "Zieltermin",
    "Zustimmung erteilt",
    "Zustimmung abgelehnt",
    "Zustimmung entfällt",
    "Zustimmung ausstehend",
    "wirksam",
    "beendet",
]


def agreement_milestones(
    session: Session, agreement_id: int, today: date | None = None
) -> pd.DataFrame:
    """The agreement's milestones (date, milestone, party, kind); undated approvals have no date."""
    agreement = get_row(session, Agreement, agreement_id)
    rows: list[dict[str, Any]] = []
    if agreement.concluded_on:
        rows.append(
            _milestone(agreement.concluded_on, "Vereinbarung geschlossen", "", "vereinbart")
        )
    if agreement.target_date:
        rows.append(_milestone(agreement.target_date, "Zieltermin", "", "Zieltermin"))
    for approval in agreement_approvals(session, agreement_id).itertuples():
        rows.append(
            _milestone(
                approval.decided_on,
                f"Zustimmung {approval.body}",
                str(approval.party),
                f"Zustimmung {approval.state}",
            )
        )
    effective_on = agreement_status(session, agreement_id, today).effective_on
    if effective_on:
        rows.append(_milestone(effective_on, "Vereinbarung wirksam", "", "wirksam"))
    if agreement.ended_on:
        rows.append(_milestone(agreement.ended_on, "Vereinbarung beendet", "", "beendet"))
    frame = pd.DataFrame(rows, columns=["date", "milestone", "party", "kind"])
    order = frame["date"].map(lambda day: (day is None or pd.isna(day), day or date.max))
    return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def _milestone(day: Any, milestone: str, party: str, kind: str) -> dict[str, Any]:
    dated = day if isinstance(day, date) else None
    return {"date": dated, "milestone": milestone, "party": party, "kind": kind}


def milestone_figure(frame: pd.DataFrame) -> go.Figure:
    """The dated milestones on a timeline: one row per kind, dates dd.mm.yyyy on hover."""
    dated = frame[frame["date"].notna()].copy()
    dated["day"] = pd.to_datetime(dated["date"])
    dated["Datum"] = dated["date"].map(format_date)
    dated["Partei"] = dated["party"].fillna("")
    kinds = [kind for kind in MILESTONE_KINDS if kind in set(dated["kind"])]
    figure = px.scatter(
        dated,
        x="day",
        y="kind",
        color="kind",
        symbol="kind",
        hover_name="milestone",
        custom_data=["Datum", "Partei"],
        category_orders={"kind": kinds},
        labels={"day": "Datum", "kind": "Meilenstein"},
    )
    figure.update_traces(
        marker={"size": 14},
        hovertemplate="<b>%{hovertext}</b><br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
    )
    figure.update_xaxes(tickformat="%d.%m.%Y", title="Datum")
    figure.update_yaxes(title="")
    figure.update_layout(showlegend=False, height=120 + 40 * max(len(kinds), 1))
    return figure
