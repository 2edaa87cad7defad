"""The Änderungsprotokoll query: filters, paging in SQL, and changes in German words."""

from datetime import UTC, date, datetime

from sqlmodel import Session

from models import AuditEvent
from models.enums import AuditAction, Role
from services import organizations, persons
from services.actor import Actor
from services.audit import actors, change_lines, list_events
from tests.conftest import ACTOR, make_org, make_person

OTHER = Actor(username="referentin", display_name="Referentin", role=Role.ADMIN)


def test_newest_first_with_old_and_new_values(session: Session) -> None:
    org = make_org(session, name="Lecos GmbH", short_name="Lecos", kind="it_provider", state="SN")
    organizations.update_organization(
        session=session,
        actor=OTHER,
        row_id=org.id,
        data={"short_name": "Lecos Leipzig", "kind": "company", "state": None},
    )
    page = list_events(session)
    assert page.total == 2
    newest, created = page.rows.to_dict("records")
    assert (newest["actor"], newest["entity_label"], newest["entity_id"], newest["action"]) == (
        "referentin",
        "Organisation",
        org.id,
        "geändert",
    )
    assert newest["changes"] == [
        "Kurzname: Lecos → Lecos Leipzig",
        "Art: IT-Dienstleister → Gesellschaft",
        "Bundesland: Sachsen → —",
    ]
    assert created["action"] == "angelegt"
    assert "Name: — → Lecos GmbH" in created["changes"]


def test_filters_by_entity_record_and_actor(session: Session) -> None:
    first = make_org(session, name="Erste")
    second = make_org(session, name="Zweite")
    person = make_person(session)
    persons.update_person(
        session=session, actor=OTHER, row_id=person.id, data={"function": "Referentin"}
    )
    organizations.archive_organization(session=session, actor=OTHER, row_id=second.id)

    assert list_events(session, entity="organization").total == 3
    assert list_events(session, entity="organization", entity_id=first.id).total == 1
    assert list_events(session, entity="person").rows["action"].tolist() == [
        "geändert",
        "angelegt",
    ]
    by_other = list_events(session, actor="referentin")
    assert by_other.rows["entity"].tolist() == ["organization", "person"]
    assert by_other.rows["changes"].tolist()[0] == ["archiviert: nein → ja"]
    assert actors(session) == ["referentin", "sekretariat"]


def test_pages_in_sql(session: Session) -> None:
    for number in range(7):
        make_org(session, name=f"Gemeinde {number}", kind="municipality")
    page = list_events(session, limit=3, offset=3)
    assert (page.total, page.page_count, len(page.rows)) == (7, 3, 3)
    assert page.rows["entity_id"].tolist() == sorted(page.rows["entity_id"], reverse=True)


def record(session: Session, at: datetime, entity_id: int) -> None:
    session.add(
        AuditEvent(
            at=at,
            actor=ACTOR.username,
            entity="organization",
            entity_id=entity_id,
            action=AuditAction.UPDATE,
            changes={"name": ["Alt", "Neu"]},
        )
    )
    session.commit()


def test_time_filter_uses_german_calendar_days(session: Session) -> None:
    # 23:30 UTC on 27.11. is already 00:30 on 28.11. in Germany.
    record(session, datetime(2026, 11, 27, 22, 30, tzinfo=UTC), 1)
    record(session, datetime(2026, 11, 27, 23, 30, tzinfo=UTC), 2)
    record(session, datetime(2026, 11, 28, 22, 59, tzinfo=UTC), 3)
    record(session, datetime(2026, 11, 28, 23, 0, tzinfo=UTC), 4)
    day = date(2026, 11, 28)
    assert list_events(session, since=day, until=day).rows["entity_id"].tolist() == [3, 2]
    assert list_events(session, until=date(2026, 11, 27)).rows["entity_id"].tolist() == [1]
    assert list_events(session, since=date(2026, 11, 29)).rows["entity_id"].tolist() == [4]
    shown = list_events(session, entity_id=2).rows.iloc[0]
    assert shown["when"] == "28.11.2026 00:30"


def test_change_lines_show_dates_enums_and_flags_in_german() -> None:
    assert change_lines(
        "meeting",
        {
            "start": ["2019-04-10T10:00:00", "2019-04-10T11:30:00"],
            "state": ["planned", "held"],
            "public": [False, True],
            "location": [None, "Schwerin"],
        },
    ) == [
        "Beginn: 10.04.2019 10:00 → 10.04.2019 11:30",
        "Status: geplant → durchgeführt",
        "öffentlich: nein → ja",
        "Ort: — → Schwerin",
    ]
    assert change_lines("decision", {"due_date": ["2020-01-31", None]}) == ["Frist: 31.01.2020 → —"]
    # Unknown codes and fields stay literal rather than failing.
    assert change_lines("organization", {"kind": ["gibt_es_nicht", "land"], "x": [1, 2]}) == [
        "Art: gibt_es_nicht → Land",
        "x: 1 → 2",
    ]
    # References show the record number.
    assert change_lines("person", {"organization_id": [None, 14]}) == ["Organisation: — → Nr. 14"]
