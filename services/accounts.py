"""Accounts, passwords, sign-in and assignments.

Passwords are hashed with Argon2id (argon2-cffi, RFC 9106 parameters) and never stored,
logged or audited in clear. After `MAX_FAILED_SIGN_INS` wrong passwords in a row an
account is locked for `LOCKOUT`; a signed-in session ends after `IDLE_TIMEOUT` without
activity or `SESSION_LIFETIME` in all. There is no default account: a first start without
accounts asks for the administrator (`create_first_admin`).
"""

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, func, select

from models.account import (
    Account,
    AccountCreate,
    AccountUpdate,
    Assignment,
    AssignmentCreate,
    AssignmentUpdate,
)
from models.agreement import Agreement
from models.base import utcnow
from models.committee import Committee
from models.enums import AuditAction, Role
from services.actor import Actor
from services.errors import DomainError, NotFoundError
from services.periods import format_datetime
from services.permissions import require_admin
from services.validation import validate
from services.write import (
    EntityCommands,
    add_row,
    apply_changes,
    audit,
    find_one,
    get_row,
    require_active,
    transaction,
)

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_LIFETIME = timedelta(hours=10)
PASSWORD_MIN = 12
# Long enough for any passphrase, short enough that hashing cannot be abused.
PASSWORD_MAX = 256
SIGN_IN_REFUSED = "Benutzername oder Passwort ist falsch."

# Argon2id with the RFC 9106 low-memory profile (64 MiB, 3 passes). Tests swap in a
# cheaper hasher through `use_hasher`; stored hashes carry their own parameters.
_hasher = PasswordHasher()
# Verified against for unknown usernames, so that a wrong name takes as long as a wrong password.
_dummy_hash: str | None = None


def use_hasher(hasher: PasswordHasher) -> None:
    """Replace the password hasher (tests use argon2's cheapest profile)."""
    global _hasher, _dummy_hash
    _hasher, _dummy_hash = hasher, None


accounts = EntityCommands(Account, AccountCreate, AccountUpdate, check=None)


def _check_assignment(session: Session, values: Any, current: Any) -> None:
    account = require_active(session, Account, values.account_id, "account_id")
    if values.committee_id is None and values.agreement_id is None:
        raise DomainError("Bitte wählen Sie ein Gremium oder eine Vereinbarung.", "committee_id")
    if values.committee_id is not None and values.agreement_id is not None:
        raise DomainError(
            "Eine Zuordnung gilt entweder einem Gremium oder einer Vereinbarung.", "agreement_id"
        )
    require_active(session, Committee, values.committee_id, "committee_id")
    require_active(session, Agreement, values.agreement_id, "agreement_id")
    if account is not None and account.role is not Role.SECRETARIAT:
        raise DomainError(
            "Zuordnungen gibt es nur für Konten mit der Rolle „Sekretariat“; "
            f"{account.display_name} hat die Rolle „{account.role.label}“.",
            "account_id",
        )
    duplicate = session.exec(
        select(Assignment.id).where(
            Assignment.account_id == values.account_id,
            Assignment.committee_id == values.committee_id,
            Assignment.agreement_id == values.agreement_id,
            Assignment.archived == False,  # noqa: E712
            Assignment.id != (current.id if current is not None else None),
        )
    ).first()
    if duplicate is not None:
        target = "Das Gremium" if values.committee_id is not None else "Die Vereinbarung"
        raise DomainError(f"{target} ist diesem Konto bereits zugeordnet.", "committee_id")


assignments = EntityCommands(
    Assignment, AssignmentCreate, AssignmentUpdate, check=_check_assignment
)


@dataclass(frozen=True)
class SignInResult:
    actor: Actor
    signed_in_at: datetime


def check_password_rules(password: str, username: str, field: str = "password") -> None:
    """Refuse passwords that are too short, too long or the user name itself."""
    if len(password) < PASSWORD_MIN:
        raise DomainError(
            f"Passwort: mindestens {PASSWORD_MIN} Zeichen (eingegeben: {len(password)}).", field
        )
    if len(password) > PASSWORD_MAX:
        raise DomainError(f"Passwort: höchstens {PASSWORD_MAX} Zeichen.", field)
    if password.strip().lower() == username.strip().lower():
        raise DomainError("Passwort: darf nicht der Benutzername sein.", field)


