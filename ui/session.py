"""Per-browser-session state shared by all pages: who acts, and messages across reruns."""

import streamlit as st

from models.enums import Role
from services.actor import Actor

_FLASH = "_flash_messages"

# Until sign-in exists (issue 6) every change is recorded under the Geschäftsstelle's workstation.
WORKSTATION = Actor(username="geschaeftsstelle", display_name="Geschäftsstelle", role=Role.ADMIN)


def current_actor() -> Actor:
    """The user on whose behalf commands run."""
    actor = st.session_state.get("actor")
    return actor if isinstance(actor, Actor) else WORKSTATION


def flash(message: str) -> None:
    """Show `message` once, on the next run of whatever page is open."""
    st.session_state.setdefault(_FLASH, []).append(message)


def show_flash() -> None:
    """Render and forget the pending success messages."""
    for message in st.session_state.pop(_FLASH, []):
        st.success(message, icon=":material/check_circle:")
