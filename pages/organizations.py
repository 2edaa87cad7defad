"""Organisationen: the directory of bodies, and each one's committees, agreements and Themenfelder."""

from typing import Any

import streamlit as st
from sqlmodel import Session

from models import Organization
from models.enums import FederalState, OrganizationKind
from services.organizations import (
    ORGANIZATIONS,
    archive_organization,
    create_organization,
    organization_agreements,
    organization_choices,
    organization_committees,
    organization_participations,
    restore_organization,
    search_organizations,
    update_organization,
)
from services.periods import format_date
from services.write import key
from ui import forms, layout, links
from ui.db import session_scope
from ui.format import plain
from ui.session import show_flash
from ui.tables import fact, paged, pick_table, show_table

FIELDS = ["name", "short_name", "kind", "state", "parent_id", "ags"]
KINDS = OrganizationKind.labels()
STATES = FederalState.labels()
LIST_COLUMNS = ["name", "short_name", "kind", "state", "parent", "ags"]
LABELS = {"state": "Bundesland", "parent": "übergeordnet", "ags": "AGS"}


def organization_form(session: Session, form: str, row: Organization | None = None) -> None:
    """The fields of an organization; the parent picker is narrowed by a search above the form."""
    parent_search = st.text_input(
        "übergeordnete Organisation suchen",
        key=forms.key(form, "parent_search"),
        placeholder="Name, Kurzname oder AGS",
        help="Grenzt die Auswahl „übergeordnete Organisation“ im Formular ein.",
    )
    chosen_parent = st.session_state.get(forms.key(form, "parent_id"))
    parents = organization_choices(
        session,
        search=parent_search,
        keep=chosen_parent if chosen_parent is not None else (row.parent_id if row else None),
    )
    with st.form(form):
        forms.text(form, "name", "Name", row.name if row else None, required=True)
        left, right = st.columns(2)
        with left:
            forms.text(form, "short_name", "Kurzname", row.short_name if row else None)
            forms.choice(form, "kind", "Art", KINDS, row.kind.value if row else None, required=True)
        with right:
            forms.text(
                form,
                "ags",
                "Amtlicher Schlüssel (AGS)",
                row.ags if row else None,
                help="2 (Land), 5 (Kreis) oder 8 (Gemeinde) Ziffern aus dem Gemeindeverzeichnis.",
            )
            forms.choice(
                form,
                "state",
                "Bundesland",
                STATES,
                row.state.value if row and row.state else None,
            )
        forms.choice(
            form, "parent_id", "übergeordnete Organisation", parents, row.parent_id if row else None
        )
        if row is None:
            forms.submit(
                form,
                "Anlegen",
                lambda s, a: create_organization(
                    session=s, actor=a, data=forms.values(form, FIELDS)
                ),
                success=lambda org: f"Organisation „{org.name}“ angelegt.",
                after=lambda org: st.query_params.update(id=str(org.id)),
            )
        else:
            row_id, version = key(row), row.version
            forms.submit(
                form,
                "Speichern",
                lambda s, a: update_organization(
                    session=s,
                    actor=a,
                    row_id=row_id,
                    data=forms.values(form, FIELDS),
                    expected_version=version,
                ),
                success=lambda org: f"Organisation „{org.name}“ gespeichert.",
            )


def list_view(session: Session) -> None:
    st.title("Organisationen")
    show_flash()
    search = st.text_input(
        "Suche", key="organizations.search", placeholder="Name, Kurzname oder AGS"
    )
    left, middle, right = st.columns([2, 2, 1])
    kinds = left.multiselect(
        "Art",
        list(KINDS),
        format_func=KINDS.__getitem__,
        key="organizations.kinds",
        placeholder="alle Arten",
    )
    states = middle.multiselect(
        "Bundesland",
        list(STATES),
        format_func=STATES.__getitem__,
        key="organizations.states",
        placeholder="alle Länder",
    )
    archived = right.toggle("nur archivierte", key="organizations.archived")

    def fetch(limit: int, offset: int) -> Any:
        return search_organizations(
            session,
            search=search,
            kinds=[OrganizationKind(kind) for kind in kinds],
            states=[FederalState(state) for state in states],
            archived=archived,
            limit=limit,
            offset=offset,
        )

    page = paged(fetch, key="organizations.list")
    filtered = bool(search.strip() or kinds or states)
    may_create = forms.editable("organization", quiet=True)
    if filtered or archived:
        empty = (
            "Keine Organisation passt zu Suche und Filtern. Ändern Sie die Suche oder die Filter."
        )
    else:
        empty = "Noch keine Organisationen." + (
            " Legen Sie unten die erste an." if may_create else ""
        )
    if page.page_count == 1 and page.total:
        st.caption(f"{page.total} Organisation{'en' if page.total != 1 else ''}")
    chosen = pick_table(
        page.rows,
        LIST_COLUMNS,
        key="organizations.table",
        empty=empty,
        labels=LABELS,
        opens="die Organisation",
    )
    if chosen is not None:
        st.query_params["id"] = str(chosen)
        st.rerun()

    if not may_create:
        st.caption(forms.read_only_reason("organization"))
        return
    with st.expander("Neue Organisation anlegen", expanded=page.total == 0 and not filtered):
        organization_form(session, "organization_new")


