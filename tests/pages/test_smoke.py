"""Every registered page renders without exception, with the demo data and with an empty database."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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
}


def open_page(noun: str) -> AppTest:
    """The whole app (router included, so links between pages resolve), on one page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(PAGES[noun])
    return at


def test_app_registers_every_page_script() -> None:
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    for noun in PAGES:
        assert f'page("{noun}"' in app, noun
        assert (ROOT / PAGES[noun]).is_file()


@pytest.mark.parametrize("data", ["demo", "empty"])
@pytest.mark.parametrize("noun", list(PAGES))
def test_page_renders(noun: str, data: str, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue("demo_url" if data == "demo" else "database_url")
    at = open_page(noun)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == LIST_TITLES[noun]


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
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Übersicht"
