"""The app in a real browser: a Streamlit server on a free loopback port with its own
database, Debian's chromium driven by Playwright, and the waits a Streamlit page needs.

The browser tests and `scripts/screenshots.py` share this, so the screenshots in the README
show exactly what the tests see.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import ConsoleMessage, Locator, Page, Request, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]

# Debian's package; Playwright's own browser downloads are not available on our machines.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# No sandbox: CI runs as root. The rest keeps Chromium from calling Google's services,
# which a closed network refuses with console noise at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The smallest screen we promise to support: a 1366×768 office laptop.
CONTEXT: dict[str, Any] = {
    "viewport": {"width": 1366, "height": 768},
    "locale": "de-DE",
    "timezone_id": "Europe/Berlin",
    "accept_downloads": True,
}
START_TIMEOUT = 60.0
RUN_TIMEOUT = 30_000  # ms: one script run, the slowest being a page's first import


def chromium_missing() -> str | None:
    """Why the browser cannot start here, or None when it can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} fehlt (apt-get install chromium)"
    return None


def launch_args() -> dict[str, Any]:
    """Playwright's launch options for Debian's chromium."""
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AppServer:
    """`streamlit run app.py` on a free loopback port against the SQLite file `database`."""

    def __init__(self, database: Path, log: Path, script: Path = ROOT / "app.py") -> None:
        self.database = database
        self.log = log
        self.script = script
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.database}"}
        command = [
            *(sys.executable, "-m", "streamlit", "run", str(self.script)),
            *("--server.port", str(self.port), "--server.address", "127.0.0.1"),
            *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
            *("--server.fileWatcherType", "none", "--server.runOnSave", "false"),
            # Plain tracebacks: Rich's coloured panels hide "Traceback (most recent call
            # last)" between escape codes, and `tracebacks()` looks for exactly that.
            *("--logger.enableRich", "false"),
        ]
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"streamlit ended at start:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"streamlit did not answer within {START_TIMEOUT:.0f} s:\n{self.output()}"
        )

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tracebacks(self) -> list[str]:
        """Exceptions the server logged (an app exception is also logged, not only shown)."""
        text = self.output()
        return [
            block for block in text.split("\n\n") if "Traceback (most recent call last)" in block
        ]


@contextmanager
def running_app(database: Path, log: Path, script: Path = ROOT / "app.py") -> Iterator[AppServer]:
    server = AppServer(database, log, script)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- what the browser reports -------------------------------------------------------------

# On a deep link's first load Streamlit's frontend looks for its base path by probing
# <page>/_stcore/health and host-config before the root; those 404s are not the app's errors.
_BASE_PATH_PROBE = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")


def _probe(url: str) -> bool:
    return bool(_BASE_PATH_PROBE.match(urlparse(url).path))


