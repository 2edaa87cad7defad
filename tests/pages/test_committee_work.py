"""Gremienarbeit: the three charts with the demo data, the filters, and the empty database."""

import json
from datetime import date
from pathlib import Path

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Committee
from models.db import make_engine
from tests.pages.apptest import page_app
from ui.format import plain

LA = "Lenkungsausschuss E-Government Mecklenburg-Vorpommern"


def committee_id(url: str, name: str) -> int:
    with Session(make_engine(url)) as session:
        committee = session.exec(select(Committee).where(Committee.name == name)).one()
        assert committee.id is not None
        return committee.id


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def charts(at: AppTest) -> list[dict]:
    """The Plotly figures on the page, as the JSON the browser receives."""
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def trace_values(figure: dict, axis: str) -> list:
    return [value for trace in figure["data"] for value in trace.get(axis, [])]


def infos(at: AppTest) -> list[str]:
    return [info.value for info in at.info]


def test_demo_shows_the_committee_with_the_most_overdue_decisions(
    tmp_path: Path, demo_url: str
) -> None:
    at = page_app(tmp_path, "committee_work").run()
    assert not at.exception
    assert at.title[0].value == "Gremienarbeit"
    assert metrics(at) == {
        "Gremium mit den meisten überfälligen Beschlüssen": "LA E-Gov M-V",
        "überfällige Beschlüsse": "3",
        "offene Beschlüsse": "3",
    }
    assert at.metric[0].delta == "3 überfällig"
    assert plain(LA) in [caption.value for caption in at.caption]
    assert any("Demo" in caption.value for caption in at.caption)

    status, overdue, attendance = charts(at)
    names = {trace["name"]: trace for trace in status["data"]}
    assert names["überfällig"]["x"] == [3, 0, 0]
    assert names["überfällig"]["y"][0] == "LA E-Gov M-V"
    assert overdue["data"][0]["y"][-1] == 3  # today
    assert "Kerstin Weiss" in trace_values(attendance, "y")
    assert "Lena Platzhalter" not in trace_values(attendance, "y")
    downloads = at.get("download_button")
    assert [button.proto.label for button in downloads] == ["Daten als CSV (Excel)"] * 3
    # Nothing selected yet: each chart says how to see its records.
    assert sum("Klick oder Lasso" in text for text in infos(at)) == 3


def test_land_filter_narrows_committees_and_charts(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "committee_work").run()
    at.multiselect(key="committee_work.committees").select(committee_id(demo_url, LA)).run()
    assert metrics(at)["überfällige Beschlüsse"] == "3"
    # The Land filter drops the committee chosen before from the committee filter.
    at.multiselect(key="committee_work.states").select("SN").run()
    assert not at.exception
    assert at.multiselect(key="committee_work.committees").value == []
    assert at.multiselect(key="committee_work.committees").options == [
        "Ratsversammlung der Stadt Leipzig",
        "Spitzengespräch „Digitale Verwaltung Sachsen“",
    ]
    assert metrics(at)["Gremium mit den meisten überfälligen Beschlüssen"] == "keines"
    status, _, attendance = charts(at)
    assert "LA E-Gov M-V" not in trace_values(status, "y")
    assert "Michael Kretschmer" in trace_values(attendance, "y")
    assert "Kerstin Weiss" not in trace_values(attendance, "y")


def test_committee_without_due_dates_has_no_overdue_line(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "committee_work").run()
    council = committee_id(demo_url, "Ratsversammlung der Stadt Leipzig")
    at.multiselect(key="committee_work.committees").select(council).run()
    assert not at.exception
    assert any("Keine Beschlüsse mit Frist" in text for text in infos(at))
    assert len(at.get("plotly_chart")) == 2


def test_period_filters_meetings_and_decisions(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "committee_work").run()
    at.date_input(key="committee_work.period").set_value((date(2020, 1, 1), date.today())).run()
    assert not at.exception
    # Only the Umlaufverfahren of 2020 lies in the period: LA-2020/01, overdue; no attendance.
    assert at.metric[0].delta == "1 überfällig"
    assert any("Keine erfasste Anwesenheit" in text for text in infos(at))
    overdue = charts(at)[1]
    assert overdue["data"][0]["customdata"][0] == "2020-01-31"


def test_attendance_per_organization(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "committee_work").run()
    at.radio(key="committee_work.by").set_value("organization").run()
    assert not at.exception
    attendance = charts(at)[2]
    assert "Landkreistag Mecklenburg-Vorpommern" in trace_values(attendance, "y")
    rates = dict(zip(trace_values(attendance, "y"), trace_values(attendance, "x"), strict=True))
    assert rates["Landkreistag Mecklenburg-Vorpommern"] == 0.75


def test_empty_database_explains_every_section(tmp_path: Path, database_url: str) -> None:
    at = page_app(tmp_path, "committee_work").run()
    assert not at.exception
    assert at.title[0].value == "Gremienarbeit"
    assert not at.get("plotly_chart")
    assert not at.get("download_button")
    assert not at.metric
    texts = infos(at)
    assert any(text.startswith("Keine Beschlüsse in diesem Ausschnitt") for text in texts)
    assert any(text.startswith("Keine Beschlüsse mit Frist") for text in texts)
    assert any(text.startswith("Keine erfasste Anwesenheit") for text in texts)
