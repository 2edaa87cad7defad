"""Backup and restore of the whole workspace as one file.

A backup is a zip: `manifest.json` (schema revision, time, row counts, table order) and
one JSON Lines file per table, in foreign-key order, with every column — ids, versions,
the archived flag and the audit trail included. A restore goes only into an empty
database at the same schema revision, inserts in the same order in one transaction and
moves PostgreSQL's id sequences past the restored ids.
"""

import io
import json
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, func
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session, SQLModel

import models  # noqa: F401  (registers every table)
from models.base import KEY_MAX, utcnow
from services import uploads
from services.actor import Actor
from services.errors import DomainError
from services.periods import format_datetime
from services.permissions import require_admin

FORMAT = "kooperationsraum-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
Progress = Callable[[float], None]
_FILE = "Die Sicherungsdatei"
_NOT_A_BACKUP = (
    "Die Datei ist keine vollständige Sicherung von Kooperationsraum "
    "(ZIP-Datei mit manifest.json und einer Datei je Tabelle)."
)


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put into the database."""

    schema_revision: str | None
    backup_created_at: str
    row_counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.row_counts.values())

    @property
    def summary(self) -> str:
        try:
            created = format_datetime(datetime.fromisoformat(self.backup_created_at))
        except ValueError:
            created = self.backup_created_at
        return (
            f"{self.total} Datensätze aus der Sicherung vom {created} Uhr "
            f"wiederhergestellt (Schema-Version {self.schema_revision})."
        )


def tables() -> list[sa.Table]:
    """Every table, parents before the tables that refer to them."""
    return list(SQLModel.metadata.sorted_tables)


def schema_revision(connection: Connection) -> str | None:
    """The database's Alembic revision (None when it was never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def _to_json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _jsonl(connection: Connection, table: sa.Table) -> tuple[bytes, int]:
    statement = sa.select(table).order_by(*table.primary_key.columns)
    lines = []
    for row in connection.execute(statement).mappings():
        record = {column.name: _to_json(row[column.name]) for column in table.columns}
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(lines) + "\n" if lines else "").encode("utf-8"), len(lines)


def backup(
    session: Session,
    *,
    actor: Actor,
    include_non_public: bool = True,
    progress: Progress | None = None,
) -> bytes:
    """The whole workspace as one zip file (for administrators: always everything)."""
    # It holds every account with its password hash: nobody but an administrator takes it.
    require_admin(actor, "Die Sicherung der Datenbank")
    if not include_non_public:
        raise DomainError(
            "Eine Sicherung enthält immer alle Daten und ist nur für Administratoren.",
            "include_non_public",
        )
    connection = session.connection()
    all_tables = tables()
    counts: dict[str, int] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, table in enumerate(all_tables, start=1):
            content, counts[table.name] = _jsonl(connection, table)
            archive.writestr(f"tables/{table.name}.jsonl", content)
            if progress:
                progress(index / len(all_tables))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": schema_revision(connection),
            "created_at": utcnow().isoformat(timespec="seconds"),
            "dialect": connection.dialect.name,
            "tables": [table.name for table in all_tables],
            "row_counts": counts,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    # A backup only reads: end its snapshot so no lock outlives it (PostgreSQL would
    # otherwise block a later TRUNCATE, restore or migration behind this idle transaction).
    session.rollback()
    return buffer.getvalue()


def read_backup(data: bytes) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The manifest and each table's records of a backup file (German error if it is none)."""
    uploads.check_size(data, limit=uploads.BACKUP_MAX_BYTES, what=_FILE)
    if not uploads.looks_like_zip(data):
        raise DomainError(_NOT_A_BACKUP, "file")
    try:
        with uploads.open_zip(
            data,
            what=_FILE,
            max_entries=uploads.BACKUP_MAX_ENTRIES,
            max_unpacked=uploads.BACKUP_MAX_UNPACKED_BYTES,
        ) as archive:
            manifest = _checked_manifest(json.loads(archive.read(MANIFEST)))
            records = {
                name: _records(archive.read(f"tables/{name}.jsonl")) for name in manifest["tables"]
            }
    # Whatever a damaged or foreign archive makes zipfile, zlib or json raise.
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
        TypeError,
        RecursionError,
    ) as exc:
        raise DomainError(_NOT_A_BACKUP, "file") from exc
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, or an unknown compression
        raise DomainError(
            f"{_FILE} ist verschlüsselt oder anders gepackt ({exc}).", "file"
        ) from exc
    return manifest, records


def _checked_manifest(manifest: Any) -> dict[str, Any]:
    # Pages show the manifest's facts before a restore: they must have the expected types.
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(MANIFEST)
    names, counts = manifest.get("tables"), manifest.get("row_counts", {})
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValueError("tables")
    if not isinstance(counts, dict) or not all(_is_int(count) for count in counts.values()):
        raise ValueError("row_counts")
    if not all(isinstance(manifest.get(k), str | None) for k in ("created_at", "schema_revision")):
        raise ValueError("created_at")
    return manifest


