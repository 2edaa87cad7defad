"""Fixtures: a migrated database per backend (SQLite always, PostgreSQL when reachable).

Each backend is migrated once per test run; every test then starts from empty
tables. Service tests take the `session` fixture and so run on both backends.
"""

import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel

from models import (
    AgendaItem,
    Agreement,
    AgreementParty,
    Attendance,
    Committee,
    Meeting,
    Membership,
    Organization,
    Person,
)
from models.db import make_engine
from models.enums import Role
from services import accounts, agreements, committees, meetings, organizations, persons
from services.actor import Actor
from services.database import migrate

# Argon2's RFC 9106 profile costs 64 MiB and ~50 ms per hash; tests need hashes, not hardness.
accounts.use_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))

LOCAL_PG_URL = (
    "postgresql+psycopg://kooperationsraum:kooperationsraum@127.0.0.1:5432/kooperationsraum_test"
)
ACTOR = Actor(username="sekretariat", display_name="Geschäftsstelle Test", role=Role.ADMIN)


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = Path(tmp_path_factory.mktemp("db")) / "test.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgresql_engine() -> Iterator[Engine]:
    url = os.environ.get("TEST_DATABASE_URL", LOCAL_PG_URL)
    # One schema per pytest-xdist worker, so parallel workers never share tables.
    schema = f"test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    engine = make_engine(
        url, connect_args={"connect_timeout": 3, "options": f"-csearch_path={schema}"}
    )
    try:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as exc:
        message = (
            f"PostgreSQL unter {engine.url.render_as_string(hide_password=True)} nicht erreichbar "
            f"({exc.orig}); `make postgres` startet den lokalen Server."
        )
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    migrate(engine)
    yield engine
    engine.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    _empty(engine)
    return engine


def _empty(engine: Engine) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def actor() -> Actor:
    return ACTOR


# --- small factories: valid records through the real commands ------------------------


def make_org(session: Session, **overrides: Any) -> Organization:
    data = {"name": "Landkreis Beispiel", "kind": "district", "state": "MV", **overrides}
    return organizations.create_organization(session=session, actor=ACTOR, data=data)


def make_person(session: Session, **overrides: Any) -> Person:
    data = {"given_name": "Jana", "family_name": "Beispiel", **overrides}
    return persons.create_person(session=session, actor=ACTOR, data=data)


def make_committee(session: Session, **overrides: Any) -> Committee:
    data = {"name": "Lenkungsausschuss Test", "kind": "steering_committee", **overrides}
    return committees.create_committee(session=session, actor=ACTOR, data=data)


def make_membership(
    session: Session, committee: Committee, person: Person | None = None, **overrides: Any
) -> Membership:
    person = person or make_person(session, family_name=f"Mitglied{overrides.get('_n', '')}")
    overrides.pop("_n", None)
    data = {"committee_id": committee.id, "person_id": person.id, "role": "member", **overrides}
    return committees.add_membership(session=session, actor=ACTOR, data=data)


def make_meeting(session: Session, committee: Committee, **overrides: Any) -> Meeting:
    data = {"committee_id": committee.id, "start": datetime(2026, 3, 10, 10, 0), **overrides}
    return meetings.create_meeting(session=session, actor=ACTOR, data=data)


def make_agenda_item(session: Session, meeting: Meeting, **overrides: Any) -> AgendaItem:
    data = {"meeting_id": meeting.id, "number": "1", "order": 1, "title": "Bericht", **overrides}
    return meetings.add_agenda_item(session=session, actor=ACTOR, data=data)


def make_voting_body(
    session: Session, voters: int = 3, present: int | None = None, **committee: Any
) -> tuple[Committee, Meeting, list[Person]]:
    """A committee with `voters` voting members and a meeting where `present` of them attend."""
    body = make_committee(session, **committee)
    people = [make_person(session, family_name=f"Mitglied {i}") for i in range(voters)]
    for person in people:
        make_membership(session, body, person, start_date=date(2020, 1, 1))
    meeting = make_meeting(session, body)
    for person in people[: voters if present is None else present]:
        record_attendance(session, meeting, person)
    return body, meeting, people


def record_attendance(
    session: Session, meeting: Meeting, person: Person, **overrides: Any
) -> Attendance:
    data = {"meeting_id": meeting.id, "person_id": person.id, "status": "present", **overrides}
    return meetings.record_attendance(session=session, actor=ACTOR, data=data)


def make_agreement(session: Session, **overrides: Any) -> Agreement:
    data = {"title": "Gründung Test GmbH", "kind": "company_founding", **overrides}
    return agreements.create_agreement(session=session, actor=ACTOR, data=data)


def make_party(
    session: Session, agreement: Agreement, org: Organization | None = None, **overrides: Any
) -> AgreementParty:
    org = org or make_org(
        session, name=f"Stadt {overrides.pop('_n', 'A')}", kind="district_free_city"
    )
    data = {"agreement_id": agreement.id, "organization_id": org.id, **overrides}
    return agreements.add_party(session=session, actor=ACTOR, data=data)
