"""The start page: what needs attention now, the search box, and the empty workspace."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import page_app

ROOT = Path(__file__).resolve().parents[2]


def unescape(text: str) -> str:
    """Text as the user reads it: ui.format.plain escapes Markdown characters with \\."""
    return re.sub(r"\\(.)", r"\1", text)


def page_links(at: AppTest) -> list[tuple[str, str, str]]:
    """Every st.page_link as (label, target page url, query string)."""
    return [
        (unescape(element.proto.label), element.proto.page, element.proto.query_string)
        for element in at.get("page_link")
    ]


def captions(at: AppTest) -> list[str]:
    return [unescape(caption.value) for caption in at.caption]


def test_overview_with_demo_data(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "overview").run()
    assert not at.exception
    assert at.title[0].value == "Übersicht"
    assert "Demo" in at.caption[0].value
    metrics = {metric.label: metric.value for metric in at.metric}
    # The demo has one planned meeting (17.03.2027), three overdue decisions and one agreement
    # still waiting for approvals (the M-V Nachnutzungsstelle); KOMM24 is in force, late.
    assert metrics == {
        "anstehende Sitzungen": "1",
        "überfällige Beschlüsse": "3",
        "wartende Vereinbarungen": "1",
    }
    labels = [label for label, _, _ in page_links(at)]
    meeting = next(label for label in labels if label.startswith("17.03.2027"))
    assert "Lenkungsausschuss E-Government Mecklenburg-Vorpommern" in meeting
    overdue = [label.split(" – ")[0] for label in labels if label.startswith("LA-")]
    assert overdue == ["LA-2019/05", "LA-2019/04", "LA-2020/01"]
    assert any("Nachnutzungsstelle" in label for label in labels)
    assert not any("KOMM24" in label for label in labels)
    assert any("2 von 5 Zustimmungen ausstehend" in caption for caption in captions(at))


def test_overview_links_open_the_records(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "overview").run()
    targets = {label.split(" – ")[0]: (page, query) for label, page, query in page_links(at)}
    assert targets["LA-2019/05"] == ("decisions", "id=5")
    meeting = next(target for label, target in targets.items() if label.startswith("17.03.2027"))
    assert meeting == ("meetings", "id=4")


@pytest.mark.parametrize(
    ("query", "kind", "label", "page"),
    [
        ("KOMM24", "Vereinbarung", "Gründung der KOMM24 GmbH", "agreements"),
        ("Ulbrich", "Person", "Ina-Maria Ulbrich", "persons"),
        ("LA-2019/05", "Beschluss", "LA-2019/05", "decisions"),
        ("Leipzig", "Organisation", "Stadt Leipzig", "organizations"),
        ("Leipzig", "Gremium", "Ratsversammlung der Stadt Leipzig", "committees"),
    ],
)
def test_search_box_finds_records(
    demo_url: str, tmp_path: Path, query: str, kind: str, label: str, page: str
) -> None:
    at = page_app(tmp_path, "overview").run()
    at.text_input(key="overview.search").input(query).run()
    assert not at.exception
    hits = [(text, target) for text, target, _ in page_links(at) if text.startswith(f"{kind}: ")]
    assert any(text.startswith(f"{kind}: {label}") and target == page for text, target in hits)


def test_search_without_hits_says_what_to_try(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "overview").run()
    at.text_input(key="overview.search").input("Xylophon").run()
    message = unescape(at.info[0].value)
    assert "Keine Treffer für „Xylophon“" in message
    assert "Beschluss-Nr." in message


def test_overview_with_an_empty_database(database_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "overview").run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["0", "0", "0"]
    empty_state = at.info[0].value
    assert "Legen Sie unter Gremien das erste Gremium an" in empty_state
    assert [page for _, page, _ in page_links(at)] == ["committees", "organizations", "persons"]
    at.text_input(key="overview.search").input("Leipzig").run()
    assert "Keine Treffer" in at.info[0].value
