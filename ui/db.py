"""The app's database access: one engine per process, a short session per rerun."""

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from models.db import Settings, make_engine


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
