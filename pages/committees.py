"""Gremien: find a committee, set it up, and keep its composition over time."""

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from models import Committee, CommitteeCreate, Organization
from models.base import DEMO_SOURCE
from models.enums import (
    CommitteeKind,
    FederalState,
    FollowUpStatus,
    MajorityRule,
    MembershipRole,
    QuorumRule,
)
from services.actor import Actor
from services.committees import (
    COMMITTEES,
    MEMBERSHIPS,
    STATUS_FILTERS,
    add_membership,
    add_membership_with_new_person,
    archive_committee,
    archive_membership,
    archived_memberships,
    committee_choices,
    committee_profile,
    composition,
    create_committee,
    end_committee_membership,
    membership_history,
    restore_committee,
    restore_membership,
    search_committees,
    update_committee,
)
from services.decisions import list_decisions
from services.errors import ConflictError, NotFoundError
from services.meetings import list_meetings
from services.organizations import organization_choices
from services.periods import format_date
from services.persons import person_choices
from services.write import get_row
from ui import forms
from ui.db import session_scope
from ui.exports.oparl import calendar_downloads
from ui.format import plain
from ui.links import back_to_list, link, selected_id
from ui.session import sees_non_public, show_flash
from ui.tables import paged, pick_table, show_table

COMMITTEE_FIELDS = [
    "name",
    "short_name",
    "kind",
    "state",
    "host_organization_id",
    "parent_id",
    "purpose",
    "seat_count",
    "quorum_rule",
    "majority_rule",
    "start_date",
    "end_date",
]
PERSON_FIELDS = ["title", "given_name", "family_name", "function", "organization_id"]
MEMBERSHIP_FIELDS = [
    "role",
    "deputy_rank",
    "on_behalf_of_id",
    "voting_right",
    "deputy_of_id",
    "start_date",
    "end_date",
]
OPEN_STATES = [FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS]
YES_NO = {True: "Ja", False: "Nein"}
MEMBER_LABELS = {
    "name": "Name",
    "role": "Rolle",
    "on_behalf_of": "entsandt von",
    "voting_right": "stimmberechtigt",
    "deputy_of": "Stellvertretung für",
    "start_date": "von",
    "end_date": "bis",
    "status": "Stand",
}


def committee_fields(
    form: str, current: dict[str, Any], organizations: dict[int, str], parents: dict[int, str]
) -> None:
    """The fields of a committee, shared by the create and the edit form."""
    value = {k: v.value if isinstance(v, Enum) else v for k, v in current.items()}
    left, right = st.columns(2)
    with left:
        forms.text(form, "name", "Name", value.get("name"), required=True)
        forms.choice(form, "kind", "Art", CommitteeKind.labels(), value.get("kind"), required=True)
        forms.choice(
            form,
            "host_organization_id",
            "tragende Organisation",
            organizations,
            value.get("host_organization_id"),
        )
        forms.day(form, "start_date", "Beginn", value.get("start_date"))
    with right:
        forms.text(form, "short_name", "Kurzname", value.get("short_name"))
        forms.choice(form, "state", "Bundesland", FederalState.labels(), value.get("state"))
        forms.choice(form, "parent_id", "übergeordnetes Gremium", parents, value.get("parent_id"))
        forms.day(form, "end_date", "Ende", value.get("end_date"))
    forms.text(form, "purpose", "Zweck", value.get("purpose"), area=True)
    left, middle, right = st.columns([1, 2, 2])
    with left:
        forms.number(
            form,
            "seat_count",
            "gesetzliche Mitgliederzahl",
            value.get("seat_count"),
            min_value=1,
            help="Leer lassen: Es zählen die stimmberechtigten Mitglieder.",
        )
    with middle:
        forms.choice(
            form,
            "quorum_rule",
            "Beschlussfähigkeit",
            QuorumRule.labels(),
            value.get("quorum_rule"),
            required=True,
        )
    with right:
        forms.choice(
            form,
            "majority_rule",
            "Mehrheitsregel",
            MajorityRule.labels(),
            value.get("majority_rule"),
            required=True,
        )


