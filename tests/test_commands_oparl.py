"""`export-oparl` and `export-ics` on a seeded database."""

import json
from pathlib import Path

import pytest
import typer
from icalendar import Calendar
from sqlmodel import Session
from typer.testing import CliRunner

from commands.oparl import register
from models.db import make_engine
from services.database import migrate
from services.seed import load_demo_data


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'oparl.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        load_demo_data(session)
    engine.dispose()
    return url


@pytest.fixture
def cli(database: str, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("DATABASE_URL", database)
    app = typer.Typer()
    register(app)
    return app


def test_export_oparl_writes_one_file_per_list(cli: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export-oparl", "--output", str(tmp_path), "--base-url", "https://x.example/kr"]
    )
    assert result.exit_code == 0, result.output
    assert "OParl-Dateien" in result.output
    system = json.loads((tmp_path / "system.json").read_text(encoding="utf-8"))
    assert system["id"] == "https://x.example/kr/oparl/v1/system"
    meetings = json.loads((tmp_path / "meeting.json").read_text(encoding="utf-8"))
    assert meetings["data"][0]["id"].startswith("https://x.example/kr/oparl/v1/meeting/")


def test_export_ics_for_a_meeting_and_a_committee(cli: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    single = runner.invoke(
        cli, ["export-ics", "--meeting", "1", "--output", str(tmp_path / "m.ics")]
    )
    assert single.exit_code == 0, single.output
    events = Calendar.from_ical((tmp_path / "m.ics").read_bytes()).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["meeting-1@kooperationsraum"]
    whole = runner.invoke(
        cli, ["export-ics", "--committee", "1", "--output", str(tmp_path / "c.ics")]
    )
    assert whole.exit_code == 0, whole.output
    assert Calendar.from_ical((tmp_path / "c.ics").read_bytes()).walk("VEVENT")


def test_export_ics_needs_exactly_one_of_meeting_or_committee(
    cli: typer.Typer, tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, ["export-ics", "--output", str(tmp_path / "x.ics")])
    assert result.exit_code == 2
    assert "genau eines" in result.output
    missing = CliRunner().invoke(
        cli, ["export-ics", "--meeting", "999", "--output", str(tmp_path / "y.ics")]
    )
    assert missing.exit_code == 1
    assert "Sitzung" in missing.output
    assert not (tmp_path / "y.ics").exists()
