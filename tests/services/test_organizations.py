"""Organisationen and Personen: references, hierarchy and the official key."""

from datetime import date

import pytest
from sqlmodel import Session

from models.enums import FederalState, OrganizationKind
from services import committees, organizations, persons, topic_fields
from services.actor import Actor
from services.errors import DomainError
from tests.conftest import (
    make_agreement,
    make_committee,
    make_membership,
    make_org,
    make_party,
    make_person,
)


def test_parent_must_not_be_the_organization_or_below_it(session: Session, actor: Actor) -> None:
    land = make_org(session, name="Land M-V", kind="land")
    kreis = make_org(session, name="Landkreis NWM", parent_id=land.id)
    with pytest.raises(DomainError) as info:
        organizations.update_organization(
            session=session, actor=actor, row_id=land.id, data={"parent_id": kreis.id}
        )
    assert info.value.field == "parent_id"
    with pytest.raises(DomainError):
        organizations.update_organization(
            session=session, actor=actor, row_id=land.id, data={"parent_id": land.id}
        )


def test_official_key_is_unique(session: Session) -> None:
    make_org(session, name="Stadt Leipzig", kind="district_free_city", ags="14713000")
    with pytest.raises(
        DomainError, match="14713000 ist bereits an „Stadt Leipzig“ vergeben"
    ) as info:
        make_org(session, name="Leipzig (Dublette)", kind="district_free_city", ags="14713000")
    assert info.value.field == "ags"


def test_archived_parent_cannot_be_chosen(session: Session, actor: Actor) -> None:
    old = make_org(session, name="Alter Kreis")
    organizations.archive_organization(session=session, actor=actor, row_id=old.id)
    with pytest.raises(DomainError, match="archiviert") as info:
        make_org(session, name="Gemeinde", kind="municipality", parent_id=old.id)
    assert info.value.field == "parent_id"


def test_person_home_organization_must_exist(session: Session) -> None:
    with pytest.raises(DomainError) as info:
        make_person(session, organization_id=4711)
    assert info.value.field == "organization_id"


def test_person_full_name_and_search(session: Session) -> None:
    org = make_org(session, name="Universitäts- und Hansestadt Greifswald", kind="municipality")
    person = make_person(
        session, title="Dr.", given_name="Stefan", family_name="Fassbinder", organization_id=org.id
    )
    assert person.full_name == "Dr. Stefan Fassbinder"
    found = persons.list_persons(session, search="fass")
    assert found["name"].tolist() == ["Dr. Stefan Fassbinder"]
    assert found["organization"].tolist() == [org.name]


def test_list_organizations_hides_archived_unless_asked(session: Session, actor: Actor) -> None:
    make_org(session, name="Aktiv")
    gone = make_org(session, name="Archiviert")
    organizations.archive_organization(session=session, actor=actor, row_id=gone.id)
    assert organizations.list_organizations(session)["name"].tolist() == ["Aktiv"]
    assert len(organizations.list_organizations(session, include_archived=True)) == 2


def test_search_organizations_filters_and_pages_in_sql(session: Session, actor: Actor) -> None:
    land = make_org(session, name="Freistaat Sachsen", kind="land", state="SN", ags="14")
    leipzig = make_org(
        session,
        name="Stadt Leipzig",
        short_name="Leipzig",
        kind="district_free_city",
        state="SN",
        parent_id=land.id,
        ags="14713000",
    )
    make_org(session, name="Land Mecklenburg-Vorpommern", kind="land", state="MV")
    for number in range(5):
        make_org(session, name=f"Gemeinde {number}", kind="municipality", state="SN")
    gone = make_org(session, name="Gemeinde Aufgelöst", kind="municipality", state="SN")
    organizations.archive_organization(session=session, actor=actor, row_id=gone.id)

    page = organizations.search_organizations(session, search="leip")
    assert page.rows[["name", "parent", "kind", "state"]].values.tolist() == [
        ["Stadt Leipzig", "Freistaat Sachsen", "kreisfreie Stadt", "Sachsen"]
    ]
    assert organizations.search_organizations(session, search="14713").rows["id"].tolist() == [
        leipzig.id
    ]
    lands = organizations.search_organizations(
        session, kinds=[OrganizationKind.LAND], states=[FederalState.SN]
    )
    assert lands.rows["name"].tolist() == ["Freistaat Sachsen"]
    municipalities = organizations.search_organizations(
        session, kinds=[OrganizationKind.MUNICIPALITY], limit=2, offset=2
    )
    assert (municipalities.total, municipalities.page_count) == (5, 3)
    assert municipalities.rows["name"].tolist() == ["Gemeinde 2", "Gemeinde 3"]
    archived = organizations.search_organizations(session, archived=True)
    assert archived.rows["name"].tolist() == ["Gemeinde Aufgelöst"]
    assert organizations.search_organizations(session, archived=None).total == 9
    children = organizations.search_organizations(session, parent_id=land.id)
    assert children.rows["name"].tolist() == ["Stadt Leipzig"]


