"""Änderungsprotokoll: entries with old and new values, filters, and the empty state."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Organization
from models.db import make_engine
from services.organizations import update_organization
from services.periods import BERLIN
from services.seed import load_demo_data
from tests.conftest import ACTOR
from tests.pages.test_overview import page_app, unescape


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


def test_empty_database_shows_what_will_appear(database_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "audit").run()
    assert not at.exception
    assert "Noch keine Änderungen protokolliert." in at.info[0].value
