"""Vereinbarungen, their Parteien and Zustimmungen: commands and the derived status."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from pydantic import BaseModel
from sqlmodel import Session, col, select

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
from services.periods import format_date
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
    party_id = data.get("party_id") if isinstance(data, dict) else getattr(data, "party_id", None)
    party = session.get(AgreementParty, party_id) if party_id is not None else None
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


def agreement_status(
    session: Session, agreement_id: int, today: date | None = None
) -> AgreementStatus:
    """Count approvals and measure the delay against the target date."""
    today = today or date.today()
    agreement = get_row(session, Agreement, agreement_id)
    approvals = _approvals_of(session, agreement_id)
    outstanding = [a for a in approvals if a.state == ApprovalState.PENDING]
    refused = [a for a in approvals if a.state == ApprovalState.REFUSED]
    dated = [a.decided_on for a in approvals if a.decided_on is not None]
    settled = not outstanding and not refused
    # An agreement takes effect with its last approval; until then the delay grows daily.
    effective = agreement.state in (AgreementState.IN_FORCE, AgreementState.ENDED) or (
        settled and agreement.state in (AgreementState.AGREED, AgreementState.AWAITING_APPROVAL)
    )
    effective_on = max(dated, default=agreement.concluded_on) if effective else None
    if agreement.state == AgreementState.FAILED:
        reference = None
    else:
        reference = effective_on if effective else today
    days_late = None
    if agreement.target_date and reference and reference > agreement.target_date:
        days_late = (reference - agreement.target_date).days
    return AgreementStatus(
        approvals_total=len(approvals),
        approvals_outstanding=len(outstanding),
        approvals_refused=len(refused),
        target_date=agreement.target_date,
        effective_on=effective_on,
        days_late=days_late,
    )


def list_agreements(
    session: Session, *, include_archived: bool = False, today: date | None = None
) -> pd.DataFrame:
    """Agreements with their parties and derived status in words."""
    statement = select(Agreement).order_by(Agreement.title)
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
    for agreement in session.exec(statement):
        status = agreement_status(session, agreement.id, today)  # type: ignore[arg-type]
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
