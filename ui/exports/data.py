"""Import and backup panels of the Export page: data in from CSV/Excel, the workspace out and back."""

import hashlib
from datetime import datetime

import streamlit as st

from services import permissions
from services.backup import backup, read_backup, restore
from services.csv_export import EXCEL_DE
from services.errors import DomainError
from services.importer import EXPORTERS, IMPORT_KINDS, ImportPreview, commit_import, preview_import
from services.periods import format_datetime
from services.uploads import IMPORT_MAX_BYTES, MB
from ui.db import deferred, get_engine, session_scope
from ui.format import plain
from ui.session import current_actor, flash, is_admin, show_flash

_PREVIEW = "import.preview"
_UPLOAD = "import.upload_round"
_ERROR = "import.error"
_RESTORE_UPLOAD = "restore.upload_round"
_RESTORE_CONFIRM = "restore.confirm"
_RESTORE_ERROR = "restore.error"


def import_panel() -> None:
    """Upload a CSV or Excel file, review every row, then import all of it or nothing."""
    show_flash()
    st.subheader("Import")
    if not permissions.may_write_at_all(current_actor()):
        st.caption("Nur lesend: Importieren können Administratoren und Sekretariate.")
        return
    kind = st.selectbox(
        "Was wird importiert?",
        options=list(IMPORT_KINDS),
        format_func=lambda code: IMPORT_KINDS[code].label,
        key="import.kind",
    )
    columns = IMPORT_KINDS[kind].columns
    st.caption(
        "Spalten: "
        + ", ".join(f"{c.label}{' (Pflicht)' if c.required else ''}" for c in columns)
        + ". Trennzeichen ; oder , – UTF-8 oder Windows-1252 (Excel); Datumsangaben "
        "TT.MM.JJJJ. Vorhandene Datensätze werden erkannt und nur geändert, wo die Datei "
        "abweicht."
    )
    st.download_button(
        f"Aktuelle {IMPORT_KINDS[kind].label} als Vorlage (CSV)",
        # Every record as a template would cost seconds at country scale on each rerun.
        data=deferred(lambda session: EXPORTERS[kind](session, EXCEL_DE)),
        file_name=f"{kind}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="import.template",
    )
    upload = st.file_uploader(
        "Datei (CSV oder Excel)",
        type=["csv", "txt", "xlsx"],
        max_upload_size=IMPORT_MAX_BYTES // MB,
        key=f"import.file.{st.session_state.get(_UPLOAD, 0)}",
    )
    if upload is None:
        st.session_state.pop(_PREVIEW, None)
        return
    import_review(kind, upload.getvalue(), upload.name)


def import_review(kind: str, data: bytes, filename: str) -> None:
    """The preview of one file: summary, German report, table, and the import button."""
    digest = (kind, hashlib.sha256(data).hexdigest())
    stored = st.session_state.get(_PREVIEW)
    if not stored or stored[0] != digest:
        with st.spinner("Datei wird geprüft …"), session_scope() as session:
            stored = (digest, preview_import(session, kind=kind, data=data, filename=filename))
        st.session_state[_PREVIEW] = stored
    preview: ImportPreview = stored[1]

    (st.error if preview.has_errors else st.info)(preview.summary)
    for message in preview.messages[:50]:
        st.error(plain(message), icon=":material/error:")
    if len(preview.messages) > 50:
        st.error(f"… und {len(preview.messages) - 50} weitere Fehler.")
    if preview.reports:
        st.dataframe(preview.frame(), hide_index=True, width="stretch")
    error = st.session_state.pop(_ERROR, None)
    if error:
        st.error(plain(error), icon=":material/error:")
    nothing_to_do = preview.count("neu") + preview.count("geändert") == 0
    st.button(
        "Importieren",
        type="primary",
        key="import.commit",
        disabled=preview.has_errors or nothing_to_do,
        help="Erst möglich, wenn die Datei keine Fehler enthält. Alles oder nichts.",
        on_click=_commit,
    )
    if preview.has_errors:
        st.caption("Bitte die Datei korrigieren und erneut hochladen; es wurde nichts gespeichert.")
    elif nothing_to_do:
        st.caption("Alle Zeilen stimmen mit den gespeicherten Daten überein.")


