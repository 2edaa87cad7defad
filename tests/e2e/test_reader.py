"""Lesend in the browser: the Themenfelder heatmap, a selection that shows its records, and
no control anywhere that would change something."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import (
    chart_cells,
    click_chart,
    exceptions,
    navigate,
    pick_row,
    sidebar_pages,
    sign_in,
)
from tests.workspaces import PASSWORD, SECRETARIAT_AGREEMENT

pytestmark = pytest.mark.xdist_group("browser")

# Labels of controls that change data; none may be offered to Lesend.
EDITING = re.compile(
    r"anlegen|erfassen|speichern|archivieren|hinzufügen|löschen|bearbeiten|importieren|"
    r"wiederherstellen|abschließen|absagen|zuordnen|Als .* markieren",
    re.IGNORECASE,
)


def _editing_controls(page: Page) -> list[str]:
    main = page.locator("[data-testid=stMain]")
    labels = [button.inner_text() for button in main.get_by_role("button").all()]
    forms = main.locator("[data-testid=stForm]").count()
    return [label for label in labels if EDITING.search(label)] + ["Formular"] * forms


def test_reader_selects_a_heatmap_cell_and_sees_its_participations(page: Page) -> None:
    sign_in(page, "leser", PASSWORD)
    navigate(page, "Themenfelder")

    chart = page.locator("[data-testid=stPlotlyChart]").first
    expect(chart.locator(".js-plotly-plot")).to_be_visible()
    assert chart.locator(".js-plotly-plot").evaluate("plot => plot._fullData[0].type") == "heatmap"
    cells = chart_cells(chart)
    assert cells, "the heatmap shows no participation"
    expect(page.get_by_text("Klicken oder markieren (Lasso) Sie Zellen")).to_be_visible()

    cell = cells[0]
    click_chart(page, chart, cell["x"], cell["y"])

    selected = page.get_by_text(re.compile(r"Ausgewählte Beteiligungen \(\d+\)"))
    expect(selected).to_be_visible()
    # The table under the chart (the other tabs' tables are hidden) lists the cell's
    # organization, e.g. „Land Baden-Württemberg“ for the row „Baden-Württemberg“.
    records = page.locator("[data-testid=stDataFrame]").filter(visible=True).last
    expect(records.locator("td[role=gridcell]", has_text=cell["y"]).first).to_be_attached()
    assert not _editing_controls(page)


def test_reader_finds_no_editing_control_on_any_page(page: Page) -> None:
    sign_in(page, "leser", PASSWORD)
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar).to_contain_text("leser · Lesend")
    # „Mein Konto“ is not among them (a reader changes her own password there).
    titles = sidebar_pages(page)
    assert "Benutzer" not in titles
    assert "Export" in titles
    found = {}
    for title in titles:
        navigate(page, title)
        assert not exceptions(page), title
        found[title] = _editing_controls(page)
    # A record page too: the agreement the Sekretariat looks after.
    navigate(page, "Vereinbarungen")
    pick_row(page, SECRETARIAT_AGREEMENT)
    expect(page.locator("h1")).to_have_text(SECRETARIAT_AGREEMENT)
    found[SECRETARIAT_AGREEMENT] = _editing_controls(page)
    expect(page.get_by_text("Nur lesend", exact=False).first).to_be_visible()

    assert {title: labels for title, labels in found.items() if labels} == {}
