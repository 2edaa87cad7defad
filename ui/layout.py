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
