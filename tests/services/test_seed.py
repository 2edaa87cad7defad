"""The demo data: the source's facts are there, each with its source, and loading is idempotent."""

from datetime import date, datetime

import pytest
from sqlmodel import Session, SQLModel, col, func, select

from models import (
    Agreement,
    AgreementParty,
    Approval,
    AuditEvent,
    Committee,
    Meeting,
    Membership,
    Organization,
    Participation,
    Person,
    TopicField,
)
from models.base import DEMO_SOURCE
from models.enums import ApprovalState, MembershipRole, ParticipationRole
from services import agreements, committees
from services.seed import has_data, load_demo_data


@pytest.fixture
def seeded(session: Session) -> Session:
    load_demo_data(session)
    return session


def person(session: Session, family_name: str) -> Person:
    return session.exec(select(Person).where(Person.family_name == family_name)).one()


def org(session: Session, name: str) -> Organization:
    return session.exec(select(Organization).where(col(Organization.name).contains(name))).one()


def test_mv_steering_committee_with_chair_and_deputies(seeded: Session) -> None:
    body = seeded.exec(
        select(Committee).where(col(Committee.name).contains("Lenkungsausschuss"))
    ).one()
    members = {
        m.person_id: m
        for m in seeded.exec(select(Membership).where(Membership.committee_id == body.id))
    }
    chair = members[person(seeded, "Ulbrich").id]
    assert chair.role == MembershipRole.CHAIR
    assert members[person(seeded, "Fassbinder").id].role == MembershipRole.DEPUTY_CHAIR
    assert members[person(seeded, "Weiss").id].role == MembershipRole.DEPUTY_CHAIR
    assert {members[person(seeded, n).id].deputy_rank for n in ("Fassbinder", "Weiss")} == {1, 2}
    assert person(seeded, "Ulbrich").function.startswith("Staatssekretärin")
    composition = committees.composition(seeded, body.id, date(2019, 4, 10))
    assert composition.iloc[0]["name"] == "Ina-Maria Ulbrich"
    meeting = seeded.exec(
        select(Meeting).where(Meeting.committee_id == body.id, Meeting.number == 1)
    ).one()
    assert (meeting.start.date(), meeting.location) == (date(2019, 4, 10), "Schwerin")


def test_komm24_agreement_with_five_parties_and_leipzig_through_lecos(seeded: Session) -> None:
    komm24 = seeded.exec(select(Agreement).where(col(Agreement.title).contains("KOMM24"))).one()
    assert (komm24.concluded_on, komm24.target_date) == (date(2019, 4, 9), date(2019, 7, 1))
    parties = seeded.exec(
        select(AgreementParty).where(AgreementParty.agreement_id == komm24.id)
    ).all()
    names = {
        f"{o.name} ({o.short_name})"
        for o in (seeded.get(Organization, p.organization_id) for p in parties)
    }
    assert len(parties) == 5
    for expected in ("Chemnitz", "Dresden", "Leipzig", "KISA", "SAKD"):
        assert any(expected in name for name in names), expected
    leipzig = next(
        p for p in parties if "Leipzig" in seeded.get(Organization, p.organization_id).name
    )
    assert "Lecos" in seeded.get(Organization, leipzig.represented_by_id).name
    approval = seeded.exec(select(Approval).where(Approval.party_id == leipzig.id)).one()
    assert (approval.state, approval.decided_on) == (ApprovalState.GRANTED, date(2019, 9, 4))
    assert approval.decision_id is not None
    status = agreements.agreement_status(seeded, komm24.id)
    assert "Zieltermin 01.07.2019 um 65 Tage überschritten" in status.sentences()


def test_dresden_summit_of_9_april_2019(seeded: Session) -> None:
    meeting = seeded.exec(
        select(Meeting).where(
            col(Meeting.start) >= datetime(2019, 4, 9), col(Meeting.start) < datetime(2019, 4, 10)
        )
    ).one()
    assert meeting.location == "Dresden"


def test_fourteen_topic_fields_with_verified_leads_only(seeded: Session) -> None:
    fields = {f.name: f for f in seeded.exec(select(TopicField))}
    assert len(fields) == 14
    assert "Bauen & Wohnen" in fields
    assert "Recht & Ordnung" in fields

    def leads(name: str) -> set[str]:
        statement = (
            select(Organization.name)
            .join(Participation, col(Participation.organization_id) == Organization.id)
            .where(
                Participation.topic_field_id == fields[name].id,
                Participation.role == ParticipationRole.LEAD,
            )
        )
        return set(seeded.exec(statement))

    assert any("Mecklenburg-Vorpommern" in name for name in leads("Bauen & Wohnen"))
    assert any("Sachsen" in name for name in leads("Recht & Ordnung"))
    assert leads("Forschung & Förderung") == set()  # unverified: left out


def test_every_record_names_its_source(seeded: Session) -> None:
    for model in (
        Organization,
        Person,
        Committee,
        Membership,
        Meeting,
        Agreement,
        Participation,
        TopicField,
    ):
        assert (
            seeded.exec(
                select(func.count()).select_from(model).where(col(model.source).is_(None))
            ).one()
            == 0
        )
    demo = seeded.exec(
        select(func.count()).select_from(Person).where(Person.source == DEMO_SOURCE)
    ).one()
    assert demo > 0  # invented members are marked as such
    assert person(seeded, "Ulbrich").source != DEMO_SOURCE


def test_loading_twice_changes_nothing(seeded: Session) -> None:
    events_before = seeded.exec(select(func.count()).select_from(AuditEvent)).one()
    report = load_demo_data(seeded)
    assert report.total == 0
    assert seeded.exec(select(func.count()).select_from(AuditEvent)).one() == events_before
    assert has_data(seeded)


def test_empty_database_has_no_data(session: Session) -> None:
    assert not has_data(session)


def test_every_record_written_by_the_commands_has_its_audit_event(seeded: Session) -> None:
    for table in SQLModel.metadata.sorted_tables:
        if table.name == "audit_event":
            continue
        rows = seeded.exec(select(func.count()).select_from(table)).one()
        created = seeded.exec(
            select(func.count(func.distinct(AuditEvent.entity_id))).where(
                AuditEvent.entity == table.name, AuditEvent.action == "create"
            )
        ).one()
        assert rows == created, table.name
