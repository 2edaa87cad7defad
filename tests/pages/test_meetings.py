"""Sitzungen: the list, a new meeting, and running a meeting from agenda to closing."""

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from models import AgendaItem, Assignment, Attendance, Committee, Decision, Meeting
from models.db import make_engine
from models.enums import AttendanceStatus, DecisionResult, MeetingState, Role
from services import accounts, decisions, meetings
from services.seed import load_demo_data
from services.write import key
from tests.conftest import (
    ACTOR,
    make_agenda_item,
    make_committee,
    make_meeting,
    make_membership,
    make_person,
    make_voting_body,
)
from tests.pages.apptest import entry_script, signed_in
from tests.pages.test_committees import (
    NOT_ASSIGNED_NOTE,
    READER_NOTE,
    captions,
    edit_controls,
)
from tests.workspaces import ACCOUNT_IDS, SECRETARIAT_COMMITTEE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path: Path) -> str:
    return entry_script(tmp_path, "meetings")


def open_page(app: str, meeting_id: int | None = None, role: Role = Role.ADMIN) -> AppTest:
    at = signed_in(AppTest.from_file(app, default_timeout=30), role)
    if meeting_id is not None:
        at.query_params["id"] = str(meeting_id)
    at.run()
    assert not at.exception
    return at


def press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def submit(at: AppTest, form: str) -> AppTest:
    next(button for button in at.button if button.form_id == form).click().run()
    assert not at.exception
    return at


def errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


def texts(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    )


def db(url: str) -> Session:
    return Session(make_engine(url))


def voting_body(url: str) -> dict[str, int]:
    """A committee with three voting members on 10.03.2026, a former one, and that meeting."""
    with db(url) as session:
        body, meeting, people = make_voting_body(session, voters=3, present=0)
        former = make_person(session, family_name="Ehemalig")
        make_membership(
            session, body, former, start_date=date(2020, 1, 1), end_date=date(2025, 12, 31)
        )
        deputy = make_person(session, family_name="Vertretung")
        guest = make_person(session, family_name="Gast")
        ids = {f"p{index}": key(person) for index, person in enumerate(people)}
        return {
            "committee": key(body),
            "meeting": key(meeting),
            "former": key(former),
            "deputy": key(deputy),
            "guest": key(guest),
            **ids,
        }


# --- the list -------------------------------------------------------------------------


def test_list_with_demo_data_upcoming_or_newest_first(database_url: str, app: str) -> None:
    with db(database_url) as session:
        load_demo_data(session)
    at = open_page(app)
    assert at.title[0].value == "Sitzungen"
    upcoming = at.dataframe[0].value
    assert len(upcoming) == 6
    assert upcoming.iloc[0]["Status"] == "geplant"  # the demo's coming meeting leads

    at.radio(key="meetings.order").set_value("newest").run()
    newest = at.dataframe[0].value
    assert sorted(newest["Beginn"].tolist(), key=_moment, reverse=True) == newest["Beginn"].tolist()

    with db(database_url) as session:
        leipzig = session.exec(
            select(Committee.id).where(Committee.name == "Ratsversammlung der Stadt Leipzig")
        ).one()
    at.selectbox(key="meetings.committee").set_value(leipzig).run()
    assert set(at.dataframe[0].value["Gremium"]) == {"Ratsversammlung der Stadt Leipzig"}

    at.selectbox(key="meetings.committee").set_value(None)
    at.selectbox(key="meetings.state").set_value("cancelled").run()
    assert "Keine Sitzungen für diese Auswahl." in [info.value for info in at.info]


def _moment(text: str) -> datetime:
    return datetime.strptime(text, "%d.%m.%Y %H:%M")


def test_list_with_an_empty_database(database_url: str, app: str) -> None:
    at = open_page(app)
    assert "Noch keine Gremien" in at.info[0].value
    with db(database_url) as session:
        make_committee(session)
    at = open_page(app)
    assert "Noch keine Sitzungen. Legen Sie oben die erste an." in [i.value for i in at.info]


