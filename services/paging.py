"""Lists that stay fast with thousands of rows: the database counts and slices, not Python."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.sql import Select
from sqlmodel import Session

# SQLModel's select() returns its own Select subclass; both are accepted.
from sqlmodel.sql._expression_select_cls import SelectBase

DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """One slice of a list and the size of the whole list."""

    rows: pd.DataFrame
    total: int
    limit: int
    offset: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.limit))


def fetch_page(
    session: Session,
    statement: Select[Any] | SelectBase[Any],
    to_row: Callable[[Any], dict[str, Any]],
    columns: list[str],
    *,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
    count: Select[Any] | SelectBase[Any] | None = None,
) -> Page:
    """Count all rows of `statement`, fetch one ordered slice and shape it as a DataFrame.

    `count`, a statement returning the number of rows, replaces the generic count when the
    list's joins and sort keys only shape the rows, not how many there are.
    """
    if count is None:
        count = select(func.count()).select_from(statement.order_by(None).subquery())
    total = session.execute(count)
    rows = [to_row(row) for row in session.execute(statement.limit(limit).offset(offset))]
    return Page(
        rows=pd.DataFrame(rows, columns=columns),
        total=int(total.scalar_one()),
        limit=limit,
        offset=offset,
    )
