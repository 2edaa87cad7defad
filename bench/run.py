"""`python -m bench.run`: measure every scale on SQLite (and PostgreSQL when configured) and
write bench/results/latest.json and latest.md.

PostgreSQL is measured when BENCH_POSTGRES_URL, or else the app's DATABASE_URL (environment or
.env), names a PostgreSQL database; the workspaces go into schemas `bench_<scale>` there.
"""

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import measure, targets
from bench.report import markdown
from bench.workspace import DATA_DIR, Workspace, prepare
from models.db import Settings, normalize_url
from services.generator import SCALES

RESULTS_DIR = Path(__file__).resolve().parent / "results"
PROFILE_DIR = DATA_DIR / "profiles"
SCALE_ORDER = list(reversed(SCALES))  # small, land, germany
RECORDED_TABLES = ("organization", "person", "committee", "meeting", "agenda_item", "decision")


def log(message: str) -> None:
    """Progress on stderr, so stdout stays free for whoever calls us."""
    print(message, file=sys.stderr, flush=True)


def postgres_base_url() -> str | None:
    """The PostgreSQL database to measure too: BENCH_POSTGRES_URL, else the app's DATABASE_URL."""
    url = os.environ.get("BENCH_POSTGRES_URL") or Settings().database_url
    return url if normalize_url(url).startswith("postgresql") else None


