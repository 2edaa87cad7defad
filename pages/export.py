"""Export und Import: minutes for Excel, OParl for other systems, imports and backups."""

import streamlit as st

from ui.exports.data import backup_panel, import_panel
from ui.exports.minutes import minutes_panel
from ui.exports.oparl import oparl_panel
from ui.session import show_flash

st.title("Export und Import")
st.caption(
    "Protokolle als CSV für Excel, der ganze Arbeitsraum als OParl 1.1, Verzeichnisse aus CSV oder "
    "Excel importieren, Sicherung und Wiederherstellung."
)
show_flash()

minutes, oparl, imports, backup = st.tabs(["Protokolle (CSV)", "OParl", "Import", "Sicherung"])
with minutes:
    minutes_panel()
with oparl:
    oparl_panel()
with imports:
    import_panel()
with backup:
    backup_panel()
