"""Charts as every analytics page shows them: selectable, with their data as CSV."""

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from services.csv_export import EXCEL_DE, frame_to_csv


def chart(
    figure: go.Figure,
    data: pd.DataFrame,
    *,
    key: str,
    filename: str,
    columns: Mapping[str, str],
) -> list[dict]:
    """Render `figure` (Plotly's own PNG download stays in its toolbar), offer `data` as
    German-Excel CSV, and return the points the user clicked or lassoed."""
    event = st.plotly_chart(
        figure,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode=("points", "box", "lasso"),
        config={"displaylogo": False, "toImageButtonOptions": {"filename": filename}},
    )
    st.download_button(
        "Daten als CSV (Excel)",
        # Built on click only: writing every point as CSV on each rerun costs more than the chart.
        lambda: frame_to_csv(data, columns, EXCEL_DE),
        file_name=f"{filename}.csv",
        mime="text/csv",
        key=f"{key}.csv",
        icon=":material/download:",
    )
    selection = getattr(event, "selection", None)
    return list(selection.get("points", [])) if selection else []
