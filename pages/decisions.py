"""Beschlüsse: the Beschlusskontrolle across committees, and one decision's follow-up."""

import zlib
from datetime import date
from typing import Any

import streamlit as st

from models.enums import FollowUpStatus
from services.decisions import (
    DECISIONS,
    add_follow_up_note,
    archive_decision,
    decision_committees,
    decision_detail,
    follow_up_notes,
    list_decisions,
    overdue_marker,
    responsible_organizations,
    restore_decision,
    update_decision,
)
from services.errors import NotFoundError
from services.organizations import count_organizations, organization_choices
from services.periods import format_date
from ui import forms, links
from ui.cache import cached
from ui.db import session_scope
from ui.exports.minutes import decisions_download
from ui.format import plain
from ui.session import sees_non_public, show_flash
from ui.tables import paged, pick_table, show_table

STATUS = FollowUpStatus.labels()
# Beschlusskontrolle first (number, due date, state, who): on a laptop the long committee
# name and text come after them and may scroll.
LIST_COLUMNS = [
    "marker",
    "reference",
    "due_date",
    "status",
    "responsible",
    "committee",
    "kind",
    "text",
]
LIST_LABELS = {"marker": "überfällig seit", "status": "Umsetzungsstand"}
NOTE_LABELS = {"noted_on": "Datum", "status": "Umsetzungsstand", "text": "Vermerk", "by": "von"}


# Read-only lists and filter choices, shared until the next stored change.
decision_committees_of = cached(decision_committees)
responsible_organizations_of = cached(responsible_organizations)
list_decisions_of = cached(list_decisions, waiting="Beschlüsse werden geladen …")


def overdue_banner(count: int) -> None:
    if count == 1:
        st.warning("1 Beschluss ist überfällig.", icon=":material/warning:")
    elif count:
        st.warning(f"{count} Beschlüsse sind überfällig.", icon=":material/warning:")


def decision_list() -> None:
    st.title("Beschlüsse")
    st.caption("Beschlusskontrolle: wer setzt was bis wann um – und ist es erledigt?")
    decisions_download()
    committees = decision_committees_of()
    responsible = responsible_organizations_of()
    left, middle, right = st.columns(3)
    committee_id = left.selectbox(
        "Gremium",
        [None, *committees],
        format_func=lambda option: "alle" if option is None else committees[option],
        key="decisions.committee",
    )
    statuses = middle.multiselect(
        "Umsetzungsstand",
        list(STATUS),
        format_func=STATUS.__getitem__,
        key="decisions.status",
        placeholder="alle",
    )
    responsible_id = right.selectbox(
        "verantwortlich",
        [None, *responsible],
        format_func=lambda option: "alle" if option is None else responsible[option],
        key="decisions.responsible",
    )
    search_column, overdue_column = st.columns([3, 1], vertical_alignment="bottom")
    search = search_column.text_input("Suche (Beschluss-Nr. oder Text)", key="decisions.search")
    overdue_only = overdue_column.checkbox("nur überfällige", key="decisions.overdue")
    filters: dict[str, Any] = {
        "committee_id": committee_id,
        "statuses": [FollowUpStatus(code) for code in statuses],
        "responsible_id": responsible_id,
        "search": search.strip() or None,
        "include_non_public": sees_non_public(),
    }
    today = date.today()
    # A new filter starts again on page 1 (the pager's key carries the filter).
    list_key = f"decisions.list.{zlib.crc32(repr((filters, overdue_only)).encode())}"
    overdue = list_decisions_of(**filters, overdue_only=True, today=today, limit=1)
    page = paged(
        lambda limit, offset: list_decisions_of(
            **filters,
            overdue_only=overdue_only,
            today=today,
            limit=limit,
            offset=offset,
        ),
        key=list_key,
    )
    overdue_banner(overdue.total)
    frame = page.rows
    frame["marker"] = [
        overdue_marker(due, late, today)
        for due, late in zip(frame["due_date"], frame["overdue"], strict=True)
    ]
    filtered = any(value for name, value in filters.items() if name != "include_non_public")
    filtered = filtered or overdue_only
    empty = (
        "Keine Beschlüsse passen zu diesen Filtern."
        if filtered
        else "Noch keine Beschlüsse. Beschlüsse werden in einer Sitzung erfasst: "
        "öffnen Sie eine Sitzung auf der Seite „Sitzungen“."
    )
    # A fresh table key per visit, so a row chosen earlier does not reopen its record.
    visit = st.session_state.get("decisions.visit", 0)
    selected = pick_table(
        frame,
        LIST_COLUMNS,
        key=f"decisions.table.{visit}.{list_key}",
        opens="den Beschluss",
        empty=empty,
        labels=LIST_LABELS,
    )
    if frame.empty and not filtered:
        links.link("meetings", "Zu den Sitzungen")
    if selected is not None:
        st.session_state["decisions.visit"] = visit + 1
        st.query_params["id"] = str(selected)
        st.rerun()


