"""The command line for data in and out: import, backup, restore."""

from pathlib import Path

import pytest
import typer
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from commands.data import register
from models import Organization
from models.db import make_engine
from services.database import migrate
from services.seed import load_demo_data


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _database(path: Path, monkeypatch: pytest.MonkeyPatch, *, demo: bool) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate(engine)
    if demo:
        with Session(engine) as session:
            load_demo_data(session)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _organizations(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = int(session.exec(select(func.count()).select_from(Organization)).one())
    engine.dispose()
    return count


def test_import_reports_errors_with_exit_code_1(
    cli: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _database(tmp_path / "a.db", monkeypatch, demo=False)
    file = tmp_path / "orgs.csv"
    file.write_bytes("Name;Art\r\nStadt Wismar;Hansestadt\r\n".encode("cp1252"))
    result = CliRunner().invoke(cli, ["import", "--kind", "organisationen", str(file)])
    assert result.exit_code == 1
    assert "Zeile 2, Spalte „Art“: „Hansestadt“ ist keine gültige Angabe" in result.output
    assert _organizations(url) == 0


def test_import_dry_run_then_import(
    cli: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _database(tmp_path / "a.db", monkeypatch, demo=False)
    file = tmp_path / "orgs.csv"
    file.write_text("name,kind,state,ags\nHansestadt Wismar,kreisfreie Stadt,MV,13074087\n")
    runner = CliRunner()
    dry = runner.invoke(cli, ["import", "--kind", "organisationen", str(file), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 neu" in dry.output
    assert "nichts gespeichert" in dry.output
    assert _organizations(url) == 0
    real = runner.invoke(cli, ["import", "--kind", "organisationen", str(file)])
    assert real.exit_code == 0, real.output
    assert "1 neu angelegt" in real.output
    assert _organizations(url) == 1


def test_backup_then_restore_into_an_empty_database(
    cli: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _database(tmp_path / "source.db", monkeypatch, demo=True)
    archive = tmp_path / "sicherung.zip"
    runner = CliRunner()
    saved = runner.invoke(cli, ["backup", "--output", str(archive)])
    assert saved.exit_code == 0, saved.output
    assert archive.exists()

    refused = runner.invoke(cli, ["restore", str(archive)])
    assert refused.exit_code == 1
    assert "Die Datenbank ist nicht leer" in refused.output

    target = _database(tmp_path / "target.db", monkeypatch, demo=False)
    restored = runner.invoke(cli, ["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "wiederhergestellt" in restored.output
    assert _organizations(target) == _organizations(source)