def test_create_a_meeting_and_open_it(database_url: str, app: str) -> None:
    with db(database_url) as session:
        committee_id = make_committee(session, name="Arbeitsgruppe Neu").id
    at = open_page(app)
    at.selectbox(key="meeting_new.committee_id").set_value(committee_id)
    at.date_input(key="meeting_new.start").set_value(date(2026, 12, 3))
    at.time_input(key="meeting_new.start_time").set_value(time(10, 0))
    at.time_input(key="meeting_new.end").set_value(time(12, 30))
    at.text_input(key="meeting_new.title").input("Auftaktsitzung")
    at.text_input(key="meeting_new.location").input("Schwerin")
    submit(at, "meeting_new")

    with db(database_url) as session:
        meeting = session.exec(select(Meeting)).one()
    assert (meeting.committee_id, meeting.number, meeting.title) == (
        committee_id,
        1,
        "Auftaktsitzung",
    )
    assert (meeting.start, meeting.end) == (
        datetime(2026, 12, 3, 10, 0),
        datetime(2026, 12, 3, 12, 30),
    )
    assert at.query_params["id"] == str(meeting.id)
    assert at.title[0].value == "Sitzung Nr. 1"
    assert "Sitzung Nr. 1 angelegt." in [s.value for s in at.success]
    assert "03.12.2026" in texts(at)


def test_end_before_start_is_refused_and_the_input_kept(database_url: str, app: str) -> None:
    with db(database_url) as session:
        committee_id = make_committee(session).id
    at = open_page(app)
    at.selectbox(key="meeting_new.committee_id").set_value(committee_id)
    at.date_input(key="meeting_new.start").set_value(date(2026, 12, 3))
    at.time_input(key="meeting_new.start_time").set_value(time(14, 0))
    at.time_input(key="meeting_new.end").set_value(time(13, 0))
    at.text_input(key="meeting_new.title").input("Zu früh beendet")
    submit(at, "meeting_new")

    assert "„Ende“ darf nicht vor dem Beginn liegen." in errors(at)
    assert at.text_input(key="meeting_new.title").value == "Zu früh beendet"
    with db(database_url) as session:
        assert session.exec(select(Meeting)).all() == []


def test_a_meeting_without_date_is_refused(database_url: str, app: str) -> None:
    with db(database_url) as session:
        committee_id = make_committee(session).id
    at = open_page(app)
    at.selectbox(key="meeting_new.committee_id").set_value(committee_id)
    at.date_input(key="meeting_new.start").set_value(None)
    submit(at, "meeting_new")
    assert "„Beginn“ ist ein Pflichtfeld." in errors(at)


def test_edit_the_meeting_data(database_url: str, app: str) -> None:
    ids = voting_body(database_url)
    meeting_id = ids["meeting"]
    form = f"meeting_edit_{meeting_id}_1"
    at = open_page(app, meeting_id)
    at.text_input(key=f"{form}.title").input("Sondersitzung")
    at.selectbox(key=f"{form}.kind").set_value("video")
    at.time_input(key=f"{form}.end").set_value(time(11, 30))
    submit(at, form)
    with db(database_url) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        assert (meeting.title, meeting.kind, meeting.start, meeting.end, meeting.version) == (
            "Sondersitzung",
            "video",
            datetime(2026, 3, 10, 10, 0),
            datetime(2026, 3, 10, 11, 30),
            2,
        )
    assert "10:00–11:30 Uhr" in texts(at)


# --- a meeting: agenda ------------------------------------------------------------------


def _agenda(url: str, meeting_id: int) -> list[tuple[str, str, int]]:
    with db(url) as session:
        items = session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id, col(AgendaItem.archived).is_(False))
            .order_by(col(AgendaItem.order))
        )
        return [(item.number, item.title, item.order) for item in items]


