"""Übersicht: the committees and agreements in the workspace, and what is overdue."""

import streamlit as st

from models.base import DEMO_SOURCE
from services.agreements import list_agreements
from services.committees import list_committees
from services.decisions import overdue_decisions
from ui.db import session_scope
from ui.tables import show_table

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

committees["source"] = committees["source"].map(
    lambda source: "Demo" if source == DEMO_SOURCE else "belegt"
)

st.subheader("Gremien")
show_table(
    committees,
    ["name", "kind", "state", "host", "members", "meetings", "source"],
    labels={"state": "Bundesland"},
    empty="Noch keine Gremien erfasst.",
)

st.subheader("Vereinbarungen")
show_table(
    agreements,
    ["title", "kind", "state", "parties", "concluded_on", "target_date", "status"],
    empty="Noch keine Vereinbarungen erfasst.",
)

st.subheader("Überfällige Beschlüsse")
show_table(
    overdue,
    ["committee", "reference", "text", "responsible", "due_date", "days_overdue", "status"],
    empty="Keine Beschlüsse mit überschrittener Frist.",
)
