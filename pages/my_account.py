"""Mein Konto: who I am here, what I look after, and my own password."""

import streamlit as st
from sqlmodel import Session

from models.account import Account
from models.enums import Role
from services import accounts
from services.actor import Actor
from services.periods import format_datetime
from ui import forms, links
from ui.db import session_scope
from ui.format import plain
from ui.session import current_actor, show_flash
from ui.tables import fact

FORM = "my_password"


def change_password(session: Session, actor: Actor) -> Account:
    """Set the new password typed twice, after checking the current one."""
    password = forms.repeated_password(FORM)
    return accounts.set_password(
        session=session,
        actor=actor,
        account_id=actor.account_id or 0,
        password=password,
        current_password=st.session_state.get(forms.key(FORM, "current_password")) or "",
    )


def responsibilities(session: Session, account: Account) -> None:
    st.subheader("Zuständigkeit")
    if account.role is Role.ADMIN:
        st.caption("Als Administrator ändern Sie alle Gremien und Vereinbarungen.")
        return
    if account.role is Role.READER:
        st.caption(
            f"Mit der Rolle „{Role.READER.label}“ sehen Sie alles Öffentliche und ändern nichts."
        )
        return
    assigned = accounts.list_assignments(session, account.id or 0)
    if assigned.empty:
        st.info(
            "Ihrem Konto ist noch kein Gremium und keine Vereinbarung zugeordnet; Sie ändern "
            "Organisationen und Personen. Zuordnungen vergibt ein Administrator.",
            icon=":material/info:",
        )
        return
    st.caption("Diese Gremien und Vereinbarungen betreuen Sie:")
    for row in assigned.to_dict("records"):
        noun = "committees" if row["kind"] == "Gremium" else "agreements"
        links.link(noun, f"{row['kind']}: {plain(str(row['name']))}", int(row["target_id"]))


st.title("Mein Konto")
show_flash()
actor = current_actor()
with session_scope() as db:
    account = db.get(Account, actor.account_id) if actor.account_id is not None else None
    if account is None:
        st.info("Sie sind nicht angemeldet.", icon=":material/info:")
        st.stop()
    fact("Benutzername", account.username)
    fact("Name", account.display_name)
    fact("E-Mail", account.email)
    fact("Rolle", account.role.label)
    fact("letzte Anmeldung", format_datetime(account.last_sign_in_at))
    responsibilities(db, account)

st.subheader("Passwort ändern")
if account.password_hash is None:
    st.info(
        "Ihr Konto meldet sich nur über Single Sign-on an; ein Passwort gibt es hier nicht.",
        icon=":material/info:",
    )
else:
    with st.form(FORM):
        forms.password(FORM, "current_password", "Bisheriges Passwort", "current-password")
        forms.password(FORM, "password", "Neues Passwort")
        forms.password(FORM, "password_repeat", "Neues Passwort wiederholen")
        st.caption(f"Mindestens {accounts.PASSWORD_MIN} Zeichen; nicht der Benutzername.")
        forms.submit(FORM, "Passwort ändern", change_password, success="Ihr Passwort ist geändert.")
