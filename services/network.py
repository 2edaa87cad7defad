"""Kooperationsnetz: organizations linked by shared committees, agreements and Themenfelder.

Two organizations are linked by a committee when both send members to it or host it, by
an agreement when both are parties (or one represents the other in it, as Lecos does for
Leipzig in KOMM24), and by a Themenfeld when both take part in it. The database builds
the pairs (self-joins of one "attachment" list) and groups them; Python only lays out
the few hundred nodes that are shown.
"""

import html
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from models import (
    Agreement,
    AgreementParty,
    Committee,
    Membership,
    Organization,
    Participation,
    TopicField,
)
from models.enums import FederalState, OrganizationKind
from services.chart_style import ORGANIZATION_KIND_COLORS, style

LINK_KINDS = {
    "committee": "Gremien",
    "agreement": "Vereinbarungen",
    "topic_field": "Themenfelder",
}
DEFAULT_KINDS = ("committee", "agreement")
# The prefix of each link in the "via" label, in the order the label lists them.
VIA_PREFIX = {"agreement": "Vereinbarung", "committee": "Gremium", "topic_field": "Themenfeld"}
TOP_NODES = 150
# More lines than this make a hairball (150 bodies sharing Themenfelder are nearly all linked).
TOP_EDGES = 1000
# Beyond this many nodes the names would overlap: only hovering shows them.
LABELLED_NODES = 60

EDGE_COLUMNS = ["source_id", "target_id", "source", "target", "weight", "via"]
NODE_COLUMNS = ["id", "name", "short_name", "label", "kind", "state", "strength"]
PARTNER_COLUMNS = ["partner_id", "partner", "weight", "via"]
EDGE_LABELS = {
    "source": "Organisation A",
    "target": "Organisation B",
    "weight": "Verbindungen",
    "via": "verbunden über",
}
PARTNER_LABELS = {"partner": "Partner", "weight": "Verbindungen", "via": "verbunden über"}

_SEPARATOR = "\n"


