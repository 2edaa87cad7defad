"""The issue's performance targets, and the verdict on each with the reason for a miss.

The targets are set for germany scale on SQLite on the 2-core development machine; other
scales and PostgreSQL are judged against the same numbers for comparison.
"""

from typing import Any

PAGE_MEDIAN_S = 0.5
PAGE_P95_S = 1.0
EXPORT_RATIO = 1.5
AGGREGATION_RATIO = 1.2
PEAK_RSS_MB = 500.0
# "Flat": a page's median at the largest scale at most twice (or 0.1 s above) the smallest.
FLAT_FACTOR = 2.0
FLAT_SLACK_S = 0.1
# "Linear": the export's seconds per row at the largest scale within 1.5× of the next smaller.
LINEAR_FACTOR = 1.5

TARGETS = {
    "page_median_s": PAGE_MEDIAN_S,
    "page_p95_s": PAGE_P95_S,
    "export_ratio_to_baseline": EXPORT_RATIO,
    "aggregation_ratio_to_baseline": AGGREGATION_RATIO,
    "page_peak_rss_mb": PEAK_RSS_MB,
    "pages_flat_factor": FLAT_FACTOR,
    "pages_flat_slack_s": FLAT_SLACK_S,
    "export_linear_factor": LINEAR_FACTOR,
}


def _hot(result: dict[str, Any], count: int = 3) -> str:
    spots = result.get("hot_spots") or []
    if not spots:
        return ""
    named = ", ".join(f"{spot['function']} {spot['cumulative_s']:.2f} s" for spot in spots[:count])
    return f"; profile: {named}"


def page_reason(result: dict[str, Any]) -> str:
    """Where a page's time goes: SQL against Python, and the heaviest project functions."""
    median = result.get("median_s") or 0.0
    sql = result.get("sql_s") or 0.0
    share = 100 * sql / median if median else 0
    return (
        f"{result.get('queries', 0)} SQL queries taking {sql:.2f} s "
        f"({share:.0f} % of the run){_hot(result)}"
    )


def page_verdicts(key: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    """Median, p95 and peak memory of one page run against their targets."""
    if result.get("median_s") is None or result.get("error"):
        return [
            {
                "target": f"{key}: page runs without error",
                "value": None,
                "limit": None,
                "passed": False,
                "why": str(result.get("error")),
            }
        ]
    checks = [
        ("Median", result["median_s"], PAGE_MEDIAN_S, "s"),
        ("p95", result["p95_s"], PAGE_P95_S, "s"),
        ("peak RSS", result["peak_rss_mb"], PEAK_RSS_MB, "MB"),
    ]
    verdicts = []
    for name, value, limit, unit in checks:
        passed = value < limit
        why = ""
        if not passed:
            why = (
                page_reason(result)
                if unit == "s"
                else f"{result['rss_before_mb']:.0f} MB already before the first run"
            )
        verdicts.append(
            {
                "target": f"{key}: {name} < {limit:g} {unit}",
                "value": value,
                "limit": limit,
                "passed": passed,
                "why": why,
            }
        )
    return verdicts


def export_verdict(export: dict[str, Any]) -> dict[str, Any]:
    """The minutes export within 1.5× of its baseline."""
    ratio = export.get("ratio_to_baseline")
    passed = ratio is not None and ratio <= EXPORT_RATIO and export.get("same_output", False)
    why = ""
    if not export.get("same_output", False):
        why = "service and baseline do not write the same bytes"
    elif not passed:
        extra = export["seconds"] - export["baseline_seconds"]
        why = (
            f"{extra:.2f} s more than the same query written with csv.writer: Python work per "
            f"row (a dict per row, enums restored, each cell formatted){_hot(export)}"
        )
    return {
        "target": f"minutes export ≤ {EXPORT_RATIO:g}× baseline",
        "value": ratio,
        "limit": EXPORT_RATIO,
        "passed": passed,
        "why": why,
    }


def aggregation_verdict(aggregation: dict[str, Any]) -> dict[str, Any]:
    """The Themenfeld matrix within 1.2× of a plain GROUP BY."""
    ratio = aggregation.get("ratio_to_baseline")
    same = aggregation.get("same_result", False)
    passed = ratio is not None and ratio <= AGGREGATION_RATIO and same
    why = ""
    if not same:
        why = "service and GROUP BY count different cells"
    elif not passed:
        extra = aggregation["seconds"] - aggregation["baseline_seconds"]
        why = (
            f"{extra * 1000:.1f} ms more than the GROUP BY: one more query (organizations, "
            f"kinds, Länder counted to choose the level) and the DataFrame{_hot(aggregation)}"
        )
    return {
        "target": f"Themenfeld matrix ≤ {AGGREGATION_RATIO:g}× GROUP BY",
        "value": ratio,
        "limit": AGGREGATION_RATIO,
        "passed": passed,
        "why": why,
    }


def growth_verdicts(growth: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Pages flat from the smallest to the largest scale; the export linear in its rows."""
    scales = list(growth)
    if len(scales) < 2:
        return []
    small, large = growth[scales[0]], growth[scales[-1]]
    verdicts = []
    for key, median in large["pages_median_s"].items():
        before = small["pages_median_s"].get(key)
        if before is None or median is None:
            continue
        passed = median <= max(before * FLAT_FACTOR, before + FLAT_SLACK_S)
        verdicts.append(
            {
                "target": f"{key}: flat {scales[0]} → {scales[-1]}",
                "value": round(median / before, 2) if before else None,
                "limit": FLAT_FACTOR,
                "passed": passed,
                "why": ""
                if passed
                else f"{before:.3f} s → {median:.3f} s: the page's work grows with the data",
            }
        )
    previous = growth[scales[-2]]
    per_row_large = large.get("export_seconds_per_row")
    per_row_before = previous.get("export_seconds_per_row")
    if per_row_large and per_row_before:
        factor = per_row_large / per_row_before
        verdicts.append(
            {
                "target": f"export linear in rows ({scales[-2]} → {scales[-1]})",
                "value": round(factor, 2),
                "limit": LINEAR_FACTOR,
                "passed": factor <= LINEAR_FACTOR,
                "why": "" if factor <= LINEAR_FACTOR else "cost per row grows with the data",
            }
        )
    return verdicts
