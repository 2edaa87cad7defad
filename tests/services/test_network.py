"""Kooperationsnetz: the pairs, their labels and weights, the Stand am date, top-N, the layout."""

from datetime import date
from itertools import combinations

import pandas as pd
import pytest
from sqlmodel import Session, select

from models import Agreement, AgreementParty, Membership, Organization, Participation
from services import agreements, committees, network, topic_fields
from services.chart_style import ORGANIZATION_KIND_COLORS
from services.seed import load_demo_data
from tests.conftest import (
    ACTOR,
    make_agreement,
    make_committee,
    make_membership,
    make_org,
    make_party,
    make_person,
)

KOMM24 = "Vereinbarung: Gründung der KOMM24 GmbH"
SPITZENGESPRAECH = "Gremium: Spitzengespräch „Digitale Verwaltung Sachsen“"
MV_LA = "Gremium: Lenkungsausschuss E-Government Mecklenburg-Vorpommern"
KOMM24_FOUNDERS = ["Chemnitz", "Dresden", "Leipzig", "KISA", "SAKD"]
ALL_KINDS = list(network.LINK_KINDS)


@pytest.fixture
def demo(session: Session) -> Session:
    load_demo_data(session)
    return session


def org_ids(session: Session) -> dict[str, int]:
    """Organization ids by short name (or name, where there is none)."""
    return {
        org.short_name or org.name: org.id
        for org in session.exec(select(Organization))
        if org.id is not None
    }


def pairs(edges: pd.DataFrame, ids: dict[str, int], via: str) -> set[frozenset[str]]:
    """The pairs whose label names `via`, as sets of short names."""
    names = {v: k for k, v in ids.items()}
    rows = edges[edges["via"].str.contains(via, regex=False)]
    return {
        frozenset((names[s], names[t]))
        for s, t in zip(rows["source_id"], rows["target_id"], strict=True)
    }


def edge(edges: pd.DataFrame, a: int, b: int) -> pd.Series:
    low, high = min(a, b), max(a, b)
    row = edges[edges["source_id"].eq(low) & edges["target_id"].eq(high)]
    assert len(row) == 1, f"no edge {a}–{b}"
    return row.iloc[0]


def test_komm24_links_the_five_founders_pairwise_and_leipzig_with_lecos(demo: Session) -> None:
    ids = org_ids(demo)
    edges = network.network_edges(demo, kinds=["agreement"], on=None)
    expected = {frozenset(pair) for pair in combinations(KOMM24_FOUNDERS, 2)}
    assert len(expected) == 10
    assert pairs(edges, ids, KOMM24) == expected | {frozenset(("Leipzig", "Lecos"))}
    # Lecos represents Leipzig only; it is no party of its own.
    assert set(network.partners(edges, ids["Lecos"])["partner"]) == {"Stadt Leipzig"}
    leipzig_lecos = edge(edges, ids["Leipzig"], ids["Lecos"])
    assert (leipzig_lecos["weight"], leipzig_lecos["via"]) == (1, KOMM24)
    # Every pair lists its source before its target.
    assert (edges["source_id"] < edges["target_id"]).all()
    assert list(edges.columns) == network.EDGE_COLUMNS


def test_mv_lenkungsausschuss_links_the_bodies_sending_members(demo: Session) -> None:
    ids = org_ids(demo)
    edges = network.network_edges(demo, kinds=["committee"], on=date(2019, 4, 10))
    senders = ["M-V", "Digitalisierungsministerium M-V", "StGT M-V", "LKT M-V"]
    senders += ["Greifswald", "LK Nordwestmecklenburg"]
    assert pairs(edges, ids, MV_LA) == {frozenset(p) for p in combinations(senders, 2)}
    assert len(pairs(edges, ids, MV_LA)) == 15
    # The day before, nobody sat in it: its host alone links nobody.
    before = network.network_edges(demo, kinds=["committee"], on=date(2019, 4, 9))
    assert pairs(before, ids, MV_LA) == set()


def test_stand_am_filters_memberships_by_their_dates(demo: Session) -> None:
    ids = org_ids(demo)
    summit_day = network.network_edges(demo, kinds=["committee"], on=date(2019, 4, 9))
    later = network.network_edges(demo, kinds=["committee"], on=date(2020, 1, 1))
    any_time = network.network_edges(demo, kinds=["committee"], on=None)
    summit = {"Sachsen", "SK Sachsen", *KOMM24_FOUNDERS}
    assert pairs(summit_day, ids, SPITZENGESPRAECH) == {
        frozenset(p) for p in combinations(summit, 2)
    }
    assert pairs(later, ids, SPITZENGESPRAECH) == set()
    assert len(pairs(any_time, ids, SPITZENGESPRAECH)) == 21