@dataclass(frozen=True)
class Network:
    """What the page shows: the nodes and edges drawn, and how many were left out."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    # Organizations with at least one link (without a focus) or partners of the focus.
    total: int
    # The focus organization's links to all its partners (empty without a focus).
    links: pd.DataFrame
    # Links among the shown nodes before the cut to the strongest `TOP_EDGES`.
    edge_total: int = 0


def _valid_on(start: Any, end: Any, on: date | None) -> ColumnElement[bool]:
    """The period [start, end] (open ends allowed) contains `on`; no date: any period."""
    if on is None:
        return sa.true()
    return sa.and_(
        sa.or_(start.is_(None), start <= on),
        sa.or_(end.is_(None), end >= on),
    )


def _organization_filter(
    org: Any, state: FederalState | str | None, org_ids: Collection[int] | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [org.archived.is_(False)]
    if state:
        conditions.append(org.state == FederalState(state))
    if org_ids is not None:
        conditions.append(org.id.in_(list(org_ids)))
    return conditions


def _prefixed(kind: str, name: Any) -> Any:
    return sa.literal(f"{VIA_PREFIX[kind]}: ", sa.String) + name


def _attachments(
    kinds: Collection[str],
    on: date | None,
    state: FederalState | str | None,
    org_ids: Collection[int] | None,
) -> list[sa.Select[Any]]:
    """One SELECT (kind, link_id, label, org_id) per way an organization joins a link."""
    org: Any = aliased(Organization)
    orgs = _organization_filter(org, state, org_ids)
    selects: list[sa.Select[Any]] = []
    if "committee" in kinds:
        committee_valid = [
            col(Committee.archived).is_(False),
            _valid_on(col(Committee.start_date), col(Committee.end_date), on),
        ]
        committee_columns: tuple[Any, ...] = (
            sa.literal("committee", sa.String).label("kind"),
            col(Committee.id).label("link_id"),
            _prefixed("committee", col(Committee.name)).label("label"),
        )
        selects.append(
            sa.select(*committee_columns, col(Membership.on_behalf_of_id).label("org_id"))
            .join(Committee, col(Membership.committee_id) == Committee.id)
            .join(org, col(Membership.on_behalf_of_id) == org.id)
            .where(
                col(Membership.archived).is_(False),
                _valid_on(col(Membership.start_date), col(Membership.end_date), on),
                *committee_valid,
                *orgs,
            )
        )
        selects.append(
            sa.select(*committee_columns, col(Committee.host_organization_id).label("org_id"))
            .join(org, col(Committee.host_organization_id) == org.id)
            .where(*committee_valid, *orgs)
        )
    if "agreement" in kinds:
        selects.append(
            sa.select(
                sa.literal("agreement", sa.String).label("kind"),
                col(Agreement.id).label("link_id"),
                _prefixed("agreement", col(Agreement.title)).label("label"),
                col(AgreementParty.organization_id).label("org_id"),
            )
            .join(Agreement, col(AgreementParty.agreement_id) == Agreement.id)
            .join(org, col(AgreementParty.organization_id) == org.id)
            .where(
                col(AgreementParty.archived).is_(False),
                col(Agreement.archived).is_(False),
                _valid_on(col(Agreement.concluded_on), col(Agreement.ended_on), on),
                *orgs,
            )
        )
    if "topic_field" in kinds:
        selects.append(
            sa.select(
                sa.literal("topic_field", sa.String).label("kind"),
                col(TopicField.id).label("link_id"),
                _prefixed("topic_field", col(TopicField.name)).label("label"),
                col(Participation.organization_id).label("org_id"),
            )
            .join(TopicField, col(Participation.topic_field_id) == TopicField.id)
            .join(org, col(Participation.organization_id) == org.id)
            .where(
                col(Participation.archived).is_(False),
                col(TopicField.archived).is_(False),
                _valid_on(col(Participation.valid_from), col(Participation.valid_to), on),
                *orgs,
            )
        )
    return selects


def _representations(
    kinds: Collection[str],
    on: date | None,
    state: FederalState | str | None,
    org_ids: Collection[int] | None,
) -> sa.Select[Any] | None:
    """(kind, link_id, label, party_id, representative_id) of agreements with a representative."""
    if "agreement" not in kinds:
        return None
    party: Any = aliased(Organization)
    representative: Any = aliased(Organization)
    return (
        sa.select(
            sa.literal("agreement", sa.String).label("kind"),
            col(Agreement.id).label("link_id"),
            _prefixed("agreement", col(Agreement.title)).label("label"),
            col(AgreementParty.organization_id).label("party_id"),
            col(AgreementParty.represented_by_id).label("representative_id"),
        )
        .join(Agreement, col(AgreementParty.agreement_id) == Agreement.id)
        .join(party, col(AgreementParty.organization_id) == party.id)
        .join(representative, col(AgreementParty.represented_by_id) == representative.id)
        .where(
            col(AgreementParty.archived).is_(False),
            col(Agreement.archived).is_(False),
            col(AgreementParty.represented_by_id) != col(AgreementParty.organization_id),
            _valid_on(col(Agreement.concluded_on), col(Agreement.ended_on), on),
            *_organization_filter(party, state, org_ids),
            *_organization_filter(representative, state, org_ids),
        )
    )


def _pairs(
    kinds: Collection[str],
    on: date | None,
    state: FederalState | str | None,
    *,
    org_ids: Collection[int] | None = None,
    around: int | None = None,
) -> sa.Subquery | None:
    """Distinct (kind, link_id, label, source_id, target_id) with source_id < target_id."""
    selects = _attachments(kinds, on, state, org_ids)
    if not selects:
        return None
    attachment = sa.union(*selects).cte("attachment")
    left, right = attachment.alias("left_side"), attachment.alias("right_side")
    low = sa.case((left.c.org_id < right.c.org_id, left.c.org_id), else_=right.c.org_id)
    high = sa.case((left.c.org_id < right.c.org_id, right.c.org_id), else_=left.c.org_id)
    shared = sa.select(
        left.c.kind,
        left.c.link_id,
        left.c.label,
        low.label("source_id"),
        high.label("target_id"),
    ).join(right, sa.and_(left.c.kind == right.c.kind, left.c.link_id == right.c.link_id))
    if around is None:
        shared = shared.where(left.c.org_id < right.c.org_id)
    else:
        shared = shared.where(left.c.org_id == around, right.c.org_id != around)
    pair_selects: list[Any] = [shared]
    represented = _representations(kinds, on, state, org_ids)
    if represented is not None:
        rep = represented.subquery("representation")
        pair = sa.select(
            rep.c.kind,
            rep.c.link_id,
            rep.c.label,
            sa.case(
                (rep.c.party_id < rep.c.representative_id, rep.c.party_id),
                else_=rep.c.representative_id,
            ).label("source_id"),
            sa.case(
                (rep.c.party_id < rep.c.representative_id, rep.c.representative_id),
                else_=rep.c.party_id,
            ).label("target_id"),
        )
        if around is not None:
            pair = pair.where(sa.or_(rep.c.party_id == around, rep.c.representative_id == around))
        pair_selects.append(pair)
    return sa.union(*pair_selects).subquery("pair")


def _via(labels: str | None) -> str:
    """The distinct links of one pair, agreements first, then committees, then Themenfelder."""
    order = {f"{prefix}: ": rank for rank, prefix in enumerate(VIA_PREFIX.values())}

    def key(label: str) -> tuple[int, str]:
        rank = next((r for prefix, r in order.items() if label.startswith(prefix)), len(order))
        return rank, label

    return "; ".join(sorted(set((labels or "").split(_SEPARATOR)) - {""}, key=key))


def network_edges(
    session: Session,
    *,
    kinds: Collection[str],
    on: date | None,
    state: FederalState | str | None = None,
    org_ids: Collection[int] | None = None,
    around: int | None = None,
) -> pd.DataFrame:
    """Linked pairs of organizations: how many links they share (`weight`) and which (`via`).

    `on` keeps memberships, participations, committees and agreements valid on that day
    (None: any time); `org_ids` keeps pairs among those organizations; `around` keeps the
    pairs of one organization.
    """
    pairs = _pairs(kinds, on, state, org_ids=org_ids, around=around)
    if pairs is None:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    grouped = (
        sa.select(
            pairs.c.source_id,
            pairs.c.target_id,
            sa.func.count().label("weight"),
            sa.func.aggregate_strings(pairs.c.label, _SEPARATOR).label("via"),
        )
        .group_by(pairs.c.source_id, pairs.c.target_id)
        .subquery("edge")
    )
    source: Any = aliased(Organization)
    target: Any = aliased(Organization)
    statement = (
        sa.select(
            grouped.c.source_id,
            grouped.c.target_id,
            source.name,
            target.name,
            grouped.c.weight,
            grouped.c.via,
        )
        .join(source, grouped.c.source_id == source.id)
        .join(target, grouped.c.target_id == target.id)
        .order_by(grouped.c.weight.desc(), source.name, target.name)
    )
    rows = [
        {
            "source_id": source_id,
            "target_id": target_id,
            "source": source_name,
            "target": target_name,
            "weight": int(weight),
            "via": _via(via),
        }
        for source_id, target_id, source_name, target_name, weight, via in session.execute(
            statement
        )
    ]
    return pd.DataFrame(rows, columns=EDGE_COLUMNS)


def _strength(
    kinds: Collection[str],
    on: date | None,
    state: FederalState | str | None,
    org_ids: Collection[int] | None,
) -> sa.Subquery | None:
    """(org_id, strength): the number of (link, partner) pairs of each linked organization.

    Counted from the size of each link, without building the pairs, so ranking a whole
    country's organizations stays linear in the number of memberships and participations.
    """
    selects = _attachments(kinds, on, state, org_ids)
    if not selects:
        return None
    attachment = sa.union(*selects).cte("attachment")
    size = (
        sa.select(
            attachment.c.kind,
            attachment.c.link_id,
            (sa.func.count() - 1).label("partners"),
        )
        .group_by(attachment.c.kind, attachment.c.link_id)
        .subquery("link_size")
    )
    contributions: list[Any] = [
        sa.select(attachment.c.org_id, size.c.partners.label("partners")).join(
            size,
            sa.and_(attachment.c.kind == size.c.kind, attachment.c.link_id == size.c.link_id),
        )
    ]
    represented = _representations(kinds, on, state, org_ids)
    if represented is not None:
        rep = represented.subquery("representation")
        one = sa.literal(1, sa.Integer).label("partners")
        contributions.append(sa.select(rep.c.party_id.label("org_id"), one))
        contributions.append(sa.select(rep.c.representative_id.label("org_id"), one))
    every = sa.union_all(*contributions).subquery("contribution")
    total = sa.func.sum(every.c.partners)
    return (
        sa.select(every.c.org_id, total.label("strength"))
        .group_by(every.c.org_id)
        .having(total > 0)
        .subquery("strength")
    )


def network_nodes(
    session: Session,
    *,
    kinds: Collection[str],
    on: date | None,
    state: FederalState | str | None = None,
    org_ids: Collection[int] | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Linked organizations, most connected first (`strength`: links counted per partner)."""
    strength = _strength(kinds, on, state, org_ids)
    if strength is None:
        return pd.DataFrame(columns=NODE_COLUMNS)
    statement = (
        sa.select(
            col(Organization.id),
            col(Organization.name),
            col(Organization.short_name),
            col(Organization.kind),
            col(Organization.state),
            strength.c.strength,
        )
        .join(strength, strength.c.org_id == Organization.id)
        .order_by(strength.c.strength.desc(), col(Organization.name))
        .limit(limit)
    )
    rows = [
        {
            "id": org_id,
            "name": name,
            "short_name": short_name,
            "label": short_name or name,
            "kind": OrganizationKind(kind).label,
            "state": FederalState(org_state).label if org_state else "",
            "strength": int(value),
        }
        for org_id, name, short_name, kind, org_state, value in session.execute(statement)
    ]
    return pd.DataFrame(rows, columns=NODE_COLUMNS)


