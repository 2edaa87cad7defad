"""Vereinbarungen: the list, and one agreement with its parties, approvals and milestones."""

import zlib
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from models.enums import AgreementKind, AgreementState, ApprovalState, PartyRole
from services.agreements import (
    AGREEMENTS,
    APPROVALS,
    PARTIES,
    add_approval,
    add_party,
    agreement_approvals,
    agreement_detail,
    agreement_milestones,
    agreement_parties,
    agreement_status,
    archive_agreement,
    archive_approval,
    archive_party,
    create_agreement,
    milestone_figure,
    restore_agreement,
    restore_approval,
    restore_party,
    search_agreements,
    update_agreement,
    update_approval,
)
from services.committees import committee_choices
from services.decisions import decision_choices
from services.errors import NotFoundError
from services.meetings import meeting_choices
from services.organizations import count_organizations, organization_choices
from services.periods import format_date
from ui import forms, layout, links
from ui.cache import cached
from ui.db import session_scope
from ui.format import plain
from ui.session import show_flash
from ui.tables import paged, pick_table, show_table

# The newest decisions of every committee are sorted out of all of them: once per data version.
decision_choices_of = cached(decision_choices)
committee_choices_of = cached(committee_choices)
meeting_choices_of = cached(meeting_choices)


@st.cache_data(show_spinner=False, max_entries=64)
def milestone_figure_of(milestones: pd.DataFrame) -> go.Figure:
    """The timeline figure, kept per milestone table: Plotly Express takes longer than the query."""
    return milestone_figure(milestones)


STATES = AgreementState.labels()
KINDS = AgreementKind.labels()
ROLES = PartyRole.labels()
APPROVAL_STATES = ApprovalState.labels()
AGREEMENT_FIELDS = [
    "title",
    "kind",
    "subject",
    "concluded_on",
    "target_date",
    "state",
    "conditions",
    "meeting_id",
    "source",
]
PARTY_FIELDS = ["organization_id", "role", "represented_by_id", "source"]
APPROVAL_FIELDS = [
    "party_id",
    "approving_committee_id",
    "approving_body_name",
    "state",
    "decided_on",
    "decision_id",
    "source",
]
APPROVAL_LABELS = {
    "party": "Partei",
    "body": "zustimmendes Gremium",
    "state": "Stand",
    "decided_on": "Datum",
    "decision": "Beschluss",
}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a service DataFrame as plain dicts."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def optional_id(value: Any) -> int | None:
    """A nullable id column's value as int or None."""
    return None if value is None or pd.isna(value) else int(value)


def drop_stale(form: str, field: str, options: dict[int, str]) -> None:
    """Forget a chosen value that is no longer offered (archived meanwhile, or forged)."""
    value = st.session_state.get(forms.key(form, field))
    if value is not None and value not in options:
        del st.session_state[forms.key(form, field)]


def open_agreement(agreement: Any) -> None:
    st.query_params["id"] = str(agreement.id)


def agreement_fields(form: str, values: dict[str, Any], meetings: dict[int, str]) -> None:
    """The fields an agreement is created and edited with."""
    forms.text(form, "title", "Titel", values.get("title"), required=True)
    left, right = st.columns(2)
    with left:
        forms.choice(form, "kind", "Art", KINDS, values.get("kind_code"), required=True)
        forms.day(form, "concluded_on", "vereinbart am", values.get("concluded_on"))
        forms.day(form, "target_date", "Zieltermin", values.get("target_date"))
    with right:
        forms.choice(
            form,
            "state",
            "Stand",
            STATES,
            values.get("state_code", AgreementState.NEGOTIATING.value),
            required=True,
            help="„wirksam“ erst, wenn keine Zustimmung mehr aussteht.",
        )
        forms.choice(
            form, "meeting_id", "vereinbart in Sitzung", meetings, values.get("meeting_id")
        )
        if "ended_on" in values:
            forms.day(form, "ended_on", "beendet am", values.get("ended_on"))
    forms.text(form, "subject", "Gegenstand", values.get("subject"), area=True)
    forms.text(form, "conditions", "Bedingungen", values.get("conditions"), area=True)
    forms.text(form, "source", "Quelle", values.get("source"))


def new_agreement_form(meetings: dict[int, str], expanded: bool) -> None:
    name = "agreement_new"
    with (
        st.expander("Neue Vereinbarung", icon=":material/add:", expanded=expanded),
        st.form(name),
    ):
        agreement_fields(name, {}, meetings)
        forms.submit(
            name,
            "Vereinbarung anlegen",
            lambda session, actor: create_agreement(
                session=session, actor=actor, data=forms.values(name, AGREEMENT_FIELDS)
            ),
            success=lambda agreement: f"Vereinbarung „{agreement.title}“ angelegt.",
            after=open_agreement,
        )


