"""Personen: list and search, create with its error path, edit, archive, memberships over time."""

from pathlib import Path

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Organization, Person
from models.db import make_engine
from models.enums import Role
from services import persons
from tests.conftest import ACTOR
from tests.pages.test_committees import READER_NOTE, captions, edit_controls
from tests.pages.test_overview import page_app, page_links, unescape


def stored(url: str, family_name: str) -> list[Person]:
    with Session(make_engine(url)) as session:
        return list(session.exec(select(Person).where(Person.family_name == family_name)))


def click(at: AppTest, label: str) -> AppTest:
    next(button for button in at.button if button.label == label).click()
    return at.run()


def open_person(tmp_path: Path, person_id: int, role: Role = Role.ADMIN) -> AppTest:
    at = page_app(tmp_path, "persons", role)
    at.query_params["id"] = str(person_id)
    return at.run()


def test_list_and_search(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "persons").run()
    assert not at.exception
    assert at.title[0].value == "Personen"
    assert "Ina-Maria Ulbrich" in at.dataframe[0].value["Name"].tolist()
    at.text_input(key="persons.search").input("Ina-Maria Ulb").run()
    assert at.dataframe[0].value["Name"].tolist() == ["Ina-Maria Ulbrich"]
    at.text_input(key="persons.search").input("Oberbürgermeister").run()
    assert "Dr. Stefan Fassbinder" in at.dataframe[0].value["Name"].tolist()


def test_empty_database_invites_the_first_person(database_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "persons").run()
    assert not at.exception
    assert "Noch keine Personen. Legen Sie unten die erste an." in at.info[0].value


def test_create_edit_archive_and_restore(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "persons").run()
    at.text_input(key="person_new.organization_search").input("Greifswald").run()
    with Session(make_engine(demo_url)) as session:
        greifswald = session.exec(
            select(Organization).where(Organization.short_name == "Greifswald")
        ).one()
    at.text_input(key="person_new.title").input("Dr.")
    at.text_input(key="person_new.given_name").input("Hanna")
    at.text_input(key="person_new.family_name").input("Hausmann")
    at.text_input(key="person_new.function").input("Amtsleiterin Digitalisierung")
    at.text_input(key="person_new.email").input("hanna.hausmann@example.org")
    at.selectbox(key="person_new.organization_id").select(greifswald.id)
    click(at, "Anlegen")
    assert not at.exception
    [person] = stored(demo_url, "Hausmann")
    assert (person.title, person.given_name, person.function, person.email) == (
        "Dr.",
        "Hanna",
        "Amtsleiterin Digitalisierung",
        "hanna.hausmann@example.org",
    )
    assert person.organization_id == greifswald.id
    assert unescape(at.title[0].value) == "Dr. Hanna Hausmann"
    assert "Die Person ist in keinem Gremium Mitglied" in at.info[0].value

    form = f"person_edit_{person.id}_1"
    at.text_input(key=f"{form}.function").input("Leiterin des Amtes für Digitalisierung")
    click(at, "Speichern")
    [person] = stored(demo_url, "Hausmann")
    assert (person.function, person.version) == ("Leiterin des Amtes für Digitalisierung", 2)

    click(at, "Archivieren")
    assert stored(demo_url, "Hausmann")[0].archived
    click(at, "Wiederherstellen")
    assert not stored(demo_url, "Hausmann")[0].archived


def test_missing_family_name_and_bad_email_keep_the_input(
    database_url: str, tmp_path: Path
) -> None:
    at = page_app(tmp_path, "persons").run()
    at.text_input(key="person_new.given_name").input("Hanna")
    at.text_input(key="person_new.email").input("keine-adresse")
    click(at, "Anlegen")
    errors = [e.value for e in at.error]
    assert "„Nachname“ ist ein Pflichtfeld." in errors
    assert "„E-Mail“ hat kein gültiges Format." in errors
    assert at.text_input(key="person_new.given_name").value == "Hanna"
    with Session(make_engine(database_url)) as session:
        assert session.exec(select(Person)).all() == []


def test_view_of_ulbrich_shows_her_chair(demo_url: str, tmp_path: Path) -> None:
    [ulbrich] = stored(demo_url, "Ulbrich")
    at = open_person(tmp_path, ulbrich.id)
    assert not at.exception
    assert unescape(at.title[0].value) == "Ina-Maria Ulbrich"
    memberships = at.dataframe[0].value
    assert memberships.to_dict("records") == [
        {
            "Gremium": "Lenkungsausschuss E-Government Mecklenburg-Vorpommern",
            "Rolle": "Vorsitz",
            "entsandt von": "Land Mecklenburg-Vorpommern",
            "stimmberechtigt": "ja",
            "von": "10.04.2019",
            "bis": "",
            "Stand": "aktuell",
        }
    ]
    assert (
        "Lenkungsausschuss E-Government Mecklenburg-Vorpommern",
        "committees",
        "id=1",
    ) in page_links(at)


def test_memberships_over_time_show_ended_ones(demo_url: str, tmp_path: Path) -> None:
    [hoerning] = stored(demo_url, "Hörning")
    at = open_person(tmp_path, hoerning.id)
    memberships = at.dataframe[0].value
    assert memberships[["Rolle", "von", "bis", "Stand"]].values.tolist() == [
        ["beratend", "01.08.2019", "", "aktuell"],
        ["Mitglied", "09.04.2019", "09.04.2019", "beendet"],
    ]


def test_readers_see_no_edit_controls_and_admins_delete_archived_persons(
    database_url: str, tmp_path: Path
) -> None:
    with Session(make_engine(database_url)) as session:
        row = persons.create_person(session=session, actor=ACTOR, data={"family_name": "Doppelt"})
        person_id = int(row.id or 0)
    reader = open_person(tmp_path, person_id, Role.READER)
    assert edit_controls(reader) == []
    assert READER_NOTE in captions(reader)
    assert edit_controls(page_app(tmp_path, "persons", Role.READER).run()) == []
    secretariat = open_person(tmp_path, person_id, Role.SECRETARIAT)
    assert f"action.person_archive_{person_id}" in edit_controls(secretariat)
    secretariat.button(key=f"action.person_archive_{person_id}").click().run()
    assert f"action.person_delete_{person_id}.ask" not in edit_controls(secretariat)

    at = open_person(tmp_path, person_id)
    at.button(key=f"action.person_delete_{person_id}.ask").click().run()
    at.button(key=f"action.person_delete_{person_id}.confirm").click().run()
    assert not at.exception
    assert stored(database_url, "Doppelt") == []
    assert "Person „Doppelt“ endgültig gelöscht." in [s.value for s in at.success]
