"""Databases for page tests, per test: migrated ones with the three test accounts, empty or
with the demo data, and a blank one without any account (the first start).

All are built once per test run as template files and copied for each test, so every
test starts from the same state without paying for migrations and the seed each time.
"""

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session

from models import Agreement, Committee
from models.db import make_engine
from services import accounts
from services.actor import SYSTEM_ACTOR
from services.database import migrate
from services.seed import load_demo_data
from services.write import find_one
from tests.pages.apptest import ACCOUNTS, PASSWORD

# The Sekretariat of the demo workspace looks after the MV Lenkungsausschuss and KOMM24.
SECRETARIAT_COMMITTEE = "Lenkungsausschuss E-Government Mecklenburg-Vorpommern"
SECRETARIAT_AGREEMENT = "Gründung der KOMM24 GmbH"


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


def _template(folder: Path, name: str) -> Path:
    path = folder / f"{name}.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Session(engine) as session:
        if name == "demo":
            load_demo_data(session)
        if name != "blank":
            _add_accounts(session, demo=name == "demo")
    with engine.begin() as connection:
        # Fold the WAL into the main file so one file copy carries everything.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {name: _template(folder, name) for name in ("blank", "empty", "demo")}


def _database(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "app.db"
    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def blank_url(templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated database without any account: the app starts with its Ersteinrichtung."""
    return _database(templates["blank"], tmp_path, monkeypatch)


@pytest.fixture
def database_url(
    templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A migrated database with only the three test accounts, used by the app under test."""
    return _database(templates["empty"], tmp_path, monkeypatch)


@pytest.fixture
def demo_url(templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with the demo data that the app under test uses."""
    return _database(templates["demo"], tmp_path, monkeypatch)