def organization_picker(
    session: Session, form: str, fields: list[str], keep: Iterable[int | None] = ()
) -> dict[int, str]:
    """The organizations a form offers, narrowed by a search above it; chosen ones stay."""
    search = st.text_input(
        "Organisation suchen",
        key=forms.key(form, "organization_search"),
        placeholder="Name, Kurzname oder AGS",
        help="Grenzt die Auswahl der Organisationen im Formular ein.",
    )
    chosen = [st.session_state.get(forms.key(form, field)) for field in fields]
    return organization_choices(session, search=search, keep=[*chosen, *keep])


def person_picker(session: Session, form: str) -> dict[int, str]:
    """The persons a form offers, narrowed by a search above it; the chosen one stays."""
    search = st.text_input(
        "Person suchen",
        key=forms.key(form, "person_search"),
        placeholder="Vor- oder Nachname",
        help="Grenzt die Auswahl „Person“ im Formular ein.",
    )
    return person_choices(
        session, search=search, keep=st.session_state.get(forms.key(form, "person_id"))
    )


def open_committee(committee: Committee) -> None:
    """Show the committee just created."""
    st.query_params["id"] = str(committee.id)


def new_committee_form(session: Session, parents: dict[int, str]) -> None:
    form = "committee_new"
    defaults = {
        "quorum_rule": CommitteeCreate.model_fields["quorum_rule"].default,
        "majority_rule": CommitteeCreate.model_fields["majority_rule"].default,
    }
    with (
        st.expander("Neues Gremium", icon=":material/add:", expanded=bool(forms.errors(form))),
    ):
        organizations = organization_picker(session, form, ["host_organization_id"])
        with st.form(form):
            committee_fields(form, defaults, organizations, parents)
            forms.submit(
                form,
                "Gremium anlegen",
                lambda s, a: create_committee(
                    session=s, actor=a, data=forms.values(form, COMMITTEE_FIELDS)
                ),
                success=lambda row: f"Gremium „{row.name}“ angelegt.",
                after=open_committee,
            )


def source_label(source: str | None) -> str:
    """Invented demo records are marked as such; everything else carries a source."""
    return "Demo" if source == DEMO_SOURCE else "belegt" if source else ""


FILTER_KEYS = ["committees.search", "committees.states", "committees.kinds", "committees.status"]


def restore_filters() -> None:
    """Bring back the filters after a visit to a committee (Streamlit drops unseen widgets)."""
    for widget_key in FILTER_KEYS:
        if widget_key not in st.session_state and f"_{widget_key}" in st.session_state:
            st.session_state[widget_key] = st.session_state[f"_{widget_key}"]


def remember_filters() -> None:
    for widget_key in FILTER_KEYS:
        st.session_state[f"_{widget_key}"] = st.session_state.get(widget_key)


def list_view() -> None:
    st.title("Gremien")
    show_flash()
    may_create = forms.editable("committee")
    with session_scope() as session:
        if may_create:
            new_committee_form(session, committee_choices(session))

        restore_filters()
        search = st.text_input("Suche", key="committees.search", placeholder="Name oder Kurzname")
        left, middle, right = st.columns([2, 2, 1])
        states = left.multiselect(
            "Bundesland",
            list(FederalState.labels()),
            format_func=FederalState.labels().__getitem__,
            key="committees.states",
            placeholder="alle Länder",
        )
        kinds = middle.multiselect(
            "Art",
            list(CommitteeKind.labels()),
            format_func=CommitteeKind.labels().__getitem__,
            key="committees.kinds",
            placeholder="alle Arten",
        )
        status = right.radio(
            "Status",
            list(STATUS_FILTERS),
            format_func=STATUS_FILTERS.__getitem__,
            key="committees.status",
            horizontal=True,
        )
        page = paged(
            lambda limit, offset: search_committees(
                session,
                search=search,
                states=states,
                kinds=kinds,
                status=status,  # type: ignore[arg-type]
                limit=limit,
                offset=offset,
            ),
            key="committees.list",
        )
        anything_stored = search_committees(session, status="all", limit=1).total > 0
    remember_filters()

    empty = (
        "Keine Gremien passen zu Suche und Filtern. Ändern Sie die Auswahl "
        "oder wählen Sie beim Status „alle“."
        if anything_stored
        else "Noch keine Gremien erfasst."
        + (" Legen Sie oben unter „Neues Gremium“ das erste an." if may_create else "")
    )
    rows = page.rows.assign(source=page.rows["source"].map(source_label))
    chosen = pick_table(
        rows,
        ["name", "short_name", "kind", "state", "host", "members", "meetings", "status", "source"],
        key="committees.table",
        opens="das Gremium",
        empty=empty,
        labels={"state": "Bundesland", "members": "Mitglieder heute"},
    )
    if not rows.empty:
        names = dict(zip(rows["id"].tolist(), rows["name"].tolist(), strict=True))
        picked = st.selectbox(
            "Gremium öffnen",
            list(names),
            format_func=names.__getitem__,
            index=None,
            placeholder="Zeile oben anklicken oder hier wählen …",
            key="committees.open",
        )
        chosen = chosen or picked
    if chosen is not None:
        st.query_params["id"] = str(chosen)
        st.rerun()


