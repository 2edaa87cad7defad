"""Export page pieces: the OParl 1.1 download and the calendar (.ics) buttons."""

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from services.calendar_export import ICS_MIME, committee_ics, ics_file_name, meeting_ics
from services.errors import DomainError
from services.oparl import export_oparl, oparl_zip
from ui.db import session_scope

_ZIP_KEY = "oparl_export_zip"
# Until sign-in exists (issue 6) every user of the app may see non-public items.
INCLUDE_NON_PUBLIC = True


def oparl_panel() -> None:
    """Base URL, build, then download every OParl list as one .zip of JSON files."""
    st.subheader("OParl 1.1 (JSON)")
    st.caption(
        "Gremien, Personen, Mitgliedschaften, Sitzungen, Tagesordnungen und Vereinbarungen "
        "im Standard OParl 1.1; was OParl nicht kennt (Abstimmungsergebnisse, "
        "Beschlusskontrolle, Anwesenheit, Themenfelder), steht in Feldern mit dem Präfix "
        "„kooperationsraum:“."
    )
    base_url = st.text_input(
        "Basis-URL",
        value="https://kooperationsraum.example.org",
        key="oparl_base_url",
        help="Die Adressen (ids) aller OParl-Objekte beginnen mit dieser URL.",
    )
    if st.button("OParl-Export erstellen", key="oparl_build", icon=":material/data_object:"):
        if not base_url.strip().lower().startswith(("http://", "https://")):
            st.error("„Basis-URL“ muss mit http:// oder https:// beginnen.")
        else:
            bar = st.progress(0.0, text="OParl-Export wird erstellt …")
            with session_scope() as session:
                files = export_oparl(
                    session,
                    base_url=base_url.strip(),
                    include_non_public=INCLUDE_NON_PUBLIC,
                    progress=lambda done: _advance(bar, done),
                )
            st.session_state[_ZIP_KEY] = oparl_zip(files)
            bar.empty()
    if _ZIP_KEY in st.session_state:
        st.download_button(
            "OParl-Dateien herunterladen (.zip)",
            data=st.session_state[_ZIP_KEY],
            file_name="oparl.zip",
            mime="application/zip",
            key="oparl_download",
            icon=":material/download:",
        )


def _advance(bar: DeltaGenerator, done: float) -> None:
    bar.progress(done, text="OParl-Export wird erstellt …")


def calendar_downloads(meeting_id: int | None = None, committee_id: int | None = None) -> None:
    """Download buttons for the .ics of a meeting and/or all meetings of a committee."""
    with session_scope() as session:
        try:
            if meeting_id is not None:
                st.download_button(
                    "Sitzung als Kalendereintrag (.ics)",
                    data=meeting_ics(session, meeting_id, include_non_public=INCLUDE_NON_PUBLIC),
                    file_name=ics_file_name(meeting_id=meeting_id),
                    mime=ICS_MIME,
                    key=f"ics_meeting_{meeting_id}",
                    icon=":material/event:",
                )
            if committee_id is not None:
                st.download_button(
                    "Alle Sitzungen des Gremiums als Kalender (.ics)",
                    data=committee_ics(
                        session, committee_id, include_non_public=INCLUDE_NON_PUBLIC
                    ),
                    file_name=ics_file_name(committee_id=committee_id),
                    mime=ICS_MIME,
                    key=f"ics_committee_{committee_id}",
                    icon=":material/calendar_month:",
                )
        except DomainError as error:
            st.error(str(error))
