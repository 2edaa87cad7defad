"""What the benchmark measures on one workspace: every page, the minutes export and the
Themenfeld matrix, the last two side by side with their plain-SQL baselines."""

import cProfile
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bench.baselines import matrix_baseline, minutes_csv_baseline
from bench.page_run import ROOT, hot_spots
from bench.workspace import Workspace
from services.minutes import minutes_csv
from services.participation import participation_matrix
from ui.links import PAGES

# The gate's pages are what a signed-out visitor sees; they read no workspace data.
GATE_PAGES = {"sign_in", "first_run"}
LIST_PAGES = [noun for noun in PAGES if noun not in GATE_PAGES]
# The records users open most, one of each; the biggest of its kind, so the figure is an
# upper bound: the committee with the most meetings, the meeting with the most agenda
# items, the decision with the most follow-up notes, the agreement with the most parties,
# the organization with the most persons.
RECORD_QUERIES = {
    "committees": "SELECT committee_id FROM meeting GROUP BY committee_id "
    "ORDER BY COUNT(*) DESC, committee_id LIMIT 1",
    "meetings": "SELECT meeting_id FROM agenda_item GROUP BY meeting_id "
    "ORDER BY COUNT(*) DESC, meeting_id LIMIT 1",
    "decisions": "SELECT decision_id FROM follow_up_note GROUP BY decision_id "
    "ORDER BY COUNT(*) DESC, decision_id LIMIT 1",
    "agreements": "SELECT agreement_id FROM agreement_party GROUP BY agreement_id "
    "ORDER BY COUNT(*) DESC, agreement_id LIMIT 1",
    "organizations": "SELECT organization_id FROM person WHERE organization_id IS NOT NULL "
    "GROUP BY organization_id ORDER BY COUNT(*) DESC, organization_id LIMIT 1",
}
RECORD_SUFFIX = "?id"

Log = Callable[[str], None]


def record_ids(engine: Engine) -> dict[str, int]:
    """The record each record view is measured on, per page."""
    with engine.connect() as connection:
        found = {
            page: connection.exec_driver_sql(query).scalar()
            for page, query in RECORD_QUERIES.items()
        }
    return {page: int(value) for page, value in found.items() if value is not None}


def page_runs(ids: dict[str, int]) -> list[tuple[str, str, int | None]]:
    """(key, page, record id) of every page run: each list page, then the record views."""
    runs: list[tuple[str, str, int | None]] = [(noun, noun, None) for noun in LIST_PAGES]
    runs += [(noun + RECORD_SUFFIX, noun, record_id) for noun, record_id in ids.items()]
    return runs


