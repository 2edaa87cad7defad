"""Gremienarbeit: decisions by follow-up status, overdue decisions over time, attendance rates."""

from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import pytest
from sqlmodel import Session, select

from models import Committee, Decision, Meeting, Organization, Person
from models.enums import MeetingKind, MeetingState
from services import committee_work as work
from services import decisions, meetings
from services.chart_style import ORGANIZATION_KIND_COLORS
from services.seed import load_demo_data
from tests.conftest import (
    ACTOR,
    make_agenda_item,
    make_committee,
    make_meeting,
    make_membership,
    make_org,
    make_person,
    record_attendance,
)

AS_OF = date(2026, 11, 28)
LA = "Lenkungsausschuss E-Government Mecklenburg-Vorpommern"


def committee_id(session: Session, name: str) -> int:
    committee = session.exec(select(Committee).where(Committee.name == name)).one()
    assert committee.id is not None
    return committee.id


def series(frame: pd.DataFrame) -> dict[date, int]:
    return dict(zip(frame["month"], frame["overdue"], strict=True))


def counts(frame: pd.DataFrame, name: str) -> dict[str, int]:
    rows = frame[frame["committee"] == name]
    return dict(zip(rows["status_key"], rows["decisions"], strict=True))


def decide(session: Session, meeting: Meeting, reference: str, **overrides: Any) -> Decision:
    item = make_agenda_item(session, meeting, number=reference, title=f"TOP {reference}")
    data = {
        "meeting_id": meeting.id,
        "agenda_item_id": item.id,
        "reference": reference,
        "text": "Beschlossen.",
        **overrides,
    }
    return decisions.record_decision(session=session, actor=ACTOR, data=data)


def note(session: Session, decision: Decision, day: date, status: str) -> None:
    decisions.add_follow_up_note(
        session=session,
        actor=ACTOR,
        data={"decision_id": decision.id, "noted_on": day, "status": status},
    )


# --- demo data ------------------------------------------------------------------------


def test_demo_lenkungsausschuss_has_the_most_overdue_decisions(session: Session) -> None:
    load_demo_data(session)
    frame = work.decisions_by_status(session, today=AS_OF)
    assert counts(frame, LA) == {"overdue": 3, "done": 4}
    assert counts(frame, "Spitzengespräch „Digitale Verwaltung Sachsen“") == {"done": 1}
    assert counts(frame, "Ratsversammlung der Stadt Leipzig") == {"done": 1}
    assert set(frame["status"]) == {"überfällig", "erledigt"}

    leader = work.most_overdue_committee(frame)
    assert leader is not None
    assert (leader["committee"], leader["label"], leader["overdue"], leader["tied"]) == (
        LA,
        "LA E-Gov M-V",
        3,
        0,
    )

    la = committee_id(session, LA)
    records = work.decision_records(session, segments=[(la, "overdue")], today=AS_OF)
    assert sorted(records["reference"]) == ["LA-2019/04", "LA-2019/05", "LA-2020/01"]
    assert set(records["status"]) == {"überfällig"}
    assert records.set_index("reference").loc["LA-2019/05", "due_date"] == date(2020, 1, 31)


def test_demo_status_respects_today_and_filters(session: Session) -> None:
    load_demo_data(session)
    # On 15.02.2020 only LA-2019/05 (due 31.01.2020) was past its due date.
    early = work.decisions_by_status(session, today=date(2020, 2, 15))
    assert counts(early, LA) == {"overdue": 1, "in_progress": 2, "done": 4}
    # Decisions from meetings in 2020 only: the Umlaufbeschluss LA-2020/01.
    recent = work.decisions_by_status(session, since=date(2020, 1, 1), today=AS_OF)
    assert counts(recent, LA) == {"overdue": 1}
    assert set(recent["committee"]) == {LA}
    saxony = work.decisions_by_status(session, states=["SN"], today=AS_OF)
    assert LA not in set(saxony["committee"])
    assert work.most_overdue_committee(saxony) is None
    assert work.decisions_by_status(session, states=["BY"], today=AS_OF).empty


