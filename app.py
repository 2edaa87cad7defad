"""Kooperationsraum: the router. Page config and navigation only; pages do the rest."""

import streamlit as st

from ui.links import PAGES

st.set_page_config(page_title="Kooperationsraum", page_icon=":material/hub:", layout="wide")


def page(noun: str, title: str, icon: str, url_path: str | None = None) -> st.Page:
    # The default page (no url_path) is served at the app's root address.
    return st.Page(PAGES[noun], title=title, icon=icon, url_path=url_path, default=url_path is None)


navigation = st.navigation(
    {
        "Arbeitsraum": [
            page("overview", "Übersicht", ":material/dashboard:"),
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
        "Verwaltung": [
            page("export", "Export und Import", ":material/import_export:", "export"),
            page("audit", "Änderungsprotokoll", ":material/history:", "aenderungsprotokoll"),
        ],
    }
)
navigation.run()
