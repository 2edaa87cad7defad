"""The benchmark's databases: one generated workspace per backend and scale, reused while the
generator and the schema are unchanged, with the account the page runs sign in as.

SQLite workspaces are files in bench/data/; PostgreSQL ones are schemas `bench_<scale>` in the
given database (selected with `-csearch_path`, like the test fixtures do), so generating never
touches the tables the app itself uses there.
"""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import Session

from models.db import PROJECT_DIR, make_engine, normalize_url
from models.enums import Role
from services import accounts
from services.actor import SYSTEM_ACTOR
from services.database import migrate
from services.generator import DEFAULT_SEED, DIRECTORY, TOPIC_FIELDS_FILE, generate

DATA_DIR = Path(__file__).resolve().parent / "data"
USERNAME = "bench"
PASSWORD = "ein-langes-benchpasswort"
# What the generated data depends on: a change to any of these means generating again.
GENERATOR_INPUTS = (PROJECT_DIR / "services" / "generator.py", DIRECTORY, TOPIC_FIELDS_FILE)

Log = Callable[[str], None]


@dataclass(frozen=True)
class Workspace:
    """A generated workspace ready to measure, and how it came to be."""

    database: str
    scale: str
    url: str
    signature: str
    generate_seconds: float
    generated_at: str
    generated_in_this_run: bool
    rows: dict[str, int]
    account_id: int
    # PostgreSQL's connection options that select the workspace's schema.
    options: str | None = None

    def engine(self) -> Engine:
        """A fresh engine on the workspace (dispose it after use)."""
        return _engine(self.url, self.options)

    def environment(self) -> dict[str, str]:
        """What a page process needs in its environment to open the workspace."""
        # libpq reads PGOPTIONS itself, so the app's own engine finds the schema unchanged.
        return {"DATABASE_URL": self.url, **({"PGOPTIONS": self.options} if self.options else {})}

    @property
    def shown_url(self) -> str:
        """The address without its password, for logs and the report."""
        shown = make_url(self.url).render_as_string(hide_password=True)
        return f"{shown} ({self.options})" if self.options else shown


def signature(scale: str, seed: int) -> str:
    """A hash of everything the generated rows depend on, besides the day they were made."""
    digest = hashlib.sha256(f"{scale}:{seed}".encode())
    for path in GENERATOR_INPUTS:
        digest.update(path.read_bytes())
    for migration in sorted((PROJECT_DIR / "migrations" / "versions").glob("*.py")):
        digest.update(migration.name.encode())
    return digest.hexdigest()[:16]


def sqlite_url(scale: str) -> str:
    """The file of the SQLite workspace of `scale`."""
    return f"sqlite:///{DATA_DIR / f'{scale}.sqlite'}"


def schema_name(scale: str) -> str:
    """The PostgreSQL schema that holds the workspace of `scale`."""
    return f"bench_{scale}"


def search_path(scale: str) -> str:
    """The connection options that make the workspace's schema the default one."""
    return f"-csearch_path={schema_name(scale)}"


def _engine(url: str, options: str | None) -> Engine:
    # The options go to the driver, not into the URL: Alembic's configuration cannot hold a
    # URL with percent-escapes in it.
    return make_engine(url, connect_args={"options": options}) if options else make_engine(url)


def _meta_path(database: str, scale: str) -> Path:
    return DATA_DIR / f"{database}_{scale}.json"


def _bench_account(url: str, options: str | None) -> int | None:
    """The id of the benchmark account, or None when the workspace is missing or incomplete."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return None
    engine = _engine(url, options)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                sa.text("SELECT id FROM user_account WHERE username = :name"), {"name": USERNAME}
            ).scalar()
    except sa.exc.DBAPIError:
        return None
    finally:
        engine.dispose()
    return int(found) if found is not None else None


def _clear(database: str, url: str, scale: str) -> None:
    if database == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        return
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema_name(scale)} CASCADE"))
            connection.execute(sa.text(f"CREATE SCHEMA {schema_name(scale)}"))
    finally:
        engine.dispose()


def _add_account(engine: Engine) -> int:
    with Session(engine) as session:
        account = accounts.create_account(
            session=session,
            actor=SYSTEM_ACTOR,
            data={"username": USERNAME, "display_name": "Benchmark", "role": Role.ADMIN},
            password=PASSWORD,
        )
        return int(account.id or 0)


def prepare(
    database: str,
    scale: str,
    *,
    base_url: str | None = None,
    seed: int = DEFAULT_SEED,
    regenerate: bool = False,
    log: Log = print,
) -> Workspace:
    """The workspace of `scale` on `database`: reused if its signature matches, else generated."""
    options = None
    if database == "sqlite":
        url = sqlite_url(scale)
    elif base_url is not None:
        url, options = normalize_url(base_url), search_path(scale)
    else:
        raise ValueError("PostgreSQL needs a base URL")
    expected = signature(scale, seed)
    meta_path = _meta_path(database, scale)
    meta: dict[str, Any] = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    account_id = _bench_account(url, options)
    if not regenerate and meta.get("signature") == expected and account_id is not None:
        log(f"{database}/{scale}: vorhandener Arbeitsbereich ({meta['generated_at']})")
        return Workspace(
            database=database,
            scale=scale,
            url=url,
            signature=expected,
            generate_seconds=float(meta["generate_seconds"]),
            generated_at=str(meta["generated_at"]),
            generated_in_this_run=False,
            rows=dict(meta["rows"]),
            account_id=account_id,
            options=options,
        )
    log(f"{database}/{scale}: erzeuge Arbeitsbereich …")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    meta_path.unlink(missing_ok=True)
    _clear(database, url, scale)
    engine = _engine(url, options)
    try:
        migrate(engine)
        started = time.perf_counter()
        report = generate(engine, scale=scale, seed=seed)
        seconds = time.perf_counter() - started
        account_id = _add_account(engine)
        if database == "sqlite":
            with engine.begin() as connection:
                # One file then carries everything; a later reader need not replay the WAL.
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            with engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    workspace = Workspace(
        database=database,
        scale=scale,
        url=url,
        signature=expected,
        generate_seconds=round(seconds, 3),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        generated_in_this_run=True,
        rows=report.rows,
        account_id=account_id,
        options=options,
    )
    saved = {k: v for k, v in asdict(workspace).items() if k not in {"url", "account_id"}}
    meta_path.write_text(json.dumps(saved, indent=2) + "\n")
    log(f"{database}/{scale}: {report.total:,} Zeilen in {seconds:.1f} s erzeugt")
    return workspace
