"""Two secretaries saving the same record at once: one wins, the other hears who and when.

Every thread works in its own Session, as two browser sessions would. A Barrier makes
both read before either writes, so the race is certain rather than lucky; the SQL-level
guard (UPDATE … WHERE version = ?) must catch what the in-memory check cannot see.
"""

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlmodel import Session, col, select

from models import AgendaItem, Attendance, AuditEvent, Meeting, Organization
from models.enums import AuditAction, Role
from services import accounts, meetings, organizations
from services.actor import Actor
from services.errors import ConflictError, DomainError
from services.periods import format_datetime
from tests.conftest import (
    ACTOR,
    make_agenda_item,
    make_org,
    make_voting_body,
    record_attendance,
)

T = TypeVar("T")
# Long enough for a busy CI machine, short enough that a deadlock fails instead of hanging.
WAIT = 10
CONFLICT = re.compile(r"von (\S+) am (\d\d\.\d\d\.\d{4} \d\d:\d\d) Uhr geändert")

ANNA = Actor(username="anna", display_name="Anna Sekretariat", role=Role.SECRETARIAT)
BERND = Actor(username="bernd", display_name="Bernd Sekretariat", role=Role.SECRETARIAT)
# Committee work needs an assignment; these two may change every meeting.
ANNA_ADMIN = Actor(username="anna", display_name="Anna", role=Role.ADMIN)
BERND_ADMIN = Actor(username="bernd", display_name="Bernd", role=Role.ADMIN)


def together(engine: Engine, *commands: Callable[[Session], T]) -> list[T | Exception]:
    """Run each command in its own thread and Session; its result or the error it raised."""

    def run(command: Callable[[Session], T]) -> T | Exception:
        with Session(engine) as session:
            try:
                return command(session)
            except Exception as error:  # the outcome under test, not a crash
                return error

    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        return list(pool.map(run, commands))


@contextmanager
def meeting_before_writing(session: Session, barrier: threading.Barrier) -> Iterator[None]:
    """Hold this session's first flush until every other party has read, too."""
    waited = False

    def wait(*_args: Any) -> None:
        nonlocal waited
        if not waited:
            waited = True
            barrier.wait(timeout=WAIT)

    event.listen(session, "before_flush", wait)
    try:
        yield
    finally:
        event.remove(session, "before_flush", wait)


def winners_and_losers(outcomes: list[Any]) -> tuple[list[Any], list[Exception]]:
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    return [outcome for outcome in outcomes if not isinstance(outcome, Exception)], errors


def update_events(engine: Engine, entity: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.entity == entity, AuditEvent.action == AuditAction.UPDATE)
                .order_by(col(AuditEvent.id))
            )
        )


def assert_names_the_winner(error: Exception, winner: Actor, stored: Any) -> None:
    assert isinstance(error, ConflictError), repr(error)
    assert error.field == "version"
    found = CONFLICT.search(error.message)
    assert found is not None, error.message
    assert found.groups() == (winner.username, format_datetime(stored.updated_at))


# --- one record, both with the version they loaded ------------------------------------


def test_two_secretaries_save_the_same_organization(engine: Engine) -> None:
    with Session(engine) as session:
        org_id = make_org(session, name="Landkreis Vorpommern-Greifswald", state="MV").id
    barrier = threading.Barrier(2)
    edits = {
        ANNA: {"name": "Landkreis Vorpommern-Greifswald (Anna)", "short_name": "LK V-G"},
        BERND: {"name": "Landkreis VG (Bernd)", "short_name": "VG", "state": "BB"},
    }

    def save_as(actor: Actor) -> Callable[[Session], Organization]:
        def save(session: Session) -> Organization:
            # Loading the form and saving it are two runs of the page: two transactions.
            version = session.get_one(Organization, org_id).version
            session.rollback()
            barrier.wait(timeout=WAIT)
            return organizations.update_organization(
                session=session,
                actor=actor,
                row_id=org_id,
                data=edits[actor],
                expected_version=version,
            )

        return save

    outcomes = together(engine, save_as(ANNA), save_as(BERND))

    [winner], [error] = winners_and_losers(outcomes)
    winning_actor = ANNA if winner.updated_by == "anna" else BERND
    with Session(engine) as session:
        stored = session.get_one(Organization, org_id)
        assert_names_the_winner(error, winning_actor, stored)
        assert stored.version == 2
        # Every field is the winner's: nothing of the loser's edit got through.
        expected = {"name": "", "short_name": "", "state": "MV", **edits[winning_actor]}
        assert {field: str(getattr(stored, field)) for field in expected} == expected
    [event_] = update_events(engine, "organization")
    assert event_.actor == winning_actor.username
    assert {field: new for field, (_old, new) in event_.changes.items()} == edits[winning_actor]


