"""Kooperationsraum: the router. Page config, the sign-in gate and the navigation per role."""

import streamlit as st

from models.enums import Role
from services.accounts import accounts_exist
from services.actor import Actor
from ui.db import session_scope
from ui.format import plain
from ui.links import PAGES
from ui.session import sign_out, signed_in_actor

st.set_page_config(page_title="Kooperationsraum", page_icon=":material/hub:", layout="wide")


def page(noun: str, title: str, icon: str, url_path: str, *, default: bool = False) -> st.Page:
    # The default page is served at the app's root address. Its url_path still names it:
    # one inferred from the file name would collide with the pages/ folder's own entries.
    return st.Page(PAGES[noun], title=title, icon=icon, url_path=url_path, default=default)


def workspace(actor: Actor) -> dict[str, list[st.Page]]:
    """The signed-in user's sections; Lesend sees the same pages, only changes nothing."""
    export = "Export und Import" if actor.role is not Role.READER else "Export"
    administration = [
        page("export", export, ":material/import_export:", "export"),
        page("audit", "Änderungsprotokoll", ":material/history:", "aenderungsprotokoll"),
    ]
    if actor.role is Role.ADMIN:
        administration.append(
            page("accounts", "Benutzer", ":material/manage_accounts:", "benutzer")
        )
    return {
        "Arbeitsraum": [
            page("overview", "Übersicht", ":material/dashboard:", "uebersicht", default=True),
            page("decisions", "Beschlüsse", ":material/task_alt:", "beschluesse"),
        ],
        "Gremienarbeit": [
            page("committees", "Gremien", ":material/groups:", "gremien"),
            page("meetings", "Sitzungen", ":material/event:", "sitzungen"),
            page("agreements", "Vereinbarungen", ":material/handshake:", "vereinbarungen"),
        ],
        "Auswertung": [
            page("topic_fields", "Themenfelder", ":material/grid_view:", "themenfelder"),
            page("participation", "Beteiligung", ":material/donut_large:", "beteiligung"),
            page("network", "Kooperationsnetz", ":material/hub:", "kooperationsnetz"),
            page("timeline", "Zeitleiste", ":material/timeline:", "zeitleiste"),
            page("committee_work", "Gremienarbeit", ":material/monitoring:", "gremienarbeit"),
        ],
        "Verzeichnis": [
            page("organizations", "Organisationen", ":material/account_balance:", "organisationen"),
            page("persons", "Personen", ":material/person:", "personen"),
        ],
        "Verwaltung": administration,
        "Konto": [
            page("my_account", "Mein Konto", ":material/account_circle:", "mein-konto"),
        ],
    }


def account_sidebar(actor: Actor) -> None:
    """Who is signed in, with which role, and the way out."""
    with st.sidebar:
        st.markdown(f"**{plain(actor.display_name)}**")
        st.caption(f"{plain(actor.username)} · {actor.role.label}")
        st.button("Abmelden", key="app.sign_out", icon=":material/logout:", on_click=sign_out)


with session_scope() as db:
    set_up = accounts_exist(db)
if not set_up:
    # No account at all: the only thing to do is to create the first administrator.
    navigation = st.navigation(
        [
            page(
                "first_run",
                "Ersteinrichtung",
                ":material/rocket_launch:",
                "ersteinrichtung",
                default=True,
            )
        ],
        position="hidden",
    )
elif (actor := signed_in_actor()) is None:
    navigation = st.navigation(
        [page("sign_in", "Anmeldung", ":material/login:", "anmeldung", default=True)],
        position="hidden",
    )
else:
    account_sidebar(actor)
    # Every page listed: the collapsed list would end in Streamlit's English "View N more".
    navigation = st.navigation(workspace(actor), expanded=True)
navigation.run()
