"""The Änderungsprotokoll: who changed what when, with old and new values in German.

The trail can outgrow memory (every save of every user, for years), so the CSV export
reads it in batches and writes it in chunks; the page pages it in SQL.
"""

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cache
from typing import IO, Any, TypedDict, Unpack

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, SQLModel, and_, col, or_, select

import models
from models.audit import AuditEvent
from models.decision import FollowUpNote
from models.enums import AuditAction, LabeledEnum
from models.meeting import AgendaItem
from services.csv_export import EXCEL_DE, CsvDialect, write_csv
from services.decisions import public_decision_ids
from services.paging import DEFAULT_PAGE_SIZE, Page, fetch_page
from services.periods import BERLIN, format_date, format_datetime
from services.write import ENTITY_LABELS, SECRET_FIELDS, table_name

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
# One row per changed field; the keys are the machine headers of the RFC 4180 dialect.
CSV_COLUMNS = {
    "at": "Zeitpunkt",
    "actor": "Benutzer",
    "entity": "Objektart",
    "entity_id": "Objekt-ID",
    "action": "Aktion",
    "field": "Feld",
    "old_value": "alter Wert",
    "new_value": "neuer Wert",
}
BATCH = 1000


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
    # Through TypeDecorators such as the UTC timestamps (their own python_type is `object`).
    column_type = getattr(column_type, "impl", column_type)
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


class AuditFilters(TypedDict, total=False):
    """The page's and the export's filters; each one left out (or None) filters nothing.

    `since` and `until` are whole German calendar days; `include_non_public=False` leaves out
    what Lesend may not see.
    """

    entity: str | None
    entity_id: int | None
    actor: str | None
    action: AuditAction | None
    since: date | None
    until: date | None
    include_non_public: bool


def _filtered(statement: Any, filters: AuditFilters) -> Any:
    """The filters, all in SQL."""
    entity, entity_id = filters.get("entity"), filters.get("entity_id")
    actor, action = filters.get("actor"), filters.get("action")
    since, until = filters.get("since"), filters.get("until")
    if entity:
        statement = statement.where(AuditEvent.entity == entity)
    if entity_id is not None:
        statement = statement.where(AuditEvent.entity_id == entity_id)
    if actor:
        statement = statement.where(AuditEvent.actor == actor)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    if since is not None:
        statement = statement.where(col(AuditEvent.at) >= day_start(since))
    if until is not None:
        statement = statement.where(col(AuditEvent.at) < day_start(until + timedelta(days=1)))
    if not filters.get("include_non_public", True):
        statement = statement.where(_public_only())
    return statement


def _public_only() -> Any:
    """Events about non-public agenda items and their decisions stay with those who may see them.

    The rule is the minutes export's: an agenda item shows when it is public; a decision when
    its agenda item is, or (Umlaufverfahren, no item) when its meeting is. What no longer
    exists (deleted) cannot be checked and is left out.
    """
    public_items = select(AgendaItem.id).where(col(AgendaItem.public).is_(True))
    public_decisions = public_decision_ids()
    public_notes = select(FollowUpNote.id).where(
        col(FollowUpNote.decision_id).in_(public_decisions)
    )
    guarded = {
        "agenda_item": public_items,
        "decision": public_decisions,
        "follow_up_note": public_notes,
    }
    return or_(
        col(AuditEvent.entity).not_in(list(guarded)),
        *(
            and_(AuditEvent.entity == entity, col(AuditEvent.entity_id).in_(visible))
            for entity, visible in guarded.items()
        ),
    )


def list_events(
    session: Session,
    *,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
    **filters: Unpack[AuditFilters],
) -> Page:
    """Audit events, newest first, one page of them."""
    statement = _filtered(
        select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()),
        filters,
    )

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


def audit_rows(
    session: Session, *, dialect: CsvDialect = EXCEL_DE, **filters: Unpack[AuditFilters]
) -> Iterator[dict[str, Any]]:
    """One row per changed field, oldest first, keyed like CSV_COLUMNS, read in batches.

    German readers get labels and values as the page shows them; machines get codes and
    the stored values. An event without field changes (a sign-out) is one row.
    """
    statement = _filtered(
        select(AuditEvent).order_by(col(AuditEvent.at), col(AuditEvent.id)), filters
    )
    german = dialect.german_headers
    for event in session.exec(statement.execution_options(yield_per=BATCH)):
        code = AuditAction(event.action)
        common = {
            "at": event.at,
            "actor": event.actor,
            "entity": entity_label(event.entity) if german else event.entity,
            "entity_id": event.entity_id,
            "action": code.label if german else code.value,
        }
        changes = event.changes or {}
        if not changes:
            yield common
        for field, pair in changes.items():
            old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            if field in SECRET_FIELDS:
                # Events from before the trail masked secrets must not leak them either.
                old, new = (
                    ("***" if old is not None else None),
                    ("***" if new is not None else None),
                )
            yield {
                **common,
                "field": field_label(event.entity, field) if german else field,
                "old_value": _csv_value(event.entity, field, old, german),
                "new_value": _csv_value(event.entity, field, new, german),
            }


def _csv_value(entity: str, field: str, value: Any, german: bool) -> str:
    # An empty cell, not the page's dash: spreadsheets filter and count on empty cells.
    if value is None or value == "":
        return ""
    if german:
        return format_value(entity, field, value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def audit_csv_chunks(
    session: Session, *, dialect: CsvDialect = EXCEL_DE, **filters: Unpack[AuditFilters]
) -> Iterator[bytes]:
    """The filtered trail as CSV, in pieces of BATCH rows (header and BOM in the first)."""
    header = write_csv([], CSV_COLUMNS, dialect)
    yield header
    batch: list[dict[str, Any]] = []
    for row in audit_rows(session, dialect=dialect, **filters):
        batch.append(row)
        if len(batch) == BATCH:
            # The one CSV writer always starts with the header; later pieces drop it.
            yield write_csv(batch, CSV_COLUMNS, dialect).removeprefix(header)
            batch = []
    if batch:
        yield write_csv(batch, CSV_COLUMNS, dialect).removeprefix(header)


def write_audit_csv(
    session: Session,
    *,
    output: IO[bytes],
    dialect: CsvDialect = EXCEL_DE,
    **filters: Unpack[AuditFilters],
) -> int:
    """Write the filtered trail as CSV to `output` without holding it in memory; bytes written."""
    written = 0
    for chunk in audit_csv_chunks(session, dialect=dialect, **filters):
        output.write(chunk)
        written += len(chunk)
    return written


def audit_csv(
    session: Session, *, dialect: CsvDialect = EXCEL_DE, **filters: Unpack[AuditFilters]
) -> bytes:
    """The filtered trail as one CSV file (for a download button)."""
    return b"".join(audit_csv_chunks(session, dialect=dialect, **filters))


def audit_file_name(*, since: date | None, until: date | None, dialect: CsvDialect) -> str:
    """A download name such as "aenderungsprotokoll_2026-01-01_2026-03-31.csv"."""
    period = "_".join(day.isoformat() if day else "offen" for day in (since, until))
    suffix = "" if dialect == EXCEL_DE else "_rfc4180"
    name = (
        "aenderungsprotokoll"
        if since is None and until is None
        else f"aenderungsprotokoll_{period}"
    )
    return f"{name}{suffix}.csv"


def actors(session: Session) -> list[str]:
    """Everyone who has changed something, alphabetically (for the filter)."""
    statement = select(AuditEvent.actor).distinct().order_by(col(AuditEvent.actor))
    return list(session.exec(statement))
