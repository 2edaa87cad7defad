"""The README's screenshots, taken the way the browser tests see the app.

`make screenshots` runs this: a fresh demo workspace, the app on a free loopback port,
Debian's chromium at 1366×768 (the laptop size the layout is checked for), signed in as the
Sekretariat of the MV Lenkungsausschuss. Every shot fails loudly on an app exception or a
console error rather than saving a broken picture.
"""

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.harness import (  # noqa: E402 - after the path set-up above
    CONTEXT,
    BrowserProblems,
    chromium_missing,
    exceptions,
    launch_args,
    navigate,
    pick_row,
    running_app,
    settle,
    sign_in,
)
from tests.workspaces import (  # noqa: E402
    PASSWORD,
    SECRETARIAT_AGREEMENT,
    SECRETARIAT_COMMITTEE,
    build_workspace,
)

TARGET = ROOT / "docs" / "screenshots"


def _overview(page: Page) -> None:
    navigate(page, "Übersicht")


def _meeting(page: Page) -> None:
    navigate(page, "Sitzungen")
    pick_row(page, "Sitzung des Lenkungsausschusses E-Government")
    expect(page.locator("h1")).to_contain_text("Sitzung Nr.")


def _topic_fields(page: Page) -> None:
    navigate(page, "Themenfelder")
    expect(page.locator(".js-plotly-plot").first).to_be_visible()


def _network(page: Page) -> None:
    navigate(page, "Kooperationsnetz")
    expect(page.locator(".js-plotly-plot").first).to_be_visible()


def _committee(page: Page) -> None:
    navigate(page, "Gremien")
    pick_row(page, SECRETARIAT_COMMITTEE)
    expect(page.locator("h1")).to_have_text(SECRETARIAT_COMMITTEE)


def _agreement(page: Page) -> None:
    navigate(page, "Vereinbarungen")
    pick_row(page, SECRETARIAT_AGREEMENT)
    expect(page.locator("h1")).to_have_text(SECRETARIAT_AGREEMENT)


def _topic_field(page: Page) -> None:
    navigate(page, "Themenfelder")
    page.get_by_role("tab", name="Themenfelder im Einzelnen", exact=True).click()
    settle(page)
    pick_row(page, "Bauen & Wohnen")
    expect(page.locator("h1")).to_contain_text("Bauen & Wohnen")


# File name → how to get there; the README shows each of them.
SHOTS: dict[str, Callable[[Page], None]] = {
    "uebersicht": _overview,
    "gremium": _committee,
    "sitzung": _meeting,
    "vereinbarung": _agreement,
    "themenfelder": _topic_fields,
    "themenfeld": _topic_field,
    "kooperationsnetz": _network,
}


def main() -> int:
    missing = chromium_missing()
    if missing:
        print(f"Keine Screenshots: {missing}.", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        database = build_workspace(Path(folder) / "app.db", "demo")
        with (
            running_app(database, Path(folder) / "streamlit.log") as server,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(**launch_args())
            context = browser.new_context(**CONTEXT, base_url=server.url)
            page = context.new_page()
            problems = BrowserProblems(page)
            sign_in(page, "sekretariat", PASSWORD)
            for name, show in SHOTS.items():
                show(page)
                # Hover effects of the last click would end up in the picture.
                page.mouse.move(0, 0)
                found = exceptions(page) + problems.found + server.tracebacks()
                if found:
                    print(f"{name}: " + "\n".join(found), file=sys.stderr)
                    return 1
                path = TARGET / f"{name}.png"
                page.screenshot(path=path)
                print(f"{path.relative_to(ROOT)} gespeichert.")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
