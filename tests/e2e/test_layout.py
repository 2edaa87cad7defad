"""What only a browser shows: every page on a 1366×768 laptop without a horizontal
scrollbar, in German, and with an explanation instead of a blank where there is no data."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.harness import (
    CONTEXT,
    AppServer,
    BrowserProblems,
    exceptions,
    navigate,
    overflowing,
    running_app,
    settle,
    sidebar_pages,
    sign_in,
)
from tests.workspaces import PASSWORD, build_workspace

pytestmark = pytest.mark.xdist_group("browser")

# The pages that show records or analyses of them (not the administration's): on an empty
# workspace they say what to do.
ADMINISTRATION = {"Export und Import", "Änderungsprotokoll", "Benutzer"}
VIEWPORT_HEIGHT = CONTEXT["viewport"]["height"]
EMPTY_HINT = re.compile(r"[Nn]och (kein|leer)|[Kk]eine ")


def test_every_page_fits_a_laptop_screen_in_german(page: Page) -> None:
    sign_in(page, "admin", PASSWORD)
    assert page.evaluate("document.documentElement.lang") == "de"
    titles = sidebar_pages(page)
    assert len(titles) == 15, titles
    problems = {}
    for title in [*titles, "Mein Konto"]:
        if title == "Mein Konto":
            # Not in the navigation: a link in the account box under it.
            page.get_by_role("link", name="Mein Konto").click()
            settle(page)
        else:
            navigate(page, title)
        # Who is signed in and the way out stay on the screen, below the whole navigation.
        sign_out = page.get_by_role("button", name="Abmelden").bounding_box()
        assert sign_out is not None
        assert sign_out["y"] + sign_out["height"] <= VIEWPORT_HEIGHT, (title, sign_out)
        assert not exceptions(page), title
        title_box = page.locator("h1").first.bounding_box()
        assert title_box is not None
        # The title sits near the top (Streamlit's own padding puts it at 112 px): the first
        # rows of a list stay above the fold.
        assert title_box["y"] < 80, (title, title_box)
        sticking_out = overflowing(page)
        if sticking_out:
            problems[title] = sticking_out
    assert problems == {}


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A second server on a workspace with accounts but no data at all."""
    folder: Path = tmp_path_factory.mktemp("empty")
    database = build_workspace(folder / "app.db", "empty")
    with running_app(database, folder / "streamlit.log") as server:
        yield server


def test_an_empty_workspace_explains_every_page(browser: Browser, empty_app: AppServer) -> None:
    context = browser.new_context(**CONTEXT, base_url=empty_app.url)
    try:
        page = context.new_page()
        problems = BrowserProblems(page)
        sign_in(page, "admin", PASSWORD)
        blank = []
        for title in [title for title in sidebar_pages(page) if title not in ADMINISTRATION]:
            navigate(page, title)
            assert not exceptions(page), title
            main = page.locator("[data-testid=stMain]")
            # No empty chart or table where a sentence should say what to do.
            expect(main.locator("[data-testid=stPlotlyChart]")).to_have_count(0)
            if not EMPTY_HINT.search(main.inner_text()):
                blank.append(title)
        assert blank == []
        assert problems.found == []
        assert empty_app.tracebacks() == []
    finally:
        context.close()
