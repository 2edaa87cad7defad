"""Benutzer: accounts, roles, sign-in state, passwords and a Sekretariat's assignments (admins only)."""

from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from models.account import Account, Assignment
from models.base import utcnow
from models.enums import Role
from services import accounts
from services.actor import Actor
from services.agreements import list_agreements
from services.committees import committee_choices
from services.errors import DomainError
from services.periods import format_datetime
from ui import forms, layout, links
from ui.db import session_scope
from ui.format import plain
from ui.session import is_admin, show_flash, sso_configured
from ui.tables import fact, pick_table

FIELDS = ["username", "display_name", "email", "role"]
ROLES = Role.labels()
LIST_COLUMNS = [
    "username",
    "display_name",
    "email",
    "role",
    "active",
    "locked",
    "sso_only",
    "assignments",
    "last_sign_in",
]
LABELS = {
    "username": "Benutzername",
    "display_name": "Name",
    "email": "E-Mail",
    "role": "Rolle",
    "active": "Aktiv",
    "locked": "Gesperrt",
    "sso_only": "nur SSO",
    "assignments": "Zuordnungen",
    "last_sign_in": "letzte Anmeldung",
}
USERNAME_HELP = "Kleinbuchstaben, Ziffern und . _ @ - (mindestens 2 Zeichen)."
EMAIL_HELP = "Für Single Sign-on: die Adresse, die der Identitätsanbieter übermittelt."


def when(moment: Any) -> str:
    """dd.mm.yyyy HH:MM, or nothing for a moment that never happened (None, NaT)."""
    return "" if moment is None or pd.isna(moment) else format_datetime(moment)


def new_password(form: str, *, required: bool) -> str | None:
    """The password typed twice into `form`; None when both fields are empty and that is fine."""
    password = forms.repeated_password(form)
    if not password and required:
        raise DomainError("Passwort: bitte angeben (oder „nur Single Sign-on“ wählen).", "password")
    return password or None


def create_form() -> None:
    form = "account_new"
    with st.form(form):
        left, right = st.columns(2)
        with left:
            forms.text(form, "username", "Benutzername", required=True, help=USERNAME_HELP)
            forms.text(form, "email", "E-Mail", help=EMAIL_HELP)
        with right:
            forms.text(form, "display_name", "Name", required=True)
            forms.choice(form, "role", "Rolle", ROLES, required=True)
        forms.flag(
            form,
            "sso_only",
            "nur Single Sign-on",
            help="Ohne Passwort: Das Konto meldet sich nur über den Identitätsanbieter an, "
            "erkannt an seiner E-Mail-Adresse.",
        )
        left, right = st.columns(2)
        with left:
            forms.password(form, "password", "Passwort")
        with right:
            forms.password(form, "password_repeat", "Passwort wiederholen")
        st.caption(f"Mindestens {accounts.PASSWORD_MIN} Zeichen; nicht der Benutzername.")

        def create(session: Session, actor: Actor) -> Account:
            values = forms.values(form, FIELDS)
            sso_only = bool(st.session_state.get(forms.key(form, "sso_only")))
            password = new_password(form, required=not sso_only)
            if sso_only and password:
                raise DomainError(
                    "Passwort: bei „nur Single Sign-on“ bitte leer lassen.", "password"
                )
            return accounts.create_account(
                session=session, actor=actor, data=values, password=password
            )

        forms.submit(
            form,
            "Anlegen",
            create,
            success=lambda account: f"Konto „{account.username}“ angelegt.",
            after=lambda account: st.query_params.update(id=str(account.id)),
        )


def list_view(session: Session) -> None:
    st.title("Benutzer")
    st.caption(
        "Konten mit Rolle (Administrator, Sekretariat, Lesend) und den Gremien und "
        "Vereinbarungen, die ein Sekretariat bearbeitet."
    )
    show_flash()
    frame = accounts.list_accounts(session)
    frame["last_sign_in"] = frame["last_sign_in_at"].map(when)
    chosen = pick_table(
        frame,
        LIST_COLUMNS,
        key="accounts.table",
        opens="das Konto",
        empty="Noch keine Konten.",
        labels=LABELS,
    )
    if chosen is not None:
        st.query_params["id"] = str(chosen)
        st.rerun()
    with st.expander("Neues Konto anlegen", expanded=len(frame) <= 1):
        create_form()


