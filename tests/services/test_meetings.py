"""Sitzungen, Tagesordnung, Anwesenheit and Beschlussfähigkeit."""

from datetime import date, datetime, time

import pytest
from sqlmodel import Session, col, select

from models import AgendaItem, Attendance, AuditEvent
from models.enums import AttendanceStatus, DecisionResult, MeetingState, QuorumRule
from services import meetings
from services.actor import Actor
from services.errors import DomainError
from services.write import key
from tests.conftest import (
    make_agenda_item,
    make_committee,
    make_meeting,
    make_membership,
    make_person,
    make_voting_body,
    record_attendance,
)


def test_meetings_are_numbered_per_committee(session: Session) -> None:
    first, second = make_committee(session, name="A"), make_committee(session, name="B")
    assert [make_meeting(session, first).number, make_meeting(session, first).number] == [1, 2]
    assert make_meeting(session, second).number == 1
    with pytest.raises(DomainError, match="Sitzungsnummer") as info:
        make_meeting(session, first, number=2)
    assert info.value.field == "number"


def test_meeting_must_fall_within_the_committee_lifetime(session: Session) -> None:
    body = make_committee(session, start_date=date(2019, 1, 1), end_date=date(2020, 12, 31))
    with pytest.raises(DomainError, match="Bestehenszeit") as info:
        make_meeting(session, body, start=datetime(2021, 3, 1, 10))
    assert info.value.field == "start"


def test_states_move_forward_only_and_closed_can_be_reopened(
    session: Session, actor: Actor
) -> None:
    meeting = make_meeting(session, make_committee(session))
    meetings.change_meeting_state(
        session=session, actor=actor, row_id=meeting.id, state=MeetingState.HELD
    )
    with pytest.raises(DomainError, match="zurückgesetzt") as info:
        meetings.change_meeting_state(
            session=session, actor=actor, row_id=meeting.id, state=MeetingState.INVITED
        )
    assert info.value.field == "state"
    meetings.change_meeting_state(
        session=session, actor=actor, row_id=meeting.id, state=MeetingState.CLOSED
    )
    reopened = meetings.change_meeting_state(
        session=session, actor=actor, row_id=meeting.id, state=MeetingState.HELD
    )
    assert reopened.state == MeetingState.HELD


def test_closing_is_refused_while_an_item_has_no_outcome(session: Session, actor: Actor) -> None:
    meeting = make_meeting(session, make_committee(session))
    make_agenda_item(session, meeting, number="1", minutes_note="Bericht erstattet.")
    make_agenda_item(session, meeting, number="2", order=2)
    with pytest.raises(DomainError, match="TOP 2"):
        meetings.change_meeting_state(
            session=session, actor=actor, row_id=meeting.id, state=MeetingState.CLOSED
        )
    assert meetings.items_without_outcome(session, meeting.id) == ["2"]


def test_cancelled_meeting_cannot_be_held_and_held_cannot_be_cancelled(
    session: Session, actor: Actor
) -> None:
    body = make_committee(session)
    planned = make_meeting(session, body)
    meetings.cancel_meeting(session=session, actor=actor, row_id=planned.id)
    with pytest.raises(DomainError, match="abgesagte"):
        meetings.change_meeting_state(
            session=session, actor=actor, row_id=planned.id, state=MeetingState.HELD
        )
    held = make_meeting(session, body, state="held")
    with pytest.raises(DomainError) as info:
        meetings.cancel_meeting(session=session, actor=actor, row_id=held.id)
    assert info.value.field == "cancelled"


def test_agenda_numbers_are_unique_per_meeting(session: Session) -> None:
    meeting = make_meeting(session, make_committee(session))
    make_agenda_item(session, meeting, number="3.1")
    with pytest.raises(DomainError, match=r"TOP“ 3\.1") as info:
        make_agenda_item(session, meeting, number="3.1")
    assert info.value.field == "number"


def test_a_closed_meeting_is_frozen(session: Session, actor: Actor) -> None:
    meeting = make_meeting(session, make_committee(session))
    item = make_agenda_item(session, meeting, minutes_note="erledigt")
    meetings.change_meeting_state(
        session=session, actor=actor, row_id=meeting.id, state=MeetingState.CLOSED
    )
    with pytest.raises(DomainError, match="abgeschlossen"):
        make_agenda_item(session, meeting, number="2")
    with pytest.raises(DomainError, match="abgeschlossen"):
        record_attendance(session, meeting, make_person(session))
    with pytest.raises(DomainError, match="abgeschlossen"):
        meetings.archive_agenda_item(session=session, actor=actor, row_id=item.id)


