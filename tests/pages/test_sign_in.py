"""The sign-in gate of the real app: first run, sign-in, lock-out, expiry, sign-out, single sign-on."""

from datetime import timedelta

from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from models.account import Account
from models.audit import AuditEvent
from models.base import utcnow
from models.db import make_engine
from models.enums import AuditAction, Role
from services import accounts
from services.actor import SYSTEM_ACTOR
from tests.pages.apptest import click, reachable, whole_app
from tests.workspaces import ACCOUNT_IDS, PASSWORD
from ui.links import PAGES
from ui.session import AUTH

SSO_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "nur-fuer-tests",
    "client_id": "kooperationsraum",
    "client_secret": "nur-fuer-tests",
    "server_metadata_url": "https://idp.example.de/.well-known/openid-configuration",
}


def account(url: str, username: str) -> Account:
    with Session(make_engine(url)) as session:
        row = session.exec(select(Account).where(Account.username == username)).one()
        session.expunge(row)
        return row


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="sign_in.username").input(username)
    at.text_input(key="sign_in.password").input(password)
    return click(at, "Anmelden")


def sidebar_texts(at: AppTest) -> list[str]:
    return [
        element.value for element in at.sidebar if isinstance(getattr(element, "value", None), str)
    ]


def errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


def test_signed_out_visitor_sees_only_the_sign_in(demo_url: str) -> None:
    at = whole_app().run()
    assert not at.exception
    assert [title.value for title in at.title] == ["Anmeldung"]
    assert len(at.sidebar.children) == 0, "no page list, no account box"
    for noun in PAGES:
        if noun != "sign_in":
            assert not reachable(at, noun), noun
    assert AUTH not in at.session_state


def test_sign_in_with_the_right_password_opens_the_workspace(demo_url: str) -> None:
    at = sign_in(whole_app().run(), "Admin ", PASSWORD)
    assert not at.exception
    assert at.title[0].value == "Übersicht"
    auth = at.session_state[AUTH]
    assert auth["account_id"] == ACCOUNT_IDS[Role.ADMIN]
    assert auth["signed_in_at"].tzinfo is not None
    assert auth["last_seen"].tzinfo is not None
    assert sidebar_texts(at)[0] == f"**Admin**  \n:small[:gray[admin · {Role.ADMIN.label}]]"
    assert account(demo_url, "admin").last_sign_in_at is not None
    # The password does not linger in the browser session.
    assert PASSWORD not in [str(value) for value in at.session_state.values()]


def test_wrong_password_is_refused(demo_url: str) -> None:
    at = sign_in(whole_app().run(), "admin", "falsches-passwort")
    assert not at.exception
    assert at.title[0].value == "Anmeldung"
    assert errors(at) == [accounts.SIGN_IN_REFUSED]
    assert at.text_input(key="sign_in.password").value == ""
    assert at.text_input(key="sign_in.username").value == "admin"
    assert AUTH not in at.session_state
    assert account(demo_url, "admin").failed_sign_ins == 1


def test_unknown_user_gets_the_same_answer(demo_url: str) -> None:
    at = sign_in(whole_app().run(), "niemand", PASSWORD)
    assert errors(at) == [accounts.SIGN_IN_REFUSED]


def test_five_failures_lock_the_account(demo_url: str) -> None:
    at = whole_app().run()
    for _ in range(accounts.MAX_FAILED_SIGN_INS - 1):
        sign_in(at, "leser", "falsches-passwort")
        assert errors(at) == [accounts.SIGN_IN_REFUSED]
    sign_in(at, "leser", "falsches-passwort")
    [message] = errors(at)
    assert f"nach {accounts.MAX_FAILED_SIGN_INS} Fehlversuchen" in message
    assert "gesperrt" in message
    # Locked means locked: the right password does not get in either.
    sign_in(at, "leser", PASSWORD)
    assert "gesperrt" in errors(at)[0]
    assert AUTH not in at.session_state
    locked_until = account(demo_url, "leser").locked_until
    assert locked_until is not None


def test_idle_session_expires(demo_url: str) -> None:
    at = whole_app(Role.ADMIN)
    at.session_state[AUTH]["last_seen"] = utcnow() - timedelta(minutes=31)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Anmeldung"
    assert [info.value for info in at.info] == [
        "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."
    ]
    assert AUTH not in at.session_state
    # Shown once: the next run is a plain sign-in page.
    at.run()
    assert not at.info


def test_active_session_is_kept_alive(demo_url: str) -> None:
    at = whole_app(Role.ADMIN)
    at.session_state[AUTH]["last_seen"] = utcnow() - timedelta(minutes=29)
    at.run()
    assert at.title[0].value == "Übersicht"
    assert utcnow() - at.session_state[AUTH]["last_seen"] < timedelta(minutes=1)


def test_too_long_session_expires(demo_url: str) -> None:
    at = whole_app(Role.ADMIN)
    at.session_state[AUTH]["signed_in_at"] = utcnow() - accounts.SESSION_LIFETIME - timedelta(1)
    at.run()
    assert at.title[0].value == "Anmeldung"


def test_sign_out_forgets_the_session(demo_url: str) -> None:
    at = whole_app(Role.SECRETARIAT).run()
    at.session_state["organizations.search"] = "Leipzig"
    click(at, "Abmelden")
    assert not at.exception
    assert at.title[0].value == "Anmeldung"
    assert AUTH not in at.session_state
    assert "organizations.search" not in at.session_state
    assert not at.info, "a chosen sign-out is no expiry"
    with Session(make_engine(demo_url)) as session:
        last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert last is not None
    assert (last.action, last.actor) == (AuditAction.SIGN_OUT, "sekretariat")


