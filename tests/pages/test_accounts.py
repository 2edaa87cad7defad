"""Benutzer: the account list, create, edit (with conflicts), (de)activate, passwords, assignments."""

import re
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from models import Committee
from models.account import Account, Assignment
from models.db import make_engine
from models.enums import Role
from services import accounts
from services.actor import SYSTEM_ACTOR
from services.errors import DomainError
from services.periods import format_datetime
from tests.pages.apptest import click, page_app
from tests.workspaces import ACCOUNT_IDS, PASSWORD, SECRETARIAT_AGREEMENT, SECRETARIAT_COMMITTEE

NEW_PASSWORD = "ein-ganz-neues-passwort"


def stored(url: str, username: str) -> Account | None:
    with Session(make_engine(url)) as session:
        row = session.exec(select(Account).where(Account.username == username)).first()
        if row is not None:
            session.expunge(row)
        return row


def active_assignments(url: str, account_id: int) -> list[tuple[int | None, int | None]]:
    with Session(make_engine(url)) as session:
        rows = session.exec(
            select(Assignment.committee_id, Assignment.agreement_id)
            .where(Assignment.account_id == account_id, col(Assignment.archived).is_(False))
            .order_by(col(Assignment.id))
        ).all()
        return [(committee, agreement) for committee, agreement in rows]


def committee_id(url: str, name: str) -> int:
    with Session(make_engine(url)) as session:
        return int(session.exec(select(Committee.id).where(Committee.name == name)).one() or 0)


def errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


def account_page(tmp_path: Path, role: Role, record: Role | None = None) -> AppTest:
    """The Benutzer page as `role`, on the list or on the test account of role `record`."""
    at = page_app(tmp_path, "accounts", role)
    if record is not None:
        at.query_params["id"] = str(ACCOUNT_IDS[record])
    return at.run()


def fill(at: AppTest, form: str, **values: str | bool) -> None:
    for field, value in values.items():
        key = f"{form}.{field}"
        if isinstance(value, bool):
            at.checkbox(key=key).check() if value else at.checkbox(key=key).uncheck()
        elif field == "role":
            at.selectbox(key=key).select(value)
        else:
            at.text_input(key=key).input(value)


def test_list_shows_every_account_with_german_headers(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN)
    assert not at.exception
    assert at.title[0].value == "Benutzer"
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Benutzername",
        "Name",
        "E-Mail",
        "Rolle",
        "Aktiv",
        "Gesperrt",
        "nur SSO",
        "Zuordnungen",
        "letzte Anmeldung",
    ]
    rows = table.set_index("Benutzername")
    assert rows.loc["sekretariat", "Rolle"] == Role.SECRETARIAT.label
    assert rows.loc["sekretariat", "Zuordnungen"] == 2
    assert bool(rows.loc["leser", "Aktiv"])
    assert rows.loc["leser", "letzte Anmeldung"] == ""


def test_last_sign_in_is_shown_in_german(demo_url: str, tmp_path: Path) -> None:
    with Session(make_engine(demo_url)) as session:
        result = accounts.sign_in(session=session, username="leser", password=PASSWORD)
    at = account_page(tmp_path, Role.ADMIN)
    shown = at.dataframe[0].value.set_index("Benutzername").loc["leser", "letzte Anmeldung"]
    assert shown == format_datetime(result.signed_in_at)
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", shown)


def test_create_an_account_with_password(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN)
    fill(at, "account_new", username="Jana.M", display_name="Jana Meier", role="secretariat")
    fill(at, "account_new", email="jana@example.de", password=NEW_PASSWORD)
    fill(at, "account_new", password_repeat=NEW_PASSWORD)
    click(at, "Anlegen")
    assert not at.exception
    created = stored(demo_url, "jana.m")
    assert created is not None
    assert (created.display_name, created.role, created.email) == (
        "Jana Meier",
        Role.SECRETARIAT,
        "jana@example.de",
    )
    # The new account opens, and can sign in with its password.
    assert at.query_params["id"] == str(created.id)
    assert at.title[0].value == "Jana Meier"
    assert "Konto „jana.m“ angelegt." in at.success[0].value
    with Session(make_engine(demo_url)) as session:
        assert accounts.sign_in(session=session, username="jana.m", password=NEW_PASSWORD)