def test_agenda_add_move_renumber(database_url: str, app: str) -> None:
    ids = voting_body(database_url)
    meeting_id = ids["meeting"]
    at = open_page(app, meeting_id)
    assert "Noch keine Tagesordnungspunkte. Legen Sie unten den ersten TOP an." in texts(at)
    form = f"agenda_new_{meeting_id}"
    at.text_input(key=f"{form}.title").input("Bericht der Geschäftsstelle")
    submit(at, form)
    assert at.text_input(key=f"{form}.number").value == "2"  # the next label is suggested
    at.text_input(key=f"{form}.number").input("2.1")
    at.text_input(key=f"{form}.title").input("Haushalt")
    submit(at, form)
    assert _agenda(database_url, meeting_id) == [
        ("1", "Bericht der Geschäftsstelle", 1),
        ("2.1", "Haushalt", 2),
    ]

    second = _item_id(database_url, meeting_id, "2.1")
    press(at, f"action.agenda_move_{second}_1_-1")
    assert _agenda(database_url, meeting_id) == [
        ("2.1", "Haushalt", 1),
        ("1", "Bericht der Geschäftsstelle", 2),
    ]

    press(at, f"action.agenda_renumber_{meeting_id}")
    assert _agenda(database_url, meeting_id) == [
        ("1", "Haushalt", 1),
        ("2", "Bericht der Geschäftsstelle", 2),
    ]
    assert "**TOP 1** Haushalt" in texts(at)


def test_agenda_item_needs_a_title_and_a_unique_number(database_url: str, app: str) -> None:
    ids = voting_body(database_url)
    meeting_id = ids["meeting"]
    with db(database_url) as session:
        make_agenda_item(session, session.get(Meeting, meeting_id), number="1")
    at = open_page(app, meeting_id)
    form = f"agenda_new_{meeting_id}"
    at.text_input(key=f"{form}.number").input("1")
    submit(at, form)
    assert "„Titel“ ist ein Pflichtfeld." in errors(at)
    at.text_input(key=f"{form}.title").input("Doppelt")
    submit(at, form)
    assert "„TOP“ 1 gibt es in dieser Sitzung bereits." in errors(at)
    assert len(_agenda(database_url, meeting_id)) == 1


def _item_id(url: str, meeting_id: int, number: str) -> int:
    with db(url) as session:
        item = session.exec(
            select(AgendaItem).where(
                AgendaItem.meeting_id == meeting_id, AgendaItem.number == number
            )
        ).one()
        assert item.id is not None
        return item.id


# --- a meeting: attendance and quorum ---------------------------------------------------


def test_attendance_sheet_and_live_quorum(database_url: str, app: str) -> None:
    ids = voting_body(database_url)
    meeting_id = ids["meeting"]
    form = f"attendance_{meeting_id}"
    at = open_page(app, meeting_id)

    listed = {box.key for box in at.selectbox if (box.key or "").startswith(f"{form}.status.")}
    assert listed == {f"{form}.status.{ids[p]}" for p in ("p0", "p1", "p2")}  # not the former
    assert "Von 3 stimmberechtigten Mitgliedern sind 0 anwesend" in errors(at)[0]

    at.selectbox(key=f"{form}.status.{ids['p0']}").set_value("present")
    at.selectbox(key=f"{form}.status.{ids['p1']}").set_value("excused")
    at.selectbox(key=f"{form}.status.{ids['p2']}").set_value("represented").run()
    substitute = at.selectbox(key=f"{form}.substitute_id.{ids['p2']}")
    assert ids["p2"] not in substitute.options  # nobody stands in for themselves

    press(at, f"action.{form}")  # the substitute is still missing
    assert any("„vertreten durch“ ist bei Status vertreten anzugeben." in e for e in errors(at))
    with db(database_url) as session:
        assert session.exec(select(Attendance)).all() == []  # all or nothing

    at.text_input(key=f"attendance_search_{meeting_id}").input("Vertretung").run()
    at.selectbox(key=f"{form}.substitute_id.{ids['p2']}").set_value(ids["deputy"])
    press(at, f"action.{form}")
    with db(database_url) as session:
        stored = {
            row.person_id: (row.status, row.substitute_id)
            for row in session.exec(select(Attendance))
        }
    assert stored == {
        ids["p0"]: (AttendanceStatus.PRESENT, None),
        ids["p1"]: (AttendanceStatus.EXCUSED, None),
        ids["p2"]: (AttendanceStatus.REPRESENTED, ids["deputy"]),
    }
    quorum = next(s.value for s in at.success if "stimmberechtigten" in s.value)
    assert "2 anwesend oder vertreten (erforderlich: 2). Das Gremium ist beschlussfähig." in quorum

    at.selectbox(key=f"{form}.status.{ids['p0']}").set_value("absent")
    press(at, f"action.{form}")
    assert any("Das Gremium ist nicht beschlussfähig." in e for e in errors(at))


