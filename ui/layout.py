"""Layout pieces that keep the user where she works across reruns."""

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def tabs(labels: Sequence[str], *, key: str) -> Sequence[DeltaGenerator]:
    """Tabs that stay on the tab in use when a save or a filter reruns the page.

    Plain tabs fall back to the first one whenever the page's elements change, so saving in
    „Zustimmungen“ would land the user in „Parteien“. The position is remembered rather
    than the label, because labels carry counts that a save changes („Zuordnungen (3)“).
    """
    position_key = f"{key}.position"
    position = st.session_state.get(position_key, 0)
    labels = list(labels)

    def remember() -> None:
        chosen = st.session_state.get(key)
        st.session_state[position_key] = labels.index(chosen) if chosen in labels else 0

    default = labels[position] if position < len(labels) else labels[0]
    return st.tabs(labels, key=key, default=default, on_change=remember)


# Streamlit's defaults are made for tall screens; our users work on 1366×768 laptops.
_STYLE = """<style>
/* Less empty space above the title: on a laptop the first record rows stay above the fold. */
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
/* Long German compounds break at syllables (the page says lang="de") instead of overflowing
   narrow columns: „Informationsverarbeitung“, „Verwaltungsvereinbarung“. */
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"],
[data-testid="stWidgetLabel"] { overflow-wrap: break-word; hyphens: auto; }
/* A denser navigation: on 768 px the signed-in name and „Abmelden“ below it stay visible. */
[data-testid="stSidebarNavItems"] li { margin: 0; }
[data-testid="stSidebarNavLink"] { margin: 1px 0; height: 1.625rem; min-height: 0; }
[data-testid="stSidebarNavItems"] > div + div { margin-top: 0.375rem; }
[data-testid="stNavSectionHeader"] { margin-top: 0.25rem; margin-bottom: 0.125rem; }
[data-testid="stSidebarNavSeparator"] { padding-top: 0.25rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0.5rem; }
[data-testid="stSidebarHeader"] { height: 2.75rem; }
</style>"""
# The page is German: screen readers pronounce it so, browsers hyphenate and translate it so.
_LANGUAGE = "<script>document.documentElement.lang = 'de';</script>"


def page_style() -> None:
    """The app's few layout rules and the page language; called once per run by the router."""
    st.html(_STYLE)
    st.html(_LANGUAGE, unsafe_allow_javascript=True)
