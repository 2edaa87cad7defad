"""Gremien and their Mitgliedschaften over time."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from models.base import (
    DATE_RANGE,
    KEY_RANGE,
    NAME_MAX,
    SHORT_MAX,
    TEXT_MAX,
    PeriodChecked,
    RecordFields,
    SourcedBase,
    enum_type,
    partial_model,
)
from models.enums import CommitteeKind, FederalState, MajorityRule, MembershipRole, QuorumRule


class CommitteeBase(SourcedBase, PeriodChecked):
    name: str = Field(min_length=1, max_length=NAME_MAX, index=True, title="Name")
    short_name: str | None = Field(default=None, max_length=SHORT_MAX, title="Kurzname")
    kind: CommitteeKind = Field(sa_type=enum_type(CommitteeKind), title="Art")
    state: FederalState | None = Field(
        default=None, sa_type=enum_type(FederalState), index=True, title="Bundesland"
    )
    host_organization_id: int | None = Field(
        default=None,
        foreign_key="organization.id",
        schema_extra=KEY_RANGE,
        title="tragende Organisation",
    )
    parent_id: int | None = Field(
        default=None,
        foreign_key="committee.id",
        schema_extra=KEY_RANGE,
        title="übergeordnetes Gremium",
    )
    purpose: str | None = Field(default=None, max_length=TEXT_MAX, sa_type=sa.Text, title="Zweck")
    seat_count: int | None = Field(default=None, ge=1, le=1000, title="gesetzliche Mitgliederzahl")
    # Defaults from the domain brief: Kommunalverfassung M-V § 30 and GO IT-Planungsrat § 7 (4).
    quorum_rule: QuorumRule = Field(
        default=QuorumRule.MORE_THAN_HALF, sa_type=enum_type(QuorumRule), title="Beschlussfähigkeit"
    )
    majority_rule: MajorityRule = Field(
        default=MajorityRule.SIMPLE, sa_type=enum_type(MajorityRule), title="Mehrheitsregel"
    )
    start_date: date | None = Field(default=None, schema_extra=DATE_RANGE, title="Beginn")
    end_date: date | None = Field(default=None, schema_extra=DATE_RANGE, title="Ende")


class Committee(CommitteeBase, RecordFields, table=True):
    pass


class CommitteeCreate(CommitteeBase):
    pass


CommitteeUpdate = partial_model(CommitteeCreate, "CommitteeUpdate")


class MembershipBase(SourcedBase, PeriodChecked):
    person_id: int = Field(
        foreign_key="person.id", schema_extra=KEY_RANGE, index=True, title="Person"
    )
    committee_id: int = Field(
        foreign_key="committee.id", schema_extra=KEY_RANGE, index=True, title="Gremium"
    )
    role: MembershipRole = Field(
        default=MembershipRole.MEMBER, sa_type=enum_type(MembershipRole), title="Rolle"
    )
    # 1 = erste(r) Stellvertreter(in), 2 = zweite(r) ...; only for stellv. Vorsitz.
    deputy_rank: int | None = Field(default=None, ge=1, le=9, title="Rang der Stellvertretung")
    on_behalf_of_id: int | None = Field(
        default=None,
        foreign_key="organization.id",
        schema_extra=KEY_RANGE,
        index=True,
        title="entsandt von",
    )
    voting_right: bool = Field(default=True, title="stimmberechtigt")
    deputy_of_id: int | None = Field(
        default=None,
        foreign_key="membership.id",
        schema_extra=KEY_RANGE,
        title="Stellvertretung für",
    )
    start_date: date | None = Field(default=None, schema_extra=DATE_RANGE, title="Beginn")
    end_date: date | None = Field(default=None, schema_extra=DATE_RANGE, title="Ende")


class Membership(MembershipBase, RecordFields, table=True):
    # Attendance rates look up a person's membership in the meeting's committee per row.
    __table_args__ = (
        sa.Index("ix_membership_committee_id_person_id", "committee_id", "person_id"),
    )


class MembershipCreate(MembershipBase):
    pass


MembershipUpdate = partial_model(MembershipCreate, "MembershipUpdate")