def connected_count(
    session: Session,
    *,
    kinds: Collection[str],
    on: date | None,
    state: FederalState | str | None = None,
) -> int:
    """How many organizations have at least one link."""
    strength = _strength(kinds, on, state, None)
    if strength is None:
        return 0
    return int(session.execute(sa.select(sa.func.count()).select_from(strength)).scalar_one())


def network(
    session: Session,
    *,
    kinds: Collection[str],
    on: date | None,
    state: FederalState | str | None = None,
    around: int | None = None,
    limit: int = TOP_NODES,
    max_edges: int = TOP_EDGES,
) -> Network:
    """The `limit` most connected organizations and their `max_edges` strongest links, or
    one organization's neighbourhood (itself and its `limit - 1` closest partners) when
    `around` is given; the focus keeps all its own links."""
    if around is None:
        nodes = network_nodes(session, kinds=kinds, on=on, state=state, limit=limit)
        total = connected_count(session, kinds=kinds, on=on, state=state)
        links = pd.DataFrame(columns=PARTNER_COLUMNS)
    else:
        incident = network_edges(session, kinds=kinds, on=on, state=state, around=around)
        links = partners(incident, around)
        total = len(links)
        shown = [around, *links["partner_id"].head(limit - 1)] if total else []
        nodes = network_nodes(session, kinds=kinds, on=on, state=state, org_ids=shown)
    edges = network_edges(
        session, kinds=kinds, on=on, state=state, org_ids=nodes["id"].astype(int).tolist()
    )
    if around is not None:
        edges = neighbourhood(edges, around)
    return Network(
        nodes=nodes,
        edges=_strongest(edges, max_edges, around),
        total=total,
        links=links,
        edge_total=len(edges),
    )


