"""Zeitleiste: meetings, agreement milestones and decision due dates on one time axis.

One SELECT per event kind, all with the same columns, joined by UNION ALL: the database
filters, orders and (at country scale) counts the events per month.
"""

import html
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col

from models import Agreement, AgreementParty, Approval, Committee, Decision, Meeting, Organization
from models.enums import (
    AgreementState,
    ApprovalState,
    FederalState,
    FollowUpStatus,
    MeetingState,
)
from services.chart_style import style
from services.overview import UNSETTLED_STATES
from services.periods import format_date

EVENT_KINDS = {
    "meeting": "Sitzung",
    "concluded": "Vereinbarung geschlossen",
    "target": "Zieltermin",
    "approval": "Zustimmung",
    "due_date": "Beschlussfrist",
}
EVENT_COLORS = {
    "meeting": "#1f4e79",
    "concluded": "#548235",
    "target": "#bf9000",
    "approval": "#7030a0",
    "due_date": "#c55a11",
}
EVENT_SYMBOLS = {
    "meeting": "circle",
    "concluded": "star",
    "target": "diamond",
    "approval": "square",
    "due_date": "triangle-up",
}
FLAGS = {"cancelled": "abgesagt", "overdue": "überfällig", "after_target": "nach Zieltermin"}
FLAG_COLOR = "#d62728"
OTHER_LANES = "Sonstige (zusammengefasst)"
# Above this many events the page shows counts per month instead of single events.
MAX_EVENTS = 2000
MAX_LANES = 40
LANE_CHARS = 45

_STATUS_LABELS = {
    "meeting": MeetingState.labels(),
    "concluded": AgreementState.labels(),
    "target": AgreementState.labels(),
    "approval": ApprovalState.labels(),
    "due_date": FollowUpStatus.labels(),
}
_OPEN_FOLLOW_UP = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)

EVENT_COLUMNS = [
    "date",
    "kind",
    "kind_label",
    "label",
    "lane",
    "committee_id",
    "agreement_id",
    "state",
    "status",
    "flag",
    "page",
    "record_id",
    "source_id",
]
EVENT_LABELS = {
    "date": "Datum",
    "kind_label": "Ereignis",
    "label": "Bezeichnung",
    "lane": "Gremium/Vereinbarung",
    "state": "Bundesland",
    "status": "Stand",
    "flag": "Hinweis",
}
MONTH_COLUMNS = ["month", "kind", "kind_label", "count"]
MONTH_LABELS = {"month": "Monat", "kind_label": "Ereignis", "count": "Anzahl"}


class _Day(FunctionElement[date]):
    """The calendar day of a timestamp."""

    type = sa.Date()
    inherit_cache = True