def _records(content: bytes) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in content.decode("utf-8").splitlines() if line.strip()]
    if not all(isinstance(record, dict) for record in records):
        raise ValueError("record")
    return records


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _from_json(column: sa.Column[Any], value: Any) -> Any:
    """A stored value from its JSON form; ValueError unless it fits the column."""
    if value is None:
        return None
    column_type = getattr(column.type, "impl", column.type)  # through TypeDecorators
    if isinstance(column_type, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, sa.Date):
        return date.fromisoformat(value)
    if isinstance(column_type, sa.Boolean):
        fits = isinstance(value, bool)
    elif isinstance(column_type, sa.Integer):
        fits = _is_int(value) and -KEY_MAX - 1 <= value <= KEY_MAX
    elif isinstance(column_type, sa.Enum):
        fits = value in column_type.enums
    elif isinstance(column_type, sa.String):
        fits = (
            isinstance(value, str)
            and "\x00" not in value  # PostgreSQL refuses NUL in text
            and (column_type.length is None or len(value) <= column_type.length)
        )
    else:
        fits = True  # JSON: any value
    if not fits:
        raise ValueError(column.name)
    return value


def _typed_rows(records: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Every record as column values the database takes, checked before anything is written."""
    typed: dict[str, list[dict[str, Any]]] = {}
    for table in tables():
        rows = typed.setdefault(table.name, [])
        for number, record in enumerate(records.get(table.name, []), start=1):
            row = {}
            for column in table.columns:
                try:
                    row[column.name] = _from_json(column, record.get(column.name))
                except (ValueError, TypeError) as exc:
                    raise DomainError(
                        f"Die Sicherung enthält in Tabelle „{table.name}“, Datensatz {number}, "
                        f"Spalte „{column.name}“ einen ungültigen Wert; es wurde nichts "
                        "wiederhergestellt.",
                        "file",
                    ) from exc
            rows.append(row)
    return typed


def _self_references(table: sa.Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _refuse_unless_empty(connection: Connection, manifest: dict[str, Any]) -> None:
    current = schema_revision(connection)
    if manifest.get("schema_revision") != current:
        raise DomainError(
            f"Die Sicherung hat Schema-Version {manifest.get('schema_revision') or '(keine)'}, "
            f"die Datenbank {current or '(keine; bitte zuerst `python manage.py migrate`)'}. "
            "Wiederherstellen geht nur bei gleicher Version.",
            "file",
        )
    known = {table.name for table in tables()}
    unknown = [name for name in manifest["tables"] if name not in known]
    if unknown:
        raise DomainError(
            f"Die Sicherung enthält unbekannte Tabellen: {', '.join(unknown)}.", "file"
        )
    filled = [
        table.name
        for table in tables()
        if connection.execute(sa.select(func.count()).select_from(table)).scalar_one()
    ]
    if filled:
        raise DomainError(
            "Die Datenbank ist nicht leer (Daten in: "
            f"{', '.join(filled)}); eine Sicherung wird nur in eine leere Datenbank "
            "wiederhergestellt.",
            "file",
        )


def _insert(connection: Connection, typed: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables():
        rows = typed[table.name]
        counts[table.name] = len(rows)
        if not rows:
            continue
        # Rows of one table may point at each other (parent, deputy): insert them without
        # those links first, then set the links once every row exists.
        links = _self_references(table)
        connection.execute(table.insert(), [{**row, **dict.fromkeys(links, None)} for row in rows])
        for link in links:
            linked = [{"row_id": row["id"], "link": row[link]} for row in rows if row[link]]
            if linked:
                connection.execute(
                    table.update()
                    .where(table.c.id == sa.bindparam("row_id"))
                    .values({link: sa.bindparam("link")}),
                    linked,
                )
    return counts


def _reset_sequences(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return  # SQLite takes max(id) + 1 by itself.
    for table in tables():
        if "id" not in table.c:
            continue
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
            )
        )


def restore(
    target: Engine | Session, data: bytes, *, actor: Actor, progress: Progress | None = None
) -> RestoreReport:
    """Restore a backup into an empty database at the same schema revision; all or nothing."""
    # It writes below the one write path (rows as they were, ids included), so check here.
    require_admin(actor, "Das Wiederherstellen einer Sicherung")
    manifest, records = read_backup(data)
    typed = _typed_rows(records)

    def run(connection: Connection) -> dict[str, int]:
        _refuse_unless_empty(connection, manifest)
        if progress:
            progress(0.1)
        counts = _insert(connection, typed)
        if progress:
            progress(0.9)
        _reset_sequences(connection)
        return counts

    try:
        if isinstance(target, Session):
            try:
                counts = run(target.connection())
                target.commit()
            except BaseException:
                target.rollback()
                raise
        else:
            with target.begin() as connection:
                counts = run(connection)
    except (IntegrityError, DataError) as exc:
        # Well-typed rows that still break a rule: a reference to nothing, a duplicate.
        raise DomainError(
            "Die Sicherung verletzt die Regeln der Datenbank "
            f"({exc.orig.__class__.__name__ if exc.orig else exc.__class__.__name__}); "
            "es wurde nichts wiederhergestellt.",
            "file",
        ) from exc
    if progress:
        progress(1.0)
    return RestoreReport(
        schema_revision=manifest.get("schema_revision"),
        backup_created_at=str(manifest.get("created_at", "")),
        row_counts=counts,
    )