def test_create_refuses_mismatching_passwords_and_keeps_the_input(
    demo_url: str, tmp_path: Path
) -> None:
    at = account_page(tmp_path, Role.ADMIN)
    fill(at, "account_new", username="jana", display_name="Jana Meier", role="reader")
    fill(at, "account_new", password=NEW_PASSWORD, password_repeat="etwas-ganz-anderes")
    click(at, "Anlegen")
    assert "Passwort wiederholen: stimmt nicht mit dem Passwort überein." in errors(at)
    assert at.text_input(key="account_new.display_name").value == "Jana Meier"
    assert stored(demo_url, "jana") is None


def test_create_refuses_a_taken_user_name(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN)
    fill(at, "account_new", username="leser", display_name="Noch ein Leser", role="reader")
    fill(at, "account_new", password=NEW_PASSWORD, password_repeat=NEW_PASSWORD)
    click(at, "Anlegen")
    assert "Benutzername „leser“ ist bereits vergeben." in errors(at)


def test_create_an_account_for_single_sign_on_only(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN)
    fill(at, "account_new", username="sso", display_name="Nur SSO", role="reader", sso_only=True)
    click(at, "Anlegen")
    assert "E-Mail: für die Anmeldung über Single Sign-on erforderlich." in errors(at)
    assert stored(demo_url, "sso") is None

    fill(at, "account_new", email="sso@example.de")
    click(at, "Anlegen")
    assert not errors(at)
    created = stored(demo_url, "sso")
    assert created is not None
    assert created.password_hash is None
    with Session(make_engine(demo_url)) as session:
        actor = accounts.single_sign_on(session=session, email="sso@example.de")
    assert actor.account_id == created.id


def test_edit_an_account(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN, Role.READER)
    assert at.title[0].value == "Leser"
    form = f"account_edit_{ACCOUNT_IDS[Role.READER]}_1"
    fill(at, form, display_name="Lea Leser", email="lea@example.de", role="secretariat")
    click(at, "Speichern")
    assert not at.exception
    assert "Konto „leser“ gespeichert." in at.success[0].value
    changed = stored(demo_url, "leser")
    assert changed is not None
    assert (changed.display_name, changed.email, changed.role) == (
        "Lea Leser",
        "lea@example.de",
        Role.SECRETARIAT,
    )
    assert at.title[0].value == "Lea Leser"


def test_edit_after_someone_elses_change_is_a_conflict(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN, Role.READER)
    form = f"account_edit_{ACCOUNT_IDS[Role.READER]}_1"
    with Session(make_engine(demo_url)) as session:
        accounts.update_account(
            session=session,
            actor=SYSTEM_ACTOR,
            account_id=ACCOUNT_IDS[Role.READER],
            data={"display_name": "Von anderswo"},
        )
    fill(at, form, display_name="Mein Stand")
    click(at, "Speichern")
    assert not at.exception
    assert any("inzwischen von" in message for message in errors(at))
    assert at.text_input(key=f"{form}.display_name").value == "Mein Stand"
    changed = stored(demo_url, "leser")
    assert changed is not None
    assert changed.display_name == "Von anderswo"

    click(at, "Eingaben verwerfen und neu laden")
    fresh = f"account_edit_{ACCOUNT_IDS[Role.READER]}_2"
    assert at.text_input(key=f"{fresh}.display_name").value == "Von anderswo"
    assert not errors(at)


def test_deactivate_and_reactivate(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN, Role.READER)
    click(at, "Deaktivieren")
    assert not at.exception
    assert "Konto „leser“ deaktiviert." in at.success[0].value
    assert "deaktiviert" in at.warning[0].value
    assert stored(demo_url, "leser").archived  # type: ignore[union-attr]
    with Session(make_engine(demo_url)) as session, pytest.raises(DomainError):
        accounts.sign_in(session=session, username="leser", password=PASSWORD)

    click(at, "Reaktivieren")
    assert not stored(demo_url, "leser").archived  # type: ignore[union-attr]
    with Session(make_engine(demo_url)) as session:
        assert accounts.sign_in(session=session, username="leser", password=PASSWORD)


