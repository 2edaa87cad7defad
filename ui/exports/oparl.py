"""Export page pieces: the OParl 1.1 download and the calendar (.ics) buttons."""

from collections.abc import Callable
from functools import partial

import streamlit as st
from sqlmodel import Session
from streamlit.delta_generator import DeltaGenerator

from services.calendar_export import ICS_MIME, committee_ics, ics_file_name, meeting_ics
from services.oparl import export_oparl, oparl_zip
from ui.db import deferred, session_scope
from ui.session import sees_non_public

_ZIP_KEY = "oparl_export_zip"


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
    include_non_public = sees_non_public()
    if not include_non_public:
        st.caption("Der Export enthält nur öffentliche Sitzungen und Tagesordnungspunkte.")
    if st.button("OParl-Export erstellen", key="oparl_build", icon=":material/data_object:"):
        if not base_url.strip().lower().startswith(("http://", "https://")):
            st.error("„Basis-URL“ muss mit http:// oder https:// beginnen.")
        else:
            bar = st.progress(0.0, text="OParl-Export wird erstellt …")
            with session_scope() as session:
                files = export_oparl(
                    session,
                    base_url=base_url.strip(),
                    include_non_public=include_non_public,
                    progress=lambda done: _advance(bar, done),
                )
            # Remember whose view the file holds: after a role change it is built anew.
            st.session_state[_ZIP_KEY] = (include_non_public, oparl_zip(files))
            bar.empty()
    built = st.session_state.get(_ZIP_KEY)
    if built is not None and built[0] == include_non_public:
        st.download_button(
            "OParl-Dateien herunterladen (.zip)",
            data=built[1],
            file_name="oparl.zip",
            mime="application/zip",
            key="oparl_download",
            icon=":material/download:",
        )


def _advance(bar: DeltaGenerator, done: float) -> None:
    bar.progress(done, text="OParl-Export wird erstellt …")


def calendar_downloads(
    meeting_id: int | None = None,
    committee_id: int | None = None,
    *,
    include_non_public: bool | None = None,
) -> None:
    """Download buttons for the .ics of a meeting and/or all meetings of a committee."""
    if include_non_public is None:
        include_non_public = sees_non_public()
    if meeting_id is not None:
        _ics_download(
            partial(meeting_ics, meeting_id=meeting_id, include_non_public=include_non_public),
            "Sitzung als Kalendereintrag (.ics)",
            file_name=ics_file_name(meeting_id=meeting_id),
            key=f"ics_meeting_{meeting_id}",
            icon=":material/event:",
        )
    if committee_id is not None:
        _ics_download(
            partial(
                committee_ics, committee_id=committee_id, include_non_public=include_non_public
            ),
            "Alle Sitzungen des Gremiums als Kalender (.ics)",
            file_name=ics_file_name(committee_id=committee_id),
            key=f"ics_committee_{committee_id}",
            icon=":material/calendar_month:",
        )


def _ics_download(
    build: Callable[[Session], bytes], label: str, *, file_name: str, key: str, icon: str
) -> None:
    """One .ics download button; `build` writes the file from a database session."""
    # Built on click only: a busy committee's calendar took longer than the rest of its page.
    st.download_button(
        label, data=deferred(build), file_name=file_name, mime=ICS_MIME, key=key, icon=icon
    )