def edit_form(account: Account) -> None:
    account_id = account.id or 0
    # The form is named after the version the user started editing from and keeps that name
    # while it holds their input: saving over someone else's change since then is refused
    # (ConflictError) and shown with the input intact, instead of silently overwriting it.
    started_key = f"accounts.editing_{account_id}"
    started = st.session_state.get(started_key)
    if forms.key(f"account_edit_{account_id}_{started}", "display_name") not in st.session_state:
        started = st.session_state[started_key] = account.version
    form = f"account_edit_{account_id}_{started}"
    with st.form(form):
        left, right = st.columns(2)
        with left:
            forms.text(
                form,
                "username",
                "Benutzername",
                account.username,
                required=True,
                help=USERNAME_HELP,
            )
            forms.text(form, "email", "E-Mail", account.email, help=EMAIL_HELP)
        with right:
            forms.text(form, "display_name", "Name", account.display_name, required=True)
            forms.choice(form, "role", "Rolle", ROLES, account.role.value, required=True)
        forms.submit(
            form,
            "Speichern",
            lambda s, a: accounts.update_account(
                session=s,
                actor=a,
                account_id=account_id,
                data=forms.values(form, FIELDS),
                expected_version=started,
            ),
            success=lambda saved: f"Konto „{saved.username}“ gespeichert.",
        )
    if started != account.version:
        st.button(
            "Eingaben verwerfen und neu laden",
            key=f"accounts.reload_{account_id}",
            icon=":material/refresh:",
            on_click=forget_input,
            args=(form,),
        )


def forget_input(form: str) -> None:
    """Drop what the user typed into `form`; it is filled anew from the stored record."""
    for state_key in [k for k in st.session_state if str(k).startswith(f"{form}.")]:
        del st.session_state[state_key]


def password_form(account: Account) -> None:
    form = f"account_password_{account.id}"
    account_id = account.id or 0
    with st.form(form):
        left, right = st.columns(2)
        with left:
            forms.password(form, "password", "Neues Passwort")
        with right:
            forms.password(form, "password_repeat", "Passwort wiederholen")
        st.caption(
            f"Mindestens {accounts.PASSWORD_MIN} Zeichen; nicht der Benutzername. "
            "Ein neues Passwort hebt auch eine Sperre nach Fehlversuchen auf."
        )
        forms.submit(
            form,
            "Passwort setzen",
            lambda s, a: accounts.set_password(
                session=s,
                actor=a,
                account_id=account_id,
                password=new_password(form, required=True) or "",
            ),
            success=f"Neues Passwort für „{account.username}“ gesetzt.",
        )


def assignment_targets(session: Session, taken: pd.DataFrame) -> dict[str, str]:
    """Committees and agreements not yet assigned, as „kind:id“ → label."""
    assigned = {
        f"{'committee' if kind == 'Gremium' else 'agreement'}:{target}"
        for kind, target in zip(taken["kind"], taken["target_id"], strict=True)
    }
    targets = {
        f"committee:{i}": f"Gremium: {name}" for i, name in committee_choices(session).items()
    }
    agreements_frame = list_agreements(session)
    targets |= {
        f"agreement:{i}": f"Vereinbarung: {title}"
        for i, title in zip(agreements_frame["id"], agreements_frame["title"], strict=True)
    }
    return {value: label for value, label in targets.items() if value not in assigned}


def withdraw(assignment_id: int) -> forms.Command:
    """The command that withdraws one assignment (bound now, run on click)."""

    def command(session: Session, actor: Actor) -> Assignment:
        return accounts.unassign(session=session, actor=actor, assignment_id=assignment_id)

    return command


def assignments_tab(session: Session, account: Account) -> None:
    account_id = account.id or 0
    taken = accounts.list_assignments(session, account_id)
    if account.role is not Role.SECRETARIAT:
        st.info(
            f"Zuordnungen gibt es nur für Konten mit der Rolle „{Role.SECRETARIAT.label}“: "
            f"{Role.ADMIN.label}en ändern alles, „{Role.READER.label}“ ändert nichts.",
            icon=":material/info:",
        )
    elif taken.empty:
        st.info(
            "Diesem Konto ist noch nichts zugeordnet: Es ändert nur Organisationen und Personen.",
            icon=":material/info:",
        )
    for row in taken.to_dict("records"):
        left, right = st.columns([4, 1])
        with left:
            noun = "committees" if row["kind"] == "Gremium" else "agreements"
            links.link(noun, plain(str(row["name"])), int(row["target_id"]))
            st.caption(str(row["kind"]))
        with right:
            assignment_id = int(row["id"])
            forms.action_button(
                f"assignment_withdraw_{assignment_id}",
                "Zuordnung entziehen",
                withdraw(assignment_id),
                success=f"Zuordnung „{row['name']}“ entzogen.",
                icon=":material/link_off:",
            )
    if account.role is not Role.SECRETARIAT:
        return
    form = f"assignment_new_{account_id}"
    targets = assignment_targets(session, taken)
    with st.form(form):
        forms.choice(form, "target", "Gremium oder Vereinbarung", targets, required=True)

        def assign(s: Session, a: Actor) -> Assignment:
            target = st.session_state.get(forms.key(form, "target"))
            if not target:
                raise DomainError("Gremium oder Vereinbarung: bitte wählen.", "target")
            kind, target_id = str(target).split(":")
            return accounts.assign(
                session=s, actor=a, account_id=account_id, **{f"{kind}_id": int(target_id)}
            )

        forms.submit(
            form,
            "Zuordnen",
            assign,
            success=lambda made: f"{targets.get(target_of(made), 'Zuordnung')} zugeordnet.",
        )


