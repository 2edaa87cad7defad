"""The Markdown report beside latest.json: the same figures as tables, misses first."""

from typing import Any

from bench.measure import RECORD_SUFFIX
from bench.targets import PAGE_MEDIAN_S, PAGE_P95_S, PEAK_RSS_MB

HOT_PAGES = 3


def _s(value: Any, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ms(value: Any) -> str:
    return "–" if value is None else f"{value * 1000:.1f}"


def _count(value: Any) -> str:
    return "–" if value is None else f"{value:,}"


def _mark(passed: bool) -> str:
    return "ok" if passed else "**MISSED**"


def _page_name(key: str, result: dict[str, Any]) -> str:
    if key.endswith(RECORD_SUFFIX):
        return f"{key.removesuffix(RECORD_SUFFIX)} (record {result.get('record_id')})"
    return key


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _pages(pages: dict[str, dict[str, Any]]) -> list[str]:
    rows = []
    for key, result in pages.items():
        if result.get("median_s") is None:
            rows.append([_page_name(key, result), *["–"] * 7, f"error: {result.get('error')}"])
            continue
        passed = (
            not result.get("error")
            and result["median_s"] < PAGE_MEDIAN_S
            and result["p95_s"] < PAGE_P95_S
            and result["peak_rss_mb"] < PEAK_RSS_MB
        )
        verdict = _mark(passed) + (f" (error: {result['error']})" if result.get("error") else "")
        rows.append(
            [
                _page_name(key, result),
                _s(result["median_s"]),
                _s(result["p95_s"]),
                _s(result["cold_s"]),
                str(len(result["runs_s"])),
                f"{result['queries']} / {_s(result['sql_s'])}",
                f"{result['peak_rss_mb']:.0f}",
                f"{result['peak_rss_mb'] - result['rss_before_mb']:.0f}",
                verdict,
            ]
        )
    head = [
        "page",
        "median s",
        "p95 s",
        "cold s",
        "runs",
        "SQL queries / s",
        "peak RSS MB",
        "of it the run MB",
        "target",
    ]
    return _table(head, rows)


def _export_and_aggregation(result: dict[str, Any]) -> list[str]:
    export, aggregation = result["export"], result["aggregation"]
    rows = [
        [
            "minutes CSV, all meetings",
            f"{_s(export['seconds'])} s",
            f"{_s(export['baseline_seconds'])} s",
            _s(export["ratio_to_baseline"], 2),
            f"{_count(export['rows'])} rows, {_count(export['rows_per_s'])} rows/s "
            f"(baseline {_count(export['baseline_rows_per_s'])}), {export['megabytes']} MB, "
            f"same bytes: {'yes' if export['same_output'] else 'NO'}",
        ],
        [
            "Themenfeld matrix (kind level)",
            f"{_ms(aggregation['seconds'])} ms",
            f"{_ms(aggregation['baseline_seconds'])} ms",
            _s(aggregation["ratio_to_baseline"], 2),
            f"{aggregation['cells']} cells, {_count(aggregation['organizations'])} "
            f"organizations on {aggregation['on']}, same cells: "
            f"{'yes' if aggregation['same_result'] else 'NO'}",
        ],
    ]
    return _table(["measure", "service", "plain SQL baseline", "ratio", "details"], rows)


def _growth(growth: dict[str, dict[str, Any]]) -> list[str]:
    scales = list(growth)
    lines = ["Data and the figures that should stay flat or grow linearly:", ""]
    rows = [
        ["rows in all tables", *(_count(growth[s]["rows_total"]) for s in scales)],
        *(
            [f"{table} rows", *(_count(growth[s]["rows"][table]) for s in scales)]
            for table in next(iter(growth.values()))["rows"]
        ),
        ["generation s", *(_s(growth[s]["generate_seconds"], 1) for s in scales)],
        ["export rows", *(_count(growth[s]["export_rows"]) for s in scales)],
        ["export s", *(_s(growth[s]["export_seconds"]) for s in scales)],
        ["export rows/s", *(_count(growth[s]["export_rows_per_s"]) for s in scales)],
        ["export baseline s", *(_s(growth[s]["export_baseline_seconds"]) for s in scales)],
        ["matrix ms", *(_ms(growth[s]["aggregation_seconds"]) for s in scales)],
        ["matrix GROUP BY ms", *(_ms(growth[s]["aggregation_baseline_seconds"]) for s in scales)],
        ["max peak RSS MB", *(_s(growth[s]["peak_rss_mb"], 0) for s in scales)],
    ]
    lines += _table(["", *scales], rows)
    lines += ["", "Page medians in seconds per scale:", ""]
    keys = list(growth[scales[-1]]["pages_median_s"])
    page_rows = []
    for key in keys:
        medians = [growth[s]["pages_median_s"].get(key) for s in scales]
        first, last = medians[0], medians[-1]
        factor = f"{last / first:.1f}×" if first and last else "–"
        page_rows.append([key, *(_s(value) for value in medians), factor])
    lines += _table(["page", *scales, f"{scales[-1]} / {scales[0]}"], page_rows)
    return lines


def _hot_spots(pages: dict[str, dict[str, Any]]) -> list[str]:
    ranked = sorted(
        (item for item in pages.items() if item[1].get("hot_spots")),
        key=lambda item: -(item[1].get("median_s") or 0),
    )
    slow = [item for item in ranked if (item[1].get("median_s") or 0) >= PAGE_MEDIAN_S]
    lines = []
    for key, result in slow if len(slow) > HOT_PAGES else ranked[:HOT_PAGES]:
        lines += [
            "",
            f"**{_page_name(key, result)}**: median {_s(result['median_s'])} s, "
            f"{result['queries']} SQL queries taking {_s(result['sql_s'])} s "
            f"(profile: `{result.get('profile', '')}`)",
            "",
        ]
        lines += _table(
            ["function", "calls", "cumulative s (profiled)"],
            [
                [f"`{spot['function']}`", str(spot["calls"]), _s(spot["cumulative_s"])]
                for spot in result["hot_spots"]
            ],
        )
    return lines


def _run(title: str, run: dict[str, Any]) -> list[str]:
    lines = []
    for scale, result in run["scales"].items():
        generated = "generated in this run" if result["generated_in_this_run"] else "reused"
        lines += [
            "",
            f"### {title}, {scale}",
            "",
            f"Workspace `{result['workspace']}` ({generated}; generation took "
            f"{_s(result['generate_seconds'], 1)} s on {result['generated_at'][:10]}).",
            "",
            *_pages(result["pages"]),
            "",
            *_export_and_aggregation(result),
        ]
    lines += ["", f"### {title}: growth", "", *_growth(run["growth"])]
    return lines


def markdown(document: dict[str, Any]) -> str:
    """The whole report."""
    machine = document["machine"]
    headline = f"{document['database']}, {document['scale']}"
    missed = [verdict for verdict in document["verdicts"] if not verdict["passed"]]
    lines = [
        "# Benchmark",
        "",
        f"Run {document['started_at']} for {document['duration_s']} s on commit "
        f"`{machine['git']['commit']}` ({machine['git']['uncommitted_files']} files uncommitted). "
        "Produced by `make bench` (`python -m bench.run`); the figures are in `latest.json`.",
        "",
        f"## Targets ({headline})",
        "",
        f"{len(document['verdicts']) - len(missed)} of {len(document['verdicts'])} targets met.",
        "",
    ]
    if missed:
        lines += _table(
            ["missed target", "value", "limit", "why"],
            [
                [verdict["target"], str(verdict["value"]), str(verdict["limit"]), verdict["why"]]
                for verdict in missed
            ],
        )
    lines += [
        "",
        "Pages: one AppTest run of the page script (inside a navigation that registers every "
        "page), signed in as administrator; each run a new browser session in one process per "
        "page. *cold* is the process's first run (the page's imports included), median and p95 "
        "are over the warm runs that follow. *peak RSS* is the page process's maximum resident "
        "memory (Python, Streamlit and the app included); *of it the run* is what came on top "
        "of the imports. Record views open the biggest record of their kind.",
        "",
        "Export and matrix: service and plain-SQL baseline alternate in the same process; the "
        "medians are compared. The baseline writes the same bytes and counts the same cells "
        "(checked: *same bytes*, *same cells*).",
        "",
        f"## Hot spots ({headline})",
        *_hot_spots(document["pages"]),
        "",
        "## SQLite",
        *_run("SQLite", document["runs"]["sqlite"]),
        "",
        "## PostgreSQL",
    ]
    postgres = document["runs"]["postgresql"]
    if "status" in postgres:
        lines += ["", f"PostgreSQL: {postgres['status']}."]
    else:
        pg_missed = [
            verdict
            for result in postgres["scales"].values()
            for verdict in result["verdicts"] + postgres["growth_verdicts"]
            if not verdict["passed"]
        ]
        lines += ["", f"{len(pg_missed)} targets missed (same limits as SQLite)."]
        lines += _run("PostgreSQL", postgres)
    lines += [
        "",
        "## Machine",
        "",
        *_table(
            ["", ""],
            [
                ["cores", str(machine["cores"])],
                ["memory", f"{machine['memory_gb']} GB"],
                ["load average at start", ", ".join(map(str, machine["load_average_at_start"]))],
                ["platform", machine["platform"]],
                ["Python", machine["python"]],
                ["SQLite", machine["sqlite"]],
                ["PostgreSQL", str(machine["postgresql"] or "–")],
                ["SQLAlchemy", machine["sqlalchemy"]],
                ["Streamlit", machine["streamlit"]],
            ],
        ),
        "",
    ]
    return "\n".join(lines)
