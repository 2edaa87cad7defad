"""Ersteinrichtung: the first start without any account creates the first administrator."""

import streamlit as st
from sqlmodel import Session

from services import accounts
from services.actor import Actor
from ui import forms
from ui.session import start_session

FORM = "first_run"
FIELDS = ["username", "display_name", "email"]


def create_administrator(session: Session, _actor: Actor) -> accounts.SignInResult:
    """Create the first administrator and sign in with it, as any later sign-in would."""
    password = forms.repeated_password(FORM)
    account = accounts.create_first_admin(
        session=session, data=forms.values(FORM, FIELDS), password=password
    )
    return accounts.sign_in(session=session, username=account.username, password=password)


def signed_in(result: accounts.SignInResult) -> None:
    if result.actor.account_id is not None:
        start_session(result.actor.account_id, result.signed_in_at)


st.title("Ersteinrichtung")
st.markdown(
    "Es gibt noch kein Benutzerkonto. Legen Sie das erste **Administratorkonto** an. "
    "Weitere Konten legt der Administrator danach unter „Benutzer“ an."
)
with st.form(FORM):
    forms.text(
        FORM,
        "username",
        "Benutzername",
        required=True,
        help="Kleinbuchstaben, Ziffern und . _ @ - (mindestens 2 Zeichen).",
    )
    forms.text(FORM, "display_name", "Name", required=True)
    forms.text(FORM, "email", "E-Mail", help="Nötig nur für die Anmeldung über Single Sign-on.")
    forms.password(FORM, "password", "Passwort *")
    st.caption(f"Mindestens {accounts.PASSWORD_MIN} Zeichen; nicht der Benutzername.")
    forms.password(FORM, "password_repeat", "Passwort wiederholen *")
    forms.submit(
        FORM,
        "Administrator anlegen",
        create_administrator,
        success=lambda result: (
            f"Administratorkonto „{result.actor.username}“ angelegt; Sie sind angemeldet."
        ),
        after=signed_in,
    )
