"""Who takes part in which Themenfeld, and how involved each body is: queries and figures.

Every count is made by the database (GROUP BY, COUNT, window functions); Python only
shapes the already aggregated rows into figures. With a whole country's organizations the
matrix folds into organization kinds or Länder, and the sunburst keeps the top organizations
per kind and folds the rest into "Sonstige (zusammengefasst)".
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import sqlalchemy as sa
from sqlalchemy import and_, distinct, func, or_
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
from models.enums import (
    AgreementState,
    FederalState,
    MembershipRole,
    OrganizationKind,
    ParticipationRole,
)
from services.chart_style import (
    ORGANIZATION_KIND_COLORS,
    PARTICIPATION_ROLE_COLORS,
    PARTICIPATION_ROLE_ORDER,
    style,
)
from services.paging import Page, fetch_page
from services.periods import format_date
from services.write import get_row

# Bodies without a Bundesland (Bundesressorts, federal associations) sit here in every chart.
FEDERAL = "Bund/überregional"
FEDERAL_KEY = "bund"
FOLDED = "Sonstige (zusammengefasst)"
# Above this many organizations the matrix shows kinds or Länder instead of organizations.
MATRIX_ROW_LIMIT = 40
# A Themenfeld's timeline shows this many participations, strongest roles first.
TIMELINE_ROWS = 40
TOP_N = 10

Level = Literal["organization", "kind", "state"]
Measure = Literal["participations", "seats", "agreements"]
ChartKind = Literal["sunburst", "treemap"]
MEASURES: dict[Measure, str] = {
    "participations": "Beteiligungen an Themenfeldern",
    "seats": "Sitze in Gremien",
    "agreements": "Vereinbarungen (als Partei)",
}
# What the numbers count, as a column header and in hovers.
MEASURE_UNITS: dict[Measure, str] = {
    "participations": "Beteiligungen",
    "seats": "Sitze",
    "agreements": "Vereinbarungen",
}
# Who holds a seat: the Geschäftsstelle, Schriftführung, guests and deputies do not.
SEAT_ROLES = (
    MembershipRole.CHAIR,
    MembershipRole.DEPUTY_CHAIR,
    MembershipRole.MEMBER,
    MembershipRole.ADVISORY,
)
LEAD_ROLES = (ParticipationRole.LEAD, ParticipationRole.CO_LEAD)
ROLE_RANK = {role: rank for rank, role in enumerate(ParticipationRole, start=1)}
RANK_ROLE = {rank: role for role, rank in ROLE_RANK.items()}
KIND_ORDER = [kind.label for kind in OrganizationKind]
STATE_ORDER = [FEDERAL, *(state.label for state in FederalState)]

MATRIX_COLUMNS = [
    "level",
    "row_key",
    "row",
    "name",
    "kind",
    "state",
    "topic_field_id",
    "topic_field_number",
    "topic_field",
    "role",
    "rank",
    "valid_from",
    "valid_to",
    "count",
]
BY_KIND_COLUMNS = [
    "topic_field_id",
    "topic_field_number",
    "topic_field",
    "kind_key",
    "kind",
    "participants",
]
RECORD_COLUMNS = [
    "id",
    "organization_id",
    "organization",
    "label",
    "kind",
    "state",
    "topic_field_id",
    "topic_field",
    "role",
    "valid_from",
    "valid_to",
    "note",
    "source",
]
INVOLVEMENT_COLUMNS = [
    "state_key",
    "state",
    "kind_key",
    "kind",
    "organization_id",
    "organization",
    "label",
    "value",
    "organizations",
]
SECTOR_COLUMNS = ["organization_id", "organization", "kind", "state", "value"]


@dataclass(frozen=True)
class Cell:
    """A selected matrix cell or bar segment: a row of the matrix within one Themenfeld."""

    level: Level
    key: str
    topic_field_id: int


@dataclass(frozen=True)
class Sector:
    """A selected sector of the sunburst/treemap: a Land, a kind in it, or one organization."""

    state_key: str
    kind_key: str | None = None
    organization_id: int | None = None
    folded: bool = False


# --- shared SQL pieces -----------------------------------------------------------------


def _valid_on(start: Any, end: Any, day: date | None) -> ColumnElement[bool]:
    """The period [start, end] (None = open) contains `day`; no day: always."""
    if day is None:
        return sa.true()
    return and_(or_(start.is_(None), start <= day), or_(end.is_(None), end >= day))


def _role_rank() -> ColumnElement[int]:
    """1 for federführend … 6 for beteiligt: MIN over it picks the strongest role."""
    return sa.case(
        *[(col(Participation.role) == role, rank) for role, rank in ROLE_RANK.items()],
        else_=len(ROLE_RANK) + 1,
    )


def _state_condition(states: Sequence[FederalState | None]) -> ColumnElement[bool]:
    """Organizations in one of `states`; None stands for "Bund/überregional" (no Land)."""
    codes = [state for state in states if state is not None]
    conditions: list[ColumnElement[bool]] = []
    if codes:
        conditions.append(col(Organization.state).in_(codes))
    if any(state is None for state in states):
        conditions.append(col(Organization.state).is_(None))
    return or_(*conditions)


def _participation_where(
    *,
    states: Sequence[FederalState | None] | None,
    kinds: Sequence[OrganizationKind] | None,
    roles: Sequence[ParticipationRole] | None,
    on: date | None,
) -> list[ColumnElement[bool]]:
    """Active participations of active organizations in active Themenfelder under the filters."""
    where = [
        col(Participation.archived).is_(False),
        col(Organization.archived).is_(False),
        col(TopicField.archived).is_(False),
        _valid_on(col(Participation.valid_from), col(Participation.valid_to), on),
    ]
    if states:
        where.append(_state_condition(states))
    if kinds:
        where.append(col(Organization.kind).in_(list(kinds)))
    if roles:
        where.append(col(Participation.role).in_(list(roles)))
    return where


def _participations_joined(*columns: Any) -> sa.Select[Any]:
    return (
        sa.select(*columns)
        .select_from(Participation)
        .join(Organization, col(Participation.organization_id) == Organization.id)
        .join(TopicField, col(Participation.topic_field_id) == TopicField.id)
    )


LABEL_MAX = 40


def _short_label() -> ColumnElement[str]:
    """What charts write on an organization: its short name, else its name."""
    return func.coalesce(func.nullif(col(Organization.short_name), ""), col(Organization.name))


def _fit(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def state_key(state: FederalState | None) -> str:
    """The key of a Land in charts and selections ("bund" for bodies without a Land)."""
    return state.value if state is not None else FEDERAL_KEY


def state_label(state: FederalState | None) -> str:
    return state.label if state is not None else FEDERAL


def state_from_key(key: str) -> FederalState | None:
    """The Land behind a chart key; None for "Bund/überregional"."""
    return None if key == FEDERAL_KEY else FederalState(key)


def state_choices() -> dict[str, str]:
    """Filter options for Bundesland: "Bund/überregional" first, then the 16 Länder."""
    return {FEDERAL_KEY: FEDERAL, **FederalState.labels()}


# --- Themenfelder --------------------------------------------------------------------


def topic_field_names(session: Session) -> list[str]:
    """Names of the active Themenfelder in catalogue order: the matrix's columns."""
    statement = (
        sa.select(col(TopicField.name))
        .where(col(TopicField.archived).is_(False))
        .order_by(col(TopicField.number))
    )
    return [str(name) for name in session.execute(statement).scalars()]