def agreement_list() -> None:
    st.title("Vereinbarungen")
    st.caption(
        "Kooperations- und Verwaltungsvereinbarungen, Gesellschaftsgründungen: Parteien, "
        "Zustimmungen der Gremien und Termine."
    )
    left, middle, right = st.columns([2, 3, 1], vertical_alignment="bottom")
    states = left.multiselect(
        "Stand",
        list(STATES),
        format_func=STATES.__getitem__,
        key="agreements.state",
        placeholder="alle",
    )
    search = middle.text_input("Suche (Titel oder Gegenstand)", key="agreements.search")
    include_archived = right.checkbox("archivierte zeigen", key="agreements.archived")
    filters: dict[str, Any] = {
        "search": search.strip() or None,
        "states": [AgreementState(code) for code in states],
        "include_archived": include_archived,
    }
    list_key = f"agreements.list.{zlib.crc32(repr(filters).encode())}"
    meetings = meeting_choices_of()
    with session_scope() as session:
        page = paged(
            lambda limit, offset: search_agreements(session, **filters, limit=limit, offset=offset),
            key=list_key,
        )
    filtered = bool(filters["search"] or filters["states"])
    may_create = forms.editable("agreement")
    if may_create:
        new_agreement_form(meetings, expanded=page.total == 0 and not filtered)
    frame = page.rows
    frame["state"] = [
        f"{state} (archiviert)" if archived else state
        for state, archived in zip(frame["state"], frame["archived"], strict=True)
    ]
    visit = st.session_state.get("agreements.visit", 0)
    selected = pick_table(
        frame,
        ["title", "state", "status", "target_date", "parties", "kind", "concluded_on"],
        key=f"agreements.table.{visit}.{list_key}",
        opens="die Vereinbarung",
        empty=(
            "Keine Vereinbarungen passen zu diesen Filtern."
            if filtered
            else "Noch keine Vereinbarungen."
            + (" Legen Sie oben unter „Neue Vereinbarung“ die erste an." if may_create else "")
        ),
        labels={"status": "Status"},
    )
    if selected is not None:
        st.session_state["agreements.visit"] = visit + 1
        st.query_params["id"] = str(selected)
        st.rerun()


def status_banner(sentences: list[str], attention: bool) -> None:
    if not sentences:
        st.info(
            "Noch keine Zustimmungen erfasst und kein Zieltermin überschritten.",
            icon=":material/info:",
        )
    elif attention:
        st.warning("  \n".join(sentences), icon=":material/pending_actions:")
    else:
        st.success("  \n".join(sentences), icon=":material/task_alt:")


def agreement_view(agreement_id: int) -> None:
    links.back_to_list("Alle Vereinbarungen")
    try:
        with session_scope() as session:
            agreement = agreement_detail(session, agreement_id)
            status = agreement_status(session, agreement_id)
            parties = agreement_parties(session, agreement_id)
            archived_parties = agreement_parties(session, agreement_id, archived=True)
            approvals = agreement_approvals(session, agreement_id)
            archived_approvals = agreement_approvals(session, agreement_id, archived=True)
            milestones = agreement_milestones(session, agreement_id)
        meetings = meeting_choices_of(keep=agreement["meeting_id"])
    except NotFoundError as exc:
        st.warning(plain(exc.message), icon=":material/search_off:")
        return
    st.title(plain(agreement["title"]))
    st.caption(f"{agreement['kind']} · Stand: {agreement['state']}")
    may_change = forms.editable("agreement", agreement_id=agreement_id)
    if agreement["archived"]:
        st.info("Diese Vereinbarung ist archiviert.", icon=":material/inventory_2:")
    attention = bool(status.approvals_outstanding or status.approvals_refused or status.days_late)
    status_banner(status.sentences(), attention)

    dates = st.columns(3)
    dates[0].markdown(f"**vereinbart am**  \n{format_date(agreement['concluded_on']) or '—'}")
    dates[1].markdown(f"**Zieltermin**  \n{format_date(agreement['target_date']) or '—'}")
    dates[2].markdown(f"**beendet am**  \n{format_date(agreement['ended_on']) or '—'}")
    if agreement["meeting_id"]:
        st.markdown("**vereinbart in Sitzung**")
        links.link("meetings", plain(agreement["meeting"]), agreement["meeting_id"])
    st.markdown("**Gegenstand**")
    st.markdown(plain(agreement["subject"]) or "—")
    st.markdown("**Bedingungen**")
    st.markdown(plain(agreement["conditions"]) or "—")
    if agreement["source"]:
        st.caption(f"Quelle: {plain(agreement['source'])}")

    labels = ["Parteien", "Zustimmungen", "Zeitleiste"]
    tabs = layout.tabs(
        [*labels, "Bearbeiten"] if may_change else labels, key=f"agreement_tabs_{agreement_id}"
    )
    with tabs[0]:
        parties_section(agreement, parties, archived_parties, may_change)
    with tabs[1]:
        approvals_section(agreement, parties, approvals, archived_approvals, may_change)
    with tabs[2]:
        timeline_section(milestones)
    if may_change:
        with tabs[3]:
            edit_section(agreement, meetings)


