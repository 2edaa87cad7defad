"""The one write path: every command validates, checks, writes and audits in one transaction.

Entity services describe their commands with `EntityCommands` (schemas plus
invariant check); commands that write several rows at once use `transaction`
with `add_row` and `apply_changes`. Nothing else adds or changes domain rows.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import func, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, select

from models.account import Account, Assignment
from models.audit import AuditEvent
from models.base import utcnow
from models.enums import AuditAction
from services.actor import Actor
from services.errors import ConflictError, DomainError, NotFoundError
from services.periods import format_datetime
from services.permissions import authorize, is_admin, require_admin, require_writer
from services.validation import validate

RowT = TypeVar("RowT", bound=SQLModel)
# An invariant check sees the validated values and, on updates, the stored row.
Check = Callable[[Session, Any, Any], object]

BOOKKEEPING = {"id", "created_at", "created_by", "updated_at", "updated_by", "version", "archived"}
# Created by a Sekretariat, these are assigned to it in the same transaction.
ASSIGNABLE = {"committee": "committee_id", "agreement": "agreement_id"}
# Never written to the audit trail in clear: the trail only says that they changed.
SECRET_FIELDS = {"password_hash"}

ENTITY_LABELS = {
    "organization": "Organisation",
    "person": "Person",
    "committee": "Gremium",
    "membership": "Mitgliedschaft",
    "meeting": "Sitzung",
    "agenda_item": "Tagesordnungspunkt",
    "attendance": "Anwesenheit",
    "decision": "Beschluss",
    "follow_up_note": "Umsetzungsvermerk",
    "agreement": "Vereinbarung",
    "agreement_party": "Vertragspartei",
    "approval": "Zustimmung",
    "topic_field": "Themenfeld",
    "participation": "Beteiligung",
    "user_account": "Benutzerkonto",
    "account_assignment": "Zuordnung",
}


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit everything done inside, or nothing: one transaction per user action."""
    try:
        yield session
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        # The service checks come first; this is the database catching a race between two users.
        raise DomainError(
            "Die Änderung widerspricht gespeicherten Daten (z. B. einer Eindeutigkeit). "
            "Bitte laden Sie die Seite neu und versuchen Sie es erneut."
        ) from exc
    except StaleDataError as exc:
        session.rollback()
        raise ConflictError(
            "Der Datensatz wurde inzwischen von jemand anderem geändert. Bitte laden Sie "
            "ihn neu; Ihre Eingaben bleiben im Formular erhalten.",
            "version",
        ) from exc
    except BaseException:
        session.rollback()
        raise


def table_name(model: type[SQLModel]) -> str:
    """The table behind a model class (the entity name in the audit trail)."""
    return str(model.__table__.name)  # type: ignore[attr-defined]


def key(row: SQLModel) -> int:
    """The primary key of a stored row (stored rows always have one)."""
    row_id = row.id  # type: ignore[attr-defined]
    assert row_id is not None, "row is not flushed yet"
    return int(row_id)


def get_row(session: Session, model: type[RowT], row_id: int | None, field: str = "id") -> RowT:
    """Load a row or raise a German NotFoundError naming what is missing."""
    row = session.get(model, row_id) if row_id is not None else None
    if row is None:
        label = ENTITY_LABELS.get(table_name(model), model.__name__)
        raise NotFoundError(f"{label} mit der Nummer {row_id} gibt es nicht.", field)
    return row


def require_active(
    session: Session, model: type[RowT], row_id: int | None, field: str
) -> RowT | None:
    """Check a reference: the row exists and is not archived (None passes)."""
    if row_id is None:
        return None
    row = get_row(session, model, row_id, field)
    if getattr(row, "archived", False):
        label = ENTITY_LABELS.get(table_name(model), model.__name__)
        raise DomainError(
            f"{label} Nr. {row_id} ist archiviert und kann nicht gewählt werden.", field
        )
    return row


def create_record(
    *,
    session: Session,
    actor: Actor,
    model: type[RowT],
    schema: type[BaseModel],
    data: BaseModel | dict[str, Any],
    check: Check | None = None,
    extra: dict[str, Any] | None = None,
) -> RowT:
    """Validate `data`, check invariants, insert the row and its audit event; commit."""
    require_writer(actor)
    with transaction(session):
        values = validate(schema, data)
        if check:
            check(session, values, None)
        row = add_row(session, actor, model, {**values.model_dump(), **(extra or {})})
    session.refresh(row)
    return row


def update_record(
    *,
    session: Session,
    actor: Actor,
    model: type[RowT],
    row_id: int,
    create_schema: type[BaseModel],
    update_schema: type[BaseModel],
    data: BaseModel | dict[str, Any],
    expected_version: int | None = None,
    check: Check | None = None,
    extra: dict[str, Any] | None = None,
) -> RowT:
    """Apply a partial change; rules across fields are checked on the merged record."""
    require_writer(actor)
    with transaction(session):
        row = get_row(session, model, row_id)
        changes = validate(update_schema, data).model_dump(exclude_unset=True)
        current = {name: getattr(row, name) for name in create_schema.model_fields}
        merged = validate(create_schema, {**current, **changes})
        if check:
            check(session, merged, row)
        apply_changes(session, actor, row, {**changes, **(extra or {})}, expected_version)
    session.refresh(row)
    return row


