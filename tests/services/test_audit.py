"""The Änderungsprotokoll query: filters, paging in SQL, and changes in German words."""

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from models import AuditEvent, FollowUpNote
from models.enums import AuditAction, Role
from services import accounts, audit, decisions, meetings, organizations, persons
from services.actor import Actor
from services.audit import (
    CSV_COLUMNS,
    actors,
    audit_csv,
    audit_csv_chunks,
    audit_rows,
    change_lines,
    list_events,
    write_audit_csv,
)
from services.csv_export import RFC_4180
from tests.conftest import (
    ACTOR,
    make_agenda_item,
    make_meeting,
    make_org,
    make_person,
    make_voting_body,
)

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
    # UTC timestamps (a TypeDecorator over DateTime) in German local time, not ISO.
    assert change_lines(
        "user_account", {"last_sign_in_at": [None, "2026-11-29T04:29:49.334676+00:00"]}
    ) == ["letzte Anmeldung: — → 29.11.2026 05:29"]


# --- the trail as CSV ----------------------------------------------------------------------

HEADER = "Zeitpunkt;Benutzer;Objektart;Objekt-ID;Aktion;Feld;alter Wert;neuer Wert"
PASSWORD = "ein-langes-testpasswort"


def table(data: bytes, delimiter: str = ";") -> list[list[str]]:
    text = data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def lecos_edited(session: Session) -> int:
    org = make_org(session, name="Lecos GmbH", short_name="Lecos", kind="it_provider", state="SN")
    organizations.update_organization(
        session=session,
        actor=OTHER,
        row_id=org.id,
        data={"short_name": "Lecos Leipzig", "kind": "company", "state": None},
    )
    return int(org.id or 0)


def test_excel_csv_has_bom_semicolons_crlf_and_german_headers(session: Session) -> None:
    lecos_edited(session)
    data = audit_csv(session)
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == HEADER
    assert lines[-1] == ""  # every line ends with CRLF, the last one too
    assert "\n" not in "".join(lines)
    assert list(CSV_COLUMNS.values()) == HEADER.split(";")


def test_one_row_per_changed_field_with_values_as_the_page_shows_them(session: Session) -> None:
    org_id = lecos_edited(session)
    rows = table(audit_csv(session, actor="referentin"))[1:]
    assert [row[1:] for row in rows] == [
        [
            "referentin",
            "Organisation",
            str(org_id),
            "geändert",
            "Kurzname",
            "Lecos",
            "Lecos Leipzig",
        ],
        [
            "referentin",
            "Organisation",
            str(org_id),
            "geändert",
            "Art",
            "IT-Dienstleister",
            "Gesellschaft",
        ],
        ["referentin", "Organisation", str(org_id), "geändert", "Bundesland", "Sachsen", ""],
    ]
    created = table(audit_csv(session, action=AuditAction.CREATE))[1:]
    assert ["Name", "", "Lecos GmbH"] in [row[5:] for row in created]
    assert all(row[4] == "angelegt" for row in created)


def test_time_is_german_local_time_and_oldest_comes_first(session: Session) -> None:
    # 23:30 UTC on 27.11. is 00:30 on 28.11. in Germany.
    record(session, datetime(2026, 11, 27, 23, 30, tzinfo=UTC), 2)
    record(session, datetime(2026, 11, 27, 22, 30, tzinfo=UTC), 1)
    rows = table(audit_csv(session))[1:]
    assert [(row[0], row[3]) for row in rows] == [
        ("27.11.2026 23:30", "1"),
        ("28.11.2026 00:30", "2"),
    ]
    assert table(audit_csv(session, since=date(2026, 11, 28)))[1:] == [rows[1]]
    assert table(audit_csv(session, until=date(2026, 11, 27)))[1:] == [rows[0]]
    assert table(audit_csv(session, entity="person")) == [HEADER.split(";")]