def test_add_and_remove_a_guest(database_url: str, app: str) -> None:
    ids = voting_body(database_url)
    meeting_id = ids["meeting"]
    form = f"guest_new_{meeting_id}"
    at = open_page(app, meeting_id)
    at.text_input(key=f"attendance_search_{meeting_id}").input("Gast").run()
    assert at.selectbox(key=f"{form}.person_id").options == ["Jana Gast"]
    at.selectbox(key=f"{form}.person_id").set_value(ids["guest"])
    submit(at, form)
    with db(database_url) as session:
        guest = session.exec(select(Attendance)).one()
    assert (guest.person_id, guest.status) == (ids["guest"], AttendanceStatus.PRESENT)
    assert "Jana Gast · anwesend" in texts(at)
    # A guest does not count toward the quorum.
    assert "0 anwesend" in errors(at)[0]

    press(at, f"action.guest_archive_{guest.id}_1")
    with db(database_url) as session:
        assert session.get(Attendance, guest.id).archived


# --- a meeting: decisions -----------------------------------------------------------------


def _meeting_with_quorum(url: str) -> dict[str, int]:
    """Three voting members, all present, and two agenda items."""
    ids = voting_body(url)
    with db(url) as session:
        meeting = session.get(Meeting, ids["meeting"])
        for member in ("p0", "p1", "p2"):
            meetings.record_attendance(
                session=session,
                actor=ACTOR,
                data={"meeting_id": meeting.id, "person_id": ids[member], "status": "present"},
            )
        ids["item1"] = key(make_agenda_item(session, meeting, number="1", title="Haushalt"))
        ids["item2"] = key(
            make_agenda_item(session, meeting, number="2", order=2, title="Verschiedenes")
        )
    return ids


def record_decision(
    session: Session, meeting_id: int, item_id: int, reference: str, text: str
) -> int:
    data = {
        "meeting_id": meeting_id,
        "agenda_item_id": item_id,
        "reference": reference,
        "text": text,
    }
    return key(decisions.record_decision(session=session, actor=ACTOR, data=data))


def test_record_a_decision_with_the_proposed_result(database_url: str, app: str) -> None:
    ids = _meeting_with_quorum(database_url)
    form = f"decision_new_{ids['item1']}"
    at = open_page(app, ids["meeting"])
    assert "Vorschlag nach Mehrheitsregel: – (noch keine Ja- oder Nein-Stimmen eingetragen)" in (
        texts(at)
    )
    at.text_input(key=f"{form}.reference").input("AG-2026/01")
    at.text_area(key=f"{form}.text").input("Der Haushalt wird *beschlossen*.")
    at.number_input(key=f"{form}.votes_yes").set_value(2)
    at.number_input(key=f"{form}.votes_no").set_value(1).run()
    assert "Vorschlag nach Mehrheitsregel: mehrheitlich angenommen" in texts(at)
    assert at.selectbox(key=f"{form}.result").value == DecisionResult.ADOPTED_BY_MAJORITY.value
    press(at, f"action.{form}")

    with db(database_url) as session:
        decision = session.exec(select(Decision)).one()
    assert (decision.agenda_item_id, decision.reference, decision.text) == (
        ids["item1"],
        "AG-2026/01",
        "Der Haushalt wird *beschlossen*.",
    )
    assert (decision.votes_yes, decision.votes_no, decision.votes_abstain) == (2, 1, None)
    assert decision.result == DecisionResult.ADOPTED_BY_MAJORITY
    assert "Beschluss AG-2026/01 gespeichert." in [s.value for s in at.success]
    # The text is shown literally, not as Markdown.
    assert r"Der Haushalt wird \*beschlossen\*." in [m.value for m in at.markdown]
    assert not at.warning


