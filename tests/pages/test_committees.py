"""The Gremien page: list and filters, create, the committee's page, edit, archive, members."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from models import Committee, Membership, Person
from models.db import make_engine
from models.enums import Role
from services import committees, persons
from tests.conftest import ACTOR
from tests.pages.apptest import entry_script, signed_in

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "committees.py")
MV = "Lenkungsausschuss E-Government Mecklenburg-Vorpommern"
LEIPZIG = "Ratsversammlung der Stadt Leipzig"
READER_NOTE = "Nur lesend: Mit der Rolle „Lesend“ können Sie nichts ändern."
NOT_ASSIGNED_NOTE = "Nur lesend: Dieses Gremium ist Ihrem Konto nicht zugeordnet."


@pytest.fixture
def record_app(tmp_path: Path) -> str:
    return entry_script(tmp_path, "committees")


def committee_id(url: str, name: str = MV) -> int:
    with Session(make_engine(url)) as session:
        found = session.exec(select(Committee.id).where(Committee.name == name)).one()
    assert found is not None
    return found


def membership_of(url: str, committee: int, family_name: str) -> int:
    with Session(make_engine(url)) as session:
        found = session.exec(
            select(Membership.id)
            .join(Person, col(Membership.person_id) == Person.id)
            .where(Membership.committee_id == committee, Person.family_name == family_name)
        ).one()
    assert found is not None
    return found


def open_committee(entry: str, record_id: int, role: Role = Role.ADMIN) -> AppTest:
    at = signed_in(AppTest.from_file(entry, default_timeout=30), role)
    at.query_params["id"] = str(record_id)
    return at.run()


def edit_controls(at: AppTest) -> list[str]:
    """The keys of every button that changes data: form submits and action buttons."""
    return [
        str(button.key)
        for button in at.button
        if button.form_id or str(button.key).startswith("action.")
    ]


def captions(at: AppTest) -> list[str]:
    return [caption.value for caption in at.caption]


def click(at: AppTest, label: str) -> AppTest:
    next(button for button in at.button if button.label == label).click()
    return at.run()


def errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


# --- list ------------------------------------------------------------------------------


def test_list_with_demo_data(demo_url: str) -> None:
    at = signed_in(AppTest.from_file(PAGE, default_timeout=30)).run()
    assert not at.exception
    assert at.title[0].value == "Gremien"
    shown = at.dataframe[0].value
    assert MV in shown["Name"].tolist()
    mv = shown[shown["Name"] == MV].iloc[0]
    assert (mv["Bundesland"], mv["Mitglieder heute"], mv["Status"]) == (
        "Mecklenburg-Vorpommern",
        12,
        "aktiv",
    )
    # The Spitzengespräch was a single day in 2019: ended, so not among the active ones.
    assert not shown["Name"].str.startswith("Spitzengespräch").any()


def test_list_with_an_empty_database(database_url: str) -> None:
    at = signed_in(AppTest.from_file(PAGE, default_timeout=30)).run()
    assert not at.exception
    assert "Noch keine Gremien erfasst. Legen Sie oben unter „Neues Gremium“ das erste an." in [
        info.value for info in at.info
    ]


def test_filters_and_search(demo_url: str) -> None:
    at = signed_in(AppTest.from_file(PAGE, default_timeout=30)).run()
    at.multiselect(key="committees.states").select("SN").run()
    assert at.dataframe[0].value["Name"].tolist() == ["Ratsversammlung der Stadt Leipzig"]
    at.radio(key="committees.status").set_value("all").run()
    names = at.dataframe[0].value["Name"].tolist()
    assert MV not in names
    assert "Spitzengespräch „Digitale Verwaltung Sachsen“" in names
    at.multiselect(key="committees.kinds").select("council").run()
    assert at.dataframe[0].value["Name"].tolist() == ["Ratsversammlung der Stadt Leipzig"]
    at.radio(key="committees.status").set_value("archived").run()
    assert "Keine Gremien passen zu Suche und Filtern." in at.info[0].value

    at = signed_in(AppTest.from_file(PAGE, default_timeout=30)).run()
    at.text_input(key="committees.search").input("LA E-Gov").run()
    assert at.dataframe[0].value["Name"].tolist() == [MV]


def test_choosing_a_committee_opens_it(demo_url: str, record_app: str) -> None:
    at = signed_in(AppTest.from_file(record_app, default_timeout=30)).run()
    # AppTest cannot click a table row; the „Gremium öffnen“ box takes the same path.
    at.selectbox(key="committees.open").select(committee_id(demo_url)).run()
    assert not at.exception
    assert at.query_params["id"] == str(committee_id(demo_url))
    assert "Ulbrich" in at.dataframe[0].value["Name"].iloc[0]


# --- create ----------------------------------------------------------------------------


def test_create_a_committee(demo_url: str, record_app: str) -> None:
    at = signed_in(AppTest.from_file(record_app, default_timeout=30)).run()
    at.text_input(key="committee_new.name").input("AG Servicekonto M-V")
    at.text_input(key="committee_new.short_name").input("AG SK")
    at.selectbox(key="committee_new.kind").select("working_group")
    at.selectbox(key="committee_new.state").select("MV")
    at.selectbox(key="committee_new.parent_id").select(committee_id(demo_url))
    at.date_input(key="committee_new.start_date").set_value(date(2020, 4, 20))
    at = click(at, "Gremium anlegen")
    assert not at.exception
    assert errors(at) == []
    with Session(make_engine(demo_url)) as session:
        stored = session.exec(
            select(Committee).where(Committee.name == "AG Servicekonto M-V")
        ).one()
    assert (stored.short_name, stored.kind, stored.state) == ("AG SK", "working_group", "MV")
    assert (stored.parent_id, stored.start_date) == (committee_id(demo_url), date(2020, 4, 20))
    assert stored.quorum_rule == "more_than_half"
    # The new committee opens straight away.
    assert at.query_params["id"] == str(stored.id)
    assert "Gremium „AG Servicekonto M-V“ angelegt." in [s.value for s in at.success]
    assert "Noch keine Mitglieder." in " ".join(info.value for info in at.info)


def test_create_without_a_name_stores_nothing(database_url: str) -> None:
    at = signed_in(AppTest.from_file(PAGE, default_timeout=30)).run()
    at.selectbox(key="committee_new.kind").select("working_group")
    at = click(at, "Gremium anlegen")
    assert not at.exception
    assert "„Name“ ist ein Pflichtfeld." in errors(at)
    assert at.selectbox(key="committee_new.kind").value == "working_group"
    with Session(make_engine(database_url)) as session:
        assert session.exec(select(Committee)).all() == []


def test_create_with_end_before_start_keeps_the_input(database_url: str) -> None:
    at = signed_in(AppTest.from_file(PAGE, default_timeout=30)).run()
    at.text_input(key="committee_new.name").input("AG Zeitreise")
    at.selectbox(key="committee_new.kind").select("working_group")
    at.date_input(key="committee_new.start_date").set_value(date(2021, 1, 1))
    at.date_input(key="committee_new.end_date").set_value(date(2020, 1, 1))
    at = click(at, "Gremium anlegen")
    assert "„Ende“ darf nicht vor dem Beginn liegen." in errors(at)
    assert at.text_input(key="committee_new.name").value == "AG Zeitreise"
    with Session(make_engine(database_url)) as session:
        assert session.exec(select(Committee)).all() == []


# --- a committee's page ----------------------------------------------------------------


def test_committee_page_shows_composition_history_meetings_and_open_decisions(
    demo_url: str, record_app: str
) -> None:
    at = open_committee(record_app, committee_id(demo_url))
    assert not at.exception
    assert "Lenkungsausschuss E" in at.title[0].value
    assert "Rahmenvereinbarung" in " ".join(m.value for m in at.markdown)
    rules = next(m.value for m in at.markdown if "Beschlussfähigkeit" in m.value)
    assert "mehr als die Hälfte der stimmberechtigten Mitglieder anwesend" in rules
    assert "einfache Mehrheit der abgegebenen Stimmen" in rules

    composition, history, meetings, decisions = (d.value for d in at.dataframe)
    chair = composition.iloc[0]
    assert (chair["Name"], chair["Rolle"], chair["entsandt von"], chair["stimmberechtigt"]) == (
        "Ina-Maria Ulbrich",
        "Vorsitz",
        "Land Mecklenburg-Vorpommern",
        "Ja",
    )
    assert composition["Rolle"].tolist()[1:3] == ["stellv. Vorsitz (1.)", "stellv. Vorsitz (2.)"]
    assert composition["Name"].tolist()[1:3] == ["Dr. Stefan Fassbinder", "Kerstin Weiss"]
    deputies = composition[composition["Rolle"] == "stellv. Mitglied"]
    assert set(deputies["stimmberechtigt"]) == {"Nein"}

    assert len(history) == 12
    assert history.iloc[0]["von"] == "10.04.2019"
    assert "Paula Probe" in history["Stellvertretung für"].tolist()
    assert set(history["Quelle"]) == {"belegt", "Demo"}

    assert "10.04.2019 10:00" in meetings["Beginn"].tolist()
    assert any(link.label.startswith("Sitzung Nr. ") for link in at.get("page_link"))

    assert set(decisions["Status"]) <= {"offen", "in Umsetzung"}
    assert "überfällig" in decisions["überfällig"].tolist()
    assert any("Frist überschritten" in w.value for w in at.warning)


def test_committee_page_of_a_new_committee_says_what_to_do(
    database_url: str, record_app: str
) -> None:
    with Session(make_engine(database_url)) as session:
        body = committees.create_committee(
            session=session, actor=ACTOR, data={"name": "AG Neu", "kind": "working_group"}
        )
    at = open_committee(record_app, int(body.id or 0))
    assert not at.exception
    infos = " ".join(info.value for info in at.info)
    assert "Noch keine Mitglieder." in infos
    assert "Noch keine Sitzungen." in infos
    assert "Keine offenen Beschlüsse" in infos


def test_unknown_committee(database_url: str, record_app: str) -> None:
    at = open_committee(record_app, 999)
    assert not at.exception
    assert "Gremium mit der Nummer 999 gibt es nicht." in errors(at)


# --- edit, archive, restore ------------------------------------------------------------


def test_edit_archive_and_restore(demo_url: str, record_app: str) -> None:
    record = committee_id(demo_url)
    at = open_committee(record_app, record)
    form = f"committee_edit_{record}_1"
    at.text_area(key=f"{form}.purpose").set_value("Steuert das E-Government <b>im Land</b>.")
    at.number_input(key=f"{form}.seat_count").set_value(12)
    at.selectbox(key=f"{form}.majority_rule").select("absolute")
    at = click(at, "Änderungen speichern")
    assert not at.exception
    assert errors(at) == []
    with Session(make_engine(demo_url)) as session:
        stored = session.get(Committee, record)
        assert stored is not None
        assert (stored.purpose, stored.seat_count, stored.majority_rule, stored.version) == (
            "Steuert das E-Government <b>im Land</b>.",
            12,
            "absolute",
            2,
        )
    assert "Mehrheit der stimmberechtigten Mitglieder" in " ".join(m.value for m in at.markdown)
    # The edit form reloads with the saved values (its name carries the new version).
    assert at.number_input(key=f"committee_edit_{record}_2.seat_count").value == 12

    at = click(at, "Gremium archivieren")
    with Session(make_engine(demo_url)) as session:
        assert session.get(Committee, record).archived  # type: ignore[union-attr]
    assert any("archiviert" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label == "Mitglied hinzufügen"]

    at = click(at, "Wiederherstellen")
    with Session(make_engine(demo_url)) as session:
        assert not session.get(Committee, record).archived  # type: ignore[union-attr]
    assert not any("archiviert" in w.value for w in at.warning)


def test_edit_refuses_a_concurrent_change(demo_url: str, record_app: str) -> None:
    record = committee_id(demo_url)
    at = open_committee(record_app, record)
    with Session(make_engine(demo_url)) as session:
        committees.update_committee(
            session=session, actor=ACTOR, row_id=record, data={"seat_count": 9}
        )
    at.text_input(key=f"committee_edit_{record}_1.short_name").set_value("LA M-V")
    at = click(at, "Änderungen speichern")
    assert any("inzwischen von sekretariat" in message for message in errors(at))
    assert at.text_input(key=f"committee_edit_{record}_1.short_name").value == "LA M-V"
    with Session(make_engine(demo_url)) as session:
        stored = session.get(Committee, record)
        assert stored is not None
        assert (stored.short_name, stored.seat_count) == ("LA E-Gov M-V", 9)
    at = click(at, "Gespeicherten Stand laden (Eingaben verwerfen)")
    assert errors(at) == []
    assert at.number_input(key=f"committee_edit_{record}_2.seat_count").value == 9
    assert at.text_input(key=f"committee_edit_{record}_2.short_name").value == "LA E-Gov M-V"


# --- memberships -----------------------------------------------------------------------


def test_add_a_member_who_is_already_a_person(demo_url: str, record_app: str) -> None:
    record = committee_id(demo_url)
    with Session(make_engine(demo_url)) as session:
        person = persons.create_person(
            session=session, actor=ACTOR, data={"given_name": "Nora", "family_name": "Neu"}
        )
        person_id = int(person.id or 0)
    at = open_committee(record_app, record)
    form = f"membership_new_{record}"
    # At country scale the picker lists only what the search above it finds.
    at.text_input(key=f"{form}.person_search").input("nora neu").run()
    assert at.selectbox(key=f"{form}.person_id").options == ["Neu, Nora"]
    at.selectbox(key=f"{form}.person_id").select(person_id)
    at.selectbox(key=f"{form}.role").select("advisory")
    at.checkbox(key=f"{form}.voting_right").uncheck()
    at.date_input(key=f"{form}.start_date").set_value(date(2024, 1, 1))
    at = click(at, "Mitglied hinzufügen")
    assert not at.exception
    assert errors(at) == []
    with Session(make_engine(demo_url)) as session:
        stored = session.exec(select(Membership).where(Membership.person_id == person_id)).one()
    assert (stored.committee_id, stored.role, stored.voting_right) == (record, "advisory", False)
    assert "Nora Neu" in at.dataframe[0].value["Name"].tolist()


def test_add_a_member_with_a_new_person(demo_url: str, record_app: str) -> None:
    record = committee_id(demo_url)
    at = open_committee(record_app, record)
    form = f"membership_new_{record}"
    at.toggle(key=f"{form}.new_person").set_value(True).run()
    at.text_input(key=f"{form}.title").input("Dr.")
    at.text_input(key=f"{form}.given_name").input("Petra")
    at.text_input(key=f"{form}.family_name").input("Pilot")
    at.text_input(key=f"{form}.function").input("Referentin OZG")
    at.selectbox(key=f"{form}.role").select("deputy_member")
    at.checkbox(key=f"{form}.voting_right").uncheck()
    at.selectbox(key=f"{form}.deputy_of_id").select(membership_of(demo_url, record, "Beispiel"))
    at = click(at, "Mitglied hinzufügen")
    assert not at.exception
    assert errors(at) == []
    with Session(make_engine(demo_url)) as session:
        person = session.exec(select(Person).where(Person.family_name == "Pilot")).one()
        membership = session.exec(select(Membership).where(Membership.person_id == person.id)).one()
    assert (person.title, person.given_name, person.function) == ("Dr.", "Petra", "Referentin OZG")
    assert (membership.committee_id, membership.role) == (record, "deputy_member")
    assert membership.deputy_of_id == membership_of(demo_url, record, "Beispiel")


def test_a_failing_membership_stores_no_new_person(demo_url: str, record_app: str) -> None:
    record = committee_id(demo_url)
    with Session(make_engine(demo_url)) as session:
        persons_before = len(session.exec(select(Person)).all())
        memberships_before = len(session.exec(select(Membership)).all())
    at = open_committee(record_app, record)
    form = f"membership_new_{record}"
    at.toggle(key=f"{form}.new_person").set_value(True).run()
    at.text_input(key=f"{form}.family_name").input("Waise")
    at.selectbox(key=f"{form}.role").select("deputy_chair")  # without its rank
    at = click(at, "Mitglied hinzufügen")
    assert not at.exception
    assert "„Rang der Stellvertretung“ ist beim stellv. Vorsitz anzugeben (1, 2, …)." in errors(at)
    assert at.text_input(key=f"{form}.family_name").value == "Waise"
    with Session(make_engine(demo_url)) as session:
        assert len(session.exec(select(Person)).all()) == persons_before
        assert len(session.exec(select(Membership)).all()) == memberships_before
        assert session.exec(select(Person).where(Person.family_name == "Waise")).first() is None


def test_a_member_twice_in_the_same_period_is_refused(demo_url: str, record_app: str) -> None:
    record = committee_id(demo_url)
    with Session(make_engine(demo_url)) as session:
        weiss = session.exec(select(Person).where(Person.family_name == "Weiss")).one()
    at = open_committee(record_app, record)
    form = f"membership_new_{record}"
    at.selectbox(key=f"{form}.person_id").select(weiss.id)
    at = click(at, "Mitglied hinzufügen")
    assert any("bereits Mitglied des Gremiums" in message for message in errors(at))


def test_a_membership_outside_the_committee_lifetime_is_refused(
    demo_url: str, record_app: str
) -> None:
    summit = committee_id(demo_url, "Spitzengespräch „Digitale Verwaltung Sachsen“")
    at = open_committee(record_app, summit)
    form = f"membership_new_{summit}"
    at.toggle(key=f"{form}.new_person").set_value(True).run()
    at.text_input(key=f"{form}.family_name").input("Zuspät")
    at.date_input(key=f"{form}.start_date").set_value(date(2020, 1, 1))
    at = click(at, "Mitglied hinzufügen")
    assert any("Bestehenszeit des Gremiums" in message for message in errors(at))
    with Session(make_engine(demo_url)) as session:
        assert session.exec(select(Person).where(Person.family_name == "Zuspät")).first() is None


def test_end_a_membership(demo_url: str, record_app: str) -> None:
    record = committee_id(demo_url)
    membership = membership_of(demo_url, record, "Beispiel")
    at = open_committee(record_app, record)
    form = f"membership_end_{record}"
    at = click(at, "Mitgliedschaft beenden")
    assert "„Mitgliedschaft“ ist ein Pflichtfeld." in errors(at)
    at.selectbox(key=f"{form}.membership_id").select(membership)
    at.date_input(key=f"{form}.end_date").set_value(date(2024, 6, 30))
    at = click(at, "Mitgliedschaft beenden")
    assert not at.exception
    with Session(make_engine(demo_url)) as session:
        stored = session.get(Membership, membership)
        assert stored is not None
        assert stored.end_date == date(2024, 6, 30)
    composition, history = at.dataframe[0].value, at.dataframe[1].value
    assert "Jana Beispiel" not in composition["Name"].tolist()
    ended = history[history["Name"] == "Jana Beispiel"].iloc[0]
    assert (ended["bis"], ended["Stand"]) == ("30.06.2024", "beendet")


def test_filters_survive_a_visit_to_a_committee(demo_url: str, record_app: str) -> None:
    at = signed_in(AppTest.from_file(record_app, default_timeout=30)).run()
    at.multiselect(key="committees.states").select("SN").run()
    at.selectbox(key="committees.open").select(
        committee_id(demo_url, "Ratsversammlung der Stadt Leipzig")
    ).run()
    assert "Ratsversammlung" in at.title[0].value
    at = click(at, "Alle Gremien")
    assert at.multiselect(key="committees.states").value == ["SN"]
    assert at.dataframe[0].value["Name"].tolist() == ["Ratsversammlung der Stadt Leipzig"]


# --- roles -----------------------------------------------------------------------------


def test_a_reader_sees_no_edit_controls(demo_url: str, record_app: str) -> None:
    at = signed_in(AppTest.from_file(record_app, default_timeout=30), Role.READER).run()
    assert not at.exception
    assert edit_controls(at) == []
    assert READER_NOTE in captions(at)
    at = open_committee(record_app, committee_id(demo_url), Role.READER)
    assert not at.exception
    assert edit_controls(at) == []
    assert READER_NOTE in captions(at)
    assert "Gremium verwalten" not in [s.value for s in at.subheader]

    admin = open_committee(record_app, committee_id(demo_url))
    assert "action.committee_archive_1" in edit_controls(admin)
    assert any(key.startswith("FormSubmitter:committee_edit_") for key in edit_controls(admin))


def test_the_secretariat_edits_only_its_committees(demo_url: str, record_app: str) -> None:
    listed = signed_in(AppTest.from_file(record_app, default_timeout=30), Role.SECRETARIAT).run()
    # Creating a committee is allowed: it is assigned to the Sekretariat.
    assert any(key.startswith("FormSubmitter:committee_new") for key in edit_controls(listed))

    own = open_committee(record_app, committee_id(demo_url), Role.SECRETARIAT)
    assert not own.exception
    assert f"action.committee_archive_{committee_id(demo_url)}" in edit_controls(own)
    assert any(key.startswith("FormSubmitter:membership_new_") for key in edit_controls(own))

    other = open_committee(record_app, committee_id(demo_url, LEIPZIG), Role.SECRETARIAT)
    assert not other.exception
    assert edit_controls(other) == []
    assert NOT_ASSIGNED_NOTE in captions(other)


def test_a_committee_created_by_the_secretariat_is_its_own(demo_url: str, record_app: str) -> None:
    at = signed_in(AppTest.from_file(record_app, default_timeout=30), Role.SECRETARIAT).run()
    at.text_input(key="committee_new.name").input("AG Register MV")
    at.selectbox(key="committee_new.kind").select("working_group")
    at = click(at, "Gremium anlegen")
    assert not at.exception
    assert at.title[0].value == "AG Register MV"
    assert f"action.committee_archive_{committee_id(demo_url, 'AG Register MV')}" in (
        edit_controls(at)
    )


def test_admin_deletes_an_archived_committee_nothing_refers_to(
    demo_url: str, record_app: str
) -> None:
    with Session(make_engine(demo_url)) as session:
        row = committees.create_committee(
            session=session, actor=ACTOR, data={"name": "AG Fehleingabe", "kind": "working_group"}
        )
        record_id = int(row.id or 0)
        committees.archive_committee(session=session, actor=ACTOR, row_id=record_id)
    at = open_committee(record_app, record_id)
    at = click(at, "Endgültig löschen …")
    assert any("wirklich endgültig löschen" in w.value for w in at.warning)
    at = click(at, "Abbrechen")
    assert at.button(key=f"action.committee_delete_{record_id}.ask")
    at = click(at, "Endgültig löschen …")
    at = click(at, "Ja, endgültig löschen")
    assert not at.exception
    with Session(make_engine(demo_url)) as session:
        assert session.get(Committee, record_id) is None
    assert at.title[0].value == "Gremien"
    assert "Gremium „AG Fehleingabe“ endgültig gelöscht." in [s.value for s in at.success]


def test_delete_of_a_referenced_committee_is_refused(demo_url: str, record_app: str) -> None:
    record_id = committee_id(demo_url)
    with Session(make_engine(demo_url)) as session:
        committees.archive_committee(session=session, actor=ACTOR, row_id=record_id)
    secretariat = open_committee(record_app, record_id, Role.SECRETARIAT)
    assert "Wiederherstellen" in [b.label for b in secretariat.button]
    assert "Endgültig löschen …" not in [b.label for b in secretariat.button]

    at = open_committee(record_app, record_id)
    at = click(at, "Endgültig löschen …")
    at = click(at, "Ja, endgültig löschen")
    assert not at.exception
    refusal = " ".join(errors(at))
    assert "kann nicht gelöscht werden" in refusal
    assert "Mitgliedschaft" in refusal
    with Session(make_engine(demo_url)) as session:
        assert session.get(Committee, record_id) is not None


def test_archive_restore_and_delete_a_membership(demo_url: str, record_app: str) -> None:
    record_id = committee_id(demo_url)
    with Session(make_engine(demo_url)) as session:
        person = persons.create_person(session=session, actor=ACTOR, data={"family_name": "Irrtum"})
        membership = committees.add_membership(
            session=session,
            actor=ACTOR,
            data={"committee_id": record_id, "person_id": person.id, "role": "member"},
        )
        membership_id = int(membership.id or 0)
    at = open_committee(record_app, record_id)
    at.selectbox(key=f"membership_archive_pick_{record_id}").set_value(membership_id).run()
    at.button(key=f"action.membership_archive_{record_id}").click().run()
    assert not at.exception
    with Session(make_engine(demo_url)) as session:
        assert session.get(Membership, membership_id).archived  # type: ignore[union-attr]
    at.button(key=f"action.membership_restore_{membership_id}").click().run()
    with Session(make_engine(demo_url)) as session:
        assert not session.get(Membership, membership_id).archived  # type: ignore[union-attr]
    at.selectbox(key=f"membership_archive_pick_{record_id}").set_value(membership_id).run()
    at.button(key=f"action.membership_archive_{record_id}").click().run()
    at.button(key=f"action.membership_delete_{membership_id}.ask").click().run()
    at.button(key=f"action.membership_delete_{membership_id}.confirm").click().run()
    assert not at.exception
    with Session(make_engine(demo_url)) as session:
        assert session.get(Membership, membership_id) is None
    assert "Mitgliedschaft endgültig gelöscht." in [s.value for s in at.success]
