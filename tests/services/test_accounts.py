"""Accounts: first administrator, passwords, sign-in with lock-out, sessions, assignments."""

import dataclasses
from datetime import timedelta

import pytest
from argon2 import PasswordHasher, profiles
from sqlmodel import Session, select

from models import Account, AuditEvent
from models.base import utcnow
from models.enums import AuditAction, Role
from services import accounts
from services.actor import Actor
from services.errors import DomainError, NotFoundError, PermissionDeniedError
from tests.conftest import make_agreement, make_committee

PASSWORD = "korrekt-pferd-batterie"


def _account(session: Session, actor: Actor, username: str, role: Role, **extra: str) -> Account:
    data = {"username": username, "display_name": username.title(), "role": role, **extra}
    return accounts.create_account(session=session, actor=actor, data=data, password=PASSWORD)


def test_first_admin_only_while_no_account_exists(session: Session) -> None:
    data = {"username": "Chefin", "display_name": "Anna Chefin", "role": Role.READER}
    admin = accounts.create_first_admin(session=session, data=data, password=PASSWORD)
    # Whatever the form said, the first account is the administrator; names are lower case.
    assert (admin.username, admin.role) == ("chefin", Role.ADMIN)
    with pytest.raises(DomainError, match="bereits Benutzerkonten"):
        accounts.create_first_admin(
            session=session, data={**data, "username": "zweite"}, password=PASSWORD
        )
    assert session.exec(select(Account)).all() == [admin]


def test_password_is_stored_as_argon2id_hash_and_never_in_the_trail(
    session: Session, actor: Actor
) -> None:
    account = _account(session, actor, "jana", Role.SECRETARIAT)
    assert account.password_hash is not None
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash
    accounts.set_password(
        session=session, actor=actor, account_id=account.id or 0, password="ein-neues-passwort"
    )
    trail = session.exec(select(AuditEvent).where(AuditEvent.entity == "user_account")).all()
    dumped = repr([event.changes for event in trail])
    assert "argon2" not in dumped
    assert PASSWORD not in dumped
    assert "***" in dumped


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kurz", "mindestens 12 Zeichen"),
        ("x" * 257, "höchstens 256 Zeichen"),
        ("RegelPruefer1", "nicht der Benutzername"),
    ],
)
def test_password_rules(session: Session, actor: Actor, password: str, message: str) -> None:
    data = {"username": "regelpruefer1", "display_name": "R", "role": Role.READER}
    with pytest.raises(DomainError, match=message) as refused:
        accounts.create_account(session=session, actor=actor, data=data, password=password)
    assert refused.value.field == "password"
    assert session.exec(select(Account)).all() == []


def test_duplicate_username_and_bad_username(session: Session, actor: Actor) -> None:
    _account(session, actor, "jana", Role.READER)
    with pytest.raises(DomainError, match="bereits vergeben") as duplicate:
        _account(session, actor, "JANA", Role.READER)
    assert duplicate.value.field == "username"
    with pytest.raises(DomainError) as bad:
        _account(session, actor, "mit leerzeichen", Role.READER)
    assert bad.value.field == "username"


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.READER])
def test_only_administrators_manage_accounts(session: Session, actor: Actor, role: Role) -> None:
    account = _account(session, actor, "nutzer", role)
    who = accounts.account_actor(account)
    with pytest.raises(PermissionDeniedError, match="Administratoren vorbehalten"):
        _account(session, who, "noch-einer", Role.ADMIN)
    with pytest.raises(PermissionDeniedError):
        accounts.update_account(
            session=session, actor=who, account_id=account.id or 0, data={"role": Role.ADMIN}
        )
    other = _account(session, actor, "andere", Role.READER)
    with pytest.raises(PermissionDeniedError):
        accounts.set_password(
            session=session, actor=who, account_id=other.id or 0, password="fremdes-passwort"
        )
    session.refresh(account)
    assert account.role is role