def decision_view(decision_id: int) -> None:
    links.back_to_list("Alle Beschlüsse")
    search_key = f"decision_org_search_{decision_id}"
    search = st.session_state.get(search_key) or None
    try:
        with session_scope() as session:
            decision = decision_detail(session, decision_id, include_non_public=sees_non_public())
            notes = follow_up_notes(session, decision_id)
            organizations = organization_choices(
                session, search=search, keep=[decision["responsible_id"]], limit=200
            )
            matching = count_organizations(session, search)
    except NotFoundError as exc:
        st.warning(plain(exc.message), icon=":material/search_off:")
        return
    st.title(f"Beschluss {plain(decision['reference'])}")
    st.caption(f"{decision['kind']} · {plain(decision['committee'])}")
    if decision["archived"]:
        st.info("Dieser Beschluss ist archiviert.", icon=":material/inventory_2:")
    if decision["overdue"]:
        st.error(
            f"Überfällig: Frist {format_date(decision['due_date'])} seit "
            f"{decision['days_overdue']} Tagen überschritten.",
            icon=":material/warning:",
        )
    show_decision(decision)
    may_change = forms.editable("decision", committee_id=decision["committee_id"])

    st.subheader("Umsetzung")
    status_column, responsible_column, due_column = st.columns(3)
    status_column.metric("Umsetzungsstand", decision["status"])
    responsible_column.markdown(
        f"**verantwortlich**  \n{plain(decision['responsible']) or 'nicht festgelegt'}"
    )
    due_column.markdown(f"**Frist**  \n{format_date(decision['due_date']) or 'keine'}")

    st.markdown("**Verlauf der Vermerke**")
    show_table(
        notes,
        ["noted_on", "status", "text", "by"],
        empty="Noch keine Vermerke."
        + (" Halten Sie unten den ersten Umsetzungsstand fest." if may_change else ""),
        labels=NOTE_LABELS,
    )
    if not may_change:
        return
    if not decision["archived"]:
        follow_up_form(decision)
        responsibility_form(decision, organizations, matching)
    archive_section(decision)


def archive_section(decision: dict[str, Any]) -> None:
    """Archive a decision recorded by mistake; restore it, or (administrators) delete it."""
    decision_id, version = int(decision["id"]), int(decision["version"])
    label = f"Beschluss {decision['reference']}"
    st.markdown("**Beschluss verwalten**")
    if not decision["archived"]:
        forms.action_button(
            f"decision_archive_{decision_id}",
            "Beschluss archivieren",
            lambda session, actor: archive_decision(
                session=session, actor=actor, row_id=decision_id, expected_version=version
            ),
            success=f"{label} archiviert. Sie können ihn jederzeit wiederherstellen.",
            icon=":material/inventory_2:",
        )
        return
    forms.action_button(
        f"decision_restore_{decision_id}",
        "Wiederherstellen",
        lambda session, actor: restore_decision(
            session=session, actor=actor, row_id=decision_id, expected_version=version
        ),
        success=f"{label} wiederhergestellt.",
        icon=":material/restore:",
    )
    forms.delete_button(
        f"decision_delete_{decision_id}",
        f"Der {label}",
        forms.row_command(DECISIONS.delete, decision_id),
        success=f"{label} endgültig gelöscht.",
        after=forms.back_to_list_after_delete,
    )


def show_decision(decision: dict[str, Any]) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Gremium:** {plain(decision['committee'])}")
        if decision["agenda_item"]:
            st.markdown(f"**Tagesordnungspunkt:** {plain(decision['agenda_item'])}")
    with right:
        st.markdown(f"**Art:** {decision['kind']}")
        st.markdown(f"**Ergebnis:** {decision['result'] or 'noch nicht erfasst'}")
        votes = [
            f"{label} {decision[field]}"
            for field, label in (
                ("votes_yes", "Ja"),
                ("votes_no", "Nein"),
                ("votes_abstain", "Enthaltung"),
                ("votes_biased", "befangen"),
            )
            if decision[field] is not None
        ]
        st.markdown(
            f"**Abstimmung ({decision['vote_mode']}):** "
            + (" · ".join(votes) if votes else "Stimmen nicht erfasst")
        )
    st.markdown("**Sitzung**")
    links.link("meetings", plain(decision["meeting"]), decision["meeting_id"])
    st.markdown("**Beschlusstext**")
    st.markdown(plain(decision["text"]))
    if decision["source"]:
        st.caption(f"Quelle: {plain(decision['source'])}")


def follow_up_form(decision: dict[str, Any]) -> None:
    name = f"follow_up_{decision['id']}"
    st.markdown("**Umsetzungsstand ändern**")
    with st.form(name):
        forms.choice(
            name, "status", "Umsetzungsstand", STATUS, decision["status_code"], required=True
        )
        forms.day(name, "noted_on", "Datum", date.today(), required=True)
        forms.text(name, "text", "Vermerk", area=True)
        forms.submit(
            name,
            "Vermerk speichern",
            lambda session, actor: add_follow_up_note(
                session=session,
                actor=actor,
                data={
                    "decision_id": decision["id"],
                    **forms.values(name, ["status", "noted_on", "text"]),
                },
            ),
            success="Umsetzungsstand gespeichert.",
        )


def responsibility_form(
    decision: dict[str, Any], organizations: dict[int, str], matching: int
) -> None:
    name = f"decision_follow_up_{decision['id']}_{decision['version']}"
    st.markdown("**Zuständigkeit und Frist ändern**")
    st.text_input(
        "Organisation suchen",
        key=f"decision_org_search_{decision['id']}",
        help="Grenzt die Auswahl „verantwortlich“ ein.",
    )
    if matching > len(organizations):
        st.caption(f"{matching} Treffer; die ersten {len(organizations)} sind wählbar.")
    with st.form(name):
        forms.choice(
            name,
            "responsible_organization_id",
            "verantwortlich",
            organizations,
            decision["responsible_id"],
        )
        forms.day(name, "due_date", "Frist", decision["due_date"])
        forms.submit(
            name,
            "Speichern",
            lambda session, actor: update_decision(
                session=session,
                actor=actor,
                row_id=decision["id"],
                data=forms.values(name, ["responsible_organization_id", "due_date"]),
                expected_version=decision["version"],
            ),
            success="Zuständigkeit und Frist gespeichert.",
        )


show_flash()
selected_decision = links.selected_id()
if selected_decision is None:
    decision_list()
else:
    decision_view(selected_decision)