def test_deactivated_account_is_signed_out(demo_url: str) -> None:
    at = whole_app(Role.READER).run()
    assert at.title[0].value == "Übersicht"
    with Session(make_engine(demo_url)) as session:
        accounts.set_account_active(
            session=session, actor=SYSTEM_ACTOR, account_id=ACCOUNT_IDS[Role.READER], active=False
        )
    at.run()
    assert at.title[0].value == "Anmeldung"
    assert "nicht mehr aktiv" in at.info[0].value
    sign_in(at, "leser", PASSWORD)
    assert errors(at) == [accounts.SIGN_IN_REFUSED]


def test_first_run_creates_the_administrator_and_signs_in(blank_url: str) -> None:
    at = whole_app().run()
    assert not at.exception
    assert [title.value for title in at.title] == ["Ersteinrichtung"]
    for noun in PAGES:
        if noun != "first_run":
            assert not reachable(at, noun), noun
    at.text_input(key="first_run.username").input("Verwaltung")
    at.text_input(key="first_run.display_name").input("Geschäftsstelle")
    at.text_input(key="first_run.password").input("ein-sicheres-passwort")
    at.text_input(key="first_run.password_repeat").input("ein-sicheres-passwort")
    click(at, "Administrator anlegen")
    assert not at.exception
    assert at.title[0].value == "Übersicht"
    assert "Administratorkonto „verwaltung“ angelegt" in at.success[0].value
    created = account(blank_url, "verwaltung")
    assert created.role is Role.ADMIN
    assert created.password_hash is not None
    assert "ein-sicheres-passwort" not in created.password_hash
    assert at.session_state[AUTH]["account_id"] == created.id
    assert reachable(at, "accounts")

    # The next visitor finds a set-up workspace: sign-in only, no Ersteinrichtung.
    second = whole_app().run()
    assert second.title[0].value == "Anmeldung"
    assert not reachable(second, "first_run")


def test_first_run_refuses_mismatching_passwords(blank_url: str) -> None:
    at = whole_app().run()
    at.text_input(key="first_run.username").input("verwaltung")
    at.text_input(key="first_run.display_name").input("Geschäftsstelle")
    at.text_input(key="first_run.password").input("ein-sicheres-passwort")
    at.text_input(key="first_run.password_repeat").input("ein-anderes-passwort")
    click(at, "Administrator anlegen")
    assert at.title[0].value == "Ersteinrichtung"
    assert "Passwort wiederholen: stimmt nicht mit dem Passwort überein." in errors(at)
    assert at.text_input(key="first_run.username").value == "verwaltung"
    with Session(make_engine(blank_url)) as session:
        assert not accounts.accounts_exist(session)


def test_first_run_refuses_a_short_password(blank_url: str) -> None:
    at = whole_app().run()
    at.text_input(key="first_run.username").input("verwaltung")
    at.text_input(key="first_run.display_name").input("Geschäftsstelle")
    at.text_input(key="first_run.password").input("kurz")
    at.text_input(key="first_run.password_repeat").input("kurz")
    click(at, "Administrator anlegen")
    assert any("mindestens 12 Zeichen" in message for message in errors(at))
    with Session(make_engine(blank_url)) as session:
        assert not accounts.accounts_exist(session)


def test_password_sign_in_has_no_single_sign_on_without_secrets(demo_url: str) -> None:
    at = whole_app().run()
    assert [button.label for button in at.button] == ["Anmelden"]


def with_sso(at: AppTest, email: str | None) -> AppTest:
    at.secrets["auth"] = SSO_SECRETS
    at.user = {"is_logged_in": email is not None, "email": email}
    return at


def test_single_sign_on_is_offered_when_configured(demo_url: str) -> None:
    at = with_sso(whole_app(), None).run()
    assert not at.exception
    assert "Mit Single Sign-on anmelden" in [button.label for button in at.button]


def test_single_sign_on_maps_the_identity_by_email(demo_url: str) -> None:
    with Session(make_engine(demo_url)) as session:
        accounts.update_account(
            session=session,
            actor=SYSTEM_ACTOR,
            account_id=ACCOUNT_IDS[Role.READER],
            data={"email": "Leser@Example.de"},
        )
    at = with_sso(whole_app(), "leser@example.de").run()
    assert not at.exception
    assert at.title[0].value == "Übersicht"
    assert at.session_state[AUTH]["account_id"] == ACCOUNT_IDS[Role.READER]
    assert account(demo_url, "leser").last_sign_in_at is not None

    # Signing out also ends the identity, or it would sign straight back in.
    click(at, "Abmelden")
    assert at.title[0].value == "Anmeldung"
    assert at.user == {"is_logged_in": False}
    assert AUTH not in at.session_state


def test_single_sign_on_without_account_is_refused(demo_url: str) -> None:
    at = with_sso(whole_app(), "fremd@example.de").run()
    assert not at.exception
    assert at.title[0].value == "Anmeldung"
    assert AUTH not in at.session_state
    assert "Für fremd@example.de gibt es kein aktives Konto" in errors(at)[0]
    click(at, "Vom Single Sign-on abmelden")
    assert at.user == {"is_logged_in": False}
    assert not errors(at)
    assert "Mit Single Sign-on anmelden" in [button.label for button in at.button]