def yes_no(frame: pd.DataFrame) -> pd.DataFrame:
    """The voting right in words."""
    return frame.assign(voting_right=frame["voting_right"].map(YES_NO))


def header(profile: dict[str, Any]) -> None:
    st.title(plain(profile["name"]))
    facts = [profile["kind"], profile["state"], profile["host"] and f"Träger: {profile['host']}"]
    st.caption(" · ".join(plain(fact) for fact in facts if fact) + f" · **{profile['status']}**")
    if profile["archived"]:
        st.warning(
            "Dieses Gremium ist archiviert: Es erscheint in keiner Auswahlliste und kann nicht "
            "bearbeitet werden. Mitgliedschaften, Sitzungen und Beschlüsse bleiben erhalten. "
            "Mit „Wiederherstellen“ wird es wieder aktiv.",
            icon=":material/archive:",
        )
    elif profile["status"] == "beendet":
        st.info(
            f"Dieses Gremium ist beendet; es bestand bis zum {format_date(profile['end_date'])}.",
            icon=":material/event_busy:",
        )
    if profile["source"] == DEMO_SOURCE:
        st.caption("Demo-Daten: erfundenes Beispiel.")
    elif profile["source"]:
        st.caption(f"Quelle: {plain(profile['source'])}")


def purpose_and_rules(profile: dict[str, Any], editable: bool) -> None:
    st.subheader("Zweck und Regeln")
    if profile["purpose"]:
        st.markdown(plain(profile["purpose"]))
    else:
        st.caption(
            "Kein Zweck erfasst."
            + (" Tragen Sie ihn unten unter „Gremium bearbeiten“ ein." if editable else "")
        )
    seats = profile["seat_count"] or "nicht festgelegt (es zählen die stimmberechtigten Mitglieder)"
    start, end = format_date(profile["start_date"]), format_date(profile["end_date"])
    lifetime = f"{start or 'offen'} bis {end or 'offen'}" if start or end else "nicht erfasst"
    st.markdown(
        f"- **Beschlussfähigkeit:** {profile['quorum_rule']}\n"
        f"- **Mehrheitsregel:** {profile['majority_rule']}\n"
        f"- **gesetzliche Mitgliederzahl:** {seats}\n"
        f"- **Bestehenszeit:** {lifetime}"
    )
    if profile["parent_id"]:
        st.markdown(f"Übergeordnetes Gremium: {plain(profile['parent'])}")
        if st.button("Übergeordnetes Gremium öffnen", key="committee.parent", type="tertiary"):
            st.query_params["id"] = str(profile["parent_id"])
            st.rerun()