def hash_password(password: str) -> str:
    """An Argon2id hash of `password` (salted; the parameters travel with the hash)."""
    return _hasher.hash(password)


def accounts_exist(session: Session) -> bool:
    """Whether any account exists (a first start without one asks for the administrator)."""
    return session.exec(select(func.count()).select_from(Account)).one() > 0


def _normalize(data: AccountCreate | dict[str, Any]) -> dict[str, Any]:
    values = data.model_dump() if isinstance(data, AccountCreate) else dict(data)
    if isinstance(values.get("username"), str):
        values["username"] = values["username"].strip().lower()
    return values


def _check_username_free(session: Session, username: str, own_id: int | None = None) -> None:
    existing = find_one(session, Account, username=username)
    if existing is not None and existing.id != own_id:
        raise DomainError(f"Benutzername „{username}“ ist bereits vergeben.", "username")


def create_account(
    *,
    session: Session,
    actor: Actor,
    data: AccountCreate | dict[str, Any],
    password: str | None,
) -> Account:
    """Create an account (administrators only); without password it signs in only via SSO."""
    require_admin(actor, "Das Anlegen von Benutzerkonten")
    return _create(session, actor, data, password)


def create_first_admin(
    *, session: Session, data: AccountCreate | dict[str, Any], password: str
) -> Account:
    """Create the first administrator: only possible while no account exists at all."""
    values = {**_normalize(data), "role": Role.ADMIN}
    setup_actor = Actor(
        username=str(values.get("username") or "einrichtung"),
        display_name="Ersteinrichtung",
        role=Role.ADMIN,
    )
    if accounts_exist(session):
        raise DomainError(
            "Es gibt bereits Benutzerkonten. Weitere Konten legt ein Administrator an."
        )
    if not password:
        raise DomainError("Passwort: bitte angeben.", "password")
    return _create(session, setup_actor, values, password)


def _create(
    session: Session, actor: Actor, data: AccountCreate | dict[str, Any], password: str | None
) -> Account:
    with transaction(session):
        values = validate(AccountCreate, _normalize(data))
        _check_username_free(session, values.username)
        extra: dict[str, Any] = {}
        if not password and not values.email:
            # Without a password the account can only be found through its e-mail address.
            raise DomainError(
                "E-Mail: für die Anmeldung über Single Sign-on erforderlich.", "email"
            )
        if password:
            check_password_rules(password, values.username)
            extra = {"password_hash": hash_password(password), "password_changed_at": utcnow()}
        account = add_row(session, actor, Account, {**values.model_dump(), **extra})
    session.refresh(account)
    return account


