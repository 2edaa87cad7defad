"""Tables as every page shows them: German headers and dates, paging, a clear empty state."""

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from services.paging import DEFAULT_PAGE_SIZE, Page
from ui.format import german_table, plain

# The main area on a 1366×768 laptop with the sidebar open, and what one character takes in
# Streamlit's table font; a column never gets narrower than CAPPED_WIDTH through capping.
AVAILABLE_WIDTH = 900
CHARACTER_WIDTH = 7.5
CELL_PADDING = 24
CAPPED_WIDTH = 220


def column_widths(shown: pd.DataFrame) -> dict[str, Any]:
    """Widths that keep every column of `shown` on a laptop screen where possible.

    The table sizes each column to its longest cell, so one long committee name or decision
    text pushes status and due date out of sight. When the columns would not fit, the widest
    are capped (their full text stays in the cell's tooltip and on the record's page).
    """
    natural = {
        column: min(
            500.0,
            CELL_PADDING
            + CHARACTER_WIDTH
            * max([len(str(column)), *(len(str(value)) for value in shown[column].head(200))]),
        )
        for column in shown.columns
    }
    capped: dict[str, Any] = {}
    for column in sorted(natural, key=natural.__getitem__, reverse=True):
        if sum(natural.values()) <= AVAILABLE_WIDTH or natural[column] <= CAPPED_WIDTH:
            break
        natural[column] = CAPPED_WIDTH
        capped[column] = st.column_config.Column(width=CAPPED_WIDTH)
    return capped


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
    shown = german_table(frame, columns, labels)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=column_widths(shown))


def pick_table(
    frame: pd.DataFrame,
    columns: list[str],
    *,
    key: str,
    empty: str,
    opens: str,
    labels: dict[str, str] | None = None,
) -> int | None:
    """A table whose rows can be selected; returns the `id` of the selected row.

    `opens` names what a row opens („die Sitzung“); every list says so the same way.
    """
    if frame.empty:
        st.info(empty, icon=":material/info:")
        return None
    st.caption(f"Wählen Sie eine Zeile, um {opens} zu öffnen.")
    shown = german_table(frame, columns, labels)
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=column_widths(shown),
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
