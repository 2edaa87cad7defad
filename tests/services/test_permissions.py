"""The role matrix: every catalogued write command for every role, on both backends.

Administrators may do everything, Lesend nothing; a Sekretariat changes the directory
and what belongs to its assigned committees and agreements, never reference data or
accounts. A refusal is a PermissionDeniedError with a German message and writes nothing.
"""

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from models import Meeting, Membership
from services import accounts, committees, meetings
from services.errors import DomainError, PermissionDeniedError
from tests.services.catalogue import (
    CATALOGUE,
    Command,
    Scope,
    Workspace,
    audit_count,
    uncatalogued,
)

ROLES_BY_SCOPE = {
    Scope.WRITER: ("admin", "reader", "secretariat"),
    Scope.ADMIN: ("admin", "reader", "secretariat"),
    Scope.ANYONE: ("admin", "reader", "secretariat"),
    Scope.COMMITTEE: ("admin", "reader", "secretariat_inside", "secretariat_outside"),
    Scope.AGREEMENT: ("admin", "reader", "secretariat_inside", "secretariat_outside"),
    Scope.OWN_ACCOUNT: ("admin", "reader", "secretariat_inside", "secretariat_outside"),
}
ALLOWED = {
    Scope.WRITER: {"admin", "secretariat"},
    Scope.ADMIN: {"admin"},
    Scope.ANYONE: {"admin", "reader", "secretariat"},
    Scope.COMMITTEE: {"admin", "secretariat_inside"},
    Scope.AGREEMENT: {"admin", "secretariat_inside"},
    Scope.OWN_ACCOUNT: {"admin", "reader", "secretariat_inside"},
}
CASES = [
    pytest.param(command, role, id=f"{command.name}-{role}")
    for command in CATALOGUE
    for role in ROLES_BY_SCOPE[command.scope]
]


@pytest.fixture
def workspace(session: Session) -> Workspace:
    return Workspace(session)


def fingerprint(session: Session) -> dict[str, tuple[int, int]]:
    """Rows and the sum of their versions per table: any insert or update changes it."""
    result = {}
    for table in SQLModel.metadata.sorted_tables:
        version = table.c.get("version")
        total = func.coalesce(func.sum(version), 0) if version is not None else func.count()
        count, versions = session.exec(select(func.count(), total).select_from(table)).one()
        result[table.name] = (int(count), int(versions))
    return result


def side_for(command: Command, role: str) -> Any:
    # Commands open to any writer, or to administrators only, act outside any assignment.
    if role == "secretariat_outside" or command.scope in (Scope.WRITER, Scope.ADMIN):
        return "outside"
    return "inside"


@pytest.mark.parametrize(("command", "role"), CASES)
def test_role_matrix(session: Session, workspace: Workspace, command: Command, role: str) -> None:
    actor = workspace.actor(role)
    kwargs = command.prepare(workspace, side_for(command, role), actor)
    before = fingerprint(session)
    if role in ALLOWED[command.scope]:
        command(session, actor, kwargs)
        assert audit_count(session) > before["audit_event"][0], "allowed, but nothing audited"
        return
    with pytest.raises(PermissionDeniedError) as refused:
        command(session, actor, kwargs)
    assert str(refused.value).startswith("Keine Berechtigung"), refused.value
    assert fingerprint(session) == before


def test_every_exposed_command_is_catalogued() -> None:
    assert uncatalogued() == [], "add these commands to tests/services/catalogue.py"


def test_every_scope_has_an_allowed_and_a_refused_role() -> None:
    for scope, roles in ROLES_BY_SCOPE.items():
        assert ALLOWED[scope] <= set(roles)
        assert scope is Scope.ANYONE or set(roles) - ALLOWED[scope]


def test_secretariat_creating_a_committee_is_assigned_to_it(
    session: Session, workspace: Workspace
) -> None:
    actor = workspace.actor("secretariat")
    committee = committees.create_committee(
        session=session, actor=actor, data={"name": "AG Neu", "kind": "working_group"}
    )
    assigned = accounts.list_assignments(session, actor.account_id)
    assert committee.id in set(assigned["target_id"])
    meeting = meetings.create_meeting(
        session=session,
        actor=actor,
        data={"committee_id": committee.id, "start": datetime(2026, 5, 4, 10)},
    )
    assert meeting.committee_id == committee.id


def test_secretariat_cannot_move_a_membership_out_of_its_committee(
    session: Session, workspace: Workspace
) -> None:
    actor = workspace.actor("secretariat_inside")
    membership = workspace.membership("inside")
    outside = workspace.committee("outside")
    before = fingerprint(session)
    with pytest.raises(PermissionDeniedError, match="nicht zugeordnet"):
        committees.update_membership(
            session=session,
            actor=actor,
            row_id=membership.id,
            data={"committee_id": outside.id},
        )
    assert fingerprint(session) == before
    session.expire_all()
    assert session.get(Membership, membership.id).committee_id == workspace.committee("inside").id


def test_secretariat_cannot_move_a_meeting_out_of_its_committee(
    session: Session, workspace: Workspace
) -> None:
    actor = workspace.actor("secretariat_inside")
    meeting = workspace.meeting("inside")
    outside = workspace.committee("outside")
    before = fingerprint(session)
    with pytest.raises(DomainError):
        meetings.update_meeting(
            session=session,
            actor=actor,
            row_id=meeting.id,
            data={"committee_id": outside.id},
        )
    assert fingerprint(session) == before
    session.expire_all()
    assert session.get(Meeting, meeting.id).committee_id == workspace.committee("inside").id