def topic_field_overview(session: Session, *, on: date | None) -> pd.DataFrame:
    """Each Themenfeld with its leads and number of participants on the reference date."""
    leads = (
        _participations_joined(
            col(Participation.topic_field_id).label("topic_field_id"),
            func.aggregate_strings(col(Organization.name), "; ").label("leads"),
        )
        .where(
            *_participation_where(states=None, kinds=None, roles=LEAD_ROLES, on=on),
        )
        .group_by(col(Participation.topic_field_id))
        .subquery()
    )
    counts = (
        _participations_joined(
            col(Participation.topic_field_id).label("topic_field_id"),
            func.count(distinct(col(Organization.id))).label("participants"),
        )
        .where(*_participation_where(states=None, kinds=None, roles=None, on=on))
        .group_by(col(Participation.topic_field_id))
        .subquery()
    )
    statement = (
        sa.select(
            col(TopicField.id),
            col(TopicField.number),
            col(TopicField.name),
            leads.c.leads,
            func.coalesce(counts.c.participants, 0),
        )
        .outerjoin(leads, leads.c.topic_field_id == TopicField.id)
        .outerjoin(counts, counts.c.topic_field_id == TopicField.id)
        .where(col(TopicField.archived).is_(False))
        .order_by(col(TopicField.number))
    )
    return pd.DataFrame(
        [tuple(row) for row in session.execute(statement)],
        columns=["id", "number", "name", "leads", "participants"],
    )


def topic_field_detail(session: Session, topic_field_id: int) -> dict[str, Any]:
    """One Themenfeld's number, name, description and source (NotFoundError if unknown)."""
    field = get_row(session, TopicField, topic_field_id)
    return {
        "id": field.id,
        "number": field.number,
        "name": field.name,
        "description": field.description,
        "source": field.source,
        "archived": field.archived,
    }


def participation_matrix(
    session: Session,
    *,
    states: Sequence[FederalState | None] | None = None,
    kinds: Sequence[OrganizationKind] | None = None,
    roles: Sequence[ParticipationRole] | None = None,
    on: date | None = None,
    by: Literal["kind", "state"] = "kind",
    limit: int = MATRIX_ROW_LIMIT,
) -> pd.DataFrame:
    """Organizations × Themenfelder with each organization's strongest role in the field.

    Up to `limit` organizations, one row each (level "organization"). Above that the rows
    become organization kinds (or Länder, `by`) with the number of participating
    organizations per field; when the filters leave a single kind and Land, the `limit`
    organizations with the strongest roles. `attrs` carry "level", "organizations" (how many
    organizations match) and "truncated".
    """
    where = _participation_where(states=states, kinds=kinds, roles=roles, on=on)
    # One pass over the participations: organizations per `by` group and field, and one
    # row without a field with the number of organizations overall.
    organizations, cells = _cell_counts(session, where, by)
    level: Level = "organization"
    truncated = False
    if organizations > limit:
        # Bodies without a Land count as one more group, like "Bund/überregional".
        if len({value for value, *_ in cells}) > 1:
            level = by
        else:
            other: Literal["kind", "state"] = "state" if by == "kind" else "kind"
            _, cells = _cell_counts(session, where, other)
            if len({value for value, *_ in cells}) > 1:
                level = other
            else:
                truncated = True
    if level == "organization":
        frame = _organization_rows(session, where, limit if truncated else None)
    else:
        frame = _group_rows(cells, level)
    frame.attrs.update(level=level, organizations=organizations, truncated=truncated)
    return frame


