"""A committee secretary runs a meeting in the browser, from the new meeting to the
downloaded minutes, and what she entered is what the CSV says."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.harness import (
    choose,
    click,
    enter_date,
    enter_time,
    field,
    navigate,
    pick,
    settle,
    sign_in,
)
from tests.workspaces import PASSWORD, SECRETARIAT_COMMITTEE

pytestmark = pytest.mark.xdist_group("browser")

DAY = date(2026, 12, 10)
TITLE = "Sitzung im Browser-Test"
DECISION_TEXT = (
    "Der Lenkungsausschuss beschließt den gemeinsamen Betrieb des Serviceportals "
    "durch Land und Kommunen ab dem 01.07.2027."
)


def _open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    settle(page)


def _success(page: Page, text: str) -> None:
    expect(page.locator("[data-testid=stAlertContentSuccess]", has_text=text)).to_be_visible()


def _add_agenda_item(page: Page, number: str, title: str, note: str | None = None) -> None:
    form = page.locator("[data-testid=stForm]", has=page.get_by_role("button", name="TOP anlegen"))
    field(form, "TOP *").fill(number)
    field(form, "Titel *").fill(title)
    if note is not None:
        field(form, "Protokollnotiz").fill(note)
    click(page, "TOP anlegen", within=form)
    _success(page, f"TOP {number} angelegt.")


def _set_votes(page: Page, decision: Locator, votes: dict[str, int]) -> None:
    for label, count in votes.items():
        # Each entry reruns the page: the proposed result follows the votes.
        decision.locator(f"input[aria-label='{label}']").fill(str(count))
        decision.locator(f"input[aria-label='{label}']").press("Tab")
        settle(page)


def _minutes(page: Page, tmp_path: Path) -> tuple[bytes, list[dict[str, str]]]:
    page.get_by_text("Herunterladen: Protokoll, Niederschrift, Kalender").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Protokoll (CSV)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    raw = path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    return raw, rows


def test_secretariat_runs_a_meeting_and_downloads_its_minutes(page: Page, tmp_path: Path) -> None:
    sign_in(page, "sekretariat", PASSWORD)
    navigate(page, "Sitzungen")

    # A new meeting of her committee.
    page.get_by_text("Neue Sitzung anlegen").click()
    form = page.locator("[data-testid=stForm]").first
    choose(page, "Gremium *", SECRETARIAT_COMMITTEE, within=form)
    enter_date(page, "Datum *", DAY, within=form)
    enter_time(page, "Beginn (Uhrzeit)", "10:00", within=form)
    enter_time(page, "Ende (Uhrzeit)", "12:30", within=form)
    field(form, "Titel").fill(TITLE)
    field(form, "Ort").fill("Schwerin, Schloss")
    click(page, "Sitzung anlegen", within=form)
    _success(page, "angelegt.")
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Sitzung Nr. ")
    expect(page.locator("[data-testid=stMain]")).to_contain_text("10.12.2026")
    expect(page.locator("[data-testid=stMain]")).to_contain_text("10:00–12:30 Uhr")

    # Two agenda items: an opening with a minutes note, and one to decide.
    _add_agenda_item(
        page,
        "1",
        "Eröffnung und Feststellung der Beschlussfähigkeit",
        "Beschlussfähigkeit festgestellt",
    )
    _add_agenda_item(page, "2", "Gemeinsamer Betrieb des Serviceportals")

    # Attendance: everyone present but one, who is excused.
    _open_tab(page, "Anwesenheit")
    statuses = page.get_by_role("combobox", name="Status *", exact=True)
    members = statuses.count()
    assert members >= 6
    for index in range(members):
        pick(page, statuses.nth(index), "entschuldigt" if index == members - 1 else "anwesend")
    click(page, "Anwesenheit speichern")
    _success(page, "Anwesenheit gespeichert.")
    quorum = page.locator("[data-testid=stAlertContentSuccess]", has_text="beschlussfähig")
    expect(quorum).to_be_visible()
    voting = int(re.search(r"sind (\d+) anwesend", quorum.inner_text()).group(1))

    # The decision on TOP 2, with its votes; the result follows the committee's rule.
    _open_tab(page, "Beschlüsse")
    decision = page.locator("[data-testid=stExpander]", has_text="Beschluss zu TOP 2 erfassen")
    decision.locator("input[aria-label='Beschluss-Nr. *']").fill("LA-2026/07")
    decision.locator("textarea[aria-label='Beschlusstext *']").fill(DECISION_TEXT)
    _set_votes(page, decision, {"Ja": voting - 2, "Nein": 1, "Enthaltung": 1})
    expect(decision).to_contain_text("Vorschlag nach Mehrheitsregel: mehrheitlich angenommen")
    click(page, "Beschluss speichern", within=decision)
    _success(page, "Beschluss LA-2026/07 gespeichert.")
    expect(page.locator("[data-testid=stMain]")).to_contain_text(
        "Ergebnis: mehrheitlich angenommen"
    )

    # Close the meeting: held first, then closed; afterwards it is read-only.
    _open_tab(page, "Status")
    click(page, "Sitzung abschließen")
    _success(page, "Status: abgeschlossen.")
    expect(page.locator("[data-testid=stAlertContentInfo]").first).to_contain_text(
        "Die Sitzung ist abgeschlossen"
    )
    expect(page.get_by_role("button", name="TOP anlegen")).to_have_count(0)

    raw, rows = _minutes(page, tmp_path)
    # German Excel: byte order mark, semicolons, German headers and dates.
    assert raw.startswith(b"\xef\xbb\xbf")
    assert [row["TOP"] for row in rows] == ["1", "2"]
    opening, decided = rows
    assert opening["Gremium"] == SECRETARIAT_COMMITTEE
    assert opening["Datum"] == "10.12.2026"
    assert opening["Beginn"] == "10:00"
    assert opening["Ende"] == "12:30"
    assert opening["Ort"] == "Schwerin, Schloss"
    assert opening["Ergebnis"] == "Beschlussfähigkeit festgestellt"
    assert decided["Titel"] == "Gemeinsamer Betrieb des Serviceportals"
    assert decided["Beschluss-Nr."] == "LA-2026/07"
    assert decided["Beschlusstext"] == DECISION_TEXT
    assert decided["Ergebnis"] == "mehrheitlich angenommen"
    assert (decided["Ja"], decided["Nein"], decided["Enthaltung"]) == (str(voting - 2), "1", "1")
    assert decided["Anwesende"] == str(members - 1)