def organization_picker(form: str) -> dict[int, str]:
    """A search box that narrows the organizations the party form offers."""
    search_key = f"{form}_search"
    st.text_input("Organisation suchen", key=search_key, help="Grenzt die Auswahl ein.")
    search = (st.session_state.get(search_key) or "").strip() or None
    selected = [
        st.session_state.get(forms.key(form, "organization_id")),
        st.session_state.get(forms.key(form, "represented_by_id")),
    ]
    with session_scope() as session:
        choices = organization_choices(session, search=search, keep=selected, limit=200)
        matching = count_organizations(session, search)
    if matching > len(choices):
        st.caption(f"{matching} Treffer; die ersten {len(choices)} sind wählbar.")
    return choices


def restore_approval_command(approval_id: int) -> forms.Command:
    return lambda session, actor: restore_approval(session=session, actor=actor, row_id=approval_id)


def restore_party_command(party_id: int) -> forms.Command:
    return lambda session, actor: restore_party(session=session, actor=actor, row_id=party_id)


def delete_command(commands: Any, row_id: int) -> forms.Command:
    return lambda session, actor: commands.delete(session=session, actor=actor, row_id=row_id)


def parties_section(
    agreement: dict[str, Any], parties: pd.DataFrame, archived: pd.DataFrame, may_change: bool
) -> None:
    agreement_id = agreement["id"]
    show_table(
        parties,
        ["party", "role"],
        empty="Noch keine Parteien." + (" Fügen Sie unten die erste hinzu." if may_change else ""),
        labels={"party": "Partei (vertreten durch)", "role": "Rolle"},
    )
    if not may_change:
        return
    if not parties.empty:
        names = {int(row["id"]): str(row["party"]) for row in records(parties)}
        versions = {int(row["id"]): int(row["version"]) for row in records(parties)}
        pick, button = st.columns([3, 1], vertical_alignment="bottom")
        party_id = pick.selectbox(
            "Partei", list(names), format_func=names.__getitem__, key=f"party_pick_{agreement_id}"
        )
        with button:
            forms.action_button(
                f"party_archive_{agreement_id}",
                "Partei archivieren",
                lambda session, actor: archive_party(
                    session=session,
                    actor=actor,
                    row_id=party_id,
                    expected_version=versions[party_id],
                ),
                success="Partei archiviert.",
                icon=":material/inventory_2:",
            )
    if not archived.empty:
        with st.expander(f"Archivierte Parteien ({len(archived)})"):
            for row in records(archived):
                text_column, button_column = st.columns([3, 1], vertical_alignment="center")
                text_column.markdown(plain(row["party"]))
                with button_column:
                    forms.action_button(
                        f"party_restore_{row['id']}",
                        "Wiederherstellen",
                        restore_party_command(int(row["id"])),
                        success="Partei wiederhergestellt.",
                        icon=":material/restore:",
                    )
                    forms.delete_button(
                        f"party_delete_{row['id']}",
                        f"Die Partei „{plain(row['party'])}“",
                        delete_command(PARTIES, int(row["id"])),
                        success="Partei endgültig gelöscht.",
                    )

    name = f"party_new_{agreement_id}"
    st.markdown("**Partei hinzufügen**")
    organizations = organization_picker(name)
    drop_stale(name, "organization_id", organizations)
    drop_stale(name, "represented_by_id", organizations)
    with st.form(name):
        forms.choice(name, "organization_id", "Organisation", organizations, required=True)
        forms.choice(name, "role", "Rolle", ROLES, PartyRole.CONTRACTING_PARTY.value, required=True)
        forms.choice(
            name,
            "represented_by_id",
            "vertreten durch",
            organizations,
            help="Z. B. hält die Lecos GmbH den Anteil der Stadt Leipzig.",
        )
        forms.text(name, "source", "Quelle")
        forms.submit(
            name,
            "Partei hinzufügen",
            lambda session, actor: add_party(
                session=session,
                actor=actor,
                data={"agreement_id": agreement_id, **forms.values(name, PARTY_FIELDS)},
            ),
            success="Partei hinzugefügt.",
        )