def set_archived(
    *,
    session: Session,
    actor: Actor,
    model: type[RowT],
    row_id: int,
    archived: bool,
    expected_version: int | None = None,
    check: Check | None = None,
) -> RowT:
    """Archive (or restore) instead of deleting: a normal user action never removes a record."""
    require_writer(actor)
    with transaction(session):
        row = get_row(session, model, row_id)
        authorize(session, actor, row)
        if check:
            check(session, row, row)
        if row.archived != archived:  # type: ignore[attr-defined]
            action = AuditAction.ARCHIVE if archived else AuditAction.RESTORE
            apply_changes(session, actor, row, {"archived": archived}, expected_version, action)
    session.refresh(row)
    return row


def delete_record(*, session: Session, actor: Actor, model: type[RowT], row_id: int) -> None:
    """Remove an archived record for good: administrators only, and only if nothing refers to it."""
    require_admin(actor, "Endgültiges Löschen")
    with transaction(session):
        row = get_row(session, model, row_id)
        label = ENTITY_LABELS.get(table_name(model), model.__name__)
        if not row.archived:  # type: ignore[attr-defined]
            raise DomainError(
                f"{label} Nr. {row_id} ist nicht archiviert. Endgültig gelöscht werden kann nur, "
                "was zuvor archiviert wurde."
            )
        references = referring_rows(session, model, row_id)
        if references:
            listed = ", ".join(f"{ENTITY_LABELS.get(t, t)} ({n})" for t, n in references.items())
            raise DomainError(
                f"{label} Nr. {row_id} kann nicht gelöscht werden, weil noch Datensätze darauf "
                f"verweisen: {listed}. Archiviert bleibt er aus allen Listen und Auswertungen."
            )
        old = {
            field: [to_json(value), None]
            for field, value in row.model_dump().items()
            if field not in BOOKKEEPING and value is not None
        }
        audit(session, actor, row, AuditAction.DELETE, old)
        session.delete(row)
        session.flush()


def referring_rows(session: Session, model: type[SQLModel], row_id: int) -> dict[str, int]:
    """How many rows of each table refer to this record through a foreign key."""
    target = model.__table__  # type: ignore[attr-defined]
    counts: dict[str, int] = {}
    for table in SQLModel.metadata.sorted_tables:
        for foreign_key in table.foreign_keys:
            if foreign_key.column.table is not target:
                continue
            count = session.exec(
                select(func.count()).select_from(table).where(foreign_key.parent == row_id)
            ).one()
            if count:
                counts[table.name] = counts.get(table.name, 0) + int(count)
    return counts


def add_row(session: Session, actor: Actor, model: type[RowT], values: dict[str, Any]) -> RowT:
    """Insert within the caller's transaction and audit it (for commands writing several rows)."""
    row = model(**values)
    authorize(session, actor, row)
    _insert(session, actor, row, values)
    entity = table_name(model)
    if not is_admin(actor) and actor.account_id is not None and entity in ASSIGNABLE:
        # A Sekretariat that creates a committee or agreement becomes responsible for it.
        target: dict[str, Any] = {ASSIGNABLE[entity]: key(row), "account_id": actor.account_id}
        _insert(session, actor, Assignment(**target), target)
    return row


def _insert(session: Session, actor: Actor, row: SQLModel, values: dict[str, Any]) -> None:
    now = utcnow()
    row.created_at = row.updated_at = now  # type: ignore[attr-defined]
    row.created_by = row.updated_by = actor.username  # type: ignore[attr-defined]
    row.version = 1  # type: ignore[attr-defined]
    session.add(row)
    session.flush()
    changes = {k: [None, to_json(v)] for k, v in values.items() if v is not None}
    audit(session, actor, row, AuditAction.CREATE, changes)


def apply_changes(
    session: Session,
    actor: Actor,
    row: SQLModel,
    changes: dict[str, Any],
    expected_version: int | None = None,
    action: AuditAction = AuditAction.UPDATE,
    *,
    account_upkeep: bool = False,
) -> dict[str, list[Any]]:
    """Change fields within the caller's transaction; audit only what really changed.

    `account_upkeep` is for what using an account changes on it (sign-in counters, a new
    password): any role may do that, so there is no role check; it is not an edit of the
    record, so updated_at/updated_by stay; and it is audited even when no field changed,
    because sign-ins and failed sign-ins are the security log.
    """
    if account_upkeep and not isinstance(row, Account):
        raise TypeError("account_upkeep applies to user accounts only")
    if not account_upkeep:
        authorize(session, actor, row)
    if expected_version is not None and expected_version != row.version:  # type: ignore[attr-defined]
        raise _conflict(row)
    diff = {
        field: [to_json(getattr(row, field)), to_json(value)]
        for field, value in changes.items()
        if field not in BOOKKEEPING - {"archived"} and getattr(row, field) != value
    }
    if not diff and not account_upkeep:
        return diff
    for field, value in changes.items():
        setattr(row, field, value)
    if not account_upkeep:
        row.updated_at = utcnow()  # type: ignore[attr-defined]
        row.updated_by = actor.username  # type: ignore[attr-defined]
    session.add(row)
    try:
        # Moving a record (say, a membership to another committee) needs the right there,
        # too. Its queries may autoflush the UPDATE, so a lost race can surface there already.
        if not account_upkeep:
            authorize(session, actor, row)
        # The mapper's version_id_col bumps `version` and updates only the version read.
        session.flush()
    except StaleDataError as exc:
        raise _lost_race(session, row) from exc
    audit(session, actor, row, action, diff)
    return diff