def test_sign_in_and_a_wrong_or_unknown_name_get_the_same_answer(
    session: Session, actor: Actor
) -> None:
    account = _account(session, actor, "jana", Role.SECRETARIAT)
    result = accounts.sign_in(session=session, username=" Jana ", password=PASSWORD)
    assert result.actor == accounts.account_actor(account)
    session.refresh(account)
    assert account.last_sign_in_at is not None
    with pytest.raises(DomainError) as wrong:
        accounts.sign_in(session=session, username="jana", password="falsches-passwort")
    with pytest.raises(DomainError) as unknown:
        accounts.sign_in(session=session, username="niemand", password="falsches-passwort")
    assert wrong.value.message == unknown.value.message == accounts.SIGN_IN_REFUSED
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.entity == "user_account")
    ).all()
    assert AuditAction.SIGN_IN in actions
    assert AuditAction.SIGN_IN_FAILED in actions


def test_lock_out_after_repeated_failures_and_unlock(session: Session, actor: Actor) -> None:
    account = _account(session, actor, "jana", Role.READER)
    now = utcnow()
    for _ in range(accounts.MAX_FAILED_SIGN_INS - 1):
        with pytest.raises(DomainError, match="falsch"):
            accounts.sign_in(session=session, username="jana", password="falsch!", now=now)
    with pytest.raises(DomainError, match="gesperrt"):
        accounts.sign_in(session=session, username="jana", password="falsch!", now=now)
    # Locked: even the right password is refused until the lock-out ends.
    with pytest.raises(DomainError, match="gesperrt"):
        accounts.sign_in(session=session, username="jana", password=PASSWORD, now=now)
    later = now + accounts.LOCKOUT + timedelta(seconds=1)
    assert accounts.sign_in(session=session, username="jana", password=PASSWORD, now=later)
    # An administrator can lift a lock-out early by reactivating the account.
    for _ in range(accounts.MAX_FAILED_SIGN_INS):
        with pytest.raises(DomainError):
            accounts.sign_in(session=session, username="jana", password="falsch!", now=later)
    accounts.set_account_active(
        session=session, actor=actor, account_id=account.id or 0, active=True
    )
    assert accounts.sign_in(session=session, username="jana", password=PASSWORD, now=later)


def test_a_deactivated_account_cannot_sign_in_and_is_signed_out(
    session: Session, actor: Actor
) -> None:
    admin = _account(session, actor, "chefin", Role.ADMIN)
    account = _account(session, actor, "jana", Role.READER)
    accounts.set_account_active(
        session=session,
        actor=accounts.account_actor(admin),
        account_id=account.id or 0,
        active=False,
    )
    with pytest.raises(DomainError, match="falsch"):
        accounts.sign_in(session=session, username="jana", password=PASSWORD)
    assert accounts.current_actor(session, account.id or 0) is None


def test_role_changes_apply_to_the_next_run(session: Session, actor: Actor) -> None:
    account = _account(session, actor, "jana", Role.READER)
    accounts.update_account(
        session=session, actor=actor, account_id=account.id or 0, data={"role": Role.SECRETARIAT}
    )
    current = accounts.current_actor(session, account.id or 0)
    assert current is not None
    assert current.role is Role.SECRETARIAT


def test_the_last_administrator_stays(session: Session, actor: Actor) -> None:
    admin = accounts.create_first_admin(
        session=session,
        data={"username": "chefin", "display_name": "Chefin", "role": Role.ADMIN},
        password=PASSWORD,
    )
    me = accounts.account_actor(admin)
    with pytest.raises(DomainError, match="nicht selbst die Administratorrolle"):
        accounts.update_account(
            session=session, actor=me, account_id=admin.id or 0, data={"role": Role.READER}
        )
    with pytest.raises(DomainError, match="eigenes Konto"):
        accounts.set_account_active(
            session=session, actor=me, account_id=admin.id or 0, active=False
        )
    other = _account(session, me, "zweite", Role.ADMIN)
    accounts.set_account_active(session=session, actor=me, account_id=other.id or 0, active=False)
    with pytest.raises(DomainError, match="letzte aktive Administratorkonto"):
        accounts.update_account(
            session=session, actor=actor, account_id=admin.id or 0, data={"role": Role.READER}
        )
    session.refresh(admin)
    assert admin.role is Role.ADMIN


def test_own_password_needs_the_current_one(session: Session, actor: Actor) -> None:
    account = _account(session, actor, "jana", Role.READER)
    me = accounts.account_actor(account)
    with pytest.raises(DomainError, match="Bisheriges Passwort") as wrong:
        accounts.set_password(
            session=session,
            actor=me,
            account_id=account.id or 0,
            password="mein-neues-passwort",
            current_password="geraten",
        )
    assert wrong.value.field == "current_password"
    accounts.set_password(
        session=session,
        actor=me,
        account_id=account.id or 0,
        password="mein-neues-passwort",
        current_password=PASSWORD,
    )
    assert accounts.sign_in(session=session, username="jana", password="mein-neues-passwort")


