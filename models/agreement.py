"""Vereinbarungen between bodies, their Parteien and the Zustimmungen each party needs."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from models.base import (
    DATE_RANGE,
    KEY_RANGE,
    NAME_MAX,
    TEXT_MAX,
    PeriodChecked,
    RecordFields,
    SourcedBase,
    enum_type,
    partial_model,
)
from models.enums import AgreementKind, AgreementState, ApprovalState, PartyRole


class AgreementBase(SourcedBase, PeriodChecked):
    period_fields = ("concluded_on", "ended_on")

    title: str = Field(min_length=1, max_length=NAME_MAX, index=True, title="Titel")
    kind: AgreementKind = Field(sa_type=enum_type(AgreementKind), title="Art")
    subject: str | None = Field(
        default=None, max_length=TEXT_MAX, sa_type=sa.Text, title="Gegenstand"
    )
    concluded_on: date | None = Field(default=None, schema_extra=DATE_RANGE, title="vereinbart am")
    target_date: date | None = Field(default=None, schema_extra=DATE_RANGE, title="Zieltermin")
    ended_on: date | None = Field(default=None, schema_extra=DATE_RANGE, title="beendet am")
    state: AgreementState = Field(
        default=AgreementState.NEGOTIATING, sa_type=enum_type(AgreementState), title="Stand"
    )
    conditions: str | None = Field(
        default=None, max_length=TEXT_MAX, sa_type=sa.Text, title="Bedingungen"
    )
    meeting_id: int | None = Field(
        default=None,
        foreign_key="meeting.id",
        schema_extra=KEY_RANGE,
        title="vereinbart in Sitzung",
    )


class Agreement(AgreementBase, RecordFields, table=True):
    pass


class AgreementCreate(AgreementBase):
    pass


AgreementUpdate = partial_model(AgreementCreate, "AgreementUpdate")


class AgreementPartyBase(SourcedBase):
    agreement_id: int = Field(
        foreign_key="agreement.id", schema_extra=KEY_RANGE, index=True, title="Vereinbarung"
    )
    organization_id: int = Field(
        foreign_key="organization.id", schema_extra=KEY_RANGE, index=True, title="Partei"
    )
    role: PartyRole = Field(
        default=PartyRole.CONTRACTING_PARTY, sa_type=enum_type(PartyRole), title="Rolle"
    )
    # E.g. Lecos GmbH holds Leipzig's share in KOMM24.
    represented_by_id: int | None = Field(
        default=None, foreign_key="organization.id", schema_extra=KEY_RANGE, title="vertreten durch"
    )


class AgreementParty(AgreementPartyBase, RecordFields, table=True):
    __tablename__ = "agreement_party"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "organization_id"),)


class AgreementPartyCreate(AgreementPartyBase):
    pass


AgreementPartyUpdate = partial_model(AgreementPartyCreate, "AgreementPartyUpdate")


class ApprovalBase(SourcedBase):
    party_id: int = Field(
        foreign_key="agreement_party.id", schema_extra=KEY_RANGE, index=True, title="Partei"
    )
    # The approving body: a committee kept here, or just its name ("Ratsversammlung Leipzig").
    approving_committee_id: int | None = Field(
        default=None,
        foreign_key="committee.id",
        schema_extra=KEY_RANGE,
        title="zustimmendes Gremium",
    )
    approving_body_name: str | None = Field(
        default=None, max_length=NAME_MAX, title="zustimmendes Gremium (Name)"
    )
    state: ApprovalState = Field(
        default=ApprovalState.PENDING, sa_type=enum_type(ApprovalState), title="Stand"
    )
    decided_on: date | None = Field(default=None, schema_extra=DATE_RANGE, title="Datum")
    decision_id: int | None = Field(
        default=None, foreign_key="decision.id", schema_extra=KEY_RANGE, title="Beschluss"
    )


class Approval(ApprovalBase, RecordFields, table=True):
    pass


class ApprovalCreate(ApprovalBase):
    pass


ApprovalUpdate = partial_model(ApprovalCreate, "ApprovalUpdate")