def test_saxony_cities_are_connected_by_komm24_and_the_spitzengespraech(demo: Session) -> None:
    ids = org_ids(demo)
    edges = network.network_edges(demo, kinds=["committee", "agreement"], on=None, state="SN")
    for a, b in combinations(["Chemnitz", "Dresden", "Leipzig"], 2):
        row = edge(edges, ids[a], ids[b])
        assert row["weight"] == 2
        assert row["via"] == f"{KOMM24}; {SPITZENGESPRAECH}"
    nodes = network.network_nodes(demo, kinds=["committee", "agreement"], on=None, state="SN")
    assert set(nodes["state"]) == {"Sachsen"}
    assert {"Stadt Chemnitz", "Landeshauptstadt Dresden", "Stadt Leipzig"} <= set(nodes["name"])
    assert not set(nodes["name"]) & {
        "Land Mecklenburg-Vorpommern",
        "Universitäts- und Hansestadt Greifswald",
    }


def test_topic_fields_link_hessen_and_baden_wuerttemberg(demo: Session) -> None:
    ids = org_ids(demo)
    edges = network.network_edges(demo, kinds=["topic_field"], on=None)
    row = edge(edges, ids["Hessen"], ids["Baden-Württemberg"])
    assert (row["weight"], row["via"]) == (1, "Themenfeld: Mobilität & Reisen")
    assert pairs(edges, ids, "Themenfeld: Mobilität & Reisen") == {
        frozenset(p) for p in combinations(["Hessen", "Baden-Württemberg", "BMVI", "VITAKO"], 2)
    }
    # Committees and agreements are not asked for here.
    assert not edges["via"].str.contains("Gremium|Vereinbarung").any()


def test_participation_dates_count_on_the_reference_day(demo: Session) -> None:
    ids = org_ids(demo)
    before = network.network_edges(demo, kinds=["topic_field"], on=date(2021, 12, 1))
    after = network.network_edges(demo, kinds=["topic_field"], on=date(2022, 1, 1))
    bauen = "Themenfeld: Bauen & Wohnen"
    # The BMI handed the lead to the BMWSB on 08.12.2021.
    assert frozenset(("M-V", "BMI")) in pairs(before, ids, bauen)
    assert not any("BMWSB" in pair for pair in pairs(before, ids, bauen))
    assert frozenset(("M-V", "BMWSB")) in pairs(after, ids, bauen)
    assert not any("BMI" in pair for pair in pairs(after, ids, bauen))


def test_archived_records_do_not_link(demo: Session) -> None:
    ids = org_ids(demo)
    komm24 = demo.exec(select(Agreement).where(Agreement.title == "Gründung der KOMM24 GmbH")).one()
    leipzig_party = demo.exec(
        select(AgreementParty).where(
            AgreementParty.agreement_id == komm24.id,
            AgreementParty.organization_id == ids["Leipzig"],
        )
    ).one()
    agreements.archive_party(session=demo, actor=ACTOR, row_id=leipzig_party.id)
    edges = network.network_edges(demo, kinds=["agreement"], on=None)
    linked = pairs(edges, ids, KOMM24)
    assert len(linked) == 6  # four founders pairwise; Leipzig and its representative are gone
    assert not any("Leipzig" in pair or "Lecos" in pair for pair in linked)

    agreements.archive_agreement(session=demo, actor=ACTOR, row_id=komm24.id)
    assert pairs(network.network_edges(demo, kinds=["agreement"], on=None), ids, KOMM24) == set()

    hessen_mobility = demo.exec(
        select(Participation).where(
            Participation.organization_id == ids["Hessen"],
            Participation.role == "lead",
        )
    ).all()
    for participation in hessen_mobility:
        topic_fields.archive_participation(session=demo, actor=ACTOR, row_id=participation.id)
    topics = network.network_edges(demo, kinds=["topic_field"], on=None)
    assert not (
        topics["source_id"].eq(min(ids["Hessen"], ids["Baden-Württemberg"]))
        & topics["target_id"].eq(max(ids["Hessen"], ids["Baden-Württemberg"]))
    ).any()

    ulbrich = demo.exec(
        select(Membership).where(
            Membership.on_behalf_of_id == ids["M-V"], Membership.role == "chair"
        )
    ).one()
    committees.archive_membership(session=demo, actor=ACTOR, row_id=ulbrich.id)
    assert frozenset(("M-V", "Greifswald")) in pairs(
        network.network_edges(demo, kinds=["committee"], on=date(2020, 1, 1)), ids, MV_LA
    )  # two more members still sit for the Land
    mv_members = demo.exec(select(Membership).where(Membership.on_behalf_of_id == ids["M-V"]))
    for membership in mv_members:
        if not membership.archived:
            committees.archive_membership(session=demo, actor=ACTOR, row_id=membership.id)
    after = network.network_edges(demo, kinds=["committee"], on=date(2020, 1, 1))
    assert not any("M-V" in pair for pair in pairs(after, ids, MV_LA))


