"""Backup and restore: the whole workspace out as one file and back into an empty database."""

import io
import json
import zipfile

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from models import AuditEvent, Membership, Organization
from models.enums import Role
from services import backup as backups
from services import uploads
from services.actor import SYSTEM_ACTOR, Actor
from services.errors import DomainError, PermissionDeniedError
from services.organizations import (
    archive_organization,
    create_organization,
    update_organization,
)
from services.seed import load_demo_data
from tests.conftest import ACTOR, _empty, make_committee, make_membership, make_org, make_person


def _tables(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "manifest.json"}


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _manifest(data: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest: dict[str, object] = json.loads(archive.read("manifest.json"))
        return manifest


def test_backup_holds_every_table_in_dependency_order_with_a_manifest(session: Session) -> None:
    load_demo_data(session)
    data = backups.backup(session, actor=SYSTEM_ACTOR)
    manifest = _manifest(data)
    assert manifest["format"] == "kooperationsraum-backup"
    assert manifest["schema_revision"]
    names = [table.name for table in backups.tables()]
    assert manifest["tables"] == names
    assert names.index("organization") < names.index("person") < names.index("membership")
    counts = manifest["row_counts"]
    assert isinstance(counts, dict)
    assert counts["committee"] == 3
    assert counts["audit_event"] == session.exec(select(func.count()).select_from(AuditEvent)).one()
    first = json.loads(_tables(data)["tables/organization.jsonl"].splitlines()[0])
    assert {"id", "version", "archived", "created_at", "kind"} <= set(first)
    audit = json.loads(_tables(data)["tables/audit_event.jsonl"].splitlines()[0])
    assert isinstance(audit["changes"], dict)


def test_backup_restore_backup_gives_identical_tables(engine: Engine, session: Session) -> None:
    load_demo_data(session)
    # Self-references pointing at a later row, an archived record and a changed version.
    late_parent = make_org(session, name="Später angelegtes Land", kind="land")
    first = session.exec(select(Organization).order_by(col(Organization.id))).first()
    assert first is not None
    assert first.id is not None
    update_organization(
        session=session, actor=ACTOR, row_id=first.id, data={"parent_id": late_parent.id}
    )
    archive_organization(session=session, actor=ACTOR, row_id=late_parent.id - 1)
    body = make_committee(session, name="Gremium mit Stellvertretung")
    member = make_membership(session, body, make_person(session, family_name="Haupt"))
    make_membership(
        session,
        body,
        make_person(session, family_name="Vertretung"),
        role="deputy_member",
        deputy_of_id=member.id,
    )
    body_id, member_id, late_id = body.id, member.id, late_parent.id
    before = backups.backup(session, actor=SYSTEM_ACTOR)
    session.close()

    _empty(engine)
    with Session(engine) as fresh:
        report = backups.restore(fresh, before, actor=SYSTEM_ACTOR)
        assert report.total == sum(_manifest(before)["row_counts"].values())  # type: ignore[union-attr]
        assert "wiederhergestellt" in report.summary
        after = backups.backup(fresh, actor=SYSTEM_ACTOR)
        assert _tables(after) == _tables(before)
        assert _manifest(after)["row_counts"] == _manifest(before)["row_counts"]
        deputy = fresh.exec(
            select(Membership).where(
                Membership.committee_id == body_id, Membership.role == "deputy_member"
            )
        ).one()
        assert deputy.deputy_of_id == member_id
        # New records get fresh ids after a restore (the sequences moved on).
        created = create_organization(
            session=fresh, actor=ACTOR, data={"name": "Neu nach Wiederherstellung", "kind": "other"}
        )
        assert created.id is not None
        assert created.id > late_id


def test_restore_into_a_filled_database_is_refused_and_writes_nothing(
    engine: Engine, session: Session
) -> None:
    load_demo_data(session)
    data = backups.backup(session, actor=SYSTEM_ACTOR)
    counts = _manifest(data)["row_counts"]
    with pytest.raises(DomainError, match="Die Datenbank ist nicht leer"):
        backups.restore(engine, data, actor=SYSTEM_ACTOR)
    assert _manifest(backups.backup(session, actor=SYSTEM_ACTOR))["row_counts"] == counts


def test_restore_with_another_schema_revision_is_refused(engine: Engine, session: Session) -> None:
    make_org(session)
    data = backups.backup(session, actor=SYSTEM_ACTOR)
    session.close()  # ends its read transaction, which would block emptying on PostgreSQL
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for name in source.namelist():
            content = source.read(name)
            if name == "manifest.json":
                manifest = json.loads(content)
                manifest["schema_revision"] = "0000alt"
                content = json.dumps(manifest).encode()
            target.writestr(name, content)
    _empty(engine)
    with pytest.raises(
        DomainError, match="Die Sicherung hat Schema-Version 0000alt, die Datenbank"
    ):
        backups.restore(engine, buffer.getvalue(), actor=SYSTEM_ACTOR)
    with Session(engine) as fresh:
        assert fresh.exec(select(func.count()).select_from(Organization)).one() == 0


def test_restore_rejects_a_file_that_is_no_backup(engine: Engine) -> None:
    with pytest.raises(DomainError, match="keine vollständige Sicherung"):
        backups.restore(engine, b"Name;Art\r\n", actor=SYSTEM_ACTOR)


# --- files that are no backup, too large, or hostile -----------------------------------


def _rewritten(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The backup with some entries replaced (or left out, for None) or added."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            if name not in change:
                target.writestr(name, source.read(name))
        for name, content in change.items():
            if content is not None:
                target.writestr(name, content)
    return buffer.getvalue()


def _one_org_backup(engine: Engine, session: Session) -> bytes:
    make_org(session)
    data = backups.backup(session, actor=SYSTEM_ACTOR)
    session.close()
    _empty(engine)
    return data


def test_a_zip_bomb_is_refused_before_unpacking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "BACKUP_MAX_UNPACKED_BYTES", 16 * uploads.MB)
    manifest = {"format": "kooperationsraum-backup", "tables": ["organization"], "row_counts": {}}
    bomb = _zip(
        {
            "manifest.json": json.dumps(manifest).encode(),
            "tables/organization.jsonl": bytes(64 * uploads.MB),
        }
    )
    assert len(bomb) < uploads.MB
    with pytest.raises(DomainError, match="Die Sicherungsdatei ist entpackt zu groß \\(64,0 MB"):
        backups.read_backup(bomb)
    many = _zip({f"tables/t{n}.jsonl": b"" for n in range(uploads.BACKUP_MAX_ENTRIES + 1)})
    with pytest.raises(DomainError, match=f"{uploads.BACKUP_MAX_ENTRIES + 1} Einträge"):
        backups.read_backup(many)


def test_a_file_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "BACKUP_MAX_BYTES", uploads.MB)
    with pytest.raises(DomainError, match="ist 2 MB groß; erlaubt sind höchstens 1 MB"):
        backups.read_backup(b"PK\x03\x04" + bytes(2 * uploads.MB - 4))


