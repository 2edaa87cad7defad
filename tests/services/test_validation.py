"""Bad input yields German messages that name the field and what is allowed."""

import pytest
from sqlmodel import Session, func, select

from models import (
    CommitteeCreate,
    CommitteeUpdate,
    DecisionCreate,
    MeetingCreate,
    MeetingUpdate,
    Membership,
    Organization,
    OrganizationCreate,
)
from models.base import KEY_MAX
from services import committees
from services.errors import DomainError
from services.validation import clean_text, validate
from tests.conftest import ACTOR, make_committee, make_org, make_person


def messages(schema: type, data: dict) -> dict[str | None, str]:
    with pytest.raises(DomainError) as info:
        validate(schema, data)
    return {error.field: error.message for error in info.value.errors}


def test_missing_and_empty_fields_are_named() -> None:
    found = messages(OrganizationCreate, {"name": "", "state": "MV"})
    assert found["name"] == "„Name“ ist ein Pflichtfeld."
    assert found["kind"] == "„Art“ ist ein Pflichtfeld."


def test_text_of_only_blanks_and_invisible_characters_counts_as_not_entered() -> None:
    found = messages(OrganizationCreate, {"name": " \u200b\x00\t ", "kind": "land"})
    assert found == {"name": "„Name“ ist ein Pflichtfeld."}
    org = validate(OrganizationCreate, {"name": "Land", "kind": "land", "short_name": " \ufeff "})
    assert org.short_name is None


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


# --- hostile and careless text ---------------------------------------------------------


def test_single_line_text_loses_control_and_invisible_characters() -> None:
    assert clean_text("Ab\x00c\u200bd") == "Abcd"
    # Line breaks and tabs (also Unicode's own separators) become spaces on one line.
    assert clean_text(" Amt\r\nfür\tDigitales\u2028Nord ") == "Amt für Digitales Nord"
    # Bidirectional overrides, byte order marks, C1 controls, lone surrogates, DEL.
    assert clean_text("\ufeffKreis\u202e Nord\x85\ud800\x7f") == "Kreis Nord"
    assert clean_text("Müller-Lüdenscheidt 😀") == "Müller-Lüdenscheidt 😀"
    assert clean_text(" \x00 ") is None


def test_multi_line_text_keeps_line_breaks_and_tabs() -> None:
    assert clean_text("Zeile 1\r\nZeile 2\rZeile 3\u2029\tEingerückt\x07\x00", multiline=True) == (
        "Zeile 1\nZeile 2\nZeile 3\n\tEingerückt"
    )


def test_validate_cleans_by_the_fields_storage() -> None:
    committee = validate(
        CommitteeCreate, {"name": "Lenkungs\u00adausschuss\n", "kind": "other", "purpose": "a\nb"}
    )
    assert committee.name == "Lenkungsausschuss"
    assert committee.purpose == "a\nb"
    # The partial Update schema knows the multi-line fields too.
    change = validate(CommitteeUpdate, {"purpose": "\x00eins\r\nzwei ", "short_name": "L\nA"})
    assert change.model_dump(exclude_unset=True) == {"purpose": "eins\nzwei", "short_name": "L A"}


def test_text_is_normalised_to_nfc() -> None:
    decomposed = "Mu\u0308ller"
    org = validate(OrganizationCreate, {"name": decomposed, "kind": "other"})
    assert org.name == "Müller"
    assert len(org.name) == 6


def test_length_is_counted_after_cleaning() -> None:
    name = "x" * 200 + "\u200b" * 10
    assert validate(OrganizationCreate, {"name": name, "kind": "other"}).name == "x" * 200
    found = messages(OrganizationCreate, {"name": "y" * 1_000_000 + "\x00", "kind": "other"})
    assert found == {"name": "„Name“ darf höchstens 200 Zeichen lang sein."}
    found = messages(CommitteeCreate, {"name": "x", "kind": "other", "purpose": "p" * 10_001})
    assert found == {"purpose": "„Zweck“ darf höchstens 10000 Zeichen lang sein."}


# --- numbers and dates out of range ------------------------------------------------------


def test_huge_numbers_are_refused_naming_the_field() -> None:
    found = messages(
        DecisionCreate,
        {"meeting_id": 2**63, "reference": "1", "text": "x", "votes_yes": 2**64, "votes_no": -1},
    )
    assert found == {
        "meeting_id": f"„Sitzung“ darf höchstens {KEY_MAX} sein.",
        "votes_yes": "„Ja“ darf höchstens 10000 sein.",
        "votes_no": "„Nein“ muss mindestens 0 sein.",
    }
    found = messages(MeetingCreate, {"committee_id": "9" * 5000, "start": "2026-03-10T10:00"})
    assert found == {"committee_id": "„Gremium“ ist zu groß."}


def test_dates_outside_1900_to_2100_are_refused() -> None:
    expected = "muss zwischen dem 01.01.1900 und dem 31.12.2100 liegen."
    found = messages(CommitteeCreate, {"name": "x", "kind": "other", "start_date": "0219-05-01"})
    assert found == {"start_date": f"„Beginn“ {expected}"}
    found = messages(MeetingUpdate, {"start": "2190-05-01T10:00"})
    assert found == {"start": f"„Beginn“ {expected}"}
    assert validate(MeetingCreate, {"committee_id": 1, "start": "2100-12-31T23:59"})


def test_commands_refuse_huge_keys_before_the_database_sees_them(session: Session) -> None:
    """SQLite overflows above 2**63, PostgreSQL's INTEGER above 2**31: neither is reached."""
    with pytest.raises(DomainError) as info:
        make_org(session, parent_id=2**63)
    assert info.value.errors[0].message == (
        f"„übergeordnete Organisation“ darf höchstens {KEY_MAX} sein."
    )
    body, person = make_committee(session), make_person(session)
    with pytest.raises(DomainError) as info:
        committees.add_membership(
            session=session,
            actor=ACTOR,
            data={"committee_id": body.id, "person_id": person.id, "deputy_of_id": 2**31},
        )
    assert info.value.field == "deputy_of_id"
    assert session.exec(select(func.count()).select_from(Membership)).one() == 0


def test_stored_text_is_the_cleaned_text(session: Session) -> None:
    """PostgreSQL refuses NUL in text; it never gets there."""
    org = make_org(session, name="Amt\x00 für\u200b Digitales\n", short_name="\x00")
    session.expire_all()
    stored = session.get(Organization, org.id)
    assert stored is not None
    assert (stored.name, stored.short_name) == ("Amt für Digitales", None)
