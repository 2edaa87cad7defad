"""Running one page under AppTest inside the app's full navigation.

st.page_link only resolves pages registered with st.navigation, so a page script run on
its own cannot render its links; the entry script registers every page of ui.links.PAGES
(the same set app.py registers) with the page under test as the default.
"""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from models.base import utcnow
from models.enums import Role
from tests.workspaces import ACCOUNT_IDS
from ui.links import PAGES
from ui.session import AUTH

ROOT = Path(__file__).resolve().parents[2]


def signed_in(at: AppTest, role: Role = Role.ADMIN) -> AppTest:
    """Start the AppTest's browser session signed in with the test account of `role`."""
    now = utcnow()
    at.session_state[AUTH] = {
        "account_id": ACCOUNT_IDS[role],
        "signed_in_at": now,
        "last_seen": now,
    }
    return at


def whole_app(role: Role | None = None) -> AppTest:
    """The real app, router and sign-in gate included; signed in as `role` unless None."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    return at if role is None else signed_in(at, role)


def reachable(at: AppTest, noun: str) -> bool:
    """Whether the last run's navigation offers page `noun` (switching only finds those)."""
    try:
        at.switch_page(PAGES[noun])
    except ValueError:
        return False
    return True


def click(at: AppTest, label: str) -> AppTest:
    """Click the (first) button labelled `label`, in the main area or the sidebar, and rerun."""
    next(button for button in at.button if button.label == label).click()
    return at.run()


def entry_script(tmp_path: Path, noun: str) -> str:
    """Write the entry script for page `noun` into `tmp_path`; returns its path."""
    # Links name pages relative to the entry script, so the real pages/ sits beside it.
    if not (tmp_path / "pages").exists():
        (tmp_path / "pages").symlink_to(ROOT / "pages", target_is_directory=True)
    pages = ", ".join(f"st.Page({path!r}, default={name == noun})" for name, path in PAGES.items())
    entry = tmp_path / f"entry_{noun}.py"
    entry.write_text(
        f"import streamlit as st\n\nst.navigation([{pages}], position='hidden').run()\n"
    )
    return str(entry)


def page_app(tmp_path: Path, noun: str, role: Role = Role.ADMIN) -> AppTest:
    """An AppTest of page `noun` with working links to every other page, signed in as `role`."""
    return signed_in(AppTest.from_file(entry_script(tmp_path, noun), default_timeout=30), role)
