"""Gremienarbeit: Beschlusskontrolle per committee, overdue decisions over time, attendance.

Every number is counted by the database (GROUP BY); pandas only shapes the few aggregated
rows into figures. Archived committees, meetings, decisions, notes, memberships, persons
and attendance rows never count.
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col

from models import (
    Attendance,
    Committee,
    Decision,
    FollowUpNote,
    Meeting,
    Membership,
    Organization,
    Person,
)
from models.base import DEMO_SOURCE
from models.enums import (
    AttendanceStatus,
    FederalState,
    FollowUpStatus,
    MeetingKind,
    MeetingState,
    MembershipRole,
    OrganizationKind,
)
from services.chart_style import ORGANIZATION_KIND_COLORS, style
from services.periods import format_date

# --- vocabulary ------------------------------------------------------------------------

OVERDUE = "overdue"
PENDING = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)
FINISHED = (FollowUpStatus.DONE, FollowUpStatus.NOT_FEASIBLE)
# Stacking order left to right: the overdue segment first, so it is always seen.
STATUS_ORDER = [OVERDUE, *(status.value for status in FollowUpStatus)]
STATUS_LABELS = {OVERDUE: "überfällig", **FollowUpStatus.labels()}
# Follow-up states are neither an organization kind nor a participation role, so chart_style
# has no colours for them; these keep "überfällig" the one loud colour on the page.
STATUS_COLORS = {
    "überfällig": "#c00000",
    FollowUpStatus.OPEN.label: "#f4b183",
    FollowUpStatus.IN_PROGRESS.label: "#ffd966",
    FollowUpStatus.DONE.label: "#70ad47",
    FollowUpStatus.NOT_FEASIBLE.label: "#a6a6a6",
}

TOP_COMMITTEES = 25
OTHER_COMMITTEES = "Sonstige Gremien (zusammengefasst)"
OTHERS_ID = 0  # never a row id: ids start at 1
TOP_RATES = 15
NO_ORGANIZATION = "ohne Organisation"
NO_ORGANIZATION_ID = -1
OTHER_KIND = OrganizationKind.OTHER.label
# Staff and guests sit in meetings without a duty to attend: their rows are no attendance rate.
NOT_MEMBERS = (MembershipRole.GUEST, MembershipRole.OFFICE, MembershipRole.SECRETARY)
RECORD_LIMIT = 500

Grouping = Literal["person", "organization"]
Statement = sa.Select[*tuple[Any, ...]]


class calendar_day(FunctionElement[date]):  # noqa: N801 (an SQL function name)
    """The calendar day of a timestamp column, on SQLite and PostgreSQL alike."""

    type = sa.Date()
    inherit_cache = True


@compiles(calendar_day)
def _calendar_day(element: calendar_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(calendar_day, "sqlite")
def _calendar_day_sqlite(element: calendar_day, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's CAST(... AS DATE) yields the year as a number; date() yields 'YYYY-MM-DD'.
    return f"date({compiler.process(element.clauses, **kw)})"


# --- filters ---------------------------------------------------------------------------


def committee_choices(session: Session, *, states: Sequence[str] | None = None) -> dict[int, str]:
    """Active committees (in the given Länder) for the committee filter, by name."""
    statement = (
        sa.select(col(Committee.id), col(Committee.name))
        .where(col(Committee.archived).is_(False))
        .order_by(col(Committee.name), col(Committee.id))
    )
    if states:
        statement = statement.where(col(Committee.state).in_(list(states)))
    return {int(row_id): name for row_id, name in session.execute(statement)}


def activity_start(session: Session) -> date | None:
    """The day of the earliest active meeting: where the default period begins."""
    first = session.execute(
        sa.select(sa.func.min(col(Meeting.start)))
        .join(Committee, col(Meeting.committee_id) == Committee.id)
        .where(col(Meeting.archived).is_(False), col(Committee.archived).is_(False))
    ).scalar_one_or_none()
    return first.date() if isinstance(first, datetime) else None


def _in_scope(
    statement: Statement,
    *,
    committee_ids: Sequence[int] | None,
    states: Sequence[str] | None,
    since: date | None = None,
    until: date | None = None,
) -> Statement:
    """Restrict a statement joined to Meeting and Committee to the page's filters."""
    statement = statement.where(
        col(Meeting.archived).is_(False), col(Committee.archived).is_(False)
    )
    if committee_ids:
        statement = statement.where(col(Committee.id).in_(list(committee_ids)))
    if states:
        statement = statement.where(col(Committee.state).in_(list(states)))
    if since is not None:
        statement = statement.where(col(Meeting.start) >= datetime.combine(since, time.min))
    if until is not None:
        next_day = datetime.combine(until + timedelta(days=1), time.min)
        statement = statement.where(col(Meeting.start) < next_day)
    return statement


