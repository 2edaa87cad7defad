"""Shared building blocks of every table: bookkeeping fields, enum columns, partial schemas."""

from datetime import UTC, date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from pydantic import create_model, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from models.enums import LabeledEnum

# Deterministic constraint names: Alembic needs them to alter constraints on
# SQLite (batch mode) and to compare models with migrations.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TEXT_MAX = 10_000
NAME_MAX = 200
SHORT_MAX = 40
SOURCE_MAX = 500
DEMO_SOURCE = "Demo"
# Every integer a user can send must fit PostgreSQL's INTEGER (SQLite would take up to
# 2**63 - 1 and then raise OverflowError); a key beyond it can never exist anyway.
KEY_MAX = 2**31 - 1
# Keys start at 1; 0 passes so a form can validate a reference to a row it creates in the
# same step (see committees.add_membership_with_new_person), and refers to nothing.
KEY_RANGE: dict[str, Any] = {"ge": 0, "le": KEY_MAX}
# Dates people type: a slip like 0219 or 2919 is refused instead of stored and sorted.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
DATE_RANGE: dict[str, Any] = {"ge": DATE_MIN, "le": DATE_MAX}
DATETIME_RANGE: dict[str, Any] = {
    "ge": datetime.combine(DATE_MIN, datetime.min.time()),
    "le": datetime.combine(DATE_MAX, datetime.max.time()),
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (SQLModel stores it as UTC on every database)."""
    return datetime.now(UTC)


def enum_type(enum_cls: type[LabeledEnum]) -> sa.Enum:
    """A VARCHAR column holding an enum's codes (no native DB enum: migrations stay simple)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=40,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class SourcedBase(SQLModel):
    """Input fields every record shares: where the fact came from."""

    source: str | None = Field(default=None, max_length=SOURCE_MAX, title="Quelle")


class RecordFields(SQLModel):
    """Bookkeeping columns on every domain table, maintained by the write path only."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, title="angelegt am")
    created_by: str = Field(default="", max_length=100, title="angelegt von")
    updated_at: datetime = Field(default_factory=utcnow, title="geändert am")
    updated_by: str = Field(default="", max_length=100, title="geändert von")
    version: int = Field(default=1, title="Version")
    archived: bool = Field(default=False, index=True, title="archiviert")

    @declared_attr  # type: ignore[misc, arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        # Optimistic locking in SQL: every UPDATE says `WHERE version = <read version>`, so
        # of two users saving the same record concurrently the second one changes nothing
        # and gets a conflict instead of silently overwriting the first.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class PeriodChecked(SQLModel):
    """Schemas with a start and an end: the end may not lie before the start."""

    period_fields: ClassVar[tuple[str, str]] = ("start_date", "end_date")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Any:
        start_field, end_field = self.period_fields
        start, end = getattr(self, start_field), getattr(self, end_field)
        if start is not None and end is not None and end < start:
            raise PydanticCustomError(
                "end_before_start",
                "end before start",
                {"field": end_field},
            )
        return self


def multiline(info: Any) -> bool:
    """Whether a schema field holds text of several lines (it is stored as TEXT)."""
    sa_type = _meta(info, "sa_type")
    return sa_type is sa.Text or isinstance(sa_type, sa.Text)


def partial_model(create_cls: type[SQLModel], name: str) -> type[SQLModel]:
    """Build the Update schema of an entity: every Create field, all optional.

    Field constraints (lengths, ranges, enums) carry over; rules across fields are
    checked on the merged record through the Create schema by the write path.
    """
    fields: dict[str, Any] = {}
    for field_name, info in create_cls.model_fields.items():
        optional = info.annotation | None  # type: ignore[operator]
        copied = Field(
            default=None,
            title=info.title,
            max_length=_meta(info, "max_length"),
            min_length=_meta(info, "min_length"),
            ge=_meta(info, "ge"),
            le=_meta(info, "le"),
            schema_extra={"pattern": _meta(info, "pattern")} if _meta(info, "pattern") else {},
            # Kept so validation still knows which texts may span several lines.
            sa_type=_meta(info, "sa_type"),
        )
        fields[field_name] = (optional, copied)
    return create_model(name, __base__=SQLModel, **fields)


def _meta(info: Any, attribute: str) -> Any:
    for item in info.metadata:
        if hasattr(item, attribute):
            return getattr(item, attribute)
    return None


__all__ = [
    "DATETIME_RANGE",
    "DATE_MAX",
    "DATE_MIN",
    "DATE_RANGE",
    "DEMO_SOURCE",
    "KEY_MAX",
    "KEY_RANGE",
    "NAME_MAX",
    "SHORT_MAX",
    "SOURCE_MAX",
    "TEXT_MAX",
    "PeriodChecked",
    "RecordFields",
    "SourcedBase",
    "enum_type",
    "multiline",
    "partial_model",
    "utcnow",
]