def target_of(assignment: Assignment) -> str:
    """The picker value („kind:id“) of an assignment."""
    if assignment.committee_id is not None:
        return f"committee:{assignment.committee_id}"
    return f"agreement:{assignment.agreement_id}"


def state_buttons(account: Account) -> None:
    locked = account.locked_until is not None and account.locked_until > utcnow()
    if account.archived:
        _state_button(account, "activate", "Reaktivieren", "reaktiviert", ":material/person_check:")
        return
    if locked:
        _state_button(account, "unlock", "Entsperren", "entsperrt", ":material/lock_open:")
    _state_button(
        account, "deactivate", "Deaktivieren", "deaktiviert", ":material/person_off:", active=False
    )


def _state_button(
    account: Account, name: str, label: str, done: str, icon: str, *, active: bool = True
) -> None:
    """One button that switches the account on (reactivate, unlock) or off (deactivate)."""
    account_id = account.id or 0
    forms.action_button(
        f"account_{name}_{account_id}",
        label,
        lambda s, a: accounts.set_account_active(
            session=s, actor=a, account_id=account_id, active=active
        ),
        success=f"Konto „{account.username}“ {done}.",
        icon=icon,
    )


def detail_view(session: Session, account_id: int) -> None:
    links.back_to_list("Alle Benutzer")
    account = session.get(Account, account_id)
    if account is None:
        st.error(f"Konto Nr. {account_id} gibt es nicht.", icon=":material/error:")
        return
    st.title(plain(account.display_name))
    show_flash()
    locked_until = account.locked_until
    if account.archived:
        st.warning(
            "Dieses Konto ist deaktiviert: Es kann sich nicht anmelden. „Reaktivieren“ gibt es "
            "wieder frei und hebt eine Sperre auf.",
            icon=":material/person_off:",
        )
    elif locked_until is not None and locked_until > utcnow():
        st.warning(
            f"Nach {accounts.MAX_FAILED_SIGN_INS} Fehlversuchen gesperrt bis "
            f"{when(locked_until)} Uhr.",
            icon=":material/lock:",
        )
    fact("Benutzername", account.username)
    fact("Rolle", account.role.label)
    fact("E-Mail", account.email)
    if account.password_hash is None:
        sign_in_by = "nur Single Sign-on"
    elif account.email and sso_configured():
        sign_in_by = "Passwort oder Single Sign-on"
    else:
        sign_in_by = "Passwort"
    fact("Anmeldung", sign_in_by)
    fact("letzte Anmeldung", when(account.last_sign_in_at) or "noch nie")
    fact("Passwort geändert am", when(account.password_changed_at))
    assignment_count = len(accounts.list_assignments(session, account_id))
    tabs = layout.tabs(
        ["Bearbeiten", "Passwort", f"Zuordnungen ({assignment_count})"],
        key=f"account_tabs_{account_id}",
    )
    with tabs[0]:
        edit_form(account)
        state_buttons(account)
        links.link(
            "audit",
            "Änderungsprotokoll dieses Kontos",
            entity="user_account",
            entity_id=str(account_id),
        )
    with tabs[1]:
        password_form(account)
    with tabs[2]:
        assignments_tab(session, account)


if not is_admin():
    # The navigation offers this page to administrators only; refuse a direct call, too.
    st.title("Benutzer")
    st.error(
        "Keine Berechtigung: Die Benutzerverwaltung ist Administratoren vorbehalten.",
        icon=":material/block:",
    )
    st.stop()

with session_scope() as db:
    selected = links.selected_id()
    if selected is None:
        list_view(db)
    else:
        detail_view(db, selected)