# (kind or Land, Themenfeld id, number, name, participating organizations)
CellCount = tuple[Any, int, int, str, int]


def _cell_counts(
    session: Session, where: list[ColumnElement[bool]], level: Literal["kind", "state"]
) -> tuple[int, list[CellCount]]:
    """How many organizations match, and per group and field how many participate."""
    group = col(Organization.kind) if level == "kind" else col(Organization.state)
    matching = (
        _participations_joined(
            col(Organization.id).label("organization_id"),
            group.label("value"),
            col(TopicField.id).label("field_id"),
        )
        .where(*where)
        .cte("matching")
    )
    organizations = func.count(distinct(matching.c.organization_id)).label("organizations")
    grouped = sa.union_all(
        sa.select(matching.c.value, matching.c.field_id, organizations).group_by(
            matching.c.value, matching.c.field_id
        ),
        # The CTE is read twice but computed once: the overall count costs no second scan.
        sa.select(
            sa.null().label("value"),
            sa.null().label("field_id"),
            func.count(distinct(matching.c.organization_id)).label("organizations"),
        ),
    ).subquery("cells")
    statement = (
        sa.select(
            grouped.c.value,
            grouped.c.field_id,
            col(TopicField.number),
            col(TopicField.name),
            grouped.c.organizations,
        )
        .select_from(grouped)
        .outerjoin(TopicField, col(TopicField.id) == grouped.c.field_id)
        .order_by(grouped.c.value, grouped.c.field_id)
    )
    total, cells = 0, []
    for value, field_id, number, name, count in session.execute(statement):
        if field_id is None:
            total = int(count or 0)
        else:
            cells.append((value, int(field_id), int(number), str(name), int(count)))
    return total, cells


def _organization_rows(
    session: Session, where: list[ColumnElement[bool]], limit: int | None
) -> pd.DataFrame:
    rank = func.min(_role_rank())
    statement = (
        _participations_joined(
            col(Organization.id),
            col(Organization.name),
            _short_label(),
            col(Organization.kind),
            col(Organization.state),
            col(TopicField.id),
            col(TopicField.number),
            col(TopicField.name),
            rank,
            # On a reference date an organization has one participation per field (they may
            # not overlap), so these are that participation's dates.
            func.min(col(Participation.valid_from)),
            func.max(col(Participation.valid_to)),
        )
        .where(*where)
        .group_by(
            col(Organization.id),
            col(Organization.name),
            col(Organization.short_name),
            col(Organization.kind),
            col(Organization.state),
            col(TopicField.id),
            col(TopicField.number),
            col(TopicField.name),
        )
    )
    if limit is not None:
        strongest = (
            _participations_joined(col(Organization.id))
            .where(*where)
            .group_by(col(Organization.id), col(Organization.name))
            .order_by(
                func.min(_role_rank()),
                func.count(distinct(col(Participation.topic_field_id))).desc(),
                col(Organization.name),
            )
            .limit(limit)
        )
        statement = statement.where(col(Organization.id).in_(strongest.scalar_subquery()))
    rows = [
        {
            "level": "organization",
            "row_key": str(org_id),
            "row": _fit(label),
            "name": name,
            "kind": kind.label,
            "state": state_label(state),
            "topic_field_id": field_id,
            "topic_field_number": number,
            "topic_field": field_name,
            "role": RANK_ROLE[int(best)].label,
            "rank": int(best),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "count": 1,
        }
        for (
            org_id,
            name,
            label,
            kind,
            state,
            field_id,
            number,
            field_name,
            best,
            valid_from,
            valid_to,
        ) in session.execute(statement)
    ]
    frame = pd.DataFrame(rows, columns=MATRIX_COLUMNS)
    return _unique_row_labels(frame)