def test_decision_errors_keep_the_input_and_store_nothing(database_url: str, app: str) -> None:
    ids = _meeting_with_quorum(database_url)
    with db(database_url) as session:
        record_decision(session, ids["meeting"], ids["item1"], "AG-2026/01", "Schon da.")
    form = f"decision_new_{ids['item2']}"
    at = open_page(app, ids["meeting"])
    at.text_input(key=f"{form}.reference").input("AG-2026/02")
    at.text_area(key=f"{form}.text").input("Zu viele Stimmen.")
    at.number_input(key=f"{form}.votes_yes").set_value(3)
    at.number_input(key=f"{form}.votes_no").set_value(1).run()
    press(at, f"action.{form}")
    assert (
        "Die Stimmen (Ja, Nein, Enthaltung, befangen: zusammen 4) übersteigen die 3 anwesenden "
        "oder vertretenen stimmberechtigten Mitglieder."
    ) in errors(at)
    assert at.text_area(key=f"{form}.text").value == "Zu viele Stimmen."

    at.number_input(key=f"{form}.votes_yes").set_value(2)
    at.text_input(key=f"{form}.reference").input("AG-2026/01")
    press(at, f"action.{form}")
    assert "„Beschluss-Nr.“ AG-2026/01 ist in diesem Gremium bereits vergeben." in errors(at)
    with db(database_url) as session:
        assert len(session.exec(select(Decision)).all()) == 1


def test_a_result_contradicting_the_votes_is_flagged(database_url: str, app: str) -> None:
    ids = _meeting_with_quorum(database_url)
    form = f"decision_new_{ids['item1']}"
    at = open_page(app, ids["meeting"])
    at.text_input(key=f"{form}.reference").input("AG-2026/03")
    at.text_area(key=f"{form}.text").input("Strittig.")
    at.number_input(key=f"{form}.votes_yes").set_value(1)
    at.number_input(key=f"{form}.votes_no").set_value(2).run()
    assert at.selectbox(key=f"{form}.result").value == DecisionResult.REJECTED.value
    at.selectbox(key=f"{form}.result").set_value(DecisionResult.ADOPTED_BY_MAJORITY.value)
    at.number_input(key=f"{form}.votes_abstain").set_value(0).run()
    # The user's choice stays although the proposal is different.
    assert at.selectbox(key=f"{form}.result").value == DecisionResult.ADOPTED_BY_MAJORITY.value
    press(at, f"action.{form}")

    with db(database_url) as session:
        assert session.exec(select(Decision)).one().result == DecisionResult.ADOPTED_BY_MAJORITY
    warning = at.warning[0].value
    assert "„mehrheitlich angenommen“ passt nicht zu den Stimmen" in warning
    assert "wäre es „abgelehnt“" in warning


def test_edit_a_decision(database_url: str, app: str) -> None:
    ids = _meeting_with_quorum(database_url)
    with db(database_url) as session:
        decision_id = record_decision(
            session, ids["meeting"], ids["item1"], "AG-2026/01", "Erster Entwurf."
        )
    form = f"decision_edit_{decision_id}_1"
    at = open_page(app, ids["meeting"])
    at.text_area(key=f"{form}.text").input("Endgültige Fassung.")
    at.number_input(key=f"{form}.votes_yes").set_value(3).run()
    assert at.selectbox(key=f"{form}.result").value == DecisionResult.ADOPTED_UNANIMOUSLY.value
    at.date_input(key=f"{form}.due_date").set_value(date(2026, 6, 30))
    press(at, f"action.{form}")
    with db(database_url) as session:
        stored = session.get(Decision, decision_id)
    assert (stored.text, stored.votes_yes, stored.result, stored.due_date, stored.version) == (
        "Endgültige Fassung.",
        3,
        DecisionResult.ADOPTED_UNANIMOUSLY,
        date(2026, 6, 30),
        2,
    )
    assert "Frist: 30.06.2026" in texts(at)


