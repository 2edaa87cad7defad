"""Verdicts against the issue's targets, and the reason a miss names."""

from typing import Any

from bench import targets


def page(median: float, p95: float, rss: float = 300.0, **extra: Any) -> dict[str, Any]:
    return {
        "median_s": median,
        "p95_s": p95,
        "peak_rss_mb": rss,
        "rss_before_mb": 200.0,
        "queries": 12,
        "sql_s": median / 2,
        "error": None,
        **extra,
    }


def test_a_fast_page_meets_every_target() -> None:
    verdicts = targets.page_verdicts("overview", page(0.2, 0.4))
    assert [verdict["passed"] for verdict in verdicts] == [True, True, True]


def test_a_slow_page_says_where_its_time_goes() -> None:
    hot = [{"function": "services.timeline.timeline_figure", "cumulative_s": 0.9}]
    verdicts = targets.page_verdicts("timeline", page(0.8, 1.2, rss=600.0, hot_spots=hot))
    assert [verdict["passed"] for verdict in verdicts] == [False, False, False]
    assert "12 SQL queries taking 0.40 s (50 %" in verdicts[0]["why"]
    assert "services.timeline.timeline_figure 0.90 s" in verdicts[0]["why"]
    assert "200 MB already before the first run" in verdicts[2]["why"]


def test_a_failing_page_is_a_miss() -> None:
    (verdict,) = targets.page_verdicts("audit", {"error": "KeyError: 'x'"})
    assert not verdict["passed"]
    assert verdict["why"] == "KeyError: 'x'"


def test_export_and_matrix_need_the_same_result_and_the_ratio() -> None:
    export = {"ratio_to_baseline": 1.2, "same_output": True, "seconds": 1.2, "baseline_seconds": 1}
    assert targets.export_verdict(export)["passed"]
    assert not targets.export_verdict({**export, "same_output": False})["passed"]
    slow = targets.export_verdict({**export, "ratio_to_baseline": 2.0, "seconds": 2.0})
    assert not slow["passed"]
    assert slow["why"].startswith("1.00 s more")
    matrix = {"ratio_to_baseline": 1.3, "same_result": True, "seconds": 0.013}
    assert not targets.aggregation_verdict({**matrix, "baseline_seconds": 0.01})["passed"]
    assert targets.aggregation_verdict({**matrix, "ratio_to_baseline": 1.1})["passed"]


def scale(pages: dict[str, float], per_row: float) -> dict[str, Any]:
    return {"pages_median_s": pages, "export_seconds_per_row": per_row}


def test_growth_flat_pages_and_linear_export() -> None:
    growth = {
        "small": scale({"overview": 0.2, "timeline": 0.1, "audit": 0.05}, 1e-5),
        "land": scale({"overview": 0.2, "timeline": 0.3, "audit": 0.1}, 1e-5),
        "germany": scale({"overview": 0.3, "timeline": 0.9, "audit": 0.14}, 2e-5),
    }
    verdicts = {verdict["target"]: verdict for verdict in targets.growth_verdicts(growth)}
    assert verdicts["overview: flat small → germany"]["passed"]
    # Tripled, but only 0.09 s more: still within the slack for very fast pages.
    assert verdicts["audit: flat small → germany"]["passed"]
    assert not verdicts["timeline: flat small → germany"]["passed"]
    linear = verdicts["export linear in rows (land → germany)"]
    assert (linear["value"], linear["passed"]) == (2.0, False)
    assert targets.growth_verdicts({"small": growth["small"]}) == []
