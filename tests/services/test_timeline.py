"""Zeitleiste: the events per kind, their flags, the filters, monthly counts and the figure."""

from datetime import date, datetime

import pandas as pd
import pytest
from sqlmodel import Session, select

from models import Agreement, Committee, Decision, Meeting
from services import decisions, meetings, timeline
from services.seed import load_demo_data
from tests.conftest import ACTOR, make_committee, make_meeting

TODAY = date(2026, 1, 1)
KOMM24 = "Gründung der KOMM24 GmbH"


@pytest.fixture
def demo(session: Session) -> Session:
    load_demo_data(session)
    return session


def committee_id(session: Session, short_name: str) -> int:
    found = session.exec(select(Committee.id).where(Committee.short_name == short_name)).one()
    assert found is not None
    return found


def test_komm24_milestones_and_the_late_leipzig_approval(demo: Session) -> None:
    komm24 = demo.exec(select(Agreement).where(Agreement.title == KOMM24)).one()
    events = timeline.timeline_events(demo, today=TODAY)
    mine = events[events["agreement_id"].eq(komm24.id) & events["page"].eq("agreements")]
    assert mine[["date", "kind", "flag"]].values.tolist() == [
        [date(2019, 4, 9), "concluded", ""],
        [date(2019, 7, 1), "target", ""],
        [date(2019, 9, 4), "approval", "nach Zieltermin"],
    ]
    approval = mine.iloc[2]
    # Only Leipzig's approval is dated; the other councils' dates are unknown.
    assert approval["label"] == "Leipzig: Ratsversammlung der Stadt Leipzig"
    assert (approval["status"], approval["state"], approval["lane"]) == (
        "erteilt",
        "Sachsen",
        KOMM24,
    )
    assert approval["record_id"] == komm24.id
    late = events[events["flag"].eq("nach Zieltermin")]
    assert late["label"].tolist() == ["Leipzig: Ratsversammlung der Stadt Leipzig"]


def test_meetings_with_their_committee_and_link(demo: Session) -> None:
    la = committee_id(demo, "LA E-Gov M-V")
    events = timeline.timeline_events(demo, committee_ids=[la], kinds=["meeting"])
    assert events["date"].tolist() == [
        date(2019, 4, 10),
        date(2019, 11, 20),
        date(2020, 4, 20),
        date(2027, 3, 17),
    ]
    first = events.iloc[0]
    assert first["label"] == "Sitzung Nr. 1 – Sitzung des Lenkungsausschusses E-Government"
    assert (first["lane"], first["state"], first["status"]) == (
        "LA E-Gov M-V",
        "Mecklenburg-Vorpommern",
        "abgeschlossen",
    )
    meeting = demo.exec(
        select(Meeting).where(Meeting.committee_id == la, Meeting.number == 1)
    ).one()
    assert (first["page"], first["record_id"]) == ("meetings", meeting.id)


def test_overdue_due_dates_are_flagged(demo: Session) -> None:
    due = timeline.timeline_events(demo, kinds=["due_date"], today=TODAY)
    flagged = dict(zip(due["label"].str.split(":").str[0], due["flag"], strict=True))
    assert flagged == {
        "SG-2019/01": "",
        "LA-2019/03": "",
        "LA-2019/05": "überfällig",
        "LA-2019/04": "überfällig",
        "LA-2020/01": "überfällig",
    }
    assert due.set_index(due["label"].str.split(":").str[0]).loc["LA-2019/04", "status"] == (
        "in Umsetzung"
    )
    early = timeline.timeline_events(demo, kinds=["due_date"], today=date(2020, 2, 1))
    assert early[early["flag"].eq("überfällig")]["label"].str[:10].tolist() == ["LA-2019/05"]
    # A target date passed while the agreement still waits for approvals is overdue too.
    targets = timeline.timeline_events(demo, kinds=["target"], today=TODAY)
    assert targets[["date", "flag"]].values.tolist() == [
        [date(2019, 7, 1), ""],
        [date(2026, 6, 30), ""],
    ]
    later = timeline.timeline_events(demo, kinds=["target"], today=date(2026, 11, 1))
    assert later["flag"].tolist() == ["", "überfällig"]


