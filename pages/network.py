"""Kooperationsnetz: which bodies are connected by committees, agreements and Themenfelder."""

import zlib
from datetime import date

import streamlit as st
from plotly.graph_objects import Figure

from models.enums import FederalState
from services.network import (
    DEFAULT_KINDS,
    EDGE_LABELS,
    LINK_KINDS,
    PARTNER_LABELS,
    TOP_NODES,
    Network,
    network_view,
    organization_name,
    selected_edges,
    selected_organizations,
)
from services.periods import format_date
from ui import links
from ui.cache import cached
from ui.charts import chart
from ui.db import session_scope
from ui.format import plain
from ui.tables import show_table

STATES = FederalState.labels()
FOCUS = "org"
VISIT = "network.visit"
# Querying, laying out and drawing thousands of links: once per data version and filter.
network_view_of = cached(network_view, waiting="Kooperationsnetz wird berechnet …")


def filters() -> tuple[str | None, list[str], date | None]:
    left, middle, right = st.columns([2, 3, 2])
    state = left.selectbox(
        "Bundesland",
        [None, *STATES],
        format_func=lambda code: "alle" if code is None else STATES[code],
        key="network.state",
    )
    kinds = middle.multiselect(
        "Verbunden über",
        list(LINK_KINDS),
        default=list(DEFAULT_KINDS),
        format_func=LINK_KINDS.__getitem__,
        key="network.kinds",
    )
    on = right.date_input(
        "Stand am",
        value=None,
        format="DD.MM.YYYY",
        key="network.on",
        help="Nur Mitgliedschaften, Beteiligungen und Vereinbarungen, die an diesem Tag "
        "galten. Leer: alle Zeiträume, auch beendete.",
    )
    return state, kinds, on if isinstance(on, date) else None


def change_focus(org_id: int | None) -> None:
    # A fresh chart key, so the click that chose a node does not choose it again.
    st.session_state[VISIT] = st.session_state.get(VISIT, 0) + 1
    if org_id is None:
        st.query_params.pop(FOCUS, None)
    else:
        st.query_params[FOCUS] = str(org_id)
    st.rerun()


def focus_header(focus: int, name: str | None, net: Network) -> None:
    if name is None:
        st.warning(
            f"Eine Organisation mit der Nummer {focus} gibt es nicht.", icon=":material/search_off:"
        )
    else:
        st.subheader(f"Umfeld von {plain(name)}")
    left, right = st.columns([1, 3], vertical_alignment="center")
    if left.button("Auswahl aufheben", icon=":material/close:", key="network.clear"):
        change_focus(None)
    if name is not None:
        with right:
            links.link("organizations", f"Zur Organisation {plain(name)}", focus)
    if net.total > len(net.nodes) - 1 and not net.nodes.empty:
        st.caption(
            f"Gezeigt: die {len(net.nodes) - 1} engsten von {net.total} Partnern; "
            "die Tabelle unten nennt alle."
        )


def empty_state(focus: int | None, name: str | None, filtered: bool) -> None:
    if focus is not None:
        if name is not None:
            st.info(
                f"{plain(name)} hat mit diesen Filtern keine Verbindungen.", icon=":material/info:"
            )
        return
    if filtered:
        st.info(
            "Mit diesen Filtern sind keine Organisationen miteinander verbunden. Wählen Sie "
            "ein anderes Bundesland, weitere Arten der Verbindung oder leeren Sie „Stand am“.",
            icon=":material/info:",
        )
        return
    st.info(
        "Noch keine Verbindungen. Organisationen sind verbunden, wenn sie Mitglieder in "
        "dasselbe Gremium entsenden, Partei derselben Vereinbarung sind oder am selben "
        "Themenfeld mitwirken.",
        icon=":material/info:",
    )
    links.link("committees", "Zu den Gremien")
    links.link("agreements", "Zu den Vereinbarungen")


def show_network(net: Network, figure: Figure, focus: int | None, filter_key: str) -> None:
    if focus is None and net.total > len(net.nodes):
        st.caption(
            f"Gezeigt: die {len(net.nodes)} am stärksten verbundenen von {net.total} "
            "Organisationen. Wählen Sie ein Bundesland oder klicken Sie eine Organisation an, "
            "um ihr Umfeld vollständig zu sehen."
        )
    if net.edge_total > len(net.edges):
        st.caption(
            f"Gezeigt: die {len(net.edges)} stärksten von {net.edge_total} Verbindungen "
            "zwischen diesen Organisationen."
        )
    # Above the chart: on a laptop screen the chart fills the view, a hint below goes unseen.
    st.caption(
        "Fahren Sie über die Mitte einer Linie: dort steht, was die beiden verbindet. "
        "Ein Klick auf eine Organisation zeigt nur ihr Umfeld; mit dem Lasso wählen Sie "
        "mehrere Verbindungen aus."
    )
    visit = st.session_state.get(VISIT, 0)
    points = chart(
        figure,
        net.edges,
        key=f"network.chart.{visit}.{filter_key}",
        filename="kooperationsnetz",
        columns=EDGE_LABELS,
    )
    chosen = selected_organizations(points)
    if len(chosen) == 1 and chosen[0] != focus:
        change_focus(chosen[0])
    if points:
        st.markdown("**Ausgewählte Verbindungen**")
        show_table(
            selected_edges(net.edges, points),
            ["source", "target", "weight", "via"],
            empty="Die Auswahl enthält keine Verbindungen.",
            labels=EDGE_LABELS,
        )


st.title("Kooperationsnetz")
st.caption(
    "Welche Organisationen sind über gemeinsame Gremien, Vereinbarungen und Themenfelder "
    "verbunden? Eine Linie verbindet zwei Organisationen, die Mitglieder in dasselbe Gremium "
    "entsenden oder es tragen, Partei derselben Vereinbarung sind (oder eine Partei darin "
    "vertreten) oder am selben Themenfeld mitwirken."
)
state, kinds, on = filters()
focus = links.selected_id(FOCUS)
filter_key = str(zlib.crc32(repr((state, sorted(kinds), on, focus)).encode()))

if not kinds:
    st.info("Wählen Sie mindestens eine Art der Verbindung.", icon=":material/info:")
else:
    net, figure = network_view_of(kinds=kinds, on=on, state=state, around=focus, limit=TOP_NODES)
    with session_scope() as session:
        focus_name = organization_name(session, focus) if focus is not None else None
    if on is not None:
        st.caption(f"Stand am {format_date(on)}")
    if focus is not None:
        focus_header(focus, focus_name, net)
    filtered = state is not None or on is not None or set(kinds) != set(DEFAULT_KINDS)
    if figure is None:
        empty_state(focus, focus_name, filtered)
    else:
        show_network(net, figure, focus, filter_key)
    if focus is not None and focus_name is not None and not net.links.empty:
        st.markdown(f"**Verbindungen von {plain(focus_name)}**")
        show_table(
            net.links,
            ["partner", "weight", "via"],
            empty="Keine Verbindungen.",
            labels=PARTNER_LABELS,
        )
