"""Mein Konto: who I am, what I look after, and changing my own password."""

from pathlib import Path

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models.db import make_engine
from models.enums import Role
from services import accounts
from services.actor import SYSTEM_ACTOR
from services.errors import DomainError
from tests.pages.apptest import click, page_app
from tests.pages.test_overview import page_links, unescape
from tests.workspaces import PASSWORD, SECRETARIAT_AGREEMENT, SECRETARIAT_COMMITTEE
from ui.session import AUTH

NEW_PASSWORD = "mein-eigenes-neues-passwort"
FORM = "my_password"


def errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


def change(at: AppTest, current: str, new: str, repeat: str | None = None) -> AppTest:
    at.text_input(key=f"{FORM}.current_password").input(current)
    at.text_input(key=f"{FORM}.password").input(new)
    at.text_input(key=f"{FORM}.password_repeat").input(new if repeat is None else repeat)
    return click(at, "Passwort ändern")


def signs_in(url: str, username: str, password: str) -> bool:
    with Session(make_engine(url)) as session:
        try:
            accounts.sign_in(session=session, username=username, password=password)
        except DomainError:
            return False
    return True


def test_secretariat_sees_its_account_and_assignments(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "my_account", Role.SECRETARIAT).run()
    assert not at.exception
    assert at.title[0].value == "Mein Konto"
    facts = [unescape(markdown.value) for markdown in at.markdown]
    assert "**Benutzername:** sekretariat" in facts
    assert f"**Rolle:** {Role.SECRETARIAT.label}" in facts
    links = {label: (page, query) for label, page, query in page_links(at)}
    assert links[f"Gremium: {SECRETARIAT_COMMITTEE}"][0] == "committees"
    assert links[f"Vereinbarung: {SECRETARIAT_AGREEMENT}"][0] == "agreements"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.READER])
def test_other_roles_are_told_what_they_may_change(
    role: Role, demo_url: str, tmp_path: Path
) -> None:
    at = page_app(tmp_path, "my_account", role).run()
    assert not at.exception
    captions = " ".join(caption.value for caption in at.caption)
    assert ("alle Gremien" if role is Role.ADMIN else "ändern nichts") in captions
    assert not page_links(at)


def test_change_own_password(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "my_account", Role.READER).run()
    change(at, "falsch-geraten-passwort", NEW_PASSWORD)
    assert "Bisheriges Passwort: ist nicht richtig." in errors(at)
    assert signs_in(demo_url, "leser", PASSWORD)

    change(at, PASSWORD, NEW_PASSWORD, repeat="vertippt-beim-zweiten")
    assert "Passwort wiederholen: stimmt nicht mit dem Passwort überein." in errors(at)

    change(at, PASSWORD, NEW_PASSWORD)
    assert not at.exception
    assert at.success[0].value == "Ihr Passwort ist geändert."
    assert at.text_input(key=f"{FORM}.password").value == ""
    assert signs_in(demo_url, "leser", NEW_PASSWORD)
    assert not signs_in(demo_url, "leser", PASSWORD)


def test_single_sign_on_account_has_no_password_to_change(demo_url: str, tmp_path: Path) -> None:
    with Session(make_engine(demo_url)) as session:
        created = accounts.create_account(
            session=session,
            actor=SYSTEM_ACTOR,
            data={
                "username": "sso",
                "display_name": "Nur SSO",
                "email": "sso@example.org",
                "role": Role.READER,
            },
            password=None,
        )
    at = page_app(tmp_path, "my_account", Role.READER)
    at.session_state[AUTH]["account_id"] = created.id
    at.run()
    assert not at.exception
    assert "nur über Single Sign-on" in at.info[0].value
    assert not at.text_input


def test_signed_out_visitor_sees_nothing(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "my_account")
    del at.session_state[AUTH]
    at.run()
    assert not at.exception
    assert at.info[0].value == "Sie sind nicht angemeldet."
    assert not at.text_input