def selected_values(points: Iterable[dict[str, Any]], position: int = 0) -> list[Any]:
    """The `position`-th customdata value of each selected chart point, in order, once each."""
    values: list[Any] = []
    for point in points:
        data = point.get("customdata")
        if data is None:
            continue
        value = data[position] if isinstance(data, list | tuple) else data
        if value not in values:
            values.append(value)
    return values


def selected_segments(points: Iterable[dict[str, Any]]) -> list[tuple[int, str]]:
    """The (committee id, status key) of each selected bar segment of the status chart."""
    segments: list[tuple[int, str]] = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and len(data) >= 2:
            segment = (int(data[0]), str(data[1]))
            if segment not in segments:
                segments.append(segment)
    return segments


def demo_data_in_use(session: Session) -> bool:
    """Whether any decision or attendance row is demo data (the page then says so)."""
    for model in (Decision, Attendance):
        found = session.execute(
            sa.select(col(model.id)).where(col(model.source) == DEMO_SOURCE).limit(1)
        ).first()
        if found is not None:
            return True
    return False


def _unique(labels: pd.Series, ids: pd.Series) -> list[str]:
    """Axis labels must differ, or Plotly draws two records as one bar."""
    # A plain dict: looking each label up in a Series costs a lot across 30,000 persons.
    counts = labels.value_counts().to_dict()
    return [
        f"{label} (Nr. {row_id})" if counts[label] > 1 else str(label)
        for label, row_id in zip(labels, ids, strict=True)
    ]


