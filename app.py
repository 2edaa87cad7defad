"""Kooperationsraum: the router. Page config and navigation only; pages do the rest."""

import streamlit as st

st.set_page_config(page_title="Kooperationsraum", page_icon=":material/hub:", layout="wide")

navigation = st.navigation(
    {
        "Arbeitsraum": [
            st.Page(
                "pages/overview.py", title="Übersicht", icon=":material/dashboard:", default=True
            ),
        ],
    }
)
navigation.run()
