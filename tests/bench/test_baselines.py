"""The baselines do the services' work and no more: same bytes, same cells, on every backend."""

import csv
import io
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bench.baselines import matrix_baseline, minutes_csv_baseline
from bench.measure import RECORD_QUERIES, page_runs, record_ids
from models import Agreement, Committee, Decision, Meeting, Organization
from services.generator import generate
from services.minutes import minutes_csv
from services.participation import participation_matrix
from tests.conftest import BACKENDS, _empty

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module", params=BACKENDS)
def workspace(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A small generated workspace, once per backend for this module."""
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    _empty(engine)
    generate(engine, scale="small", seed=11, today=TODAY)
    yield engine
    _empty(engine)


def test_minutes_baseline_writes_the_services_bytes(workspace: Engine) -> None:
    with Session(workspace) as session:
        produced = minutes_csv(session)
    with workspace.connect() as connection:
        expected, rows = minutes_csv_baseline(connection)
    assert expected == produced
    records = list(csv.reader(io.StringIO(expected.decode("utf-8-sig")), delimiter=";"))
    assert rows == len(records) - 1 > 1_000
    # Both kinds of rows are in it: agenda items with decisions and Umlauf decisions.
    assert any(record[7] == "" and record[10] for record in records[1:])
    assert any(record[7] and record[10] for record in records[1:])


def test_matrix_baseline_counts_the_services_cells(workspace: Engine) -> None:
    with Session(workspace) as session:
        frame = participation_matrix(session, on=TODAY)
    with workspace.connect() as connection:
        cells = matrix_baseline(connection, on=TODAY)
    assert frame.attrs["level"] == "kind"
    service = sorted(
        (row.row_key, row.topic_field_id, row.topic_field_number, row.topic_field, row.count)
        for row in frame.itertuples()
    )
    assert service == sorted(cells)
    assert sum(count for *_cell, count in cells) > len(cells)


def test_record_views_open_the_biggest_record_of_each_kind(workspace: Engine) -> None:
    ids = record_ids(workspace)
    assert set(ids) == set(RECORD_QUERIES)
    models = {
        "committees": Committee,
        "meetings": Meeting,
        "decisions": Decision,
        "agreements": Agreement,
        "organizations": Organization,
    }
    with Session(workspace) as session:
        for page, record_id in ids.items():
            assert session.get(models[page], record_id) is not None, page
    with workspace.connect() as connection:
        meetings: dict[int, int] = dict(
            connection.exec_driver_sql(
                "SELECT committee_id, COUNT(*) FROM meeting GROUP BY committee_id"
            ).all()
        )
    assert meetings[ids["committees"]] == max(meetings.values())
    keys = [key for key, _page, _id in page_runs(ids)]
    assert "committees?id" in keys
    assert not {"sign_in", "first_run"} & set(keys)