def add_member_form(session: Session, committee_id: int, current: dict[int, str]) -> None:
    form = f"membership_new_{committee_id}"
    new_person_key = forms.key(form, "new_person")

    def command(session: Session, actor: Actor) -> Any:
        membership = {**forms.values(form, MEMBERSHIP_FIELDS), "committee_id": committee_id}
        if st.session_state.get(new_person_key):
            return add_membership_with_new_person(
                session=session,
                actor=actor,
                person=forms.values(form, PERSON_FIELDS),
                membership=membership,
            )
        membership["person_id"] = forms.values(form, ["person_id"])["person_id"]
        return add_membership(session=session, actor=actor, data=membership)

    with st.expander(
        "Mitglied hinzufügen", icon=":material/person_add:", expanded=bool(forms.errors(form))
    ):
        new_person = st.toggle(
            "Neue Person anlegen",
            key=new_person_key,
            help="Die Person wird zusammen mit der Mitgliedschaft gespeichert, oder gar nicht.",
        )
        people = {} if new_person else person_picker(session, form)
        organizations = organization_picker(session, form, ["organization_id", "on_behalf_of_id"])
        with st.form(form):
            if new_person:
                left, right = st.columns(2)
                with left:
                    forms.text(form, "title", "Titel")
                    forms.text(form, "family_name", "Nachname", required=True)
                    forms.choice(form, "organization_id", "Organisation der Person", organizations)
                with right:
                    forms.text(form, "given_name", "Vorname")
                    forms.text(form, "function", "Funktion")
            else:
                forms.choice(
                    form,
                    "person_id",
                    "Person",
                    people,
                    required=True,
                    help="Nicht in der Liste? Oben „Neue Person anlegen“ einschalten.",
                )
            left, right = st.columns(2)
            with left:
                forms.choice(
                    form, "role", "Rolle", MembershipRole.labels(), "member", required=True
                )
                forms.choice(form, "on_behalf_of_id", "entsandt von", organizations)
                forms.day(form, "start_date", "Beginn")
                forms.flag(form, "voting_right", "stimmberechtigt", value=True)
            with right:
                forms.number(
                    form,
                    "deputy_rank",
                    "Rang der Stellvertretung",
                    min_value=1,
                    help="Nur beim stellv. Vorsitz: 1 für die erste Stellvertretung, 2 …",
                )
                forms.choice(
                    form,
                    "deputy_of_id",
                    "Stellvertretung für",
                    current,
                    help="Nur bei der Rolle stellv. Mitglied.",
                )
                forms.day(form, "end_date", "Ende")
            forms.submit(
                form, "Mitglied hinzufügen", command, success="Mitgliedschaft gespeichert."
            )


def end_member_form(committee_id: int, current: dict[int, str]) -> None:
    form = f"membership_end_{committee_id}"
    with (
        st.expander(
            "Mitgliedschaft beenden",
            icon=":material/person_remove:",
            expanded=bool(forms.errors(form)),
        ),
        st.form(form),
    ):
        st.caption("Die Mitgliedschaft bleibt mit ihrem Ende im Zeitverlauf erhalten.")
        forms.choice(form, "membership_id", "Mitgliedschaft", current, required=True)
        forms.day(form, "end_date", "Ende", required=True)
        forms.submit(
            form,
            "Mitgliedschaft beenden",
            lambda s, a: end_committee_membership(
                session=s,
                actor=a,
                committee_id=committee_id,
                **forms.values(form, ["membership_id", "end_date"]),
            ),
            success="Mitgliedschaft beendet.",
        )


def members(session: Session, committee_id: int, editable: bool) -> None:
    current = composition(session, committee_id)
    st.subheader("Zusammensetzung heute")
    show_table(
        yes_no(current),
        ["name", "role", "on_behalf_of", "voting_right", "start_date"],
        labels=MEMBER_LABELS,
        empty="Noch keine Mitglieder. Fügen Sie unten unter „Mitglied hinzufügen“ das erste hinzu.",
    )
    if editable:
        current_options = {
            int(row["membership_id"]): f"{row['name']} ({row['role']})"
            for row in current.to_dict("records")
        }
        add_member_form(session, committee_id, current_options)
        end_member_form(committee_id, current_options)
        archive_member_form(committee_id, membership_history(session, committee_id))

    st.subheader("Mitgliedschaften im Zeitverlauf")
    history = yes_no(membership_history(session, committee_id))
    show_table(
        history.assign(source=history["source"].map(source_label)),
        [
            "name",
            "role",
            "on_behalf_of",
            "voting_right",
            "deputy_of",
            "start_date",
            "end_date",
            "status",
            "source",
        ],
        labels=MEMBER_LABELS,
        empty="Noch keine Mitgliedschaften erfasst.",
    )
    if editable:
        archived_members(session, committee_id)


