"""`export-audit` on a database with a known trail."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from sqlmodel import Session
from typer.testing import CliRunner

from commands.audit import register
from models import AuditEvent
from models.db import make_engine
from models.enums import AuditAction
from services.database import migrate

HEADER = ["Zeitpunkt", "Benutzer", "Objektart", "Objekt-ID", "Aktion", "Feld", "alter Wert"]


@pytest.fixture(scope="module")
def trail_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "trail.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Session(engine) as session:
        # 23:30 UTC on 31.03. is already 01.04. in Germany (summer time: 01:30).
        for at, actor, action, changes in (
            (
                datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
                "anna",
                AuditAction.CREATE,
                {"name": [None, "A"]},
            ),
            (
                datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
                "bernd",
                AuditAction.UPDATE,
                {"name": ["A", "B"], "state": ["SN", None]},
            ),
            (datetime(2026, 4, 2, 9, 0, tzinfo=UTC), "anna", AuditAction.SIGN_OUT, {}),
        ):
            session.add(
                AuditEvent(
                    at=at,
                    actor=actor,
                    entity="organization",
                    entity_id=7,
                    action=action,
                    changes=changes,
                )
            )
        session.commit()
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture
def cli(trail_database: str, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("DATABASE_URL", trail_database)
    # A callback keeps the command a sub-command, as in manage.py (one command would be the app).
    app = typer.Typer(callback=lambda: None)
    register(app)
    return app


def rows(data: bytes, delimiter: str = ";") -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_export_period_and_actor_as_excel(cli: typer.Typer, tmp_path: Path) -> None:
    output = tmp_path / "protokoll.csv"
    result = CliRunner().invoke(
        cli,
        [
            *("export-audit", "--from", "01.04.2026", "--to", "01.04.2026"),
            *("--actor", "bernd", "--output", str(output)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Bytes geschrieben nach" in result.output
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = rows(data)
    assert table[0][:7] == HEADER
    assert table[1:] == [
        ["01.04.2026 01:30", "bernd", "Organisation", "7", "geändert", "Name", "A", "B"],
        ["01.04.2026 01:30", "bernd", "Organisation", "7", "geändert", "Bundesland", "Sachsen", ""],
    ]


def test_everything_as_rfc4180_on_standard_output(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["export-audit", "--dialect", "rfc4180"])
    assert result.exit_code == 0, result.output
    table = rows(result.stdout_bytes, ",")
    assert table[0] == [
        "at",
        "actor",
        "entity",
        "entity_id",
        "action",
        "field",
        "old_value",
        "new_value",
    ]
    assert [row[4] for row in table[1:]] == ["create", "update", "update", "sign_out"]
    assert table[-1] == [
        "2026-04-02T09:00+00:00",
        "anna",
        "organization",
        "7",
        "sign_out",
        "",
        "",
        "",
    ]


def test_filter_by_action(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["export-audit", "--action", "sign_out"])
    assert result.exit_code == 0, result.output
    assert [row[4] for row in rows(result.stdout_bytes)[1:]] == ["abgemeldet"]


def test_bad_options_give_german_errors(cli: typer.Typer) -> None:
    runner = CliRunner()
    day = runner.invoke(cli, ["export-audit", "--from", "2026-13-01"])
    assert day.exit_code == 2
    assert "kein Datum im Format TT.MM.JJJJ" in day.output
    order = runner.invoke(cli, ["export-audit", "--from", "02.04.2026", "--to", "01.04.2026"])
    assert order.exit_code == 2
    assert "„--to“ liegt vor „--from“" in order.output
    dialect = runner.invoke(cli, ["export-audit", "--dialect", "latin1"])
    assert dialect.exit_code == 2
    assert "unbekannt" in dialect.output
    action = runner.invoke(cli, ["export-audit", "--action", "delete-all"])
    assert action.exit_code == 2
    assert "sign_in" in action.output
