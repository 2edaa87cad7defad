"""Kooperationsnetz: the graph with the demo data, its filters, a selected organization, empty states."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Organization
from models.db import make_engine
from tests.pages.apptest import page_app


def org_id(url: str, name: str) -> int:
    with Session(make_engine(url)) as session:
        found = session.exec(select(Organization.id).where(Organization.name == name)).one()
        assert found is not None
        return found


def figure(at: AppTest) -> dict[str, Any]:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def node_names(spec: dict[str, Any]) -> set[str]:
    return {
        row[2]
        for trace in spec["data"]
        for row in trace.get("customdata") or []
        if row and row[0] == "org"
    }


def link_texts(spec: dict[str, Any]) -> list[str]:
    middles = next(t for t in spec["data"] if t.get("name") == "Verbindung")
    return list(middles["hovertext"])


def test_demo_network_renders_with_csv_download(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "network").run()
    assert not at.exception
    assert at.title[0].value == "Kooperationsnetz"
    spec = figure(at)
    assert {"Stadt Leipzig", "Lecos GmbH", "Land Mecklenburg-Vorpommern"} <= node_names(spec)
    kinds = {t["name"] for t in spec["data"] if t.get("mode", "").startswith("markers+")}
    assert {"kreisfreie Stadt", "Zweckverband", "IT-Dienstleister"} <= kinds
    assert [b.label for b in at.get("download_button")] == ["Daten als CSV (Excel)"]
    assert not at.info


def test_saxony_shows_the_cities_linked_by_komm24_and_the_spitzengespraech(
    tmp_path: Path, demo_url: str
) -> None:
    at = page_app(tmp_path, "network").run()
    at.selectbox(key="network.state").select("SN").run()
    spec = figure(at)
    names = node_names(spec)
    assert {"Stadt Chemnitz", "Landeshauptstadt Dresden", "Stadt Leipzig"} <= names
    assert "Land Mecklenburg-Vorpommern" not in names
    chemnitz_dresden = next(
        t for t in link_texts(spec) if "Stadt Chemnitz – Landeshauptstadt Dresden" in t
    )
    assert "(2 Verbindungen)" in chemnitz_dresden
    assert "Vereinbarung: Gründung der KOMM24 GmbH<br>Gremium: Spitzengespräch" in chemnitz_dresden

    # On a later day the one-day summit no longer links anybody; KOMM24 still does.
    at.date_input(key="network.on").set_value(date(2020, 1, 1)).run()
    texts = link_texts(figure(at))
    assert not any("Spitzengespräch" in t for t in texts)
    assert any("Stadt Chemnitz – Landeshauptstadt Dresden" in t for t in texts)
    assert "Stand am 01.01.2020" in [c.value for c in at.caption]


def test_link_type_themenfelder_links_hessen_and_baden_wuerttemberg(
    tmp_path: Path, demo_url: str
) -> None:
    at = page_app(tmp_path, "network").run()
    kinds = at.multiselect(key="network.kinds")
    kinds.unselect("committee").unselect("agreement").select("topic_field").run()
    texts = link_texts(figure(at))
    hessen_bw = next(t for t in texts if "Land Hessen – Land Baden-Württemberg" in t)
    assert "Themenfeld: Mobilität &amp; Reisen" in hessen_bw
    assert not any("Vereinbarung:" in t for t in texts)

    at.multiselect(key="network.kinds").unselect("topic_field").run()
    assert "Wählen Sie mindestens eine Art der Verbindung." in [i.value for i in at.info]
    assert not at.get("plotly_chart")


def test_selected_organization_shows_its_neighbourhood_and_links(
    tmp_path: Path, demo_url: str
) -> None:
    leipzig = org_id(demo_url, "Stadt Leipzig")
    at = page_app(tmp_path, "network")
    at.query_params["org"] = str(leipzig)
    at.run()
    assert not at.exception
    assert at.subheader[0].value == "Umfeld von Stadt Leipzig"
    names = node_names(figure(at))
    assert names == {
        "Stadt Leipzig",
        "Stadt Chemnitz",
        "Landeshauptstadt Dresden",
        "Zweckverband Kommunale Informationsverarbeitung Sachsen",
        "Sächsische Anstalt für kommunale Datenverarbeitung",
        "Lecos GmbH",
        "Sächsische Staatskanzlei",
        "Freistaat Sachsen",
    }
    table = at.dataframe[0].value
    assert list(table.columns) == ["Partner", "Verbindungen", "verbunden über"]
    assert len(table) == 7
    lecos = table[table["Partner"] == "Lecos GmbH"].iloc[0]
    assert lecos["verbunden über"] == "Vereinbarung: Gründung der KOMM24 GmbH"
    assert table["Verbindungen"].tolist()[:4] == [2, 2, 2, 2]
    links = [link.proto.label for link in at.get("page_link")]
    assert "Zur Organisation Stadt Leipzig" in links

    next(b for b in at.button if b.label == "Auswahl aufheben").click().run()
    assert "org" not in at.query_params
    assert not at.subheader
    assert "Land Mecklenburg-Vorpommern" in node_names(figure(at))


def test_selected_organization_without_links_or_unknown(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "network")
    at.query_params["org"] = str(org_id(demo_url, "KOMM24 GmbH"))
    at.run()
    assert not at.exception
    assert "KOMM24 GmbH hat mit diesen Filtern keine Verbindungen." in [i.value for i in at.info]
    assert not at.get("plotly_chart")

    at = page_app(tmp_path, "network")
    at.query_params["org"] = "999"
    at.run()
    assert not at.exception
    assert "Eine Organisation mit der Nummer 999 gibt es nicht." in [w.value for w in at.warning]


def test_empty_database_explains_where_links_come_from(tmp_path: Path, database_url: str) -> None:
    at = page_app(tmp_path, "network").run()
    assert not at.exception
    assert not at.get("plotly_chart")
    assert any("Noch keine Verbindungen" in i.value for i in at.info)
    assert [link.proto.label for link in at.get("page_link")] == [
        "Zu den Gremien",
        "Zu den Vereinbarungen",
    ]