def test_demo_overdue_over_time_for_the_lenkungsausschuss(session: Session) -> None:
    load_demo_data(session)
    la = committee_id(session, LA)
    frame = work.overdue_over_time(
        session, committee_ids=[la], since=date(2019, 12, 1), until=AS_OF
    )
    by_month = series(frame)
    assert by_month[date(2019, 12, 31)] == 0  # LA-2019/03 was done on 20.11.2019
    assert by_month[date(2020, 1, 31)] == 0  # due that day, not yet past
    assert by_month[date(2020, 2, 29)] == 1  # LA-2019/05
    assert by_month[date(2020, 3, 31)] == 1
    assert by_month[date(2020, 4, 30)] == 2  # + LA-2019/04
    assert by_month[date(2020, 6, 30)] == 2
    assert by_month[date(2020, 7, 31)] == 3  # + LA-2020/01
    assert frame["month"].iloc[-1] == AS_OF  # the period's end, mid-month
    assert by_month[AS_OF] == 3
    assert len(frame) == 1 + 6 * 12 + 10 + 1  # Dec 2019 .. Oct 2026, and 28.11.2026

    records = work.overdue_records(session, days=[date(2020, 4, 30)], committee_ids=[la])
    assert list(records["reference"]) == ["LA-2019/05", "LA-2019/04"]
    assert list(records["status"]) == ["offen", "in Umsetzung"]


def test_demo_summit_decision_is_overdue_until_its_done_note(session: Session) -> None:
    load_demo_data(session)
    summit = committee_id(session, "Spitzengespräch „Digitale Verwaltung Sachsen“")
    # SG-2019/01 was due on 01.07.2019 and is erledigt by the note of 15.01.2020.
    frame = work.overdue_over_time(
        session, committee_ids=[summit], since=date(2019, 6, 1), until=date(2020, 2, 29)
    )
    assert list(frame["overdue"]) == [0, 1, 1, 1, 1, 1, 1, 0, 0]
    records = work.overdue_records(session, days=[date(2019, 9, 30)], committee_ids=[summit])
    assert list(records["reference"]) == ["SG-2019/01"]
    assert records["completed_on"].iloc[0] == date(2020, 1, 15)


def test_demo_attendance_rates(session: Session) -> None:
    load_demo_data(session)
    la = committee_id(session, LA)
    people = work.attendance_rates(session, committee_ids=[la], by="person").set_index("name")
    assert people.loc["Kerstin Weiss", ["present", "excused", "recorded", "rate"]].tolist() == [
        1,
        1,
        2,
        0.5,
    ]
    # Represented at the first meeting, present at the second: full attendance.
    assert people.loc["Martin Muster", ["present", "represented", "rate"]].tolist() == [1, 1, 1.0]
    assert people.loc["Karl Vorlage", "rate"] == 0.5
    assert people.loc["Kerstin Weiss", "kind"] == "Landkreis"
    # The Geschäftsstelle attends but is no member with a duty to attend.
    assert "Lena Platzhalter" not in people.index
    assert len(people) == 9
    assert list(people["rate"]) == sorted(people["rate"], reverse=True)

    bodies = work.attendance_rates(session, committee_ids=[la], by="organization")
    rates = dict(zip(bodies["name"], bodies["rate"], strict=True))
    assert rates == {
        "Land Mecklenburg-Vorpommern": 1.0,  # Ulbrich, Beispiel, Muster: 6 of 6
        "Universitäts- und Hansestadt Greifswald": 1.0,
        "Landkreistag Mecklenburg-Vorpommern": 0.75,  # Max Mustermann sits for it
        "Städte- und Gemeindetag Mecklenburg-Vorpommern": 0.75,
        "Landkreis Nordwestmecklenburg": 0.5,
    }
    land = bodies.set_index("name").loc["Land Mecklenburg-Vorpommern"]
    rows = work.attendance_records(
        session, by="organization", keys=[int(land["key"])], committee_ids=[la]
    )
    assert len(rows) == 6
    represented = rows[rows["status"] == "vertreten"]
    assert represented[["person", "substitute"]].values.tolist() == [
        ["Martin Muster", "Tobias Testfeld"]
    ]


