"""Sitzungen, Tagesordnung, Anwesenheit and Beschlussfähigkeit."""

from datetime import date, datetime

import pytest
from sqlmodel import Session

from models.enums import MeetingState, QuorumRule
from services import meetings
from services.actor import Actor
from services.errors import DomainError
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