def _unique_row_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Two organizations of the same name would share a heatmap row: add their Land or id."""
    if frame.empty:
        return frame
    names = frame.drop_duplicates("row_key").groupby("row")["row_key"].nunique()
    clashes = set(names[names > 1].index)
    if clashes:
        clash = frame["row"].isin(clashes)
        frame.loc[clash, "row"] = (
            (frame.loc[clash, "row"] + " (" + frame.loc[clash, "state"] + ", Nr. ")
            + frame.loc[clash, "row_key"].astype(str)
            + ")"
        )
    return frame


def _group_rows(cells: list[CellCount], level: Literal["kind", "state"]) -> pd.DataFrame:
    if level == "kind":
        row_keys = [value.value for value, *_ in cells]
        labels = [value.label for value, *_ in cells]
        kinds, states = labels, [""] * len(cells)
    else:
        row_keys = [state_key(value) for value, *_ in cells]
        labels = [state_label(value) for value, *_ in cells]
        kinds, states = [""] * len(cells), labels
    empty = [None] * len(cells)
    columns = {
        "level": [level] * len(cells),
        "row_key": row_keys,
        "row": labels,
        "name": labels,
        "kind": kinds,
        "state": states,
        "topic_field_id": [cell[1] for cell in cells],
        "topic_field_number": [cell[2] for cell in cells],
        "topic_field": [cell[3] for cell in cells],
        "role": empty,
        "rank": empty,
        "valid_from": empty,
        "valid_to": empty,
        "count": [cell[4] for cell in cells],
    }
    return pd.DataFrame(columns, columns=MATRIX_COLUMNS)


def _period_words(valid_from: Any, valid_to: Any) -> str:
    start, end = _as_date(valid_from), _as_date(valid_to)
    if start and end:
        return f" ({format_date(start)} bis {format_date(end)})"
    if start:
        return f" (seit {format_date(start)})"
    if end:
        return f" (bis {format_date(end)})"
    return ""


def _as_date(value: Any) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    return value if isinstance(value, date) else pd.Timestamp(value).date()


def _row_order(frame: pd.DataFrame) -> list[str]:
    """Matrix rows: kinds and Länder in their fixed order, organizations by kind then name."""
    level = frame["level"].iloc[0]
    rows = frame.drop_duplicates("row_key")
    if level == "kind":
        return sorted(rows["row"], key=KIND_ORDER.index)
    if level == "state":
        return sorted(rows["row"], key=STATE_ORDER.index)
    ordered = rows.assign(kind_order=rows["kind"].map(KIND_ORDER.index)).sort_values(
        ["kind_order", "row"]
    )
    return list(ordered["row"])


def matrix_row_options(frame: pd.DataFrame) -> dict[str, str]:
    """The matrix rows (key → label) in the order the heatmap shows them: drill-down choices."""
    if frame.empty:
        return {}
    labels = dict(zip(frame["row"], frame["row_key"].astype(str), strict=True))
    return {labels[row]: row for row in _row_order(frame)}


def matrix_figure(frame: pd.DataFrame, *, fields: Sequence[str] | None = None) -> go.Figure:
    """Heatmap rows × Themenfelder: role colours per organization, counts per kind or Land.

    A transparent marker on each filled cell carries the cell's key, so clicking or lassoing
    cells selects them (Plotly cannot select heatmap cells themselves).
    """
    figure = go.Figure()
    if frame.empty:
        return style(figure, height=300)
    level = str(frame["level"].iloc[0])
    rows = _row_order(frame)
    columns = list(fields) if fields else list(dict.fromkeys(frame["topic_field"]))
    by_role = level == "organization"
    value = "rank" if by_role else "count"
    grid = frame.pivot_table(index="row", columns="topic_field", values=value, aggfunc="min")
    grid = grid.reindex(index=rows, columns=columns)
    if by_role:
        hover = frame["name"] + " – " + frame["topic_field"] + ": " + frame["role"].astype(str)
        hover += [
            _period_words(start, end)
            for start, end in zip(frame["valid_from"], frame["valid_to"], strict=True)
        ]
    else:
        noun = {"kind": "Art", "state": "Bundesland"}[level]
        hover = (
            frame["row"]
            + " – "
            + frame["topic_field"]
            + ": "
            + frame["count"].astype(str)
            + " Organisation(en) ("
            + noun
            + ")"
        )
    roles = PARTICIPATION_ROLE_ORDER
    if by_role:
        steps = len(roles)
        colorscale = []
        for index, role in enumerate(roles):
            colour = PARTICIPATION_ROLE_COLORS[role]
            colorscale += [[index / steps, colour], [(index + 1) / steps, colour]]
        heatmap = go.Heatmap(
            z=grid.to_numpy(dtype=float),
            x=columns,
            y=rows,
            zmin=0.5,
            zmax=steps + 0.5,
            colorscale=colorscale,
            colorbar={
                "title": {"text": "Rolle"},
                "tickvals": list(range(1, steps + 1)),
                "ticktext": roles,
            },
            xgap=2,
            ygap=2,
            hoverinfo="skip",
        )
    else:
        heatmap = go.Heatmap(
            z=grid.to_numpy(dtype=float),
            x=columns,
            y=rows,
            colorscale="Blues",
            zmin=0,
            colorbar={"title": {"text": "Organisationen"}},
            texttemplate="%{z}",
            xgap=2,
            ygap=2,
            hoverinfo="skip",
        )
    figure.add_trace(heatmap)
    figure.add_trace(
        go.Scatter(
            x=frame["topic_field"],
            y=frame["row"],
            mode="markers",
            marker={"symbol": "square-open", "size": 16, "color": "#000000", "opacity": 0},
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 0}},
            customdata=list(
                zip(frame["level"], frame["row_key"], frame["topic_field_id"], strict=True)
            ),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    figure.update_xaxes(
        categoryorder="array",
        categoryarray=columns,
        side="top",
        tickangle=-35,
        showgrid=False,
        automargin=True,
    )
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=rows,
        autorange="reversed",
        showgrid=False,
        automargin=True,
    )
    style(figure, height=min(1100, 190 + 24 * len(rows)))
    figure.update_layout(margin={"t": 150})
    return figure


def cells_from_points(points: Iterable[Mapping[str, Any]]) -> list[Cell]:
    """The matrix cells or bar segments behind selected chart points (from their customdata)."""
    cells: list[Cell] = []
    for point in points:
        data = point.get("customdata")
        if not isinstance(data, list | tuple) or len(data) < 3:
            continue
        level, key, field_id = data[0], data[1], data[2]
        if level in ("organization", "kind", "state") and field_id is not None:
            cell = Cell(level, str(key), int(field_id))
            if cell not in cells:
                cells.append(cell)
    return cells


def _cell_condition(cell: Cell) -> ColumnElement[bool]:
    if cell.level == "organization":
        row: ColumnElement[bool] = col(Organization.id) == int(cell.key)
    elif cell.level == "kind":
        row = col(Organization.kind) == OrganizationKind(cell.key)
    else:
        state = state_from_key(cell.key)
        row = (
            col(Organization.state).is_(None) if state is None else col(Organization.state) == state
        )
    return and_(row, col(Participation.topic_field_id) == cell.topic_field_id)


def participation_records(
    session: Session,
    *,
    on: date | None = None,
    states: Sequence[FederalState | None] | None = None,
    kinds: Sequence[OrganizationKind] | None = None,
    roles: Sequence[ParticipationRole] | None = None,
    cells: Sequence[Cell] = (),
    topic_field_id: int | None = None,
    ids: Sequence[int] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """The participation records behind selected cells or bars, under the page's filters."""
    statement = _participations_joined(
        Participation,
        col(Organization.name),
        _short_label(),
        col(Organization.kind),
        col(Organization.state),
        col(TopicField.name),
    )
    statement = statement.where(
        *_participation_where(states=states, kinds=kinds, roles=roles, on=on)
    )
    if cells:
        statement = statement.where(or_(*[_cell_condition(cell) for cell in cells]))
    if topic_field_id is not None:
        statement = statement.where(col(Participation.topic_field_id) == topic_field_id)
    if ids is not None:
        statement = statement.where(col(Participation.id).in_(list(ids)))
    statement = statement.order_by(
        col(TopicField.number),
        _role_rank(),
        col(Organization.name),
        col(Participation.valid_from),
        col(Participation.id),
    )

    def to_row(row: Any) -> dict[str, Any]:
        participation, name, label, kind, state, field_name = row
        return {
            "id": participation.id,
            "organization_id": participation.organization_id,
            "organization": name,
            "label": _fit(label),
            "kind": kind.label,
            "state": state_label(state),
            "topic_field_id": participation.topic_field_id,
            "topic_field": field_name,
            "role": participation.role.label,
            "valid_from": participation.valid_from,
            "valid_to": participation.valid_to,
            "note": participation.note,
            "source": participation.source,
        }

    return fetch_page(session, statement, to_row, RECORD_COLUMNS, limit=limit, offset=offset)