def update_account(
    *,
    session: Session,
    actor: Actor,
    account_id: int,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Account:
    """Change name, e-mail, role or user name of an account (administrators only)."""
    require_admin(actor, "Das Ändern von Benutzerkonten")
    with transaction(session):
        account = get_row(session, Account, account_id)
        changes = validate(AccountUpdate, _normalize(data)).model_dump(exclude_unset=True)
        merged = validate(AccountCreate, {**account.model_dump(), **changes})
        _check_username_free(session, merged.username, account_id)
        if account.id == actor.account_id and merged.role is not Role.ADMIN:
            raise DomainError(
                "Sie können sich nicht selbst die Administratorrolle entziehen.", "role"
            )
        _keep_one_admin(session, account, merged.role, archived=account.archived)
        apply_changes(session, actor, account, changes, expected_version)
    session.refresh(account)
    return account


def set_account_active(*, session: Session, actor: Actor, account_id: int, active: bool) -> Account:
    """Deactivate (archive) or reactivate an account; a deactivated one cannot sign in."""
    require_admin(actor, "Das Sperren und Entsperren von Benutzerkonten")
    with transaction(session):
        account = get_row(session, Account, account_id)
        if not active:
            if account.id == actor.account_id:
                raise DomainError("Sie können Ihr eigenes Konto nicht deaktivieren.")
            _keep_one_admin(session, account, account.role, archived=True)
        action = AuditAction.RESTORE if active else AuditAction.ARCHIVE
        changes: dict[str, Any] = {"archived": not active}
        if active:
            changes.update(failed_sign_ins=0, locked_until=None)
        apply_changes(session, actor, account, changes, action=action)
    session.refresh(account)
    return account


def _keep_one_admin(session: Session, account: Account, role: Role, *, archived: bool) -> None:
    # A workspace without an active administrator could never manage its accounts again.
    if account.role is not Role.ADMIN or (role is Role.ADMIN and not archived):
        return
    others = session.exec(
        select(func.count())
        .select_from(Account)
        .where(
            Account.role == Role.ADMIN,
            Account.archived == False,  # noqa: E712
            Account.id != account.id,
        )
    ).one()
    if others == 0:
        raise DomainError(
            "Das ist das letzte aktive Administratorkonto; legen Sie zuerst ein weiteres an.",
            "role",
        )


def set_password(
    *,
    session: Session,
    actor: Actor,
    account_id: int,
    password: str,
    current_password: str | None = None,
) -> Account:
    """Set a new password: administrators for anyone, everyone else only their own."""
    with transaction(session):
        account = get_row(session, Account, account_id)
        if account.id != actor.account_id:
            require_admin(actor, "Das Setzen fremder Passwörter")
        elif (actor.role is not Role.ADMIN or current_password is not None) and not _verify(
            account.password_hash, current_password or ""
        ):
            raise DomainError("Bisheriges Passwort: ist nicht richtig.", "current_password")
        check_password_rules(password, account.username)
        changes = {
            "password_hash": hash_password(password),
            "password_changed_at": utcnow(),
            "failed_sign_ins": 0,
            "locked_until": None,
        }
        # Every account may change its own password, whatever its role.
        apply_changes(session, actor, account, changes, account_upkeep=True)
    session.refresh(account)
    return account


def _verify(password_hash: str | None, password: str) -> bool:
    global _dummy_hash
    if password_hash is None:
        # Same cost as a real check, so the answer time does not tell which accounts exist.
        _dummy_hash = _dummy_hash or _hasher.hash("kein Konto mit diesem Namen")
        password_hash = _dummy_hash
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher.verify(password_hash, password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(
    *, session: Session, username: str, password: str, now: datetime | None = None
) -> SignInResult:
    """Check user name and password; count failures and lock after too many."""
    now = now or utcnow()
    name = (username or "").strip().lower()
    if not name or not password:
        raise DomainError("Bitte Benutzername und Passwort eingeben.", "username")
    if len(password) > PASSWORD_MAX:
        raise DomainError(SIGN_IN_REFUSED, "password")
    with transaction(session):
        account = find_one(session, Account, username=name)
        if account is None or account.archived:
            _verify(None, password)
            raise DomainError(SIGN_IN_REFUSED, "password")
        actor = account_actor(account)
        if account.locked_until is not None and account.locked_until > now:
            raise DomainError(_locked_message(account.locked_until), "username")
        if not _verify(account.password_hash, password):
            failures = account.failed_sign_ins + 1
            locked = failures >= MAX_FAILED_SIGN_INS
            apply_changes(
                session,
                actor,
                account,
                {
                    "failed_sign_ins": 0 if locked else failures,
                    "locked_until": now + LOCKOUT if locked else None,
                },
                action=AuditAction.SIGN_IN_FAILED,
                account_upkeep=True,
            )
            # The failure is counted even though the sign-in is refused.
            session.commit()
            if locked:
                raise DomainError(_locked_message(now + LOCKOUT), "username")
            raise DomainError(SIGN_IN_REFUSED, "password")
        changes: dict[str, Any] = {
            "failed_sign_ins": 0,
            "locked_until": None,
            "last_sign_in_at": now,
        }
        if account.password_hash and _hasher.check_needs_rehash(account.password_hash):
            changes["password_hash"] = hash_password(password)
        apply_changes(
            session, actor, account, changes, action=AuditAction.SIGN_IN, account_upkeep=True
        )
    return SignInResult(actor=actor, signed_in_at=now)


def _locked_message(until: datetime) -> str:
    return (
        f"Das Konto ist nach {MAX_FAILED_SIGN_INS} Fehlversuchen bis "
        f"{format_datetime(until)} Uhr gesperrt. Ein Administrator kann es früher entsperren."
    )


def record_sign_out(*, session: Session, actor: Actor) -> None:
    """Note a sign-out in the Änderungsprotokoll."""
    if actor.account_id is None:
        return
    with transaction(session):
        account = session.get(Account, actor.account_id)
        if account is not None:
            audit(session, actor, account, AuditAction.SIGN_OUT, {})


def account_actor(account: Account) -> Actor:
    """The actor commands run as for this account."""
    return Actor(
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        account_id=account.id,
    )


def current_actor(session: Session, account_id: int) -> Actor | None:
    """Reload a signed-in account: role changes apply at once, deactivation signs out."""
    account = session.get(Account, account_id)
    if account is None or account.archived:
        return None
    return account_actor(account)


def session_expired(*, signed_in_at: datetime, last_seen: datetime, now: datetime) -> bool:
    """Whether a signed-in browser session has run too long or been idle too long."""
    return now - last_seen > IDLE_TIMEOUT or now - signed_in_at > SESSION_LIFETIME


def single_sign_on(*, session: Session, email: str | None, now: datetime | None = None) -> Actor:
    """The local account of an OpenID Connect identity, found by its e-mail address."""
    if not email:
        raise DomainError(
            "Der Identitätsanbieter hat keine E-Mail-Adresse übermittelt; ohne sie lässt "
            "sich kein Konto zuordnen."
        )
    account = session.exec(
        select(Account).where(func.lower(Account.email) == email.strip().lower())
    ).first()
    if account is None or account.archived:
        raise NotFoundError(
            f"Für {email} gibt es kein aktives Konto. Ein Administrator muss es anlegen "
            "(mit dieser E-Mail-Adresse)."
        )
    actor = account_actor(account)
    with transaction(session):
        apply_changes(
            session,
            actor,
            account,
            {"last_sign_in_at": now or utcnow()},
            action=AuditAction.SIGN_IN,
            account_upkeep=True,
        )
    return actor


def list_accounts(session: Session) -> pd.DataFrame:
    """Every account with its role, state and assignments, for the admin page and CLI."""
    rows = session.exec(select(Account).order_by(col(Account.username))).all()
    counts = dict(
        session.exec(
            select(Assignment.account_id, func.count())
            .where(Assignment.archived == False)  # noqa: E712
            .group_by(col(Assignment.account_id))
        ).all()
    )
    now = utcnow()
    return pd.DataFrame(
        [
            {
                "id": account.id,
                "username": account.username,
                "display_name": account.display_name,
                "email": account.email,
                "role": account.role.label,
                "active": not account.archived,
                "locked": bool(account.locked_until and account.locked_until > now),
                "sso_only": account.password_hash is None,
                "assignments": int(counts.get(account.id or 0, 0)),
                "last_sign_in_at": account.last_sign_in_at,
                "version": account.version,
            }
            for account in rows
        ],
        columns=[
            "id",
            "username",
            "display_name",
            "email",
            "role",
            "active",
            "locked",
            "sso_only",
            "assignments",
            "last_sign_in_at",
            "version",
        ],
    )


def list_assignments(session: Session, account_id: int) -> pd.DataFrame:
    """The committees and agreements assigned to an account."""
    rows = session.exec(
        select(Assignment, Committee.name, Agreement.title)
        .outerjoin(Committee, col(Committee.id) == Assignment.committee_id)
        .outerjoin(Agreement, col(Agreement.id) == Assignment.agreement_id)
        .where(Assignment.account_id == account_id, Assignment.archived == False)  # noqa: E712
        .order_by(col(Assignment.id))
    ).all()
    return pd.DataFrame(
        [
            {
                "id": assignment.id,
                "kind": "Gremium" if assignment.committee_id is not None else "Vereinbarung",
                "target_id": assignment.committee_id or assignment.agreement_id,
                "name": committee_name or agreement_title,
                "version": assignment.version,
            }
            for assignment, committee_name, agreement_title in rows
        ],
        columns=["id", "kind", "target_id", "name", "version"],
    )


def assign(
    *,
    session: Session,
    actor: Actor,
    account_id: int,
    committee_id: int | None = None,
    agreement_id: int | None = None,
) -> Assignment:
    """Assign a committee or an agreement to a Sekretariat account (administrators only)."""
    require_admin(actor, "Das Zuordnen von Gremien und Vereinbarungen")
    return assignments.create(
        session=session,
        actor=actor,
        data={"account_id": account_id, "committee_id": committee_id, "agreement_id": agreement_id},
    )


def unassign(*, session: Session, actor: Actor, assignment_id: int) -> Assignment:
    """Withdraw an assignment (it is archived, so the trail keeps it)."""
    require_admin(actor, "Das Entziehen von Zuordnungen")
    return assignments.archive(session=session, actor=actor, row_id=assignment_id)