# --- a meeting: state and closing ---------------------------------------------------------


def test_closing_needs_an_outcome_for_every_item(database_url: str, app: str) -> None:
    ids = _meeting_with_quorum(database_url)
    meeting_id = ids["meeting"]
    with db(database_url) as session:
        record_decision(session, meeting_id, ids["item1"], "AG-2026/01", "Beschlossen.")
    at = open_page(app, meeting_id)
    press(at, f"action.meeting_{meeting_id}_1_held")
    assert _state(database_url, meeting_id) == MeetingState.HELD

    press(at, f"action.meeting_{meeting_id}_2_closed")
    assert any("erst abgeschlossen werden" in e and "es fehlt bei TOP 2." in e for e in errors(at))
    assert _state(database_url, meeting_id) == MeetingState.HELD

    form = f"agenda_edit_{ids['item2']}_1"
    at.text_area(key=f"{form}.minutes_note").input("Keine Wortmeldungen.")
    submit(at, form)
    press(at, f"action.meeting_{meeting_id}_2_closed")
    assert _state(database_url, meeting_id) == MeetingState.CLOSED
    assert "festgeschrieben" in texts(at)
    # Read-only now: no agenda, attendance or decision forms.
    assert not [b for b in at.button if b.form_id.startswith("agenda_new")]
    assert not [box for box in at.selectbox if (box.key or "").startswith("attendance_")]

    press(at, f"action.meeting_{meeting_id}_3_held")  # Abschluss aufheben
    assert _state(database_url, meeting_id) == MeetingState.HELD


def test_cancel_a_planned_meeting(database_url: str, app: str) -> None:
    ids = voting_body(database_url)
    meeting_id = ids["meeting"]
    at = open_page(app, meeting_id)
    press(at, f"action.meeting_{meeting_id}_1_cancel")
    with db(database_url) as session:
        assert session.get(Meeting, meeting_id).cancelled
    assert "Diese Sitzung ist abgesagt." in [w.value for w in at.warning]
    press(at, f"action.meeting_{meeting_id}_2_uncancel")
    with db(database_url) as session:
        assert not session.get(Meeting, meeting_id).cancelled


def _state(url: str, meeting_id: int) -> MeetingState:
    with db(url) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        return meeting.state


# --- Umlaufverfahren ----------------------------------------------------------------------


def test_circulation_records_a_decision_without_agenda(database_url: str, app: str) -> None:
    ids = voting_body(database_url)
    at = open_page(app)
    at.selectbox(key="meeting_new.committee_id").set_value(ids["committee"])
    at.selectbox(key="meeting_new.kind").set_value("circulation")
    at.date_input(key="meeting_new.start").set_value(date(2026, 5, 4))
    submit(at, "meeting_new")
    with db(database_url) as session:
        meeting = session.exec(select(Meeting).where(Meeting.kind == "circulation")).one()
    assert [tab.label for tab in at.tabs] == ["Umlaufbeschlüsse", "Status"]
    assert "keine Tagesordnung und keine Anwesenheitsliste" in texts(at)
    assert "alle 3 stimmberechtigten Mitglieder" in texts(at)

    form = f"decision_new_m{meeting.id}"
    at.text_input(key=f"{form}.reference").input("U-2026/01")
    at.text_area(key=f"{form}.text").input("Zustimmung im Umlaufverfahren.")
    at.number_input(key=f"{form}.votes_yes").set_value(4).run()
    press(at, f"action.{form}")
    assert any("übersteigen die 3" in e for e in errors(at))

    at.number_input(key=f"{form}.votes_yes").set_value(3).run()
    press(at, f"action.{form}")
    with db(database_url) as session:
        decision = session.exec(select(Decision)).one()
    assert (decision.meeting_id, decision.agenda_item_id) == (meeting.id, None)
    assert (decision.kind, decision.vote_mode, decision.result) == (
        "circular_resolution",
        "circulation",
        DecisionResult.ADOPTED_UNANIMOUSLY,
    )
    assert "**Beschluss U-2026/01**" in texts(at)