def _empty_figure(message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return style(figure, height=200)


# --- 1. decisions by follow-up status per committee -------------------------------------


def _status_key(today: date) -> sa.ColumnElement[str]:
    """The follow-up status, with open or in-progress decisions past their due date as
    'overdue' (the same rule as the Beschlüsse page)."""
    return sa.case(
        (
            sa.and_(
                col(Decision.due_date) < today,
                col(Decision.follow_up_status).in_(PENDING),
            ),
            sa.literal(OVERDUE),
        ),
        else_=sa.type_coerce(col(Decision.follow_up_status), sa.String),
    )


STATUS_COLUMNS = [
    "committee_id",
    "committee",
    "label",
    "state",
    "status_key",
    "status",
    "decisions",
]


def decisions_by_status(
    session: Session,
    *,
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    today: date,
) -> pd.DataFrame:
    """Decisions per committee and follow-up status (overdue as its own status) as of `today`;
    `since`/`until` filter by the day of the deciding meeting."""
    # The CASE is computed in a subquery so the outer GROUP BY names a plain column: PostgreSQL
    # would not match a repeated CASE with bound parameters to the selected one.
    scoped = _in_scope(
        sa.select(
            col(Decision.id).label("id"),
            col(Decision.committee_id).label("committee_id"),
            _status_key(today).label("status_key"),
        )
        .select_from(Decision)
        .join(Meeting, col(Decision.meeting_id) == Meeting.id)
        .join(Committee, col(Decision.committee_id) == Committee.id)
        .where(col(Decision.archived).is_(False)),
        committee_ids=committee_ids,
        states=states,
        since=since,
        until=until,
    ).subquery("scoped")
    group = [
        col(Committee.id),
        col(Committee.name),
        col(Committee.short_name),
        col(Committee.state),
        scoped.c.status_key,
    ]
    statement = (
        sa.select(*group, sa.func.count(scoped.c.id))
        .select_from(scoped)
        .join(Committee, col(Committee.id) == scoped.c.committee_id)
        .group_by(*group)
        .order_by(col(Committee.name), col(Committee.id), scoped.c.status_key)
    )
    rows = [
        {
            "committee_id": int(committee_id),
            "committee": name,
            "label": short_name or name,
            "state": FederalState(state).label if state else "",
            "status_key": key,
            "status": STATUS_LABELS[key],
            "decisions": int(count),
        }
        for committee_id, name, short_name, state, key, count in session.execute(statement)
    ]
    frame = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    if not frame.empty:
        names = frame.drop_duplicates("committee_id")
        unique = dict(
            zip(names["committee_id"], _unique(names["label"], names["committee_id"]), strict=True)
        )
        frame["label"] = frame["committee_id"].map(unique)
    return frame


def status_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per committee with a column per status, most open decisions first."""
    columns = ["committee_id", "committee", "label", *STATUS_ORDER, "pending", "total"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    wide = (
        frame.pivot_table(
            index=["committee_id", "committee", "label"],
            columns="status_key",
            values="decisions",
            aggfunc="sum",
            fill_value=0,
        )
        .reindex(columns=STATUS_ORDER, fill_value=0)
        .reset_index()
    )
    wide.columns.name = None
    wide["pending"] = wide[OVERDUE] + wide["open"] + wide["in_progress"]
    wide["total"] = wide[STATUS_ORDER].sum(axis=1)
    wide = wide.sort_values(
        ["pending", OVERDUE, "total", "label"], ascending=[False, False, False, True]
    )
    return wide[columns].reset_index(drop=True)


def most_overdue_committee(frame: pd.DataFrame) -> dict[str, Any] | None:
    """The committee with the most overdue decisions (None when nothing is overdue)."""
    overdue = frame[frame["status_key"] == OVERDUE]
    if overdue.empty:
        return None
    top = overdue.sort_values(["decisions", "committee"], ascending=[False, True]).iloc[0]
    return {
        "committee_id": int(top["committee_id"]),
        "committee": str(top["committee"]),
        "label": str(top["label"]),
        "overdue": int(top["decisions"]),
        "tied": int((overdue["decisions"] == top["decisions"]).sum()) - 1,
    }


def fold_committees(frame: pd.DataFrame, *, top: int = TOP_COMMITTEES) -> pd.DataFrame:
    """Keep the `top` committees with the most open decisions; the rest become one bar."""
    table = status_table(frame)
    if len(table) <= top:
        return table
    kept, rest = table.iloc[:top], table.iloc[top:]
    other = rest[[*STATUS_ORDER, "pending", "total"]].sum().to_dict()
    other.update(
        committee_id=OTHERS_ID,
        committee=f"{OTHER_COMMITTEES}: {len(rest)} Gremien",
        label=OTHER_COMMITTEES,
    )
    return pd.concat([kept, pd.DataFrame([other])], ignore_index=True)[table.columns]


def kept_committee_ids(table: pd.DataFrame) -> list[int]:
    """The committees shown with their own bar (the folded bar stands for all others)."""
    return [int(i) for i in table["committee_id"] if int(i) != OTHERS_ID]


def status_long(table: pd.DataFrame) -> pd.DataFrame:
    """The chart's data for CSV: one row per committee (or folded group) and status."""
    long = table.melt(
        id_vars=["committee_id", "committee", "label"],
        value_vars=STATUS_ORDER,
        var_name="status_key",
        value_name="decisions",
    )
    long["status"] = long["status_key"].map(STATUS_LABELS)
    return long[long["decisions"] > 0].reset_index(drop=True)


def status_figure(table: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: committees × follow-up status, overdue highlighted in red."""
    if table.empty:
        return _empty_figure("Keine Beschlüsse im gewählten Ausschnitt")
    figure = go.Figure()
    for key in STATUS_ORDER:
        label = STATUS_LABELS[key]
        figure.add_bar(
            name=label,
            orientation="h",
            y=table["label"].tolist(),
            x=table[key].tolist(),
            marker_color=STATUS_COLORS[label],
            customdata=[[int(i), key] for i in table["committee_id"]],
            hovertext=table["committee"].tolist(),
            hovertemplate=f"%{{hovertext}}<br>{label}: %{{x}}<extra></extra>",
        )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(autorange="reversed", title=None)
    figure.update_xaxes(title="Beschlüsse", rangemode="tozero")
    return style(figure, height=min(900, max(280, 110 + 28 * len(table))))


RECORD_COLUMNS = [
    "id",
    "committee",
    "reference",
    "meeting_day",
    "responsible",
    "due_date",
    "status",
    "completed_on",
]
RECORD_LABELS = {
    "meeting_day": "Sitzung am",
    "status": "Umsetzungsstand",
    "completed_on": "erledigt am",
    "committee": "Gremium",
}


def _decision_record(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "committee": row.committee,
        "reference": row.reference,
        "meeting_day": row.start.date() if isinstance(row.start, datetime) else None,
        "responsible": row.responsible,
        "due_date": row.due_date,
        "status": STATUS_LABELS[row.status_key],
        "completed_on": getattr(row, "completed_on", None),
    }


def _record_select(source: Any, status_key: sa.ColumnElement[str], *extra: Any) -> Statement:
    """The columns _decision_record reads from `source` (Decision, or a join that ends in it),
    with the decision's meeting, committee and responsible organization joined."""
    responsible = aliased(Organization)
    return (
        sa.select(
            col(Decision.id).label("id"),
            col(Committee.name).label("committee"),
            col(Decision.reference).label("reference"),
            col(Meeting.start).label("start"),
            col(responsible.name).label("responsible"),
            col(Decision.due_date).label("due_date"),
            status_key.label("status_key"),
            *extra,
        )
        .select_from(source)
        .join(Meeting, col(Decision.meeting_id) == Meeting.id)
        .join(Committee, col(Decision.committee_id) == Committee.id)
        .join(
            responsible,
            col(Decision.responsible_organization_id) == responsible.id,
            isouter=True,
        )
    )


def decision_records(
    session: Session,
    *,
    segments: Sequence[tuple[int, str]],
    kept_ids: Sequence[int] = (),
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    today: date,
    limit: int = RECORD_LIMIT,
) -> pd.DataFrame:
    """The decisions behind selected bar segments (committee id, status key); the folded bar's
    id stands for every committee in the filter that is not in `kept_ids`."""
    if not segments:
        return pd.DataFrame(columns=RECORD_COLUMNS)
    status_key = _status_key(today)
    conditions = []
    for committee_id, key in segments:
        committee = (
            col(Committee.id).not_in(list(kept_ids))
            if int(committee_id) == OTHERS_ID
            else col(Committee.id) == int(committee_id)
        )
        conditions.append(sa.and_(committee, status_key == key))
    statement = (
        _record_select(Decision, status_key)
        .where(col(Decision.archived).is_(False), sa.or_(*conditions))
        .order_by(
            col(Committee.name),
            col(Decision.due_date).is_(None),
            col(Decision.due_date),
            col(Decision.reference),
        )
        .limit(limit)
    )
    statement = _in_scope(
        statement, committee_ids=committee_ids, states=states, since=since, until=until
    )
    rows = [_decision_record(row) for row in session.execute(statement)]
    return pd.DataFrame(rows, columns=RECORD_COLUMNS)


@dataclass(frozen=True)
class StatusView:
    """Everything the status section draws, computed together so a page can cache it."""

    leader: dict[str, Any] | None
    overdue: int
    pending: int
    table: pd.DataFrame
    figure: go.Figure
    long: pd.DataFrame


def status_view(
    session: Session,
    *,
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    today: date,
) -> StatusView | None:
    """The status section's figures and chart data; None when no decision is in the filter."""
    frame = decisions_by_status(
        session, committee_ids=committee_ids, states=states, since=since, until=until, today=today
    )
    if frame.empty:
        return None
    totals = status_table(frame)
    table = fold_committees(frame)
    return StatusView(
        leader=most_overdue_committee(frame),
        overdue=int(totals[OVERDUE].sum()),
        pending=int(totals["pending"].sum()),
        table=table,
        figure=status_figure(table),
        long=status_long(table),
    )


# --- 2. overdue decisions over time ------------------------------------------------------


def month_ends(since: date, until: date) -> list[date]:
    """Every month's last day in [since, until], and `until` itself when it is mid-month."""
    days: list[date] = []
    year, month = since.year, since.month
    while True:
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end > until:
            break
        if end >= since:
            days.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if since <= until and (not days or days[-1] != until):
        days.append(until)
    return days


def _completed_on() -> tuple[sa.ColumnElement[date | None], sa.Subquery]:
    """When a finished decision became finished, and the subquery that must be joined for it.

    The day is the first erledigt/nicht-umsetzbar note after the last offen/in-Umsetzung note;
    a finished decision without such a note counts as finished since its last change
    (updated_at). A decision that is pending now has no completion day (a note that once said
    "erledigt" before it was reopened is ignored).
    """
    last_pending = (
        sa.select(
            col(FollowUpNote.decision_id).label("decision_id"),
            sa.func.max(col(FollowUpNote.noted_on)).label("day"),
        )
        .where(col(FollowUpNote.archived).is_(False), col(FollowUpNote.status).in_(PENDING))
        .group_by(col(FollowUpNote.decision_id))
        .subquery("last_pending")
    )
    first_finished = (
        sa.select(
            col(FollowUpNote.decision_id).label("decision_id"),
            sa.func.min(col(FollowUpNote.noted_on)).label("day"),
        )
        .join(
            last_pending,
            last_pending.c.decision_id == col(FollowUpNote.decision_id),
            isouter=True,
        )
        .where(
            col(FollowUpNote.archived).is_(False),
            col(FollowUpNote.status).in_(FINISHED),
            sa.or_(last_pending.c.day.is_(None), col(FollowUpNote.noted_on) >= last_pending.c.day),
        )
        .group_by(col(FollowUpNote.decision_id))
        .subquery("first_finished")
    )
    completed = sa.case(
        (
            col(Decision.follow_up_status).in_(FINISHED),
            sa.func.coalesce(first_finished.c.day, calendar_day(col(Decision.updated_at))),
        ),
        else_=sa.null(),
    )
    return completed, first_finished


def _dated_decisions(
    *, committee_ids: Sequence[int] | None, states: Sequence[str] | None
) -> sa.CTE:
    """Active decisions with a due date, each with the day it was finished (or NULL)."""
    completed, first_finished = _completed_on()
    statement: Statement = (
        sa.select(
            col(Decision.id).label("id"),
            col(Decision.due_date).label("due_date"),
            completed.label("completed_on"),
        )
        .select_from(Decision)
        .join(Meeting, col(Decision.meeting_id) == Meeting.id)
        .join(Committee, col(Decision.committee_id) == Committee.id)
        .join(first_finished, first_finished.c.decision_id == Decision.id, isouter=True)
        .where(col(Decision.archived).is_(False), col(Decision.due_date).is_not(None))
    )
    # A CTE, not a subquery: the overdue line reads it twice, and the completion days (a
    # GROUP BY over every follow-up note) should be worked out once.
    return _in_scope(statement, committee_ids=committee_ids, states=states).cte("dated")


def _overdue_on(dated: sa.CTE, day: Any) -> sa.ColumnElement[bool]:
    """Overdue on `day`: the due date has passed and the decision was not finished by then."""
    return sa.and_(
        dated.c.due_date < day,
        sa.or_(dated.c.completed_on.is_(None), dated.c.completed_on > day),
    )


def overdue_over_time(
    session: Session,
    *,
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    since: date,
    until: date,
) -> pd.DataFrame:
    """For each month end in the period (and `until`), how many decisions were overdue.

    Overdue on day M: due_date < M and not finished by M. A decision finished on or before its
    due date is never overdue, so the database only counts, per day, the due dates of the other
    decisions (each adds one from the day after) and their finishing days (each takes one away
    from that day on); the running sums at the month ends give the line.
    """
    days = month_ends(since, until)
    if not days:
        return pd.DataFrame(columns=["month", "overdue"])
    dated = _dated_decisions(committee_ids=committee_ids, states=states)
    late = sa.or_(dated.c.completed_on.is_(None), dated.c.completed_on > dated.c.due_date)
    became_overdue = (
        sa.select(sa.literal("due").label("event"), dated.c.due_date, sa.func.count())
        .where(late)
        .group_by(dated.c.due_date)
    )
    finished = (
        sa.select(sa.literal("finished"), dated.c.completed_on, sa.func.count())
        .where(late, dated.c.completed_on.is_not(None))
        .group_by(dated.c.completed_on)
    )
    events = pd.DataFrame(
        [
            (event, _as_date(day), int(count))
            for event, day, count in session.execute(sa.union_all(became_overdue, finished))
        ],
        columns=["event", "day", "count"],
    )
    points = np.array(days, dtype="datetime64[D]")
    due = _running(events[events["event"] == "due"], points, side="left")  # due before M
    done = _running(events[events["event"] == "finished"], points, side="right")  # by M
    return pd.DataFrame(
        {"month": days, "overdue": (due - done).tolist()}, columns=["month", "overdue"]
    )


def _running(
    events: pd.DataFrame, points: np.ndarray, *, side: Literal["left", "right"]
) -> np.ndarray:
    """How many events fell before each point (side="left") or on or before it ("right")."""
    ordered = events.sort_values("day")
    days = np.array(ordered["day"].tolist(), dtype="datetime64[D]")
    totals = np.concatenate([[0], np.cumsum(ordered["count"].to_numpy(dtype=np.int64))])
    return totals[np.searchsorted(days, points, side=side)]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def has_due_dates(
    session: Session,
    *,
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
) -> bool:
    """Whether any active decision in the filter has a due date (else the line says nothing)."""
    # The same rows as _dated_decisions, without working out completion days nobody reads here.
    statement: Statement = (
        sa.select(col(Decision.id))
        .join(Meeting, col(Decision.meeting_id) == Meeting.id)
        .join(Committee, col(Decision.committee_id) == Committee.id)
        .where(col(Decision.archived).is_(False), col(Decision.due_date).is_not(None))
    )
    statement = _in_scope(statement, committee_ids=committee_ids, states=states)
    return session.execute(statement.limit(1)).first() is not None


def overdue_figure(frame: pd.DataFrame) -> go.Figure:
    """A line of the overdue decisions at each month end."""
    if frame.empty:
        return _empty_figure("Kein Zeitraum gewählt")
    figure = go.Figure()
    figure.add_scatter(
        name="überfällige Beschlüsse",
        x=frame["month"].tolist(),
        y=frame["overdue"].tolist(),
        mode="lines+markers",
        line={"color": STATUS_COLORS["überfällig"], "shape": "hv"},
        customdata=[day.isoformat() for day in frame["month"]],
        text=[format_date(day) for day in frame["month"]],
        hovertemplate="Stand %{text}: %{y} überfällig<extra></extra>",
    )
    figure.update_yaxes(title="überfällige Beschlüsse", rangemode="tozero", tickformat="d")
    figure.update_xaxes(title=None, tickformat="%m.%Y")
    return style(figure, height=360)


def overdue_view(
    session: Session,
    *,
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    since: date,
    until: date,
) -> tuple[pd.DataFrame, go.Figure] | None:
    """The overdue line and its data; None when no decision in the filter has a due date."""
    if not has_due_dates(session, committee_ids=committee_ids, states=states):
        return None
    series = overdue_over_time(
        session, committee_ids=committee_ids, states=states, since=since, until=until
    )
    return series, overdue_figure(series)


def overdue_records(
    session: Session,
    *,
    days: Sequence[date],
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    limit: int = RECORD_LIMIT,
) -> pd.DataFrame:
    """The decisions that were overdue on any of `days` (the selected points of the line)."""
    if not days:
        return pd.DataFrame(columns=RECORD_COLUMNS)
    dated = _dated_decisions(committee_ids=committee_ids, states=states)
    statement = (
        _record_select(
            sa.join(dated, Decision, col(Decision.id) == dated.c.id),
            sa.type_coerce(col(Decision.follow_up_status), sa.String),
            dated.c.completed_on.label("completed_on"),
        )
        .where(sa.or_(*(_overdue_on(dated, day) for day in days)))
        .order_by(col(Decision.due_date), col(Committee.name), col(Decision.reference))
        .limit(limit)
    )
    rows = [_decision_record(row) for row in session.execute(statement)]
    frame = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    frame["completed_on"] = frame["completed_on"].map(
        lambda value: _as_date(value) if value is not None and not pd.isna(value) else None
    )
    return frame


# --- 3. attendance rate per member and per organization ----------------------------------


def _attendance_from(
    statement: Statement,
    *,
    committee_ids: Sequence[int] | None,
    states: Sequence[str] | None,
    since: date | None,
    until: date | None,
) -> Statement:
    """Members' attendance rows of meetings that took place, joined to the membership that was
    valid on the meeting day; rows of guests, Geschäftsstelle and Schriftführung, and of
    persons without a membership that day, do not count."""
    day = calendar_day(col(Meeting.start))
    statement = (
        statement.select_from(Attendance)
        .join(Meeting, col(Attendance.meeting_id) == Meeting.id)
        .join(Committee, col(Meeting.committee_id) == Committee.id)
        .join(Person, col(Attendance.person_id) == Person.id)
        .join(
            Membership,
            sa.and_(
                col(Membership.committee_id) == Meeting.committee_id,
                col(Membership.person_id) == Attendance.person_id,
                col(Membership.archived).is_(False),
                col(Membership.role).not_in(NOT_MEMBERS),
                sa.or_(col(Membership.start_date).is_(None), col(Membership.start_date) <= day),
                sa.or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= day),
            ),
        )
        .where(
            col(Attendance.archived).is_(False),
            col(Person.archived).is_(False),
            col(Meeting.cancelled).is_(False),
            col(Meeting.kind) != MeetingKind.CIRCULATION,
            col(Meeting.state).in_([MeetingState.HELD, MeetingState.CLOSED]),
        )
    )
    return _in_scope(
        statement, committee_ids=committee_ids, states=states, since=since, until=until
    )


def _organization_id() -> sa.ColumnElement[int | None]:
    """The organization a member sat for: the membership's on_behalf_of, else the person's own."""
    return sa.func.coalesce(col(Membership.on_behalf_of_id), col(Person.organization_id))


RATE_COLUMNS = [
    "key",
    "name",
    "organization",
    "kind",
    "present",
    "represented",
    "excused",
    "absent",
    "recorded",
    "rate",
]
RATE_LABELS = {
    "name": "Name",
    "organization": "Organisation",
    "kind": "Art der Organisation",
    "present": "anwesend",
    "represented": "vertreten",
    "excused": "entschuldigt",
    "absent": "unentschuldigt",
    "recorded": "erfasste Sitzungen",
    "rate": "Anwesenheitsquote",
}


def _count(status: AttendanceStatus) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((col(Attendance.status) == status, 1), else_=0))