# --- hand-made data -----------------------------------------------------------------------


def test_done_note_stops_counting_from_its_month(session: Session) -> None:
    body = make_committee(session)
    meeting = make_meeting(session, body, start=datetime(2020, 1, 10, 10, 0))
    late = decide(session, meeting, "1", due_date=date(2020, 2, 15))
    note(session, late, date(2020, 3, 1), "in_progress")
    note(session, late, date(2020, 4, 10), "done")
    # Reopened later and finished again: only the last finishing counts.
    reopened = decide(session, meeting, "2", due_date=date(2020, 1, 20))
    note(session, reopened, date(2020, 2, 5), "done")
    note(session, reopened, date(2020, 3, 5), "in_progress")
    note(session, reopened, date(2020, 5, 20), "not_feasible")
    note(session, reopened, date(2020, 6, 2), "not_feasible")
    frame = work.overdue_over_time(session, since=date(2020, 1, 1), until=date(2020, 7, 31))
    assert series(frame) == {
        date(2020, 1, 31): 1,  # "2" only
        date(2020, 2, 29): 2,  # "1" is late too; "2" counts until it is finished for good
        date(2020, 3, 31): 2,
        date(2020, 4, 30): 1,  # "1" done on 10.04.
        date(2020, 5, 31): 0,  # "2" nicht umsetzbar on 20.05.
        date(2020, 6, 30): 0,
        date(2020, 7, 31): 0,
    }
    records = work.overdue_records(session, days=[date(2020, 3, 31)])
    assert list(records["completed_on"]) == [date(2020, 5, 20), date(2020, 4, 10)]


def test_done_without_note_counts_from_its_last_change(session: Session) -> None:
    meeting = make_meeting(session, make_committee(session), start=datetime(2020, 1, 10, 10, 0))
    decision = decide(session, meeting, "1", due_date=date(2020, 1, 31))
    decisions.update_decision(
        session=session, actor=ACTOR, row_id=decision.id, data={"follow_up_status": "done"}
    )
    decision.updated_at = datetime(2020, 3, 15, 9, 30, tzinfo=UTC)
    session.add(decision)
    session.commit()
    frame = work.overdue_over_time(session, since=date(2020, 1, 1), until=date(2020, 4, 30))
    assert list(frame["overdue"]) == [0, 1, 0, 0]


def test_archived_decisions_and_meetings_do_not_count(session: Session) -> None:
    body = make_committee(session)
    kept = make_meeting(session, body, start=datetime(2020, 1, 10, 10, 0))
    dropped = make_meeting(session, body, start=datetime(2020, 1, 12, 10, 0))
    decide(session, kept, "1", due_date=date(2020, 1, 31))
    archived = decide(session, kept, "2", due_date=date(2020, 1, 31))
    decide(session, dropped, "3", due_date=date(2020, 1, 31))
    decisions.archive_decision(session=session, actor=ACTOR, row_id=archived.id)
    meetings.archive_meeting(session=session, actor=ACTOR, row_id=dropped.id)

    status = work.decisions_by_status(session, today=date(2020, 3, 1))
    assert status[["status_key", "decisions"]].values.tolist() == [["overdue", 1]]
    frame = work.overdue_over_time(session, since=date(2020, 2, 1), until=date(2020, 2, 29))
    assert series(frame) == {date(2020, 2, 29): 1}
    records = work.decision_records(
        session, segments=[(int(body.id), "overdue")], today=date(2020, 3, 1)
    )
    assert list(records["reference"]) == ["1"]


def test_archived_committee_does_not_count(session: Session) -> None:
    body = make_committee(session)
    meeting = make_meeting(session, body, start=datetime(2020, 1, 10, 10, 0))
    decide(session, meeting, "1", due_date=date(2020, 1, 31))
    body.archived = True
    session.add(body)
    session.commit()
    assert work.decisions_by_status(session, today=date(2020, 3, 1)).empty
    assert not work.has_due_dates(session)
    assert work.committee_choices(session) == {}