@compiles(_Day)
def _day_default(element: _Day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(_Day, "sqlite")
def _day_sqlite(element: _Day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


class _Month(FunctionElement[date]):
    """The first day of a date's month."""

    type = sa.Date()
    inherit_cache = True


@compiles(_Month)
def _month_default(element: _Month, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(_Month, "sqlite")
def _month_sqlite(element: _Month, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%Y-%m-01', {compiler.process(element.clauses, **kw)})"


def _text(value: str) -> Any:
    return sa.literal(value, sa.String)


def _code(column: Any) -> Any:
    """An enum column read as its plain code, so all kinds share one result type."""
    return sa.type_coerce(column, sa.String)


def _no(type_: Any) -> Any:
    return sa.cast(sa.null(), type_)


def _in_range(column: Any, since: date | None, until: date | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [column.is_not(None)]
    if since is not None:
        conditions.append(column >= since)
    if until is not None:
        conditions.append(column <= until)
    return conditions


def _committee_filter(
    committee_id: Any, committee_ids: Collection[int] | None
) -> list[ColumnElement[bool]]:
    return [committee_id.in_(list(committee_ids))] if committee_ids else []


def _states(states: Collection[FederalState | str] | None) -> list[FederalState]:
    return [FederalState(s) for s in states or []]


def _meetings(
    committee_ids: Collection[int] | None,
    states: list[FederalState],
    since: date | None,
    until: date | None,
) -> sa.Select[Any]:
    number = sa.func.coalesce(sa.cast(col(Meeting.number), sa.String), "–")
    label = _text("Sitzung Nr. ") + number + sa.func.coalesce(_text(" – ") + col(Meeting.title), "")
    statement = (
        sa.select(
            _Day(col(Meeting.start)).label("date"),
            _text("meeting").label("kind"),
            label.label("label"),
            sa.func.coalesce(col(Committee.short_name), col(Committee.name)).label("lane"),
            col(Committee.id).label("committee_id"),
            _no(sa.Integer).label("agreement_id"),
            _code(col(Committee.state)).label("state"),
            _code(col(Meeting.state)).label("status"),
            sa.case((col(Meeting.cancelled).is_(True), "cancelled"), else_=None).label("flag"),
            _text("meetings").label("page"),
            col(Meeting.id).label("record_id"),
            col(Meeting.id).label("source_id"),
        )
        .join(Committee, col(Meeting.committee_id) == Committee.id)
        .where(
            col(Meeting.archived).is_(False),
            col(Committee.archived).is_(False),
            *_committee_filter(col(Meeting.committee_id), committee_ids),
        )
    )
    if states:
        statement = statement.where(col(Committee.state).in_(states))
    if since is not None:
        statement = statement.where(col(Meeting.start) >= datetime.combine(since, time.min))
    if until is not None:
        after = datetime.combine(until + timedelta(days=1), time.min)
        statement = statement.where(col(Meeting.start) < after)
    return statement


def _due_dates(
    committee_ids: Collection[int] | None,
    states: list[FederalState],
    since: date | None,
    until: date | None,
    today: date,
) -> sa.Select[Any]:
    overdue = sa.and_(
        col(Decision.due_date) < today, col(Decision.follow_up_status).in_(_OPEN_FOLLOW_UP)
    )
    statement = (
        sa.select(
            col(Decision.due_date).label("date"),
            _text("due_date").label("kind"),
            (col(Decision.reference) + _text(": ") + col(Decision.text)).label("label"),
            sa.func.coalesce(col(Committee.short_name), col(Committee.name)).label("lane"),
            col(Committee.id).label("committee_id"),
            _no(sa.Integer).label("agreement_id"),
            _code(col(Committee.state)).label("state"),
            _code(col(Decision.follow_up_status)).label("status"),
            sa.case((overdue, "overdue"), else_=None).label("flag"),
            _text("decisions").label("page"),
            col(Decision.id).label("record_id"),
            col(Decision.id).label("source_id"),
        )
        .join(Committee, col(Decision.committee_id) == Committee.id)
        .join(Meeting, col(Decision.meeting_id) == Meeting.id)
        .where(
            col(Decision.archived).is_(False),
            col(Meeting.archived).is_(False),
            col(Committee.archived).is_(False),
            *_in_range(col(Decision.due_date), since, until),
            *_committee_filter(col(Decision.committee_id), committee_ids),
        )
    )
    if states:
        statement = statement.where(col(Committee.state).in_(states))
    return statement


def _party_in(states: list[FederalState]) -> ColumnElement[bool]:
    """The agreement has an active party from one of `states`."""
    party_org: Any = aliased(Organization)
    return sa.exists(
        sa.select(col(AgreementParty.id))
        .join(party_org, col(AgreementParty.organization_id) == party_org.id)
        .where(
            col(AgreementParty.agreement_id) == Agreement.id,
            col(AgreementParty.archived).is_(False),
            party_org.archived.is_(False),
            party_org.state.in_(states),
        )
    )


def _party_state() -> Any:
    """One Bundesland of the agreement's parties (the first in code order)."""
    party_org: Any = aliased(Organization)
    return (
        sa.select(sa.func.min(party_org.state))
        .join(AgreementParty, col(AgreementParty.organization_id) == party_org.id)
        .where(
            col(AgreementParty.agreement_id) == Agreement.id,
            col(AgreementParty.archived).is_(False),
            party_org.archived.is_(False),
        )
        .scalar_subquery()
    )


def _milestones(
    kind: str,
    committee_ids: Collection[int] | None,
    states: list[FederalState],
    since: date | None,
    until: date | None,
    today: date,
) -> sa.Select[Any]:
    day = col(Agreement.concluded_on) if kind == "concluded" else col(Agreement.target_date)
    if kind == "target":
        missed = sa.and_(day < today, col(Agreement.state).in_(UNSETTLED_STATES))
        flag: Any = sa.case((missed, "overdue"), else_=None)
    else:
        flag = _no(sa.String)
    statement = (
        sa.select(
            day.label("date"),
            _text(kind).label("kind"),
            col(Agreement.title).label("label"),
            col(Agreement.title).label("lane"),
            col(Meeting.committee_id).label("committee_id"),
            col(Agreement.id).label("agreement_id"),
            sa.type_coerce(_party_state(), sa.String).label("state"),
            _code(col(Agreement.state)).label("status"),
            flag.label("flag"),
            _text("agreements").label("page"),
            col(Agreement.id).label("record_id"),
            col(Agreement.id).label("source_id"),
        )
        .outerjoin(Meeting, col(Agreement.meeting_id) == Meeting.id)
        .where(
            col(Agreement.archived).is_(False),
            *_in_range(day, since, until),
            *_committee_filter(col(Meeting.committee_id), committee_ids),
        )
    )
    if states:
        statement = statement.where(_party_in(states))
    return statement


def _approvals(
    committee_ids: Collection[int] | None,
    states: list[FederalState],
    since: date | None,
    until: date | None,
) -> sa.Select[Any]:
    approving: Any = aliased(Committee)
    party_name = sa.func.coalesce(col(Organization.short_name), col(Organization.name))
    body = sa.func.coalesce(approving.name, col(Approval.approving_body_name), "Zustimmung")
    late = sa.and_(
        col(Agreement.target_date).is_not(None),
        col(Approval.decided_on) > col(Agreement.target_date),
    )
    statement = (
        sa.select(
            col(Approval.decided_on).label("date"),
            _text("approval").label("kind"),
            (party_name + _text(": ") + body).label("label"),
            col(Agreement.title).label("lane"),
            sa.func.coalesce(approving.id, col(Meeting.committee_id)).label("committee_id"),
            col(Agreement.id).label("agreement_id"),
            _code(col(Organization.state)).label("state"),
            _code(col(Approval.state)).label("status"),
            sa.case((late, "after_target"), else_=None).label("flag"),
            _text("agreements").label("page"),
            col(Agreement.id).label("record_id"),
            col(Approval.id).label("source_id"),
        )
        .join(AgreementParty, col(Approval.party_id) == AgreementParty.id)
        .join(Agreement, col(AgreementParty.agreement_id) == Agreement.id)
        .join(Organization, col(AgreementParty.organization_id) == Organization.id)
        .outerjoin(approving, col(Approval.approving_committee_id) == approving.id)
        .outerjoin(Meeting, col(Agreement.meeting_id) == Meeting.id)
        .where(
            col(Approval.archived).is_(False),
            col(AgreementParty.archived).is_(False),
            col(Agreement.archived).is_(False),
            col(Organization.archived).is_(False),
            *_in_range(col(Approval.decided_on), since, until),
        )
    )
    if committee_ids:
        ids = list(committee_ids)
        statement = statement.where(
            sa.or_(
                col(Approval.approving_committee_id).in_(ids), col(Meeting.committee_id).in_(ids)
            )
        )
    if states:
        statement = statement.where(col(Organization.state).in_(states))
    return statement


def _events(
    *,
    committee_ids: Collection[int] | None,
    states: Collection[FederalState | str] | None,
    kinds: Collection[str] | None,
    since: date | None,
    until: date | None,
    today: date | None,
    lean: bool = False,
) -> sa.Subquery | None:
    """The UNION ALL of every wanted event kind; `lean` keeps only date and kind, so counting
    skips building labels (a decision's text, say) for every row."""
    wanted = set(kinds) if kinds else set(EVENT_KINDS)
    chosen = _states(states)
    today = today or date.today()
    selects: list[sa.Select[Any]] = []
    if "meeting" in wanted:
        selects.append(_meetings(committee_ids, chosen, since, until))
    for kind in ("concluded", "target"):
        if kind in wanted:
            selects.append(_milestones(kind, committee_ids, chosen, since, until, today))
    if "approval" in wanted:
        selects.append(_approvals(committee_ids, chosen, since, until))
    if "due_date" in wanted:
        selects.append(_due_dates(committee_ids, chosen, since, until, today))
    if not selects:
        return None
    if lean:
        selects = [
            select.with_only_columns(
                select.selected_columns.date,
                select.selected_columns.kind,
                maintain_column_froms=True,
            )
            for select in selects
        ]
    return sa.union_all(*selects).subquery("event")


def _kind_order(kind_column: Any) -> Any:
    return sa.case(
        *((kind_column == kind, rank) for rank, kind in enumerate(EVENT_KINDS)), else_=99
    )


def timeline_events(
    session: Session,
    *,
    committee_ids: Collection[int] | None = None,
    states: Collection[FederalState | str] | None = None,
    kinds: Collection[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    today: date | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Dated events in order: meetings, agreements concluded and due, each dated approval,
    decision due dates; `flag` marks cancelled, overdue and after-target events."""
    event = _events(
        committee_ids=committee_ids,
        states=states,
        kinds=kinds,
        since=since,
        until=until,
        today=today,
    )
    if event is None:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    statement = (
        sa.select(event)
        .order_by(event.c.date, _kind_order(event.c.kind), event.c.lane, event.c.label)
        .limit(limit)
    )
    frame = pd.DataFrame(
        [dict(row) for row in session.execute(statement).mappings()],
        columns=[c for c in EVENT_COLUMNS if c != "kind_label"],
    )
    return _labelled(frame)


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    states = FederalState.labels()
    frame["kind_label"] = frame["kind"].map(EVENT_KINDS)
    frame["state"] = [states.get(code, "") if code else "" for code in frame["state"]]
    frame["status"] = [
        _STATUS_LABELS[kind].get(code, "") if code else ""
        for kind, code in zip(frame["kind"], frame["status"], strict=True)
    ]
    frame["flag"] = [FLAGS.get(code, "") if code else "" for code in frame["flag"]]
    for column in ("committee_id", "agreement_id"):
        frame[column] = frame[column].astype("Int64")
    return frame[EVENT_COLUMNS]


def count_events(
    session: Session,
    *,
    committee_ids: Collection[int] | None = None,
    states: Collection[FederalState | str] | None = None,
    kinds: Collection[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> int:
    """How many events the filters select."""
    event = _events(
        committee_ids=committee_ids,
        states=states,
        kinds=kinds,
        since=since,
        until=until,
        today=None,
        lean=True,
    )
    if event is None:
        return 0
    return int(session.execute(sa.select(sa.func.count()).select_from(event)).scalar_one())


def monthly_counts(
    session: Session,
    *,
    committee_ids: Collection[int] | None = None,
    states: Collection[FederalState | str] | None = None,
    kinds: Collection[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """Events per month and kind, for selections too large to draw one by one."""
    event = _events(
        committee_ids=committee_ids,
        states=states,
        kinds=kinds,
        since=since,
        until=until,
        today=None,
        lean=True,
    )
    if event is None:
        return pd.DataFrame(columns=MONTH_COLUMNS)
    month = _Month(event.c.date).label("month")
    statement = (
        sa.select(month, event.c.kind, sa.func.count().label("count"))
        .group_by(month, event.c.kind)
        .order_by(month, _kind_order(event.c.kind))
    )
    rows = [
        {
            "month": _as_date(month_value),
            "kind": kind,
            "kind_label": EVENT_KINDS[kind],
            "count": int(count),
        }
        for month_value, kind, count in session.execute(statement)
    ]
    return pd.DataFrame(rows, columns=MONTH_COLUMNS)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _short(text: str, limit: int = LANE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def lanes(frame: pd.DataFrame, max_lanes: int = MAX_LANES) -> list[str]:
    """The committees/agreements the chart gives a row, earliest first; the rest are merged."""
    first = frame.groupby("lane", sort=False)["date"].min().sort_values(kind="stable")
    if len(first) <= max_lanes:
        return list(first.index)
    busiest = frame["lane"].value_counts().head(max_lanes - 1).index
    return [lane for lane in first.index if lane in set(busiest)] + [OTHER_LANES]


def timeline_figure(frame: pd.DataFrame) -> go.Figure:
    """One row per committee or agreement, one symbol per event kind; overdue events and
    approvals after the target date ringed in red, cancelled meetings hollow."""
    shown = lanes(frame)
    lane = frame["lane"].where(frame["lane"].isin(shown), OTHER_LANES).map(_short)
    order = [_short(name) for name in shown]
    when = pd.to_datetime(frame["date"])
    customdata = [
        [kind, int(source_id), format_date(day), html.escape(text), html.escape(name), extra]
        for kind, source_id, day, text, name, extra in zip(
            frame["kind"],
            frame["source_id"],
            frame["date"],
            frame["label"],
            frame["lane"],
            _hover_extra(frame),
            strict=True,
        )
    ]
    figure = go.Figure()
    for kind, label in EVENT_KINDS.items():
        mask = frame["kind"].eq(kind)
        if not mask.any():
            continue
        symbol = EVENT_SYMBOLS[kind]
        figure.add_trace(
            go.Scatter(
                x=when[mask],
                y=lane[mask],
                mode="markers",
                name=label,
                marker={
                    "symbol": [
                        f"{symbol}-open" if flag == FLAGS["cancelled"] else symbol
                        for flag in frame.loc[mask, "flag"]
                    ],
                    "size": 13,
                    "color": EVENT_COLORS[kind],
                    "line": {"width": 1, "color": "#ffffff"},
                },
                customdata=[row for row, chosen in zip(customdata, mask, strict=True) if chosen],
                hovertemplate=(
                    f"<b>{label}</b> am %{{customdata[2]}}<br>%{{customdata[3]}}<br>"
                    "%{customdata[4]}%{customdata[5]}<extra></extra>"
                ),
            )
        )
    late = frame["flag"].isin([FLAGS["overdue"], FLAGS["after_target"]])
    if late.any():
        figure.add_trace(
            go.Scatter(
                x=when[late],
                y=lane[late],
                mode="markers",
                name="⚠ überfällig / nach Zieltermin",
                marker={
                    "symbol": "circle-open",
                    "size": 22,
                    "color": FLAG_COLOR,
                    "line": {"width": 2.5},
                },
                customdata=[row for row, chosen in zip(customdata, late, strict=True) if chosen],
                hoverinfo="skip",
            )
        )
    style(figure, height=min(1400, max(340, 170 + 34 * len(order))))
    # The legend below the axis, clear of Plotly's toolbar.
    figure.update_layout(legend={"y": -0.1, "yanchor": "top"}, showlegend=True, hovermode="closest")
    figure.update_yaxes(
        categoryorder="array", categoryarray=list(reversed(order)), title=None, automargin=True
    )
    figure.update_xaxes(title=None, tickformat="%m.%Y", hoverformat="%d.%m.%Y")
    return figure


def _hover_extra(part: pd.DataFrame) -> list[str]:
    extra = []
    for status, flag, state in zip(part["status"], part["flag"], part["state"], strict=True):
        text = "".join(
            [
                f"<br>Stand: {status}" if status else "",
                f"<br>Bundesland: {state}" if state else "",
                f"<br><b>⚠ {flag}</b>" if flag else "",
            ]
        )
        extra.append(text)
    return extra


def monthly_figure(counts: pd.DataFrame) -> go.Figure:
    """Stacked bars: events per month, one colour per event kind."""
    figure = go.Figure()
    for kind, label in EVENT_KINDS.items():
        part = counts[counts["kind"].eq(kind)]
        if part.empty:
            continue
        months = [d.strftime("%m.%Y") for d in part["month"]]
        figure.add_trace(
            go.Bar(
                x=pd.to_datetime(part["month"]),
                y=part["count"].tolist(),
                name=label,
                marker_color=EVENT_COLORS[kind],
                customdata=[
                    [kind, d.isoformat(), m] for d, m in zip(part["month"], months, strict=True)
                ],
                hovertemplate=f"{label} im %{{customdata[2]}}: %{{y}}<extra></extra>",
            )
        )
    style(figure, height=460)
    figure.update_layout(barmode="stack")
    figure.update_xaxes(title=None, tickformat="%m.%Y")
    figure.update_yaxes(title="Ereignisse", separatethousands=True)
    return figure


def selected_events(frame: pd.DataFrame, points: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The events behind the chart points the user clicked or lassoed."""
    keys = {
        (str(data[0]), int(data[1]))
        for data in (point.get("customdata") or [] for point in points)
        if len(data) >= 2
    }
    mask = [
        (kind, int(source_id)) in keys
        for kind, source_id in zip(frame["kind"], frame["source_id"], strict=True)
    ]
    return frame.loc[mask].reset_index(drop=True)


def selected_months(points: Iterable[Mapping[str, Any]]) -> list[tuple[date, str]]:
    """(first day of month, event kind) of the monthly bars the user picked."""
    picked = []
    for point in points:
        data = point.get("customdata") or []
        if len(data) >= 2:
            key = (date.fromisoformat(str(data[1])), str(data[0]))
            if key not in picked:
                picked.append(key)
    return sorted(picked)


def month_end(first: date) -> date:
    """The last day of `first`'s month."""
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def record_links(frame: pd.DataFrame) -> list[tuple[str, int, str]]:
    """(page, id, link text) per distinct record of `frame`, in its order."""
    seen: set[tuple[str, int]] = set()
    result = []
    for page, record_id, kind_label, label, day in zip(
        frame["page"],
        frame["record_id"],
        frame["kind_label"],
        frame["label"],
        frame["date"],
        strict=True,
    ):
        key = (str(page), int(record_id))
        if key in seen:
            continue
        seen.add(key)
        result.append((key[0], key[1], f"{format_date(day)} · {kind_label}: {_short(label, 90)}"))
    return result
