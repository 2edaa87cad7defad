"""The import and backup panels of the Export page, run under AppTest on their own."""

from pathlib import Path

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Organization
from models.db import make_engine
from models.enums import Role
from services.actor import SYSTEM_ACTOR
from services.backup import backup
from tests.pages.apptest import page_app, signed_in


def _import_app(path: str, kind: str) -> None:
    from pathlib import Path

    from ui.exports.data import import_review
    from ui.session import show_flash

    show_flash()
    import_review(kind, Path(path).read_bytes(), Path(path).name)


def _restore_app(path: str) -> None:
    from pathlib import Path

    from ui.exports.data import restore_review
    from ui.session import show_flash

    show_flash()
    restore_review(Path(path).read_bytes())


def _panels_app() -> None:
    from ui.exports.data import backup_panel, import_panel

    import_panel()
    backup_panel()


def test_panels_render(demo_url: str) -> None:
    at = signed_in(AppTest.from_function(_panels_app, default_timeout=30)).run()
    assert not at.exception
    assert at.selectbox(key="import.kind").value == "organisationen"


def test_a_file_with_errors_shows_the_report_and_cannot_be_imported(
    database_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "personen.csv"
    file.write_bytes("Vorname;Name\r\nJana;Muster\r\n".encode("cp1252"))
    at = signed_in(
        AppTest.from_function(_import_app, args=(str(file), "personen"), default_timeout=30)
    ).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert (
        "Spalte „Name“ ist unbekannt; erwartet: Titel, Vorname, Nachname, Funktion, E-Mail, Organisation, Quelle."
        in errors
    )
    assert at.button(key="import.commit").disabled


def test_a_valid_file_is_previewed_then_imported(database_url: str, tmp_path: Path) -> None:
    file = tmp_path / "organisationen.csv"
    file.write_text(
        "Name;Art;Bundesland\r\nHansestadt Wismar;kreisfreie Stadt;Mecklenburg-Vorpommern\r\n"
    )
    at = signed_in(
        AppTest.from_function(_import_app, args=(str(file), "organisationen"), default_timeout=30)
    ).run()
    assert not at.exception
    assert "1 neu" in at.info[0].value
    assert at.dataframe[0].value["Status"].tolist() == ["neu"]
    at.button(key="import.commit").click().run()
    assert not at.exception
    assert "Organisationen: 1 neu angelegt" in at.success[0].value
    engine = make_engine(database_url)
    with Session(engine) as session:
        assert session.exec(select(Organization)).one().name == "Hansestadt Wismar"
    engine.dispose()
    # The same file again: everything matches, nothing to import.
    assert at.dataframe[0].value["Status"].tolist() == ["unverändert"]
    assert at.button(key="import.commit").disabled


def test_restore_asks_first_and_refuses_a_filled_database(demo_url: str, tmp_path: Path) -> None:
    engine = make_engine(demo_url)
    with Session(engine) as session:
        (tmp_path / "sicherung.zip").write_bytes(backup(session, actor=SYSTEM_ACTOR))
    engine.dispose()
    at = signed_in(
        AppTest.from_function(
            _restore_app, args=(str(tmp_path / "sicherung.zip"),), default_timeout=30
        )
    ).run()
    assert not at.exception
    assert "Datensätze" in at.info[0].value
    at.button(key="restore.ask").click().run()
    assert "wirklich" in at.warning[0].value
    at.button(key="restore.confirm_button").click().run()
    assert not at.exception
    assert any("Die Datenbank ist nicht leer" in e.value for e in at.error)


def test_export_page_panels_follow_the_role(demo_url: str, tmp_path: Path) -> None:
    tabs = {}
    for role in Role:
        at = page_app(tmp_path, "export", role).run()
        assert not at.exception
        tabs[role] = [tab.label for tab in at.tabs]
    assert tabs[Role.ADMIN] == ["Protokolle (CSV)", "OParl", "Import", "Sicherung"]
    assert tabs[Role.SECRETARIAT] == ["Protokolle (CSV)", "OParl", "Import"]
    assert tabs[Role.READER] == ["Protokolle (CSV)", "OParl"]


def test_panels_refuse_whoever_may_not_use_them(demo_url: str) -> None:
    at = signed_in(AppTest.from_function(_panels_app, default_timeout=30), Role.READER).run()
    assert not at.exception
    assert [b.key for b in at.button] == []
    assert "Nur lesend: Importieren können Administratoren und Sekretariate." in [
        c.value for c in at.caption
    ]
    at = signed_in(AppTest.from_function(_panels_app, default_timeout=30), Role.SECRETARIAT)
    at.run()
    assert at.selectbox(key="import.kind")
    assert "Sicherung und Wiederherstellung sind Administratoren vorbehalten." in [
        c.value for c in at.caption
    ]
