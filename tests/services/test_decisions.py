"""Beschlüsse: where they belong, the vote rules, and the Beschlusskontrolle."""

from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from models import Decision, FollowUpNote, Meeting
from models.enums import DecisionResult, FollowUpStatus, MajorityRule, MeetingState
from services import decisions, meetings
from services.actor import Actor
from services.errors import DomainError, NotFoundError
from tests.conftest import (
    ACTOR,
    make_agenda_item,
    make_committee,
    make_meeting,
    make_org,
    make_voting_body,
)


def decide(session: Session, meeting: Meeting, item_id: int | None, **overrides: Any) -> Decision:
    data = {
        "meeting_id": meeting.id,
        "agenda_item_id": item_id,
        "reference": "LA-1",
        "text": "Beschlossen.",
        **overrides,
    }
    return decisions.record_decision(session=session, actor=ACTOR, data=data)


def test_decision_belongs_to_an_item_of_its_meeting(session: Session) -> None:
    body = make_committee(session)
    meeting, other = make_meeting(session, body), make_meeting(session, body)
    foreign_item = make_agenda_item(session, other)
    with pytest.raises(DomainError, match="gehört nicht zu dieser Sitzung") as info:
        decide(session, meeting, foreign_item.id)
    assert info.value.field == "agenda_item_id"
    with pytest.raises(DomainError, match="Pflichtfeld"):
        decide(session, meeting, None)
    decision = decide(session, meeting, make_agenda_item(session, meeting).id)
    assert decision.committee_id == body.id


def test_one_decision_per_agenda_item(session: Session) -> None:
    meeting = make_meeting(session, make_committee(session))
    item = make_agenda_item(session, meeting)
    decide(session, meeting, item.id, reference="LA-1")
    with pytest.raises(DomainError, match="bereits der Beschluss LA-1"):
        decide(session, meeting, item.id, reference="LA-2")


def test_reference_is_unique_per_committee_not_globally(session: Session) -> None:
    first, second = make_committee(session, name="A"), make_committee(session, name="B")
    meeting_a, meeting_a2, meeting_b = (
        make_meeting(session, first),
        make_meeting(session, first),
        make_meeting(session, second),
    )
    decide(session, meeting_a, make_agenda_item(session, meeting_a).id, reference="2019/01")
    with pytest.raises(DomainError, match="bereits vergeben") as info:
        decide(session, meeting_a2, make_agenda_item(session, meeting_a2).id, reference="2019/01")
    assert info.value.field == "reference"
    assert decide(session, meeting_b, make_agenda_item(session, meeting_b).id, reference="2019/01")


def test_votes_may_not_exceed_voting_members_present(session: Session) -> None:
    _body, meeting, _people = make_voting_body(session, voters=5, present=3)
    item = make_agenda_item(session, meeting)
    with pytest.raises(DomainError, match="übersteigen die 3 anwesenden") as info:
        decide(session, meeting, item.id, votes_yes=2, votes_no=1, votes_abstain=0, votes_biased=1)
    assert info.value.field == "votes_yes"
    assert decide(session, meeting, item.id, votes_yes=2, votes_no=0, votes_abstain=1)


def test_circulation_decision_has_no_item_and_circulation_vote_mode(session: Session) -> None:
    body, _meeting, _people = make_voting_body(session, voters=3)
    circulation = make_meeting(session, body, kind="circulation", start=datetime(2026, 5, 4))
    with pytest.raises(DomainError, match="immer Umlauf"):
        decide(session, circulation, None, kind="circular_resolution")
    decision = decide(
        session, circulation, None, kind="circular_resolution", vote_mode="circulation", votes_yes=3
    )
    assert decision.agenda_item_id is None
    item_meeting = make_meeting(session, body)
    with pytest.raises(DomainError, match="nicht zu einem TOP"):
        decide(
            session,
            circulation,
            make_agenda_item(session, item_meeting).id,
            reference="U-2",
            vote_mode="circulation",
        )