def held_meeting(session: Session, body: Committee, day: int, **overrides: Any) -> Meeting:
    return make_meeting(session, body, start=datetime(2021, 3, day, 10, 0), **overrides)


def close(session: Session, meeting: Meeting, state: MeetingState = MeetingState.HELD) -> None:
    meetings.change_meeting_state(session=session, actor=ACTOR, row_id=meeting.id, state=state)


def test_attendance_rates_are_exact(session: Session) -> None:
    district = make_org(session, name="Landkreis A", kind="district")
    home = make_org(session, name="Stadt B", kind="district_free_city")
    body = make_committee(session, state="MV")
    anna, bert, cora, dora, guest = (
        make_person(session, given_name=name, family_name="Test", organization_id=home.id)
        for name in ("Anna", "Bert", "Cora", "Dora", "Gast")
    )
    for person in (anna, bert):
        make_membership(session, body, person, on_behalf_of_id=district.id)
    make_membership(session, body, cora)  # sits for her own organization
    make_membership(session, body, dora, end_date=date(2021, 3, 2))
    first, second, third = (held_meeting(session, body, day) for day in (1, 2, 3))
    planned = held_meeting(session, body, 4)
    statuses = [
        (anna, ["present", "present", "excused"]),
        (bert, ["represented", "present", "present"]),
        (cora, ["absent", "absent", "excused"]),
        (dora, ["present", "present", "present"]),  # not a member any more on 03.03.
    ]
    for person, row in statuses:
        for meeting, status in zip((first, second, third), row, strict=True):
            extra = {"substitute_id": guest.id} if status == "represented" else {}
            record_attendance(session, meeting, person, status=status, **extra)
    record_attendance(session, third, guest)  # a guest's row never counts
    record_attendance(session, planned, cora)  # a meeting that has not taken place
    for meeting in (first, second, third):
        close(session, meeting)

    people = work.attendance_rates(session, by="person").set_index("name")
    assert people.loc["Anna Test", ["present", "recorded"]].tolist() == [2, 3]
    assert people.loc["Anna Test", "rate"] == pytest.approx(2 / 3)
    assert round(people.loc["Anna Test", "rate"], 3) == 0.667
    assert people.loc["Bert Test", "rate"] == 1.0
    assert people.loc["Cora Test", ["absent", "excused", "recorded", "rate"]].tolist() == [
        2,
        1,
        3,
        0.0,
    ]
    assert people.loc["Dora Test", ["recorded", "rate"]].tolist() == [2, 1.0]
    assert "Gast Test" not in people.index
    assert set(people["kind"]) == {"kreisfreie Stadt"}

    bodies = work.attendance_rates(session, by="organization").set_index("name")
    assert bodies.loc["Landkreis A", "rate"] == pytest.approx(5 / 6)
    assert bodies.loc["Landkreis A", "kind"] == "Landkreis"
    assert bodies.loc["Stadt B", ["present", "recorded"]].tolist() == [2, 5]  # Cora + Dora

    rows = work.attendance_records(session, by="person", keys=[int(anna.id)])
    assert rows["status"].tolist() == ["entschuldigt", "anwesend", "anwesend"]
    assert work.attendance_rates(session, by="person", states=["SN"]).empty
    since = work.attendance_rates(session, by="person", since=date(2021, 3, 2))
    assert since.set_index("name").loc["Anna Test", "recorded"] == 2


def test_cancelled_meetings_do_not_count(session: Session) -> None:
    body = make_committee(session)
    person = make_person(session)
    make_membership(session, body, person)
    held, called_off = held_meeting(session, body, 1), held_meeting(session, body, 2)
    record_attendance(session, held, person)
    record_attendance(session, called_off, person, status="absent")
    close(session, held, MeetingState.CLOSED)
    meetings.cancel_meeting(session=session, actor=ACTOR, row_id=called_off.id)
    circulation = held_meeting(session, body, 3, kind=MeetingKind.CIRCULATION)
    assert circulation.kind == MeetingKind.CIRCULATION
    rates = work.attendance_rates(session, by="person")
    assert rates[["recorded", "rate"]].values.tolist() == [[1, 1.0]]