def test_organization_choices_keep_the_chosen_one(session: Session, actor: Actor) -> None:
    land = make_org(session, name="Freistaat Sachsen", short_name="Sachsen", kind="land")
    city = make_org(session, name="Stadt Leipzig", kind="district_free_city")
    assert organizations.organization_choices(session, search="leip") == {city.id: "Stadt Leipzig"}
    assert organizations.organization_choices(session, search="leip", keep=land.id) == {
        land.id: "Freistaat Sachsen (Sachsen)",
        city.id: "Stadt Leipzig",
    }
    organizations.archive_organization(session=session, actor=actor, row_id=city.id)
    assert organizations.organization_choices(session) == {land.id: "Freistaat Sachsen (Sachsen)"}


def test_committees_of_an_organization_hosted_and_sent_to(session: Session, actor: Actor) -> None:
    leipzig = make_org(session, name="Stadt Leipzig", kind="district_free_city")
    council = make_committee(session, name="Ratsversammlung", kind="council")
    committees.update_committee(
        session=session, actor=actor, row_id=council.id, data={"host_organization_id": leipzig.id}
    )
    make_membership(session, council, on_behalf_of_id=leipzig.id, _n=1)
    make_membership(session, council, on_behalf_of_id=leipzig.id, _n=2)
    summit = make_committee(session, name="Spitzengespräch", kind="summit")
    make_membership(
        session,
        summit,
        on_behalf_of_id=leipzig.id,
        start_date=date(2019, 4, 9),
        end_date=date(2019, 4, 9),
        _n=3,
    )
    make_committee(session, name="Fremdes Gremium")

    found = organizations.organization_committees(session, leipzig.id, today=date(2026, 1, 1))
    assert found[["name", "relation", "current_members"]].values.tolist() == [
        ["Ratsversammlung", "Träger; entsendet 2 Mitglieder", 2],
        ["Spitzengespräch", "entsandte früher 1 Mitglied", 0],
    ]


def test_agreements_of_an_organization_as_party_or_representative(session: Session) -> None:
    komm24 = make_agreement(session, title="Gründung der KOMM24 GmbH")
    leipzig = make_org(session, name="Stadt Leipzig", kind="district_free_city")
    lecos = make_org(session, name="Lecos GmbH", kind="it_provider")
    make_party(session, komm24, leipzig, role="founding_shareholder", represented_by_id=lecos.id)
    make_agreement(session, title="Andere Vereinbarung")

    as_party = organizations.organization_agreements(session, leipzig.id)
    assert as_party[["title", "relation"]].values.tolist() == [
        [
            "Gründung der KOMM24 GmbH",
            "Partei (Gründungsgesellschafter), vertreten durch Lecos GmbH",
        ]
    ]
    as_representative = organizations.organization_agreements(session, lecos.id)
    assert as_representative[["id", "relation"]].values.tolist() == [
        [komm24.id, "vertritt Stadt Leipzig (Gründungsgesellschafter)"]
    ]


