"""The start page renders with the demo data and with an empty database."""

from pathlib import Path

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models.db import make_engine
from services.database import migrate
from services.seed import load_demo_data

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrate(make_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_overview_with_demo_data(database_url: str) -> None:
    with Session(make_engine(database_url)) as session:
        load_demo_data(session)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Übersicht"
    assert [m.value for m in at.metric][:2] == ["3", "3"]
    committees = at.dataframe[0].value
    assert "Lenkungsausschuss E-Government Mecklenburg-Vorpommern" in committees["Name"].tolist()
    agreements = at.dataframe[1].value
    komm24 = agreements[agreements["Titel"].str.contains("KOMM24")].iloc[0]
    assert komm24["Zieltermin"] == "01.07.2019"
    assert "um 65 Tage überschritten" in komm24["Status"]


def test_overview_with_an_empty_database(database_url: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["0", "0", "0"]
    assert "Noch keine Gremien erfasst." in [info.value for info in at.info]