def test_cancelled_meetings_are_marked(session: Session) -> None:
    body = make_committee(session, state="MV")
    meeting = make_meeting(session, body, start=datetime(2026, 5, 4, 9, 0))
    meetings.update_meeting(
        session=session, actor=ACTOR, row_id=meeting.id, data={"cancelled": True}
    )
    events = timeline.timeline_events(session)
    assert events[["date", "kind", "flag"]].values.tolist() == [
        [date(2026, 5, 4), "meeting", "abgesagt"]
    ]
    figure = timeline.timeline_figure(events)
    assert list(figure.data[0].marker.symbol) == ["circle-open"]
    assert len(figure.data) == 1  # a cancelled meeting is not overdue


def test_filters_by_committee_state_kind_and_dates(demo: Session) -> None:
    summit = committee_id(demo, "Spitzengespräch DV Sachsen")
    by_committee = timeline.timeline_events(demo, committee_ids=[summit], today=TODAY)
    assert by_committee[["date", "kind"]].values.tolist() == [
        [date(2019, 4, 9), "meeting"],
        [date(2019, 4, 9), "concluded"],
        [date(2019, 7, 1), "target"],
        [date(2019, 7, 1), "due_date"],
        [date(2019, 9, 4), "approval"],
    ]
    saxony = timeline.timeline_events(demo, states=["SN"])
    assert set(saxony["state"]) == {"Sachsen"}
    assert len(saxony) == 6  # the five above and the Ratsversammlung's meeting
    mv = timeline.timeline_events(demo, states=["MV"])
    assert set(mv["state"]) == {"Mecklenburg-Vorpommern"}
    assert len(mv) == 12
    everything = timeline.timeline_events(demo)
    assert len(everything) == 18 == timeline.count_events(demo)
    in_2019 = timeline.timeline_events(demo, since=date(2019, 4, 10), until=date(2019, 12, 31))
    assert in_2019["date"].min() == date(2019, 4, 10)
    assert in_2019["date"].max() == date(2019, 12, 31)
    assert len(in_2019) == 7
    kinds = timeline.timeline_events(demo, kinds=["approval", "concluded"])
    assert kinds["kind"].value_counts().to_dict() == {"approval": 4, "concluded": 1}
    assert timeline.count_events(demo, states=["BY"]) == 0


def test_archived_records_are_left_out(demo: Session) -> None:
    la = committee_id(demo, "LA E-Gov M-V")
    first = demo.exec(select(Meeting).where(Meeting.committee_id == la, Meeting.number == 4)).one()
    meetings.archive_meeting(session=demo, actor=ACTOR, row_id=first.id)
    overdue = demo.exec(select(Decision).where(Decision.reference == "LA-2019/05")).one()
    decisions.archive_decision(session=demo, actor=ACTOR, row_id=overdue.id)
    events = timeline.timeline_events(demo, committee_ids=[la], today=TODAY)
    assert date(2027, 3, 17) not in set(events["date"])
    assert not events["label"].str.startswith("LA-2019/05").any()
    assert len(events) == 6  # three meetings and three due dates of the committee remain


def test_monthly_counts_add_up_to_the_events(demo: Session) -> None:
    counts = timeline.monthly_counts(demo)
    assert counts["count"].sum() == timeline.count_events(demo) == 18
    april = counts[counts["month"].eq(date(2019, 4, 1))]
    assert april[["kind", "count"]].values.tolist() == [["meeting", 2], ["concluded", 1]]
    assert timeline.monthly_counts(demo, states=["SN"])["count"].sum() == 6
    figure = timeline.monthly_figure(counts)
    assert [t.name for t in figure.data] == list(timeline.EVENT_KINDS.values())
    assert figure.layout.barmode == "stack"
    meetings_trace = figure.data[0]
    assert sum(meetings_trace.y) == 6
    assert list(meetings_trace.customdata[0])[:2] == ["meeting", "2019-04-01"]


