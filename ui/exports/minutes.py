"""Downloads of minutes (CSV), attendance (CSV) and the Niederschrift (.docx)."""

from datetime import date
from typing import Any

import streamlit as st
from sqlmodel import Session

from services.committees import committee_choices
from services.csv_export import EXCEL_DE, RFC_4180, CsvDialect
from services.errors import DomainError
from services.meetings import meeting_choices
from services.minutes import attendance_csv, export_file_name, minutes_csv
from services.niederschrift import niederschrift_docx
from ui.db import deferred, session_scope
from ui.format import plain
from ui.session import sees_non_public

CSV_MIME = "text/csv"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DIALECT_CHOICES = {EXCEL_DE.label: EXCEL_DE, RFC_4180.label: RFC_4180}
SCOPES = ("Eine Sitzung", "Gremium und Zeitraum", "Alle Sitzungen")
_RESULT = "exports.minutes.result"


def _non_public(include_non_public: bool | None) -> bool:
    # Unless a caller decides, the signed-in user's role does: Lesend gets public items only.
    return sees_non_public() if include_non_public is None else include_non_public


def meeting_downloads(meeting_id: int, *, include_non_public: bool | None = None) -> None:
    """Minutes CSV, attendance CSV and the Niederschrift of one meeting, for the meeting page."""
    include_non_public = _non_public(include_non_public)
    scope: dict[str, Any] = {"meeting_id": meeting_id, "include_non_public": include_non_public}
    left, middle, right = st.columns(3)
    left.download_button(
        "Protokoll (CSV)",
        data=deferred(lambda session: minutes_csv(session, **scope)),
        file_name=export_file_name("protokoll", meeting_id=meeting_id),
        mime=CSV_MIME,
        icon=":material/table:",
        on_click="ignore",
        key=f"exports.minutes.{meeting_id}",
        help="Eine Zeile je Tagesordnungspunkt, für Excel (Deutschland).",
    )
    middle.download_button(
        "Anwesenheit (CSV)",
        data=deferred(lambda session: attendance_csv(session, **scope)),
        file_name=export_file_name("anwesenheit", meeting_id=meeting_id),
        mime=CSV_MIME,
        icon=":material/groups:",
        on_click="ignore",
        key=f"exports.attendance.{meeting_id}",
    )
    right.download_button(
        "Niederschrift (Word)",
        data=deferred(
            lambda session: niederschrift_docx(
                session, meeting_id, include_non_public=include_non_public
            )
        ),
        file_name=export_file_name("niederschrift", meeting_id=meeting_id, extension="docx"),
        mime=DOCX_MIME,
        icon=":material/description:",
        on_click="ignore",
        key=f"exports.niederschrift.{meeting_id}",
    )


def decisions_download(
    *, committee_id: int | None = None, include_non_public: bool | None = None
) -> None:
    """The minutes rows (with every decision) of one committee or all, for the decisions page."""
    include_non_public = _non_public(include_non_public)
    st.download_button(
        "Protokolle mit Beschlüssen (CSV)",
        data=deferred(
            lambda session: minutes_csv(
                session, committee_id=committee_id, include_non_public=include_non_public
            )
        ),
        file_name=export_file_name("protokolle", committee_id=committee_id),
        mime=CSV_MIME,
        icon=":material/download:",
        on_click="ignore",
        key=f"exports.decisions.{committee_id}",
    )


def _scope_inputs(session: Session) -> dict[str, Any] | None:
    scope = st.radio("Umfang", SCOPES, horizontal=True, key="exports.minutes.scope")
    if scope == SCOPES[0]:
        choices = meeting_choices(session)
        meeting_id = st.selectbox(
            "Sitzung",
            list(choices),
            format_func=lambda meeting_id: choices[meeting_id],
            index=None,
            placeholder="Sitzung wählen",
            key="exports.minutes.meeting",
        )
        return None if meeting_id is None else {"meeting_id": meeting_id}
    if scope == SCOPES[1]:
        committees = committee_choices(session)
        left, right = st.columns(2)
        committee_id = left.selectbox(
            "Gremium",
            list(committees),
            format_func=lambda committee_id: committees[committee_id],
            index=None,
            placeholder="Gremium wählen",
            key="exports.minutes.committee",
        )
        period = right.date_input(
            "Zeitraum (leer: alle Sitzungen)",
            value=[],
            format="DD.MM.YYYY",
            key="exports.minutes.period",
        )
        if committee_id is None:
            return None
        days: list[date] = list(period) if isinstance(period, tuple | list) else []
        return {
            "committee_id": committee_id,
            "since": days[0] if days else None,
            "until": days[1] if len(days) > 1 else (days[0] if days else None),
        }
    return {}


def minutes_panel(*, include_non_public: bool | None = None) -> None:
    """The Export page's part for minutes and attendance as CSV."""
    include_non_public = _non_public(include_non_public)
    st.subheader("Protokolle und Anwesenheit (CSV)")
    with session_scope() as session:
        scope = _scope_inputs(session)
    label = st.selectbox(
        "Format",
        list(DIALECT_CHOICES),
        key="exports.minutes.dialect",
        help="Excel (Deutschland): Semikolon, Umlaute und Datum TT.MM.JJJJ wie in Excel. "
        "RFC 4180: Komma, ISO-Datum und feste Spaltennamen für Programme.",
    )
    dialect = DIALECT_CHOICES[str(label)]
    if scope is None:
        st.info("Bitte wählen Sie aus, was exportiert werden soll.", icon=":material/info:")
        return
    request = (tuple(sorted(scope.items())), dialect.label, include_non_public)
    if st.button("Export erstellen", icon=":material/build:", key="exports.minutes.build"):
        _build(scope, dialect, include_non_public, request)
    result = st.session_state.get(_RESULT)
    if not result or result["request"] != request:
        return
    suffix = "" if dialect == EXCEL_DE else "_rfc4180"
    name_scope: dict[str, Any] = {k: scope.get(k) for k in ("meeting_id", "committee_id")}
    left, right = st.columns(2)
    left.download_button(
        "Protokoll herunterladen",
        data=result["minutes"],
        file_name=export_file_name(f"protokolle{suffix}", **name_scope),
        mime=CSV_MIME,
        icon=":material/download:",
        on_click="ignore",
        key="exports.minutes.download",
    )
    right.download_button(
        "Anwesenheit herunterladen",
        data=result["attendance"],
        file_name=export_file_name(f"anwesenheit{suffix}", **name_scope),
        mime=CSV_MIME,
        icon=":material/download:",
        on_click="ignore",
        key="exports.attendance.download",
    )


def _advance(bar: Any, share: float, text: str) -> None:
    bar.progress(min(share, 1.0), text=text)


def _build(
    scope: dict[str, Any], dialect: CsvDialect, include_non_public: bool, request: Any
) -> None:
    bar = st.progress(0.0, text="Protokoll wird erstellt …")
    try:
        with session_scope() as session:
            minutes = minutes_csv(
                session,
                dialect=dialect,
                include_non_public=include_non_public,
                progress=lambda share: _advance(bar, share * 0.8, "Protokoll wird erstellt …"),
                **scope,
            )
            attendance = attendance_csv(
                session,
                dialect=dialect,
                include_non_public=include_non_public,
                progress=lambda share: _advance(bar, 0.8 + share * 0.2, "Anwesenheit …"),
                **scope,
            )
    except DomainError as error:
        bar.empty()
        st.error(plain(error.message), icon=":material/error:")
        return
    bar.empty()
    st.session_state[_RESULT] = {
        "request": request,
        "minutes": minutes,
        "attendance": attendance,
    }
