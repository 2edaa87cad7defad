"""Create/Update schemas validate on their own, before any database is involved."""

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from models import (
    CommitteeCreate,
    CommitteeUpdate,
    DecisionCreate,
    MeetingCreate,
    OrganizationCreate,
    OrganizationUpdate,
    ParticipationCreate,
)
from models.enums import FederalState, OrganizationKind, QuorumRule


def test_committee_defaults_follow_the_domain_brief() -> None:
    committee = CommitteeCreate(name="LA", kind="steering_committee")
    assert committee.quorum_rule == QuorumRule.MORE_THAN_HALF
    assert committee.majority_rule.value == "simple"


def test_enum_codes_carry_german_labels() -> None:
    assert OrganizationKind("district_free_city").label == "kreisfreie Stadt"
    assert FederalState.MV.label == "Mecklenburg-Vorpommern"


@pytest.mark.parametrize(
    ("schema", "data"),
    [
        (
            CommitteeCreate,
            {
                "name": "LA",
                "kind": "other",
                "start_date": date(2020, 1, 2),
                "end_date": date(2020, 1, 1),
            },
        ),
        (
            MeetingCreate,
            {"committee_id": 1, "start": datetime(2020, 1, 2, 10), "end": datetime(2020, 1, 2, 9)},
        ),
        (
            ParticipationCreate,
            {
                "organization_id": 1,
                "topic_field_id": 1,
                "role": "lead",
                "valid_from": date(2021, 1, 1),
                "valid_to": date(2020, 1, 1),
            },
        ),
    ],
)
def test_end_before_start_is_refused(schema: type, data: dict) -> None:
    with pytest.raises(ValidationError) as info:
        schema.model_validate(data)
    assert info.value.errors()[0]["type"] == "end_before_start"


def test_negative_vote_counts_are_refused() -> None:
    with pytest.raises(ValidationError):
        DecisionCreate(meeting_id=1, reference="1", text="x", votes_no=-1)


def test_unknown_kind_and_overlong_name_are_refused() -> None:
    with pytest.raises(ValidationError):
        OrganizationCreate(name="x", kind="kingdom")
    with pytest.raises(ValidationError):
        OrganizationCreate(name="x" * 201, kind="land")


def test_update_schema_is_partial_but_keeps_constraints() -> None:
    assert OrganizationUpdate.model_validate({}).model_dump(exclude_unset=True) == {}
    assert CommitteeUpdate.model_validate({"name": "Neu"}).model_dump(exclude_unset=True) == {
        "name": "Neu"
    }
    with pytest.raises(ValidationError):
        OrganizationUpdate.model_validate({"name": "x" * 201})
    with pytest.raises(ValidationError):
        OrganizationUpdate.model_validate({"ags": "12ab"})
