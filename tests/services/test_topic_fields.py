"""Themenfelder and Beteiligungen over time."""

from datetime import date

import pytest
from sqlmodel import Session

from services import topic_fields
from services.actor import Actor
from services.errors import DomainError
from tests.conftest import make_org


def test_topic_field_number_and_name_are_unique(session: Session, actor: Actor) -> None:
    topic_fields.create_topic_field(
        session=session, actor=actor, data={"number": 2, "name": "Bauen & Wohnen"}
    )
    with pytest.raises(DomainError) as info:
        topic_fields.create_topic_field(
            session=session, actor=actor, data={"number": 2, "name": "Bildung"}
        )
    assert info.value.field == "number"
    with pytest.raises(DomainError) as info:
        topic_fields.create_topic_field(
            session=session, actor=actor, data={"number": 3, "name": "Bauen & Wohnen"}
        )
    assert info.value.field == "name"


def test_participations_of_one_body_in_one_field_do_not_overlap(
    session: Session, actor: Actor
) -> None:
    field = topic_fields.create_topic_field(
        session=session, actor=actor, data={"number": 2, "name": "Bauen & Wohnen"}
    )
    bmi = make_org(session, name="BMI", kind="federal_ministry", state=None)
    bmwsb = make_org(session, name="BMWSB", kind="federal_ministry", state=None)
    base = {"topic_field_id": field.id, "role": "lead"}
    topic_fields.add_participation(
        session=session,
        actor=actor,
        data={**base, "organization_id": bmi.id, "valid_to": date(2021, 12, 7)},
    )
    topic_fields.add_participation(
        session=session,
        actor=actor,
        data={**base, "organization_id": bmwsb.id, "valid_from": date(2021, 12, 8)},
    )
    with pytest.raises(DomainError, match="bereits an dem Themenfeld beteiligt") as info:
        topic_fields.add_participation(
            session=session,
            actor=actor,
            data={
                **base,
                "organization_id": bmi.id,
                "role": "supporting",
                "valid_from": date(2021, 1, 1),
            },
        )
    assert info.value.field == "valid_from"
    later = topic_fields.add_participation(
        session=session,
        actor=actor,
        data={
            **base,
            "organization_id": bmi.id,
            "role": "supporting",
            "valid_from": date(2022, 1, 1),
        },
    )
    assert later.id is not None
    frame = topic_fields.list_participations(session)
    assert sorted(frame["organization"]) == ["BMI", "BMI", "BMWSB"]


def test_archived_participation_is_not_listed(session: Session, actor: Actor) -> None:
    field = topic_fields.create_topic_field(
        session=session, actor=actor, data={"number": 11, "name": "Recht & Ordnung"}
    )
    sachsen = make_org(session, name="Freistaat Sachsen", kind="land", state="SN")
    participation = topic_fields.add_participation(
        session=session,
        actor=actor,
        data={"organization_id": sachsen.id, "topic_field_id": field.id, "role": "lead"},
    )
    topic_fields.archive_participation(session=session, actor=actor, row_id=participation.id)
    assert topic_fields.list_participations(session).empty
