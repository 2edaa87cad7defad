"""The browser tests' fixtures: one app server per test worker on a copy of the demo
workspace, Debian's chromium for pytest-playwright, and a page that fails its test on any
console error, failed request or server traceback.

Without chromium the tests skip locally with the reason; with REQUIRE_BROWSER=1 (CI) they
fail instead, so a CI run without the browser cannot pass silently.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.e2e.harness import (
    CONTEXT,
    AppServer,
    BrowserProblems,
    chromium_missing,
    launch_args,
    running_app,
)
from tests.workspaces import build_workspace


@pytest.fixture(scope="session", autouse=True)
def _chromium() -> None:
    missing = chromium_missing()
    if missing is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"Browser-Tests verlangt (REQUIRE_BROWSER=1), aber {missing}.")
    pytest.skip(f"Browser-Tests übersprungen: {missing}.")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app with the demo workspace and the three test accounts, for this worker."""
    folder = tmp_path_factory.mktemp("browser")
    database = build_workspace(folder / "app.db", "demo")
    with running_app(database, folder / "streamlit.log") as server:
        yield server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, **launch_args()}


@pytest.fixture(scope="session")
def browser_context_args(
    browser_context_args: dict[str, Any], app_server: AppServer
) -> dict[str, Any]:
    return {**browser_context_args, **CONTEXT, "base_url": app_server.url}


@pytest.fixture
def page(context: BrowserContext, app_server: AppServer) -> Iterator[Page]:
    """A fresh tab (a new Streamlit session) that must stay free of errors."""
    tab = context.new_page()
    problems = BrowserProblems(tab)
    logged = len(app_server.tracebacks())
    yield tab
    new_tracebacks = app_server.tracebacks()[logged:]
    assert not new_tracebacks, "\n\n".join(new_tracebacks)
    assert not problems.found, "\n".join(problems.found)