def test_shared_links_add_up_and_are_listed_once(session: Session) -> None:
    a = make_org(session, name="Stadt A", kind="district_free_city")
    b = make_org(session, name="Stadt B", kind="district_free_city")
    host = make_org(session, name="Ministerium", kind="state_ministry")
    board = make_committee(session, name="Beirat", host_organization_id=host.id)
    for n, org in enumerate((a, a, b)):
        make_membership(
            session, board, make_person(session, family_name=f"P{n}"), on_behalf_of_id=org.id
        )
    deal = make_agreement(session, title="Vertrag")
    make_party(session, deal, a)
    make_party(session, deal, b)
    edges = network.network_edges(session, kinds=ALL_KINDS, on=None)
    row = edge(edges, a.id, b.id)
    # Two members of A in the same committee still make one committee link.
    assert (row["weight"], row["via"]) == (2, "Vereinbarung: Vertrag; Gremium: Beirat")
    assert edge(edges, a.id, host.id)["via"] == "Gremium: Beirat"
    nodes = network.network_nodes(session, kinds=ALL_KINDS, on=None)
    assert dict(zip(nodes["name"], nodes["strength"], strict=True)) == {
        "Stadt A": 3,
        "Stadt B": 3,
        "Ministerium": 2,
    }
    assert network.network_edges(session, kinds=[], on=None).empty


def test_top_n_keeps_the_most_connected(demo: Session) -> None:
    kinds = ALL_KINDS
    total = network.connected_count(demo, kinds=kinds, on=None)
    everyone = network.network_nodes(demo, kinds=kinds, on=None)
    assert total == len(everyone) == 42
    assert everyone["strength"].is_monotonic_decreasing
    shown = network.network(demo, kinds=kinds, on=None, limit=5)
    assert shown.total == 42
    assert shown.nodes["id"].tolist() == everyone["id"].head(5).tolist()
    kept = set(shown.nodes["id"])
    assert set(shown.edges["source_id"]) | set(shown.edges["target_id"]) <= kept


def test_focus_shows_the_neighbourhood_and_all_links(demo: Session) -> None:
    ids = org_ids(demo)
    focus = network.network(
        demo, kinds=["committee", "agreement"], on=date(2020, 1, 1), around=ids["Leipzig"]
    )
    assert focus.total == 5
    assert sorted(focus.links["partner"]) == [
        "Landeshauptstadt Dresden",
        "Lecos GmbH",
        "Stadt Chemnitz",
        "Sächsische Anstalt für kommunale Datenverarbeitung",
        "Zweckverband Kommunale Informationsverarbeitung Sachsen",
    ]
    assert set(focus.links["via"]) == {KOMM24}
    assert set(focus.nodes["id"]) == {ids[n] for n in [*KOMM24_FOUNDERS, "Lecos"]}
    # Ego network: links among the partners stay, Lecos only touches Leipzig.
    assert len(focus.edges) == 11
    small = network.network(
        demo, kinds=["committee", "agreement"], on=date(2020, 1, 1), around=ids["Leipzig"], limit=3
    )
    assert len(small.nodes) == 3
    assert small.total == 5
    assert len(small.links) == 5


