"""Bad input yields German messages that name the field and what is allowed."""

import pytest

from models import CommitteeCreate, OrganizationCreate
from services.errors import DomainError
from services.validation import validate


def messages(schema: type, data: dict) -> dict[str | None, str]:
    with pytest.raises(DomainError) as info:
        validate(schema, data)
    return {error.field: error.message for error in info.value.errors}


def test_missing_and_empty_fields_are_named() -> None:
    found = messages(OrganizationCreate, {"name": "", "state": "MV"})
    assert found["name"] == "„Name“ darf nicht leer sein."
    assert found["kind"] == "„Art“ ist ein Pflichtfeld."


def test_enum_message_lists_allowed_german_labels() -> None:
    found = messages(OrganizationCreate, {"name": "x", "kind": "kingdom"})
    assert "„Art“ muss einer dieser Werte sein:" in found["kind"]
    assert "kreisfreie Stadt" in found["kind"]


def test_length_range_and_date_messages() -> None:
    found = messages(
        CommitteeCreate,
        {"name": "x" * 201, "kind": "other", "seat_count": 0, "start_date": "gestern"},
    )
    assert found["name"] == "„Name“ darf höchstens 200 Zeichen lang sein."
    assert found["seat_count"] == "„gesetzliche Mitgliederzahl“ muss mindestens 1 sein."
    assert found["start_date"] == "„Beginn“ muss ein Datum sein (TT.MM.JJJJ)."


def test_period_message_names_the_end_field() -> None:
    found = messages(
        CommitteeCreate,
        {"name": "x", "kind": "other", "start_date": "2020-01-02", "end_date": "2020-01-01"},
    )
    assert found == {"end_date": "„Ende“ darf nicht vor dem Beginn liegen."}
