"""Every page renders without exception for the roles that are offered it, with the demo data
and with an empty database; the gate's own pages are covered by test_sign_in."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models.enums import Role
from tests.pages.apptest import reachable, signed_in
from ui.links import PAGES

ROOT = Path(__file__).resolve().parents[2]
LIST_TITLES = {
    "overview": "Übersicht",
    "committees": "Gremien",
    "meetings": "Sitzungen",
    "decisions": "Beschlüsse",
    "agreements": "Vereinbarungen",
    "organizations": "Organisationen",
    "persons": "Personen",
    "audit": "Änderungsprotokoll",
    "topic_fields": "Themenfelder",
    "participation": "Beteiligung",
    "network": "Kooperationsnetz",
    "timeline": "Zeitleiste",
    "committee_work": "Gremienarbeit",
    "export": "Export und Import",
    "accounts": "Benutzer",
    "my_account": "Mein Konto",
    "sign_in": "Anmeldung",
    "first_run": "Ersteinrichtung",
}
# Shown only before anyone is signed in (test_sign_in runs them through the gate).
GATE_PAGES = {"sign_in", "first_run"}
ADMIN_PAGES = [noun for noun in PAGES if noun not in GATE_PAGES]
READER_PAGES = [noun for noun in ADMIN_PAGES if noun != "accounts"]


def open_page(noun: str, role: Role = Role.ADMIN) -> AppTest:
    """The whole app (router included, so links between pages resolve), on one page."""
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), role)
    at.run()
    at.switch_page(PAGES[noun])
    return at


def test_app_registers_every_page_script(database_url: str) -> None:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
    for noun in PAGES:
        assert (ROOT / PAGES[noun]).is_file()
        # The administrator is offered every page but the gate's (test_sign_in covers those).
        assert reachable(at, noun) is (noun not in GATE_PAGES), noun


def test_every_page_has_a_title_here() -> None:
    assert set(LIST_TITLES) == set(PAGES)


@pytest.mark.parametrize("data", ["demo", "empty"])
@pytest.mark.parametrize("noun", ADMIN_PAGES)
def test_page_renders(noun: str, data: str, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue("demo_url" if data == "demo" else "database_url")
    at = open_page(noun)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == LIST_TITLES[noun]


@pytest.mark.parametrize("noun", READER_PAGES)
def test_page_renders_for_a_reader(noun: str, demo_url: str) -> None:
    at = open_page(noun, Role.READER)
    at.run()
    assert not at.exception, at.exception
    # The export page may name itself for what a reader can do there.
    assert at.title[0].value.startswith(LIST_TITLES[noun].split()[0])


@pytest.mark.parametrize(
    "noun", ["committees", "meetings", "decisions", "agreements", "organizations", "persons"]
)
def test_record_view_renders_for_the_first_record(noun: str, demo_url: str) -> None:
    at = open_page(noun)
    at.query_params["id"] = "1"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value != LIST_TITLES[noun], "the record view, not the list"


def test_unknown_record_id_is_handled(demo_url: str) -> None:
    for noun in ["committees", "meetings", "decisions", "agreements", "organizations", "persons"]:
        at = open_page(noun)
        at.query_params["id"] = "999999"
        at.run()
        assert not at.exception, (noun, at.exception)


def test_router_runs_the_start_page(demo_url: str) -> None:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
    assert not at.exception
    assert at.title[0].value == "Übersicht"
