"""Anmeldung: user name and password, and single sign-on where it is set up."""

import streamlit as st

from services import accounts
from services.errors import DomainError
from ui import forms
from ui.db import session_scope
from ui.format import plain
from ui.session import (
    end_single_sign_on,
    signed_out_notice,
    sso_configured,
    sso_refusal,
    start_session,
)

FORM = "sign_in"
_ERROR = "sign_in_error"


def sign_in() -> None:
    """Check the entered user name and password; sign the browser session in on success."""
    username = st.session_state.get(forms.key(FORM, "username")) or ""
    password = st.session_state.get(forms.key(FORM, "password")) or ""
    # A refused password is not left in the field (nor in session state).
    st.session_state[forms.key(FORM, "password")] = ""
    try:
        with session_scope() as session:
            result = accounts.sign_in(session=session, username=username, password=password)
    except DomainError as exc:
        st.session_state[_ERROR] = exc.message
        return
    st.session_state.pop(_ERROR, None)
    st.session_state.pop(forms.key(FORM, "username"), None)
    if result.actor.account_id is not None:
        start_session(result.actor.account_id, result.signed_in_at)


st.title("Anmeldung")
st.caption(
    "Kooperationsraum – Arbeitsraum für die Steuerung kooperativer Verwaltungsdigitalisierung"
)
notice = signed_out_notice()
if notice:
    st.info(notice, icon=":material/schedule:")

with st.form(FORM):
    st.text_input("Benutzername", key=forms.key(FORM, "username"), autocomplete="username")
    st.text_input(
        "Passwort",
        type="password",
        key=forms.key(FORM, "password"),
        autocomplete="current-password",
    )
    st.form_submit_button("Anmelden", type="primary", on_click=sign_in)
error = st.session_state.pop(_ERROR, None)
if error:
    st.error(plain(error), icon=":material/error:")

if sso_configured():
    refusal = sso_refusal()
    if refusal:
        st.error(refusal, icon=":material/error:")
        st.button(
            "Vom Single Sign-on abmelden",
            key="sign_in.sso_logout",
            icon=":material/logout:",
            on_click=end_single_sign_on,
        )
    else:
        st.button(
            "Mit Single Sign-on anmelden",
            key="sign_in.sso",
            icon=":material/key:",
            on_click=st.login,
        )