def network_view(
    session: Session,
    *,
    kinds: Collection[str],
    on: date | None,
    state: FederalState | str | None = None,
    around: int | None = None,
    limit: int = TOP_NODES,
) -> tuple[Network, go.Figure | None]:
    """The network and its drawing (None when nothing is linked), so a page caches both:
    laying out and drawing the graph costs as much as querying it."""
    net = network(session, kinds=kinds, on=on, state=state, around=around, limit=limit)
    if net.nodes.empty:
        return net, None
    figure = network_figure(net.nodes, net.edges, layout(net.nodes, net.edges), focus=around)
    return net, figure


def _strongest(edges: pd.DataFrame, count: int, keep: int | None) -> pd.DataFrame:
    """The `count` heaviest edges (those of `keep` first); `edges` come heaviest first."""
    if len(edges) <= count:
        return edges
    if keep is None:
        return edges.head(count).reset_index(drop=True)
    own = edges["source_id"].eq(keep) | edges["target_id"].eq(keep)
    ranked = pd.concat([edges[own], edges[~own]])
    return ranked.head(max(count, int(own.sum()))).reset_index(drop=True)


def neighbourhood(edges: pd.DataFrame, org_id: int) -> pd.DataFrame:
    """The edges among `org_id` and its direct partners: what the page shows for a selection."""
    ends = edges["source_id"].eq(org_id) | edges["target_id"].eq(org_id)
    members = {org_id, *edges.loc[ends, "source_id"], *edges.loc[ends, "target_id"]}
    inside = edges["source_id"].isin(members) & edges["target_id"].isin(members)
    return edges.loc[inside].reset_index(drop=True)


