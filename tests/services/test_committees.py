"""Gremien and Mitgliedschaften: lifetimes, roles and history."""

from datetime import date

import pytest
from sqlmodel import Session

from models import Membership
from services import committees
from services.actor import Actor
from services.errors import DomainError
from tests.conftest import make_committee, make_meeting, make_membership, make_org, make_person


def test_parent_committee_cycle_is_refused(session: Session, actor: Actor) -> None:
    top = make_committee(session, name="IT-Planungsrat")
    sub = make_committee(session, name="AG", parent_id=top.id)
    with pytest.raises(DomainError) as info:
        committees.update_committee(
            session=session, actor=actor, row_id=top.id, data={"parent_id": sub.id}
        )
    assert info.value.field == "parent_id"


def test_membership_must_lie_within_the_committee_lifetime(session: Session) -> None:
    body = make_committee(session, start_date=date(2019, 1, 1), end_date=date(2023, 12, 31))
    with pytest.raises(DomainError, match="Bestehenszeit") as info:
        make_membership(session, body, start_date=date(2018, 6, 1))
    assert info.value.field == "start_date"
    with pytest.raises(DomainError):
        make_membership(
            session, body, start_date=date(2020, 1, 1)
        )  # open end outlives the committee
    assert make_membership(session, body, start_date=date(2020, 1, 1), end_date=date(2023, 12, 31))


def test_committee_lifetime_cannot_shrink_below_its_memberships(
    session: Session, actor: Actor
) -> None:
    body = make_committee(session)
    make_membership(session, body, start_date=date(2019, 4, 10))
    with pytest.raises(DomainError, match="Mitgliedschaften"):
        committees.update_committee(
            session=session, actor=actor, row_id=body.id, data={"start_date": date(2020, 1, 1)}
        )


def test_committee_lifetime_cannot_shrink_below_its_meetings(
    session: Session, actor: Actor
) -> None:
    body = make_committee(session)
    make_meeting(session, body)
    with pytest.raises(DomainError, match="Sitzungen"):
        committees.update_committee(
            session=session, actor=actor, row_id=body.id, data={"end_date": date(2025, 12, 31)}
        )


def test_deputy_chair_needs_a_rank_and_only_deputy_chairs_have_one(session: Session) -> None:
    body = make_committee(session)
    with pytest.raises(DomainError) as info:
        make_membership(session, body, role="deputy_chair")
    assert info.value.field == "deputy_rank"
    with pytest.raises(DomainError):
        make_membership(session, body, role="member", deputy_rank=1)


def test_one_chair_and_one_deputy_per_rank_at_a_time(session: Session) -> None:
    body = make_committee(session)
    make_membership(session, body, role="chair", start_date=date(2019, 4, 10))
    make_membership(
        session, body, role="deputy_chair", deputy_rank=1, start_date=date(2019, 4, 10), _n=1
    )
    with pytest.raises(DomainError, match="bereits einen Vorsitz"):
        make_membership(session, body, role="chair", start_date=date(2020, 1, 1), _n=2)
    with pytest.raises(DomainError, match="Rang der Stellvertretung"):
        make_membership(session, body, role="deputy_chair", deputy_rank=1, _n=3)
    assert make_membership(session, body, role="deputy_chair", deputy_rank=2, _n=4)


def test_a_person_holds_one_membership_at_a_time_history_is_kept(
    session: Session, actor: Actor
) -> None:
    body = make_committee(session)
    person = make_person(session, family_name="Weiss")
    first = make_membership(session, body, person, start_date=date(2019, 4, 10))
    with pytest.raises(DomainError) as info:
        make_membership(
            session, body, person, role="deputy_chair", deputy_rank=1, start_date=date(2021, 1, 1)
        )
    assert info.value.field == "person_id"
    committees.end_membership(
        session=session, actor=actor, row_id=first.id, end_date=date(2020, 12, 31)
    )
    second = make_membership(
        session, body, person, role="deputy_chair", deputy_rank=1, start_date=date(2021, 1, 1)
    )
    assert session.get(Membership, first.id).end_date == date(2020, 12, 31)
    assert second.id != first.id


def test_end_membership_refuses_an_end_that_is_not_earlier(session: Session, actor: Actor) -> None:
    body = make_committee(session)
    membership = make_membership(
        session, body, start_date=date(2019, 1, 1), end_date=date(2020, 1, 1)
    )
    with pytest.raises(DomainError, match="endet bereits"):
        committees.end_membership(
            session=session, actor=actor, row_id=membership.id, end_date=date(2021, 1, 1)
        )
    with pytest.raises(DomainError) as info:
        committees.end_membership(
            session=session, actor=actor, row_id=membership.id, end_date=date(2018, 1, 1)
        )
    assert info.value.field == "end_date"


def test_deputy_of_must_be_another_membership_of_the_same_committee(session: Session) -> None:
    body = make_committee(session)
    other_body = make_committee(session, name="Andere AG")
    member = make_membership(session, body, _n=1)
    foreign = make_membership(session, other_body, _n=2)
    with pytest.raises(DomainError, match="desselben Gremiums"):
        make_membership(
            session, body, role="deputy_member", deputy_of_id=foreign.id, voting_right=False, _n=3
        )
    with pytest.raises(DomainError, match=r"nur bei der Rolle stellv\. Mitglied"):
        make_membership(session, body, role="member", deputy_of_id=member.id, _n=4)
    deputy = make_membership(
        session, body, role="deputy_member", deputy_of_id=member.id, voting_right=False, _n=5
    )
    assert deputy.deputy_of_id == member.id


def test_composition_lists_members_valid_on_the_day_chair_first(session: Session) -> None:
    land = make_org(session, name="Land M-V", kind="land")
    body = make_committee(session)
    make_membership(
        session, body, make_person(session, family_name="Zeta"), start_date=date(2019, 4, 10)
    )
    make_membership(
        session,
        body,
        make_person(session, given_name="Ina-Maria", family_name="Ulbrich"),
        role="chair",
        on_behalf_of_id=land.id,
        start_date=date(2019, 4, 10),
    )
    make_membership(
        session,
        body,
        make_person(session, family_name="Früher"),
        start_date=date(2010, 1, 1),
        end_date=date(2018, 1, 1),
    )
    current = committees.composition(session, body.id, date(2019, 5, 1))
    assert current["name"].tolist() == ["Ina-Maria Ulbrich", "Jana Zeta"]
    assert current.iloc[0]["role"] == "Vorsitz"
    assert current.iloc[0]["on_behalf_of"] == "Land M-V"
    assert committees.voting_members_on(session, body.id, date(2017, 1, 1))[0].person_id is not None


def test_deputy_member_cannot_stand_in_for_itself(session: Session, actor: Actor) -> None:
    body = make_committee(session)
    member = make_membership(session, body, _n=1)
    deputy = make_membership(
        session, body, role="deputy_member", deputy_of_id=member.id, voting_right=False, _n=2
    )
    with pytest.raises(DomainError, match="andere Mitgliedschaft"):
        committees.update_membership(
            session=session, actor=actor, row_id=deputy.id, data={"deputy_of_id": deputy.id}
        )


def test_host_organization_must_exist(session: Session) -> None:
    with pytest.raises(DomainError) as info:
        make_committee(session, host_organization_id=999)
    assert info.value.field == "host_organization_id"
