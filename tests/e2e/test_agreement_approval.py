"""The Sekretariat records a council's approval on the KOMM24 founding agreement, and the
agreement's derived status follows: outstanding while pending, complete once granted."""

import re
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.harness import choose, click, enter_date, field, navigate, pick_row, settle, sign_in
from tests.workspaces import PASSWORD, SECRETARIAT_AGREEMENT

pytestmark = pytest.mark.xdist_group("browser")

# Leipzig takes part through its IT company Lecos, whose supervisory board must agree too.
PARTY = re.compile(r"^Stadt Leipzig")
BODY = "Aufsichtsrat der Lecos GmbH"


def _status(page: Page) -> Locator:
    """The banner under the title: the status derived from the approvals and the dates."""
    return page.locator("[data-testid=stAlert]", has_text="Zustimmungen").first


def test_recording_an_approval_changes_the_derived_status(page: Page) -> None:
    sign_in(page, "sekretariat", PASSWORD)
    navigate(page, "Vereinbarungen")
    pick_row(page, SECRETARIAT_AGREEMENT)
    expect(page.locator("h1")).to_have_text(SECRETARIAT_AGREEMENT)
    # In the demo all five councils have approved; the founding still missed its date.
    expect(_status(page)).to_contain_text("alle 5 Zustimmungen liegen vor")
    expect(_status(page)).to_contain_text("Zieltermin 01.07.2019")

    page.get_by_role("tab", name="Zustimmungen", exact=True).click()
    settle(page)
    form = page.locator(
        "[data-testid=stForm]", has=page.get_by_role("button", name="Zustimmung erfassen")
    )
    choose(page, "Partei *", PARTY, within=form)
    field(form, "… oder Name des zustimmenden Gremiums").fill(BODY)
    click(page, "Zustimmung erfassen", within=form)
    expect(page.get_by_text("Zustimmung erfasst.")).to_be_visible()
    # Pending by default: the agreement waits again for one of now six approvals.
    expect(_status(page)).to_contain_text("1 von 6 Zustimmungen ausstehend")

    # The board approves: the status is complete again, now with six.
    choose(page, "Zustimmung", re.compile(f"{BODY} \\(ausstehend\\)"))
    update = page.locator(
        "[data-testid=stForm]", has=page.get_by_role("button", name="Zustimmung speichern")
    )
    choose(page, "Stand *", "erteilt", within=update)
    enter_date(page, "Datum", date(2019, 6, 20), within=update)
    click(page, "Zustimmung speichern", within=update)
    expect(page.get_by_text("Zustimmung gespeichert.")).to_be_visible()
    expect(_status(page)).to_contain_text("alle 6 Zustimmungen liegen vor")