def participants_by_kind(
    session: Session,
    *,
    on: date | None = None,
    states: Sequence[FederalState | None] | None = None,
    roles: Sequence[ParticipationRole] | None = None,
    kinds: Sequence[OrganizationKind] | None = None,
) -> pd.DataFrame:
    """Per Themenfeld and organization kind: how many organizations take part."""
    statement = (
        _participations_joined(
            col(TopicField.id),
            col(TopicField.number),
            col(TopicField.name),
            col(Organization.kind),
            func.count(distinct(col(Organization.id))),
        )
        .where(*_participation_where(states=states, kinds=kinds, roles=roles, on=on))
        .group_by(
            col(TopicField.id), col(TopicField.number), col(TopicField.name), col(Organization.kind)
        )
        .order_by(col(TopicField.number), col(Organization.kind))
    )
    rows = [
        (field_id, number, name, kind.value, kind.label, int(count))
        for field_id, number, name, kind, count in session.execute(statement)
    ]
    return pd.DataFrame(rows, columns=BY_KIND_COLUMNS)


def participants_figure(frame: pd.DataFrame, *, fields: Sequence[str] | None = None) -> go.Figure:
    """Horizontal bars per Themenfeld, stacked by organization kind in the kind colours."""
    figure = go.Figure()
    columns = list(fields) if fields else list(dict.fromkeys(frame["topic_field"]))
    present = set(frame["kind"])
    for kind in KIND_ORDER:
        if kind not in present:
            continue
        part = frame[frame["kind"] == kind]
        figure.add_trace(
            go.Bar(
                x=part["participants"],
                y=part["topic_field"],
                name=kind,
                orientation="h",
                marker={"color": ORGANIZATION_KIND_COLORS[kind]},
                customdata=[
                    ("kind", key, field_id)
                    for key, field_id in zip(part["kind_key"], part["topic_field_id"], strict=True)
                ],
                hovertemplate=f"%{{y}}<br>{kind}: %{{x}} Organisation(en)<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(
        categoryorder="array", categoryarray=columns, autorange="reversed", automargin=True
    )
    figure.update_xaxes(title={"text": "beteiligte Organisationen"}, tickformat="d")
    return style(figure, height=max(320, 120 + 26 * len(columns)))


def topic_field_participations(
    session: Session, topic_field_id: int, *, limit: int = TIMELINE_ROWS, offset: int = 0
) -> Page:
    """A Themenfeld's active participations over all time, strongest roles first."""
    return participation_records(session, topic_field_id=topic_field_id, limit=limit, offset=offset)


def participation_timeline(
    frame: pd.DataFrame, *, today: date | None = None, horizon: date | None = None
) -> go.Figure:
    """Gantt bars of participations from valid_from to valid_to, coloured by role.

    Open ends run to `horizon` (default: today), open beginnings from the chart's left edge;
    both are marked with an arrow and "offen" in the hover.
    """
    today = today or date.today()
    figure = go.Figure()
    if frame.empty:
        return style(figure, height=300)
    known = [
        day
        for day in (*map(_as_date, frame["valid_from"]), *map(_as_date, frame["valid_to"]))
        if day
    ]
    right = max([horizon or today, *known])
    earliest = min([today, *known])
    left = date(min(earliest.year, today.year - 3), 1, 1)
    shown = frame.assign(
        note=frame["note"].astype(object).where(frame["note"].notna(), ""),
        start=[_as_date(day) or left for day in frame["valid_from"]],
        end=[(_as_date(day) or right) + timedelta(days=1) for day in frame["valid_to"]],
        open_start=frame["valid_from"].isna(),
        open_end=frame["valid_to"].isna(),
        period=[
            f"von: {format_date(_as_date(start)) or 'offen'} · "
            f"bis: {format_date(_as_date(end)) or 'offen'}"
            for start, end in zip(frame["valid_from"], frame["valid_to"], strict=True)
        ],
    )
    shown["start"] = pd.to_datetime(shown["start"])
    shown["end"] = pd.to_datetime(shown["end"])
    rows = list(dict.fromkeys(shown["label"]))
    figure = px.timeline(
        shown,
        x_start="start",
        x_end="end",
        y="label",
        color="role",
        color_discrete_map=PARTICIPATION_ROLE_COLORS,
        category_orders={"role": PARTICIPATION_ROLE_ORDER, "label": rows},
        custom_data=["id", "period", "note", "organization"],
        labels={"role": "Rolle", "label": "Organisation"},
    )
    figure.update_traces(
        hovertemplate="<b>%{customdata[3]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
        "<extra></extra>"
    )
    for flag, edge, symbol, name in (
        ("open_start", pd.Timestamp(left), "triangle-left", "Beginn offen"),
        ("open_end", pd.Timestamp(right) + pd.Timedelta(days=1), "triangle-right", "Ende offen"),
    ):
        marked = shown[shown[flag]]
        if marked.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=[edge] * len(marked),
                y=marked["label"],
                mode="markers",
                name=name,
                marker={"symbol": symbol, "size": 11, "color": "#595959"},
                hovertemplate=f"%{{y}}: {name}<extra></extra>",
            )
        )
    figure.add_vline(x=today.isoformat(), line_dash="dot", line_color="#595959")
    figure.update_yaxes(title=None, autorange="reversed", automargin=True)
    figure.update_xaxes(title=None, tickformat="%d.%m.%Y")
    return style(figure, height=max(260, 140 + 24 * len(rows)))


