"""`export-minutes` and `export-niederschrift` on the demo database."""

import io
from pathlib import Path

import docx
import pandas as pd
import pytest
import typer
from sqlmodel import Session
from typer.testing import CliRunner

from commands.minutes import register
from models.db import make_engine
from services.database import migrate
from services.seed import load_demo_data


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Session(engine) as session:
        load_demo_data(session)
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture
def cli(demo_database: str, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("DATABASE_URL", demo_database)
    app = typer.Typer()
    register(app)
    return app


def test_export_minutes_of_one_meeting_as_excel(cli: typer.Typer, tmp_path: Path) -> None:
    output = tmp_path / "protokoll.csv"
    result = CliRunner().invoke(cli, ["export-minutes", "--meeting", "1", "--output", str(output)])
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
    assert list(frame["TOP"]) == ["1", "2", "3", "4", "5"]


def test_export_minutes_of_a_committee_period_as_rfc4180(cli: typer.Typer, tmp_path: Path) -> None:
    output = tmp_path / "protokolle.csv"
    args = ["export-minutes", "--committee", "1", "--since", "2019-01-01", "--until", "2019-12-31"]
    result = CliRunner().invoke(cli, [*args, "--dialect", "rfc4180", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "Export: 100 %" in result.output  # progress goes to stderr
    frame = pd.read_csv(output, dtype=str)
    assert frame.columns[0] == "committee"
    assert all(day.startswith("2019-") for day in frame["date"])


def test_export_attendance(cli: typer.Typer, tmp_path: Path) -> None:
    output = tmp_path / "anwesenheit.csv"
    result = CliRunner().invoke(
        cli, ["export-minutes", "--meeting", "1", "--attendance", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    header = output.read_bytes().decode("utf-8-sig").split("\r\n")[0]
    assert header == "Sitzung;Person;entsandt von;Rolle;Status;vertreten durch"


def test_unknown_ids_and_bad_options_give_german_errors(cli: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(cli, ["export-minutes", "--meeting", "999", "-o", str(tmp_path / "x")])
    assert unknown.exit_code == 1
    assert "Sitzung" in unknown.output
    assert "gibt es nicht" in unknown.output
    committee = runner.invoke(cli, ["export-minutes", "--committee", "999"])
    assert committee.exit_code == 1
    assert "gibt es nicht" in committee.output
    dialect = runner.invoke(cli, ["export-minutes", "--dialect", "latin1"])
    assert dialect.exit_code == 2
    assert "unbekannt" in dialect.output
    day = runner.invoke(cli, ["export-minutes", "--since", "31.02.2019"])
    assert day.exit_code == 2
    assert (
        "„--since“: „31.02.2019“ ist kein Datum im Format TT.MM.JJJJ oder JJJJ-MM-TT." in day.output
    )
    backwards = runner.invoke(
        cli, ["export-minutes", "--since", "10.04.2019", "--until", "2019-04-09"]
    )
    assert backwards.exit_code == 2
    assert "„--until“ liegt vor „--since“." in backwards.output
    niederschrift = runner.invoke(
        cli, ["export-niederschrift", "--meeting", "999", "-o", str(tmp_path / "n.docx")]
    )
    assert niederschrift.exit_code == 1
    assert "gibt es nicht" in niederschrift.output


def test_export_niederschrift_writes_a_word_file(cli: typer.Typer, tmp_path: Path) -> None:
    output = tmp_path / "niederschrift.docx"
    result = CliRunner().invoke(
        cli, ["export-niederschrift", "--meeting", "1", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(str(output))
    assert "Niederschrift der Sitzung Nr. 1" in [p.text for p in document.paragraphs]