def attendance_rates(
    session: Session,
    *,
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    by: Grouping,
) -> pd.DataFrame:
    """Attendance rate per person or per organization: (anwesend + vertreten) / recorded rows.

    Only meetings that took place count (durchgeführt or abgeschlossen, not abgesagt, not an
    Umlaufverfahren). The base is the recorded attendance rows of members: a member without a
    row for a meeting is "nicht erfasst" and left out rather than counted absent.
    """
    counts = [
        _count(AttendanceStatus.PRESENT).label("present"),
        _count(AttendanceStatus.REPRESENTED).label("represented"),
        _count(AttendanceStatus.EXCUSED).label("excused"),
        _count(AttendanceStatus.ABSENT).label("absent"),
        sa.func.count(col(Attendance.id)).label("recorded"),
    ]
    # Grouped by the bare id first: grouping 500,000 rows by names as well costs twice as much.
    key: Any = col(Attendance.person_id) if by == "person" else _organization_id()
    totals = (
        _attendance_from(
            sa.select(key.label("key"), *counts),
            committee_ids=committee_ids,
            states=states,
            since=since,
            until=until,
        )
        .group_by(key)
        .subquery("totals")
    )
    organization = aliased(Organization)
    sums = [totals.c.present, totals.c.represented, totals.c.excused, totals.c.absent]
    details = [col(organization.name), col(organization.kind), *sums, totals.c.recorded]
    statement: Statement
    if by == "person":
        # A person is coloured by their own organization; what they sat for may vary.
        statement = (
            sa.select(
                col(Person.id),
                col(Person.title),
                col(Person.given_name),
                col(Person.family_name),
                *details,
            )
            .select_from(totals)
            .join(Person, col(Person.id) == totals.c.key)
            .join(organization, col(Person.organization_id) == organization.id, isouter=True)
        )
    else:
        statement = (
            sa.select(totals.c.key, *details)
            .select_from(totals)
            .join(organization, totals.c.key == organization.id, isouter=True)
        )
    rows = []
    for row in session.execute(statement):
        home, kind = row[-7], row[-6]
        if by == "person":
            key = int(row[0])
            name = " ".join(part for part in row[1:4] if part)
        else:
            key = int(row[0]) if row[0] is not None else NO_ORGANIZATION_ID
            name = home or NO_ORGANIZATION
        present, represented, excused, absent, recorded = (int(v or 0) for v in row[-5:])
        rows.append(
            {
                "key": key,
                "name": name,
                "organization": home or NO_ORGANIZATION,
                "kind": OrganizationKind(kind).label if kind else OTHER_KIND,
                "present": present,
                "represented": represented,
                "excused": excused,
                "absent": absent,
                "recorded": recorded,
                "rate": (present + represented) / recorded if recorded else 0.0,
            }
        )
    frame = pd.DataFrame(rows, columns=RATE_COLUMNS)
    if frame.empty:
        return frame
    frame = frame.sort_values(
        ["rate", "recorded", "name"], ascending=[False, False, True]
    ).reset_index(drop=True)
    frame["name"] = _unique(frame["name"], frame["key"])
    return frame