def _commit() -> None:
    stored = st.session_state.get(_PREVIEW)
    if not stored:
        return
    try:
        with session_scope() as session:
            result = commit_import(session, actor=current_actor(), preview=stored[1])
    except DomainError as exc:
        st.session_state[_ERROR] = exc.message
        st.session_state.pop(_PREVIEW, None)
        return
    st.session_state.pop(_PREVIEW, None)
    st.session_state[_UPLOAD] = st.session_state.get(_UPLOAD, 0) + 1
    st.cache_data.clear()
    flash(result.summary)


def backup_panel() -> None:
    """Download the whole workspace as one file; restore one into an empty database."""
    show_flash()
    st.subheader("Sicherung")
    if not is_admin():
        st.caption("Sicherung und Wiederherstellung sind Administratoren vorbehalten.")
        return
    st.caption(
        "Eine Sicherung enthält den ganzen Arbeitsbereich mit Änderungsprotokoll "
        "(ZIP mit einer JSON-Lines-Datei je Tabelle)."
    )
    st.download_button(
        "Sicherung herunterladen",
        data=deferred(lambda session: backup(session, actor=current_actor())),
        file_name=f"kooperationsraum-sicherung-{datetime.now():%Y-%m-%d-%H%M}.zip",
        mime="application/zip",
        icon=":material/backup:",
        key="backup.download",
        on_click="ignore",
    )
    st.subheader("Wiederherstellen")
    st.caption(
        "Nur in eine leere Datenbank mit derselben Schema-Version; vorhandene Daten werden "
        "nie überschrieben."
    )
    upload = st.file_uploader(
        "Sicherungsdatei (.zip)",
        type=["zip"],
        key=f"restore.file.{st.session_state.get(_RESTORE_UPLOAD, 0)}",
    )
    if upload is None:
        st.session_state.pop(_RESTORE_CONFIRM, None)
        return
    restore_review(upload.getvalue())


def restore_review(data: bytes) -> None:
    """What the backup holds, and the two-step confirmation before restoring it."""
    error = st.session_state.pop(_RESTORE_ERROR, None)
    if error:
        st.error(plain(error), icon=":material/error:")
    try:
        with st.spinner("Sicherung wird geprüft …"):
            manifest, _ = read_backup(data)
    except DomainError as exc:
        st.error(plain(exc.message), icon=":material/error:")
        return
    counts = manifest.get("row_counts", {})
    try:
        created = format_datetime(datetime.fromisoformat(str(manifest.get("created_at"))))
    except ValueError:
        created = str(manifest.get("created_at"))
    st.info(
        f"Sicherung vom {created} Uhr, Schema-Version {manifest.get('schema_revision')}, "
        f"{sum(counts.values())} Datensätze."
    )
    if not st.session_state.get(_RESTORE_CONFIRM):
        st.button(
            "Wiederherstellen …",
            key="restore.ask",
            on_click=lambda: st.session_state.update({_RESTORE_CONFIRM: True}),
        )
        return
    st.warning("Die Sicherung wirklich in diese Datenbank zurückspielen?")
    left, right = st.columns(2)
    left.button(
        "Ja, wiederherstellen",
        type="primary",
        key="restore.confirm_button",
        on_click=_restore,
        args=(data,),
    )
    right.button(
        "Abbrechen",
        key="restore.cancel",
        on_click=lambda: st.session_state.update({_RESTORE_CONFIRM: False}),
    )


def _restore(data: bytes) -> None:
    st.session_state[_RESTORE_CONFIRM] = False
    try:
        report = restore(get_engine(), data, actor=current_actor())
    except DomainError as exc:
        st.session_state[_RESTORE_ERROR] = exc.message
        return
    st.session_state[_RESTORE_UPLOAD] = st.session_state.get(_RESTORE_UPLOAD, 0) + 1
    st.cache_data.clear()
    flash(report.summary)
