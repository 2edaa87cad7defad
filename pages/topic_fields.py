"""Themenfelder: who takes part in which OZG-Themenfeld, and one field's leads over time."""

import zlib
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from models import TopicField
from models.enums import FederalState, OrganizationKind, ParticipationRole
from services.errors import NotFoundError
from services.participation import (
    LEAD_ROLES,
    MATRIX_ROW_LIMIT,
    TIMELINE_ROWS,
    Cell,
    cells_from_points,
    figure_from_dict,
    ids_from_points,
    matrix_chart,
    matrix_row_options,
    participants_chart,
    participation_records,
    participation_timeline,
    state_choices,
    state_from_key,
    topic_field_detail,
    topic_field_names,
    topic_field_overview,
    topic_field_participations,
)
from services.periods import format_date
from services.topic_fields import (
    PARTICIPATIONS,
    TOPIC_FIELDS,
    archive_participation,
    archived_participations,
    restore_participation,
)
from services.write import get_row
from ui import forms, layout, links
from ui.cache import cached
from ui.charts import chart
from ui.db import session_scope
from ui.format import plain
from ui.session import show_flash
from ui.tables import paged, pick_table, show_table

KINDS = OrganizationKind.labels()
ROLES = ParticipationRole.labels()
STATES = state_choices()
LABELS = {
    "organization": "Organisation",
    "kind": "Art",
    "state": "Bundesland",
    "topic_field": "Themenfeld",
    "role": "Rolle",
    "valid_from": "von",
    "valid_to": "bis",
    "note": "Anmerkung",
    "source": "Quelle",
    "number": "Nr.",
    "name": "Themenfeld",
    "leads": "federführend / mitfederführend",
    "participants": "Beteiligte",
}
RECORD_COLUMNS = [
    "organization",
    "kind",
    "state",
    "topic_field",
    "role",
    "valid_from",
    "valid_to",
    "note",
    "source",
]
LEVEL_NOUNS = {"kind": "Art", "state": "Bundesland"}


# Read-only aggregates and charts, shared until the next stored change.
matrix_chart_of = cached(matrix_chart, waiting="Beteiligungsmatrix wird berechnet …")
participants_chart_of = cached(
    participants_chart, waiting="Beteiligte je Themenfeld werden gezählt …"
)
participation_records_of = cached(participation_records, waiting="Beteiligungen werden geladen …")
topic_field_names_of = cached(topic_field_names)
topic_field_overview_of = cached(topic_field_overview)


@dataclass(frozen=True)
class Filters:
    states: list[FederalState | None]
    kinds: list[OrganizationKind]
    roles: list[ParticipationRole]
    on: date


def read_filters() -> Filters:
    states_column, kinds_column, roles_column, date_column = st.columns([3, 3, 3, 2])
    states = states_column.multiselect(
        "Bundesland",
        list(STATES),
        format_func=STATES.__getitem__,
        key="topic_fields.states",
        placeholder="alle",
    )
    kinds = kinds_column.multiselect(
        "Art der Organisation",
        list(KINDS),
        format_func=KINDS.__getitem__,
        key="topic_fields.kinds",
        placeholder="alle",
    )
    roles = roles_column.multiselect(
        "Rolle",
        list(ROLES),
        format_func=ROLES.__getitem__,
        key="topic_fields.roles",
        placeholder="alle",
    )
    on = date_column.date_input(
        "Stand am", value=date.today(), format="DD.MM.YYYY", key="topic_fields.on"
    )
    return Filters(
        states=[state_from_key(key) for key in states],
        kinds=[OrganizationKind(kind) for kind in kinds],
        roles=[ParticipationRole(role) for role in roles],
        on=on if isinstance(on, date) else date.today(),
    )


