"""The navigation per role: Benutzer only for administrators, everything else for everyone."""

from pathlib import Path

import pytest
from sqlmodel import Session

from models.db import make_engine
from models.enums import Role
from services import accounts
from services.actor import SYSTEM_ACTOR
from services.database import migrate
from tests.pages.apptest import reachable, whole_app
from tests.workspaces import ACCOUNT_IDS
from ui.links import PAGES

GATE_PAGES = {"sign_in", "first_run"}
ADMIN_ONLY = {"accounts"}
EVERYONE = set(PAGES) - GATE_PAGES - ADMIN_ONLY


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.READER, EVERYONE),
        (Role.SECRETARIAT, EVERYONE),
        (Role.ADMIN, EVERYONE | ADMIN_ONLY),
    ],
)
def test_each_role_gets_its_pages(role: Role, expected: set[str], demo_url: str) -> None:
    at = whole_app(role).run()
    assert not at.exception
    # Switching only marks the page for the next run; the navigation stays the last run's.
    assert {noun for noun in PAGES if reachable(at, noun)} == expected


def test_start_page_is_the_overview(demo_url: str) -> None:
    for role in Role:
        at = whole_app(role).run()
        assert at.title[0].value == "Übersicht", role


def test_opening_a_page_of_another_role_is_impossible(demo_url: str) -> None:
    at = whole_app(Role.SECRETARIAT).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGES["accounts"])


def test_role_change_applies_on_the_next_run(demo_url: str) -> None:
    at = whole_app(Role.READER).run()
    assert not reachable(at, "accounts")
    with Session(make_engine(demo_url)) as session:
        accounts.update_account(
            session=session,
            actor=SYSTEM_ACTOR,
            account_id=ACCOUNT_IDS[Role.READER],
            data={"role": Role.ADMIN},
        )
    at.run()
    assert reachable(at, "accounts")


@pytest.mark.parametrize("state", ["never migrated", "older schema"])
def test_a_database_behind_the_code_gets_a_message_not_an_sql_error(
    state: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(url)
    if state == "older schema":
        migrate(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'aelter'")
    else:
        engine.connect().close()  # creates the empty file
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)

    at = whole_app().run()

    assert not at.exception
    assert [error.value for error in at.error] == [
        "Die Datenbank ist nicht auf dem Stand dieser Version. Die Administration des Servers "
        "richtet sie mit `python manage.py migrate` ein (`make run` tut das beim Start)."
    ]
    # Nothing else: no sign-in, no navigation to a page that would fail.
    assert not at.text_input