@pytest.mark.parametrize(
    "manifest",
    [
        b"[1, 2]",
        b'{"format": "kooperationsraum-backup", "tables": "organization"}',
        b'{"format": "kooperationsraum-backup", "tables": [], "row_counts": {"a": "viele"}}',
        b'{"format": "kooperationsraum-backup", "tables": [], "created_at": 5}',
        b"[" * 100_000,
    ],
    ids=["list", "tables", "row_counts", "created_at", "nested"],
)
def test_a_malformed_manifest_is_no_backup(manifest: bytes) -> None:
    with pytest.raises(DomainError, match="keine vollständige Sicherung"):
        backups.read_backup(_zip({"manifest.json": manifest}))


@pytest.mark.parametrize(
    ("column", "value"),
    [("parent_id", 2**63), ("name", "Amt\u0000Nord"), ("kind", "kingdom"), ("archived", "ja")],
)
def test_a_value_the_column_cannot_hold_is_refused_and_nothing_stored(
    engine: Engine, session: Session, column: str, value: object
) -> None:
    data = _one_org_backup(engine, session)
    record = json.loads(_tables(data)["tables/organization.jsonl"])
    record[column] = value
    hostile = _rewritten(data, {"tables/organization.jsonl": json.dumps(record).encode()})
    with pytest.raises(DomainError) as info:
        backups.restore(engine, hostile, actor=SYSTEM_ACTOR)
    assert info.value.message == (
        f"Die Sicherung enthält in Tabelle „organization“, Datensatz 1, Spalte „{column}“ "
        "einen ungültigen Wert; es wurde nichts wiederhergestellt."
    )
    with Session(engine) as fresh:
        assert fresh.exec(select(func.count()).select_from(Organization)).one() == 0


def test_a_reference_to_nothing_is_refused_and_nothing_stored(
    engine: Engine, session: Session
) -> None:
    data = _one_org_backup(engine, session)
    record = json.loads(_tables(data)["tables/organization.jsonl"])
    orphan = {**record, "id": record["id"] + 1, "name": "Waise", "parent_id": 999}
    lines = f"{json.dumps(record)}\n{json.dumps(orphan)}\n".encode()
    hostile = _rewritten(data, {"tables/organization.jsonl": lines})
    with pytest.raises(DomainError, match="verletzt die Regeln der Datenbank"):
        backups.restore(engine, hostile, actor=SYSTEM_ACTOR)
    with Session(engine) as fresh:
        assert fresh.exec(select(func.count()).select_from(Organization)).one() == 0


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.READER])
def test_only_administrators_take_or_restore_a_backup(
    engine: Engine, session: Session, role: Role
) -> None:
    someone = Actor(username="jemand", display_name="Jemand", role=role)
    with pytest.raises(PermissionDeniedError, match="Administratoren vorbehalten"):
        backups.backup(session, actor=someone)
    data = backups.backup(session, actor=SYSTEM_ACTOR)
    with pytest.raises(PermissionDeniedError, match="Administratoren vorbehalten"):
        backups.restore(engine, data, actor=someone)