def test_sign_ins_and_outs_are_rows_too(session: Session) -> None:
    account = accounts.create_account(
        session=session,
        actor=ACTOR,
        data={"username": "ina", "display_name": "Ina", "role": "reader"},
        password=PASSWORD,
    )
    with pytest.raises(Exception, match="Benutzername oder Passwort"):
        accounts.sign_in(session=session, username="ina", password="falsch-falsch-falsch")
    signed_in = accounts.sign_in(session=session, username="ina", password=PASSWORD)
    accounts.record_sign_out(session=session, actor=signed_in.actor)

    rows = table(audit_csv(session, entity="user_account", actor="ina"))[1:]
    assert {row[4] for row in rows} == {"Anmeldung fehlgeschlagen", "angemeldet", "abgemeldet"}
    # A sign-out changes no field: one row, the field columns empty.
    [signed_out] = [row for row in rows if row[4] == "abgemeldet"]
    assert signed_out[1:] == ["ina", "Benutzerkonto", str(account.id), "abgemeldet", "", "", ""]


def test_password_hashes_never_appear(session: Session) -> None:
    account = accounts.create_account(
        session=session,
        actor=ACTOR,
        data={"username": "ina", "display_name": "Ina", "role": "reader"},
        password=PASSWORD,
    )
    accounts.set_password(
        session=session, actor=ACTOR, account_id=account.id, password="ein-neues-testpasswort"
    )
    # A trail written before secrets were masked must not leak them through the export.
    session.add(
        AuditEvent(
            actor="alt",
            entity="user_account",
            entity_id=account.id,
            action=AuditAction.UPDATE,
            changes={"password_hash": ["$argon2id$v=19$alt", "$argon2id$v=19$neu"]},
        )
    )
    session.commit()
    for dialect in (audit.EXCEL_DE, RFC_4180):
        data = audit_csv(session, dialect=dialect)
        assert b"$argon2" not in data
        assert str(account.password_hash).encode() not in data
        assert b"***" in data


def test_rfc4180_has_machine_headers_codes_and_iso_times(session: Session) -> None:
    org_id = lecos_edited(session)
    record(session, datetime(2026, 11, 27, 23, 30, tzinfo=UTC), org_id)
    data = audit_csv(session, actor="sekretariat", action=AuditAction.UPDATE, dialect=RFC_4180)
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.split(b"\r\n")[0] == b"at,actor,entity,entity_id,action,field,old_value,new_value"
    [row] = table(data, ",")[1:]
    assert row == [
        "2026-11-27T23:30+00:00",
        "sekretariat",
        "organization",
        str(org_id),
        "update",
        "name",
        "Alt",
        "Neu",
    ]
    coded = table(audit_csv(session, actor="referentin", dialect=RFC_4180), ",")[1:]
    assert [row[5:] for row in coded][1:] == [
        ["kind", "it_provider", "company"],
        ["state", "SN", ""],
    ]