# --- the demo meetings --------------------------------------------------------------------


def test_every_demo_meeting_renders(database_url: str, app: str) -> None:
    with db(database_url) as session:
        load_demo_data(session)
        meeting_ids = session.exec(select(Meeting.id)).all()
        first = session.exec(select(Meeting).where(Meeting.number == 1)).first()
        assert first is not None
    for meeting_id in meeting_ids:
        at = open_page(app, meeting_id)
        assert at.title[0].value.startswith("Sitzung Nr.")
    at = open_page(app, first.id)
    assert "festgeschrieben" in texts(at)
    assert at.dataframe  # agenda and attendance as read-only tables


def test_an_unknown_meeting(database_url: str, app: str) -> None:
    at = open_page(app, 999)
    assert "Eine Sitzung mit der Nummer 999 gibt es nicht." in errors(at)


# --- roles -----------------------------------------------------------------------------


@pytest.fixture
def deferred_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """The builders of deferred downloads by file name (AppTest cannot click a download)."""
    files: dict[str, Callable[[], Any]] = {}
    original = MediaFileManager.add_deferred

    def record(
        self: MediaFileManager,
        data_callable: Callable[[], Any],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        *,
        element_id: str = "",
    ) -> str:
        files[file_name or ""] = data_callable
        return original(
            self, data_callable, mimetype, coordinates, file_name, element_id=element_id
        )

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return files


def committee_meeting(url: str, committee: str) -> int:
    with db(url) as session:
        found = session.exec(
            select(Meeting.id)
            .join(Committee, col(Meeting.committee_id) == Committee.id)
            .where(Committee.name == committee, col(Meeting.kind) != "circulation")
            .order_by(col(Meeting.start))
        ).first()
    assert found is not None
    return found


def test_a_reader_sees_no_edit_controls(demo_url: str, app: str) -> None:
    listed = open_page(app, role=Role.READER)
    assert edit_controls(listed) == []
    assert READER_NOTE in captions(listed)
    meeting_id = committee_meeting(demo_url, SECRETARIAT_COMMITTEE)
    at = open_page(app, meeting_id, Role.READER)
    assert edit_controls(at) == []
    assert READER_NOTE in captions(at)
    admin = open_page(app, meeting_id)
    assert any(key.startswith(f"action.meeting_{meeting_id}_") for key in edit_controls(admin))


def test_the_secretariat_edits_only_meetings_of_its_committees(demo_url: str, app: str) -> None:
    own = open_page(app, committee_meeting(demo_url, SECRETARIAT_COMMITTEE), Role.SECRETARIAT)
    assert any(key.startswith("action.meeting_") for key in edit_controls(own))
    leipzig = committee_meeting(demo_url, "Ratsversammlung der Stadt Leipzig")
    other = open_page(app, leipzig, Role.SECRETARIAT)
    assert edit_controls(other) == []
    assert NOT_ASSIGNED_NOTE in captions(other)


def test_a_secretariat_cannot_create_a_meeting_in_a_foreign_committee(
    demo_url: str, app: str
) -> None:
    with db(demo_url) as session:
        before = len(session.exec(select(Meeting)).all())
        mv = session.exec(select(Committee).where(Committee.name == SECRETARIAT_COMMITTEE)).one()
    at = open_page(app, role=Role.SECRETARIAT)
    # Only the committees assigned to the account are offered ...
    assert at.selectbox(key="meeting_new.committee_id").options == [SECRETARIAT_COMMITTEE]
    at.selectbox(key="meeting_new.committee_id").set_value(mv.id)
    at.date_input(key="meeting_new.start").set_value(date(2026, 12, 3))
    # ... and when the assignment is withdrawn meanwhile, the service still refuses.
    with db(demo_url) as session:
        assignment = session.exec(
            select(Assignment).where(
                Assignment.account_id == ACCOUNT_IDS[Role.SECRETARIAT],
                Assignment.committee_id == mv.id,
            )
        ).one()
        accounts.unassign(session=session, actor=ACTOR, assignment_id=key(assignment))
    submit(at, "meeting_new")
    assert any("ist Ihrem Konto nicht zugeordnet" in message for message in errors(at))
    with db(demo_url) as session:
        assert len(session.exec(select(Meeting)).all()) == before


