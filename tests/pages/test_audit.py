"""Änderungsprotokoll: entries with old and new values, filters, and the empty state."""

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, delete, select
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from models import AuditEvent, Organization
from models.db import make_engine
from models.enums import AuditAction, Role
from services import accounts
from services.errors import DomainError
from services.organizations import update_organization
from services.periods import BERLIN
from services.seed import load_demo_data
from tests.conftest import ACTOR, make_agenda_item, make_voting_body
from tests.pages.apptest import page_app
from tests.pages.test_overview import unescape
from tests.workspaces import PASSWORD


@pytest.fixture
def edited(database_url: str) -> int:
    """The demo data, then one edit of Lecos' short name by the test actor; Lecos' id."""
    with Session(make_engine(database_url)) as session:
        load_demo_data(session)
        lecos = session.exec(select(Organization).where(Organization.name == "Lecos GmbH")).one()
        update_organization(
            session=session,
            actor=ACTOR,
            row_id=lecos.id,
            data={"short_name": "Lecos Leipzig", "kind": "company"},
        )
        return int(lecos.id)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """The deferred download callables of the last run by file name (AppTest cannot click)."""
    captured: dict[str, Callable[[], bytes]] = {}
    register = MediaFileManager.add_deferred

    def capture(
        manager: MediaFileManager,
        data_callable: Callable[[], bytes],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        **kwargs: Any,
    ) -> str:
        captured[str(file_name)] = data_callable
        return register(manager, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return captured


def headers(at: AppTest) -> list[str]:
    return [unescape(markdown.value) for markdown in at.markdown]


def lines(at: AppTest) -> list[str]:
    return [line for text in at.text for line in text.value.split("\n")]


def test_an_edit_appears_first_with_old_and_new_values(edited: int, tmp_path: Path) -> None:
    at = page_app(tmp_path, "audit").run()
    assert not at.exception
    assert at.title[0].value == "Änderungsprotokoll"
    header = headers(at)[0]
    assert header.endswith(f"· sekretariat · Organisation Nr. {edited} · **geändert**")
    today = datetime.now(BERLIN).strftime("%d.%m.%Y")
    assert header.startswith(f"**{today} ")
    assert lines(at)[:2] == [
        "Kurzname: Lecos → Lecos Leipzig",
        "Art: IT-Dienstleister → Gesellschaft",
    ]


def test_filter_by_actor(edited: int, tmp_path: Path) -> None:
    at = page_app(tmp_path, "audit").run()
    at.selectbox(key="audit.actor").select("sekretariat").run()
    assert len(headers(at)) == 1
    assert lines(at) == ["Kurzname: Lecos → Lecos Leipzig", "Art: IT-Dienstleister → Gesellschaft"]


def test_filter_by_entity_and_record(edited: int, tmp_path: Path) -> None:
    at = page_app(tmp_path, "audit").run()
    at.selectbox(key="audit.entity").select("person").run()
    assert headers(at)
    assert all(" · Person Nr. " in header for header in headers(at))

    at.selectbox(key="audit.entity").select("organization")
    at.number_input(key="audit.entity_id").set_value(edited).run()
    assert [header.split(" · ")[-1] for header in headers(at)] == ["**geändert**", "**angelegt**"]
    created = lines(at)[2:]
    assert "Name: — → Lecos GmbH" in created
    assert "Bundesland: — → Sachsen" in created


def test_the_address_presets_the_record(edited: int, tmp_path: Path) -> None:
    at = page_app(tmp_path, "audit")
    at.query_params["entity"] = "organization"
    at.query_params["entity_id"] = str(edited)
    at.run()
    assert len(headers(at)) == 2
    assert at.selectbox(key="audit.entity").value == "organization"


def test_filter_by_time(edited: int, tmp_path: Path) -> None:
    today = datetime.now(BERLIN).date()
    at = page_app(tmp_path, "audit").run()
    at.date_input(key="audit.since").set_value(today + timedelta(days=1)).run()
    assert headers(at) == []
    assert "Keine Änderungen für diese Filter" in at.info[0].value
    at.date_input(key="audit.since").set_value(today)
    at.date_input(key="audit.until").set_value(today).run()
    assert headers(at)


def test_a_new_workspace_shows_its_accounts_being_created(
    database_url: str, tmp_path: Path
) -> None:
    at = page_app(tmp_path, "audit").run()
    assert not at.exception
    assert [header.split(" · ", 1)[1] for header in headers(at)] == [
        f"system · Benutzerkonto Nr. {number} · **angelegt**" for number in (3, 2, 1)
    ]
    assert "Passwort-Hash: *** → ***" in lines(at)
    assert not any("$argon2" in line for line in lines(at))


def test_an_empty_trail_says_what_will_appear(database_url: str, tmp_path: Path) -> None:
    with make_engine(database_url).begin() as connection:
        connection.execute(delete(AuditEvent))
    at = page_app(tmp_path, "audit").run()
    assert not at.exception
    assert "Noch keine Änderungen protokolliert." in at.info[0].value
    assert not at.get("download_button")


def test_sign_ins_and_outs_in_german_and_filtered_by_action(
    database_url: str, tmp_path: Path
) -> None:
    with Session(make_engine(database_url)) as session:
        with pytest.raises(DomainError):
            accounts.sign_in(session=session, username="leser", password="falsch-falsch-falsch")
        signed_in = accounts.sign_in(session=session, username="leser", password=PASSWORD)
        accounts.record_sign_out(session=session, actor=signed_in.actor)
    at = page_app(tmp_path, "audit").run()
    assert [header.split(" · ", 1)[1] for header in headers(at)[:3]] == [
        "leser · Benutzerkonto Nr. 3 · **abgemeldet**",
        "leser · Benutzerkonto Nr. 3 · **angemeldet**",
        "leser · Benutzerkonto Nr. 3 · **Anmeldung fehlgeschlagen**",
    ]
    assert set(at.selectbox(key="audit.action").options) >= {
        "alle",
        "angemeldet",
        "Anmeldung fehlgeschlagen",
        "abgemeldet",
    }
    at.selectbox(key="audit.action").select(AuditAction.SIGN_IN).run()
    assert [header.split(" · ")[-1] for header in headers(at)] == ["**angemeldet**"]
    at.selectbox(key="audit.action").select(AuditAction.DELETE).run()
    assert headers(at) == []
    assert "Keine Änderungen für diese Filter" in at.info[0].value


def test_readers_do_not_see_non_public_agenda_items(
    database_url: str, tmp_path: Path, downloads: dict[str, Callable[[], bytes]]
) -> None:
    with Session(make_engine(database_url)) as session:
        _body, meeting, _people = make_voting_body(session, voters=1)
        public = make_agenda_item(session, meeting, number="1", order=1, public=True).id
        secret = make_agenda_item(session, meeting, number="2", order=2, title="Personalsache").id

    def agenda_entries(role: Role) -> tuple[list[str], bytes]:
        at = page_app(tmp_path, "audit", role).run()
        assert not at.exception
        at.selectbox(key="audit.entity").select("agenda_item").run()
        return [h.split(" · ")[2] for h in headers(at)], downloads["aenderungsprotokoll.csv"]()

    entries, export = agenda_entries(Role.ADMIN)
    assert entries == [f"Tagesordnungspunkt Nr. {secret}", f"Tagesordnungspunkt Nr. {public}"]
    assert "Personalsache" in export.decode("utf-8-sig")
    entries, export = agenda_entries(Role.READER)
    assert entries == [f"Tagesordnungspunkt Nr. {public}"]
    assert "Personalsache" not in export.decode("utf-8-sig")


def test_the_filtered_trail_can_be_downloaded(
    edited: int, tmp_path: Path, downloads: dict[str, Callable[[], bytes]]
) -> None:
    at = page_app(tmp_path, "audit").run()
    assert [str(button.proto.label) for button in at.get("download_button")] == [
        "Als CSV herunterladen"
    ]
    at.selectbox(key="audit.actor").select("sekretariat").run()
    excel = downloads["aenderungsprotokoll.csv"]()
    assert excel.startswith(b"\xef\xbb\xbfZeitpunkt;Benutzer;Objektart;Objekt-ID;Aktion;Feld;")
    rows = [line.split(";") for line in excel.decode("utf-8-sig").split("\r\n")[1:-1]]
    assert [row[1:] for row in rows] == [
        [
            "sekretariat",
            "Organisation",
            str(edited),
            "geändert",
            "Kurzname",
            "Lecos",
            "Lecos Leipzig",
        ],
        [
            "sekretariat",
            "Organisation",
            str(edited),
            "geändert",
            "Art",
            "IT-Dienstleister",
            "Gesellschaft",
        ],
    ]

    assert at.selectbox(key="audit.dialect").options == ["Excel (Deutschland)", "RFC 4180"]
    at.selectbox(key="audit.dialect").select("RFC 4180").run()
    assert not at.exception
    machine = downloads["aenderungsprotokoll_rfc4180.csv"]().decode()
    assert machine.split("\r\n")[1].endswith(
        f",organization,{edited},update,short_name,Lecos,Lecos Leipzig"
    )