def test_circulation_has_neither_agenda_nor_attendance(session: Session) -> None:
    circulation = make_meeting(session, make_committee(session), kind="circulation")
    with pytest.raises(DomainError, match="keine Tagesordnung"):
        make_agenda_item(session, circulation)
    with pytest.raises(DomainError, match="keine Anwesenheit"):
        record_attendance(session, circulation, make_person(session))


def test_attendance_once_per_person_and_substitute_only_when_represented(session: Session) -> None:
    meeting = make_meeting(session, make_committee(session))
    member, deputy = (
        make_person(session, family_name="Weiss"),
        make_person(session, family_name="Vertreter"),
    )
    record_attendance(session, meeting, member, status="excused")
    with pytest.raises(DomainError, match="bereits erfasst"):
        record_attendance(session, meeting, member)
    other = make_person(session, family_name="Muster")
    with pytest.raises(DomainError) as info:
        record_attendance(session, meeting, other, status="represented")
    assert info.value.field == "substitute_id"
    with pytest.raises(DomainError, match="nur beim Status vertreten"):
        record_attendance(session, meeting, other, status="present", substitute_id=deputy.id)
    with pytest.raises(DomainError, match="andere Person"):
        record_attendance(session, meeting, other, status="represented", substitute_id=other.id)
    assert record_attendance(session, meeting, other, status="represented", substitute_id=deputy.id)


def test_quorum_counts_voting_members_present_or_represented(session: Session) -> None:
    body, meeting, people = make_voting_body(session, voters=5, present=2)
    make_membership(
        session,
        body,
        make_person(session, family_name="Beratend"),
        role="advisory",
        voting_right=False,
        start_date=date(2020, 1, 1),
    )
    quorum = meetings.quorum(session, meeting.id)
    assert (quorum.seats, quorum.present, quorum.required, quorum.reached) == (5, 2, 3, False)
    assert "nicht beschlussfähig" in quorum.statement()
    deputy = make_person(session, family_name="Vertretung")
    record_attendance(session, meeting, people[2], status="represented", substitute_id=deputy.id)
    assert meetings.quorum(session, meeting.id).reached


def test_quorum_uses_the_legal_seat_count_when_set(session: Session) -> None:
    _body, meeting, _people = make_voting_body(session, voters=3, present=3, seat_count=9)
    quorum = meetings.quorum(session, meeting.id)
    assert (quorum.seats, quorum.required, quorum.reached) == (9, 5, False)


@pytest.mark.parametrize(
    ("rule", "seats", "required"),
    [
        (QuorumRule.MORE_THAN_HALF, 9, 5),
        (QuorumRule.MORE_THAN_HALF, 10, 6),
        (QuorumRule.AT_LEAST_HALF, 9, 5),
        (QuorumRule.AT_LEAST_HALF, 10, 5),
        (QuorumRule.TWO_THIRDS, 9, 6),
        (QuorumRule.TWO_THIRDS, 10, 7),
        (QuorumRule.ALL, 7, 7),
        (QuorumRule.NONE, 7, 0),
    ],
)
def test_required_for_quorum(rule: QuorumRule, seats: int, required: int) -> None:
    assert meetings.required_for_quorum(rule, seats) == required


def test_list_meetings_newest_first_with_cancelled_state(session: Session, actor: Actor) -> None:
    body = make_committee(session, name="LA E-Gov")
    make_meeting(session, body, start=datetime(2019, 4, 10, 10))
    later = make_meeting(session, body, start=datetime(2027, 3, 17, 10))
    meetings.cancel_meeting(session=session, actor=actor, row_id=later.id)
    frame = meetings.list_meetings(session, committee_id=body.id)
    assert frame["number"].tolist() == [2, 1]
    assert frame["state"].tolist() == ["abgesagt", "geplant"]


