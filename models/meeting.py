"""Sitzungen with their Tagesordnung and Anwesenheit."""

import sqlalchemy as sa
from pydantic import NaiveDatetime
from sqlmodel import Field

from models.base import (
    DATETIME_RANGE,
    KEY_RANGE,
    NAME_MAX,
    TEXT_MAX,
    PeriodChecked,
    RecordFields,
    SourcedBase,
    enum_type,
    partial_model,
)
from models.enums import AttendanceStatus, MeetingKind, MeetingState


class MeetingBase(SourcedBase, PeriodChecked):
    period_fields = ("start", "end")

    committee_id: int = Field(
        foreign_key="committee.id", schema_extra=KEY_RANGE, index=True, title="Gremium"
    )
    # Laufende Nummer je Gremium; the write path assigns the next one when left empty.
    number: int | None = Field(default=None, ge=1, le=99_999, title="Sitzungsnummer")
    title: str | None = Field(default=None, max_length=NAME_MAX, title="Titel")
    kind: MeetingKind = Field(
        default=MeetingKind.IN_PERSON, sa_type=enum_type(MeetingKind), title="Sitzungsart"
    )
    # Wall-clock time in Germany, as on the invitation; bookkeeping times are UTC.
    start: NaiveDatetime = Field(schema_extra=DATETIME_RANGE, index=True, title="Beginn")
    end: NaiveDatetime | None = Field(default=None, schema_extra=DATETIME_RANGE, title="Ende")
    location: str | None = Field(default=None, max_length=NAME_MAX, title="Ort")
    state: MeetingState = Field(
        default=MeetingState.PLANNED, sa_type=enum_type(MeetingState), title="Status"
    )
    cancelled: bool = Field(default=False, title="abgesagt")
    public: bool = Field(default=False, title="öffentlich")


class Meeting(MeetingBase, RecordFields, table=True):
    __table_args__ = (sa.UniqueConstraint("committee_id", "number"),)


class MeetingCreate(MeetingBase):
    pass


MeetingUpdate = partial_model(MeetingCreate, "MeetingUpdate")


class AgendaItemBase(SourcedBase):
    meeting_id: int = Field(
        foreign_key="meeting.id", schema_extra=KEY_RANGE, index=True, title="Sitzung"
    )
    # The label shown in the agenda ("3.1"); `order` is the sort position.
    number: str = Field(min_length=1, max_length=20, title="TOP")
    order: int = Field(default=0, ge=0, le=9_999, title="Reihenfolge")
    title: str = Field(min_length=1, max_length=NAME_MAX * 2, title="Titel")
    description: str | None = Field(
        default=None, max_length=TEXT_MAX, sa_type=sa.Text, title="Beschreibung"
    )
    public: bool = Field(default=False, title="öffentlich")
    # The Ergebnis of an item without a vote ("Bericht erstattet"); a decision is the other outcome.
    minutes_note: str | None = Field(
        default=None, max_length=TEXT_MAX, sa_type=sa.Text, title="Protokollnotiz"
    )


class AgendaItem(AgendaItemBase, RecordFields, table=True):
    __tablename__ = "agenda_item"


class AgendaItemCreate(AgendaItemBase):
    pass


AgendaItemUpdate = partial_model(AgendaItemCreate, "AgendaItemUpdate")


class AttendanceBase(SourcedBase):
    meeting_id: int = Field(
        foreign_key="meeting.id", schema_extra=KEY_RANGE, index=True, title="Sitzung"
    )
    person_id: int = Field(
        foreign_key="person.id", schema_extra=KEY_RANGE, index=True, title="Person"
    )
    status: AttendanceStatus = Field(
        default=AttendanceStatus.PRESENT, sa_type=enum_type(AttendanceStatus), title="Status"
    )
    substitute_id: int | None = Field(
        default=None, foreign_key="person.id", schema_extra=KEY_RANGE, title="vertreten durch"
    )


class Attendance(AttendanceBase, RecordFields, table=True):
    __table_args__ = (sa.UniqueConstraint("meeting_id", "person_id"),)


class AttendanceCreate(AttendanceBase):
    pass


AttendanceUpdate = partial_model(AttendanceCreate, "AttendanceUpdate")
