"""Signing in through the browser: a refused password, and a shared link that opens its
record once signed in."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import alerts, click, field, open_path, sign_in
from tests.workspaces import PASSWORD

pytestmark = pytest.mark.xdist_group("browser")


def test_a_wrong_password_is_refused_with_a_message(page: Page) -> None:
    open_path(page)
    expect(page.locator("h1")).to_have_text("Anmeldung")
    # Signed out, the app offers nothing but the sign-in: no navigation at all.
    expect(page.locator("[data-testid=stSidebarNavLink]")).to_have_count(0)

    field(page, "Benutzername").fill("sekretariat")
    page.locator("input[type=password]").fill("falsch-und-lang-genug")
    click(page, "Anmelden")

    expect(page.locator("[data-testid=stAlert]")).to_contain_text(
        "Benutzername oder Passwort ist falsch."
    )
    expect(page.locator("h1")).to_have_text("Anmeldung")
    # The refused password is not left in the field for the next attempt.
    expect(page.locator("input[type=password]")).to_have_value("")
    expect(page.locator("[data-testid=stSidebarNavLink]")).to_have_count(0)


def test_the_right_password_opens_the_workspace_with_the_role_shown(page: Page) -> None:
    sign_in(page, "sekretariat", PASSWORD)

    expect(page.locator("h1")).to_have_text("Übersicht")
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar).to_contain_text("sekretariat · Sekretariat")
    expect(sidebar.get_by_role("button", name="Abmelden")).to_be_visible()
    assert alerts(page) == []


def test_a_shared_link_opens_its_record_after_the_sign_in(page: Page) -> None:
    open_path(page, "/sitzungen?id=1")
    expect(page.locator("h1")).to_have_text("Anmeldung")

    field(page, "Benutzername").fill("leser")
    page.locator("input[type=password]").fill(PASSWORD)
    click(page, "Anmelden")

    expect(page.locator("h1")).to_have_text("Sitzung Nr. 1")
    assert page.url.endswith("/sitzungen?id=1")
