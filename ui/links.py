"""Moving between pages and records: every record has an address (page + ?id=)."""

import streamlit as st

# Page scripts by noun; app.py registers exactly these.
PAGES = {
    "overview": "pages/overview.py",
    "committees": "pages/committees.py",
    "meetings": "pages/meetings.py",
    "decisions": "pages/decisions.py",
    "agreements": "pages/agreements.py",
    "organizations": "pages/organizations.py",
    "persons": "pages/persons.py",
    "audit": "pages/audit.py",
    "topic_fields": "pages/topic_fields.py",
    "participation": "pages/participation.py",
    "network": "pages/network.py",
    "timeline": "pages/timeline.py",
    "committee_work": "pages/committee_work.py",
    "export": "pages/export.py",
    "sign_in": "pages/sign_in.py",
    "first_run": "pages/first_run.py",
    "accounts": "pages/accounts.py",
    "my_account": "pages/my_account.py",
}


def selected_id(param: str = "id") -> int | None:
    """The record the page shows, from the address (?id=3); None for the list view."""
    raw = st.query_params.get(param)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def open_record(page: str, record_id: int | None, **extra: str) -> None:
    """Switch to `page` showing `record_id` (None: its list)."""
    params = {"id": str(record_id)} if record_id is not None else {}
    st.switch_page(PAGES[page], query_params={**params, **extra})


def link(page: str, label: str, record_id: int | None = None, **extra: str) -> None:
    """A link to a page, optionally straight to one record."""
    params = {"id": str(record_id)} if record_id is not None else {}
    st.page_link(PAGES[page], label=label, query_params={**params, **extra} or None)


def back_to_list(label: str) -> None:
    """Leave the record view of the current page."""
    if st.button(label, icon=":material/arrow_back:", key="nav.back", type="tertiary"):
        st.query_params.clear()
        st.rerun()