def _lost_race(session: Session, row: SQLModel) -> ConflictError:
    """The conflict for a save that another user's commit overtook, naming that user."""
    # The failed flush expired the row; reading row.id would need the dead transaction.
    model, row_id = type(row), inspect(row).identity[0]
    session.rollback()
    current = session.get(model, row_id, populate_existing=True)
    if current is None:
        return ConflictError(
            "Der Datensatz wurde inzwischen gelöscht. Ihre Eingaben bleiben im Formular erhalten.",
            "version",
        )
    return _conflict(current)


def _conflict(row: SQLModel) -> ConflictError:
    return ConflictError(
        f"Der Datensatz wurde inzwischen von {row.updated_by} am "  # type: ignore[attr-defined]
        f"{format_datetime(row.updated_at)} Uhr geändert. "  # type: ignore[attr-defined]
        "Bitte laden Sie ihn neu; Ihre Eingaben bleiben im Formular erhalten.",
        "version",
    )


def audit(
    session: Session,
    actor: Actor,
    row: SQLModel,
    action: AuditAction,
    changes: dict[str, list[Any]],
) -> None:
    """Record one event in the Änderungsprotokoll, within the caller's transaction."""
    changes = {
        field: ["***", "***"] if field in SECRET_FIELDS else values
        for field, values in changes.items()
    }
    session.add(
        AuditEvent(
            actor=actor.username,
            entity=table_name(type(row)),
            entity_id=row.id,  # type: ignore[attr-defined]
            action=action,
            changes=changes,
        )
    )


def to_json(value: Any) -> Any:
    """A JSON-safe form of a field value for the audit trail."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def find_one(session: Session, model: type[RowT], **criteria: Any) -> RowT | None:
    """The first row whose columns equal `criteria` (None when there is none)."""
    statement = select(model)
    for column, value in criteria.items():
        statement = statement.where(getattr(model, column) == value)
    return session.exec(statement).first()


class EntityCommands(Generic[RowT]):
    """The create / update / archive / restore commands of one entity, sharing its check."""

    def __init__(
        self,
        model: type[RowT],
        create_schema: type[BaseModel],
        update_schema: type[BaseModel],
        check: Check | None = None,
        archive_check: Check | None = None,
    ) -> None:
        self.model = model
        self.create_schema = create_schema
        self.update_schema = update_schema
        self.check = check
        self.archive_check = archive_check

    def create(
        self,
        *,
        session: Session,
        actor: Actor,
        data: BaseModel | dict[str, Any],
        extra: dict[str, Any] | None = None,
    ) -> RowT:
        """Validate, check and insert one record with its audit event."""
        return create_record(
            session=session,
            actor=actor,
            model=self.model,
            schema=self.create_schema,
            data=data,
            check=self.check,
            extra=extra,
        )

    def update(
        self,
        *,
        session: Session,
        actor: Actor,
        row_id: int,
        data: BaseModel | dict[str, Any],
        expected_version: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> RowT:
        """Change some fields of one record; the merged record is validated and checked."""
        return update_record(
            session=session,
            actor=actor,
            model=self.model,
            row_id=row_id,
            create_schema=self.create_schema,
            update_schema=self.update_schema,
            data=data,
            expected_version=expected_version,
            check=self.check,
            extra=extra,
        )

    def archive(
        self, *, session: Session, actor: Actor, row_id: int, expected_version: int | None = None
    ) -> RowT:
        """Archive one record (never a hard delete)."""
        return set_archived(
            session=session,
            actor=actor,
            model=self.model,
            row_id=row_id,
            archived=True,
            expected_version=expected_version,
            check=self.archive_check,
        )

    def restore(
        self, *, session: Session, actor: Actor, row_id: int, expected_version: int | None = None
    ) -> RowT:
        """Restore one archived record; it must satisfy the invariants as if created anew."""
        return set_archived(
            session=session,
            actor=actor,
            model=self.model,
            row_id=row_id,
            archived=False,
            expected_version=expected_version,
            check=self._check_stored,
        )

    def delete(self, *, session: Session, actor: Actor, row_id: int) -> None:
        """Delete one archived, unreferenced record for good (administrators only)."""
        delete_record(session=session, actor=actor, model=self.model, row_id=row_id)

    def _check_stored(self, session: Session, row: Any, _current: Any) -> None:
        if self.check is not None:
            values = validate(
                self.create_schema, row.model_dump(include=set(self.create_schema.model_fields))
            )
            self.check(session, values, row)