def rate_extremes(frame: pd.DataFrame, *, n: int = TOP_RATES) -> pd.DataFrame:
    """All rows when they fit, else the `n` highest and the `n` lowest rates (`band` says which)."""
    shown = frame.copy()
    if len(frame) <= 2 * n:
        shown["band"] = ""
        return shown
    high, low = frame.head(n).copy(), frame.tail(n).copy()
    high["band"], low["band"] = "höchste Quote", "niedrigste Quote"
    return pd.concat([high, low], ignore_index=True)


def attendance_figure(frame: pd.DataFrame, *, total: int | None = None) -> go.Figure:
    """Horizontal bars of attendance rates, highest first, coloured by organization kind."""
    if frame.empty:
        return _empty_figure("Keine erfasste Anwesenheit im gewählten Ausschnitt")
    figure = go.Figure()
    order = list(frame["name"])
    for kind in dict.fromkeys(frame["kind"]):
        part = frame[frame["kind"] == kind]
        figure.add_bar(
            name=kind,
            orientation="h",
            y=part["name"].tolist(),
            x=part["rate"].tolist(),
            marker_color=ORGANIZATION_KIND_COLORS.get(kind, ORGANIZATION_KIND_COLORS[OTHER_KIND]),
            customdata=[int(k) for k in part["key"]],
            text=[
                f"{p + r} von {c}"
                for p, r, c in zip(
                    part["present"], part["represented"], part["recorded"], strict=True
                )
            ],
            textposition="inside",
            hovertext=part["organization"].tolist(),
            hovertemplate="%{y}<br>%{hovertext}<br>%{x:.0%} (%{text})<extra></extra>",
        )
    title = None
    if total is not None and total > len(frame):
        half = len(frame) // 2
        title = f"Die {half} höchsten und {half} niedrigsten Quoten von {total}"
    figure.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
    figure.update_xaxes(title="Anwesenheitsquote", tickformat=".0%", range=[0, 1.05])
    figure.update_layout(barmode="overlay")
    return style(figure, title=title, height=min(900, max(280, 110 + 24 * len(frame))))