# --- Beteiligung: involvement per organization ---------------------------------------


def _per_organization(organization_id: Any, value: Any) -> sa.Select[Any]:
    """`value` grouped by `organization_id`, under the column names _ranked reads."""
    return sa.select(organization_id.label("organization_id"), value.label("value")).group_by(
        organization_id
    )


def _measure_counts(measure: Measure, on: date | None) -> sa.Subquery:
    """(organization_id, value) for one measure, counted by the database."""
    statement: sa.Select[*tuple[Any, ...]]
    if measure == "participations":
        statement = (
            _per_organization(col(Participation.organization_id), func.count(col(Participation.id)))
            .join(TopicField, col(Participation.topic_field_id) == TopicField.id)
            .where(
                col(Participation.archived).is_(False),
                col(TopicField.archived).is_(False),
                _valid_on(col(Participation.valid_from), col(Participation.valid_to), on),
            )
        )
    elif measure == "seats":
        statement = (
            _per_organization(col(Membership.on_behalf_of_id), func.count(col(Membership.id)))
            .join(Committee, col(Membership.committee_id) == Committee.id)
            .where(
                col(Membership.on_behalf_of_id).is_not(None),
                col(Membership.archived).is_(False),
                col(Committee.archived).is_(False),
                col(Membership.role).in_(SEAT_ROLES),
                _valid_on(col(Membership.start_date), col(Membership.end_date), on),
                _valid_on(col(Committee.start_date), col(Committee.end_date), on),
            )
        )
    elif measure == "agreements":
        statement = (
            _per_organization(
                col(AgreementParty.organization_id),
                func.count(distinct(col(AgreementParty.agreement_id))),
            )
            .join(Agreement, col(AgreementParty.agreement_id) == Agreement.id)
            .where(
                col(AgreementParty.archived).is_(False),
                col(Agreement.archived).is_(False),
                col(Agreement.state) != AgreementState.FAILED,
                _valid_on(col(Agreement.concluded_on), col(Agreement.ended_on), on),
            )
        )
    else:
        raise ValueError(f"unknown measure {measure!r}")
    return statement.subquery("counts")


def _ranked(
    measure: Measure, on: date | None, states: Sequence[FederalState | None] | None
) -> sa.Subquery:
    """Organizations with their value and their rank within their Land and kind."""
    counts = _measure_counts(measure, on)
    statement = (
        sa.select(
            col(Organization.id).label("id"),
            col(Organization.name).label("name"),
            _short_label().label("short"),
            col(Organization.kind).label("kind"),
            col(Organization.state).label("state"),
            counts.c.value,
            func.row_number()
            .over(
                partition_by=(col(Organization.state), col(Organization.kind)),
                order_by=(counts.c.value.desc(), col(Organization.name), col(Organization.id)),
            )
            .label("position"),
        )
        .join(counts, counts.c.organization_id == Organization.id)
        .where(col(Organization.archived).is_(False), counts.c.value > 0)
    )
    if states:
        statement = statement.where(_state_condition(states))
    return statement.subquery("ranked")