def test_figure_has_one_row_per_committee_or_agreement_and_marks_flags(demo: Session) -> None:
    events = timeline.timeline_events(demo, today=TODAY)
    figure = timeline.timeline_figure(events)
    assert [t.name for t in figure.data] == [
        *timeline.EVENT_KINDS.values(),
        "⚠ überfällig / nach Zieltermin",
    ]
    rows = set()
    for trace in figure.data:
        rows |= set(trace.y)
    assert rows == {
        "Spitzengespräch DV Sachsen",
        "Gründung der KOMM24 GmbH",
        "LA E-Gov M-V",
        "Ratsversammlung Leipzig",
        "Verwaltungsvereinbarung über eine kommunale…",
    }
    approvals = next(t for t in figure.data if t.name == "Zustimmung")
    leipzig = [data for data in approvals.customdata if data[2] == "04.09.2019"]
    assert len(leipzig) == 1
    assert "nach Zieltermin" in leipzig[0][5]
    ringed = next(t for t in figure.data if t.name == "⚠ überfällig / nach Zieltermin")
    assert sorted(data[2] for data in ringed.customdata) == [
        "04.09.2019",  # Leipzig's approval
        "30.06.2020",
        "31.01.2020",
        "31.03.2020",
    ]
    assert ringed.marker.color == timeline.FLAG_COLOR
    due = next(t for t in figure.data if t.name == "Beschlussfrist")
    assert set(due.marker.symbol) == {"triangle-up"}
    # The earliest row on top.
    assert list(figure.layout.yaxis.categoryarray)[-1] == "Spitzengespräch DV Sachsen"


def test_many_rows_are_merged_into_sonstige() -> None:
    frame = pd.DataFrame(
        {
            "date": [date(2020, 1, d % 28 + 1) for d in range(50)],
            "kind": ["meeting"] * 50,
            "lane": [f"Gremium {d:02d}" for d in range(50)],
        }
    )
    shown = timeline.lanes(frame, max_lanes=10)
    assert len(shown) == 10
    assert shown[-1] == timeline.OTHER_LANES


def test_selection_maps_points_to_events_and_record_links(demo: Session) -> None:
    events = timeline.timeline_events(demo, today=TODAY)
    komm24 = events[events["lane"].eq(KOMM24)]
    points = [{"customdata": ["approval", int(komm24.iloc[2]["source_id"])]}]
    points += [{"customdata": ["concluded", int(komm24.iloc[0]["source_id"])]}]
    picked = timeline.selected_events(events, points)
    assert picked["kind"].tolist() == ["concluded", "approval"]
    assert timeline.record_links(picked) == [
        (
            "agreements",
            komm24.iloc[0]["record_id"],
            f"09.04.2019 · Vereinbarung geschlossen: {KOMM24}",
        ),
    ]
    assert timeline.selected_events(events, []).empty
    months = timeline.selected_months(
        [
            {"customdata": ["meeting", "2019-04-01", "04.2019"]},
            {"customdata": ["meeting", "2019-04-01"]},
        ]
    )
    assert months == [(date(2019, 4, 1), "meeting")]
    assert timeline.month_end(date(2020, 2, 1)) == date(2020, 2, 29)
    assert timeline.month_end(date(2019, 12, 1)) == date(2019, 12, 31)


def test_empty_database_has_no_events(session: Session) -> None:
    assert timeline.timeline_events(session).empty
    assert timeline.count_events(session) == 0
    assert timeline.monthly_counts(session).empty
    assert list(timeline.timeline_events(session).columns) == timeline.EVENT_COLUMNS
