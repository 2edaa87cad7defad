"""Gremien and Mitgliedschaften: lifetimes, roles and history."""

from datetime import date

import pytest
from sqlmodel import Session, col, select

from models import AuditEvent, Membership, Person
from services import committees, organizations, persons
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


# --- queries and combined commands of the Gremien page ---------------------------------


def test_search_committees_filters_by_text_land_kind_and_status(
    session: Session, actor: Actor
) -> None:
    today = date(2026, 6, 1)
    make_committee(
        session, name="Lenkungsausschuss E-Government", short_name="LA E-Gov", state="MV"
    )
    make_committee(
        session,
        name="Spitzengespräch Sachsen",
        kind="summit",
        state="SN",
        start_date=date(2019, 4, 9),
        end_date=date(2019, 4, 9),
    )
    archived = make_committee(session, name="Alte AG", kind="working_group", state="SN")
    committees.archive_committee(session=session, actor=actor, row_id=archived.id)

    def names(**filters: object) -> list[str]:
        page = committees.search_committees(session, today=today, **filters)
        return page.rows["name"].tolist()

    assert names() == ["Lenkungsausschuss E-Government"]
    assert names(status="all") == [
        "Alte AG",
        "Lenkungsausschuss E-Government",
        "Spitzengespräch Sachsen",
    ]
    assert names(status="archived") == ["Alte AG"]
    assert names(status="all", states=["SN"]) == ["Alte AG", "Spitzengespräch Sachsen"]
    assert names(status="all", kinds=["summit", "working_group"]) == [
        "Alte AG",
        "Spitzengespräch Sachsen",
    ]
    assert names(search="e-gov") == ["Lenkungsausschuss E-Government"]
    assert names(status="all", search="%") == []  # typed wildcards are literal
    row = committees.search_committees(session, today=today, status="all").rows.iloc[2]
    assert row["status"] == "beendet"
    assert committees.search_committees(session, status="all", limit=1).total == 3


def test_search_committees_counts_todays_members_in_sql(session: Session) -> None:
    body = make_committee(session)
    make_membership(session, body, start_date=date(2019, 1, 1), _n=1)
    make_membership(session, body, start_date=date(2019, 1, 1), end_date=date(2020, 1, 1), _n=2)
    make_membership(session, body, start_date=date(2030, 1, 1), _n=3)
    make_meeting(session, body)
    page = committees.search_committees(session, today=date(2026, 6, 1))
    assert page.rows.iloc[0][["members", "meetings", "status"]].tolist() == [1, 1, "aktiv"]


def test_option_lists_offer_only_active_records(session: Session, actor: Actor) -> None:
    land = make_org(session, name="Land Mecklenburg-Vorpommern", kind="land")
    gone = make_org(session, name="Aufgelöster Zweckverband", kind="special_purpose_association")
    make_org(session, name="Amt Beispiel", kind="municipality")
    organizations.archive_organization(session=session, actor=actor, row_id=gone.id)
    ulbrich = make_person(
        session, given_name="Ina-Maria", family_name="Ulbrich", organization_id=land.id
    )
    fassbinder = make_person(session, title="Dr.", given_name="Stefan", family_name="Fassbinder")
    archived = make_person(session, family_name="Ehemalig")
    persons.archive_person(session=session, actor=actor, row_id=archived.id)
    assert list(organizations.organization_choices(session, limit=None).values()) == [
        "Amt Beispiel",
        "Land Mecklenburg-Vorpommern",
    ]
    assert persons.person_choices(session) == {
        fassbinder.id: "Fassbinder, Dr. Stefan",
        ulbrich.id: "Ulbrich, Ina-Maria (Land Mecklenburg-Vorpommern)",
    }
    assert persons.person_choices(session, search="stefan f") == {
        fassbinder.id: "Fassbinder, Dr. Stefan"
    }
    # What is chosen stays offered, even archived or beyond the search and the limit.
    assert persons.person_choices(session, search="ulb", keep=[archived.id, None], limit=1) == {
        archived.id: "Ehemalig, Jana",
        ulbrich.id: "Ulbrich, Ina-Maria (Land Mecklenburg-Vorpommern)",
    }
    assert list(persons.person_choices(session, limit=1)) == [fassbinder.id]
    top = make_committee(session, name="IT-Planungsrat")
    sub = make_committee(session, name="AG Standards")
    assert committees.committee_choices(session, exclude=sub.id) == {top.id: "IT-Planungsrat"}
    assert committees.committee_choices(session, keep=top.id, limit=1) == {
        sub.id: "AG Standards",
        top.id: "IT-Planungsrat",
    }


def test_committee_profile_names_host_parent_rules_and_status(
    session: Session, actor: Actor
) -> None:
    host = make_org(session, name="Ministerium M-V", kind="state_ministry")
    top = make_committee(session, name="IT-Planungsrat")
    body = make_committee(
        session,
        name="AG",
        state="MV",
        host_organization_id=host.id,
        parent_id=top.id,
        quorum_rule="two_thirds",
        end_date=date(2020, 12, 31),
    )
    profile = committees.committee_profile(session, body.id, today=date(2026, 1, 1))
    assert profile["host"] == "Ministerium M-V"
    assert profile["parent"] == "IT-Planungsrat"
    assert profile["state"] == "Mecklenburg-Vorpommern"
    assert profile["quorum_rule"].startswith("mindestens zwei Drittel")
    assert profile["majority_rule"] == "einfache Mehrheit der abgegebenen Stimmen"
    assert profile["status"] == "beendet"
    committees.archive_committee(session=session, actor=actor, row_id=body.id)
    assert committees.committee_profile(session, body.id)["status"] == "archiviert"