def test_links_of_meetings_and_items_cannot_be_moved(session: Session, actor: Actor) -> None:
    body, other = make_committee(session, name="A"), make_committee(session, name="B")
    meeting, second = make_meeting(session, body), make_meeting(session, body)
    with pytest.raises(DomainError) as info:
        meetings.update_meeting(
            session=session, actor=actor, row_id=meeting.id, data={"committee_id": other.id}
        )
    assert info.value.field == "committee_id"
    item = make_agenda_item(session, meeting)
    with pytest.raises(DomainError) as info:
        meetings.update_agenda_item(
            session=session, actor=actor, row_id=item.id, data={"meeting_id": second.id}
        )
    assert info.value.field == "meeting_id"


def test_meeting_with_agenda_cannot_become_a_circulation(session: Session, actor: Actor) -> None:
    meeting = make_meeting(session, make_committee(session))
    make_agenda_item(session, meeting)
    with pytest.raises(DomainError) as info:
        meetings.update_meeting(
            session=session, actor=actor, row_id=meeting.id, data={"kind": "circulation"}
        )
    assert info.value.field == "kind"
    empty = make_meeting(session, make_committee(session, name="Leer"))
    assert meetings.update_meeting(
        session=session, actor=actor, row_id=empty.id, data={"kind": "circulation"}
    )


# --- the meeting list --------------------------------------------------------------------


def test_search_meetings_filters_pages_and_orders_in_sql(session: Session, actor: Actor) -> None:
    body, other = make_committee(session, name="A"), make_committee(session, name="B")
    past = make_meeting(session, body, start=datetime(2019, 4, 10, 10))
    soon = make_meeting(session, body, start=datetime(2026, 12, 1, 9))
    later = make_meeting(session, body, start=datetime(2027, 3, 17, 10))
    today = make_meeting(session, body, start=datetime(2026, 11, 28, 18))
    make_meeting(session, other, start=datetime(2026, 1, 1, 10))
    meetings.cancel_meeting(session=session, actor=actor, row_id=later.id)
    meetings.change_meeting_state(
        session=session, actor=actor, row_id=past.id, state=MeetingState.HELD
    )

    newest = meetings.search_meetings(session, committee_id=body.id)
    assert newest.total == 4
    assert newest.rows["id"].tolist() == [later.id, soon.id, today.id, past.id]
    assert newest.rows["state"].tolist() == ["abgesagt", "geplant", "geplant", "durchgeführt"]

    coming = meetings.search_meetings(
        session, committee_id=body.id, upcoming_first=True, today=date(2026, 11, 28)
    )
    assert coming.rows["id"].tolist() == [today.id, soon.id, later.id, past.id]

    cancelled = meetings.search_meetings(session, state="cancelled")
    assert cancelled.rows["id"].tolist() == [later.id]
    planned = meetings.search_meetings(session, committee_id=body.id, state="planned")
    assert planned.rows["id"].tolist() == [soon.id, today.id]

    page = meetings.search_meetings(session, limit=2, offset=2)
    assert (page.total, len(page.rows), page.page_count) == (5, 2, 3)

    meetings.archive_meeting(session=session, actor=actor, row_id=past.id)
    assert meetings.search_meetings(session, committee_id=body.id).total == 3
    assert meetings.search_meetings(session, committee_id=body.id, include_archived=True).total == 4


def test_schedule_combines_the_day_with_start_and_end_time() -> None:
    assert meetings.schedule(date(2019, 4, 10), time(10), time(13)) == {
        "start": datetime(2019, 4, 10, 10),
        "end": datetime(2019, 4, 10, 13),
    }
    assert meetings.schedule(date(2019, 4, 10), None, None) == {
        "start": datetime(2019, 4, 10, 0),
        "end": None,
    }
    assert meetings.schedule(None, time(10), None) == {"start": None, "end": None}


# --- Tagesordnung: order and numbers -------------------------------------------------------


def _agenda(session: Session, meeting_id: int) -> list[tuple[str, int]]:
    session.expire_all()
    items = session.exec(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting_id, col(AgendaItem.archived).is_(False))
        .order_by(col(AgendaItem.order), col(AgendaItem.id))
    )
    return [(item.number, item.order) for item in items]


def _audited(session: Session, entity: str, action: str = "update") -> int:
    return len(
        session.exec(
            select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.action == action)
        ).all()
    )


