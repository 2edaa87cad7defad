"""The Änderungsprotokoll: one event per write, with old and new values."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import enum_type, utcnow
from models.enums import AuditAction


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True, title="Zeitpunkt")
    actor: str = Field(max_length=100, index=True, title="von")
    entity: str = Field(max_length=40, index=True, title="Objektart")
    entity_id: int = Field(index=True, title="Objekt-ID")
    action: AuditAction = Field(sa_type=enum_type(AuditAction), title="Aktion")
    # {field: [old, new]} with JSON-safe values (ISO dates, enum codes).
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, title="Änderungen")