def involvement(
    session: Session,
    *,
    measure: Measure,
    on: date | None = None,
    states: Sequence[FederalState | None] | None = None,
    top: int = TOP_N,
) -> pd.DataFrame:
    """Bundesland → kind → organization with the measure's value per organization.

    Within each Land and kind the `top` organizations keep their own row; the others are
    folded into one "Sonstige (zusammengefasst)" row (`organizations` says how many).
    """
    ranked = _ranked(measure, on, states)
    kept = ranked.c.position <= top
    folded = sa.select(
        ranked.c.state,
        ranked.c.kind,
        sa.case((kept, ranked.c.id), else_=None).label("organization_id"),
        sa.case((kept, ranked.c.name), else_=sa.literal(FOLDED)).label("organization"),
        sa.case((kept, ranked.c.short), else_=sa.literal(FOLDED)).label("label"),
        ranked.c.value,
    ).subquery("folded")
    statement = sa.select(
        folded.c.state,
        folded.c.kind,
        folded.c.organization_id,
        folded.c.organization,
        folded.c.label,
        func.sum(folded.c.value),
        func.count(),
    ).group_by(
        folded.c.state,
        folded.c.kind,
        folded.c.organization_id,
        folded.c.organization,
        folded.c.label,
    )
    rows = [
        {
            "state_key": state_key(state),
            "state": state_label(state),
            "kind_key": OrganizationKind(kind).value,
            "kind": OrganizationKind(kind).label,
            "organization_id": None if org_id is None else int(org_id),
            "organization": name,
            "label": _fit(label),
            "value": int(value),
            "organizations": int(count),
        }
        for state, kind, org_id, name, label, value, count in session.execute(statement)
    ]
    frame = pd.DataFrame(rows, columns=INVOLVEMENT_COLUMNS)
    if frame.empty:
        return frame
    frame["organization_id"] = frame["organization_id"].astype("Int64")
    order = frame.assign(
        state_order=frame["state"].map(STATE_ORDER.index),
        kind_order=frame["kind"].map(KIND_ORDER.index),
        is_folded=frame["organization_id"].isna(),
    ).sort_values(
        ["state_order", "kind_order", "is_folded", "value", "organization"],
        ascending=[True, True, True, False, True],
    )
    return order[INVOLVEMENT_COLUMNS].reset_index(drop=True)


def _node_id(state: str, kind: str | None = None, organization: str | None = None) -> str:
    parts = [f"s:{state}"]
    if kind is not None:
        parts.append(f"k:{kind}")
    if organization is not None:
        parts.append(f"o:{organization}")
    return "/".join(parts)


