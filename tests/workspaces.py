"""Test workspaces: migrated SQLite databases with the three test accounts, empty or with the
demo data, and a blank one without any account (the first start).

Page tests (AppTest), browser tests and the screenshot script all start from these, so
each knows the same accounts and the same Sekretariat assignments.
"""

from pathlib import Path
from typing import Literal

from sqlmodel import Session

from models import Agreement, Committee
from models.db import make_engine
from models.enums import Role
from services import accounts
from services.actor import SYSTEM_ACTOR
from services.database import migrate
from services.seed import load_demo_data
from services.write import find_one

# The accounts in every workspace but the blank one, created in this order (ids 1, 2, 3).
ACCOUNTS = {Role.ADMIN: "admin", Role.SECRETARIAT: "sekretariat", Role.READER: "leser"}
ACCOUNT_IDS = {role: index for index, role in enumerate(ACCOUNTS, start=1)}
PASSWORD = "ein-langes-testpasswort"

# The Sekretariat of the demo workspace looks after the MV Lenkungsausschuss and KOMM24.
SECRETARIAT_COMMITTEE = "Lenkungsausschuss E-Government Mecklenburg-Vorpommern"
SECRETARIAT_AGREEMENT = "Gründung der KOMM24 GmbH"

Kind = Literal["blank", "empty", "demo"]
KINDS: tuple[Kind, ...] = ("blank", "empty", "demo")


def _add_accounts(session: Session, *, demo: bool) -> None:
    for role, username in ACCOUNTS.items():
        data = {"username": username, "display_name": username.title(), "role": role}
        accounts.create_account(session=session, actor=SYSTEM_ACTOR, data=data, password=PASSWORD)
    if demo:
        secretariat = find_one(session, accounts.Account, username="sekretariat")
        committee = find_one(session, Committee, name=SECRETARIAT_COMMITTEE)
        agreement = find_one(session, Agreement, title=SECRETARIAT_AGREEMENT)
        if not (secretariat and committee and agreement):
            raise LookupError("demo data changed: secretariat's committee or agreement missing")
        for target in ({"committee_id": committee.id}, {"agreement_id": agreement.id}):
            accounts.assign(
                session=session, actor=SYSTEM_ACTOR, account_id=secretariat.id or 0, **target
            )


def build_workspace(path: Path, kind: Kind) -> Path:
    """Create the SQLite workspace `kind` at `path` (which must not exist yet); returns `path`."""
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Session(engine) as session:
        if kind == "demo":
            load_demo_data(session)
        if kind != "blank":
            _add_accounts(session, demo=kind == "demo")
    with engine.begin() as connection:
        # Fold the WAL into the main file so one file copy carries everything.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path
