"""The Änderungsprotokoll: who changed what when, with old and new values in German."""

from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cache
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, SQLModel, col, select

import models
from models.audit import AuditEvent
from models.enums import AuditAction, LabeledEnum
from services.paging import DEFAULT_PAGE_SIZE, Page, fetch_page
from services.periods import BERLIN, format_date, format_datetime
from services.write import ENTITY_LABELS, table_name

EVENT_COLUMNS = [
    "id",
    "at",
    "when",
    "actor",
    "entity",
    "entity_label",
    "entity_id",
    "action",
    "changes",
]
EMPTY = "—"


@cache
def table_models() -> dict[str, type[SQLModel]]:
    """Every table model by its table name (the entity name in the audit trail)."""
    found: dict[str, type[SQLModel]] = {}
    for name in models.__all__:
        model = getattr(models, name)
        if isinstance(model, type) and hasattr(model, "__table__"):
            found[table_name(model)] = model
    return found


def entity_label(entity: str) -> str:
    """The German name of an object type ("organization" → "Organisation")."""
    return ENTITY_LABELS.get(entity, entity)


def field_label(entity: str, field: str) -> str:
    """The German title of a field of the entity's model, else its code name."""
    model: type[BaseModel] | None = table_models().get(entity)
    info = model.model_fields.get(field) if model else None
    return info.title if info is not None and info.title else field


def format_value(entity: str, field: str, value: Any) -> str:
    """A stored JSON value as the UI shows it: dates dd.mm.yyyy, enum codes as labels.

    References to other records show their number ("Nr. 14").
    """
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "ja" if value else "nein"
    column = _column(entity, field)
    if column is not None and column.foreign_keys and isinstance(value, int):
        return f"Nr. {value}"
    column_type = column.type if column is not None else None
    if isinstance(value, str) and column_type is not None:
        if isinstance(column_type, sa.Enum) and column_type.enum_class is not None:
            return _enum_label(column_type.enum_class, value)
        python_type = _python_type(column_type)
        if python_type is datetime:
            return _parsed(value, datetime.fromisoformat, format_datetime)
        if python_type is date:
            return _parsed(value, date.fromisoformat, format_date)
    return str(value)


def _column(entity: str, field: str) -> sa.Column[Any] | None:
    model = table_models().get(entity)
    table = getattr(model, "__table__", None)
    if table is None or field not in table.c:
        return None
    return table.c[field]  # type: ignore[no-any-return]


def _python_type(column_type: Any) -> type | None:
    try:
        return column_type.python_type  # type: ignore[no-any-return]
    except NotImplementedError:
        return None


def _enum_label(enum_cls: type[Enum], code: str) -> str:
    try:
        member = enum_cls(code)
    except ValueError:
        return code
    return member.label if isinstance(member, LabeledEnum) else str(member.value)


def _parsed(value: str, parse: Any, show: Any) -> str:
    try:
        return str(show(parse(value)))
    except ValueError:
        return value


def change_lines(entity: str, changes: dict[str, Any]) -> list[str]:
    """One "Feld: alt → neu" line per changed field, in German."""
    lines = []
    for field, pair in changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        lines.append(
            f"{field_label(entity, field)}: "
            f"{format_value(entity, field, old)} → {format_value(entity, field, new)}"
        )
    return lines


def day_start(day: date) -> datetime:
    """Midnight of `day` in German local time, as an aware UTC-comparable moment."""
    return datetime.combine(day, time.min, tzinfo=BERLIN)


def list_events(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page:
    """Audit events, newest first; `since` and `until` are whole German calendar days."""
    statement = select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    if entity:
        statement = statement.where(AuditEvent.entity == entity)
    if entity_id is not None:
        statement = statement.where(AuditEvent.entity_id == entity_id)
    if actor:
        statement = statement.where(AuditEvent.actor == actor)
    if since is not None:
        statement = statement.where(col(AuditEvent.at) >= day_start(since))
    if until is not None:
        statement = statement.where(col(AuditEvent.at) < day_start(until + timedelta(days=1)))

    def to_row(row: Any) -> dict[str, Any]:
        event: AuditEvent = row[0]
        return {
            "id": event.id,
            "at": event.at,
            "when": format_datetime(event.at),
            "actor": event.actor,
            "entity": event.entity,
            "entity_label": entity_label(event.entity),
            "entity_id": event.entity_id,
            "action": AuditAction(event.action).label,
            "changes": change_lines(event.entity, event.changes or {}),
        }

    return fetch_page(session, statement, to_row, EVENT_COLUMNS, limit=limit, offset=offset)


def actors(session: Session) -> list[str]:
    """Everyone who has changed something, alphabetically (for the filter)."""
    statement = select(AuditEvent.actor).distinct().order_by(col(AuditEvent.actor))
    return list(session.exec(statement))
