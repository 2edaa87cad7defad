"""Zeitleiste: meetings, agreement milestones and decision due dates per committee or Land."""

import zlib
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from models.enums import FederalState
from services.committees import committee_choices
from services.periods import format_date
from services.timeline import (
    EVENT_KINDS,
    EVENT_LABELS,
    MAX_EVENTS,
    MONTH_LABELS,
    month_end,
    monthly_counts,
    monthly_figure,
    record_links,
    selected_events,
    selected_months,
    timeline_events,
    timeline_figure,
)
from ui import links
from ui.cache import cached
from ui.charts import chart
from ui.db import session_scope
from ui.format import plain
from ui.tables import show_table

STATES = FederalState.labels()
TABLE_COLUMNS = ["date", "kind_label", "flag", "lane", "label", "status", "state"]
# Links below a selection: enough to open the records, few enough to scan.
MAX_LINKS = 20
SELECTION_LIMIT = 500
# Every event of the country is counted per month on each view: once per data version suffices.
monthly_counts_of = cached(monthly_counts, waiting="Zeitleiste wird berechnet …")
timeline_events_of = cached(timeline_events, waiting="Ereignisse werden geladen …")
committee_choices_of = cached(committee_choices)


def filters(committees: dict[int, str]) -> dict[str, Any]:
    top_left, top_right = st.columns(2)
    committee_ids = top_left.multiselect(
        "Gremium",
        list(committees),
        format_func=committees.__getitem__,
        key="timeline.committees",
        placeholder="alle",
    )
    states = top_right.multiselect(
        "Bundesland",
        list(STATES),
        format_func=STATES.__getitem__,
        key="timeline.states",
        placeholder="alle",
    )
    kinds_column, since_column, until_column = st.columns([2, 1, 1])
    kinds = kinds_column.multiselect(
        "Ereignisse",
        list(EVENT_KINDS),
        format_func=EVENT_KINDS.__getitem__,
        key="timeline.kinds",
        placeholder="alle",
    )
    since = since_column.date_input("von", value=None, format="DD.MM.YYYY", key="timeline.since")
    until = until_column.date_input("bis", value=None, format="DD.MM.YYYY", key="timeline.until")
    return {
        "committee_ids": committee_ids,
        "states": states,
        "kinds": kinds,
        "since": since if isinstance(since, date) else None,
        "until": until if isinstance(until, date) else None,
    }


def show_records(frame: pd.DataFrame, heading: str) -> None:
    st.markdown(f"**{heading}**")
    show_table(
        frame, TABLE_COLUMNS, empty="Die Auswahl enthält keine Ereignisse.", labels=EVENT_LABELS
    )
    record_pages = record_links(frame)
    for page, record_id, text in record_pages[:MAX_LINKS]:
        links.link(page, plain(text), record_id)
    if len(record_pages) > MAX_LINKS:
        st.caption(f"Die ersten {MAX_LINKS} von {len(record_pages)} Einträgen sind verlinkt.")


def show_events(chosen: dict[str, Any], key: str) -> None:
    # Today is part of the cache key: the overdue flags change at midnight without any write.
    frame = timeline_events_of(**chosen, today=date.today())
    points = chart(
        timeline_figure(frame),
        frame,
        key=f"timeline.chart.{key}",
        filename="zeitleiste",
        columns={"date": "Datum", **{c: EVENT_LABELS[c] for c in TABLE_COLUMNS if c != "date"}},
    )
    st.caption(
        "Rot umrandet: überfällige Fristen und Zieltermine und Zustimmungen nach dem "
        "Zieltermin; hohle Symbole: abgesagte Sitzungen. Klicken Sie Ereignisse an oder wählen "
        "Sie mehrere mit dem Lasso, um die Einträge zu öffnen."
    )
    if points:
        show_records(selected_events(frame, points), "Ausgewählte Ereignisse")
    else:
        st.markdown("**Alle Ereignisse**")
        show_table(frame, TABLE_COLUMNS, empty="Keine Ereignisse.", labels=EVENT_LABELS)


def show_months(chosen: dict[str, Any], key: str, counts: pd.DataFrame, total: int) -> None:
    count = f"{total:,}".replace(",", ".")
    st.info(
        f"{count} Ereignisse sind zu viele für einzelne Punkte: gezeigt wird die Anzahl je "
        "Monat. Grenzen Sie nach Gremium, Bundesland oder Zeitraum ein, um einzelne Ereignisse "
        "zu sehen, oder klicken Sie einen Balken an.",
        icon=":material/info:",
    )
    points = chart(
        monthly_figure(counts),
        counts,
        key=f"timeline.months.{key}",
        filename="zeitleiste-monate",
        columns=MONTH_LABELS,
    )
    picked = selected_months(points)[:12]
    if not picked:
        return
    parts = []
    with session_scope() as session:
        for first, kind in picked:
            since = max(first, chosen["since"]) if chosen["since"] else first
            until = min(month_end(first), chosen["until"]) if chosen["until"] else month_end(first)
            narrowed = {**chosen, "kinds": [kind], "since": since, "until": until}
            parts.append(timeline_events(session, **narrowed, limit=SELECTION_LIMIT))
    frame = pd.concat(parts, ignore_index=True)
    months = ", ".join(sorted({first.strftime("%m.%Y") for first, _ in picked}))
    show_records(frame, f"Ereignisse im {months}")
    if any(len(part) == SELECTION_LIMIT for part in parts):
        st.caption(f"Je Monat und Ereignisart werden höchstens {SELECTION_LIMIT} gezeigt.")


st.title("Zeitleiste")
st.caption(
    "Sitzungen, Vereinbarungen (geschlossen, Zieltermin, jede datierte Zustimmung) und "
    "Beschlussfristen auf einer Zeitachse, je Gremium oder Bundesland."
)
committee_names = committee_choices_of()
chosen = filters(committee_names)
if chosen["since"] and chosen["until"] and chosen["until"] < chosen["since"]:
    st.warning(
        f"„bis“ ({format_date(chosen['until'])}) liegt vor „von“ ({format_date(chosen['since'])}).",
        icon=":material/warning:",
    )
key = str(zlib.crc32(repr(sorted(chosen.items())).encode()))
# The monthly counts add up to the number of events: one scan of all events, not two.
month_counts = monthly_counts_of(**chosen)
total = int(month_counts["count"].sum())
filtered = any(chosen.values())
if total == 0:
    if filtered:
        st.info("Keine Ereignisse passen zu diesen Filtern.", icon=":material/info:")
    else:
        st.info(
            "Noch keine Ereignisse. Die Zeitleiste zeigt Sitzungen, Vereinbarungen mit "
            "Zieltermin und Zustimmungen sowie Beschlüsse mit Frist.",
            icon=":material/info:",
        )
        links.link("meetings", "Zu den Sitzungen")
        links.link("agreements", "Zu den Vereinbarungen")
elif total > MAX_EVENTS:
    show_months(chosen, key, month_counts, total)
else:
    show_events(chosen, key)
