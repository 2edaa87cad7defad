"""Alembic alone creates the tables, and the migrations match the models."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from models.db import make_engine
from services.database import database_status, migrate


def test_upgrade_to_head_on_an_empty_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate(engine)
    status = database_status(engine)
    assert status.up_to_date
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    assert all(count == 0 for count in status.row_counts.values())
    migrate(engine)  # running it again is a no-op
    assert database_status(engine).current_revision == status.head_revision


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_models_and_migrations_agree(backend: str, request: pytest.FixtureRequest) -> None:
    engine: Engine = request.getfixturevalue(f"{backend}_engine")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_sqlite_enforces_foreign_keys_on_every_connection(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fk.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
