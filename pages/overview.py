"""Übersicht: the committees and agreements in the workspace, and what is overdue."""

import streamlit as st

from models.base import DEMO_SOURCE
from services.agreements import list_agreements
from services.committees import list_committees
from services.decisions import overdue_decisions
from ui.db import session_scope
from ui.format import german_table

st.title("Übersicht")
st.caption(
    "Gremien, Sitzungen, Beschlüsse und Vereinbarungen der kooperativen OZG-Umsetzung. "
    "Mit „Demo“ gekennzeichnete Einträge sind erfundene Beispieldaten."
)

with session_scope() as session:
    committees = list_committees(session)
    agreements = list_agreements(session)
    overdue = overdue_decisions(session)

left, middle, right = st.columns(3)
left.metric("Gremien", len(committees))
middle.metric("Vereinbarungen", len(agreements))
right.metric("überfällige Beschlüsse", len(overdue))

st.subheader("Gremien")
if committees.empty:
    st.info("Noch keine Gremien erfasst.")
else:
    committees["source"] = committees["source"].map(
        lambda s: "Demo" if s == DEMO_SOURCE else "belegt"
    )
    st.dataframe(
        german_table(
            committees,
            ["name", "kind", "state", "host", "members", "meetings", "source"],
            {"state": "Bundesland"},
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Vereinbarungen")
if agreements.empty:
    st.info("Noch keine Vereinbarungen erfasst.")
else:
    st.dataframe(
        german_table(
            agreements,
            ["title", "kind", "state", "parties", "concluded_on", "target_date", "status"],
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Überfällige Beschlüsse")
if overdue.empty:
    st.success("Keine Beschlüsse mit überschrittener Frist.")
else:
    st.dataframe(
        german_table(
            overdue,
            ["committee", "reference", "text", "responsible", "due_date", "days_overdue", "status"],
        ),
        hide_index=True,
        width="stretch",
    )
