"""Databases for page tests, per test: migrated ones with the three test accounts, empty or
with the demo data, and a blank one without any account (the first start).

All are built once per test run as template files and copied for each test, so every
test starts from the same state without paying for migrations and the seed each time.
"""

import shutil
from pathlib import Path

import pytest

from tests.workspaces import KINDS, build_workspace


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {kind: build_workspace(folder / f"{kind}.db", kind) for kind in KINDS}


def _database(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "app.db"
    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def blank_url(templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated database without any account: the app starts with its Ersteinrichtung."""
    return _database(templates["blank"], tmp_path, monkeypatch)


@pytest.fixture
def database_url(
    templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A migrated database with only the three test accounts, used by the app under test."""
    return _database(templates["empty"], tmp_path, monkeypatch)


@pytest.fixture
def demo_url(templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with the demo data that the app under test uses."""
    return _database(templates["demo"], tmp_path, monkeypatch)