def detail_view(session: Session, org_id: int) -> None:
    links.back_to_list("Alle Organisationen")
    org = session.get(Organization, org_id)
    if org is None:
        st.error(f"Organisation Nr. {org_id} gibt es nicht.", icon=":material/error:")
        return
    st.title(plain(org.name))
    show_flash()
    if org.archived:
        st.warning(
            "Diese Organisation ist archiviert: Sie erscheint in keiner Auswahl mehr. "
            "Unter „Bearbeiten“ können Sie sie wiederherstellen.",
            icon=":material/inventory_2:",
        )
    fact("Kurzname", org.short_name)
    fact("Art", org.kind.label)
    fact("Bundesland", org.state.label if org.state else None)
    fact("Amtlicher Schlüssel (AGS)", org.ags)
    fact("Quelle", org.source)
    parent = session.get(Organization, org.parent_id) if org.parent_id else None
    if parent is not None:
        st.markdown("**übergeordnete Organisation:**")
        links.link("organizations", plain(parent.name), parent.id)

    committees = organization_committees(session, org_id)
    agreements = organization_agreements(session, org_id)
    participations = organization_participations(session, org_id)
    children = search_organizations(session, parent_id=org_id, archived=None, limit=1)
    may_change = forms.editable("organization")
    labels = [
        f"Gremien ({len(committees)})",
        f"Vereinbarungen ({len(agreements)})",
        f"Themenfelder ({len(participations)})",
        f"Untergeordnete ({children.total})",
    ]
    tabs = layout.tabs(
        [*labels, "Bearbeiten"] if may_change else labels, key=f"organization_tabs_{org_id}"
    )
    with tabs[0]:
        if committees.empty:
            st.info(
                "Die Organisation trägt kein Gremium und entsendet niemanden. Mitgliedschaften "
                "„entsandt von“ dieser Organisation legen Sie auf der Seite des Gremiums an.",
                icon=":material/info:",
            )
        for committee in committees.to_dict("records"):
            links.link("committees", plain(committee["name"]), int(committee["id"]))
            st.caption(plain(" · ".join(filter(None, [committee["relation"], committee["kind"]]))))
    with tabs[1]:
        if agreements.empty:
            st.info(
                "Die Organisation ist an keiner Vereinbarung beteiligt. Parteien tragen Sie "
                "auf der Seite der Vereinbarung ein.",
                icon=":material/info:",
            )
        for agreement in agreements.to_dict("records"):
            links.link("agreements", plain(agreement["title"]), int(agreement["id"]))
            target = agreement["target_date"]
            st.caption(
                plain(
                    " · ".join(
                        filter(
                            None,
                            [
                                agreement["relation"],
                                agreement["state"],
                                f"Zieltermin {format_date(target)}" if target else None,
                            ],
                        )
                    )
                )
            )
    with tabs[2]:
        show_table(
            participations,
            ["topic_field", "role", "valid_from", "valid_to", "current", "note"],
            labels={
                "topic_field": "Themenfeld",
                "role": "Rolle",
                "valid_from": "von",
                "valid_to": "bis",
                "current": "Stand",
                "note": "Anmerkung",
            },
            empty="Keine Beteiligung an einem OZG-Themenfeld erfasst.",
        )
    with tabs[3]:
        child_page = paged(
            lambda limit, offset: search_organizations(
                session, parent_id=org_id, archived=None, limit=limit, offset=offset
            ),
            key=f"organizations.children_{org_id}",
        )
        child = pick_table(
            child_page.rows,
            ["name", "kind", "state", "ags", "archived"],
            key=f"organizations.children_table_{org_id}",
            opens="die Organisation",
            empty="Keine untergeordneten Organisationen.",
            labels={**LABELS, "archived": "archiviert"},
        )
        if child is not None:
            st.query_params["id"] = str(child)
            st.rerun()
    if not may_change:
        return
    with tabs[4]:
        organization_form(session, f"organization_edit_{org.id}_{org.version}", org)
        if org.archived:
            forms.action_button(
                f"organization_restore_{org.id}",
                "Wiederherstellen",
                lambda s, a: restore_organization(
                    session=s, actor=a, row_id=org_id, expected_version=org.version
                ),
                success=f"Organisation „{org.name}“ wiederhergestellt.",
                icon=":material/unarchive:",
            )
            forms.delete_button(
                f"organization_delete_{org.id}",
                f"Die Organisation „{plain(org.name)}“",
                lambda s, a: ORGANIZATIONS.delete(session=s, actor=a, row_id=org_id),
                success=f"Organisation „{org.name}“ endgültig gelöscht.",
                after=forms.back_to_list_after_delete,
            )
        else:
            forms.action_button(
                f"organization_archive_{org.id}",
                "Archivieren",
                lambda s, a: archive_organization(
                    session=s, actor=a, row_id=org_id, expected_version=org.version
                ),
                success=f"Organisation „{org.name}“ archiviert.",
                icon=":material/archive:",
            )
        links.link(
            "audit",
            "Änderungsprotokoll dieser Organisation",
            entity="organization",
            entity_id=str(org_id),
        )


with session_scope() as db:
    selected = links.selected_id()
    if selected is None:
        list_view(db)
    else:
        detail_view(db, selected)
