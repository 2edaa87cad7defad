"""Beteiligung: the sunburst/treemap by Land, kind and organization, and its measures."""

import json
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.pages.apptest import page_app


def figure(at: AppTest) -> dict[str, Any]:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def table_values(at: AppTest, column: str) -> dict[str, int]:
    table = at.dataframe[0].value
    return dict(zip(table["Organisation"], table[column], strict=True))


def test_sunburst_of_participations_with_demo_data(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "participation").run()
    assert not at.exception
    assert at.title[0].value == "Beteiligung"
    trace = figure(at)["data"][0]
    assert trace["type"] == "sunburst"
    assert "s:bund" in trace["ids"]
    labels = dict(zip(trace["ids"], trace["labels"], strict=True))
    assert labels["s:bund"] == "Bund/überregional"
    assert labels["s:MV/k:land"] == "Land"
    assert len(at.get("download_button")) == 1
    assert "44 Beteiligungen von 34 Organisation(en)" in " ".join(c.value for c in at.caption)
    values = table_values(at, "Beteiligungen")
    assert len(values) == 34
    assert values["Bundesministerium des Innern, für Bau und Heimat"] == 3


def test_measures_charts_and_filters(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "participation").run()
    at.radio(key="participation.measure").set_value("seats").run()
    assert not at.exception
    seats = table_values(at, "Sitze")
    assert seats["Land Mecklenburg-Vorpommern"] == 3
    assert seats["Landkreistag Mecklenburg-Vorpommern"] == 2
    assert seats["Stadt Leipzig"] == 3

    at.radio(key="participation.measure").set_value("agreements").run()
    at.selectbox(key="participation.state").select("SN").run()
    assert table_values(at, "Vereinbarungen") == {
        "Landeshauptstadt Dresden": 1,
        "Sächsische Anstalt für kommunale Datenverarbeitung": 1,
        "Stadt Chemnitz": 1,
        "Stadt Leipzig": 1,
        "Zweckverband Kommunale Informationsverarbeitung Sachsen": 1,
    }
    assert figure(at)["data"][0]["ids"][0] == "s:SN"

    at.radio(key="participation.chart").set_value("treemap").run()
    assert figure(at)["data"][0]["type"] == "treemap"

    at.selectbox(key="participation.state").select("MV").run()
    at.number_input(key="participation.top").set_value(1).run()
    assert "Sonstige (zusammengefasst)" in figure(at)["data"][0]["labels"]


def test_empty_database_shows_a_hint_not_empty_axes(tmp_path: Path, database_url: str) -> None:
    at = page_app(tmp_path, "participation").run()
    assert not at.exception
    assert at.title[0].value == "Beteiligung"
    assert not at.get("plotly_chart")
    assert any("keine Beteiligung" in info.value for info in at.info)
    at.radio(key="participation.measure").set_value("seats").run()
    assert any("einen Sitz in einem Gremium" in info.value for info in at.info)