def archive_member_form(committee_id: int, history: pd.DataFrame) -> None:
    """Archive a membership entered by mistake (ending one keeps it in the history)."""
    if history.empty:
        return
    options = {
        int(row["membership_id"]): f"{row['name']} ({row['role']}, {row['status']})"
        for row in history.to_dict("records")
    }
    with st.expander("Mitgliedschaft archivieren", icon=":material/archive:"):
        st.caption(
            "Für Fehleingaben: Eine archivierte Mitgliedschaft zählt nirgends mehr mit. "
            "Wer ausscheidet, dessen Mitgliedschaft beenden Sie oben."
        )
        membership_id = st.selectbox(
            "Mitgliedschaft",
            list(options),
            format_func=options.__getitem__,
            key=f"membership_archive_pick_{committee_id}",
        )
        forms.action_button(
            f"membership_archive_{committee_id}",
            "Mitgliedschaft archivieren",
            lambda s, a: archive_membership(session=s, actor=a, row_id=int(membership_id)),
            success="Mitgliedschaft archiviert. Sie können sie jederzeit wiederherstellen.",
            icon=":material/archive:",
        )


def archived_members(session: Session, committee_id: int) -> None:
    """Archived memberships, each with restore (and, for administrators, delete)."""
    forms.archived_list(
        "membership",
        "Archivierte Mitgliedschaften",
        [
            (membership_id, f"**{plain(person_name)}** · {role}")
            for membership_id, person_name, role in archived_memberships(session, committee_id)
        ],
        noun="Mitgliedschaft",
        restore=restore_membership,
        delete=MEMBERSHIPS.delete,
    )


def meetings(session: Session, committee_id: int) -> None:
    st.subheader("Sitzungen")
    frame = list_meetings(session, committee_id=committee_id)
    if frame.empty:
        st.info(
            "Noch keine Sitzungen. Legen Sie die erste auf der Seite „Sitzungen“ an.",
            icon=":material/info:",
        )
        link("meetings", "Zu den Sitzungen")
        return
    show_table(
        frame,
        ["number", "title", "kind", "start", "location", "state"],
        labels={"title": "Thema", "state": "Status"},
        empty="Noch keine Sitzungen.",
    )
    labels = {
        int(row["id"]): f"Nr. {row['number'] or '–'} vom {format_date(row['start'])}"
        for row in frame.to_dict("records")
    }
    chosen = st.selectbox(
        "Sitzung",
        list(labels),
        format_func=labels.__getitem__,
        key=f"committee_{committee_id}.meeting",
    )
    link("meetings", f"Sitzung {labels[chosen]} öffnen", chosen)


def open_decisions(session: Session, committee_id: int) -> None:
    st.subheader("Offene Beschlüsse")
    non_public = sees_non_public()
    overdue = list_decisions(
        session,
        committee_id=committee_id,
        statuses=OPEN_STATES,
        include_non_public=non_public,
        overdue_only=True,
        limit=1,
    ).total
    if overdue:
        st.warning(
            f"{overdue} offene Beschlüsse haben ihre Frist überschritten."
            if overdue > 1
            else "1 offener Beschluss hat seine Frist überschritten.",
            icon=":material/alarm:",
        )
    page = paged(
        lambda limit, offset: list_decisions(
            session,
            committee_id=committee_id,
            statuses=OPEN_STATES,
            include_non_public=non_public,
            limit=limit,
            offset=offset,
        ),
        key=f"committee_{committee_id}.decisions",
    )
    rows = page.rows.assign(overdue=page.rows["overdue"].map({True: "überfällig", False: ""}))
    show_table(
        rows,
        ["reference", "text", "responsible", "due_date", "status", "overdue"],
        labels={"overdue": "überfällig"},
        empty="Keine offenen Beschlüsse: Alles ist erledigt oder noch nichts beschlossen.",
    )
    link("decisions", "Zur Beschlusskontrolle")


def discard_edit(form: str, conflict_key: str) -> None:
    """Forget the input of a refused edit, so the form reloads the stored values."""
    for state_key in [k for k in st.session_state if str(k).startswith(f"{form}.")]:
        del st.session_state[state_key]
    st.session_state.pop(conflict_key, None)


