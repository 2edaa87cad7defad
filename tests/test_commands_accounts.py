"""`create-user`, `set-password` and `list-users` against a fresh database."""

from pathlib import Path

import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner

from commands.accounts import register
from models import Account, AuditEvent
from models.db import make_engine
from models.enums import Role
from services import accounts
from services.database import migrate


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def cli(database: str) -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _stored(url: str) -> list[Account]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = list(session.exec(select(Account)).all())
    engine.dispose()
    return rows


def test_create_user_asks_twice_and_stores_only_a_hash(cli: typer.Typer, database: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["create-user", "Jana", "--name", "Jana Muster", "--role", "secretariat"],
        input="ein-gutes-passwort\nein-gutes-passwort\n",
    )
    assert result.exit_code == 0, result.output
    assert "Konto „jana“ (Sekretariat) angelegt" in result.output
    [account] = _stored(database)
    assert account.role is Role.SECRETARIAT
    assert account.password_hash is not None
    assert account.password_hash.startswith("$argon2id$")
    assert "ein-gutes-passwort" not in result.output


def test_create_user_refuses_bad_input_with_a_german_message(
    cli: typer.Typer, database: str
) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["create-user", "jana", "--name", "J", "--role", "chef", "--password-stdin"],
        input="x\n",
    )
    assert result.exit_code == 2
    assert "„--role“: „chef“ ist unbekannt; erlaubt: admin, secretariat, reader." in result.output
    result = runner.invoke(
        cli, ["create-user", "jana", "--name", "J", "--password-stdin"], input="zu-kurz\n"
    )
    assert result.exit_code == 1
    assert "mindestens 12 Zeichen" in result.output
    assert _stored(database) == []


def test_set_password_and_list_users(cli: typer.Typer, database: str) -> None:
    runner = CliRunner()
    runner.invoke(
        cli,
        ["create-user", "leser", "--name", "Lea Leser", "--password-stdin"],
        input="erstes-passwort-123\n",
    )
    result = runner.invoke(
        cli, ["set-password", "Leser", "--password-stdin"], input="zweites-passwort-456\n"
    )
    assert result.exit_code == 0, result.output
    engine = make_engine(database)
    with Session(engine) as session:
        assert accounts.sign_in(session=session, username="leser", password="zweites-passwort-456")
        events = session.exec(select(AuditEvent.actor)).all()
    engine.dispose()
    assert set(events) >= {"system", "leser"}
    listing = runner.invoke(cli, ["list-users"])
    assert listing.exit_code == 0
    assert "leser" in listing.output
    assert "Lesend" in listing.output
    assert "Lea Leser" in listing.output
    missing = runner.invoke(cli, ["set-password", "niemand", "--password-stdin"], input="x\n")
    assert missing.exit_code == 1
    assert "Ein Konto „niemand“ gibt es nicht." in missing.output


def test_list_users_on_a_fresh_database(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["list-users"])
    assert "Noch keine Konten" in result.output
