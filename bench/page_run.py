"""One page, measured in a process of its own: `python -m bench.page_run PAGE [options]`.

A fresh process makes the first run a true cold start (the page's imports included) and its
peak resident memory the page's own. Every run is a fresh AppTest, i.e. a new browser session
signed in as the benchmark account; the process keeps only what Streamlit keeps across
sessions (the cached engine). Prints one JSON object on stdout.
"""

import argparse
import json
import os
import pstats
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Project code worth naming in a profile; a script's module level is its total, not a spot.
HOT_SPOT_DIRS = ("services", "ui", "models", "pages")


def entry_script(folder: Path, page: str, pages: dict[str, str], profile: Path | None) -> Path:
    """An app that registers every page (links resolve) and opens `page`; optionally profiled."""
    if not (folder / "pages").exists():
        (folder / "pages").symlink_to(ROOT / "pages", target_is_directory=True)
    registered = ", ".join(
        f"st.Page({path!r}, default={name == page})" for name, path in pages.items()
    )
    run = f"st.navigation([{registered}], position='hidden').run()"
    if profile is None:
        body = f"import streamlit as st\n\n{run}\n"
    else:
        # The script runs in AppTest's script thread; only a profiler started there sees it.
        body = (
            "import cProfile\n\nimport streamlit as st\n\n"
            "_profile = cProfile.Profile()\n_profile.enable()\ntry:\n"
            f"    {run}\nfinally:\n"
            f"    _profile.disable()\n    _profile.dump_stats({str(profile)!r})\n"
        )
    script = folder / f"entry_{page}{'_profiled' if profile else ''}.py"
    script.write_text(body)
    return script


class QueryCounter:
    """SQL statements and their execution time, for every engine in this process."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0
        self._started = threading.local()

    def install(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)

    def _before(self, *_args: Any) -> None:
        self._started.at = time.perf_counter()

    def _after(self, *_args: Any) -> None:
        self.queries += 1
        self.seconds += time.perf_counter() - getattr(self._started, "at", time.perf_counter())

    def take(self) -> tuple[int, float]:
        """Queries and SQL seconds since the last take."""
        taken = self.queries, self.seconds
        self.queries, self.seconds = 0, 0.0
        return taken


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    # ru_maxrss survives exec: a child started by vfork inherits its parent's peak, so on
    # Linux the high-water mark of our own address space (VmHWM) is read instead.
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile, interpolated between the nearest runs."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def hot_spots(profile: Path, limit: int = 8) -> list[dict[str, Any]]:
    """The project functions with the most cumulative time in a profiled run."""
    stats = pstats.Stats(str(profile))
    rows = []
    for (filename, line, name), entry in stats.stats.items():  # type: ignore[attr-defined]
        calls, cumulative = entry[1], entry[3]
        path = Path(filename)
        try:
            relative = path.resolve().relative_to(ROOT)
        except ValueError:
            continue
        if relative.parts[0] not in HOT_SPOT_DIRS or name == "<module>":
            continue
        module = ".".join(relative.with_suffix("").parts)
        rows.append(
            {
                "function": f"{module}.{name}",
                "line": line,
                "calls": calls,
                "cumulative_s": round(cumulative, 4),
            }
        )
    rows.sort(key=lambda row: -row["cumulative_s"])
    return rows[:limit]


def measure(
    page: str,
    *,
    account_id: int,
    record_id: int | None,
    repeats: int,
    slow_after: float,
    profile: Path | None,
    timeout: float,
) -> dict[str, Any]:
    """Cold run, warm runs, SQL per run, peak memory and (optionally) a profiled run."""
    from streamlit.testing.v1 import AppTest

    from models.base import utcnow
    from ui.links import PAGES
    from ui.session import AUTH

    counter = QueryCounter()
    counter.install()
    baseline_rss = rss_mb()
    folder = Path(tempfile.mkdtemp(prefix="bench_pages_"))
    script = entry_script(folder, page, PAGES, None)

    def run_once(path: Path) -> tuple[float, str | None]:
        at = AppTest.from_file(str(path), default_timeout=timeout)
        now = utcnow()
        at.session_state[AUTH] = {"account_id": account_id, "signed_in_at": now, "last_seen": now}
        if record_id is not None:
            at.query_params["id"] = str(record_id)
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
        problem = None
        if at.exception:
            problem = "; ".join(str(e.value)[:300] for e in at.exception)
        elif not at.title:
            problem = "kein Seitentitel: die Seite wurde nicht dargestellt"
        return seconds, problem

    cold, problem = run_once(script)
    cold_queries, cold_sql = counter.take()
    # A page that is already slow cold gets fewer warm runs, so a full bench stays bounded.
    planned = repeats if cold < slow_after else min(repeats, 3)
    runs: list[float] = []
    queries: list[int] = []
    sql: list[float] = []
    for _ in range(planned):
        seconds, warm_problem = run_once(script)
        problem = problem or warm_problem
        runs.append(seconds)
        count, sql_seconds = counter.take()
        queries.append(count)
        sql.append(sql_seconds)
    result: dict[str, Any] = {
        "page": page,
        "record_id": record_id,
        "cold_s": round(cold, 4),
        "cold_queries": cold_queries,
        "cold_sql_s": round(cold_sql, 4),
        "runs_s": [round(value, 4) for value in runs],
        "median_s": round(statistics.median(runs), 4),
        "p95_s": round(percentile(runs, 0.95), 4),
        "queries": int(statistics.median(queries)),
        "sql_s": round(statistics.median(sql), 4),
        "rss_before_mb": round(baseline_rss, 1),
        "peak_rss_mb": round(rss_mb(), 1),
        "error": problem,
    }
    if profile is not None:
        run_once(entry_script(folder, page, PAGES, profile))
        result["profile"] = str(profile)
        result["hot_spots"] = hot_spots(profile)
    return result


def main(argv: list[str] | None = None) -> None:
    """Command line of the per-page process (started by bench.run)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page")
    parser.add_argument("--account-id", type=int, required=True)
    parser.add_argument("--record-id", type=int)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--slow-after", type=float, default=3.0)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL fehlt: bench.run setzt sie für jede Seite.")
    result = measure(
        args.page,
        account_id=args.account_id,
        record_id=args.record_id,
        repeats=args.repeats,
        slow_after=args.slow_after,
        profile=args.profile,
        timeout=args.timeout,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