def edit_form(
    row: Committee,
    organizations_for: Callable[[str], dict[int, str]],
    parents: dict[int, str],
) -> None:
    committee_id, version = int(row.id or 0), row.version
    conflict_key = f"committee_{committee_id}.conflict"
    stale = st.session_state.get(conflict_key)
    if stale and forms.errors(stale):
        # Someone saved in between: keep showing what this user typed, with the message,
        # until they reload the stored values (which the page shows above).
        with (
            st.expander("Gremium bearbeiten", icon=":material/edit:", expanded=True),
        ):
            organizations = organizations_for(stale)
            with st.form(stale):
                committee_fields(stale, row.model_dump(), organizations, parents)
                forms.remaining_errors(stale)
                st.form_submit_button(
                    "Gespeicherten Stand laden (Eingaben verwerfen)",
                    on_click=discard_edit,
                    args=(stale, conflict_key),
                )
        return

    form = f"committee_edit_{committee_id}_{version}"

    def command(session: Session, actor: Actor) -> Committee:
        try:
            return update_committee(
                session=session,
                actor=actor,
                row_id=committee_id,
                data=forms.values(form, COMMITTEE_FIELDS),
                expected_version=version,
            )
        except ConflictError:
            st.session_state[conflict_key] = form
            raise

    with (
        st.expander(
            "Gremium bearbeiten", icon=":material/edit:", expanded=bool(forms.errors(form))
        ),
    ):
        organizations = organizations_for(form)
        with st.form(form):
            committee_fields(form, row.model_dump(), organizations, parents)
            forms.submit(form, "Änderungen speichern", command, success="Gremium gespeichert.")


def edit_and_archive(
    session: Session, row: Committee, profile: dict[str, Any], parents: dict[int, str]
) -> None:
    host, parent = profile["host"], profile["parent"]
    committee_id, version = int(row.id or 0), row.version
    if row.archived:
        forms.action_button(
            f"committee_restore_{committee_id}",
            "Wiederherstellen",
            lambda s, a: restore_committee(
                session=s, actor=a, row_id=committee_id, expected_version=version
            ),
            success="Gremium wiederhergestellt.",
            icon=":material/unarchive:",
            button_type="primary",
        )
        forms.delete_button(
            f"committee_delete_{committee_id}",
            f"Das Gremium „{plain(row.name)}“",
            lambda s, a: COMMITTEES.delete(session=s, actor=a, row_id=committee_id),
            success=f"Gremium „{row.name}“ endgültig gelöscht.",
            after=forms.back_to_list_after_delete,
        )
        return
    # An archived host or parent stays visible, so saving never drops it silently.
    host_id = row.host_organization_id
    host_row = session.get(Organization, host_id) if host_id else None

    def organizations_for(form: str) -> dict[int, str]:
        found = organization_picker(session, form, ["host_organization_id"], keep=[host_id])
        if host_id and host_row is not None and host_row.archived:
            found[host_id] = f"{host} (archiviert)"
        return found

    if row.parent_id and row.parent_id not in parents:
        parents = {**parents, row.parent_id: f"{parent} (archiviert)"}
    edit_form(row, organizations_for, parents)
    forms.action_button(
        f"committee_archive_{committee_id}",
        "Gremium archivieren",
        lambda s, a: archive_committee(
            session=s, actor=a, row_id=committee_id, expected_version=version
        ),
        success="Gremium archiviert. Sie können es jederzeit wiederherstellen.",
        icon=":material/archive:",
    )


def detail_view(committee_id: int) -> None:
    back_to_list("Alle Gremien")
    with session_scope() as session:
        try:
            profile = committee_profile(session, committee_id)
        except NotFoundError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        row = get_row(session, Committee, committee_id)
        parents = committee_choices(session, exclude=committee_id)
        header(profile)
        show_flash()
        editable = forms.editable("committee", committee_id=committee_id)
        if not profile["archived"]:
            calendar_downloads(committee_id=committee_id, include_non_public=sees_non_public())
        purpose_and_rules(profile, editable)
        members(session, committee_id, editable and not profile["archived"])
        meetings(session, committee_id)
        open_decisions(session, committee_id)
        if editable:
            st.subheader("Gremium verwalten")
            edit_and_archive(session, row, profile, parents)


record_id = selected_id()
if record_id is None:
    list_view()
else:
    detail_view(record_id)