def test_follow_up_stays_editable_after_closing_but_votes_do_not(
    session: Session, actor: Actor
) -> None:
    _body, meeting, _people = make_voting_body(session, voters=3)
    decision = decide(session, meeting, make_agenda_item(session, meeting).id, votes_yes=3)
    meetings.change_meeting_state(
        session=session, actor=actor, row_id=meeting.id, state=MeetingState.CLOSED
    )
    org = make_org(session)
    updated = decisions.update_decision(
        session=session,
        actor=actor,
        row_id=decision.id,
        data={"responsible_organization_id": org.id, "due_date": date(2026, 6, 30)},
    )
    assert updated.due_date == date(2026, 6, 30)
    with pytest.raises(DomainError, match="abgeschlossen"):
        decisions.update_decision(
            session=session, actor=actor, row_id=decision.id, data={"votes_yes": 2}
        )


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "rule", "members", "expected"),
    [
        (5, 0, 2, MajorityRule.SIMPLE, 9, DecisionResult.ADOPTED_UNANIMOUSLY),
        (5, 3, 0, MajorityRule.SIMPLE, 9, DecisionResult.ADOPTED_BY_MAJORITY),
        (3, 3, 3, MajorityRule.SIMPLE, 9, DecisionResult.REJECTED),  # a tie is not a majority
        (
            4,
            1,
            4,
            MajorityRule.ABSOLUTE,
            9,
            DecisionResult.REJECTED,
        ),  # 4 of 9 members is not enough
        (5, 1, 0, MajorityRule.ABSOLUTE, 9, DecisionResult.ADOPTED_BY_MAJORITY),
        (6, 3, 0, MajorityRule.TWO_THIRDS, 9, DecisionResult.ADOPTED_BY_MAJORITY),
        (5, 3, 0, MajorityRule.TWO_THIRDS, 9, DecisionResult.REJECTED),
        (8, 1, 0, MajorityRule.UNANIMOUS, 9, DecisionResult.REJECTED),
        (8, 0, 1, MajorityRule.UNANIMOUS, 9, DecisionResult.ADOPTED_UNANIMOUSLY),
        (None, None, None, MajorityRule.SIMPLE, 9, None),
    ],
)
def test_propose_result_ignores_abstentions(
    yes: int | None,
    no: int | None,
    abstain: int | None,
    rule: MajorityRule,
    members: int,
    expected: DecisionResult | None,
) -> None:
    assert (
        decisions.propose_result(yes=yes, no=no, abstain=abstain, rule=rule, voting_members=members)
        == expected
    )


def test_result_that_contradicts_the_counts_is_flagged(session: Session) -> None:
    _body, meeting, _people = make_voting_body(session, voters=5)
    item, other = (
        make_agenda_item(session, meeting),
        make_agenda_item(session, meeting, number="2", order=2),
    )
    wrong = decide(session, meeting, item.id, votes_yes=2, votes_no=3, result="adopted_by_majority")
    warning = decisions.result_conflict(session, wrong)
    assert warning is not None
    assert "„mehrheitlich angenommen“ passt nicht" in warning
    assert "„abgelehnt“" in warning
    right = decide(
        session,
        meeting,
        other.id,
        reference="LA-2",
        votes_yes=4,
        votes_no=1,
        result="adopted_by_majority",
    )
    assert decisions.result_conflict(session, right) is None


def test_follow_up_note_sets_status_in_the_same_transaction(session: Session, actor: Actor) -> None:
    meeting = make_meeting(session, make_committee(session), start=datetime(2019, 11, 20, 10))
    decision = decide(session, meeting, make_agenda_item(session, meeting).id)
    decisions.add_follow_up_note(
        session=session,
        actor=actor,
        data={
            "decision_id": decision.id,
            "noted_on": date(2020, 2, 1),
            "status": "in_progress",
            "text": "Entwurf liegt vor",
        },
    )
    session.refresh(decision)
    assert decision.follow_up_status == FollowUpStatus.IN_PROGRESS
    # A back-dated note is history; it does not override the newer status.
    decisions.add_follow_up_note(
        session=session,
        actor=actor,
        data={"decision_id": decision.id, "noted_on": date(2020, 1, 5), "status": "open"},
    )
    session.refresh(decision)
    assert decision.follow_up_status == FollowUpStatus.IN_PROGRESS
    assert decisions.follow_up_notes(session, decision.id)["status"].tolist() == [
        "in Umsetzung",
        "offen",
    ]