def test_membership_history_keeps_ended_memberships(session: Session, actor: Actor) -> None:
    body = make_committee(session)
    weiss = make_person(session, given_name="Kerstin", family_name="Weiss")
    first = make_membership(session, body, weiss, start_date=date(2019, 4, 10))
    committees.end_membership(
        session=session, actor=actor, row_id=first.id, end_date=date(2020, 12, 31)
    )
    make_membership(
        session, body, weiss, role="deputy_chair", deputy_rank=2, start_date=date(2021, 1, 1)
    )
    member = make_membership(
        session, body, make_person(session, given_name="Paula", family_name="Probe"), _n=1
    )
    make_membership(
        session,
        body,
        make_person(session, given_name="Anna", family_name="Exempel"),
        role="deputy_member",
        deputy_of_id=member.id,
        voting_right=False,
    )
    history = committees.membership_history(session, body.id, today=date(2026, 1, 1))
    assert history["name"].tolist() == [
        "Kerstin Weiss",
        "Kerstin Weiss",
        "Paula Probe",
        "Anna Exempel",
    ]
    assert history["role"].tolist()[:2] == ["stellv. Vorsitz (2.)", "Mitglied"]
    assert history["status"].tolist()[:2] == ["aktuell", "beendet"]
    assert history.iloc[1]["end_date"] == date(2020, 12, 31)
    assert history.iloc[3]["deputy_of"] == "Paula Probe"


def test_add_membership_with_new_person_stores_both(session: Session, actor: Actor) -> None:
    land = make_org(session, name="Land M-V", kind="land")
    body = make_committee(session)
    membership = committees.add_membership_with_new_person(
        session=session,
        actor=actor,
        person={"given_name": "Neu", "family_name": "Mitglied", "organization_id": land.id},
        membership={"committee_id": body.id, "role": "member", "on_behalf_of_id": land.id},
    )
    person = session.get(Person, membership.person_id)
    assert person is not None
    assert (person.full_name, person.organization_id) == ("Neu Mitglied", land.id)
    assert membership.on_behalf_of_id == land.id
    audited = session.exec(select(AuditEvent.entity).order_by(col(AuditEvent.id))).all()
    assert audited[-2:] == ["person", "membership"]


def test_add_membership_with_new_person_is_all_or_nothing(session: Session, actor: Actor) -> None:
    body = make_committee(session, start_date=date(2019, 1, 1), end_date=date(2019, 12, 31))
    persons_before = len(session.exec(select(Person)).all())
    with pytest.raises(DomainError) as info:
        committees.add_membership_with_new_person(
            session=session,
            actor=actor,
            person={"family_name": "Waise"},
            membership={"committee_id": body.id, "role": "member"},  # outlives the committee
        )
    assert info.value.field == "start_date"
    with pytest.raises(DomainError) as info:
        committees.add_membership_with_new_person(
            session=session,
            actor=actor,
            person={"family_name": "Waise"},
            membership={
                "committee_id": body.id,
                "role": "deputy_chair",
                "start_date": date(2019, 2, 1),
                "end_date": date(2019, 3, 1),
            },
        )
    assert info.value.field == "deputy_rank"
    with pytest.raises(DomainError) as info:
        committees.add_membership_with_new_person(
            session=session,
            actor=actor,
            person={"family_name": ""},
            membership={"committee_id": body.id, "role": "chef"},
        )
    assert {error.field for error in info.value.errors} == {"family_name", "role"}
    with pytest.raises(DomainError) as info:
        committees.add_membership_with_new_person(
            session=session,
            actor=actor,
            person={"family_name": "Waise", "organization_id": 999},
            membership={"committee_id": body.id},
        )
    assert info.value.field == "organization_id"
    assert len(session.exec(select(Person)).all()) == persons_before
    assert session.exec(select(Membership)).all() == []
    assert session.exec(select(AuditEvent).where(AuditEvent.entity == "person")).all() == []


def test_end_committee_membership_needs_both_fields_and_this_committee(
    session: Session, actor: Actor
) -> None:
    body = make_committee(session)
    other = make_committee(session, name="Andere AG")
    membership = make_membership(session, body, start_date=date(2019, 4, 10), _n=1)
    with pytest.raises(DomainError) as info:
        committees.end_committee_membership(
            session=session, actor=actor, committee_id=body.id, membership_id=None, end_date=None
        )
    assert {error.field for error in info.value.errors} == {"membership_id", "end_date"}
    with pytest.raises(DomainError, match="nicht zu diesem Gremium"):
        committees.end_committee_membership(
            session=session,
            actor=actor,
            committee_id=other.id,
            membership_id=membership.id,
            end_date=date(2024, 1, 1),
        )
    with pytest.raises(DomainError, match="nicht vor dem Beginn"):
        committees.end_committee_membership(
            session=session,
            actor=actor,
            committee_id=body.id,
            membership_id=membership.id,
            end_date=date(2018, 1, 1),
        )
    ended = committees.end_committee_membership(
        session=session,
        actor=actor,
        committee_id=body.id,
        membership_id=membership.id,
        end_date=date(2024, 1, 1),
    )
    assert ended.end_date == date(2024, 1, 1)