def test_streams_in_pieces_with_one_header(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(5):
        make_org(session, name=f"Gemeinde {number}", kind="municipality")
    monkeypatch.setattr(audit, "BATCH", 4)
    chunks = list(audit_csv_chunks(session))
    assert len(chunks) > 2
    output = io.BytesIO()
    written = write_audit_csv(session, output=output)
    assert output.getvalue() == b"".join(chunks) == audit_csv(session)
    assert written == len(output.getvalue())
    rows = table(output.getvalue())
    assert rows.count(HEADER.split(";")) == 1
    # Each organization's creation names its name, kind and state: three rows per event.
    assert len(rows) == 1 + 5 * 3


# --- what Lesend does not see ------------------------------------------------------------


def non_public_trail(session: Session) -> dict[str, Any]:
    """A meeting with a public and a non-public TOP, each decided, and an Umlaufverfahren."""
    _body, meeting, _people = make_voting_body(session, voters=3)
    public = make_agenda_item(session, meeting, number="1", order=1, public=True)
    secret = make_agenda_item(session, meeting, number="2", order=2, title="Personalsache")
    decided = {}
    for item, reference in ((public, "LA-1"), (secret, "LA-2")):
        decided[reference] = decisions.record_decision(
            session=session,
            actor=ACTOR,
            data={
                "meeting_id": meeting.id,
                "agenda_item_id": item.id,
                "reference": reference,
                "text": f"Beschluss {reference}",
            },
        )
        decisions.add_follow_up_note(
            session=session,
            actor=ACTOR,
            data={
                "decision_id": decided[reference].id,
                "noted_on": date(2026, 4, 1),
                "status": "in_progress",
                "text": f"Vermerk {reference}",
            },
        )
    circulation = make_meeting(
        session, _body, kind="circulation", start=datetime(2026, 5, 1, 9, 0), number=2
    )
    circulated = decisions.record_decision(
        session=session,
        actor=ACTOR,
        data={
            "meeting_id": circulation.id,
            "reference": "UV-1",
            "text": "Beschluss UV-1",
            "vote_mode": "circulation",
        },
    )
    return {
        "public_item": public.id,
        "secret_item": secret.id,
        "public_decision": decided["LA-1"].id,
        "secret_decision": decided["LA-2"].id,
        "circulated": circulated.id,
        "meeting": meeting.id,
        "circulation": circulation.id,
    }


def shown(session: Session, include_non_public: bool) -> set[tuple[str, int]]:
    rows = audit_rows(session, include_non_public=include_non_public, dialect=RFC_4180)
    return {(row["entity"], row["entity_id"]) for row in rows}


def test_readers_export_leaves_out_non_public_items_and_their_decisions(
    session: Session,
) -> None:
    ids = non_public_trail(session)
    notes = dict(session.exec(select(FollowUpNote.id, FollowUpNote.decision_id)).all())
    everything = shown(session, include_non_public=True)
    readers = shown(session, include_non_public=False)

    hidden = {
        ("agenda_item", ids["secret_item"]),
        ("decision", ids["secret_decision"]),
        ("decision", ids["circulated"]),  # Umlauf in a non-public meeting
        *(("follow_up_note", n) for n, d in notes.items() if d == ids["secret_decision"]),
    }
    assert len(hidden) == 4
    assert hidden <= everything
    assert everything - readers == hidden
    # Meetings themselves, public items and their decisions and notes stay in the trail.
    assert {
        ("meeting", ids["meeting"]),
        ("agenda_item", ids["public_item"]),
        ("decision", ids["public_decision"]),
        *(("follow_up_note", n) for n, d in notes.items() if d == ids["public_decision"]),
    } <= readers
    assert b"Personalsache" not in audit_csv(session, include_non_public=False)
    assert b"Personalsache" in audit_csv(session, include_non_public=True)
    # The page's list hides the same events.
    page = list_events(session, include_non_public=False, limit=1000)
    assert set(zip(page.rows["entity"], page.rows["entity_id"], strict=True)) == readers


def test_a_public_umlaufverfahren_is_shown(session: Session) -> None:
    ids = non_public_trail(session)
    meetings.update_meeting(
        session=session, actor=ACTOR, row_id=ids["circulation"], data={"public": True}
    )
    assert ("decision", ids["circulated"]) in shown(session, include_non_public=False)


def test_a_deleted_agenda_item_is_left_out_for_readers(session: Session) -> None:
    _body, meeting, _people = make_voting_body(session, voters=1)
    item = make_agenda_item(session, meeting, public=True)
    meetings.AGENDA_ITEMS.archive(session=session, actor=ACTOR, row_id=item.id)
    meetings.AGENDA_ITEMS.delete(session=session, actor=ACTOR, row_id=item.id)
    # Whether it was public can no longer be checked, so only those who see everything see it.
    assert ("agenda_item", item.id) in shown(session, include_non_public=True)
    assert ("agenda_item", item.id) not in shown(session, include_non_public=False)