def test_organization_falls_back_to_none(session: Session) -> None:
    body = make_committee(session)
    loner = make_person(session, family_name="Ohne")
    make_membership(session, body, loner)
    meeting = held_meeting(session, body, 1)
    record_attendance(session, meeting, loner, status="excused")
    close(session, meeting)
    bodies = work.attendance_rates(session, by="organization")
    assert bodies[["key", "name", "kind", "rate"]].values.tolist() == [
        [work.NO_ORGANIZATION_ID, "ohne Organisation", "Sonstige", 0.0]
    ]
    rows = work.attendance_records(session, by="organization", keys=[work.NO_ORGANIZATION_ID])
    assert rows[["person", "organization"]].values.tolist() == [["Jana Ohne", "ohne Organisation"]]


# --- folding, extremes, figures, selection ---------------------------------------------------


def status_frame(pending: dict[str, int]) -> pd.DataFrame:
    rows = []
    for number, (name, open_count) in enumerate(pending.items(), start=1):
        rows.append((number, name, "open", open_count))
        rows.append((number, name, "done", 1))
        rows.append((number, name, "overdue", number % 2))
    return pd.DataFrame(
        [
            {
                "committee_id": committee,
                "committee": name,
                "label": name,
                "state": "",
                "status_key": key,
                "status": work.STATUS_LABELS[key],
                "decisions": count,
            }
            for committee, name, key, count in rows
        ],
        columns=work.STATUS_COLUMNS,
    )


def test_top_committees_and_the_rest_folded() -> None:
    frame = status_frame({"A": 1, "B": 5, "C": 3, "D": 0})
    table = work.fold_committees(frame, top=2)
    assert table["label"].tolist() == ["B", "C", work.OTHER_COMMITTEES]
    other = table.iloc[-1]
    assert other["committee_id"] == work.OTHERS_ID
    # A: 1 open + 1 overdue, D: 0 open; both with one done.
    assert other[["open", "overdue", "done", "pending", "total"]].tolist() == [1, 1, 2, 2, 4]
    assert other["committee"] == f"{work.OTHER_COMMITTEES}: 2 Gremien"
    assert work.kept_committee_ids(table) == [2, 3]
    assert work.fold_committees(frame, top=4)["label"].tolist() == ["B", "C", "A", "D"]
    long = work.status_long(table)
    assert long["decisions"].sum() == frame["decisions"].sum()


def test_folded_bar_selects_the_other_committees(session: Session) -> None:
    for name, late in (("Gremium A", 3), ("Gremium B", 1), ("Gremium C", 2)):
        meeting = make_meeting(
            session, make_committee(session, name=name), start=datetime(2020, 1, 10, 10, 0)
        )
        for number in range(late):
            decide(session, meeting, f"{name[-1]}-{number}", due_date=date(2020, 1, 31))
    frame = work.decisions_by_status(session, today=date(2020, 3, 1))
    table = work.fold_committees(frame, top=1)
    assert table[["label", "overdue"]].values.tolist() == [
        ["Gremium A", 3],
        [work.OTHER_COMMITTEES, 3],
    ]
    records = work.decision_records(
        session,
        segments=[(work.OTHERS_ID, "overdue")],
        kept_ids=work.kept_committee_ids(table),
        today=date(2020, 3, 1),
    )
    assert sorted(records["reference"]) == ["B-0", "C-0", "C-1"]


def test_rate_extremes_keep_highest_and_lowest() -> None:
    frame = pd.DataFrame({"name": list("abcde"), "rate": [1.0, 0.8, 0.5, 0.2, 0.0]})
    shown = work.rate_extremes(frame, n=2)
    assert shown["name"].tolist() == ["a", "b", "d", "e"]
    assert shown["band"].tolist() == ["höchste Quote"] * 2 + ["niedrigste Quote"] * 2
    assert work.rate_extremes(frame, n=3)["name"].tolist() == list("abcde")


