"""Tables as every page shows them: German headers and dates, paging, a clear empty state."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from services.paging import DEFAULT_PAGE_SIZE, Page
from ui.format import german_table, plain


def show_table(
    frame: pd.DataFrame,
    columns: list[str],
    *,
    empty: str,
    labels: dict[str, str] | None = None,
) -> None:
    """Render `columns` of a service DataFrame, or the `empty` message when it has no rows."""
    if frame.empty:
        st.info(empty, icon=":material/info:")
        return
    st.dataframe(german_table(frame, columns, labels), hide_index=True, width="stretch")


def pick_table(
    frame: pd.DataFrame,
    columns: list[str],
    *,
    key: str,
    empty: str,
    labels: dict[str, str] | None = None,
) -> int | None:
    """A table whose rows can be selected; returns the `id` of the selected row."""
    if frame.empty:
        st.info(empty, icon=":material/info:")
        return None
    event = st.dataframe(
        german_table(frame, columns, labels),
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event else []  # type: ignore[union-attr]
    return int(frame.iloc[rows[0]]["id"]) if rows else None


def paged(
    fetch: Callable[[int, int], Page],
    *,
    key: str,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Fetch the page the user chose; the pager shows only when there is more than one."""
    state_key = f"{key}.page"
    current = int(st.session_state.get(state_key, 1) or 1)
    page = fetch(page_size, (current - 1) * page_size)
    if current > page.page_count:
        # A narrower filter left fewer pages than the one the user was on.
        current = page.page_count
        st.session_state.pop(state_key, None)
        page = fetch(page_size, (current - 1) * page_size)
    if page.page_count > 1:
        st.pagination(page.page_count, default=current, key=state_key)
        st.caption(f"{page.total} Einträge, Seite {current} von {page.page_count}")
    return page


def fact(label: str, value: object) -> None:
    """One labelled fact of a record view; nothing when the value is empty (shown literally)."""
    if value not in (None, ""):
        st.markdown(f"**{label}:** {plain(str(value))}")
