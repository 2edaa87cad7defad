"""Gremienarbeit: Beschlusskontrolle per committee, overdue decisions over time, attendance."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

import streamlit as st
from sqlmodel import Session

from models.enums import FederalState
from services.committee_work import (
    ATTENDANCE_RECORD_COLUMNS,
    ATTENDANCE_RECORD_LABELS,
    RATE_LABELS,
    RECORD_COLUMNS,
    RECORD_LABELS,
    Grouping,
    activity_start,
    attendance_records,
    attendance_view,
    committee_choices,
    decision_records,
    demo_data_in_use,
    kept_committee_ids,
    overdue_records,
    overdue_view,
    selected_segments,
    selected_values,
    status_view,
)
from ui.cache import cached
from ui.charts import chart
from ui.db import session_scope
from ui.format import plain
from ui.tables import show_table

STATES = FederalState.labels()
GROUPINGS: dict[str, str] = {"person": "Person", "organization": "Organisation"}
SELECT_HINT = (
    "Wählen Sie im Diagramm Balken oder Punkte aus (Klick oder Lasso), um die {} zu sehen."
)
RECORDS = [column for column in RECORD_COLUMNS if column != "id"]
# The aggregates scan every decision and attendance row: computed once per data version.
committee_choices_of = cached(committee_choices)
activity_start_of = cached(activity_start)
demo_data_in = cached(demo_data_in_use)
status_view_of = cached(status_view, waiting="Umsetzungsstand der Beschlüsse wird berechnet …")
overdue_view_of = cached(overdue_view, waiting="Überfällige Beschlüsse werden ermittelt …")
attendance_view_of = cached(attendance_view, waiting="Anwesenheit wird ausgewertet …")


@dataclass(frozen=True)
class Filters:
    states: list[str]
    committee_ids: list[int]
    since: date
    until: date


def filters(today: date) -> Filters:
    left, middle, right = st.columns([2, 3, 2])
    states = left.multiselect(
        "Bundesland",
        list(STATES),
        format_func=STATES.__getitem__,
        key="committee_work.states",
        placeholder="alle",
    )
    choices = committee_choices_of(states=states)
    # A committee chosen before the Land filter narrowed the list drops out of the selection.
    chosen = st.session_state.get("committee_work.committees") or []
    st.session_state["committee_work.committees"] = [c for c in chosen if c in choices]
    committee_ids = middle.multiselect(
        "Gremium",
        list(choices),
        format_func=choices.__getitem__,
        key="committee_work.committees",
        placeholder="alle",
    )
    first = activity_start_of() or today - timedelta(days=365)
    period = right.date_input(
        "Zeitraum",
        value=(min(first, today), today),
        format="DD.MM.YYYY",
        key="committee_work.period",
        help="Sitzungen und Beschlüsse in diesem Zeitraum; der Verlauf zeigt seine Monatsenden.",
    )
    days = [day for day in (period if isinstance(period, tuple) else (period,)) if day]
    since = days[0] if days else first
    until = days[1] if len(days) > 1 else today
    return Filters(states, committee_ids, since, until)


def decisions_section(session: Session, chosen: Filters, today: date) -> None:
    st.subheader("Beschlüsse nach Umsetzungsstand")
    view = status_view_of(
        committee_ids=chosen.committee_ids,
        states=chosen.states,
        since=chosen.since,
        until=chosen.until,
        today=today,
    )
    if view is None:
        st.info(
            "Keine Beschlüsse in diesem Ausschnitt. Beschlüsse werden in den Sitzungen erfasst; "
            "erweitern Sie den Zeitraum oder die Auswahl der Gremien.",
            icon=":material/info:",
        )
        return
    leader = view.leader
    first, second, third = st.columns([3, 1, 1])
    if leader is None:
        first.metric("Gremium mit den meisten überfälligen Beschlüssen", "keines")
    else:
        # The short name fits the metric on a laptop screen; the caption carries the full one.
        first.metric(
            "Gremium mit den meisten überfälligen Beschlüssen",
            plain(leader["label"]),
            f"{leader['overdue']} überfällig",
            delta_color="inverse",
            delta_arrow="off",
            help=plain(leader["committee"]),
        )
        tied = f" Gleichauf mit {leader['tied']} weiteren Gremien." if leader["tied"] else ""
        first.caption(plain(leader["committee"]) + tied)
    second.metric("überfällige Beschlüsse", view.overdue)
    third.metric("offene Beschlüsse", view.pending)
    points = chart(
        view.figure,
        view.long,
        key="committee_work.status",
        filename="beschluesse_nach_umsetzungsstand",
        columns={"committee": "Gremium", "status": "Umsetzungsstand", "decisions": "Beschlüsse"},
    )
    st.caption(
        "„überfällig“: Frist abgelaufen, Umsetzungsstand offen oder in Umsetzung (Stand heute). "
        "Mehr als 25 Gremien werden nach offenen Beschlüssen gekürzt, der Rest zusammengefasst."
    )
    records = decision_records(
        session,
        segments=selected_segments(points),
        kept_ids=kept_committee_ids(view.table),
        committee_ids=chosen.committee_ids,
        states=chosen.states,
        since=chosen.since,
        until=chosen.until,
        today=today,
    )
    show_table(records, RECORDS, empty=SELECT_HINT.format("Beschlüsse"), labels=RECORD_LABELS)


def overdue_section(session: Session, chosen: Filters) -> None:
    st.subheader("Überfällige Beschlüsse im Zeitverlauf")
    view = overdue_view_of(
        committee_ids=chosen.committee_ids,
        states=chosen.states,
        since=chosen.since,
        until=chosen.until,
    )
    if view is None:
        st.info(
            "Keine Beschlüsse mit Frist in diesem Ausschnitt: ohne Frist wird nichts überfällig.",
            icon=":material/info:",
        )
        return
    series, figure = view
    points = chart(
        figure,
        series,
        key="committee_work.overdue",
        filename="ueberfaellige_beschluesse_verlauf",
        columns={"month": "Stand am", "overdue": "überfällige Beschlüsse"},
    )
    st.caption(
        "Je Monatsende: Beschlüsse, deren Frist abgelaufen war und die an diesem Tag nicht "
        "erledigt waren. Erledigt ab dem Vermerk „erledigt“ oder „nicht umsetzbar“; ohne "
        "solchen Vermerk ab der letzten Änderung des Beschlusses."
    )
    days = [date.fromisoformat(str(day)) for day in selected_values(points)]
    records = overdue_records(
        session, days=days, committee_ids=chosen.committee_ids, states=chosen.states
    )
    show_table(
        records,
        RECORDS,
        empty=SELECT_HINT.format("an diesem Tag überfälligen Beschlüsse"),
        labels=RECORD_LABELS,
    )


def attendance_section(session: Session, chosen: Filters) -> None:
    st.subheader("Anwesenheit")
    choice = st.radio(
        "Anwesenheitsquote je",
        list(GROUPINGS),
        format_func=GROUPINGS.__getitem__,
        horizontal=True,
        key="committee_work.by",
    )
    by = cast(Grouping, choice or "person")
    rates, figure = attendance_view_of(
        committee_ids=chosen.committee_ids,
        states=chosen.states,
        since=chosen.since,
        until=chosen.until,
        by=by,
    )
    if rates.empty:
        st.info(
            "Keine erfasste Anwesenheit in diesem Ausschnitt. Die Anwesenheit wird in "
            "durchgeführten Sitzungen erfasst (nicht bei Umlaufverfahren).",
            icon=":material/info:",
        )
        return
    points = chart(
        figure,
        rates,
        key=f"committee_work.attendance.{by}",
        filename=f"anwesenheitsquote_je_{GROUPINGS[by].lower()}",
        columns={
            **{column: RATE_LABELS[column] for column in RATE_LABELS},
            "name": GROUPINGS[by],
        },
    )
    st.caption(
        "Quote = (anwesend + vertreten) ÷ erfasste Sitzungen der Mitglieder; Sitzungen ohne "
        "Eintrag für ein Mitglied zählen nicht. Organisation = für wen das Mitglied entsandt "
        "war, sonst die eigene Organisation. Gäste, Geschäftsstelle und Schriftführung zählen nicht."
    )
    keys = [int(key) for key in selected_values(points)]
    records = attendance_records(
        session,
        by=by,
        keys=keys,
        committee_ids=chosen.committee_ids,
        states=chosen.states,
        since=chosen.since,
        until=chosen.until,
    )
    show_table(
        records,
        ATTENDANCE_RECORD_COLUMNS,
        empty=SELECT_HINT.format("Anwesenheitseinträge"),
        labels=ATTENDANCE_RECORD_LABELS,
    )


st.title("Gremienarbeit")
st.caption("Wo stockt die Umsetzung von Beschlüssen, und wer nimmt an den Sitzungen teil?")
today = date.today()
with session_scope() as session:
    if demo_data_in():
        st.caption("Enthält Demo-Angaben (Quelle „Demo“), die keine belegten Tatsachen sind.")
    chosen = filters(today)
    decisions_section(session, chosen, today)
    overdue_section(session, chosen)
    attendance_section(session, chosen)
