"""Kooperationsraum: the router. Page config, the sign-in gate and the navigation per role."""

from pathlib import Path

import streamlit as st

from models.enums import Role
from services.accounts import accounts_exist
from services.actor import Actor
from ui.db import schema_ready, session_scope
from ui.format import plain
from ui.layout import page_style
from ui.links import PAGES
from ui.session import sign_out, signed_in_actor

# The icon is a file of ours: a Material icon here would be fetched from fonts.gstatic.com,
# which office networks often block (a console error on every page).
FAVICON = Path(__file__).parent / "ui" / "assets" / "favicon.svg"
st.set_page_config(page_title="Kooperationsraum", page_icon=str(FAVICON), layout="wide")
page_style()


def page(
    noun: str, title: str, icon: str, url_path: str, *, default: bool = False, hidden: bool = False
) -> st.Page:
    # The default page is served at the app's root address. Its url_path still names it:
    # one inferred from the file name would collide with the pages/ folder's own entries.
    return st.Page(
        PAGES[noun],
        title=title,
        icon=icon,
        url_path=url_path,
        default=default,
        visibility="hidden" if hidden else "visible",
    )


# The workspace's pages by section: (noun, title, icon, address). Übersicht is the default.
SECTIONS: dict[str, list[tuple[str, str, str, str]]] = {
    "Arbeitsraum": [
        ("overview", "Übersicht", ":material/dashboard:", "uebersicht"),
        ("decisions", "Beschlüsse", ":material/task_alt:", "beschluesse"),
    ],
    "Gremienarbeit": [
        ("committees", "Gremien", ":material/groups:", "gremien"),
        ("meetings", "Sitzungen", ":material/event:", "sitzungen"),
        ("agreements", "Vereinbarungen", ":material/handshake:", "vereinbarungen"),
    ],
    "Auswertung": [
        ("topic_fields", "Themenfelder", ":material/grid_view:", "themenfelder"),
        ("participation", "Beteiligung", ":material/donut_large:", "beteiligung"),
        ("network", "Kooperationsnetz", ":material/hub:", "kooperationsnetz"),
        ("timeline", "Zeitleiste", ":material/timeline:", "zeitleiste"),
        ("committee_work", "Gremienarbeit", ":material/monitoring:", "gremienarbeit"),
    ],
    "Verzeichnis": [
        ("organizations", "Organisationen", ":material/account_balance:", "organisationen"),
        ("persons", "Personen", ":material/person:", "personen"),
    ],
    "Verwaltung": [
        ("export", "Export und Import", ":material/import_export:", "export"),
        ("audit", "Änderungsprotokoll", ":material/history:", "aenderungsprotokoll"),
        ("accounts", "Benutzer", ":material/manage_accounts:", "benutzer"),
    ],
}
# Reached from the account box under the navigation, not listed in it.
MY_ACCOUNT = ("my_account", "Mein Konto", ":material/account_circle:", "mein-konto")
DEFAULT = "uebersicht"


def workspace(actor: Actor) -> dict[str, list[st.Page]]:
    """The signed-in user's sections; Lesend sees the same pages, only changes nothing."""
    sections: dict[str, list[st.Page]] = {}
    for section, entries in SECTIONS.items():
        for noun, title, icon, address in entries:
            if noun == "accounts" and actor.role is not Role.ADMIN:
                continue
            if noun == "export" and actor.role is Role.READER:
                title = "Export"
            sections.setdefault(section, []).append(
                page(noun, title, icon, address, default=address == DEFAULT)
            )
    sections["Verwaltung"].append(page(*MY_ACCOUNT, hidden=True))
    return sections


def sign_in_everywhere() -> list[st.Page]:
    """The sign-in at every workspace address.

    A shared link (a meeting, a decision) then asks for the sign-in and, once signed in,
    opens what it names, instead of Streamlit falling back to its main page.
    """
    return [
        page("sign_in", "Anmeldung", ":material/login:", address, default=address == DEFAULT)
        for entries in [*SECTIONS.values(), [MY_ACCOUNT]]
        for _noun, _title, _icon, address in entries
    ]


def account_sidebar(actor: Actor) -> None:
    """Who is signed in, with which role, and the way out."""
    with st.sidebar:
        # One element and a slim button: on a 768 px screen they fit below the navigation.
        st.markdown(
            f"**{plain(actor.display_name)}**  \n"
            f":small[:gray[{plain(actor.username)} · {actor.role.label}]]"
        )
        own, out = st.columns(2, vertical_alignment="center")
        own.page_link(PAGES["my_account"], label="Mein Konto", icon=":material/account_circle:")
        out.button(
            "Abmelden",
            key="app.sign_out",
            icon=":material/logout:",
            on_click=sign_out,
            type="tertiary",
        )


if not schema_ready():
    # A database the code cannot read yet (never migrated, or older than this version):
    # say what to do instead of failing on the first query with an SQL error.
    st.title("Kooperationsraum")
    st.error(
        "Die Datenbank ist nicht auf dem Stand dieser Version. Die Administration des Servers "
        "richtet sie mit `python manage.py migrate` ein (`make run` tut das beim Start).",
        icon=":material/database:",
    )
    st.stop()
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
    navigation = st.navigation(sign_in_everywhere(), position="hidden")
else:
    # Every page listed: the collapsed list would end in Streamlit's English "View N more".
    navigation = st.navigation(workspace(actor), expanded=True)
    # After the navigation: its link to „Mein Konto“ needs the page registered.
    account_sidebar(actor)
navigation.run()
