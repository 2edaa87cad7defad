"""Schema migrations and the database's state, for manage.py and the app's start-up."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table)

PROJECT_DIR = Path(__file__).resolve().parent.parent


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic's configuration for this project, bound to `engine` when given."""
    config = Config(str(PROJECT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    config.attributes["configure_logger"] = False
    if engine is not None:
        # ConfigParser interpolates "%": a URL-encoded password would break the option.
        url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
        config.set_main_option("sqlalchemy.url", url)
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest schema (the only way tables are created)."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@cache
def head_revision() -> str | None:
    """The newest migration of this version of the code."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_is_current(engine: Engine) -> bool:
    """Whether the database carries the newest migration: one small query, for every page run."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current == head_revision()


@dataclass(frozen=True)
class DatabaseStatus:
    """What `manage.py check` reports."""

    url: str
    current_revision: str | None
    head_revision: str | None
    row_counts: dict[str, int]

    @property
    def up_to_date(self) -> bool:
        return self.current_revision == self.head_revision


def database_status(engine: Engine) -> DatabaseStatus:
    """Schema version against the newest migration, and the rows in every table."""
    head = head_revision()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        existing = set(inspect(connection).get_table_names())
        counts = {
            name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in sorted(SQLModel.metadata.tables.items())
            if name in existing
        }
    return DatabaseStatus(
        url=engine.url.render_as_string(hide_password=True),
        current_revision=current,
        head_revision=head,
        row_counts=counts,
    )
