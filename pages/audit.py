"""Änderungsprotokoll: who changed which record when, with old and new value per field."""

from datetime import date
from typing import Any

import streamlit as st

from models.enums import AuditAction
from services.audit import AuditFilters, actors, audit_csv, audit_file_name, list_events
from services.csv_export import EXCEL_DE, RFC_4180
from services.write import ENTITY_LABELS
from ui import links
from ui.db import deferred, session_scope
from ui.format import plain
from ui.session import sees_non_public, show_flash
from ui.tables import paged

# Object types that have a page of their own (ui.links.PAGES key).
ENTITY_PAGES = {
    "organization": "organizations",
    "person": "persons",
    "committee": "committees",
    "meeting": "meetings",
    "decision": "decisions",
    "agreement": "agreements",
}
ENTITY_OPTIONS: dict[str | None, str] = {None: "alle"}
ENTITY_OPTIONS.update(ENTITY_LABELS)
ACTION_OPTIONS: dict[AuditAction | None, str] = {None: "alle"}
ACTION_OPTIONS.update({action: action.label for action in AuditAction})
DIALECT_CHOICES = {EXCEL_DE.label: EXCEL_DE, RFC_4180.label: RFC_4180}


def start_from_address() -> None:
    """Filters given in the address (?entity=organization&entity_id=5) preset the widgets once."""
    entity = st.query_params.get("entity")
    if entity in ENTITY_LABELS and "audit.entity" not in st.session_state:
        st.session_state["audit.entity"] = entity
    entity_id = links.selected_id("entity_id")
    if entity_id is not None and "audit.entity_id" not in st.session_state:
        st.session_state["audit.entity_id"] = entity_id


st.title("Änderungsprotokoll")
st.caption(
    "Jede Änderung an einem Datensatz und jede An- und Abmeldung, neueste zuerst: wer, wann "
    "(deutsche Zeit), welches Objekt, und je Feld der alte und der neue Wert."
)
show_flash()
start_from_address()

include_non_public = sees_non_public()
with session_scope() as session:
    people = actors(session)
    first, second, third, fourth = st.columns([2, 1, 2, 2])
    entity = first.selectbox(
        "Objektart",
        list(ENTITY_OPTIONS),
        format_func=ENTITY_OPTIONS.__getitem__,
        key="audit.entity",
    )
    entity_id = second.number_input(
        "Objekt-Nr.", min_value=1, step=1, value=None, key="audit.entity_id"
    )
    actor = third.selectbox(
        "geändert von",
        [None, *people],
        format_func=lambda name: "alle" if name is None else name,
        key="audit.actor",
    )
    action = fourth.selectbox(
        "Aktion",
        list(ACTION_OPTIONS),
        format_func=ACTION_OPTIONS.__getitem__,
        key="audit.action",
    )
    left, right = st.columns(2)
    since: date | None = left.date_input("von", value=None, format="DD.MM.YYYY", key="audit.since")  # type: ignore[assignment]
    until: date | None = right.date_input("bis", value=None, format="DD.MM.YYYY", key="audit.until")  # type: ignore[assignment]
    if since and until and until < since:
        st.warning("„bis“ liegt vor „von“: Kein Eintrag kann passen.", icon=":material/warning:")
    filters: AuditFilters = {
        "entity": entity,
        "entity_id": int(entity_id) if entity_id is not None else None,
        "actor": actor,
        "action": action,
        "since": since,
        "until": until,
        "include_non_public": include_non_public,
    }

    def fetch(limit: int, offset: int) -> Any:
        return list_events(session, **filters, limit=limit, offset=offset)

    page = paged(fetch, key="audit.list")

filtered = any(value is not None for value in (entity, entity_id, actor, action, since, until))
if page.rows.empty:
    if filtered:
        st.info(
            "Keine Änderungen für diese Filter. Setzen Sie einzelne Filter auf „alle“ zurück "
            "oder wählen Sie einen längeren Zeitraum.",
            icon=":material/filter_alt_off:",
        )
    else:
        st.info(
            "Noch keine Änderungen protokolliert. Sobald jemand unter Gremien, Organisationen "
            "oder Personen etwas anlegt oder ändert, steht es hier.",
            icon=":material/history:",
        )
else:
    if page.page_count == 1:
        st.caption(f"{page.total} Einträge")
    with st.expander("Export", icon=":material/download:"):
        label = st.selectbox(
            "Format",
            list(DIALECT_CHOICES),
            key="audit.dialect",
            help="Excel (Deutschland): Semikolon, Umlaute und Datum TT.MM.JJJJ wie in Excel. "
            "RFC 4180: Komma, ISO-Datum und feste Spaltennamen für Programme.",
        )
        dialect = DIALECT_CHOICES[str(label)]
        st.download_button(
            "Als CSV herunterladen",
            data=deferred(lambda session: audit_csv(session, dialect=dialect, **filters)),
            file_name=audit_file_name(since=since, until=until, dialect=dialect),
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="audit.download",
            help="Alle Einträge für die gewählten Filter, eine Zeile je geändertem Feld.",
        )

for event in page.rows.to_dict("records"):
    with st.container(border=True):
        st.markdown(
            f"**{event['when']}** · {plain(event['actor'])} · "
            f"{plain(event['entity_label'])} Nr. {event['entity_id']} · **{event['action']}**"
        )
        if event["changes"]:
            st.text("\n".join(event["changes"]))
        target = ENTITY_PAGES.get(event["entity"])
        if target is not None:
            links.link(target, "Datensatz öffnen", int(event["entity_id"]))
