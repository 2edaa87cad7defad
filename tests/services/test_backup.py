"""Backup and restore: the whole workspace out as one file and back into an empty database."""

import io
import json
import zipfile

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from models import AuditEvent, Membership, Organization
from services import backup as backups
from services.errors import DomainError
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


def _manifest(data: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest: dict[str, object] = json.loads(archive.read("manifest.json"))
        return manifest


def test_backup_holds_every_table_in_dependency_order_with_a_manifest(session: Session) -> None:
    load_demo_data(session)
    data = backups.backup(session)
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
    before = backups.backup(session)
    session.close()

    _empty(engine)
    with Session(engine) as fresh:
        report = backups.restore(fresh, before)
        assert report.total == sum(_manifest(before)["row_counts"].values())  # type: ignore[union-attr]
        assert "wiederhergestellt" in report.summary
        after = backups.backup(fresh)
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
    data = backups.backup(session)
    counts = _manifest(data)["row_counts"]
    with pytest.raises(DomainError, match="Die Datenbank ist nicht leer"):
        backups.restore(engine, data)
    assert _manifest(backups.backup(session))["row_counts"] == counts


def test_restore_with_another_schema_revision_is_refused(engine: Engine, session: Session) -> None:
    make_org(session)
    data = backups.backup(session)
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
        backups.restore(engine, buffer.getvalue())
    with Session(engine) as fresh:
        assert fresh.exec(select(func.count()).select_from(Organization)).one() == 0


def test_restore_rejects_a_file_that_is_no_backup(engine: Engine) -> None:
    with pytest.raises(DomainError, match="keine vollständige Sicherung"):
        backups.restore(engine, b"Name;Art\r\n")
