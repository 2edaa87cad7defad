"""Beschlüsse: the Beschlusskontrolle list, one decision's follow-up and its error paths."""

from datetime import date
from pathlib import Path

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import AgendaItem, Decision, FollowUpNote
from models.db import make_engine
from models.enums import FollowUpStatus, Role
from services import decisions
from tests.conftest import ACTOR
from tests.pages.apptest import page_app
from tests.pages.test_committees import READER_NOTE, captions, edit_controls
from ui.format import plain

ROOT = Path(__file__).resolve().parents[2]


def decision_by_reference(url: str, reference: str) -> Decision:
    with Session(make_engine(url)) as session:
        decision = session.exec(select(Decision).where(Decision.reference == reference)).one()
        session.expunge(decision)
        return decision


def notes_of(url: str, decision_id: int) -> list[FollowUpNote]:
    with Session(make_engine(url)) as session:
        return list(
            session.exec(select(FollowUpNote).where(FollowUpNote.decision_id == decision_id))
        )


def open_decision(
    tmp_path: Path, url: str, reference: str, role: Role = Role.ADMIN
) -> tuple[AppTest, Decision]:
    decision = decision_by_reference(url, reference)
    at = page_app(tmp_path, "decisions", role)
    at.query_params["id"] = str(decision.id)
    return at.run(), decision


def test_list_shows_overdue_decisions_first_with_marker(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "decisions").run()
    assert not at.exception
    assert at.title[0].value == "Beschlüsse"
    assert "3 Beschlüsse sind überfällig." in [w.value for w in at.warning]
    table = at.dataframe[0].value
    assert table["Beschluss-Nr."].tolist()[:3] == ["LA-2019/05", "LA-2019/04", "LA-2020/01"]
    markers = table["überfällig seit"].tolist()
    assert all(m.startswith("⚠ ") and m.endswith(" Tage") for m in markers[:3])
    assert markers[3:] == [""] * (len(markers) - 3)
    days = (date.today() - date(2020, 1, 31)).days
    assert markers[0] == f"⚠ {days} Tage"
    assert table["Frist"].tolist()[0] == "31.01.2020"


def test_filters_by_status_committee_and_overdue(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "decisions").run()
    at.multiselect(key="decisions.status").select("done").run()
    table = at.dataframe[0].value
    assert set(table["Umsetzungsstand"]) == {"erledigt"}
    assert len(table) == 6
    assert not at.warning  # none of the finished decisions is overdue

    at.multiselect(key="decisions.status").unselect("done").run()
    at.checkbox(key="decisions.overdue").check().run()
    assert at.dataframe[0].value["Beschluss-Nr."].tolist() == [
        "LA-2019/05",
        "LA-2019/04",
        "LA-2020/01",
    ]

    at.checkbox(key="decisions.overdue").uncheck().run()
    committee = at.selectbox(key="decisions.committee")
    leipzig = next(o for o in committee.options if "Leipzig" in o)
    committee.select(leipzig).run()
    assert at.dataframe[0].value["Beschluss-Nr."].tolist() == ["RV-2019/KOMM24"]

    at.text_input(key="decisions.search").input("nichts dergleichen").run()
    assert "Keine Beschlüsse passen zu diesen Filtern." in [i.value for i in at.info]


def test_decision_view_shows_meeting_votes_and_text(tmp_path: Path, demo_url: str) -> None:
    at, decision = open_decision(tmp_path, demo_url, "LA-2019/05")
    assert not at.exception
    assert at.title[0].value == "Beschluss LA-2019/05"
    page_links = at.get("page_link")
    meeting_label = plain(
        "Sitzung Nr. 2 am 20.11.2019 – Sitzung des Lenkungsausschusses E-Government"
    )
    meeting_link = next(link for link in page_links if link.proto.label == meeting_label)
    assert meeting_link.proto.query_string == f"id={decision.meeting_id}"
    shown = " ".join(m.value for m in at.markdown)
    assert "Ja 6 · Nein 0 · Enthaltung 0 · befangen 0" in shown
    assert "Landkreistag Mecklenburg-Vorpommern" in shown
    assert any("Überfällig: Frist 31.01.2020" in e.value for e in at.error)
    assert "Noch keine Vermerke" in " ".join(i.value for i in at.info)


def test_follow_up_note_changes_status_and_shows_in_history(tmp_path: Path, demo_url: str) -> None:
    at, decision = open_decision(tmp_path, demo_url, "LA-2019/05")
    form = f"follow_up_{decision.id}"
    at.selectbox(key=f"{form}.status").select("in_progress")
    at.date_input(key=f"{form}.noted_on").set_value(date(2020, 2, 10))
    at.text_area(key=f"{form}.text").input("Zwei Landkreise haben **benannt**.")
    next(b for b in at.button if b.label == "Vermerk speichern").click().run()
    assert not at.exception
    assert not at.error or all("Überfällig" in e.value for e in at.error)

    notes = notes_of(demo_url, decision.id)
    assert [(n.noted_on, n.status, n.text) for n in notes] == [
        (date(2020, 2, 10), FollowUpStatus.IN_PROGRESS, "Zwei Landkreise haben **benannt**.")
    ]
    assert decision_by_reference(demo_url, "LA-2019/05").follow_up_status == (
        FollowUpStatus.IN_PROGRESS
    )
    assert "Umsetzungsstand gespeichert." in [s.value for s in at.success]
    history = at.dataframe[0].value
    assert history.iloc[0].tolist() == [
        "10.02.2020",
        "in Umsetzung",
        "Zwei Landkreise haben **benannt**.",
        "admin",
    ]
    assert at.metric[0].value == "in Umsetzung"