def test_move_agenda_item_swaps_with_its_neighbour_and_audits_each_change(
    session: Session, actor: Actor
) -> None:
    meeting = make_meeting(session, make_committee(session))
    make_agenda_item(session, meeting, number="1", order=1, title="Eröffnung")
    make_agenda_item(session, meeting, number="2", order=2, title="Bericht")
    third = make_agenda_item(session, meeting, number="3", order=3, title="Verschiedenes")

    moved = meetings.move_agenda_item(session=session, actor=actor, row_id=third.id, direction=-1)
    assert moved.order == 2
    assert _agenda(session, meeting.id) == [("1", 1), ("3", 2), ("2", 3)]
    assert _audited(session, "agenda_item") == 2  # only the two items whose place changed

    with pytest.raises(DomainError, match="ganz unten") as info:
        meetings.move_agenda_item(
            session=session, actor=actor, row_id=_item(session, meeting.id, "2"), direction=1
        )
    assert info.value.field == "order"
    with pytest.raises(ValueError, match="direction"):
        meetings.move_agenda_item(session=session, actor=actor, row_id=third.id, direction=2)


def test_move_agenda_item_orders_items_with_equal_positions(session: Session, actor: Actor) -> None:
    meeting = make_meeting(session, make_committee(session))
    first = make_agenda_item(session, meeting, number="A", order=0)
    second = make_agenda_item(session, meeting, number="B", order=0)
    meetings.move_agenda_item(session=session, actor=actor, row_id=second.id, direction=-1)
    assert _agenda(session, meeting.id) == [("B", 1), ("A", 2)]
    with pytest.raises(DomainError, match="inzwischen"):
        meetings.move_agenda_item(
            session=session, actor=actor, row_id=first.id, direction=-1, expected_version=1
        )
    assert _agenda(session, meeting.id) == [("B", 1), ("A", 2)]


def _item(session: Session, meeting_id: int, number: str) -> int | None:
    item = session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.number == number)
    ).one()
    return item.id


def test_renumber_agenda_labels_items_in_order_without_tripping_uniqueness(
    session: Session, actor: Actor
) -> None:
    meeting = make_meeting(session, make_committee(session))
    make_agenda_item(session, meeting, number="2", order=1)
    make_agenda_item(session, meeting, number="1", order=2)
    make_agenda_item(session, meeting, number="3.1", order=5)
    archived = make_agenda_item(session, meeting, number="9", order=3)
    meetings.archive_agenda_item(session=session, actor=actor, row_id=archived.id)

    items = meetings.renumber_agenda(session=session, actor=actor, meeting_id=meeting.id)
    assert [item.number for item in items] == ["1", "2", "3"]
    assert _agenda(session, meeting.id) == [("1", 1), ("2", 2), ("3", 3)]
    assert session.get(AgendaItem, archived.id).number == "9"
    # The unchanged positions 1 and 2 are not audited; every label change is.
    events = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "agenda_item", AuditEvent.action == "update")
    ).all()
    assert sorted(event.changes["number"][1] for event in events if "number" in event.changes) == [
        "1",
        "2",
        "3",
    ]


def test_reordering_and_renumbering_are_refused_on_a_closed_meeting(
    session: Session, actor: Actor
) -> None:
    meeting = make_meeting(session, make_committee(session))
    first = make_agenda_item(session, meeting, number="2", minutes_note="erledigt")
    make_agenda_item(session, meeting, number="1", order=2, minutes_note="erledigt")
    meetings.change_meeting_state(
        session=session, actor=actor, row_id=meeting.id, state=MeetingState.CLOSED
    )
    with pytest.raises(DomainError, match="abgeschlossen"):
        meetings.move_agenda_item(session=session, actor=actor, row_id=first.id, direction=1)
    with pytest.raises(DomainError, match="abgeschlossen"):
        meetings.renumber_agenda(session=session, actor=actor, meeting_id=meeting.id)
    assert _agenda(session, meeting.id) == [("2", 1), ("1", 2)]


def test_append_agenda_item_places_it_last(session: Session, actor: Actor) -> None:
    meeting = make_meeting(session, make_committee(session))
    make_agenda_item(session, meeting, number="1", order=4)
    item = meetings.append_agenda_item(
        session=session,
        actor=actor,
        data={"meeting_id": meeting.id, "number": "2", "title": "Verschiedenes"},
    )
    assert item.order == 5


