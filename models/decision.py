"""Beschlüsse with their Abstimmungsergebnis and Beschlusskontrolle."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from models.base import (
    DATE_RANGE,
    KEY_RANGE,
    TEXT_MAX,
    RecordFields,
    SourcedBase,
    enum_type,
    partial_model,
)
from models.enums import DecisionKind, DecisionResult, FollowUpStatus, VoteMode


class DecisionBase(SourcedBase):
    meeting_id: int = Field(
        foreign_key="meeting.id", schema_extra=KEY_RANGE, index=True, title="Sitzung"
    )
    # Empty only for an Umlaufverfahren, where the decision belongs to the meeting itself.
    agenda_item_id: int | None = Field(
        default=None,
        foreign_key="agenda_item.id",
        schema_extra=KEY_RANGE,
        unique=True,
        title="Tagesordnungspunkt",
    )
    reference: str = Field(min_length=1, max_length=40, title="Beschluss-Nr.")
    kind: DecisionKind = Field(
        default=DecisionKind.RESOLUTION, sa_type=enum_type(DecisionKind), title="Art"
    )
    text: str = Field(min_length=1, max_length=TEXT_MAX, sa_type=sa.Text, title="Beschlusstext")
    result: DecisionResult | None = Field(
        default=None, sa_type=enum_type(DecisionResult), title="Ergebnis"
    )
    votes_yes: int | None = Field(default=None, ge=0, le=10_000, title="Ja")
    votes_no: int | None = Field(default=None, ge=0, le=10_000, title="Nein")
    votes_abstain: int | None = Field(default=None, ge=0, le=10_000, title="Enthaltung")
    votes_biased: int | None = Field(default=None, ge=0, le=10_000, title="befangen")
    vote_mode: VoteMode = Field(
        default=VoteMode.OPEN, sa_type=enum_type(VoteMode), title="Abstimmungsart"
    )
    responsible_organization_id: int | None = Field(
        default=None,
        foreign_key="organization.id",
        schema_extra=KEY_RANGE,
        index=True,
        title="verantwortlich",
    )
    due_date: date | None = Field(default=None, schema_extra=DATE_RANGE, index=True, title="Frist")
    follow_up_status: FollowUpStatus = Field(
        default=FollowUpStatus.OPEN,
        sa_type=enum_type(FollowUpStatus),
        index=True,
        title="Umsetzungsstand",
    )


class Decision(DecisionBase, RecordFields, table=True):
    # Denormalised from the meeting so the database itself keeps numbers unique per committee.
    committee_id: int = Field(
        foreign_key="committee.id", schema_extra=KEY_RANGE, index=True, title="Gremium"
    )

    __table_args__ = (
        sa.UniqueConstraint("committee_id", "reference"),
        # Overdue = pending and past the due date: the lists and charts filter by both.
        sa.Index("ix_decision_follow_up_status_due_date", "follow_up_status", "due_date"),
    )


class DecisionCreate(DecisionBase):
    pass


DecisionUpdate = partial_model(DecisionCreate, "DecisionUpdate")


class FollowUpNoteBase(SourcedBase):
    decision_id: int = Field(
        foreign_key="decision.id", schema_extra=KEY_RANGE, index=True, title="Beschluss"
    )
    noted_on: date = Field(schema_extra=DATE_RANGE, title="Datum")
    status: FollowUpStatus = Field(sa_type=enum_type(FollowUpStatus), title="Umsetzungsstand")
    text: str | None = Field(default=None, max_length=TEXT_MAX, sa_type=sa.Text, title="Vermerk")


class FollowUpNote(FollowUpNoteBase, RecordFields, table=True):
    __tablename__ = "follow_up_note"


class FollowUpNoteCreate(FollowUpNoteBase):
    pass
