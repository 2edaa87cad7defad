"""The 14 OZG Themenfelder and who takes part in which."""

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
from models.enums import ParticipationRole


class TopicFieldBase(SourcedBase):
    number: int = Field(ge=1, le=99, unique=True, title="Nummer")
    name: str = Field(min_length=1, max_length=NAME_MAX, unique=True, title="Name")
    description: str | None = Field(
        default=None, max_length=TEXT_MAX, sa_type=sa.Text, title="Beschreibung"
    )


class TopicField(TopicFieldBase, RecordFields, table=True):
    __tablename__ = "topic_field"


class TopicFieldCreate(TopicFieldBase):
    pass


TopicFieldUpdate = partial_model(TopicFieldCreate, "TopicFieldUpdate")


class ParticipationBase(SourcedBase, PeriodChecked):
    period_fields = ("valid_from", "valid_to")

    organization_id: int = Field(
        foreign_key="organization.id", schema_extra=KEY_RANGE, index=True, title="Organisation"
    )
    topic_field_id: int = Field(
        foreign_key="topic_field.id", schema_extra=KEY_RANGE, index=True, title="Themenfeld"
    )
    role: ParticipationRole = Field(sa_type=enum_type(ParticipationRole), title="Rolle")
    valid_from: date | None = Field(default=None, schema_extra=DATE_RANGE, title="von")
    valid_to: date | None = Field(default=None, schema_extra=DATE_RANGE, title="bis")
    note: str | None = Field(default=None, max_length=1000, title="Anmerkung")


class Participation(ParticipationBase, RecordFields, table=True):
    pass


class ParticipationCreate(ParticipationBase):
    pass


ParticipationUpdate = partial_model(ParticipationCreate, "ParticipationUpdate")