def test_follow_up_note_before_the_decision_is_refused_and_nothing_written(
    session: Session, actor: Actor
) -> None:
    meeting = make_meeting(session, make_committee(session), start=datetime(2019, 11, 20, 10))
    decision = decide(session, meeting, make_agenda_item(session, meeting).id)
    with pytest.raises(DomainError) as info:
        decisions.add_follow_up_note(
            session=session,
            actor=actor,
            data={"decision_id": decision.id, "noted_on": date(2019, 1, 1), "status": "done"},
        )
    assert info.value.field == "noted_on"
    assert session.exec(select(FollowUpNote)).all() == []
    session.refresh(decision)
    assert decision.follow_up_status == FollowUpStatus.OPEN


def test_overdue_decisions_exclude_done_and_future(session: Session, actor: Actor) -> None:
    meeting = make_meeting(session, make_committee(session), start=datetime(2019, 11, 20, 10))
    items = [make_agenda_item(session, meeting, number=str(n), order=n) for n in range(3)]
    decide(session, meeting, items[0].id, reference="A", due_date=date(2020, 1, 31))
    decide(
        session,
        meeting,
        items[1].id,
        reference="B",
        due_date=date(2020, 1, 31),
        follow_up_status="done",
    )
    decide(session, meeting, items[2].id, reference="C", due_date=date(2030, 1, 1))
    overdue = decisions.overdue_decisions(session, today=date(2020, 3, 1))
    assert overdue["reference"].tolist() == ["A"]
    assert overdue["days_overdue"].tolist() == [30]


def test_decision_cannot_move_to_another_meeting(session: Session, actor: Actor) -> None:
    body = make_committee(session)
    meeting, other = make_meeting(session, body), make_meeting(session, body)
    decision = decide(session, meeting, make_agenda_item(session, meeting).id)
    with pytest.raises(DomainError) as info:
        decisions.update_decision(
            session=session,
            actor=actor,
            row_id=decision.id,
            data={"meeting_id": other.id, "agenda_item_id": make_agenda_item(session, other).id},
        )
    assert info.value.field == "meeting_id"


def test_decision_detail_names_committee_meeting_and_follow_up(
    session: Session, actor: Actor
) -> None:
    body = make_committee(session, name="Lenkungsausschuss Detail")
    meeting = make_meeting(session, body, start=datetime(2019, 11, 20, 10), title="Herbstsitzung")
    org = make_org(session, name="Landkreistag Beispiel", kind="municipal_association")
    decision = decide(
        session,
        meeting,
        make_agenda_item(session, meeting, number="2", title="Labore").id,
        reference="LA-2019/05",
        kind="recommendation",
        text="Die Landkreise benennen <b>je</b> eine Ansprechperson.",
        responsible_organization_id=org.id,
        due_date=date(2020, 1, 31),
        follow_up_status="in_progress",
    )
    detail = decisions.decision_detail(session, decision.id, today=date(2020, 3, 1))
    assert detail["committee"] == "Lenkungsausschuss Detail"
    assert detail["meeting_id"] == meeting.id
    assert detail["meeting"] == "Sitzung Nr. 1 am 20.11.2019 – Herbstsitzung"
    assert detail["agenda_item"] == "TOP 2 – Labore"
    assert detail["kind"] == "Empfehlung"
    assert detail["text"] == "Die Landkreise benennen <b>je</b> eine Ansprechperson."
    assert detail["responsible"] == "Landkreistag Beispiel"
    assert (detail["status"], detail["status_code"]) == ("in Umsetzung", "in_progress")
    assert (detail["overdue"], detail["days_overdue"]) == (True, 30)
    assert detail["version"] == decision.version
    on_time = decisions.decision_detail(session, decision.id, today=date(2020, 1, 31))
    assert (on_time["overdue"], on_time["days_overdue"]) == (False, None)
    with pytest.raises(DomainError, match="gibt es nicht"):
        decisions.decision_detail(session, 999)


