"""Themenfelder: the matrix with its filters and drill-down, the bars, and a field's own page."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Organization, Participation, TopicField
from models.db import make_engine
from models.enums import FederalState, OrganizationKind, ParticipationRole, Role
from services.write import key
from tests.pages.apptest import page_app
from tests.pages.test_committees import captions as caption_list
from tests.pages.test_committees import edit_controls
from ui.format import plain

BMI = "Bundesministerium des Innern, für Bau und Heimat"
BMWSB = "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen"


def figures(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def matrix_rows(at: AppTest) -> list[str]:
    return list(figures(at)[0]["data"][0]["y"])


def captions(at: AppTest) -> str:
    return " ".join(caption.value for caption in at.caption)


def field_id(url: str, name: str) -> int:
    with Session(make_engine(url)) as session:
        return key(session.exec(select(TopicField).where(TopicField.name == name)).one())


def test_matrix_bars_and_field_list_with_demo_data(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "topic_fields").run()
    assert not at.exception
    assert at.title[0].value == "Themenfelder"
    matrix, bars = figures(at)
    assert matrix["data"][0]["type"] == "heatmap"
    assert len(matrix["data"][0]["y"]) == 34
    assert matrix["data"][0]["x"][1] == "Bauen & Wohnen"
    assert bars["data"][0]["type"] == "bar"
    assert {trace["name"] for trace in bars["data"]} >= {"Land", "Bundesressort", "Gemeinde"}
    assert len(at.get("download_button")) == 2
    table = at.dataframe[0].value
    assert len(table) == 14
    bauen = table[table["Themenfeld"] == "Bauen & Wohnen"].iloc[0]
    assert "Land Mecklenburg-Vorpommern" in bauen["federführend / mitfederführend"]
    assert bauen["Beteiligte"] == 4
    forschung = table[table["Themenfeld"] == "Forschung & Förderung"].iloc[0]
    assert forschung["Beteiligte"] == 0
    assert "Klicken oder markieren" in captions(at)


def test_filters_change_the_matrix(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "topic_fields").run()
    at.multiselect(key="topic_fields.states").select("MV").run()
    assert set(matrix_rows(at)) == {"M-V", "Greifswald", "LK Nordwestmecklenburg"}
    assert "3 Organisation(en) mit Beteiligung" in captions(at)

    at.multiselect(key="topic_fields.states").unselect("MV").select("bund").run()
    rows = matrix_rows(at)
    assert "BMWSB" in rows
    assert "BMI" in rows  # still lead in other fields
    at.date_input(key="topic_fields.on").set_value(date(2021, 1, 1)).run()
    spec = figures(at)[0]
    cells = spec["data"][1]
    bauen = {y for x, y in zip(cells["x"], cells["y"], strict=True) if x == "Bauen & Wohnen"}
    assert bauen == {"BMI"}

    at.multiselect(key="topic_fields.states").unselect("bund").run()
    at.multiselect(key="topic_fields.roles").select("implementing").run()
    assert set(matrix_rows(at)) == {"Leipzig", "Lecos"}
    at.multiselect(key="topic_fields.kinds").select("municipality").run()
    assert not at.exception
    assert any("keine Beteiligung" in info.value for info in at.info)
    assert len(at.get("plotly_chart")) == 0


def test_many_organizations_fold_into_kinds_with_drill_down(tmp_path: Path, demo_url: str) -> None:
    with Session(make_engine(demo_url)) as session:
        bauen = session.exec(select(TopicField).where(TopicField.name == "Bauen & Wohnen")).one()
        towns = [
            Organization(
                name=f"Gemeinde {n:03d}",
                kind=OrganizationKind.MUNICIPALITY,
                state=FederalState.MV if n % 2 else FederalState.SN,
            )
            for n in range(120)
        ]
        session.add_all(towns)
        session.flush()
        session.add_all(
            Participation(
                organization_id=town.id, topic_field_id=bauen.id, role=ParticipationRole.REUSING
            )
            for town in towns
        )
        session.commit()

    at = page_app(tmp_path, "topic_fields").run()
    assert not at.exception
    rows = matrix_rows(at)
    assert "Gemeinde" in rows
    assert len(rows) <= len(OrganizationKind)
    assert "je Art zusammengefasst" in captions(at)

    at.selectbox(key="topic_fields.drill.kind").select("municipality").run()
    assert set(matrix_rows(at)) == {"Mecklenburg-Vorpommern", "Sachsen"}
    at.selectbox(key="topic_fields.drill.state").select("SN").run()
    assert not at.exception
    assert len(matrix_rows(at)) == 40
    assert "Die 40 Organisationen mit den stärksten Rollen von 61" in captions(at)

    at.selectbox(key="topic_fields.drill.kind").select(None).run()
    at.radio(key="topic_fields.by").set_value("state").run()
    rows = matrix_rows(at)
    assert "Bund/überregional" in rows
    assert "Sachsen" in rows


def test_field_page_shows_leads_participants_and_timeline(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "topic_fields")
    at.query_params["id"] = str(field_id(demo_url, "Bauen & Wohnen"))
    at.run()
    assert not at.exception
    assert at.title[0].value == plain("Bauen & Wohnen")
    assert [s.value for s in at.subheader] == [
        "Federführung",
        "Alle Beteiligten",
        "Beteiligte im Zeitverlauf",
        "Verwalten",
    ]
    leads = at.dataframe[0].value
    assert set(leads["Organisation"]) == {"Land Mecklenburg-Vorpommern", BMWSB}
    assert set(leads["Rolle"]) == {"federführend"}
    assert leads[leads["Organisation"] == BMWSB]["von"].tolist() == ["08.12.2021"]
    everyone = at.dataframe[1].value
    assert len(everyone) == 5
    assert everyone[everyone["Organisation"] == BMI]["bis"].tolist() == ["07.12.2021"]
    timeline = figures(at)[0]
    assert {trace["name"] for trace in timeline["data"]} >= {"federführend", "Ende offen"}
    assert len(at.get("download_button")) == 1

    at.date_input(key="topic_field.on").set_value(date(2021, 1, 1)).run()
    leads = at.dataframe[0].value
    assert set(leads["Organisation"]) == {"Land Mecklenburg-Vorpommern", BMI}


def test_field_without_participants_says_so(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "topic_fields")
    at.query_params["id"] = str(field_id(demo_url, "Forschung & Förderung"))
    at.run()
    assert not at.exception
    infos = " ".join(info.value for info in at.info)
    assert "keine Federführung erfasst" in infos
    assert "keine Beteiligungen erfasst" in infos
    assert not at.get("plotly_chart")


def test_unknown_field_says_so(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "topic_fields")
    at.query_params["id"] = "999"
    at.run()
    assert not at.exception
    assert "Themenfeld mit der Nummer 999 gibt es nicht." in [w.value for w in at.warning]


def test_empty_database_explains_where_fields_come_from(tmp_path: Path, database_url: str) -> None:
    at = page_app(tmp_path, "topic_fields").run()
    assert not at.exception
    assert at.title[0].value == "Themenfelder"
    assert any("Noch keine Themenfelder" in info.value for info in at.info)
    assert not at.get("plotly_chart")


def test_only_administrators_manage_topic_fields_and_participations(
    tmp_path: Path, demo_url: str
) -> None:
    record_id = field_id(demo_url, "Bauen & Wohnen")
    for role in (Role.READER, Role.SECRETARIAT):
        at = page_app(tmp_path, "topic_fields", role)
        at.query_params["id"] = str(record_id)
        at.run()
        assert edit_controls(at) == []
    assert "Nur lesend: Themenfelder ändern nur Administratoren." in caption_list(at)

    at = page_app(tmp_path, "topic_fields")
    at.query_params["id"] = str(record_id)
    at.run()
    participation = at.selectbox(key=f"participation_archive_pick_{record_id}").value
    at.button(key=f"action.participation_archive_{record_id}").click().run()
    with Session(make_engine(demo_url)) as session:
        assert session.get(Participation, participation).archived  # type: ignore[union-attr]
    at.button(key=f"action.participation_delete_{participation}.ask").click().run()
    at.button(key=f"action.participation_delete_{participation}.confirm").click().run()
    assert not at.exception
    with Session(make_engine(demo_url)) as session:
        assert session.get(Participation, participation) is None

    at.button(key=f"action.topic_field_archive_{record_id}").click().run()
    at.button(key=f"action.topic_field_delete_{record_id}.ask").click().run()
    at.button(key=f"action.topic_field_delete_{record_id}.confirm").click().run()
    assert any("Beteiligung" in error.value for error in at.error)
    at.button(key=f"action.topic_field_restore_{record_id}").click().run()
    with Session(make_engine(demo_url)) as session:
        assert not session.get(TopicField, record_id).archived  # type: ignore[union-attr]
