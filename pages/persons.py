"""Personen: members, guests and secretaries, and each one's memberships over time."""

from typing import Any

import streamlit as st
from sqlmodel import Session

from models import Organization, Person
from services.organizations import organization_choices
from services.persons import (
    PERSONS,
    archive_person,
    create_person,
    person_memberships,
    restore_person,
    search_persons,
    update_person,
)
from services.write import key
from ui import forms, layout, links
from ui.db import session_scope
from ui.format import plain
from ui.session import show_flash
from ui.tables import fact, paged, pick_table, show_table

FIELDS = ["title", "given_name", "family_name", "function", "email", "organization_id"]
LIST_COLUMNS = ["name", "function", "organization"]
LABELS = {"function": "Funktion", "organization": "Organisation"}
MEMBERSHIP_COLUMNS = [
    "committee",
    "role",
    "on_behalf_of",
    "voting_right",
    "start_date",
    "end_date",
    "period",
]
MEMBERSHIP_LABELS = {
    "role": "Rolle",
    "on_behalf_of": "entsandt von",
    "voting_right": "stimmberechtigt",
    "start_date": "von",
    "end_date": "bis",
    "period": "Stand",
}


def person_form(session: Session, form: str, row: Person | None = None) -> None:
    """The fields of a person; the organization picker is narrowed by a search above the form."""
    org_search = st.text_input(
        "Organisation suchen",
        key=forms.key(form, "organization_search"),
        placeholder="Name, Kurzname oder AGS",
        help="Grenzt die Auswahl „Organisation“ im Formular ein.",
    )
    chosen = st.session_state.get(forms.key(form, "organization_id"))
    organizations = organization_choices(
        session,
        search=org_search,
        keep=chosen if chosen is not None else (row.organization_id if row else None),
    )
    with st.form(form):
        left, middle, right = st.columns([1, 2, 2])
        with left:
            forms.text(form, "title", "Titel", row.title if row else None)
        with middle:
            forms.text(form, "given_name", "Vorname", row.given_name if row else None)
        with right:
            forms.text(
                form, "family_name", "Nachname", row.family_name if row else None, required=True
            )
        forms.text(form, "function", "Funktion", row.function if row else None)
        left, right = st.columns(2)
        with left:
            forms.text(form, "email", "E-Mail", row.email if row else None)
        with right:
            forms.choice(
                form,
                "organization_id",
                "Organisation",
                organizations,
                row.organization_id if row else None,
            )
        if row is None:
            forms.submit(
                form,
                "Anlegen",
                lambda s, a: create_person(session=s, actor=a, data=forms.values(form, FIELDS)),
                success=lambda person: f"Person „{person.full_name}“ angelegt.",
                after=lambda person: st.query_params.update(id=str(person.id)),
            )
        else:
            row_id, version = key(row), row.version
            forms.submit(
                form,
                "Speichern",
                lambda s, a: update_person(
                    session=s,
                    actor=a,
                    row_id=row_id,
                    data=forms.values(form, FIELDS),
                    expected_version=version,
                ),
                success=lambda person: f"Person „{person.full_name}“ gespeichert.",
            )


def list_view(session: Session) -> None:
    st.title("Personen")
    show_flash()
    left, right = st.columns([4, 1])
    search = left.text_input(
        "Suche", key="persons.search", placeholder="Name, Funktion oder E-Mail"
    )
    archived = right.toggle("nur archivierte", key="persons.archived")

    def fetch(limit: int, offset: int) -> Any:
        return search_persons(session, search=search, archived=archived, limit=limit, offset=offset)

    page = paged(fetch, key="persons.list")
    may_create = forms.editable("person", quiet=True)
    if search.strip() or archived:
        empty = "Keine Person passt zu Suche und Filter. Ändern Sie die Suche oder den Filter."
    else:
        empty = "Noch keine Personen." + (" Legen Sie unten die erste an." if may_create else "")
    if page.page_count == 1 and page.total:
        st.caption(f"{page.total} Person{'en' if page.total != 1 else ''}")
    chosen = pick_table(
        page.rows, LIST_COLUMNS, key="persons.table", empty=empty, labels=LABELS, opens="die Person"
    )
    if chosen is not None:
        st.query_params["id"] = str(chosen)
        st.rerun()

    if not may_create:
        st.caption(forms.read_only_reason("person"))
        return
    with st.expander("Neue Person anlegen", expanded=page.total == 0 and not search.strip()):
        person_form(session, "person_new")


def detail_view(session: Session, person_id: int) -> None:
    links.back_to_list("Alle Personen")
    person = session.get(Person, person_id)
    if person is None:
        st.error(f"Person Nr. {person_id} gibt es nicht.", icon=":material/error:")
        return
    st.title(plain(person.full_name))
    show_flash()
    if person.archived:
        st.warning(
            "Diese Person ist archiviert: Sie erscheint in keiner Auswahl mehr. "
            "Unter „Bearbeiten“ können Sie sie wiederherstellen.",
            icon=":material/inventory_2:",
        )
    fact("Funktion", person.function)
    fact("E-Mail", person.email)
    fact("Quelle", person.source)
    home = session.get(Organization, person.organization_id) if person.organization_id else None
    if home is not None:
        st.markdown("**Organisation:**")
        links.link("organizations", plain(home.name), home.id)

    memberships = person_memberships(session, person_id)
    may_change = forms.editable("person")
    labels = [f"Mitgliedschaften ({len(memberships)})"]
    tabs = layout.tabs(
        [*labels, "Bearbeiten"] if may_change else labels, key=f"person_tabs_{person_id}"
    )
    with tabs[0]:
        show_table(
            memberships,
            MEMBERSHIP_COLUMNS,
            labels=MEMBERSHIP_LABELS,
            empty="Die Person ist in keinem Gremium Mitglied. Mitgliedschaften legen Sie auf "
            "der Seite des Gremiums an.",
        )
        committees = memberships.drop_duplicates("committee_id")
        if not committees.empty:
            st.markdown("**Gremium öffnen:**")
        for committee in committees.to_dict("records"):
            links.link("committees", plain(committee["committee"]), int(committee["committee_id"]))
    if not may_change:
        return
    with tabs[1]:
        person_form(session, f"person_edit_{person.id}_{person.version}", person)
        if person.archived:
            forms.action_button(
                f"person_restore_{person.id}",
                "Wiederherstellen",
                lambda s, a: restore_person(
                    session=s, actor=a, row_id=person_id, expected_version=person.version
                ),
                success=f"Person „{person.full_name}“ wiederhergestellt.",
                icon=":material/unarchive:",
            )
            forms.delete_button(
                f"person_delete_{person.id}",
                f"Die Person „{plain(person.full_name)}“",
                lambda s, a: PERSONS.delete(session=s, actor=a, row_id=person_id),
                success=f"Person „{person.full_name}“ endgültig gelöscht.",
                after=forms.back_to_list_after_delete,
            )
        else:
            forms.action_button(
                f"person_archive_{person.id}",
                "Archivieren",
                lambda s, a: archive_person(
                    session=s, actor=a, row_id=person_id, expected_version=person.version
                ),
                success=f"Person „{person.full_name}“ archiviert.",
                icon=":material/archive:",
            )
        links.link(
            "audit", "Änderungsprotokoll dieser Person", entity="person", entity_id=str(person_id)
        )


with session_scope() as db:
    selected = links.selected_id()
    if selected is None:
        list_view(db)
    else:
        detail_view(db, selected)
