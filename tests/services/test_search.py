"""The one search box: every kind by name or number, in SQL, with a limit per kind."""

from datetime import date
from typing import Any

from sqlmodel import Session

from services import agreements, decisions, organizations
from services.search import SEARCH_COLUMNS, search
from tests.conftest import (
    ACTOR,
    make_agenda_item,
    make_agreement,
    make_committee,
    make_meeting,
    make_org,
    make_person,
)


def workspace(session: Session) -> dict[str, int | None]:
    leipzig = make_org(
        session,
        name="Stadt Leipzig",
        short_name="Leipzig",
        kind="district_free_city",
        state="SN",
        ags="14713000",
    )
    council = make_committee(
        session, name="Ratsversammlung der Stadt Leipzig", kind="council", state="SN"
    )
    ulbrich = make_person(
        session, given_name="Ina-Maria", family_name="Ulbrich", function="Staatssekretärin"
    )
    steering = make_committee(session, name="Lenkungsausschuss E-Government")
    meeting = make_meeting(session, steering)
    item = make_agenda_item(session, meeting)
    decision = decisions.record_decision(
        session=session,
        actor=ACTOR,
        data={
            "meeting_id": meeting.id,
            "agenda_item_id": item.id,
            "reference": "LA-2019/05",
            "text": "Die Landkreise benennen je eine Ansprechperson für die Nachnutzung.",
            "due_date": date(2020, 1, 31),
        },
    )
    komm24 = make_agreement(session, title="Gründung der KOMM24 GmbH")
    return {
        "leipzig": leipzig.id,
        "council": council.id,
        "ulbrich": ulbrich.id,
        "decision": decision.id,
        "komm24": komm24.id,
    }


def found(session: Session, text: str) -> list[tuple[Any, ...]]:
    hits = search(session, text)
    assert hits.columns.tolist() == SEARCH_COLUMNS
    return [(row.kind, row.label, row.page, row.id) for row in hits.itertuples()]


def test_every_kind_by_name_or_number(session: Session) -> None:
    ids = workspace(session)
    assert found(session, "leipzig") == [
        ("Gremium", "Ratsversammlung der Stadt Leipzig", "committees", ids["council"]),
        ("Organisation", "Stadt Leipzig", "organizations", ids["leipzig"]),
    ]
    assert found(session, "14713000") == [
        ("Organisation", "Stadt Leipzig", "organizations", ids["leipzig"])
    ]
    assert found(session, "Ina-Maria Ulbrich") == [
        ("Person", "Ina-Maria Ulbrich", "persons", ids["ulbrich"])
    ]
    assert found(session, "ulbrich")[0][3] == ids["ulbrich"]
    [(kind, label, page, decision_id)] = found(session, "LA-2019/05")
    assert (kind, page, decision_id) == ("Beschluss", "decisions", ids["decision"])
    assert label.startswith("LA-2019/05: Die Landkreise benennen")
    assert found(session, "Ansprechperson")[0][3] == ids["decision"]
    assert found(session, "KOMM24") == [
        ("Vereinbarung", "Gründung der KOMM24 GmbH", "agreements", ids["komm24"])
    ]
    agreement_number = [
        hit for hit in found(session, f"Nr. {ids['komm24']}") if hit[0] == "Vereinbarung"
    ]
    assert agreement_number == [
        ("Vereinbarung", "Gründung der KOMM24 GmbH", "agreements", ids["komm24"])
    ]


def test_detail_says_what_a_hit_is(session: Session) -> None:
    workspace(session)
    hits = search(session, "Stadt Leipzig")
    org = hits[hits["kind"] == "Organisation"].iloc[0]
    assert org["detail"] == "kreisfreie Stadt · Sachsen · AGS 14713000"
    decision = search(session, "LA-2019/05").iloc[0]
    assert decision["detail"] == "Lenkungsausschuss E-Government · Frist 31.01.2020 · offen"


def test_empty_query_finds_nothing_and_wildcards_are_literal(session: Session) -> None:
    workspace(session)
    assert search(session, "").empty
    assert search(session, "   ").empty
    assert search(session, None).empty
    assert search(session, "%").empty
    assert search(session, "_").empty
    make_org(session, name="Zweckverband 100% Digital", kind="special_purpose_association")
    assert found(session, "100%")[0][1] == "Zweckverband 100% Digital"


def test_archived_records_are_not_found(session: Session) -> None:
    ids = workspace(session)
    organizations.archive_organization(session=session, actor=ACTOR, row_id=ids["leipzig"])
    agreements.archive_agreement(session=session, actor=ACTOR, row_id=ids["komm24"])
    assert [hit[0] for hit in found(session, "leipzig")] == ["Gremium"]
    assert found(session, "KOMM24") == []


def test_limit_per_kind(session: Session) -> None:
    for name in ("Gemeinde Altdorf", "Gemeinde Bergdorf", "Gemeinde Culmdorf"):
        make_org(session, name=name, kind="municipality")
    make_committee(session, name="Arbeitsgruppe Gemeinde-Portal")
    hits = search(session, "gemeinde", limit_per_kind=2)
    assert hits["label"].tolist() == [
        "Arbeitsgruppe Gemeinde-Portal",
        "Gemeinde Altdorf",
        "Gemeinde Bergdorf",
    ]