def measure_page(
    workspace: Workspace,
    page: str,
    record_id: int | None,
    *,
    repeats: int,
    profile: Path | None,
) -> dict[str, Any]:
    """Run bench.page_run for one page in its own process and return its figures."""
    command = [
        sys.executable,
        "-m",
        "bench.page_run",
        page,
        "--account-id",
        str(workspace.account_id),
        "--repeats",
        str(repeats),
    ]
    if record_id is not None:
        command += ["--record-id", str(record_id)]
    if profile is not None:
        command += ["--profile", str(profile)]
    environment = {**os.environ, **workspace.environment()}
    if workspace.options is None:
        environment.pop("PGOPTIONS", None)
    done = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return {"page": page, "record_id": record_id, "error": " | ".join(tail) or "kein Ergebnis"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def measure_pages(
    workspace: Workspace, *, repeats: int, profile_dir: Path | None, log: Log
) -> dict[str, dict[str, Any]]:
    """Every page run of the workspace, by key ("committees", "committees?id", …)."""
    engine = workspace.engine()
    try:
        ids = record_ids(engine)
    finally:
        engine.dispose()
    results = {}
    for key, page, record_id in page_runs(ids):
        profile = None
        if profile_dir is not None:
            profile_dir.mkdir(parents=True, exist_ok=True)
            name = key.replace(RECORD_SUFFIX, "_record")
            profile = profile_dir / f"{workspace.database}_{workspace.scale}_{name}.prof"
        result = measure_page(workspace, page, record_id, repeats=repeats, profile=profile)
        results[key] = result
        if result.get("median_s") is not None:
            log(
                f"  {key:<22} Median {result['median_s']:.3f} s, p95 {result['p95_s']:.3f} s, "
                f"kalt {result['cold_s']:.3f} s, {result['peak_rss_mb']:.0f} MB"
                + (f"  FEHLER: {result['error']}" if result.get("error") else "")
            )
        else:
            log(f"  {key:<22} FEHLER: {result.get('error')}")
    return results


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def _profiled(work: Callable[[], Any], path: Path) -> list[dict[str, Any]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    profiler = cProfile.Profile()
    profiler.runcall(work)
    profiler.dump_stats(str(path))
    return hot_spots(path)


def measure_export(
    workspace: Workspace, *, repeats: int, profile: Path | None = None
) -> dict[str, Any]:
    """The minutes CSV of all meetings against the plain-SQL baseline, alternating."""
    engine = workspace.engine()

    def service() -> bytes:
        with Session(engine) as session:
            return minutes_csv(session)

    def baseline() -> tuple[bytes, int]:
        with engine.connect() as connection:
            return minutes_csv_baseline(connection)

    try:
        service_times, baseline_times = [], []
        produced = expected = b""
        rows = 0
        for _ in range(repeats):
            seconds, produced = _timed(service)
            service_times.append(seconds)
            seconds, (expected, rows) = _timed(baseline)
            baseline_times.append(seconds)
        seconds, floor = statistics.median(service_times), statistics.median(baseline_times)
        result: dict[str, Any] = {
            "seconds": round(seconds, 4),
            "rows": rows,
            "rows_per_s": round(rows / seconds) if seconds else None,
            "megabytes": round(len(produced) / 1e6, 2),
            "baseline_seconds": round(floor, 4),
            "baseline_rows_per_s": round(rows / floor) if floor else None,
            "ratio_to_baseline": round(seconds / floor, 3) if floor else None,
            "same_output": produced == expected,
            "runs_s": [round(value, 4) for value in service_times],
            "baseline_runs_s": [round(value, 4) for value in baseline_times],
        }
        if profile is not None:
            result["hot_spots"] = _profiled(service, profile)
        return result
    finally:
        engine.dispose()


def _matrix_cells(frame: Any) -> list[tuple[str, int, int, str, int]]:
    return sorted(
        (
            str(row.row_key),
            int(row.topic_field_id),
            int(row.topic_field_number),
            str(row.topic_field),
            int(row.count),
        )
        for row in frame.itertuples()
    )


def measure_aggregation(
    workspace: Workspace, *, repeats: int, on: date, profile: Path | None = None
) -> dict[str, Any]:
    """The Themenfeld matrix (kind level, no filters) against a plain GROUP BY, alternating."""
    engine = workspace.engine()

    def service() -> Any:
        with Session(engine) as session:
            return participation_matrix(session, on=on)

    def baseline() -> list[tuple[str, int, int, str, int]]:
        with engine.connect() as connection:
            return matrix_baseline(connection, on=on)

    try:
        frame, cells = service(), baseline()  # warm-up, and the results to compare
        service_times: list[float] = []
        baseline_times: list[float] = []
        for _ in range(repeats):
            service_times.append(_timed(service)[0])
            baseline_times.append(_timed(baseline)[0])
        seconds, floor = statistics.median(service_times), statistics.median(baseline_times)
        result: dict[str, Any] = {
            "seconds": round(seconds, 5),
            "baseline_seconds": round(floor, 5),
            "ratio_to_baseline": round(seconds / floor, 3) if floor else None,
            "level": frame.attrs.get("level"),
            "cells": len(cells),
            "organizations": frame.attrs.get("organizations"),
            "same_result": frame.attrs.get("level") == "kind"
            and _matrix_cells(frame) == sorted(cells),
            "on": on.isoformat(),
            "runs_s": [round(value, 5) for value in service_times],
            "baseline_runs_s": [round(value, 5) for value in baseline_times],
        }
        if profile is not None:
            result["hot_spots"] = _profiled(service, profile)
        return result
    finally:
        engine.dispose()