def test_themenfeld_participations_of_an_organization(session: Session, actor: Actor) -> None:
    bmi = make_org(session, name="BMI", kind="federal_ministry")
    bauen = topic_fields.create_topic_field(
        session=session, actor=actor, data={"number": 2, "name": "Bauen & Wohnen"}
    )
    topic_fields.add_participation(
        session=session,
        actor=actor,
        data={
            "organization_id": bmi.id,
            "topic_field_id": bauen.id,
            "role": "lead",
            "valid_to": date(2021, 12, 7),
        },
    )
    found = organizations.organization_participations(session, bmi.id, today=date(2026, 1, 1))
    assert found[["topic_field", "role", "valid_to", "current"]].values.tolist() == [
        ["Bauen & Wohnen", "federführend", date(2021, 12, 7), "beendet"]
    ]


def test_search_persons_by_full_name_function_and_organization(
    session: Session, actor: Actor
) -> None:
    ministry = make_org(session, name="Ministerium EID", kind="state_ministry")
    ulbrich = make_person(
        session,
        given_name="Ina-Maria",
        family_name="Ulbrich",
        function="Staatssekretärin",
        organization_id=ministry.id,
    )
    make_person(session, given_name="Jana", family_name="Beispiel")
    gone = make_person(session, given_name="Paul", family_name="Ehemalig")
    persons.archive_person(session=session, actor=actor, row_id=gone.id)

    page = persons.search_persons(session, search="Ina-Maria Ulbrich")
    assert page.rows[["id", "name", "organization"]].values.tolist() == [
        [ulbrich.id, "Ina-Maria Ulbrich", "Ministerium EID"]
    ]
    assert persons.search_persons(session, search="staatssekr").rows["id"].tolist() == [ulbrich.id]
    assert persons.search_persons(session, organization_id=ministry.id).total == 1
    everyone = persons.search_persons(session, limit=1)
    assert (everyone.total, everyone.rows["name"].tolist()) == (2, ["Jana Beispiel"])
    assert persons.search_persons(session, archived=True).rows["name"].tolist() == ["Paul Ehemalig"]


def test_memberships_of_a_person_over_time(session: Session) -> None:
    org = make_org(session, name="Land M-V", kind="land")
    person = make_person(session, given_name="Kerstin", family_name="Weiss")
    steering = make_committee(session, name="Lenkungsausschuss")
    make_membership(
        session,
        steering,
        person,
        role="deputy_chair",
        deputy_rank=2,
        on_behalf_of_id=org.id,
        start_date=date(2019, 4, 10),
    )
    summit = make_committee(session, name="Spitzengespräch")
    make_membership(
        session,
        summit,
        person,
        voting_right=False,
        start_date=date(2019, 4, 9),
        end_date=date(2019, 4, 9),
    )
    history = persons.person_memberships(session, person.id, today=date(2026, 1, 1)).fillna("")
    assert history[
        ["committee", "role", "on_behalf_of", "voting_right", "period"]
    ].values.tolist() == [
        ["Lenkungsausschuss", "stellv. Vorsitz (2.)", "Land M-V", "ja", "aktuell"],
        ["Spitzengespräch", "Mitglied", "", "nein", "beendet"],
    ]


def test_organization_choices_search_count_and_keep_the_current_choice(
    session: Session, actor: Actor
) -> None:
    leipzig = make_org(
        session, name="Stadt Leipzig", short_name="Leipzig", kind="district_free_city"
    )
    lecos = make_org(session, name="Lecos GmbH", kind="it_provider")
    archived = make_org(session, name="Alte Stadt")
    organizations.archive_organization(session=session, actor=actor, row_id=archived.id)
    assert organizations.organization_choices(session) == {
        lecos.id: "Lecos GmbH",
        leipzig.id: "Stadt Leipzig (Leipzig)",
    }
    assert organizations.organization_choices(session, search="leip") == {
        leipzig.id: "Stadt Leipzig (Leipzig)"
    }
    assert organizations.count_organizations(session, "le") == 2
    limited = organizations.organization_choices(session, limit=1, keep=[leipzig.id, None])
    assert set(limited) == {lecos.id, leipzig.id}
    assert archived.id in organizations.organization_choices(session, keep=archived.id)
