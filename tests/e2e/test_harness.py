"""The browser tests' own guard: an exception in a page run must reach the test, both as
Streamlit's error box in the page and as a traceback in the server log."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.harness import CONTEXT, exceptions, open_path, running_app

pytestmark = pytest.mark.xdist_group("browser")


def test_an_exception_in_a_page_run_is_seen(browser: Browser, tmp_path: Path) -> None:
    script = tmp_path / "kaputt.py"
    script.write_text('import streamlit as st\n\nst.title("x")\nraise ValueError("kaputt")\n')
    with running_app(tmp_path / "app.db", tmp_path / "streamlit.log", script) as server:
        context = browser.new_context(**CONTEXT, base_url=server.url)
        try:
            page = context.new_page()
            open_path(page)
            assert any("kaputt" in shown for shown in exceptions(page))
            logged = server.tracebacks()
            assert len(logged) == 1
            assert "ValueError: kaputt" in logged[0]
        finally:
            context.close()