def approval_links(approvals: pd.DataFrame) -> None:
    """Links to the approving committees and the decisions that granted approvals."""
    for row in records(approvals):
        committee_id = optional_id(row["approving_committee_id"])
        decision_id = optional_id(row["decision_id"])
        if committee_id is None and decision_id is None:
            continue
        columns = st.columns(2)
        with columns[0]:
            if committee_id is not None:
                links.link("committees", f"Gremium: {plain(row['body'])}", committee_id)
        with columns[1]:
            if decision_id is not None:
                links.link(
                    "decisions",
                    f"Beschluss {plain(row['decision'])} ({plain(row['party'])})",
                    decision_id,
                )


def approvals_section(
    agreement: dict[str, Any],
    parties: pd.DataFrame,
    approvals: pd.DataFrame,
    archived: pd.DataFrame,
    may_change: bool,
) -> None:
    agreement_id = agreement["id"]
    show_table(
        approvals,
        ["party", "body", "state", "decided_on", "decision"],
        empty="Noch keine Zustimmungen erfasst."
        + (
            " Erfassen Sie unten, welches Gremium jeder Partei zustimmen muss."
            if may_change
            else ""
        ),
        labels=APPROVAL_LABELS,
    )
    approval_links(approvals)
    if not may_change:
        return
    if not archived.empty:
        with st.expander(f"Archivierte Zustimmungen ({len(archived)})"):
            for row in records(archived):
                text_column, button_column = st.columns([3, 1], vertical_alignment="center")
                text_column.markdown(plain(f"{row['party']}: {row['body']} ({row['state']})"))
                with button_column:
                    forms.action_button(
                        f"approval_restore_{row['id']}",
                        "Wiederherstellen",
                        restore_approval_command(int(row["id"])),
                        success="Zustimmung wiederhergestellt.",
                        icon=":material/restore:",
                    )
                    forms.delete_button(
                        f"approval_delete_{row['id']}",
                        "Die Zustimmung",
                        delete_command(APPROVALS, int(row["id"])),
                        success="Zustimmung endgültig gelöscht.",
                    )
    if parties.empty:
        st.info(
            "Zustimmungen gehören zu einer Partei: fügen Sie zuerst unter „Parteien“ eine hinzu.",
            icon=":material/info:",
        )
        return
    new_approval_form(agreement_id, parties)
    if not approvals.empty:
        update_approval_form(agreement_id, approvals)


def new_approval_form(agreement_id: int, parties: pd.DataFrame) -> None:
    name = f"approval_new_{agreement_id}"
    st.markdown("**Zustimmung erfassen**")
    committee_id = st.session_state.get(forms.key(name, "approving_committee_id"))
    committees = committee_choices_of()
    decisions = decision_choices_of(committee_id=committee_id)
    forms.choice(
        name,
        "approving_committee_id",
        "zustimmendes Gremium",
        committees,
        help="Ein erfasstes Gremium; sonst unten seinen Namen eintragen.",
    )
    party_names = {int(row["id"]): str(row["party"]) for row in records(parties)}
    drop_stale(name, "party_id", party_names)
    drop_stale(name, "decision_id", decisions)
    with st.form(name):
        forms.choice(name, "party_id", "Partei", party_names, required=True)
        forms.text(
            name,
            "approving_body_name",
            "… oder Name des zustimmenden Gremiums",
            help="Nur, wenn das Gremium oben nicht in der Liste steht, z. B. „Stadtrat Dresden“.",
        )
        left, right = st.columns(2)
        with left:
            forms.choice(
                name, "state", "Stand", APPROVAL_STATES, ApprovalState.PENDING.value, required=True
            )
        with right:
            forms.day(name, "decided_on", "Datum", help="Leer lassen, solange sie aussteht.")
        forms.choice(
            name,
            "decision_id",
            "Beschluss",
            decisions,
            help="Der Beschluss, mit dem das Gremium zugestimmt hat (Liste nach Gremium).",
        )
        forms.text(name, "source", "Quelle")
        forms.submit(
            name,
            "Zustimmung erfassen",
            lambda session, actor: add_approval(
                session=session,
                actor=actor,
                agreement_id=agreement_id,
                data=forms.values(name, APPROVAL_FIELDS),
            ),
            success="Zustimmung erfasst.",
        )