def test_two_secretaries_change_the_same_meeting(engine: Engine) -> None:
    """Secretaries with real accounts, both assigned to the committee of the meeting."""
    with Session(engine) as session:
        body, meeting, _people = make_voting_body(session, voters=2)
        meeting_id, loaded = meeting.id, meeting.version
        team = []
        for name in ("anna", "bernd"):
            account = accounts.create_account(
                session=session,
                actor=ACTOR,
                data={"username": name, "display_name": name.title(), "role": "secretariat"},
                password="ein-langes-testpasswort",
            )
            accounts.assign(
                session=session, actor=ACTOR, account_id=account.id, committee_id=body.id
            )
            team.append(accounts.account_actor(account))
    barrier = threading.Barrier(2)
    edits = [{"location": "Schwerin, Schloss"}, {"location": "Rostock", "title": "Sondersitzung"}]

    def save_as(actor: Actor, data: dict[str, Any]) -> Callable[[Session], Meeting]:
        def save(session: Session) -> Meeting:
            version = session.get_one(Meeting, meeting_id).version
            with meeting_before_writing(session, barrier):
                return meetings.update_meeting(
                    session=session,
                    actor=actor,
                    row_id=meeting_id,
                    data=data,
                    expected_version=version,
                )

        return save

    outcomes = together(engine, *(save_as(a, d) for a, d in zip(team, edits, strict=True)))

    [winner], [error] = winners_and_losers(outcomes)
    winning = 0 if winner.updated_by == "anna" else 1
    with Session(engine) as session:
        stored = session.get_one(Meeting, meeting_id)
        assert_names_the_winner(error, team[winning], stored)
        assert stored.version == loaded + 1
        assert (stored.location, stored.title) == (
            edits[winning]["location"],
            edits[winning].get("title"),
        )
    assert [event_.actor for event_ in update_events(engine, "meeting")] == [team[winning].username]


# --- no version passed: the UPDATE … WHERE version = ? guard alone ------------------------


def test_the_database_refuses_the_second_save_without_expected_version(engine: Engine) -> None:
    with Session(engine) as session:
        org_id = make_org(session, name="Stadt Greifswald").id
    barrier = threading.Barrier(2)

    def save_as(actor: Actor, short_name: str) -> Callable[[Session], Organization]:
        def save(session: Session) -> Organization:
            # Both sessions hold version 1 in their identity map when they flush.
            session.get_one(Organization, org_id)
            with meeting_before_writing(session, barrier):
                return organizations.update_organization(
                    session=session, actor=actor, row_id=org_id, data={"short_name": short_name}
                )

        return save

    outcomes = together(engine, save_as(ANNA, "HGW"), save_as(BERND, "Greifswald"))

    [winner], [error] = winners_and_losers(outcomes)
    winning_actor = ANNA if winner.updated_by == "anna" else BERND
    with Session(engine) as session:
        stored = session.get_one(Organization, org_id)
        assert_names_the_winner(error, winning_actor, stored)
        assert (stored.version, stored.short_name) == (2, winner.short_name)
    assert [event_.actor for event_ in update_events(engine, "organization")] == [
        winning_actor.username
    ]


# --- commands that write several rows ---------------------------------------------------


def test_two_attendance_sheets_saved_at_once(engine: Engine) -> None:
    with Session(engine) as session:
        _body, meeting, people = make_voting_body(session, voters=3, present=0)
        for person in people:
            record_attendance(session, meeting, person, status="present")
        sheet = meetings.attendance_sheet(session, meeting.id)
        meeting_id = meeting.id
    versions = dict(zip(sheet["person_id"], sheet["version"], strict=True))
    barrier = threading.Barrier(2)

    def sheet_of(status: str) -> list[dict[str, Any]]:
        return [
            {"person_id": int(pid), "status": status, "expected_version": int(version)}
            for pid, version in versions.items()
        ]

    def save_as(actor: Actor, status: str) -> Callable[[Session], list[Attendance]]:
        def save(session: Session) -> list[Attendance]:
            with meeting_before_writing(session, barrier):
                return meetings.save_attendance(
                    session=session, actor=actor, meeting_id=meeting_id, entries=sheet_of(status)
                )

        return save

    outcomes = together(engine, save_as(ANNA_ADMIN, "excused"), save_as(BERND_ADMIN, "absent"))

    [winner], [error] = winners_and_losers(outcomes)
    winning_status = winner[0].status
    with Session(engine) as session:
        rows = session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id)).all()
        # All three lines are the winner's, none of the loser's: no mixed sheet.
        assert {(row.status, row.version) for row in rows} == {(winning_status, 2)}
        winner_name = rows[0].updated_by
        # The sheet names the line that clashed ("version.<person>"), so the page can show it
        # next to that person; a plain ConflictError ("version") would do as well.
        assert isinstance(error, DomainError)
        assert error.errors, error
        for line in error.errors:
            assert str(line.field).split(".")[0] == "version", line
            found = CONFLICT.search(line.message)
            assert found is not None, line.message
            assert found.group(1) == winner_name
    events_ = update_events(engine, "attendance")
    assert len(events_) == 3
    assert {event_.actor for event_ in events_} == {winner_name}