def test_own_account_cannot_be_deactivated(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN, Role.ADMIN)
    click(at, "Deaktivieren")
    assert "Sie können Ihr eigenes Konto nicht deaktivieren." in errors(at)
    assert not stored(demo_url, "admin").archived  # type: ignore[union-attr]


def test_locked_account_is_unlocked(demo_url: str, tmp_path: Path) -> None:
    with Session(make_engine(demo_url)) as session:
        for _ in range(accounts.MAX_FAILED_SIGN_INS):
            with pytest.raises(DomainError):
                accounts.sign_in(session=session, username="leser", password="falsch-falsch")
    at = account_page(tmp_path, Role.ADMIN, Role.READER)
    assert "gesperrt bis" in at.warning[0].value
    click(at, "Entsperren")
    assert stored(demo_url, "leser").locked_until is None  # type: ignore[union-attr]
    with Session(make_engine(demo_url)) as session:
        assert accounts.sign_in(session=session, username="leser", password=PASSWORD)


def test_set_a_new_password(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN, Role.READER)
    form = f"account_password_{ACCOUNT_IDS[Role.READER]}"
    fill(at, form, password="kurz", password_repeat="kurz")
    click(at, "Passwort setzen")
    assert any("mindestens 12 Zeichen" in message for message in errors(at))

    fill(at, form, password=NEW_PASSWORD, password_repeat=NEW_PASSWORD)
    click(at, "Passwort setzen")
    assert "Neues Passwort für „leser“ gesetzt." in at.success[0].value
    with Session(make_engine(demo_url)) as session:
        assert accounts.sign_in(session=session, username="leser", password=NEW_PASSWORD)


def test_assign_and_withdraw(demo_url: str, tmp_path: Path) -> None:
    secretariat = ACCOUNT_IDS[Role.SECRETARIAT]
    mv = committee_id(demo_url, SECRETARIAT_COMMITTEE)
    at = account_page(tmp_path, Role.ADMIN, Role.SECRETARIAT)
    assert any(tab.label == "Zuordnungen (2)" for tab in at.tabs)
    form = f"assignment_new_{secretariat}"
    options = at.selectbox(key=f"{form}.target").options
    assert f"Gremium: {SECRETARIAT_COMMITTEE}" not in options, "already assigned"
    assert f"Vereinbarung: {SECRETARIAT_AGREEMENT}" not in options
    other = next(option for option in options if option.startswith("Gremium: "))
    at.selectbox(key=f"{form}.target").select_index(options.index(other))
    click(at, "Zuordnen")
    assert not at.exception
    assert f"{other} zugeordnet." in at.success[0].value
    other_id = committee_id(demo_url, other.removeprefix("Gremium: "))
    assert (other_id, None) in active_assignments(demo_url, secretariat)

    assignments_before = active_assignments(demo_url, secretariat)
    assert assignments_before[0] == (mv, None)
    # The first „Zuordnung entziehen“ belongs to the first assignment, the MV committee.
    click(at, "Zuordnung entziehen")
    assert not at.exception
    assert (mv, None) not in active_assignments(demo_url, secretariat)
    assert len(active_assignments(demo_url, secretariat)) == 2


def test_readers_and_admins_get_no_assignment_form(demo_url: str, tmp_path: Path) -> None:
    at = account_page(tmp_path, Role.ADMIN, Role.READER)
    assert not at.exception
    assert any("nur für Konten mit der Rolle „Sekretariat“" in info.value for info in at.info)
    assert not [box for box in at.selectbox if str(box.key).endswith(".target")]


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.READER])
def test_non_admins_are_refused(role: Role, demo_url: str, tmp_path: Path) -> None:
    for record in (None, Role.READER):
        at = account_page(tmp_path, role, record)
        assert not at.exception
        assert errors(at) == [
            "Keine Berechtigung: Die Benutzerverwaltung ist Administratoren vorbehalten."
        ]
        assert not at.dataframe
        assert not at.text_input
        assert not at.button
