"""The administrators' command line: migrate, seed, check."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from manage import cli


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path


def test_check_reports_an_unmigrated_database(database: Path) -> None:
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "Schema-Version: (keine)" in result.output


def test_setup_migrates_seeds_once_and_check_counts_rows(database: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["setup"])
    assert first.exit_code == 0, first.output
    assert "Datensätze neu angelegt" in first.output
    second = runner.invoke(cli, ["setup"])
    assert "bereits Daten" in second.output
    again = runner.invoke(cli, ["seed"])
    assert "0 Datensätze neu angelegt" in again.output
    check = runner.invoke(cli, ["check"])
    assert check.exit_code == 0, check.output
    assert "Schema-Version: " in check.output
    committee_line = next(
        line for line in check.output.splitlines() if line.strip().startswith("committee ")
    )
    assert int(committee_line.split()[-1]) == 3