def matrix_chart(
    session: Session,
    *,
    states: Sequence[FederalState | None] | None = None,
    kinds: Sequence[OrganizationKind] | None = None,
    roles: Sequence[ParticipationRole] | None = None,
    on: date | None = None,
    by: Literal["kind", "state"] = "kind",
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """participation_matrix() and its figure as a plain dict (see figure_from_dict)."""
    frame = participation_matrix(session, states=states, kinds=kinds, roles=roles, on=on, by=by)
    return frame, matrix_figure(frame, fields=topic_field_names(session)).to_dict()


def participants_chart(
    session: Session,
    *,
    on: date | None = None,
    states: Sequence[FederalState | None] | None = None,
    roles: Sequence[ParticipationRole] | None = None,
    kinds: Sequence[OrganizationKind] | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """participants_by_kind() and its figure as a plain dict (see figure_from_dict)."""
    frame = participants_by_kind(session, on=on, states=states, roles=roles, kinds=kinds)
    return frame, participants_figure(frame, fields=topic_field_names(session)).to_dict()


def involvement_chart(
    session: Session,
    *,
    measure: Measure,
    on: date | None = None,
    states: Sequence[FederalState | None] | None = None,
    top: int = TOP_N,
    chart: ChartKind = "sunburst",
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """involvement() and its figure as a plain dict (see figure_from_dict)."""
    frame = involvement(session, measure=measure, on=on, states=states, top=top)
    return frame, involvement_figure(frame, measure=measure, chart=chart).to_dict()


def figure_from_dict(spec: dict[str, Any]) -> go.Figure:
    """A figure back from its own to_dict(): cached charts travel as plain dicts, because
    Plotly validates every property again when it unpickles or builds a figure."""
    return go.Figure(spec, _validate=False)


def involvement_figure(
    frame: pd.DataFrame,
    *,
    measure: Measure,
    chart: ChartKind = "sunburst",
) -> go.Figure:
    """Sunburst or treemap Land → kind → organization in the kind colours.

    Node ids ("s:SN/k:district/o:12", "o:rest" for the folded ones) say what a clicked
    sector stands for; see `sector_from_point`.
    """
    if frame.empty:
        return style(go.Figure(), height=300)
    many = MEASURE_UNITS[measure]
    totals = {"value": ("value", "sum"), "organizations": ("organizations", "sum")}
    states = frame.groupby(["state_key", "state"], sort=False, as_index=False).agg(**totals)
    kinds = frame.groupby(["state_key", "kind_key", "kind"], sort=False, as_index=False).agg(
        **totals
    )
    folded = frame["organization_id"].isna()
    state_ids = "s:" + states["state_key"]
    kind_parents = "s:" + kinds["state_key"]
    kind_ids = kind_parents + "/k:" + kinds["kind_key"]
    leaf_parents = "s:" + frame["state_key"] + "/k:" + frame["kind_key"]
    leaf_ids = leaf_parents + "/o:" + frame["organization_id"].astype(str).where(~folded, "rest")
    nodes = pd.concat(
        [
            pd.DataFrame(
                {
                    "id": state_ids,
                    "label": states["state"],
                    "name": states["state"],
                    "parent": "",
                    "colour": "#f2f2f2",
                }
            ).assign(value=states["value"], organizations=states["organizations"]),
            pd.DataFrame(
                {
                    "id": kind_ids,
                    "label": kinds["kind"],
                    "name": kinds["kind"],
                    "parent": kind_parents,
                    "colour": kinds["kind"].map(ORGANIZATION_KIND_COLORS),
                }
            ).assign(value=kinds["value"], organizations=kinds["organizations"]),
            pd.DataFrame(
                {
                    "id": leaf_ids,
                    "label": frame["label"],
                    "name": frame["organization"],
                    "parent": leaf_parents,
                    "colour": frame["kind"].where(~folded, FOLDED).map(ORGANIZATION_KIND_COLORS),
                }
            ).assign(value=frame["value"], organizations=frame["organizations"]),
        ],
        ignore_index=True,
    )
    hover = (
        "<b>%{hovertext}</b><br>%{value} "
        + many
        + "<br>%{customdata} Organisation(en)<extra></extra>"
    )
    common: dict[str, Any] = {
        "ids": nodes["id"].tolist(),
        "labels": nodes["label"].tolist(),
        "hovertext": nodes["name"].tolist(),
        "parents": nodes["parent"].tolist(),
        "values": nodes["value"].astype(int).tolist(),
        "customdata": nodes["organizations"].astype(int).tolist(),
        "branchvalues": "total",
        "marker": {"colors": nodes["colour"].tolist(), "line": {"color": "#ffffff", "width": 1}},
        "hovertemplate": hover,
    }
    trace: go.Sunburst | go.Treemap
    if chart == "treemap":
        trace = go.Treemap(**common, texttemplate="%{label}<br>%{value}", maxdepth=3)
    else:
        trace = go.Sunburst(**common, insidetextorientation="radial", maxdepth=3)
    figure = go.Figure(trace)
    figure.update_layout(uniformtext={"minsize": 10, "mode": "hide"})
    return style(figure, height=620)


def sector_from_point(point: Mapping[str, Any]) -> Sector | None:
    """The Land, kind or organization of a clicked sunburst/treemap sector (from its id)."""
    node = point.get("id")
    if not isinstance(node, str) or not node.startswith("s:"):
        return None
    parts = dict(part.split(":", 1) for part in node.split("/") if ":" in part)
    organization = parts.get("o")
    return Sector(
        state_key=parts["s"],
        kind_key=parts.get("k"),
        organization_id=int(organization) if organization and organization != "rest" else None,
        folded=organization == "rest",
    )


def involvement_organizations(
    session: Session,
    *,
    measure: Measure,
    on: date | None = None,
    states: Sequence[FederalState | None] | None = None,
    sector: Sector | None = None,
    top: int = TOP_N,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """The organizations under a sector (or all) with their value, largest first.

    For a folded "Sonstige" sector exactly the organizations folded into it.
    """
    ranked = _ranked(measure, on, states)
    statement = sa.select(ranked.c.id, ranked.c.name, ranked.c.kind, ranked.c.state, ranked.c.value)
    if sector is not None:
        state = state_from_key(sector.state_key)
        statement = statement.where(
            ranked.c.state.is_(None) if state is None else ranked.c.state == state
        )
        if sector.kind_key is not None:
            statement = statement.where(ranked.c.kind == OrganizationKind(sector.kind_key))
        if sector.organization_id is not None:
            statement = statement.where(ranked.c.id == sector.organization_id)
        if sector.folded:
            statement = statement.where(ranked.c.position > top)
    statement = statement.order_by(ranked.c.value.desc(), ranked.c.name, ranked.c.id)

    def to_row(row: Any) -> dict[str, Any]:
        org_id, name, kind, state, value = row
        return {
            "organization_id": org_id,
            "organization": name,
            "kind": OrganizationKind(kind).label,
            "state": state_label(None if state is None else FederalState(state)),
            "value": int(value),
        }

    return fetch_page(session, statement, to_row, SECTOR_COLUMNS, limit=limit, offset=offset)


def sector_label(sector: Sector, frame: pd.DataFrame) -> str:
    """A sector in words: "Sachsen › kreisfreie Stadt › Stadt Leipzig"."""
    parts = [state_label(state_from_key(sector.state_key))]
    if sector.kind_key is not None:
        parts.append(OrganizationKind(sector.kind_key).label)
    if sector.folded:
        parts.append(FOLDED)
    elif sector.organization_id is not None:
        match = frame[frame["organization_id"] == sector.organization_id]
        parts.append(str(match["organization"].iloc[0]) if not match.empty else "Organisation")
    return " › ".join(parts)


def ids_from_points(points: Iterable[Mapping[str, Any]]) -> list[int]:
    """Record ids carried as the first customdata value of selected points (timeline bars)."""
    ids: list[int] = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and data and isinstance(data[0], int | float):
            ids.append(int(data[0]))
    return list(dict.fromkeys(ids))
