"""The harness end to end at small scale with two pages: the JSON the issue asks for, the
report beside it, and a workspace generated once and then reused."""

import json
from pathlib import Path

import pytest

from bench import measure, run, workspace


@pytest.fixture
def bench_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Workspaces and profiles in a temporary folder; no PostgreSQL configured."""
    monkeypatch.setattr(workspace, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(run, "PROFILE_DIR", tmp_path / "data" / "profiles")
    monkeypatch.delenv("BENCH_POSTGRES_URL", raising=False)
    # Set, so a PostgreSQL address in a developer's .env does not count here.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    return tmp_path


def test_a_workspace_is_generated_once_then_reused(bench_data: Path) -> None:
    first = workspace.prepare("sqlite", "small", log=lambda _line: None)
    again = workspace.prepare("sqlite", "small", log=lambda _line: None)
    assert first.generated_in_this_run
    assert not again.generated_in_this_run
    assert (again.generate_seconds, again.rows, again.account_id) == (
        first.generate_seconds,
        first.rows,
        first.account_id,
    )
    assert first.rows["decision"] > 0
    forced = workspace.prepare("sqlite", "small", regenerate=True, log=lambda _line: None)
    assert forced.generated_in_this_run


def test_a_postgres_workspace_is_its_own_schema_for_page_processes() -> None:
    options = workspace.search_path("land")
    assert options == "-csearch_path=bench_land"
    found = workspace.Workspace(
        database="postgresql",
        scale="land",
        url="postgresql+psycopg://u:geheim@localhost/db",
        signature="s",
        generate_seconds=1.0,
        generated_at="2026-11-29",
        generated_in_this_run=False,
        rows={},
        account_id=1,
        options=options,
    )
    assert found.environment() == {
        "DATABASE_URL": "postgresql+psycopg://u:geheim@localhost/db",
        "PGOPTIONS": "-csearch_path=bench_land",
    }
    assert "geheim" not in found.shown_url
    assert found.shown_url.endswith("(-csearch_path=bench_land)")


def test_bench_writes_the_issues_json_and_a_report(
    bench_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(measure, "LIST_PAGES", ["overview"])
    monkeypatch.setattr(
        measure, "RECORD_QUERIES", {"committees": measure.RECORD_QUERIES["committees"]}
    )
    output = bench_data / "results"
    run.main(
        ["--scales", "small", "--repeats", "2", "--export-repeats", "1", "--output", str(output)]
    )

    document = json.loads((output / "latest.json").read_text())
    assert (document["scale"], document["database"]) == ("small", "sqlite")
    assert set(document["pages"]) == {"overview", "committees?id"}
    for result in document["pages"].values():
        assert result["error"] is None
        assert 0 < result["median_s"] <= result["p95_s"]
        assert len(result["runs_s"]) == 2
        assert result["peak_rss_mb"] >= result["rss_before_mb"] > 0
    assert document["pages"]["committees?id"]["record_id"] > 0
    export = document["export"]
    assert {"seconds", "rows", "baseline_seconds", "ratio_to_baseline"} <= set(export)
    assert export["same_output"]
    assert export["rows"] > 0
    aggregation = document["aggregation"]
    assert {"seconds", "baseline_seconds", "ratio_to_baseline"} <= set(aggregation)
    assert aggregation["same_result"]
    assert document["generate_seconds"] > 0
    assert document["peak_rss_mb"] == max(r["peak_rss_mb"] for r in document["pages"].values())
    assert list(document["growth"]) == ["small"]
    assert document["runs"]["postgresql"] == {"status": "not run (no DATABASE_URL)"}
    assert document["missed"] == [v["target"] for v in document["verdicts"] if not v["passed"]]

    report = (output / "latest.md").read_text()
    assert "PostgreSQL: not run (no DATABASE_URL)." in report
    assert "| overview |" in report
    assert "committees (record " in report