def test_two_users_move_agenda_items_of_the_same_meeting(engine: Engine) -> None:
    with Session(engine) as session:
        _body, meeting, _people = make_voting_body(session, voters=1)
        for number in range(1, 5):
            make_agenda_item(session, meeting, number=str(number), order=number, title=f"T{number}")
        items = session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(col(AgendaItem.order))
        ).all()
        first, _second, third, _fourth = (item.id for item in items)
        meeting_id = meeting.id
    barrier = threading.Barrier(2)

    def move(actor: Actor, item_id: int | None, direction: int) -> Callable[[Session], Any]:
        def save(session: Session) -> Any:
            version = session.get_one(AgendaItem, item_id).version
            with meeting_before_writing(session, barrier):
                return meetings.move_agenda_item(
                    session=session,
                    actor=actor,
                    row_id=int(item_id or 0),
                    direction=direction,
                    expected_version=version,
                )

        return save

    # Anna moves TOP 1 down, Bernd moves TOP 3 up: both give TOP 2 a new place.
    outcomes = together(engine, move(ANNA_ADMIN, first, +1), move(BERND_ADMIN, third, -1))

    [winner], [error] = winners_and_losers(outcomes)
    anna_won = winner.updated_by == "anna"
    with Session(engine) as session:
        stored = session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(col(AgendaItem.order))
        ).all()
        # Both moves touch TOP 2; the loser stumbles over the winner's change of it.
        [top_2] = [item for item in stored if item.title == "T2"]
        assert_names_the_winner(error, ANNA_ADMIN if anna_won else BERND_ADMIN, top_2)
        # Positions stay 1 … 4 without gaps or doubles, in the winner's order only.
        assert [item.order for item in stored] == [1, 2, 3, 4]
        assert [item.title for item in stored] == (
            ["T2", "T1", "T3", "T4"] if anna_won else ["T1", "T3", "T2", "T4"]
        )
    assert [event_.actor for event_ in update_events(engine, "agenda_item")] == [
        winner.updated_by
    ] * 2


# --- many writers, retrying until their change is in ----------------------------------------


def test_eight_writers_retrying_lose_no_update(engine: Engine) -> None:
    with Session(engine) as session:
        org_id = make_org(session, name="Zähler", short_name="0").id
    writers, rounds = 8, 5
    conflicts = [0] * writers
    start = threading.Barrier(writers)

    def count_up(writer: int) -> Callable[[Session], int]:
        actor = Actor(f"schreiber{writer}", f"Schreiber {writer}", Role.SECRETARIAT)

        def run(session: Session) -> int:
            start.wait(timeout=WAIT)
            for _ in range(rounds):
                while True:
                    current = session.get_one(Organization, org_id, populate_existing=True)
                    counter, version = int(current.short_name or 0), current.version
                    session.rollback()
                    try:
                        organizations.update_organization(
                            session=session,
                            actor=actor,
                            row_id=org_id,
                            data={"short_name": str(counter + 1)},
                            expected_version=version,
                        )
                        break
                    except ConflictError:
                        conflicts[writer] += 1
            return writer

        return run

    outcomes = together(engine, *(count_up(writer) for writer in range(writers)))

    assert outcomes == list(range(writers))
    saves = writers * rounds
    with Session(engine) as session:
        stored = session.get_one(Organization, org_id)
        assert (stored.short_name, stored.version) == (str(saves), 1 + saves)
    events_ = update_events(engine, "organization")
    assert len(events_) == saves
    # Each event moves the counter by exactly one: no two saves started from the same value.
    assert [int(event_.changes["short_name"][1]) for event_ in events_] == list(range(1, saves + 1))
