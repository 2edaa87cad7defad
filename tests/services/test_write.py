"""The one write path: audit events, optimistic versions, all-or-nothing transactions."""

import json
from datetime import date

import pytest
from sqlmodel import Session, select

from models import AuditEvent, FollowUpNote, Organization
from models.enums import AuditAction, Role
from services import accounts, meetings, organizations, write
from services.actor import Actor
from services.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from tests.conftest import ACTOR, make_committee, make_meeting, make_org, make_person


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


# --- committee work of a Sekretariat --------------------------------------------------------


def secretariat_of(session: Session, committee_id: int | None) -> Actor:
    account = accounts.create_account(
        session=session,
        actor=ACTOR,
        data={"username": "gs-mv", "display_name": "Geschäftsstelle MV", "role": "secretariat"},
        password="ein-langes-testpasswort",
    )
    accounts.assign(session=session, actor=ACTOR, account_id=account.id, committee_id=committee_id)
    return accounts.account_actor(account)


def test_a_secretariats_save_is_one_version_and_one_event(session: Session) -> None:
    # The role check after the change queries the assignments; its autoflush must not
    # write the row once without and once with the bookkeeping fields.
    meeting = make_meeting(session, make_committee(session))
    secretariat = secretariat_of(session, meeting.committee_id)
    saved = meetings.update_meeting(
        session=session,
        actor=secretariat,
        row_id=meeting.id,
        data={"location": "Schwerin"},
        expected_version=1,
    )
    assert (saved.version, saved.updated_by) == (2, "gs-mv")
    [event] = [
        e for e in events(session) if e.entity == "meeting" and e.action == AuditAction.UPDATE
    ]
    assert (event.actor, event.changes) == ("gs-mv", {"location": [None, "Schwerin"]})


# --- hard delete: administrators only, archived and unreferenced records only ---------------

SECRETARIAT = Actor(username="gs", display_name="Geschäftsstelle", role=Role.SECRETARIAT)
READER = Actor(username="leser", display_name="Leser", role=Role.READER)


def test_admin_deletes_an_archived_unreferenced_record(session: Session, actor: Actor) -> None:
    org = make_org(session, name="Zweckverband Alt", short_name="ZV", state="MV")
    organizations.archive_organization(session=session, actor=actor, row_id=org.id)
    org_id = org.id

    organizations.ORGANIZATIONS.delete(session=session, actor=actor, row_id=org_id)

    session.expire_all()
    assert session.get(Organization, org_id) is None
    deleted = events(session)[-1]
    assert (deleted.entity, deleted.entity_id, deleted.action, deleted.actor) == (
        "organization",
        org_id,
        AuditAction.DELETE,
        actor.username,
    )
    # The trail keeps what was lost: every stored value, old → nothing.
    assert deleted.changes["name"] == ["Zweckverband Alt", None]
    assert deleted.changes["short_name"] == ["ZV", None]
    assert deleted.changes["state"] == ["MV", None]
    assert not set(deleted.changes) & write.BOOKKEEPING


def test_deleting_an_account_never_writes_its_password_hash(session: Session, actor: Actor) -> None:
    account = accounts.create_account(
        session=session,
        actor=actor,
        data={"username": "ehemalig", "display_name": "Ehemalige", "role": "reader"},
        password="ein-langes-testpasswort",
    )
    password_hash = str(account.password_hash)
    accounts.set_account_active(session=session, actor=actor, account_id=account.id, active=False)
    accounts.accounts.delete(session=session, actor=actor, row_id=account.id)

    trail = events(session)
    assert [e.action for e in trail] == [
        AuditAction.CREATE,
        AuditAction.ARCHIVE,
        AuditAction.DELETE,
    ]
    assert trail[-1].changes["password_hash"] == ["***", "***"]
    assert trail[-1].changes["username"] == ["ehemalig", None]
    stored = json.dumps([e.changes for e in trail])
    assert password_hash not in stored
    assert "$argon2" not in stored


@pytest.mark.parametrize("who", [SECRETARIAT, READER], ids=["Sekretariat", "Lesend"])
def test_only_administrators_delete(session: Session, actor: Actor, who: Actor) -> None:
    org = make_org(session)
    organizations.archive_organization(session=session, actor=actor, row_id=org.id)
    before = len(events(session))
    with pytest.raises(PermissionDeniedError, match="Administratoren vorbehalten"):
        organizations.ORGANIZATIONS.delete(session=session, actor=who, row_id=org.id)
    session.expire_all()
    assert session.get(Organization, org.id) is not None
    assert len(events(session)) == before


def test_an_active_record_is_not_deleted(session: Session, actor: Actor) -> None:
    org = make_org(session)
    with pytest.raises(DomainError, match=f"Organisation Nr. {org.id} ist nicht archiviert"):
        organizations.ORGANIZATIONS.delete(session=session, actor=actor, row_id=org.id)
    session.expire_all()
    assert session.get(Organization, org.id) is not None
    assert [e.action for e in events(session)] == [AuditAction.CREATE]


def test_a_record_others_refer_to_is_not_deleted(session: Session, actor: Actor) -> None:
    parent = make_org(session, name="Land Mecklenburg-Vorpommern", kind="land")
    make_org(session, name="Landkreis Rostock", parent_id=parent.id)
    make_person(session, organization_id=parent.id)
    make_person(session, family_name="Zweite", organization_id=parent.id)
    organizations.archive_organization(session=session, actor=actor, row_id=parent.id)
    before = len(events(session))

    with pytest.raises(DomainError) as refused:
        organizations.ORGANIZATIONS.delete(session=session, actor=actor, row_id=parent.id)

    message = refused.value.message
    assert f"Organisation Nr. {parent.id} kann nicht gelöscht werden" in message
    # Every kind of referring record, in German, with how many there are.
    assert "Organisation (1)" in message
    assert "Person (2)" in message
    session.expire_all()
    assert session.get(Organization, parent.id) is not None
    assert len(events(session)) == before


def test_an_unknown_record_is_not_found_on_delete(session: Session, actor: Actor) -> None:
    with pytest.raises(NotFoundError, match="Organisation mit der Nummer 999 gibt es nicht"):
        organizations.ORGANIZATIONS.delete(session=session, actor=actor, row_id=999)
