"""Tables as every page shows them: German headers, German dates, a clear empty state."""

import pandas as pd
import streamlit as st

from ui.format import german_table


def show_table(
    frame: pd.DataFrame,
    columns: list[str],
    *,
    empty: str,
    labels: dict[str, str] | None = None,
) -> None:
    """Render `columns` of a service DataFrame, or the `empty` message when it has no rows."""
    if frame.empty:
        st.info(empty)
        return
    st.dataframe(german_table(frame, columns, labels), hide_index=True, width="stretch")