def update_approval_form(agreement_id: int, approvals: pd.DataFrame) -> None:
    st.markdown("**Zustimmung aktualisieren**")
    labels = {
        int(row["id"]): f"{row['party']}: {row['body']} ({row['state']})"
        for row in records(approvals)
    }
    approval_id = st.selectbox(
        "Zustimmung",
        list(labels),
        format_func=labels.__getitem__,
        key=f"approval_pick_{agreement_id}",
    )
    if approval_id is None:
        return
    row = next(row for row in records(approvals) if row["id"] == approval_id)
    committee_id = optional_id(row["approving_committee_id"])
    decision_id = optional_id(row["decision_id"])
    decisions = decision_choices_of(committee_id=committee_id, include=decision_id)
    name = f"approval_edit_{approval_id}_{row['version']}"
    with st.form(name):
        left, right = st.columns(2)
        with left:
            forms.choice(name, "state", "Stand", APPROVAL_STATES, row["state_code"], required=True)
        with right:
            forms.day(name, "decided_on", "Datum", row["decided_on"])
        forms.choice(name, "decision_id", "Beschluss", decisions, decision_id)
        forms.submit(
            name,
            "Zustimmung speichern",
            lambda session, actor: update_approval(
                session=session,
                actor=actor,
                row_id=int(approval_id),
                data=forms.values(name, ["state", "decided_on", "decision_id"]),
                expected_version=int(row["version"]),
            ),
            success="Zustimmung gespeichert.",
        )
    forms.action_button(
        f"approval_archive_{approval_id}",
        "Zustimmung archivieren",
        lambda session, actor: archive_approval(
            session=session,
            actor=actor,
            row_id=int(approval_id),
            expected_version=int(row["version"]),
        ),
        success="Zustimmung archiviert.",
        icon=":material/inventory_2:",
    )


def timeline_section(milestones: pd.DataFrame) -> None:
    dated = milestones[milestones["date"].notna()]
    if dated.empty:
        st.info(
            "Noch keine datierten Meilensteine. Tragen Sie unter „Bearbeiten“ das Datum der "
            "Vereinbarung oder einen Zieltermin ein, oder erfassen Sie eine Zustimmung mit Datum.",
            icon=":material/timeline:",
        )
    else:
        st.plotly_chart(milestone_figure_of(milestones), width="stretch")
    undated = milestones[milestones["date"].isna()]
    if not undated.empty:
        st.markdown("**ohne Datum**")
        st.markdown(
            "\n".join(
                f"- {plain(row['milestone'])} ({plain(row['party'])}): {row['kind']}"
                for row in records(undated)
            )
        )


def edit_section(agreement: dict[str, Any], meetings: dict[int, str]) -> None:
    agreement_id = agreement["id"]
    name = f"agreement_edit_{agreement_id}_{agreement['version']}"
    with st.form(name):
        agreement_fields(name, agreement, meetings)
        forms.submit(
            name,
            "Änderungen speichern",
            lambda session, actor: update_agreement(
                session=session,
                actor=actor,
                row_id=agreement_id,
                data=forms.values(name, [*AGREEMENT_FIELDS, "ended_on"]),
                expected_version=agreement["version"],
            ),
            success="Vereinbarung gespeichert.",
        )
    if agreement["archived"]:
        forms.action_button(
            f"agreement_restore_{agreement_id}",
            "Wiederherstellen",
            lambda session, actor: restore_agreement(
                session=session, actor=actor, row_id=agreement_id
            ),
            success="Vereinbarung wiederhergestellt.",
            icon=":material/restore:",
        )
        forms.delete_button(
            f"agreement_delete_{agreement_id}",
            f"Die Vereinbarung „{plain(agreement['title'])}“",
            delete_command(AGREEMENTS, agreement_id),
            success=f"Vereinbarung „{agreement['title']}“ endgültig gelöscht.",
            after=forms.back_to_list_after_delete,
        )
    else:
        forms.action_button(
            f"agreement_archive_{agreement_id}",
            "Vereinbarung archivieren",
            lambda session, actor: archive_agreement(
                session=session,
                actor=actor,
                row_id=agreement_id,
                expected_version=agreement["version"],
            ),
            success="Vereinbarung archiviert.",
            icon=":material/inventory_2:",
        )


show_flash()
selected_agreement = links.selected_id()
if selected_agreement is None:
    agreement_list()
else:
    agreement_view(selected_agreement)
