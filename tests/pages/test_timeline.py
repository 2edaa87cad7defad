"""Zeitleiste: events with the demo data, the filters, the monthly view and the empty states."""

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import page_app


def events_table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def trace_names(at: AppTest) -> list[str]:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return [trace["name"] for trace in json.loads(charts[0].proto.spec)["data"]]


def test_demo_timeline_shows_every_event_with_flags(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "timeline").run()
    assert not at.exception
    assert at.title[0].value == "Zeitleiste"
    assert trace_names(at) == [
        "Sitzung",
        "Vereinbarung geschlossen",
        "Zieltermin",
        "Zustimmung",
        "Beschlussfrist",
        "⚠ überfällig / nach Zieltermin",
    ]
    table = events_table(at)
    assert len(table) == 18
    assert list(table.columns) == [
        "Datum",
        "Ereignis",
        "Hinweis",
        "Gremium/Vereinbarung",
        "Bezeichnung",
        "Stand",
        "Bundesland",
    ]
    late = table[table["Hinweis"] == "nach Zieltermin"]
    assert late[["Datum", "Gremium/Vereinbarung", "Bezeichnung"]].values.tolist() == [
        ["04.09.2019", "Gründung der KOMM24 GmbH", "Leipzig: Ratsversammlung der Stadt Leipzig"]
    ]
    komm24 = table[table["Gremium/Vereinbarung"] == "Gründung der KOMM24 GmbH"]
    assert komm24[["Datum", "Ereignis"]].values.tolist() == [
        ["09.04.2019", "Vereinbarung geschlossen"],
        ["01.07.2019", "Zieltermin"],
        ["04.09.2019", "Zustimmung"],
    ]
    assert (table["Hinweis"] == "überfällig").sum() >= 3
    assert [b.label for b in at.get("download_button")] == ["Daten als CSV (Excel)"]


def test_filters_by_committee_state_kind_and_date_range(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "timeline").run()
    committees = at.multiselect(key="timeline.committees")
    summit = next(o for o in committees.options if o.startswith("Spitzengespräch"))
    committees.select(summit).run()
    assert events_table(at)["Datum"].tolist() == [
        "09.04.2019",
        "09.04.2019",
        "01.07.2019",
        "01.07.2019",
        "04.09.2019",
    ]
    at.multiselect(key="timeline.committees").set_value([]).run()

    at.multiselect(key="timeline.states").select("MV").run()
    table = events_table(at)
    assert set(table["Bundesland"]) == {"Mecklenburg-Vorpommern"}
    assert len(table) == 12
    assert "10.04.2019" in table["Datum"].tolist()

    at.multiselect(key="timeline.kinds").select("meeting").run()
    table = events_table(at)
    assert table["Datum"].tolist() == ["10.04.2019", "20.11.2019", "20.04.2020", "17.03.2027"]
    assert trace_names(at) == ["Sitzung"]

    at.multiselect(key="timeline.states").unselect("MV").run()
    at.multiselect(key="timeline.kinds").unselect("meeting").run()
    at.date_input(key="timeline.since").set_value(date(2019, 4, 10))
    at.date_input(key="timeline.until").set_value(date(2019, 12, 31)).run()
    dates = events_table(at)["Datum"].tolist()
    assert len(dates) == 7
    assert (dates[0], dates[-1]) == ("10.04.2019", "31.12.2019")

    at.date_input(key="timeline.until").set_value(date(2019, 1, 1)).run()
    assert any("liegt vor" in w.value for w in at.warning)
    assert "Keine Ereignisse passen zu diesen Filtern." in [i.value for i in at.info]


def test_large_selections_are_counted_per_month(
    tmp_path: Path, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.timeline.MAX_EVENTS", 10)
    at = page_app(tmp_path, "timeline").run()
    assert not at.exception
    assert any("Anzahl je Monat" in i.value for i in at.info)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {trace["type"] for trace in spec["data"]} == {"bar"}
    assert sum(sum(trace["y"]) for trace in spec["data"]) == 18
    assert [b.label for b in at.get("download_button")] == ["Daten als CSV (Excel)"]


def test_empty_database_says_what_the_timeline_shows(tmp_path: Path, database_url: str) -> None:
    at = page_app(tmp_path, "timeline").run()
    assert not at.exception
    assert not at.get("plotly_chart")
    assert any("Noch keine Ereignisse" in i.value for i in at.info)
    assert [link.proto.label for link in at.get("page_link")] == [
        "Zu den Sitzungen",
        "Zu den Vereinbarungen",
    ]