def test_session_expiry() -> None:
    start = utcnow()
    assert not accounts.session_expired(signed_in_at=start, last_seen=start, now=start)
    idle = start + accounts.IDLE_TIMEOUT + timedelta(seconds=1)
    assert accounts.session_expired(signed_in_at=start, last_seen=start, now=idle)
    busy_all_day = start + accounts.SESSION_LIFETIME + timedelta(seconds=1)
    assert accounts.session_expired(
        signed_in_at=start, last_seen=busy_all_day - timedelta(minutes=1), now=busy_all_day
    )


def test_outdated_hash_parameters_are_upgraded_on_sign_in(session: Session, actor: Actor) -> None:
    account = _account(session, actor, "jana", Role.READER)
    old_hash = account.password_hash
    stronger = dataclasses.replace(profiles.CHEAPEST, time_cost=2)
    accounts.use_hasher(PasswordHasher.from_parameters(stronger))
    try:
        accounts.sign_in(session=session, username="jana", password=PASSWORD)
        session.refresh(account)
        assert account.password_hash != old_hash
        assert account.password_hash is not None
        assert "t=2" in account.password_hash
    finally:
        accounts.use_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))


def test_single_sign_on_finds_the_local_account_by_email(session: Session, actor: Actor) -> None:
    data = {"username": "jana", "display_name": "Jana", "role": Role.READER}
    accounts.create_account(
        session=session, actor=actor, data={**data, "email": "Jana@Example.org"}, password=None
    )
    found = accounts.single_sign_on(session=session, email="jana@example.org")
    assert found.username == "jana"
    with pytest.raises(NotFoundError, match="kein aktives Konto"):
        accounts.single_sign_on(session=session, email="fremd@example.org")
    # An SSO-only account has no password to sign in with.
    with pytest.raises(DomainError, match="falsch"):
        accounts.sign_in(session=session, username="jana", password="irgendein-passwort")


def test_assignments(session: Session, actor: Actor) -> None:
    secretariat = _account(session, actor, "jana", Role.SECRETARIAT)
    reader = _account(session, actor, "leser", Role.READER)
    committee = make_committee(session)
    agreement = make_agreement(session)
    first = accounts.assign(
        session=session, actor=actor, account_id=secretariat.id or 0, committee_id=committee.id
    )
    accounts.assign(
        session=session, actor=actor, account_id=secretariat.id or 0, agreement_id=agreement.id
    )
    with pytest.raises(DomainError, match="bereits zugeordnet"):
        accounts.assign(
            session=session, actor=actor, account_id=secretariat.id or 0, committee_id=committee.id
        )
    with pytest.raises(DomainError, match="nur für Konten mit der Rolle „Sekretariat“"):
        accounts.assign(
            session=session, actor=actor, account_id=reader.id or 0, committee_id=committee.id
        )
    with pytest.raises(DomainError, match="Gremium oder eine Vereinbarung"):
        accounts.assign(session=session, actor=actor, account_id=secretariat.id or 0)
    listed = accounts.list_assignments(session, secretariat.id or 0)
    assert listed["kind"].tolist() == ["Gremium", "Vereinbarung"]
    assert listed["name"].tolist() == [committee.name, agreement.title]
    accounts.unassign(session=session, actor=actor, assignment_id=first.id or 0)
    assert accounts.list_assignments(session, secretariat.id or 0)["kind"].tolist() == [
        "Vereinbarung"
    ]
    table = accounts.list_accounts(session)
    assert table.set_index("username").loc["jana", "assignments"] == 1


def test_an_account_without_password_needs_an_email(session: Session, actor: Actor) -> None:
    data = {"username": "sso", "display_name": "Nur SSO", "role": Role.READER}
    with pytest.raises(DomainError, match="Single Sign-on erforderlich") as refused:
        accounts.create_account(session=session, actor=actor, data=data, password=None)
    assert refused.value.field == "email"
    assert session.exec(select(Account)).all() == []