def test_overdue_marker_counts_days() -> None:
    assert decisions.overdue_marker(date(2020, 1, 31), True, date(2020, 5, 30)) == "⚠ 120 Tage"
    assert decisions.overdue_marker(date(2020, 1, 31), False, date(2020, 5, 30)) == ""
    assert decisions.overdue_marker(None, False) == ""


def test_filter_choices_list_only_what_decisions_use(session: Session) -> None:
    first, second = make_committee(session, name="A-Gremium"), make_committee(session, name="B")
    make_committee(session, name="C ohne Beschlüsse")
    responsible, _idle = make_org(session, name="Zuständig"), make_org(session, name="Untätig")
    meeting_a = make_meeting(session, first, start=datetime(2020, 1, 10, 10))
    meeting_b = make_meeting(session, second, start=datetime(2021, 5, 4, 10))
    older = decide(
        session,
        meeting_a,
        make_agenda_item(session, meeting_a).id,
        reference="A-1",
        responsible_organization_id=responsible.id,
    )
    newer = decide(session, meeting_b, make_agenda_item(session, meeting_b).id, reference="B-1")
    assert decisions.decision_committees(session) == {first.id: "A-Gremium", second.id: "B"}
    assert decisions.responsible_organizations(session) == {responsible.id: "Zuständig"}
    assert decisions.decision_choices(session) == {
        newer.id: "B-1 – B (04.05.2021)",
        older.id: "A-1 – A-Gremium (10.01.2020)",
    }
    assert list(decisions.decision_choices(session, committee_id=first.id)) == [older.id]
    # A decision already linked stays selectable even beyond the limit.
    assert list(decisions.decision_choices(session, limit=1, include=older.id)) == [
        newer.id,
        older.id,
    ]


def test_list_decisions_pages_in_sql(session: Session) -> None:
    meeting = make_meeting(session, make_committee(session), start=datetime(2019, 11, 20, 10))
    for n in range(5):
        decide(
            session,
            meeting,
            make_agenda_item(session, meeting, number=str(n), order=n).id,
            reference=f"LA-{n}",
            due_date=date(2020, 1, 1 + n),
        )
    page = decisions.list_decisions(session, today=date(2020, 1, 3), limit=2, offset=2)
    assert (page.total, page.page_count) == (5, 3)
    # Overdue first (LA-0, LA-1), then by due date.
    assert page.rows["reference"].tolist() == ["LA-2", "LA-3"]
    overdue = decisions.list_decisions(session, today=date(2020, 1, 3), overdue_only=True)
    assert overdue.total == 2


def test_absolute_majority_is_checked_against_all_voting_members(session: Session) -> None:
    _body, meeting, _people = make_voting_body(
        session, voters=5, present=3, majority_rule="absolute"
    )
    item = make_agenda_item(session, meeting)
    # 2 of 5 members is no absolute majority, although 2 of the 3 present said yes.
    rejected = decide(session, meeting, item.id, votes_yes=2, votes_no=1, result="rejected")
    assert decisions.result_conflict(session, rejected) is None


def test_lesend_sees_no_decision_of_a_non_public_item(session: Session) -> None:
    meeting = make_meeting(session, make_committee(session))
    open_item = make_agenda_item(session, meeting, number="1", order=1, public=True)
    closed_item = make_agenda_item(session, meeting, number="2", order=2, public=False)
    shown = decide(session, meeting, open_item.id, reference="LA-1")
    hidden = decide(session, meeting, closed_item.id, reference="LA-2")
    everyone = decisions.list_decisions(session, include_non_public=False).rows
    assert everyone["reference"].tolist() == ["LA-1"]
    staff = decisions.list_decisions(session).rows
    assert sorted(staff["reference"]) == ["LA-1", "LA-2"]
    assert decisions.decision_detail(session, shown.id or 0, include_non_public=False)
    with pytest.raises(NotFoundError, match=f"Beschluss mit der Nummer {hidden.id} gibt es nicht"):
        decisions.decision_detail(session, hidden.id or 0, include_non_public=False)
    assert decisions.decision_detail(session, hidden.id or 0)["reference"] == "LA-2"
