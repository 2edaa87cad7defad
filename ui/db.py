"""The app's database access: one engine per process, a short session per rerun."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from models.db import Settings, make_engine
from services.database import schema_is_current


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    """The engine for the configured DATABASE_URL (read on every rerun, created once)."""
    return _engine(Settings().database_url)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session for one page run; never cached, never shared between users."""
    with Session(get_engine()) as session:
        yield session


def deferred(build: Callable[[Session], bytes]) -> Callable[[], bytes]:
    """`build(session)` as a download button's data: run only when the button is clicked.

    Streamlit runs it off the script's thread, so it opens a session of its own; writing a
    large file on every rerun would cost more than the rest of the page.
    """
    engine = get_engine()

    def run() -> bytes:
        with Session(engine) as session:
            return build(session)

    return run


# Databases seen at the newest migration by this process.
_CURRENT: set[str] = set()


def schema_ready() -> bool:
    """Whether the database carries the newest migration.

    Asked on every page run until the answer is yes, then trusted: migrations only move
    forward, and a restore takes only a backup of the same schema version.
    """
    url = Settings().database_url
    if url not in _CURRENT and schema_is_current(get_engine()):
        _CURRENT.add(url)
    return url in _CURRENT
