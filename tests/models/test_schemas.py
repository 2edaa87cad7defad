"""Create/Update schemas validate on their own, before any database is involved."""

from datetime import date, datetime
from typing import Any, get_args

import pytest
from pydantic import NaiveDatetime, ValidationError
from pydantic.fields import FieldInfo
from sqlmodel import SQLModel

import models
from models import (
    CommitteeCreate,
    CommitteeUpdate,
    DecisionCreate,
    MeetingCreate,
    MeetingUpdate,
    MembershipCreate,
    OrganizationCreate,
    OrganizationUpdate,
    ParticipationCreate,
)
from models.base import KEY_MAX
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


# --- every input field is bounded ------------------------------------------------------

INPUT_SCHEMAS = sorted(
    (
        getattr(models, name)
        for name in models.__all__
        if name.endswith(("Create", "Update")) and isinstance(getattr(models, name), type)
    ),
    key=lambda schema: schema.__name__,
)


def _bound(info: FieldInfo, name: str) -> Any:
    return next((getattr(m, name) for m in info.metadata if hasattr(m, name)), None)


def _types(info: FieldInfo) -> set[Any]:
    return {info.annotation, *get_args(info.annotation)} - {type(None)}


@pytest.mark.parametrize("schema", INPUT_SCHEMAS, ids=lambda schema: schema.__name__)
def test_every_text_number_and_date_field_has_limits(schema: type[SQLModel]) -> None:
    """No input can be longer than its column or overflow an INTEGER, on any database."""
    unbounded = []
    for name, info in schema.model_fields.items():
        types = _types(info)
        if str in types and _bound(info, "max_length") is None:
            unbounded.append(name)
        elif int in types:
            low, high = _bound(info, "ge"), _bound(info, "le")
            if low is None or high is None or low < -KEY_MAX - 1 or high > KEY_MAX:
                unbounded.append(name)
        elif types & {date, datetime, NaiveDatetime} and None in (
            _bound(info, "ge"),
            _bound(info, "le"),
        ):
            unbounded.append(name)
    assert unbounded == []


def test_keys_and_dates_refuse_what_no_database_or_calendar_holds() -> None:
    with pytest.raises(ValidationError) as info:
        MembershipCreate(person_id=2**63, committee_id=1, start_date=date(1899, 12, 31))
    assert {(e["loc"][0], e["type"]) for e in info.value.errors()} == {
        ("person_id", "less_than_equal"),
        ("start_date", "greater_than_equal"),
    }
    with pytest.raises(ValidationError):
        MeetingUpdate.model_validate({"end": datetime(2101, 1, 1)})
    assert MembershipCreate(person_id=KEY_MAX, committee_id=1).person_id == KEY_MAX