def show_records(filters: Filters, cells: list[Cell], key: str, *, what: str) -> None:
    """The participations behind the selected cells or bars, or a hint how to select."""
    if not cells:
        st.caption(
            f"Klicken oder markieren (Lasso) Sie {what}, um die Beteiligungen darunter zu sehen."
        )
        return
    list_key = f"{key}.{zlib.crc32(repr((filters, cells)).encode())}"
    page = paged(
        lambda limit, offset: participation_records_of(
            on=filters.on,
            states=filters.states,
            kinds=filters.kinds,
            roles=filters.roles,
            cells=cells,
            limit=limit,
            offset=offset,
        ),
        key=list_key,
    )
    st.markdown(f"**Ausgewählte Beteiligungen** ({page.total})")
    show_table(page.rows, RECORD_COLUMNS, empty="Keine Beteiligungen ausgewählt.", labels=LABELS)


def drill_label(options: dict[str, str], key: str | None) -> str:
    return "alle (zusammengefasst)" if key is None else options[key]


def matrix_section(filters: Filters) -> None:
    by = st.session_state.get("topic_fields.by", "kind")
    scope = filters
    frame, figure = matrix_chart_of(
        states=scope.states, kinds=scope.kinds, roles=scope.roles, on=scope.on, by=by
    )
    if frame.attrs["level"] != "organization":
        st.radio(
            "Bei vielen Organisationen zusammenfassen nach",
            ["kind", "state"],
            format_func=LEVEL_NOUNS.__getitem__,
            horizontal=True,
            key="topic_fields.by",
        )
    # Drill down: a kind (or Land), then, if still too many, a Land (or kind) within it.
    for _ in range(2):
        level = frame.attrs["level"]
        if level == "organization":
            break
        options = matrix_row_options(frame)
        choices: list[str | None] = [None, *options]
        choice = st.selectbox(
            f"{LEVEL_NOUNS[level]} aufschlüsseln",
            choices,
            format_func=partial(drill_label, options),
            key=f"topic_fields.drill.{level}",
        )
        if choice is None:
            break
        if level == "kind":
            scope = replace(scope, kinds=[OrganizationKind(choice)])
        else:
            scope = replace(scope, states=[state_from_key(choice)])
        frame, figure = matrix_chart_of(
            states=scope.states, kinds=scope.kinds, roles=scope.roles, on=scope.on, by=by
        )
        if frame.attrs["level"] == level:
            break
    matrix_caption(frame, scope.on)
    if frame.empty:
        st.info(
            "Am gewählten Stichtag passt keine Beteiligung zu diesen Filtern. "
            "Ändern Sie die Filter oder das Datum „Stand am“.",
            icon=":material/info:",
        )
        return
    level = frame.attrs["level"]
    if level == "organization":
        columns = {
            "name": "Organisation",
            "kind": "Art",
            "state": "Bundesland",
            "topic_field": "Themenfeld",
            "role": "Rolle",
            "valid_from": "von",
            "valid_to": "bis",
        }
    else:
        columns = {
            "row": LEVEL_NOUNS[level],
            "topic_field": "Themenfeld",
            "count": "Organisationen",
        }
    points = chart(
        figure_from_dict(figure),
        frame,
        key=f"topic_fields.matrix.{level}",
        filename="themenfelder-matrix",
        columns=columns,
    )
    show_records(scope, cells_from_points(points), "topic_fields.matrix.records", what="Zellen")


def matrix_caption(frame: pd.DataFrame, on: date) -> None:
    count, level = frame.attrs["organizations"], frame.attrs["level"]
    if level == "organization" and frame.attrs["truncated"]:
        st.caption(
            f"Die {MATRIX_ROW_LIMIT} Organisationen mit den stärksten Rollen von {count} "
            f"am {format_date(on)}."
        )
    elif level == "organization":
        st.caption(f"{count} Organisation(en) mit Beteiligung am {format_date(on)}; Farbe = Rolle.")
    else:
        st.caption(
            f"{count} Organisationen – zu viele für eine Zeile je Organisation, daher je "
            f"{LEVEL_NOUNS[level]} zusammengefasst: die Zahl nennt die beteiligten Organisationen. "
            f"Schlüsseln Sie oben eine {LEVEL_NOUNS[level]} auf, um einzelne Organisationen zu sehen."
        )