# --- Anwesenheit: the attendance sheet ------------------------------------------------------


def test_save_attendance_creates_and_updates_one_row_per_person(
    session: Session, actor: Actor
) -> None:
    _body, meeting, people = make_voting_body(session, voters=3, present=1)
    deputy = make_person(session, family_name="Vertretung")
    saved = meetings.save_attendance(
        session=session,
        actor=actor,
        meeting_id=meeting.id,
        entries=[
            {"person_id": people[0].id, "status": "excused"},
            {"person_id": people[1].id, "status": "present"},
            {"person_id": people[2].id, "status": "represented", "substitute_id": deputy.id},
        ],
    )
    assert [row.status for row in saved] == [
        AttendanceStatus.EXCUSED,
        AttendanceStatus.PRESENT,
        AttendanceStatus.REPRESENTED,
    ]
    rows = session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    assert len(rows) == 3
    assert _audited(session, "attendance") == 1  # people[0] was recorded before
    assert meetings.quorum(session, meeting.id).present == 2
    sheet = meetings.attendance_sheet(session, meeting.id)
    assert sheet.set_index("person_id").loc[people[2].id, "substitute"] == "Jana Vertretung"


def test_save_attendance_is_all_or_nothing(session: Session, actor: Actor) -> None:
    _body, meeting, people = make_voting_body(session, voters=3, present=0)
    with pytest.raises(DomainError) as info:
        meetings.save_attendance(
            session=session,
            actor=actor,
            meeting_id=meeting.id,
            entries=[
                {"person_id": people[0].id, "status": "present"},
                {"person_id": people[1].id, "status": "represented"},
                {"person_id": people[2].id, "status": "present"},
            ],
        )
    assert info.value.field == f"substitute_id.{people[1].id}"
    assert info.value.message.startswith("Jana Mitglied 1: „vertreten durch“")
    assert session.exec(select(Attendance)).all() == []
    assert _audited(session, "attendance", "create") == 0


def test_save_attendance_refuses_a_person_twice_and_a_closed_meeting(
    session: Session, actor: Actor
) -> None:
    _body, meeting, people = make_voting_body(session, voters=2, present=0)
    with pytest.raises(DomainError, match="mehrfach") as info:
        meetings.save_attendance(
            session=session,
            actor=actor,
            meeting_id=meeting.id,
            entries=[
                {"person_id": people[0].id, "status": "present"},
                {"person_id": people[0].id, "status": "excused"},
            ],
        )
    assert info.value.field == f"person_id.{people[0].id}"
    meetings.change_meeting_state(
        session=session, actor=actor, row_id=meeting.id, state=MeetingState.CLOSED
    )
    with pytest.raises(DomainError, match="abgeschlossen") as info:
        meetings.save_attendance(
            session=session,
            actor=actor,
            meeting_id=meeting.id,
            entries=[{"person_id": people[0].id, "status": "present"}],
        )
    assert info.value.field == "meeting_id"
    assert session.exec(select(Attendance)).all() == []


def test_save_attendance_brings_back_a_removed_entry(session: Session, actor: Actor) -> None:
    _body, meeting, people = make_voting_body(session, voters=1, present=1)
    row = session.exec(select(Attendance)).one()
    meetings.archive_attendance(session=session, actor=actor, row_id=row.id)
    assert meetings.quorum(session, meeting.id).present == 0
    meetings.save_attendance(
        session=session,
        actor=actor,
        meeting_id=meeting.id,
        entries=[{"person_id": people[0].id, "status": "present"}],
    )
    assert meetings.quorum(session, meeting.id).present == 1


