"""Organisationen and Personen: references, hierarchy and the official key."""

import pytest
from sqlmodel import Session

from services import organizations, persons
from services.actor import Actor
from services.errors import DomainError
from tests.conftest import make_org, make_person


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
