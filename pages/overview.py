"""Übersicht: what needs attention now, and one search box for every record."""

from datetime import date

import pandas as pd
import streamlit as st

from models.base import DEMO_SOURCE
from services.overview import (
    overdue_decisions,
    upcoming_meetings,
    waiting_agreements,
    workspace_counts,
)
from services.periods import format_date, format_datetime
from services.search import search
from ui import links
from ui.cache import cached
from ui.db import session_scope
from ui.format import plain
from ui.session import sees_non_public, show_flash

NEXT_MEETINGS = 5
LIST_LIMIT = 10

# Read-only aggregates, shared until the next stored change.
workspace_counts_of = cached(workspace_counts)
upcoming_meetings_of = cached(upcoming_meetings)
overdue_decisions_of = cached(overdue_decisions)
waiting_agreements_of = cached(waiting_agreements)


def details(*parts: object) -> str:
    """A caption line from the parts that are set, shown literally."""
    return plain(" · ".join(str(part) for part in parts if _is_set(part)))


def _is_set(value: object) -> bool:
    return value is not None and value != "" and not (isinstance(value, float) and pd.isna(value))


def demo(source: object) -> str | None:
    return "Demo" if source == DEMO_SOURCE else None


def more_link(page: str, total: int, shown: int, label: str) -> None:
    if total > shown:
        links.link(page, f"{label} ({total})")


st.title("Übersicht")
st.caption(
    "Was jetzt ansteht: die nächsten Sitzungen, überfällige Beschlüsse und Vereinbarungen, "
    "die auf Zustimmungen warten. Mit „Demo“ gekennzeichnete Einträge sind erfundene "
    "Beispieldaten."
)
show_flash()

query = st.text_input(
    "Suche",
    key="overview.search",
    placeholder="Gremium, Organisation, Person, Beschluss-Nr. oder Vereinbarung",
    help="Findet Namen und Nummern, auch Teile davon (z. B. „KOMM24“, „LA-2019/05“, "
    "„Leipzig“ oder einen amtlichen Schlüssel).",
)

with session_scope() as session:
    hits = search(session, query)
# "today" is an argument, so that the lists move on at midnight although nothing changed.
today = date.today()
counts = workspace_counts_of()
meetings = upcoming_meetings_of(today=today, limit=NEXT_MEETINGS)
overdue = overdue_decisions_of(today=today, include_non_public=sees_non_public(), limit=LIST_LIMIT)
waiting = waiting_agreements_of(today=today, limit=LIST_LIMIT)

if query.strip():
    if hits.empty:
        st.info(
            f"Keine Treffer für „{plain(query.strip())}“. Suchen Sie nach einem Teil des Namens, "
            "einer Beschluss-Nr. (z. B. LA-2019/05), einem amtlichen Schlüssel (AGS) oder "
            "einer Vereinbarungsnummer; archivierte Einträge finden Sie auf den Listenseiten.",
            icon=":material/search_off:",
        )
    else:
        with st.container(border=True):
            st.caption(f"{len(hits)} Treffer")
            for hit in hits.to_dict("records"):
                links.link(hit["page"], plain(f"{hit['kind']}: {hit['label']}"), int(hit["id"]))
                st.caption(details(hit["detail"]))

left, middle, right = st.columns(3)
left.metric("anstehende Sitzungen", meetings.total)
middle.metric("überfällige Beschlüsse", overdue.total)
right.metric("wartende Vereinbarungen", waiting.total)

if counts["committees"] == 0 and counts["organizations"] == 0 and counts["agreements"] == 0:
    st.info(
        "Der Arbeitsraum ist noch leer. Legen Sie unter Gremien das erste Gremium an; die "
        "Organisationen und Personen, die darin mitwirken, erfassen Sie unter Organisationen "
        "und Personen. Danach planen Sie unter Sitzungen die erste Sitzung. "
        "Beispieldaten mit Quellen spielt die Administration des Servers mit "
        "`manage.py seed` ein.",
        icon=":material/rocket_launch:",
    )
    links.link("committees", "Zu den Gremien")
    links.link("organizations", "Zu den Organisationen")
    links.link("persons", "Zu den Personen")
else:
    st.subheader("Nächste Sitzungen")
    if meetings.rows.empty:
        st.info(
            "Keine Sitzungen geplant. Legen Sie unter Sitzungen die nächste an.",
            icon=":material/event_available:",
        )
        links.link("meetings", "Zu den Sitzungen")
    for meeting in meetings.rows.to_dict("records"):
        start = pd.Timestamp(meeting["start"]).to_pydatetime()
        links.link(
            "meetings",
            plain(f"{format_datetime(start)} Uhr – {meeting['committee']}"),
            int(meeting["id"]),
        )
        st.caption(
            details(
                meeting["title"],
                meeting["kind"],
                meeting["location"],
                meeting["state"],
                demo(meeting["source"]),
            )
        )
    more_link("meetings", meetings.total, len(meetings.rows), "Alle anstehenden Sitzungen")

    st.subheader("Überfällige Beschlüsse")
    if overdue.rows.empty:
        st.info("Keine Beschlüsse mit überschrittener Frist.", icon=":material/task_alt:")
    for decision in overdue.rows.to_dict("records"):
        links.link(
            "decisions",
            plain(f"{decision['reference']} – {decision['committee']}"),
            int(decision["id"]),
        )
        st.caption(
            details(
                f"Frist {format_date(decision['due_date'])}, "
                f"seit {decision['days_overdue']} Tagen überfällig",
                decision["status"],
                f"verantwortlich: {decision['responsible']}" if decision["responsible"] else None,
                decision["text"],
            )
        )
    more_link("decisions", overdue.total, len(overdue.rows), "Alle überfälligen Beschlüsse")

    st.subheader("Vereinbarungen, die warten")
    if waiting.rows.empty:
        st.info(
            "Keine Vereinbarung wartet auf Zustimmungen oder hat ihren Zieltermin überschritten.",
            icon=":material/handshake:",
        )
    for agreement in waiting.rows.to_dict("records"):
        links.link("agreements", plain(agreement["title"]), int(agreement["id"]))
        st.caption(details(agreement["status"], agreement["state"], demo(agreement["source"])))
    more_link("agreements", waiting.total, len(waiting.rows), "Alle wartenden Vereinbarungen")