def test_sheet_lists_members_valid_on_the_day_and_guests_apart(
    session: Session, actor: Actor
) -> None:
    body = make_committee(session)
    current = make_person(session, family_name="Aktuell")
    former = make_person(session, family_name="Ehemalig")
    make_membership(session, body, current, start_date=date(2020, 1, 1))
    make_membership(session, body, former, start_date=date(2020, 1, 1), end_date=date(2025, 12, 31))
    meeting = make_meeting(session, body)
    guest = make_person(session, family_name="Gast")
    record_attendance(session, meeting, guest)
    sheet = meetings.attendance_sheet(session, meeting.id)
    assert sheet["name"].tolist() == ["Jana Aktuell"]
    assert sheet["status_label"].tolist() == ["nicht erfasst"]
    assert meetings.guests(session, meeting.id)["name"].tolist() == ["Jana Gast"]
    options = meetings.person_options(session, meeting.id)
    assert set(options) == {current.id, guest.id}
    found = meetings.person_options(session, meeting.id, search="ehem", exclude=[key(current)])
    assert set(found) == {former.id, guest.id}

    row = session.exec(select(Attendance)).one()
    meetings.archive_attendance(session=session, actor=actor, row_id=row.id)
    assert meetings.guests(session, meeting.id).empty
    assert meetings.guests(session, meeting.id, archived=True)["name"].tolist() == ["Jana Gast"]
    meetings.restore_attendance(session=session, actor=actor, row_id=row.id)
    assert meetings.guests(session, meeting.id)["name"].tolist() == ["Jana Gast"]


# --- Beschlüsse of a meeting ----------------------------------------------------------------


def test_proposed_result_follows_the_majority_rule(session: Session) -> None:
    _body, meeting, _people = make_voting_body(session, voters=5, present=3)
    propose = meetings.proposed_result
    assert propose(session, meeting.id, kind="resolution", yes=3, no=0, abstain=0) == (
        DecisionResult.ADOPTED_UNANIMOUSLY
    )
    assert propose(session, meeting.id, kind="resolution", yes=2, no=1, abstain=0) == (
        DecisionResult.ADOPTED_BY_MAJORITY
    )
    assert propose(session, meeting.id, kind="resolution", yes=1, no=1, abstain=1) == (
        DecisionResult.REJECTED
    )
    assert propose(session, meeting.id, kind="resolution", yes=None, no=None, abstain=None) is None
    assert (
        propose(session, meeting.id, kind="acknowledgement", yes=None, no=None, abstain=None)
        == DecisionResult.NOTED
    )
    _absolute, absolute_meeting, _ = make_voting_body(
        session, voters=5, present=3, name="Absolut", majority_rule="absolute"
    )
    # Absolute majority counts against all five voting seats, not the three present.
    assert propose(session, absolute_meeting.id, kind="resolution", yes=2, no=0, abstain=1) == (
        DecisionResult.REJECTED
    )


def test_restored_agenda_item_must_not_duplicate_a_number(session: Session, actor: Actor) -> None:
    meeting = make_meeting(session, make_committee(session, name="Restore"))
    old = make_agenda_item(session, meeting, number="4")
    meetings.archive_agenda_item(session=session, actor=actor, row_id=old.id)
    make_agenda_item(session, meeting, number="4", title="Neu")
    with pytest.raises(DomainError, match=r"TOP“ 4 gibt es"):
        meetings.restore_agenda_item(session=session, actor=actor, row_id=old.id)


def test_agenda_item_with_a_decision_cannot_be_archived(session: Session, actor: Actor) -> None:
    from services.decisions import record_decision

    meeting = make_meeting(session, make_committee(session, name="Mit Beschluss"))
    item = make_agenda_item(session, meeting)
    record_decision(
        session=session,
        actor=actor,
        data={
            "meeting_id": meeting.id,
            "agenda_item_id": item.id,
            "reference": "B-1",
            "text": "Beschluss",
        },
    )
    with pytest.raises(DomainError, match="zuerst"):
        meetings.archive_agenda_item(session=session, actor=actor, row_id=item.id)


def test_meeting_choices_are_labelled_and_keep_the_current_choice(session: Session) -> None:
    council = make_committee(session, name="Ratsversammlung", kind="council")
    meeting = make_meeting(session, council, title="Ratssitzung")
    older = make_meeting(session, council, start=datetime(2019, 9, 4, 14))
    assert meetings.meeting_choices(session) == {
        meeting.id: "Ratsversammlung: Sitzung Nr. 1 am 10.03.2026 – Ratssitzung",
        older.id: "Ratsversammlung: Sitzung Nr. 2 am 04.09.2019",
    }
    assert list(meetings.meeting_choices(session, limit=1, keep=older.id)) == [meeting.id, older.id]