def participants_section(filters: Filters) -> None:
    frame, figure = participants_chart_of(
        on=filters.on, states=filters.states, roles=filters.roles, kinds=filters.kinds
    )
    if frame.empty:
        st.info("Keine Beteiligten zu diesen Filtern.", icon=":material/info:")
        return
    st.caption("Beteiligte Organisationen je Themenfeld, gestapelt nach Art der Organisation.")
    points = chart(
        figure_from_dict(figure),
        frame,
        key="topic_fields.by_kind",
        filename="themenfelder-beteiligte-nach-art",
        columns={"topic_field": "Themenfeld", "kind": "Art", "participants": "Beteiligte"},
    )
    show_records(filters, cells_from_points(points), "topic_fields.by_kind.records", what="Balken")


def field_list(filters: Filters) -> None:
    overview = topic_field_overview_of(on=filters.on)
    st.caption(f"Federführungen und Zahl der Beteiligten am {format_date(filters.on)}.")
    chosen = pick_table(
        overview,
        ["number", "name", "leads", "participants"],
        key="topic_fields.table",
        opens="das Themenfeld",
        empty="Noch keine Themenfelder.",
        labels=LABELS,
    )
    if chosen is not None:
        st.query_params["id"] = str(chosen)
        st.rerun()


def overview_page() -> None:
    st.title("Themenfelder")
    show_flash()
    st.caption(
        "Wer ist an welchem der 14 OZG-Themenfelder beteiligt, in welcher Rolle und seit wann."
    )
    fields = topic_field_names_of()
    if not fields:
        st.info(
            "Noch keine Themenfelder erfasst. Die 14 OZG-Themenfelder mit ihren Federführungen "
            "spielt die Administration des Servers mit den Demodaten ein "
            "(`manage.py seed`, mit Quellenangaben).",
            icon=":material/info:",
        )
        return
    filters = read_filters()
    matrix_tab, kinds_tab, list_tab = layout.tabs(
        ["Beteiligungsmatrix", "Beteiligte je Themenfeld", "Themenfelder im Einzelnen"],
        key="topic_fields_tabs",
    )
    with matrix_tab:
        matrix_section(filters)
    with kinds_tab:
        participants_section(filters)
    with list_tab:
        field_list(filters)


def field_page(topic_field_id: int) -> None:
    links.back_to_list("Alle Themenfelder")
    try:
        with session_scope() as session:
            field = topic_field_detail(session, topic_field_id)
    except NotFoundError as exc:
        st.warning(plain(exc.message), icon=":material/search_off:")
        return
    st.title(plain(field["name"]))
    show_flash()
    st.caption(f"OZG-Themenfeld Nr. {field['number']}")
    if field["archived"]:
        st.info("Dieses Themenfeld ist archiviert.", icon=":material/inventory_2:")
    if field["description"]:
        st.markdown(plain(field["description"]))
    if field["source"]:
        st.caption(f"Quelle: {plain(field['source'])}")
    on = st.date_input("Stand am", value=date.today(), format="DD.MM.YYYY", key="topic_field.on")
    on = on if isinstance(on, date) else date.today()
    with session_scope() as session:
        leads = participation_records(
            session, on=on, roles=LEAD_ROLES, topic_field_id=topic_field_id, limit=100
        ).rows
    st.subheader("Federführung")
    show_table(
        leads,
        ["organization", "kind", "state", "role", "valid_from", "valid_to", "source"],
        empty=f"Am {format_date(on)} ist für dieses Themenfeld keine Federführung erfasst.",
        labels=LABELS,
    )
    st.subheader("Alle Beteiligten")
    with session_scope() as session:
        everyone = paged(
            lambda limit, offset: topic_field_participations(
                session, topic_field_id, limit=limit, offset=offset
            ),
            key=f"topic_field.participants.{topic_field_id}",
        )
    show_table(
        everyone.rows,
        ["organization", "kind", "state", "role", "valid_from", "valid_to", "note", "source"],
        empty="Für dieses Themenfeld sind keine Beteiligungen erfasst.",
        labels=LABELS,
    )
    if everyone.total:
        timeline_section(topic_field_id, field["number"], on)
    st.subheader("Verwalten")
    if forms.editable("topic_field"):
        manage_section(topic_field_id, everyone.rows)