def attendance_view(
    session: Session,
    *,
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    by: Grouping,
) -> tuple[pd.DataFrame, go.Figure]:
    """The attendance rates and their chart (the extremes when there are many)."""
    rates = attendance_rates(
        session, committee_ids=committee_ids, states=states, since=since, until=until, by=by
    )
    return rates, attendance_figure(rate_extremes(rates), total=len(rates))


ATTENDANCE_RECORD_COLUMNS = [
    "meeting_day",
    "committee",
    "meeting",
    "person",
    "organization",
    "status",
    "substitute",
]
ATTENDANCE_RECORD_LABELS = {
    "meeting_day": "Sitzung am",
    "committee": "Gremium",
    "meeting": "Sitzung",
    "person": "Person",
    "organization": "für Organisation",
    "status": "Anwesenheit",
    "substitute": "vertreten durch",
}


def attendance_records(
    session: Session,
    *,
    by: Grouping,
    keys: Sequence[int],
    committee_ids: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = RECORD_LIMIT,
) -> pd.DataFrame:
    """The attendance rows behind selected bars (person ids or organization ids)."""
    if not keys:
        return pd.DataFrame(columns=ATTENDANCE_RECORD_COLUMNS)
    organization = aliased(Organization)
    substitute = aliased(Person)
    organization_id = _organization_id()
    statement: Statement = sa.select(
        col(Meeting.start),
        col(Committee.name),
        col(Meeting.number),
        col(Meeting.title),
        col(Person.title),
        col(Person.given_name),
        col(Person.family_name),
        col(organization.name),
        col(Attendance.status),
        col(substitute.title),
        col(substitute.given_name),
        col(substitute.family_name),
    )
    statement = (
        _attendance_from(
            statement, committee_ids=committee_ids, states=states, since=since, until=until
        )
        .join(organization, organization_id == organization.id, isouter=True)
        .join(substitute, col(Attendance.substitute_id) == substitute.id, isouter=True)
        .order_by(col(Meeting.start).desc(), col(Person.family_name), col(Person.id))
        .limit(limit)
    )
    wanted = [int(k) for k in keys]
    if by == "person":
        statement = statement.where(col(Person.id).in_(wanted))
    else:
        chosen: sa.ColumnElement[bool] = organization_id.in_(
            [k for k in wanted if k != NO_ORGANIZATION_ID]
        )
        if NO_ORGANIZATION_ID in wanted:
            chosen = sa.or_(chosen, organization_id.is_(None))
        statement = statement.where(chosen)
    rows = []
    for row in session.execute(statement):
        start, committee, number, title = row[:4]
        person = " ".join(part for part in row[4:7] if part)
        deputy = " ".join(part for part in row[9:12] if part)
        meeting = f"Nr. {number}" if number else ""
        rows.append(
            {
                "meeting_day": start.date(),
                "committee": committee,
                "meeting": f"{meeting} – {title}" if title else meeting,
                "person": person,
                "organization": row[7] or NO_ORGANIZATION,
                "status": AttendanceStatus(row[8]).label,
                "substitute": deputy or None,
            }
        )
    return pd.DataFrame(rows, columns=ATTENDANCE_RECORD_COLUMNS)