def test_note_dated_before_the_meeting_is_refused(tmp_path: Path, demo_url: str) -> None:
    at, decision = open_decision(tmp_path, demo_url, "LA-2019/05")
    form = f"follow_up_{decision.id}"
    at.selectbox(key=f"{form}.status").select("done")
    at.date_input(key=f"{form}.noted_on").set_value(date(2019, 1, 1))
    at.text_area(key=f"{form}.text").input("Erledigt.")
    next(b for b in at.button if b.label == "Vermerk speichern").click().run()
    assert not at.exception
    assert "„Datum“ des Vermerks darf nicht vor dem Beschluss (20.11.2019) liegen." in [
        e.value for e in at.error
    ]
    assert notes_of(demo_url, decision.id) == []
    assert decision_by_reference(demo_url, "LA-2019/05").follow_up_status == FollowUpStatus.OPEN
    assert at.text_area(key=f"{form}.text").value == "Erledigt."
    assert at.selectbox(key=f"{form}.status").value == "done"


def test_responsible_and_due_date_change_with_version_check(tmp_path: Path, demo_url: str) -> None:
    at, decision = open_decision(tmp_path, demo_url, "LA-2019/05")
    form = f"decision_follow_up_{decision.id}_{decision.version}"
    at.text_input(key=f"decision_org_search_{decision.id}").input("Leipzig").run()
    responsible = at.selectbox(key=f"{form}.responsible_organization_id")
    assert "Stadt Leipzig (Leipzig)" in responsible.options
    responsible.select(next(o for o in responsible.options if o == "Stadt Leipzig (Leipzig)"))
    at.date_input(key=f"{form}.due_date").set_value(date(2030, 6, 30))
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception
    stored = decision_by_reference(demo_url, "LA-2019/05")
    assert stored.due_date == date(2030, 6, 30)
    assert stored.version == decision.version + 1
    assert not any("Überfällig" in e.value for e in at.error)
    assert "Stadt Leipzig" in " ".join(m.value for m in at.markdown)


def test_unknown_decision_says_so(tmp_path: Path, database_url: str) -> None:
    at = page_app(tmp_path, "decisions")
    at.query_params["id"] = "999"
    at.run()
    assert not at.exception
    assert "Beschluss mit der Nummer 999 gibt es nicht." in [w.value for w in at.warning]


def test_empty_database_says_where_decisions_come_from(tmp_path: Path, database_url: str) -> None:
    at = page_app(tmp_path, "decisions").run()
    assert not at.exception
    assert not at.warning
    assert any("Noch keine Beschlüsse" in i.value for i in at.info)
    assert [link.proto.label for link in at.get("page_link")] == ["Zu den Sitzungen"]


def test_a_reader_sees_no_edit_controls(tmp_path: Path, demo_url: str) -> None:
    # Every demo agenda item is non-public, which Lesend does not see at all.
    hidden, decision = open_decision(tmp_path, demo_url, "LA-2019/05", Role.READER)
    assert not hidden.exception
    assert f"Beschluss mit der Nummer {decision.id} gibt es nicht." in [
        w.value for w in hidden.warning
    ]
    with Session(make_engine(demo_url)) as session:
        item = session.get(AgendaItem, decision.agenda_item_id)
        assert item is not None
        item.public = True
        session.add(item)
        session.commit()
    at, _ = open_decision(tmp_path, demo_url, "LA-2019/05", Role.READER)
    assert not at.exception
    assert at.title[0].value == "Beschluss LA-2019/05"
    assert edit_controls(at) == []
    assert READER_NOTE in captions(at)
    admin, _ = open_decision(tmp_path, demo_url, "LA-2019/05")
    assert f"action.decision_archive_{decision.id}" in edit_controls(admin)
    secretariat, _ = open_decision(tmp_path, demo_url, "LA-2019/05", Role.SECRETARIAT)
    assert f"action.decision_archive_{decision.id}" in edit_controls(secretariat)


def test_archive_restore_and_the_refused_delete_of_a_decision(
    tmp_path: Path, demo_url: str
) -> None:
    with Session(make_engine(demo_url)) as session:
        decisions.add_follow_up_note(
            session=session,
            actor=ACTOR,
            data={
                "decision_id": decision_by_reference(demo_url, "LA-2019/05").id,
                "status": FollowUpStatus.IN_PROGRESS.value,
                "noted_on": date(2020, 1, 1),
            },
        )
    at, decision = open_decision(tmp_path, demo_url, "LA-2019/05")
    at.button(key=f"action.decision_archive_{decision.id}").click().run()
    assert decision_by_reference(demo_url, "LA-2019/05").archived
    at.button(key=f"action.decision_delete_{decision.id}.ask").click().run()
    at.button(key=f"action.decision_delete_{decision.id}.confirm").click().run()
    assert not at.exception
    # Its follow-up notes still refer to it.
    assert any("Umsetzungsvermerk" in error.value for error in at.error)
    at.button(key=f"action.decision_restore_{decision.id}").click().run()
    assert not decision_by_reference(demo_url, "LA-2019/05").archived