def manage_section(topic_field_id: int, participations: pd.DataFrame) -> None:
    """Administrators archive, restore and delete the field and its participations."""
    with session_scope() as session:
        field = get_row(session, TopicField, topic_field_id)
        name, archived, version = field.name, field.archived, field.version
        removed = archived_participations(session, topic_field_id)
    if not participations.empty:
        options = {
            int(row["id"]): f"{row['organization']} ({row['role']})"
            for row in participations.to_dict("records")
        }
        participation_id = st.selectbox(
            "Beteiligung",
            list(options),
            format_func=options.__getitem__,
            key=f"participation_archive_pick_{topic_field_id}",
        )
        forms.action_button(
            f"participation_archive_{topic_field_id}",
            "Beteiligung archivieren",
            forms.row_command(archive_participation, int(participation_id)),
            success="Beteiligung archiviert. Sie können sie jederzeit wiederherstellen.",
            icon=":material/archive:",
        )
    forms.archived_list(
        "participation",
        "Archivierte Beteiligungen",
        [(row_id, f"{plain(organization)} · {role}") for row_id, organization, role in removed],
        noun="Beteiligung",
        restore=restore_participation,
        delete=PARTICIPATIONS.delete,
    )
    if not archived:
        forms.action_button(
            f"topic_field_archive_{topic_field_id}",
            "Themenfeld archivieren",
            lambda s, a: TOPIC_FIELDS.archive(
                session=s, actor=a, row_id=topic_field_id, expected_version=version
            ),
            success=f"Themenfeld „{name}“ archiviert.",
            icon=":material/archive:",
        )
        return
    forms.action_button(
        f"topic_field_restore_{topic_field_id}",
        "Wiederherstellen",
        lambda s, a: TOPIC_FIELDS.restore(
            session=s, actor=a, row_id=topic_field_id, expected_version=version
        ),
        success=f"Themenfeld „{name}“ wiederhergestellt.",
        icon=":material/unarchive:",
    )
    forms.delete_button(
        f"topic_field_delete_{topic_field_id}",
        f"Das Themenfeld „{plain(name)}“",
        forms.row_command(TOPIC_FIELDS.delete, topic_field_id),
        success=f"Themenfeld „{name}“ endgültig gelöscht.",
        after=forms.back_to_list_after_delete,
    )


def timeline_section(topic_field_id: int, number: int, on: date) -> None:
    with session_scope() as session:
        shown = topic_field_participations(session, topic_field_id, limit=TIMELINE_ROWS)
    frame = shown.rows
    st.subheader("Beteiligte im Zeitverlauf")
    scope = (
        f"die {TIMELINE_ROWS} Beteiligungen mit den stärksten Rollen von {shown.total}; "
        if shown.total > TIMELINE_ROWS
        else ""
    )
    st.caption(
        f"Balken von „von“ bis „bis“ ({scope}offene Enden laufen bis heute, Pfeil); "
        "die gepunktete Linie ist heute."
    )
    points = chart(
        participation_timeline(frame, today=date.today(), horizon=max(on, date.today())),
        frame,
        key=f"topic_field.timeline.{topic_field_id}",
        filename=f"themenfeld-{number}-zeitverlauf",
        columns={
            "organization": "Organisation",
            "kind": "Art",
            "state": "Bundesland",
            "role": "Rolle",
            "valid_from": "von",
            "valid_to": "bis",
            "note": "Anmerkung",
            "source": "Quelle",
        },
    )
    chosen = ids_from_points(points)
    if chosen:
        selected = frame[frame["id"].isin(chosen)]
        st.markdown(f"**Ausgewählte Beteiligungen** ({len(selected)})")
        show_table(selected, RECORD_COLUMNS, empty="Keine Beteiligungen ausgewählt.", labels=LABELS)
    else:
        st.caption("Klicken Sie auf einen Balken, um die Beteiligung darunter zu sehen.")


selected_field = links.selected_id()
if selected_field is None:
    overview_page()
else:
    field_page(selected_field)