class BrowserProblems:
    """Console errors, uncaught page errors, failed requests and HTTP errors of one page."""

    def __init__(self, page: Page) -> None:
        self.found: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.found.append(f"Seitenfehler: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not _probe(url):
            self.found.append(f"Konsole: {message.text} ({url})")

    def _request_failed(self, request: Request) -> None:
        if not _probe(request.url):
            self.found.append(f"Anfrage gescheitert: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400 and not _probe(response.url):
            self.found.append(f"HTTP {response.status}: {response.url}")


# --- waiting for Streamlit ------------------------------------------------------------------

APP = "[data-testid=stApp]"
NAV_LINK = "[data-testid=stSidebarNavLink]"
IDLE = f"{APP}[data-test-script-state=notRunning]"
RUNNING = f"{APP}[data-test-script-state=running]"


def settle(page: Page, *, starts_within: int = 700) -> None:
    """Wait until the rerun a click or an input started has finished.

    A fast rerun can end before the browser reports it running, so the running state is
    awaited only for `starts_within` ms; the idle state after it is awaited in earnest.
    """
    with suppress(PlaywrightTimeoutError):
        page.wait_for_selector(RUNNING, timeout=starts_within)
    page.wait_for_selector(IDLE, timeout=RUN_TIMEOUT)
    # Elements of the previous run are only dropped once the new run has ended, and lazily
    # loaded ones (tables, charts) show a skeleton for a moment after it.
    for placeholder in ("[data-stale=true]", "[data-testid=stSkeleton]"):
        page.wait_for_selector(placeholder, state="detached", timeout=RUN_TIMEOUT)


def open_path(page: Page, path: str = "/") -> None:
    """Load `path` of the app (relative to the context's base URL) like a typed address."""
    page.goto(path)
    page.wait_for_selector(IDLE, timeout=RUN_TIMEOUT)
    settle(page)


def field(page: Page, label: str) -> Locator:
    """The text or number input labelled `label` (required fields carry „ *“)."""
    return page.locator(f"input[aria-label='{label}'], textarea[aria-label='{label}']").first


def click(page: Page, name: str, *, within: Locator | None = None) -> None:
    """Click the button `name` and wait for the rerun it starts."""
    scope = within if within is not None else page
    scope.get_by_role("button", name=name, exact=True).first.click()
    settle(page)


def sign_in(page: Page, username: str, password: str, *, path: str = "/") -> None:
    """Open `path` and sign in there; the app then shows what `path` names."""
    open_path(page, path)
    field(page, "Benutzername").fill(username)
    page.locator("input[type=password]").first.fill(password)
    click(page, "Anmelden")


def navigate(page: Page, label: str) -> None:
    """Follow the sidebar link `label`, as a user does (a reload would sign out)."""
    page.locator(NAV_LINK, has_text=label).first.click()
    settle(page)
    expect(page.locator("h1").first).to_be_visible()


def alerts(page: Page) -> list[str]:
    return [alert.inner_text() for alert in page.locator("[data-testid=stAlert]").all()]


def exceptions(page: Page) -> list[str]:
    return [block.inner_text() for block in page.locator("[data-testid=stException]").all()]


# --- filling in widgets ---------------------------------------------------------------------


def pick(page: Page, combobox: Locator, option: str | re.Pattern[str]) -> None:
    """Open the select box `combobox` and click its `option`, then wait for the rerun."""
    combobox.click()
    listbox = page.get_by_role("listbox")
    # A click on a box that already has the focus does not always open it; the keyboard does.
    with suppress(PlaywrightTimeoutError):
        listbox.wait_for(state="visible", timeout=1000)
    if not listbox.is_visible():
        combobox.press("ArrowDown")
    page.get_by_role("option", name=option, exact=True).first.click()
    settle(page)


def choose(
    page: Page, label: str, option: str | re.Pattern[str], *, within: Locator | None = None
) -> None:
    """Pick `option` in the select box `label` (required ones are labelled „… *“)."""
    scope = within if within is not None else page
    pick(page, scope.get_by_role("combobox", name=label, exact=True).first, option)


def enter_date(page: Page, label: str, value: date, *, within: Locator | None = None) -> None:
    """Type a date into the field `label` as a German user does: TT.MM.JJJJ."""
    scope = within if within is not None else page
    group = scope.get_by_role("group", name=label, exact=True).first
    group.locator("[data-type=day]").click()
    page.keyboard.type(value.strftime("%d%m%Y"))


def enter_time(page: Page, label: str, value: str, *, within: Locator | None = None) -> None:
    """Type a time of day (HH:MM) into the field `label`."""
    scope = within if within is not None else page
    group = scope.get_by_role("group", name=label, exact=True).first
    group.locator("[data-type=hour]").click()
    page.keyboard.type(value.replace(":", ""))


# Streamlit's tables draw on a canvas; an accessible copy of their cells lies beneath it.
HEADER_HEIGHT = ROW_HEIGHT = 35  # px, Streamlit's defaults
ROW_MARKER_X = 18  # px from the left: the selection box of a row


def pick_row(page: Page, text: str, *, within: Locator | None = None) -> None:
    """Select the row of a selectable table that shows `text`, as a user clicks it."""
    scope = within if within is not None else page
    table = scope.locator("[data-testid=stDataFrame]", has=page.get_by_text(text, exact=True))
    cell = table.locator("td[role=gridcell]", has_text=text).first
    row = int(cell.locator("xpath=..").get_attribute("aria-rowindex") or "0")
    # aria-rowindex counts the header as row 1.
    y = HEADER_HEIGHT + (row - 2) * ROW_HEIGHT + ROW_HEIGHT // 2
    canvas = table.locator("canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None, f"the table with „{text}“ is not on screen"
    # The grid's scroller lies over its canvas and takes the click, as for a user.
    page.mouse.click(box["x"] + ROW_MARKER_X, box["y"] + y)
    settle(page)


def chart_cells(chart: Locator) -> list[dict[str, Any]]:
    """The filled cells of the Plotly heatmap in `chart`: x, y and value of each."""
    return list(
        chart.locator(".js-plotly-plot").evaluate(
            """plot => {
                const trace = plot._fullData.find(t => t.type === "heatmap");
                const cells = [];
                trace.z.forEach((row, i) => row.forEach((value, j) => {
                    if (value !== null && !Number.isNaN(value)) {
                        cells.push({x: trace.x[j], y: trace.y[i], value: value});
                    }
                }));
                return cells;
            }"""
        )
    )


def click_chart(page: Page, chart: Locator, x: Any, y: Any) -> None:
    """Click the point at data coordinates (x, y) of the Plotly chart, as a user does."""
    point = chart.locator(".js-plotly-plot").evaluate(
        """(plot, [x, y]) => {
            const layout = plot._fullLayout, box = plot.getBoundingClientRect();
            return {
                x: box.left + layout.xaxis._offset + layout.xaxis.d2p(x),
                y: box.top + layout.yaxis._offset + layout.yaxis.d2p(y),
            };
        }""",
        [x, y],
    )
    page.mouse.click(point["x"], point["y"])
    # Plotly reports a selection only after its double-click window has passed.
    settle(page, starts_within=5000)


def overflowing(page: Page) -> list[str]:
    """Elements of the main area that stick out to the right of it (a horizontal scrollbar
    on a 1366×768 screen); tables and charts scroll inside themselves and are left out."""
    return list(
        page.locator("[data-testid=stMainBlockContainer]").evaluate(
            """main => {
                const right = main.getBoundingClientRect().right + 2;
                const inside = "[data-testid=stDataFrame], .js-plotly-plot, pre, code";
                const found = [];
                for (const element of main.querySelectorAll("*")) {
                    if (element.closest(inside)) continue;
                    const box = element.getBoundingClientRect();
                    if (box.width === 0 || box.height === 0) continue;
                    if (box.right > right) {
                        const name = element.dataset.testid || element.tagName.toLowerCase();
                        found.push(`${name}: ${(element.innerText || "").slice(0, 60)}`);
                    }
                }
                return found;
            }"""
        )
    )


def sidebar_pages(page: Page) -> list[str]:
    """The titles of the pages the sidebar offers the signed-in user, in its order."""
    # Each link's text is its Material icon's name, then the title.
    return [text.split("\n")[-1] for text in page.locator(NAV_LINK).all_inner_texts()]
