"""The one write path: audit events, optimistic versions, all-or-nothing transactions."""

from datetime import date

import pytest
from sqlmodel import Session, select

from models import AuditEvent, FollowUpNote, Organization
from models.enums import AuditAction, Role
from services import organizations, write
from services.actor import Actor
from services.errors import ConflictError, DomainError, NotFoundError
from tests.conftest import make_org


def events(session: Session) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)))


def test_create_writes_row_and_audit_event(session: Session, actor: Actor) -> None:
    org = make_org(session, name="Stadt Leipzig", kind="district_free_city", state="SN")
    assert org.created_by == actor.username
    assert org.version == 1
    [event] = events(session)
    assert (event.entity, event.entity_id, event.action) == (
        "organization",
        org.id,
        AuditAction.CREATE,
    )
    assert event.actor == actor.username
    assert event.changes["name"] == [None, "Stadt Leipzig"]
    assert event.changes["kind"] == [None, "district_free_city"]


def test_update_audits_old_and_new_values_and_bumps_version(session: Session, actor: Actor) -> None:
    org = make_org(session, name="Stadt Leipzig", kind="district_free_city")
    updated = organizations.update_organization(
        session=session, actor=actor, row_id=org.id, data={"short_name": "Leipzig"}
    )
    assert updated.version == 2
    event = events(session)[-1]
    assert event.action == AuditAction.UPDATE
    assert event.changes == {"short_name": [None, "Leipzig"]}


def test_update_without_change_writes_nothing(session: Session, actor: Actor) -> None:
    org = make_org(session, short_name="LK")
    organizations.update_organization(
        session=session, actor=actor, row_id=org.id, data={"short_name": "LK"}
    )
    assert len(events(session)) == 1
    assert session.get(Organization, org.id).version == 1


def test_archive_and_restore_are_audited_and_never_delete(session: Session, actor: Actor) -> None:
    org = make_org(session)
    organizations.archive_organization(session=session, actor=actor, row_id=org.id)
    assert session.get(Organization, org.id).archived is True
    organizations.restore_organization(session=session, actor=actor, row_id=org.id)
    assert session.get(Organization, org.id).archived is False
    assert [e.action for e in events(session)] == [
        AuditAction.CREATE,
        AuditAction.ARCHIVE,
        AuditAction.RESTORE,
    ]


def test_stale_version_is_refused_with_who_and_when(session: Session, actor: Actor) -> None:
    org = make_org(session)
    other = Actor(username="kollegin", display_name="Kollegin", role=Role.ADMIN)
    organizations.update_organization(
        session=session, actor=other, row_id=org.id, data={"short_name": "A"}
    )
    with pytest.raises(ConflictError) as info:
        organizations.update_organization(
            session=session,
            actor=actor,
            row_id=org.id,
            data={"short_name": "B"},
            expected_version=1,
        )
    assert "kollegin" in info.value.message
    assert session.get(Organization, org.id).short_name == "A"


def test_unknown_record_is_a_german_not_found(session: Session, actor: Actor) -> None:
    with pytest.raises(NotFoundError, match="Organisation mit der Nummer 999 gibt es nicht"):
        organizations.update_organization(
            session=session, actor=actor, row_id=999, data={"name": "x"}
        )


def test_failure_after_the_insert_leaves_nothing_behind(
    session: Session, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_audit(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(write, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        make_org(session, name="Halb geschrieben")
    monkeypatch.undo()
    assert session.exec(select(Organization)).all() == []
    assert events(session) == []


def test_invalid_update_changes_nothing(session: Session, actor: Actor) -> None:
    org = make_org(session, name="Vorher")
    with pytest.raises(DomainError):
        organizations.update_organization(
            session=session, actor=actor, row_id=org.id, data={"name": "Nachher", "kind": "kingdom"}
        )
    session.expire_all()
    assert session.get(Organization, org.id).name == "Vorher"
    assert len(events(session)) == 1


def test_database_constraint_race_becomes_a_domain_error(session: Session, actor: Actor) -> None:
    # Simulates two users passing the service check at once: the unique index still holds.
    note_without_decision = {"decision_id": 12345, "noted_on": date(2020, 1, 1), "status": "open"}
    with pytest.raises(DomainError), write.transaction(session):
        write.add_row(session, actor, FollowUpNote, note_without_decision)
    assert session.exec(select(FollowUpNote)).all() == []