def mixed_meeting(url: str) -> int:
    """A meeting with a public and a non-public agenda item."""
    with db(url) as session:
        meeting = make_meeting(session, make_committee(session))
        make_agenda_item(session, meeting, title="Haushalt öffentlich", public=True)
        make_agenda_item(
            session,
            meeting,
            number="2",
            order=2,
            title="Personalsache geheim",
            description="Bewerbung Müller",
            public=False,
        )
        return key(meeting)


def test_a_reader_sees_only_the_number_of_a_non_public_item(
    database_url: str, app: str, deferred_files: dict[str, Callable[[], Any]]
) -> None:
    meeting_id = mixed_meeting(database_url)
    minutes = f"protokoll_sitzung_{meeting_id}.csv"
    at = open_page(app, meeting_id, Role.READER)
    agenda = at.dataframe[0].value
    assert agenda["Titel"].tolist() == ["Haushalt öffentlich", "nichtöffentlich"]
    assert "Personalsache" not in texts(at)
    assert "TOP 2** · nichtöffentlich" in texts(at) or any(
        "nichtöffentlich" in m.value and "TOP 2" in m.value for m in at.markdown
    )
    reader_csv = deferred_files[minutes]().decode("utf-8-sig")
    assert "Haushalt öffentlich" in reader_csv
    assert "Personalsache" not in reader_csv

    open_page(app, meeting_id)
    admin_csv = deferred_files[minutes]().decode("utf-8-sig")
    assert "Personalsache geheim" in admin_csv


def test_admin_deletes_an_archived_meeting(database_url: str, app: str) -> None:
    with db(database_url) as session:
        meeting = make_meeting(session, make_committee(session))
        meeting_id = key(meeting)
        meetings.archive_meeting(session=session, actor=ACTOR, row_id=meeting_id)
    secretary = open_page(app, meeting_id, Role.SECRETARIAT)
    assert "Sitzung wiederherstellen" not in [b.label for b in secretary.button]
    at = open_page(app, meeting_id)
    press(at, f"action.meeting_delete_{meeting_id}.ask")
    press(at, f"action.meeting_delete_{meeting_id}.confirm")
    with db(database_url) as session:
        assert session.get(Meeting, meeting_id) is None
    assert at.title[0].value == "Sitzungen"
    assert "Sitzung Nr. 1 endgültig gelöscht." in [s.value for s in at.success]


def test_delete_of_an_agenda_item_with_a_decision_is_refused(database_url: str, app: str) -> None:
    with db(database_url) as session:
        _body, meeting, _ = make_voting_body(session, voters=1, present=1)
        item = make_agenda_item(session, meeting)
        decision = decisions.record_decision(
            session=session,
            actor=ACTOR,
            data={
                "meeting_id": key(meeting),
                "agenda_item_id": key(item),
                "reference": "B-1",
                "kind": "resolution",
                "text": "Beschlossen.",
                "result": DecisionResult.NOTED.value,
            },
        )
        item_id, meeting_id = key(item), key(meeting)
        # An item with a decision is archived only after it; the archived decision still refers.
        decisions.archive_decision(session=session, actor=ACTOR, row_id=key(decision))
        meetings.archive_agenda_item(session=session, actor=ACTOR, row_id=item_id)
    at = open_page(app, meeting_id)
    press(at, f"action.agenda_delete_{item_id}.ask")
    press(at, f"action.agenda_delete_{item_id}.confirm")
    assert any("kann nicht gelöscht werden" in e and "Beschluss" in e for e in errors(at))
    with db(database_url) as session:
        assert session.get(AgendaItem, item_id) is not None
