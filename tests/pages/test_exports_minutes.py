"""The minutes export panel and the meeting downloads render and build files."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pages.apptest import signed_in

SCRIPT = str(Path(__file__).with_name("exports_minutes_app.py"))


def _downloads(at: AppTest) -> list[str]:
    return [str(element.proto.label) for element in at.get("download_button")]


def test_meeting_downloads_and_panel_build_the_csv_files(demo_url: str) -> None:
    at = signed_in(AppTest.from_file(SCRIPT, default_timeout=30)).run()
    assert not at.exception
    labels = _downloads(at)
    assert {"Protokoll (CSV)", "Anwesenheit (CSV)", "Niederschrift (Word)"} <= set(labels)
    assert "Protokolle mit Beschlüssen (CSV)" in labels
    assert at.selectbox(key="exports.minutes.dialect").value == "Excel (Deutschland)"
    at.radio(key="exports.minutes.scope").set_value("Alle Sitzungen").run()
    at.button(key="exports.minutes.build").click().run()
    assert not at.exception
    assert {"Protokoll herunterladen", "Anwesenheit herunterladen"} <= set(_downloads(at))
    result = at.session_state["exports.minutes.result"]
    assert result["minutes"].startswith(b"\xef\xbb\xbfGremium;Sitzung;Datum")
    assert result["attendance"].decode("utf-8-sig").startswith("Sitzung;Person;entsandt von")


def test_panel_asks_for_a_meeting_first(demo_url: str) -> None:
    at = signed_in(AppTest.from_file(SCRIPT, default_timeout=30)).run()
    assert not at.exception
    assert any("Bitte wählen Sie" in info.value for info in at.info)


def test_committee_scope_builds_only_that_committee(demo_url: str) -> None:
    at = signed_in(AppTest.from_file(SCRIPT, default_timeout=30)).run()
    at.radio(key="exports.minutes.scope").set_value("Gremium und Zeitraum").run()
    at.selectbox(key="exports.minutes.committee").set_value(1).run()
    at.selectbox(key="exports.minutes.dialect").set_value("RFC 4180").run()
    at.button(key="exports.minutes.build").click().run()
    assert not at.exception
    minutes = at.session_state["exports.minutes.result"]["minutes"].decode()
    assert minutes.startswith("committee,meeting,date")
    assert "Spitzengespräch" not in minutes
