"""Running one page under AppTest inside the app's full navigation.

st.page_link only resolves pages registered with st.navigation, so a page script run on
its own cannot render its links; the entry script registers every page of ui.links.PAGES
(the same set app.py registers) with the page under test as the default.
"""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.links import PAGES

ROOT = Path(__file__).resolve().parents[2]


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


def page_app(tmp_path: Path, noun: str) -> AppTest:
    """An AppTest of page `noun` with working links to every other page."""
    return AppTest.from_file(entry_script(tmp_path, noun), default_timeout=30)
