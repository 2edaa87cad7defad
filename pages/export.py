"""Export und Import: minutes for Excel, OParl for other systems, imports and backups."""

import streamlit as st

from services import permissions
from ui import layout
from ui.exports.data import backup_panel, import_panel
from ui.exports.minutes import minutes_panel
from ui.exports.oparl import oparl_panel
from ui.session import current_actor, is_admin, show_flash

st.title("Export und Import")
st.caption(
    "Protokolle als CSV für Excel, der ganze Arbeitsraum als OParl 1.1, Verzeichnisse aus CSV oder "
    "Excel importieren, Sicherung und Wiederherstellung."
)
show_flash()

# Everyone exports (Lesend only public items); import is for writers, backups for admins.
panels = {"Protokolle (CSV)": minutes_panel, "OParl": oparl_panel}
if permissions.may_write_at_all(current_actor()):
    panels["Import"] = import_panel
if is_admin():
    panels["Sicherung"] = backup_panel
for tab, panel in zip(layout.tabs(list(panels), key="export_tabs"), panels.values(), strict=True):
    with tab:
        panel()