def _scales(text: str) -> list[str]:
    chosen = [scale.strip() for scale in text.split(",") if scale.strip()]
    unknown = [scale for scale in chosen if scale not in SCALES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unbekannter Umfang: {', '.join(unknown) or text}")
    return sorted(chosen, key=SCALE_ORDER.index)


def measure_scale(
    workspace: Workspace,
    *,
    repeats: int,
    export_repeats: int,
    profile: bool,
    on: date,
) -> dict[str, Any]:
    """Everything measured on one workspace, with the verdicts against the targets."""
    log(f"{workspace.database}/{workspace.scale}: Seiten")
    profile_dir = PROFILE_DIR if profile else None
    pages = measure.measure_pages(workspace, repeats=repeats, profile_dir=profile_dir, log=log)
    log(f"{workspace.database}/{workspace.scale}: Protokoll-Export")
    export = measure.measure_export(workspace, repeats=export_repeats)
    log(
        f"  {export['seconds']:.2f} s ({export['rows']:,} Zeilen), "
        f"Basislinie {export['baseline_seconds']:.2f} s, Faktor {export['ratio_to_baseline']}"
    )
    log(f"{workspace.database}/{workspace.scale}: Themenfeld-Matrix")
    aggregation = measure.measure_aggregation(workspace, repeats=max(repeats, 7), on=on)
    log(
        f"  {aggregation['seconds'] * 1000:.1f} ms, GROUP BY "
        f"{aggregation['baseline_seconds'] * 1000:.1f} ms, "
        f"Faktor {aggregation['ratio_to_baseline']}"
    )
    stem = PROFILE_DIR / f"{workspace.database}_{workspace.scale}"
    # A missed target gets a profile of the service, so the report can say where time goes.
    if (
        profile
        and export["ratio_to_baseline"]
        and export["ratio_to_baseline"] > targets.EXPORT_RATIO
    ):
        export["hot_spots"] = measure.measure_export(
            workspace, repeats=1, profile=Path(f"{stem}_export.prof")
        )["hot_spots"]
    if profile and (aggregation["ratio_to_baseline"] or 0) > targets.AGGREGATION_RATIO:
        aggregation["hot_spots"] = measure.measure_aggregation(
            workspace, repeats=1, on=on, profile=Path(f"{stem}_aggregation.prof")
        )["hot_spots"]
    measured = [result for result in pages.values() if result.get("peak_rss_mb") is not None]
    verdicts = [
        verdict for key, result in pages.items() for verdict in targets.page_verdicts(key, result)
    ]
    verdicts += [targets.export_verdict(export), targets.aggregation_verdict(aggregation)]
    return {
        "scale": workspace.scale,
        "database": workspace.database,
        "workspace": workspace.shown_url,
        "generate_seconds": workspace.generate_seconds,
        "generated_at": workspace.generated_at,
        "generated_in_this_run": workspace.generated_in_this_run,
        "rows": workspace.rows,
        "pages": pages,
        "export": export,
        "aggregation": aggregation,
        "peak_rss_mb": max((result["peak_rss_mb"] for result in measured), default=None),
        "verdicts": verdicts,
    }


def growth(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per scale, the figures whose growth with the data the issue asks about."""
    table: dict[str, dict[str, Any]] = {}
    for scale, result in results.items():
        export = result["export"]
        table[scale] = {
            "rows_total": sum(result["rows"].values()),
            "rows": {name: result["rows"].get(name, 0) for name in RECORDED_TABLES},
            "generate_seconds": result["generate_seconds"],
            "pages_median_s": {key: page.get("median_s") for key, page in result["pages"].items()},
            "pages_p95_s": {key: page.get("p95_s") for key, page in result["pages"].items()},
            "export_seconds": export["seconds"],
            "export_rows": export["rows"],
            "export_rows_per_s": export["rows_per_s"],
            "export_seconds_per_row": export["seconds"] / export["rows"]
            if export["rows"]
            else None,
            "export_baseline_seconds": export["baseline_seconds"],
            "aggregation_seconds": result["aggregation"]["seconds"],
            "aggregation_baseline_seconds": result["aggregation"]["baseline_seconds"],
            "peak_rss_mb": result["peak_rss_mb"],
        }
    return table


def _git() -> dict[str, Any]:
    def output(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True
        )
        return done.stdout.strip()

    changed = [line for line in output("status", "--porcelain").splitlines() if line]
    return {"commit": output("rev-parse", "--short", "HEAD"), "uncommitted_files": len(changed)}


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def machine(postgres_version: str | None) -> dict[str, Any]:
    """What the figures were measured on."""
    import streamlit

    return {
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version,
        "sqlalchemy": sa.__version__,
        "streamlit": streamlit.__version__,
        "git": _git(),
    }


def _postgres_version(url: str) -> str | None:
    engine = sa.create_engine(normalize_url(url))
    try:
        with engine.connect() as connection:
            return str(connection.exec_driver_sql("SHOW server_version").scalar())
    except sa.exc.DBAPIError:
        return None
    finally:
        engine.dispose()


def run_database(
    database: str,
    scales: list[str],
    args: argparse.Namespace,
    base_url: str | None = None,
) -> dict[str, Any]:
    """All chosen scales of one backend, the largest profiled."""
    results = {}
    for scale in scales:
        workspace = prepare(database, scale, base_url=base_url, regenerate=args.regenerate, log=log)
        results[scale] = measure_scale(
            workspace,
            repeats=args.repeats,
            export_repeats=args.export_repeats,
            profile=scale == scales[-1],
            on=date.today(),
        )
    table = growth(results)
    return {
        "scales": results,
        "growth": table,
        "growth_verdicts": targets.growth_verdicts(table),
    }


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Run the benchmark and return the result document."""
    started = time.perf_counter()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    base_url = postgres_base_url()
    postgres_version = _postgres_version(base_url) if base_url else None
    info = machine(postgres_version)
    runs: dict[str, Any] = {"sqlite": run_database("sqlite", args.scales, args)}
    if base_url is None:
        runs["postgresql"] = {"status": "not run (no DATABASE_URL)"}
    elif postgres_version is None:
        runs["postgresql"] = {"status": "not run (PostgreSQL not reachable)"}
    else:
        runs["postgresql"] = run_database(
            "postgresql", args.pg_scales or args.scales, args, base_url
        )
    headline_run = runs["sqlite"]
    scale = args.scales[-1]
    headline = headline_run["scales"][scale]
    verdicts = headline["verdicts"] + headline_run["growth_verdicts"]
    return {
        "scale": scale,
        "database": "sqlite",
        "pages": headline["pages"],
        "export": headline["export"],
        "aggregation": headline["aggregation"],
        "generate_seconds": headline["generate_seconds"],
        "peak_rss_mb": headline["peak_rss_mb"],
        "growth": headline_run["growth"],
        "targets": targets.TARGETS,
        "verdicts": verdicts,
        "missed": [verdict["target"] for verdict in verdicts if not verdict["passed"]],
        "runs": runs,
        "machine": info,
        "settings": {
            "repeats": args.repeats,
            "export_repeats": args.export_repeats,
            "scales": args.scales,
            "postgres_scales": args.pg_scales or args.scales,
        },
        "started_at": started_at,
        "duration_s": round(time.perf_counter() - started, 1),
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--scales", type=_scales, default=SCALE_ORDER, help="small,land,germany")
    parser.add_argument("--pg-scales", type=_scales, default=None, help="default: --scales")
    parser.add_argument("--repeats", type=int, default=7, help="warm runs per page")
    parser.add_argument("--export-repeats", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true", help="generate even if current")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run, then write latest.json and latest.md."""
    args = parse(argv)
    document = build(args)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "latest.json").write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    )
    (args.output / "latest.md").write_text(markdown(document))
    log(f"Ergebnis: {args.output / 'latest.json'} und latest.md ({document['duration_s']} s)")
    for target in document["missed"]:
        log(f"  verfehlt: {target}")


if __name__ == "__main__":
    main()
