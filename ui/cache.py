"""Read-only query results cached until the data changes.

Every write goes through the one write path and leaves an audit event, so the newest
audit event's id is a version number of the whole workspace: a cache entry keyed by it
can never be stale, whichever process or command line wrote in between. Only queries
that return plain data (DataFrames, figures, pages of rows) are cached, never ORM objects.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import streamlit as st
from sqlmodel import Session, func, select

from models.audit import AuditEvent
from models.db import Settings
from ui.db import session_scope

P = ParamSpec("P")
T = TypeVar("T")


def data_version(session: Session) -> int:
    """The id of the newest audit event: it changes with every stored change."""
    return int(session.exec(select(func.max(AuditEvent.id))).one() or 0)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(
    version: int, database_url: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    # Streamlit keys the entry by every argument; `name` picks the query from the registry.
    with session_scope() as session:
        return _QUERIES[name](session, *args, **kwargs)


_QUERIES: dict[str, Callable[..., Any]] = {}


def cached(query: Callable[..., T], *, waiting: str = "Daten werden geladen …") -> Callable[..., T]:
    """Wrap a service query `query(session, ...)` so that pages call it as `query(...)`.

    The result is computed once per data version and arguments, and shared by all users.
    While it is computed, `waiting` shows as a spinner; Streamlit shows a spinner only after
    half a second, so answers from the cache and quick queries show none.
    """
    name = f"{query.__module__}.{query.__qualname__}"
    _QUERIES[name] = query

    @wraps(query)
    def call(*args: Any, **kwargs: Any) -> T:
        with session_scope() as session:
            version = data_version(session)
        with st.spinner(waiting):
            return _cached(version, Settings().database_url, name, args, kwargs)  # type: ignore[no-any-return]

    return call