def partners(edges: pd.DataFrame, org_id: int) -> pd.DataFrame:
    """The links of `org_id`: each partner, how many links and which, strongest first."""
    as_source = edges[edges["source_id"].eq(org_id)]
    as_target = edges[edges["target_id"].eq(org_id)]
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "partner_id": as_source["target_id"],
                    "partner": as_source["target"],
                    "weight": as_source["weight"],
                    "via": as_source["via"],
                }
            ),
            pd.DataFrame(
                {
                    "partner_id": as_target["source_id"],
                    "partner": as_target["source"],
                    "weight": as_target["weight"],
                    "via": as_target["via"],
                }
            ),
        ],
        ignore_index=True,
    )
    if frame.empty:
        return pd.DataFrame(columns=PARTNER_COLUMNS)
    frame = frame.sort_values(["weight", "partner"], ascending=[False, True])
    return frame.reset_index(drop=True)[PARTNER_COLUMNS]


def degrees(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.Series:
    """Partners per shown node (its degree in the drawn graph), indexed by organization id."""
    ends = pd.concat([edges["source_id"], edges["target_id"]], ignore_index=True)
    counts = ends.value_counts()
    ids = nodes["id"].astype(int)
    return pd.Series([int(counts.get(i, 0)) for i in ids], index=ids, dtype=int)


def layout(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict[int, tuple[float, float]]:
    """Node positions: a force-directed layout with a fixed seed, so the picture is stable."""
    graph = nx.Graph()
    graph.add_nodes_from(int(i) for i in nodes["id"])
    graph.add_weighted_edges_from(
        (int(s), int(t), float(w))
        for s, t, w in zip(edges["source_id"], edges["target_id"], edges["weight"], strict=True)
    )
    # One layout per connected group, the groups side by side: a single spring layout
    # pushes unconnected groups to the corners and squeezes each into a clump.
    groups = sorted(nx.connected_components(graph), key=lambda g: (-len(g), min(g)))
    sides = [max(1.0, math.sqrt(len(group))) for group in groups]
    row_width = max([math.sqrt(len(graph)) * 1.6, *sides]) if groups else 0.0
    positions: dict[int, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for group, side in zip(groups, sides, strict=True):
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y - row_height, 0.0
        placed = _group_layout(graph.subgraph(group))
        for node, (px, py) in placed.items():
            positions[int(node)] = (x + side / 2 + px * side * 0.4, y - side / 2 + py * side * 0.4)
        x += side
        row_height = max(row_height, side)
    return positions


def _group_layout(graph: nx.Graph) -> dict[Any, Any]:
    """Positions within about [-1, 1] for one connected group."""
    if len(graph) == 1:
        return dict.fromkeys(graph, (0.0, 0.0))
    if len(graph) >= 500:
        # The force method is quadratic and the sparse one needs SciPy; the page shows fewer.
        return nx.circular_layout(graph)
    placed = nx.spring_layout(graph, seed=7, weight=None, method="force")
    return _spread(placed, min(0.3, 1.6 / math.sqrt(len(graph))))


def _spread(placed: dict[Any, Any], distance: float, rounds: int = 60) -> dict[Any, Any]:
    """Push apart nodes closer than `distance`: the members of one committee are all linked
    to each other, and a spring layout piles them (and their names) on one spot."""
    nodes = list(placed)
    points = np.array([placed[node] for node in nodes], dtype=float)
    for _ in range(rounds):
        delta = points[:, None, :] - points[None, :, :]
        gap = np.sqrt((delta**2).sum(axis=-1))
        np.fill_diagonal(gap, 2 * distance)
        close = gap < distance
        if not close.any():
            break
        push = np.where(close, (distance - gap) / 2 / np.maximum(gap, 1e-9), 0.0)
        points += (delta * push[:, :, None]).sum(axis=1)
    return dict(zip(nodes, points, strict=True))


def _padded(values: list[float], share: float) -> list[float] | None:
    """An axis range with room for the names printed beside the outermost nodes."""
    if not values:
        return None
    low, high = min(values), max(values)
    pad = max(high - low, 1.0) * share
    return [low - pad, high + pad]


def _node_size(partners: int, busiest: int) -> float:
    """8 to 28 pixels, growing with the square root of the partners (area ~ partners)."""
    return 8 + 20 * math.sqrt(partners / busiest) if busiest else 8.0


def _edge_hover(source: str, target: str, weight: int, via: str) -> str:
    lines = "<br>".join(html.escape(part) for part in via.split("; "))
    count = "1 Verbindung" if weight == 1 else f"{weight} Verbindungen"
    return f"<b>{html.escape(source)} – {html.escape(target)}</b> ({count})<br>{lines}"


def network_figure(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    positions: Mapping[int, tuple[float, float]],
    *,
    focus: int | None = None,
) -> go.Figure:
    """Nodes coloured by organization kind and sized by partners; hovering a link's middle
    says what connects the two (Plotly cannot hover along a line)."""
    figure = go.Figure()
    for _, group in edges.groupby("weight", sort=True):
        weight = int(group["weight"].iloc[0])
        xs: list[float | None] = []
        ys: list[float | None] = []
        for source_id, target_id in zip(group["source_id"], group["target_id"], strict=True):
            (x0, y0), (x1, y1) = positions[int(source_id)], positions[int(target_id)]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"width": 0.8 + 1.2 * min(weight, 4), "color": "#9e9e9e"},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    if not edges.empty:
        middles = [
            (
                (positions[int(s)][0] + positions[int(t)][0]) / 2,
                (positions[int(s)][1] + positions[int(t)][1]) / 2,
            )
            for s, t in zip(edges["source_id"], edges["target_id"], strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=[x for x, _ in middles],
                y=[y for _, y in middles],
                mode="markers",
                marker={"size": 12, "color": "#9e9e9e", "opacity": 0},
                customdata=[
                    ["edge", int(s), int(t)]
                    for s, t in zip(edges["source_id"], edges["target_id"], strict=True)
                ],
                hovertext=[
                    _edge_hover(s, t, int(w), v)
                    for s, t, w, v in zip(
                        edges["source"], edges["target"], edges["weight"], edges["via"], strict=True
                    )
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                name="Verbindung",
                showlegend=False,
            )
        )
    degree = degrees(nodes, edges)
    busiest = int(degree.max()) if len(degree) else 0
    labelled = len(nodes) <= LABELLED_NODES
    for kind, group in nodes.groupby("kind", sort=False):
        ids = group["id"].astype(int).tolist()
        sizes = [_node_size(degree[i], busiest) for i in ids]
        figure.add_trace(
            go.Scatter(
                x=[positions[i][0] for i in ids],
                y=[positions[i][1] for i in ids],
                mode="markers+text" if labelled else "markers",
                text=group["label"].tolist(),
                textposition="top center",
                textfont={"size": 11},
                # A long name beside an outer node may reach into the margin, not be cut off.
                cliponaxis=False,
                marker={
                    "size": sizes,
                    "color": ORGANIZATION_KIND_COLORS.get(str(kind), "#a6a6a6"),
                    "line": {"width": 1, "color": "#ffffff"},
                },
                customdata=[
                    ["org", i, html.escape(name), html.escape(", ".join(filter(None, [k, s]))), d]
                    for i, name, k, s, d in zip(
                        ids,
                        group["name"],
                        group["kind"],
                        group["state"],
                        [degree[i] for i in ids],
                        strict=True,
                    )
                ],
                hovertemplate=(
                    "<b>%{customdata[2]}</b><br>%{customdata[3]}<br>"
                    "Partner: %{customdata[4]}<extra></extra>"
                ),
                name=str(kind),
            )
        )
    if focus is not None and focus in positions:
        # A red ring around the selected organization, over its node.
        figure.add_trace(
            go.Scatter(
                x=[positions[focus][0]],
                y=[positions[focus][1]],
                mode="markers",
                marker={
                    "symbol": "circle-open",
                    "size": _node_size(degree.get(focus, 0), busiest) + 8,
                    "color": "#d62728",
                    "line": {"width": 3},
                },
                hoverinfo="skip",
                name="Auswahl",
            )
        )
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    figure.update_xaxes(**hidden, range=_padded([x for x, _ in positions.values()], 0.12))
    figure.update_yaxes(**hidden, range=_padded([y for _, y in positions.values()], 0.06))
    style(figure, height=620)
    # The legend below the graph, clear of Plotly's toolbar.
    figure.update_layout(
        legend={"title_text": "Art der Organisation", "y": -0.02, "yanchor": "top"},
        hovermode="closest",
    )
    return figure


def selected_organizations(points: Iterable[Mapping[str, Any]]) -> list[int]:
    """The organizations among the chart points the user clicked or lassoed."""
    chosen: list[int] = []
    for point in points:
        data = point.get("customdata") or []
        if len(data) >= 2 and data[0] == "org" and int(data[1]) not in chosen:
            chosen.append(int(data[1]))
    return chosen


def selected_edges(edges: pd.DataFrame, points: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The links the selection touches: picked link midpoints and every link of picked nodes."""
    pairs: set[tuple[int, int]] = set()
    orgs: set[int] = set()
    for point in points:
        data = point.get("customdata") or []
        if len(data) >= 3 and data[0] == "edge":
            pairs.add((int(data[1]), int(data[2])))
        elif len(data) >= 2 and data[0] == "org":
            orgs.add(int(data[1]))
    keys = list(zip(edges["source_id"].astype(int), edges["target_id"].astype(int), strict=True))
    picked = [pair in pairs or pair[0] in orgs or pair[1] in orgs for pair in keys]
    return edges.loc[picked].reset_index(drop=True)


def organization_name(session: Session, org_id: int) -> str | None:
    """The name of an active organization, None when there is none with this id."""
    org = session.get(Organization, org_id)
    return org.name if org is not None and not org.archived else None