def test_neighbourhood_keeps_the_node_its_partners_and_their_links() -> None:
    edges = pd.DataFrame(
        [
            (1, 2, "A", "B", 1, "x"),
            (2, 3, "B", "C", 2, "y"),
            (3, 4, "C", "D", 1, "z"),
            (1, 3, "A", "C", 1, "w"),
        ],
        columns=network.EDGE_COLUMNS,
    )
    around_one = network.neighbourhood(edges, 1)
    assert list(zip(around_one["source_id"], around_one["target_id"], strict=True)) == [
        (1, 2),
        (2, 3),
        (1, 3),
    ]
    assert network.partners(edges, 3)[["partner", "weight"]].values.tolist() == [
        ["B", 2],
        ["A", 1],
        ["D", 1],
    ]
    assert network.neighbourhood(edges, 9).empty
    assert network.partners(edges, 9).empty


def test_layout_is_stable_and_covers_every_node(demo: Session) -> None:
    net = network.network(demo, kinds=["committee", "agreement"], on=None, state="SN")
    first = network.layout(net.nodes, net.edges)
    assert first == network.layout(net.nodes, net.edges)
    assert set(first) == set(net.nodes["id"])
    empty = pd.DataFrame(columns=network.NODE_COLUMNS)
    assert network.layout(empty, pd.DataFrame(columns=network.EDGE_COLUMNS)) == {}


def test_figure_colours_kinds_sizes_by_degree_and_explains_links(demo: Session) -> None:
    net = network.network(demo, kinds=["committee", "agreement"], on=None, state="SN")
    figure = network.network_figure(net.nodes, net.edges, network.layout(net.nodes, net.edges))
    node_traces = {
        t.name: t for t in figure.data if t.customdata is not None and t.customdata[0][0] == "org"
    }
    cities = node_traces["kreisfreie Stadt"]
    assert cities.marker.color == ORGANIZATION_KIND_COLORS["kreisfreie Stadt"]
    assert node_traces["Zweckverband"].marker.color == ORGANIZATION_KIND_COLORS["Zweckverband"]
    degree = network.degrees(net.nodes, net.edges)
    by_id = dict(zip([row[1] for row in cities.customdata], cities.marker.size, strict=True))
    leipzig = org_ids(demo)["Leipzig"]
    assert degree[leipzig] == 7  # four founders, Lecos, the Staatskanzlei and the Freistaat
    assert by_id[leipzig] == max(by_id.values())
    middles = next(t for t in figure.data if t.name == "Verbindung")
    assert len(middles.x) == len(net.edges)
    assert middles.marker.opacity == 0
    chemnitz_dresden = next(
        text for text in middles.hovertext if "Stadt Chemnitz – Landeshauptstadt Dresden" in text
    )
    assert "Gründung der KOMM24 GmbH<br>Gremium: Spitzengespräch" in chemnitz_dresden


def test_selection_maps_points_to_organizations_and_links() -> None:
    edges = pd.DataFrame(
        [(1, 2, "A", "B", 1, "x"), (2, 3, "B", "C", 1, "y"), (3, 4, "C", "D", 1, "z")],
        columns=network.EDGE_COLUMNS,
    )
    points = [{"customdata": ["org", 4, "D", "", 1]}, {"customdata": ["edge", 1, 2]}, {}]
    assert network.selected_organizations(points) == [4]
    picked = network.selected_edges(edges, points)
    assert picked["via"].tolist() == ["x", "z"]
    assert network.selected_edges(edges, []).empty


def test_empty_database_has_no_network(session: Session) -> None:
    net = network.network(session, kinds=ALL_KINDS, on=date(2020, 1, 1))
    assert net.nodes.empty
    assert net.edges.empty
    assert net.total == 0
    figure = network.network_figure(net.nodes, net.edges, {})
    assert len(figure.data) == 0


def test_only_the_strongest_links_are_drawn_but_the_focus_keeps_its_own(demo: Session) -> None:
    ids = org_ids(demo)
    kinds = ["committee", "agreement"]
    full = network.network(demo, kinds=kinds, on=None, state="SN")
    capped = network.network(demo, kinds=kinds, on=None, state="SN", max_edges=5)
    assert capped.edge_total == full.edge_total == len(full.edges) == 22
    assert len(capped.edges) == 5
    assert (capped.edges["weight"] == 2).all()  # the pairs linked by KOMM24 and the summit
    focus = network.network(demo, kinds=kinds, on=None, around=ids["Lecos"], max_edges=1)
    assert len(focus.edges) == 1
    assert set(focus.edges[["source_id", "target_id"]].iloc[0]) == {ids["Lecos"], ids["Leipzig"]}