def test_status_figure_stacks_overdue_first() -> None:
    table = work.fold_committees(status_frame({"A": 1, "B": 5}))
    figure = work.status_figure(table)
    assert [trace.name for trace in figure.data] == [
        "überfällig",
        "offen",
        "in Umsetzung",
        "erledigt",
        "nicht umsetzbar",
    ]
    overdue = figure.data[0]
    assert list(overdue.y) == ["B", "A"]
    assert list(overdue.x) == [0, 1]
    assert overdue.marker.color == work.STATUS_COLORS["überfällig"]
    assert [list(point) for point in overdue.customdata] == [[2, "overdue"], [1, "overdue"]]
    assert figure.layout.barmode == "stack"
    assert work.status_figure(table.iloc[0:0]).layout.annotations


def test_attendance_figure_uses_kind_colours(session: Session) -> None:
    load_demo_data(session)
    rates = work.attendance_rates(session, by="organization")
    figure = work.attendance_figure(work.rate_extremes(rates, n=3), total=len(rates))
    colours = {trace.name: trace.marker.color for trace in figure.data}
    assert (
        colours["kommunaler Spitzenverband"]
        == ORGANIZATION_KIND_COLORS["kommunaler Spitzenverband"]
    )
    assert sum(len(trace.x) for trace in figure.data) == 6
    assert figure.layout.title.text == f"Die 3 höchsten und 3 niedrigsten Quoten von {len(rates)}"
    spitzen = next(trace for trace in figure.data if trace.name == "kommunaler Spitzenverband")
    assert list(spitzen.x) == [0.75, 0.75]
    assert list(spitzen.text) == ["3 von 4", "3 von 4"]


def test_overdue_figure_carries_the_day() -> None:
    frame = pd.DataFrame({"month": [date(2020, 1, 31), date(2020, 2, 29)], "overdue": [0, 2]})
    trace = work.overdue_figure(frame).data[0]
    assert list(trace.y) == [0, 2]
    assert list(trace.customdata) == ["2020-01-31", "2020-02-29"]


def test_selection_maps_back_to_keys() -> None:
    points = [
        {"customdata": [3, "overdue"]},
        {"customdata": [3, "overdue"]},
        {"customdata": [0, "done"]},
        {"x": 1},
    ]
    assert work.selected_segments(points) == [(3, "overdue"), (0, "done")]
    assert work.selected_values([{"customdata": 7}, {"customdata": [8]}, {"customdata": 7}]) == [
        7,
        8,
    ]


def test_month_ends() -> None:
    assert work.month_ends(date(2020, 1, 15), date(2020, 3, 10)) == [
        date(2020, 1, 31),
        date(2020, 2, 29),
        date(2020, 3, 10),
    ]
    assert work.month_ends(date(2020, 12, 1), date(2021, 1, 31)) == [
        date(2020, 12, 31),
        date(2021, 1, 31),
    ]
    assert work.month_ends(date(2020, 2, 1), date(2020, 1, 1)) == []


def test_empty_database(session: Session) -> None:
    assert work.decisions_by_status(session, today=AS_OF).empty
    assert work.most_overdue_committee(work.decisions_by_status(session, today=AS_OF)) is None
    assert work.status_table(work.decisions_by_status(session, today=AS_OF)).empty
    frame = work.overdue_over_time(session, since=date(2020, 1, 1), until=date(2020, 2, 29))
    assert list(frame["overdue"]) == [0, 0]
    assert work.attendance_rates(session, by="person").empty
    assert work.activity_start(session) is None
    assert not work.demo_data_in_use(session)
    assert work.attendance_figure(work.attendance_rates(session, by="person")).layout.annotations


def test_filter_choices(session: Session) -> None:
    load_demo_data(session)
    assert list(work.committee_choices(session, states=["SN"]).values()) == [
        "Ratsversammlung der Stadt Leipzig",
        "Spitzengespräch „Digitale Verwaltung Sachsen“",
    ]
    assert work.activity_start(session) == date(2019, 4, 9)
    assert work.demo_data_in_use(session)
    assert session.exec(select(Organization)).first() is not None
    assert session.exec(select(Person)).first() is not None
