"""Databases for page tests: an empty migrated one and one with the demo data, per test.

Both are built once per test run as template files and copied for each test, so every
test starts from the same state without paying for migrations and the seed each time.
"""

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session

from models.db import make_engine
from services.database import migrate
from services.seed import load_demo_data


def _template(folder: Path, *, demo: bool) -> Path:
    path = folder / ("demo.db" if demo else "empty.db")
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    if demo:
        with Session(engine) as session:
            load_demo_data(session)
    with engine.begin() as connection:
        # Fold the WAL into the main file so one file copy carries everything.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {"empty": _template(folder, demo=False), "demo": _template(folder, demo=True)}


def _database(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "app.db"
    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def database_url(
    templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """An empty, migrated database that the app under test uses."""
    return _database(templates["empty"], tmp_path, monkeypatch)


@pytest.fixture
def demo_url(templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with the demo data that the app under test uses."""
    return _database(templates["demo"], tmp_path, monkeypatch)
