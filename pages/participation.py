"""Beteiligung: how involved each body is, by Bundesland and kind of organization."""

import zlib
from datetime import date

import streamlit as st

from services.participation import (
    MEASURE_UNITS,
    MEASURES,
    TOP_N,
    ChartKind,
    Measure,
    figure_from_dict,
    involvement_chart,
    involvement_organizations,
    sector_from_point,
    sector_label,
    state_choices,
    state_from_key,
)
from services.periods import format_date
from ui.cache import cached
from ui.charts import chart
from ui.format import plain
from ui.tables import paged, show_table

STATES = state_choices()
# Read-only aggregates, shared until the next stored change.
involvement_chart_of = cached(involvement_chart, waiting="Beteiligung wird ausgewertet …")
involvement_organizations_of = cached(involvement_organizations)
CHARTS: dict[ChartKind, str] = {"sunburst": "Sonnendiagramm", "treemap": "Kacheldiagramm"}
EMPTY: dict[Measure, str] = {
    "participations": "Am gewählten Stichtag ist keine Beteiligung an einem Themenfeld erfasst.",
    "seats": "Am gewählten Stichtag hält keine Organisation einen Sitz in einem Gremium "
    "(Mitgliedschaften mit „entsandt von“).",
    "agreements": "Am gewählten Stichtag ist keine Organisation Partei einer Vereinbarung.",
}

st.title("Beteiligung")
st.caption(
    "Wie stark ist jede Organisation eingebunden – nach Bundesland und Art der Organisation. "
    "Bundesressorts und bundesweite Verbände stehen unter „Bund/überregional“."
)

measure_column, chart_column = st.columns([3, 2])
measure = measure_column.radio(
    "Gemessen an",
    list(MEASURES),
    format_func=MEASURES.__getitem__,
    horizontal=True,
    key="participation.measure",
)
chart_kind = chart_column.radio(
    "Darstellung",
    list(CHARTS),
    format_func=CHARTS.__getitem__,
    horizontal=True,
    key="participation.chart",
)
state_column, top_column, date_column = st.columns([3, 2, 2])
state = state_column.selectbox(
    "Bundesland",
    [None, *STATES],
    format_func=lambda key: "alle" if key is None else STATES[key],
    key="participation.state",
)
top = int(
    top_column.number_input(
        "Organisationen je Art",
        min_value=1,
        max_value=50,
        value=TOP_N,
        step=1,
        key="participation.top",
        help="Die übrigen Organisationen einer Art werden zu „Sonstige (zusammengefasst)“.",
    )
)
picked_day = date_column.date_input(
    "Stand am", value=date.today(), format="DD.MM.YYYY", key="participation.on"
)
on = picked_day if isinstance(picked_day, date) else date.today()
states = None if state is None else [state_from_key(state)]

frame, figure = involvement_chart_of(
    measure=measure, on=on, states=states, top=top, chart=chart_kind
)

if frame.empty:
    st.info(EMPTY[measure], icon=":material/info:")
else:
    many = MEASURE_UNITS[measure]
    st.caption(
        f"{int(frame['value'].sum())} {many} von {int(frame['organizations'].sum())} "
        f"Organisation(en) am {format_date(on)}. Klicken Sie auf einen Bereich, um seine "
        "Organisationen zu sehen; ein zweiter Klick auf die Mitte zoomt zurück."
    )
    points = chart(
        figure_from_dict(figure),
        frame,
        key=f"participation.chart.{measure}.{chart_kind}",
        filename=f"beteiligung-{measure}",
        columns={
            "state": "Bundesland",
            "kind": "Art",
            "organization": "Organisation",
            "organizations": "Anzahl Organisationen",
            "value": many,
        },
    )
    sector = next((s for s in map(sector_from_point, points) if s is not None), None)
    heading = sector_label(sector, frame) if sector else "alle Organisationen"
    list_key = f"participation.list.{zlib.crc32(repr((measure, on, state, top, sector)).encode())}"
    page = paged(
        lambda limit, offset: involvement_organizations_of(
            measure=measure,
            on=on,
            states=states,
            sector=sector,
            top=top,
            limit=limit,
            offset=offset,
        ),
        key=list_key,
    )
    st.markdown(f"**{plain(heading)}** – {page.total} Organisation(en), die meisten {many} zuerst")
    show_table(
        page.rows,
        ["organization", "kind", "state", "value"],
        empty="Keine Organisationen in diesem Bereich.",
        labels={
            "organization": "Organisation",
            "kind": "Art",
            "state": "Bundesland",
            "value": many,
        },
    )
