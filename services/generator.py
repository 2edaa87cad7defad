"""A synthetic workspace at the size of Germany (or a tenth, or a hundredth), for load tests.

The structure is real where the Gemeindeverzeichnis gives it (Länder, Kreise, Gemeinden with
their official keys); everything else is made up, deterministically from a seed, and keeps
every invariant the commands check (periods, one chair at a time, unique numbers, vote counts,
closed meetings with an outcome per item, approvals per party ...).

Rows go in through SQLAlchemy Core in chunks (executemany), not through the write path: one
ORM object, one validation and one audit event per row would take hours for two million rows.
Keys are assigned here, so children can refer to parents without reading ids back.
"""

import csv
import random
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from itertools import cycle
from typing import Any

import sqlalchemy as sa
from pydantic_core import PydanticUndefined
from sqlalchemy import Connection, Engine
from sqlmodel import SQLModel

from models import (
    AgendaItem,
    Agreement,
    AgreementParty,
    Approval,
    Attendance,
    AuditEvent,
    Committee,
    Decision,
    FollowUpNote,
    Meeting,
    Membership,
    Organization,
    Participation,
    Person,
    TopicField,
)
from models.account import Account, Assignment
from models.base import utcnow
from models.db import DATA_DIR
from models.enums import (
    AgreementKind,
    AgreementState,
    ApprovalState,
    AttendanceStatus,
    AuditAction,
    CommitteeKind,
    DecisionKind,
    DecisionResult,
    FederalState,
    FollowUpStatus,
    MajorityRule,
    MeetingKind,
    MeetingState,
    MembershipRole,
    OrganizationKind,
    ParticipationRole,
    PartyRole,
    QuorumRule,
    VoteMode,
)
from services.decisions import propose_result
from services.errors import DomainError

SCALES = {"germany": 1.0, "land": 0.1, "small": 0.01}
DEFAULT_SEED = 2026
GENERATOR = "generator"
SOURCE = "Synthetisch (generate)"
DIRECTORY = DATA_DIR / "gemeindeverzeichnis" / "AuszugGV4QAktuell.csv"
TOPIC_FIELDS_FILE = DATA_DIR / "seed" / "topic_fields.yaml"
# Rows buffered before they are written; big enough for fast executemany, small enough that
# germany scale never holds hundreds of thousands of rows in memory.
CHUNK = 10_000

# Targets at germany scale; Länder, Kreise and Gemeinden come from the directory instead.
TARGETS = {
    "associations": 100,
    "committees": 2_000,
    "persons": 30_000,
    "agreements": 1_000,
    "participations": 50_000,
}
# Tables that may hold rows before generating: who signs in, and their audit trail.
NOT_DOMAIN = {"user_account", "account_assignment", "audit_event"}

Progress = Callable[[str, int, int], None]

LAND_CODES = {
    "01": FederalState.SH,
    "02": FederalState.HH,
    "03": FederalState.NI,
    "04": FederalState.HB,
    "05": FederalState.NW,
    "06": FederalState.HE,
    "07": FederalState.RP,
    "08": FederalState.BW,
    "09": FederalState.BY,
    "10": FederalState.SL,
    "11": FederalState.BE,
    "12": FederalState.BB,
    "13": FederalState.MV,
    "14": FederalState.SN,
    "15": FederalState.ST,
    "16": FederalState.TH,
}
LAND_TITLES = {
    FederalState.BY: "Freistaat Bayern",
    FederalState.SN: "Freistaat Sachsen",
    FederalState.TH: "Freistaat Thüringen",
    FederalState.HH: "Freie und Hansestadt Hamburg",
    FederalState.HB: "Freie Hansestadt Bremen",
    FederalState.BE: "Land Berlin",
}
# Textkennzeichen of a Kreis row: 41 kreisfreie Stadt, 42 Stadtkreis, 43 Kreis,
# 44 Landkreis, 45 Regionalverband.
CITY_KREIS = {"41", "42"}
KREIS_PREFIX = {"43": "Kreis ", "44": "Landkreis ", "45": "Regionalverband "}

# Kept as compact blocks; one name a line would bury the code.
# fmt: off
GIVEN_NAMES = [
    "Anna", "Andreas", "Barbara", "Bernd", "Birgit", "Christian", "Christina", "Claudia",
    "Daniel", "Dirk", "Elke", "Felix", "Frank", "Gabriele", "Hans", "Heike", "Ines", "Jan",
    "Jana", "Jens", "Julia", "Jürgen", "Karin", "Katrin", "Klaus", "Lars", "Laura", "Lea",
    "Lukas", "Maria", "Markus", "Martina", "Matthias", "Michael", "Monika", "Nadine", "Nina",
    "Oliver", "Paul", "Petra", "Ralf", "Sabine", "Sandra", "Sarah", "Sebastian", "Silke",
    "Simone", "Stefan", "Susanne", "Thomas", "Tobias", "Ute", "Uwe", "Yvonne",
]
FAMILY_NAMES = [
    "Albrecht", "Arnold", "Bauer", "Becker", "Berger", "Brandt", "Braun", "Busch", "Dietrich",
    "Engel", "Fischer", "Frank", "Franke", "Friedrich", "Fuchs", "Graf", "Günther", "Haas",
    "Hahn", "Hartmann", "Heinrich", "Herrmann", "Hoffmann", "Horn", "Huber", "Jung", "Kaiser",
    "Keller", "Klein", "Koch", "Köhler", "König", "Krause", "Krüger", "Kuhn", "Lang", "Lehmann",
    "Lorenz", "Ludwig", "Maier", "Mayer", "Meyer", "Möller", "Müller", "Neumann", "Otto",
    "Peters", "Pohl", "Richter", "Roth", "Sauer", "Schäfer", "Scholz", "Schmidt", "Schmitt",
    "Schneider", "Schröder", "Schubert", "Schulte", "Schulz", "Schwarz", "Simon", "Sommer",
    "Stein", "Vogel", "Vogt", "Wagner", "Walter", "Weber", "Werner", "Winkler", "Wolf",
    "Zimmermann",
]
# fmt: on
FUNCTIONS = {
    OrganizationKind.LAND: ("Staatssekretär/in", "Referatsleiter/in", "CIO des Landes"),
    OrganizationKind.DISTRICT: ("Landrat/Landrätin", "Dezernent/in", "Fachdienstleiter/in IT"),
    OrganizationKind.DISTRICT_FREE_CITY: ("Oberbürgermeister/in", "Amtsleiter/in", "CDO"),
    OrganizationKind.MUNICIPALITY: ("Bürgermeister/in", "Hauptamtsleiter/in", "Kämmerer/in"),
}
ASSOCIATION_TEMPLATES = (
    (OrganizationKind.MUNICIPAL_ASSOCIATION, "Landkreistag {land}"),
    (OrganizationKind.MUNICIPAL_ASSOCIATION, "Städtetag {land}"),
    (OrganizationKind.MUNICIPAL_ASSOCIATION, "Städte- und Gemeindebund {land}"),
    (OrganizationKind.IT_PROVIDER, "Kommunale Datenverarbeitung {land}"),
    (OrganizationKind.IT_PROVIDER, "IT-Dienstleistungszentrum {land}"),
    (OrganizationKind.SPECIAL_PURPOSE_ASSOCIATION, "Zweckverband E-Government {land}"),
    (OrganizationKind.PUBLIC_INSTITUTION, "Landesbetrieb Informationstechnik {land}"),
)
SUBJECTS = (
    "Onlinezugang für Wohngeldanträge",
    "Digitale Bauantragsverfahren",
    "Elektronische Akte",
    "Gemeinsames Bürgerportal",
    "Rechenzentrumskonsolidierung",
    "Informationssicherheit",
    "Servicekonto und Postfach",
    "Digitale Kfz-Zulassung",
    "E-Rechnung",
    "Open Data",
    "Barrierefreie Verwaltungsportale",
    "Registermodernisierung",
    "Digitale Gewerbeanmeldung",
    "Schuldigitalisierung",
    "Cloud-Strategie",
    "Breitbandausbau",
)

DAY = timedelta(days=1)


@dataclass
class GenerateReport:
    """How many rows each table got, and how long it took."""

    scale: str
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def lines(self) -> list[str]:
        """The German summary for the command line."""
        head = (
            f"Synthetischer Arbeitsbereich „{self.scale}“ (Seed {self.seed}): "
            f"{self.total:,} Datensätze in {self.seconds:.1f} s.".replace(",", ".")
        )
        return [head, *(f"  {table:<18} {count:>9}" for table, count in self.rows.items())]


@dataclass
class _Org:
    id: int
    name: str
    kind: OrganizationKind
    state: FederalState | None


@dataclass
class _Member:
    id: int
    person_id: int
    role: MembershipRole
    voting: bool
    start: date
    end: date | None
    deputy_person_id: int | None = None


class _Writer:
    """Buffers rows per table and writes them in chunks, parents before children."""

    def __init__(self, connection: Connection, now: datetime) -> None:
        self.connection = connection
        self.tables = [t for t in SQLModel.metadata.sorted_tables if t.name != "audit_event"]
        self.buffers: dict[str, list[dict[str, Any]]] = {t.name: [] for t in self.tables}
        self.counts: dict[str, int] = dict.fromkeys(self.buffers, 0)
        self.next_ids = {t.name: self._max_id(t) + 1 for t in self.tables}
        bookkeeping = {
            "created_at": now,
            "created_by": GENERATOR,
            "updated_at": now,
            "updated_by": GENERATOR,
            "version": 1,
            "archived": False,
            "source": SOURCE,
        }
        self.defaults = {
            table.name: {**_model_defaults(table.name), **bookkeeping} for table in self.tables
        }
        self.buffered = 0

    def _max_id(self, table: sa.Table) -> int:
        return int(self.connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0)

    def new_id(self, table: str) -> int:
        """The next key of `table`: keys are ours, so children need no RETURNING."""
        row_id = self.next_ids[table]
        self.next_ids[table] = row_id + 1
        return row_id

    def add(self, table: str, row: dict[str, Any]) -> int:
        """Buffer one row (its id given or assigned); returns the id."""
        row_id = row.get("id") or self.new_id(table)
        self.buffers[table].append({**self.defaults[table], **row, "id": row_id})
        self.buffered += 1
        if self.buffered >= CHUNK:
            self.flush()
        return int(row_id)

    def flush(self) -> None:
        """Write every buffered row, in foreign-key order: COPY on PostgreSQL, else executemany."""
        copy = self.connection.dialect.name == "postgresql"
        for table in self.tables:
            rows = self.buffers[table.name]
            if rows:
                if copy:
                    self._copy(table, rows)
                else:
                    self.connection.execute(table.insert(), rows)
                self.counts[table.name] += len(rows)
                self.buffers[table.name] = []
        self.buffered = 0

    def _copy(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        names = [column.name for column in table.columns]
        json_columns = {column.name for column in table.columns if isinstance(column.type, sa.JSON)}
        assert not json_columns, "COPY here writes plain values only"
        quoted = ", ".join(f'"{name}"' for name in names)
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                # Enum columns hold codes; psycopg would write an Enum member's name instead.
                copy.write_row(
                    [
                        value.value if isinstance(value, Enum) else value
                        for value in (row[name] for name in names)
                    ]
                )


def _model_defaults(table_name: str) -> dict[str, Any]:
    model = _MODELS[table_name]
    defaults: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        default = info.default
        defaults[name] = None if default is PydanticUndefined else default
    return defaults


_MODELS: dict[str, type[SQLModel]] = {
    str(model.__table__.name): model  # type: ignore[attr-defined, union-attr]
    for model in (
        Organization,
        Person,
        TopicField,
        Participation,
        Committee,
        Membership,
        Meeting,
        AgendaItem,
        Attendance,
        Decision,
        FollowUpNote,
        Agreement,
        AgreementParty,
        Approval,
        Account,
        Assignment,
    )
}


def _read_directory() -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    """Länder, Kreise and Gemeinden of the Gemeindeverzeichnis, in directory order."""
    länder, kreise, gemeinden = [], [], []
    city_kreise: set[str] = set()
    with DIRECTORY.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name = unicodedata.normalize("NFC", row["gemeindename"]).strip()
            kreis_key = row["land"] + row["rb"] + row["kreis"]
            if row["satzart"] == "10":
                länder.append({"ags": row["land"], "name": name})
            elif row["satzart"] == "40":
                kreise.append({"ags": kreis_key, "name": name, "mark": row["textkennzeichen"]})
                if row["textkennzeichen"] in CITY_KREIS:
                    city_kreise.add(kreis_key)
            elif row["satzart"] == "60" and kreis_key not in city_kreise:
                # A kreisfreie Stadt is its own only Gemeinde: it is kept once, as the city.
                gemeinden.append({"ags": kreis_key + row["gemeinde"], "name": name})
    return länder, kreise, gemeinden


def _topic_field_names() -> list[tuple[int, str, str | None]]:
    import yaml  # only the generator and the seed read YAML

    with TOPIC_FIELDS_FILE.open(encoding="utf-8") as handle:
        records = yaml.safe_load(handle)
    return [(rec["number"], rec["name"], rec.get("description")) for rec in records]


def _ascii(text: str) -> str:
    folded = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _city(name: str) -> str:
    return name.split(",")[0].strip()


class _Generator:
    def __init__(
        self, writer: _Writer, *, scale: float, seed: int, today: date, progress: Progress
    ) -> None:
        self.w = writer
        self.f = scale
        self.rng = random.Random(seed)
        self.today = today
        self.progress = progress
        self.länder: dict[FederalState, _Org] = {}
        self.kreise: list[_Org] = []
        self.gemeinden: list[_Org] = []
        self.associations: list[_Org] = []
        self.persons: list[int] = []
        self.topic_fields: list[tuple[int, str]] = []
        self.person_cycle: Iterator[int] = iter(())
        self.senders: list[int] = []
        self.council_of: dict[int, int] = {}
        self.body_of: dict[int, int] = {}
        self.adopted: dict[int, list[tuple[int, date]]] = {}
        self.held_meetings: list[tuple[int, date]] = []

    def target(self, name: str) -> int:
        return max(1, round(TARGETS[name] * self.f))

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def run(self) -> None:
        self.organizations()
        self.people()
        self.themenfelder()
        # Meetings, agenda, attendance and decisions are made with their committee, while its
        # memberships are at hand: attendance and vote counts follow who sits there that day.
        self.committee_bodies()
        self.agreements()
        self.participations()
        self.w.flush()

    # --- organizations and persons ------------------------------------------------------

    def organizations(self) -> None:
        länder, kreise, gemeinden = _read_directory()
        rng = self.rng
        chosen_kreise = sorted(rng.sample(range(len(kreise)), max(1, round(len(kreise) * self.f))))
        chosen_gemeinden = sorted(
            rng.sample(range(len(gemeinden)), max(1, round(len(gemeinden) * self.f)))
        )
        total = (
            len(länder) + len(chosen_kreise) + len(chosen_gemeinden) + self.target("associations")
        )
        for land in länder:
            state = LAND_CODES[land["ags"]]
            name = LAND_TITLES.get(state, f"Land {land['name']}")
            row = {"name": name, "short_name": land["name"], "kind": OrganizationKind.LAND}
            org_id = self.w.add("organization", {**row, "state": state, "ags": land["ags"]})
            self.länder[state] = _Org(org_id, land["name"], OrganizationKind.LAND, state)
        self.progress("Organisationen", len(self.länder), total)
        kreis_ids: dict[str, int] = {}
        for index in chosen_kreise:
            kreis = kreise[index]
            state = LAND_CODES[kreis["ags"][:2]]
            city = kreis["mark"] in CITY_KREIS
            kind = OrganizationKind.DISTRICT_FREE_CITY if city else OrganizationKind.DISTRICT
            name = kreis["name"] if city else KREIS_PREFIX.get(kreis["mark"], "") + kreis["name"]
            org_id = self.w.add(
                "organization",
                {
                    "name": name,
                    "short_name": _city(kreis["name"])[:40],
                    "kind": kind,
                    "state": state,
                    "parent_id": self.länder[state].id,
                    "ags": kreis["ags"],
                },
            )
            kreis_ids[kreis["ags"]] = org_id
            self.kreise.append(_Org(org_id, name, kind, state))
        for done, index in enumerate(chosen_gemeinden, start=1):
            gemeinde = gemeinden[index]
            state = LAND_CODES[gemeinde["ags"][:2]]
            # Without its Kreis in this subset a Gemeinde hangs directly below its Land.
            parent = kreis_ids.get(gemeinde["ags"][:5], self.länder[state].id)
            row = {"name": gemeinde["name"], "kind": OrganizationKind.MUNICIPALITY}
            org_id = self.w.add(
                "organization",
                {**row, "state": state, "parent_id": parent, "ags": gemeinde["ags"]},
            )
            self.gemeinden.append(
                _Org(org_id, gemeinde["name"], OrganizationKind.MUNICIPALITY, state)
            )
            if done % 2_000 == 0:
                self.progress("Organisationen", len(self.länder) + len(self.kreise) + done, total)
        templates = [
            (kind, template, state)
            for state in FederalState
            for kind, template in ASSOCIATION_TEMPLATES
        ]
        for kind, template, state in rng.sample(
            templates, min(len(templates), self.target("associations"))
        ):
            name = template.format(land=state.label)
            org_id = self.w.add(
                "organization",
                {
                    "name": name,
                    "kind": kind,
                    "state": state,
                    "parent_id": None,
                },
            )
            self.associations.append(_Org(org_id, name, kind, state))
        self.progress("Organisationen", total, total)

    def all_orgs(self) -> list[_Org]:
        return [*self.länder.values(), *self.kreise, *self.gemeinden, *self.associations]

    def people(self) -> None:
        rng = self.rng
        total = self.target("persons")
        groups = [
            (list(self.länder.values()), 0.15),
            (self.kreise, 0.30),
            (self.gemeinden, 0.40),
            (self.associations, 0.15),
        ]
        groups = [(orgs, weight) for orgs, weight in groups if orgs]
        for done in range(1, total + 1):
            orgs = rng.choices([g[0] for g in groups], [g[1] for g in groups])[0]
            org = rng.choice(orgs)
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
            person_id = self.w.new_id("person")
            functions = FUNCTIONS.get(org.kind, ("Geschäftsführer/in", "Referent/in"))
            self.w.add(
                "person",
                {
                    "id": person_id,
                    "title": "Dr." if rng.random() < 0.08 else None,
                    "given_name": given,
                    "family_name": family,
                    "function": rng.choice(functions),
                    "email": f"{_ascii(given)}.{_ascii(family)}.{person_id}@example.org",
                    "organization_id": org.id,
                },
            )
            self.persons.append(person_id)
            if done % 5_000 == 0 or done == total:
                self.progress("Personen", done, total)
        order = list(self.persons)
        rng.shuffle(order)
        self.person_cycle = cycle(order)
        self.senders = [org.id for org in (*self.länder.values(), *self.kreise, *self.associations)]

    def themenfelder(self) -> None:
        for number, name, description in _topic_field_names():
            topic_id = self.w.add(
                "topic_field", {"number": number, "name": name, "description": description}
            )
            self.topic_fields.append((topic_id, name))
        self.progress("Themenfelder", len(self.topic_fields), len(self.topic_fields))

    # --- committees and memberships -------------------------------------------------------

    def committee_bodies(self) -> None:
        rng = self.rng
        total = self.target("committees")
        specs: list[dict[str, Any]] = []
        for kreis in self.kreise[: max(1, int(total * 0.2))]:
            city = kreis.kind == OrganizationKind.DISTRICT_FREE_CITY
            specs.append(
                {
                    "name": f"Stadtrat {_city(kreis.name)}" if city else f"Kreistag {kreis.name}",
                    "kind": CommitteeKind.COUNCIL,
                    "host": kreis,
                    "seats": rng.randint(24, 40),
                }
            )
        steering: dict[FederalState, int] = {}
        for land in list(self.länder.values())[: max(1, int(total * 0.1))]:
            specs.append(
                {
                    "name": f"Lenkungsausschuss E-Government {land.name}",
                    "short_name": f"LA {land.name}"[:40],
                    "kind": CommitteeKind.STEERING_COMMITTEE,
                    "host": land,
                    "seats": rng.randint(8, 14),
                }
            )
        for org in self.associations[: max(1, int(total * 0.05))]:
            kind, title = {
                OrganizationKind.SPECIAL_PURPOSE_ASSOCIATION: (
                    CommitteeKind.ASSOCIATION_ASSEMBLY,
                    "Verbandsversammlung",
                ),
                OrganizationKind.IT_PROVIDER: (CommitteeKind.SUPERVISORY_BOARD, "Verwaltungsrat"),
                OrganizationKind.PUBLIC_INSTITUTION: (
                    CommitteeKind.SUPERVISORY_BOARD,
                    "Verwaltungsrat",
                ),
            }.get(org.kind, (CommitteeKind.ASSOCIATION_ASSEMBLY, "Mitgliederversammlung"))
            specs.append(
                {
                    "name": f"{title} {org.name}",
                    "kind": kind,
                    "host": org,
                    "seats": rng.randint(6, 12),
                }
            )
        hosts = [*self.länder.values(), *self.kreise, *self.associations]
        counter = 0
        while len(specs) < total:
            counter += 1
            host = rng.choice(hosts)
            topic = rng.choice(self.topic_fields)[1] if rng.random() < 0.6 else rng.choice(SUBJECTS)
            kind = rng.choices(
                [CommitteeKind.WORKING_GROUP, CommitteeKind.ADVISORY_BOARD, CommitteeKind.OTHER],
                [0.75, 0.2, 0.05],
            )[0]
            title = {
                CommitteeKind.WORKING_GROUP: "Arbeitsgruppe",
                CommitteeKind.ADVISORY_BOARD: "Beirat",
            }.get(kind, "Projektgruppe")
            place = _city(host.name) if host.kind != OrganizationKind.LAND else host.name
            specs.append(
                {
                    "name": f"{title} {topic} {place} {counter}",
                    "kind": kind,
                    "host": host,
                    "seats": rng.randint(5, 11),
                    "parent_state": host.state,
                }
            )
        for done, spec in enumerate(specs, start=1):
            self.committee(spec, steering)
            if done % 100 == 0 or done == len(specs):
                self.progress("Gremien, Sitzungen und Beschlüsse", done, len(specs))

    def committee(self, spec: dict[str, Any], steering: dict[FederalState, int]) -> None:
        rng = self.rng
        host: _Org = spec["host"]
        start = self.day_between(date(2012, 1, 1), self.today - timedelta(days=730))
        end = None
        if rng.random() < 0.1:
            candidate = start + timedelta(days=rng.randint(3 * 365, 8 * 365))
            if candidate <= self.today - timedelta(days=60):
                end = candidate
        council = spec["kind"] == CommitteeKind.COUNCIL
        majority_rule = rng.choices(
            [
                MajorityRule.SIMPLE,
                MajorityRule.ABSOLUTE,
                MajorityRule.TWO_THIRDS,
                MajorityRule.UNANIMOUS,
            ],
            [0.75, 0.1, 0.1, 0.05],
        )[0]
        parent = steering.get(spec["parent_state"]) if spec.get("parent_state") else None
        committee_id = self.w.add(
            "committee",
            {
                "name": spec["name"][:200],
                "short_name": spec.get("short_name"),
                "kind": spec["kind"],
                "state": host.state,
                "host_organization_id": host.id,
                "parent_id": parent if spec["kind"] == CommitteeKind.WORKING_GROUP else None,
                "purpose": f"{spec['kind'].label} von {host.name}: Steuerung und Abstimmung "
                "der Digitalisierungsvorhaben.",
                # A council has its legal seat count; the others count their voting members.
                "seat_count": spec["seats"] if council else None,
                "quorum_rule": rng.choices(
                    [
                        QuorumRule.MORE_THAN_HALF,
                        QuorumRule.AT_LEAST_HALF,
                        QuorumRule.TWO_THIRDS,
                        QuorumRule.NONE,
                    ],
                    [0.7, 0.15, 0.1, 0.05],
                )[0],
                "majority_rule": majority_rule,
                "start_date": start,
                "end_date": end,
            },
        )
        if spec["kind"] == CommitteeKind.STEERING_COMMITTEE and host.state:
            steering.setdefault(host.state, committee_id)
        if council:
            self.council_of[host.id] = committee_id
        elif spec["kind"] in (CommitteeKind.ASSOCIATION_ASSEMBLY, CommitteeKind.SUPERVISORY_BOARD):
            self.body_of[host.id] = committee_id
        members = self.memberships(committee_id, spec["seats"], start, end)
        info = {
            "id": committee_id,
            "host": host,
            "start": start,
            "end": end,
            "seats": spec["seats"] if council else None,
            "council": council,
            "majority_rule": majority_rule,
        }
        self.meetings_of(info, members)

    def memberships(
        self, committee_id: int, seats: int, start: date, end: date | None
    ) -> list[_Member]:
        rng = self.rng
        used: set[int] = set()
        members: list[_Member] = []

        def person() -> int:
            # Nobody sits twice in one committee, so one person's periods there never overlap.
            for _ in range(len(self.persons)):
                candidate = next(self.person_cycle)
                if candidate not in used:
                    used.add(candidate)
                    return candidate
            raise RuntimeError("not enough persons for one committee")

        def add(
            role: MembershipRole,
            first: date,
            last: date | None,
            *,
            voting: bool,
            rank: int | None = None,
            deputy_of: _Member | None = None,
        ) -> _Member:
            person_id = person()
            membership_id = self.w.add(
                "membership",
                {
                    "person_id": person_id,
                    "committee_id": committee_id,
                    "role": role,
                    "deputy_rank": rank,
                    # The sending organization is recorded for about half of the members.
                    "on_behalf_of_id": rng.choice(self.senders) if rng.random() < 0.5 else None,
                    "voting_right": voting,
                    "deputy_of_id": deputy_of.id if deputy_of else None,
                    "start_date": first,
                    "end_date": last,
                },
            )
            member = _Member(membership_id, person_id, role, voting, first, last)
            members.append(member)
            return member

        for seat in range(seats):
            if seat == 0:
                role, rank = MembershipRole.CHAIR, None
            elif seat == 1 or (seat == 2 and seats >= 12):
                role, rank = MembershipRole.DEPUTY_CHAIR, seat
            else:
                role, rank = MembershipRole.MEMBER, None
            with_deputy = role == MembershipRole.MEMBER and rng.random() < 0.25
            for first, last in self._terms(start, end):
                holder = add(role, first, last, voting=True, rank=rank)
                if with_deputy:
                    deputy = add(
                        MembershipRole.DEPUTY_MEMBER, first, last, voting=False, deputy_of=holder
                    )
                    holder.deputy_person_id = deputy.person_id
        add(MembershipRole.OFFICE, start, end, voting=False)
        for _ in range(rng.randint(0, 2)):
            first = self.day_between(start, end or self.today)
            add(
                rng.choice([MembershipRole.ADVISORY, MembershipRole.GUEST]),
                first,
                end,
                voting=False,
            )
        return members

    def _terms(self, start: date, end: date | None) -> Iterator[tuple[date, date | None]]:
        """Consecutive terms of one seat, from the committee's start to its end."""
        first = start
        while True:
            last = first + timedelta(days=self.rng.randint(3 * 365, 10 * 365))
            if end is not None and last >= end:
                yield first, end
                return
            if end is None and last >= self.today:
                yield first, None
                return
            yield first, last
            first = last + DAY

    # --- meetings, agenda, attendance, decisions --------------------------------------------

    def meetings_of(self, committee: dict[str, Any], members: list[_Member]) -> None:
        rng = self.rng
        start: date = committee["start"]
        last_day = min(committee["end"] or date.max, self.today + timedelta(days=180))
        count = min(rng.randint(12, 28), (last_day - start).days + 1)
        days = sorted(
            start + timedelta(days=offset)
            for offset in rng.sample(range((last_day - start).days + 1), count)
        )
        host: _Org = committee["host"]
        for number, day in enumerate(days, start=1):
            kind = rng.choices(
                [
                    MeetingKind.IN_PERSON,
                    MeetingKind.VIDEO,
                    MeetingKind.HYBRID,
                    MeetingKind.CIRCULATION,
                ],
                [0.55, 0.25, 0.17, 0.03],
            )[0]
            cancelled = rng.random() < 0.02
            if day >= self.today:
                state = (
                    MeetingState.INVITED
                    if day <= self.today + timedelta(days=28)
                    else MeetingState.PLANNED
                )
            elif cancelled:
                state = MeetingState.INVITED
            elif day >= self.today - timedelta(days=60) and rng.random() < 0.5:
                state = MeetingState.HELD
            else:
                state = MeetingState.CLOSED
            if kind == MeetingKind.CIRCULATION:
                begin = datetime.combine(day, datetime.min.time()).replace(hour=9)
                finish = None
                location = None
            else:
                begin = datetime.combine(day, datetime.min.time()).replace(
                    hour=rng.choice([9, 10, 14, 16])
                )
                finish = begin + timedelta(hours=rng.choice([2, 3, 4]))
                location = (
                    "Videokonferenz"
                    if kind == MeetingKind.VIDEO
                    else f"Sitzungssaal, {host.name}"[:200]
                )
            meeting_id = self.w.add(
                "meeting",
                {
                    "committee_id": committee["id"],
                    "number": number,
                    "title": f"{number}. Sitzung",
                    "kind": kind,
                    "start": begin,
                    "end": finish,
                    "location": location,
                    "state": state,
                    "cancelled": cancelled,
                    "public": committee["council"],
                },
            )
            held = state in (MeetingState.HELD, MeetingState.CLOSED)
            if held and len(self.held_meetings) < 5_000:
                self.held_meetings.append((meeting_id, day))
            valid = [m for m in members if m.start <= day and (m.end is None or day <= m.end)]
            voting = [m for m in valid if m.voting]
            seats = committee["seats"] or len(voting)
            if kind == MeetingKind.CIRCULATION:
                if held:
                    self.decision(committee, meeting_id, None, day, number, 1, len(voting), seats)
                continue
            present = self.attendance(meeting_id, valid) if held else 0
            self.agenda(committee, meeting_id, number, day, state, present, seats)

    def attendance(self, meeting_id: int, valid: list[_Member]) -> int:
        """Attendance rows for the members of the day; returns the voting members present."""
        rng = self.rng
        present = 0
        for member in valid:
            if member.role == MembershipRole.DEPUTY_MEMBER:
                continue  # listed only as the substitute of the member they stand in for
            substitute = None
            if member.voting:
                status = rng.choices(
                    [
                        AttendanceStatus.PRESENT,
                        AttendanceStatus.EXCUSED,
                        AttendanceStatus.ABSENT,
                        AttendanceStatus.REPRESENTED,
                    ],
                    [0.85, 0.09, 0.03, 0.03],
                )[0]
                if status == AttendanceStatus.REPRESENTED:
                    substitute = member.deputy_person_id
                    while substitute is None or substitute == member.person_id:
                        substitute = rng.choice(self.persons)
                if status in (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED):
                    present += 1
            else:
                status = (
                    AttendanceStatus.PRESENT if rng.random() < 0.8 else AttendanceStatus.EXCUSED
                )
            self.w.add(
                "attendance",
                {
                    "meeting_id": meeting_id,
                    "person_id": member.person_id,
                    "status": status,
                    "substitute_id": substitute,
                },
            )
        return present

    def agenda(
        self,
        committee: dict[str, Any],
        meeting_id: int,
        number: int,
        day: date,
        state: MeetingState,
        present: int,
        seats: int,
    ) -> None:
        rng = self.rng
        held = state in (MeetingState.HELD, MeetingState.CLOSED)
        items: list[tuple[str, str | None]] = [
            ("Eröffnung, Feststellung der Beschlussfähigkeit, Tagesordnung", "note")
        ]
        if number > 1:
            items.append((f"Genehmigung der Niederschrift der {number - 1}. Sitzung", "minutes"))
        for _ in range(rng.randint(4, 12)):
            subject = rng.choice(SUBJECTS)
            if rng.random() < 0.45:
                items.append((f"Beschluss: {subject}", "decision"))
            else:
                items.append((f"Bericht: {subject}", "note"))
        items.append(("Verschiedenes", "note"))
        decision_number = 0
        for order, (title, outcome) in enumerate(items, start=1):
            # A closed meeting has an outcome for every item; a held one may still lack some.
            recorded = state == MeetingState.CLOSED or (held and rng.random() < 0.7)
            note = None
            if recorded and outcome == "note":
                note = (
                    "Bericht erstattet; keine Beschlussfassung."
                    if order > 1
                    else ("Die Sitzung wird eröffnet; die Beschlussfähigkeit wird festgestellt.")
                )
            item_id = self.w.add(
                "agenda_item",
                {
                    "meeting_id": meeting_id,
                    "number": str(order),
                    "order": order,
                    "title": title,
                    "description": None,
                    "public": committee["council"] and rng.random() < 0.7,
                    "minutes_note": note,
                },
            )
            if recorded and outcome != "note":
                decision_number += 1
                self.decision(
                    committee,
                    meeting_id,
                    item_id,
                    day,
                    number,
                    decision_number,
                    present,
                    seats,
                    follow_up=outcome == "decision",
                    subject=title.removeprefix("Beschluss: "),
                )

    def decision(
        self,
        committee: dict[str, Any],
        meeting_id: int,
        item_id: int | None,
        day: date,
        meeting_number: int,
        decision_number: int,
        present: int,
        seats: int,
        *,
        follow_up: bool = True,
        subject: str | None = None,
    ) -> None:
        rng = self.rng
        circulation = item_id is None
        subject = subject or rng.choice(SUBJECTS)
        draw = rng.random()
        kind = DecisionKind.CIRCULAR_RESOLUTION if circulation else DecisionKind.RESOLUTION
        votes: dict[str, int | None] = dict.fromkeys(
            ("votes_yes", "votes_no", "votes_abstain", "votes_biased")
        )
        if not circulation and draw < 0.07:
            kind, result = DecisionKind.ACKNOWLEDGEMENT, DecisionResult.NOTED
        elif (not circulation and draw < 0.10) or present == 0:
            result = DecisionResult.POSTPONED
        else:
            if not circulation and draw < 0.2:
                kind = DecisionKind.RECOMMENDATION
            biased = 1 if present > 5 and rng.random() < 0.03 else 0
            abstain = rng.randint(0, max(0, (present - biased) // 8))
            remaining = present - biased - abstain
            no = 0 if rng.random() < 0.6 else rng.randint(0, max(0, remaining // 3))
            votes = {
                "votes_yes": remaining - no,
                "votes_no": no,
                "votes_abstain": abstain,
                "votes_biased": biased,
            }
            result = (
                propose_result(
                    yes=remaining - no,
                    no=no,
                    abstain=abstain,
                    rule=committee["majority_rule"],
                    voting_members=seats,
                )
                or DecisionResult.POSTPONED
            )
        adopted = result in (DecisionResult.ADOPTED_UNANIMOUSLY, DecisionResult.ADOPTED_BY_MAJORITY)
        responsible = due = None
        status = FollowUpStatus.OPEN
        notes: list[tuple[date, FollowUpStatus]] = []
        if adopted and follow_up:
            responsible = committee["host"].id if rng.random() < 0.6 else rng.choice(self.senders)
            due = day + timedelta(days=rng.randint(30, 540))
            status, notes = self._follow_up(day, due)
        decision_id = self.w.add(
            "decision",
            {
                "meeting_id": meeting_id,
                "agenda_item_id": item_id,
                "committee_id": committee["id"],
                "reference": f"{meeting_number}/{decision_number}",
                "kind": kind,
                "text": f"Das Gremium beschließt zum Thema „{subject}“ das vorgelegte Vorgehen.",
                "result": result,
                **votes,
                "vote_mode": VoteMode.CIRCULATION
                if circulation
                else rng.choices(
                    [VoteMode.OPEN, VoteMode.ROLL_CALL, VoteMode.SECRET], [0.95, 0.03, 0.02]
                )[0],
                "responsible_organization_id": responsible,
                "due_date": due,
                "follow_up_status": status,
            },
        )
        for noted_on, note_status in notes:
            self.w.add(
                "follow_up_note",
                {
                    "decision_id": decision_id,
                    "noted_on": noted_on,
                    "status": note_status,
                    "text": f"Umsetzungsstand: {note_status.label}.",
                },
            )
        if adopted:
            kept = self.adopted.setdefault(committee["id"], [])
            if len(kept) < 20:
                kept.append((decision_id, day))

    def _follow_up(
        self, day: date, due: date
    ) -> tuple[FollowUpStatus, list[tuple[date, FollowUpStatus]]]:
        """The decision's status and the dated notes leading to it (the last one sets it)."""
        rng = self.rng
        weights = [0.15, 0.2, 0.6, 0.05] if due < self.today else [0.5, 0.4, 0.1, 0.0]
        status = rng.choices(list(FollowUpStatus), weights)[0]
        span = (self.today - day).days
        if status == FollowUpStatus.OPEN or span < 2:
            return FollowUpStatus.OPEN, []
        final = day + timedelta(days=rng.randint(2, span))
        notes = []
        if status != FollowUpStatus.IN_PROGRESS and rng.random() < 0.6:
            notes.append(
                (
                    day + timedelta(days=rng.randint(1, (final - day).days - 1)),
                    FollowUpStatus.IN_PROGRESS,
                )
            )
        notes.append((final, status))
        return status, notes

    # --- agreements and participations -------------------------------------------------------

    def agreements(self) -> None:
        rng = self.rng
        total = self.target("agreements")
        candidates = [*self.länder.values(), *self.kreise, *self.associations, *self.gemeinden]
        kinds = [
            AgreementKind.COOPERATION,
            AgreementKind.COMPANY_FOUNDING,
            AgreementKind.ADMINISTRATIVE,
            AgreementKind.EFA,
            AgreementKind.OTHER,
        ]
        for done in range(1, total + 1):
            kind = rng.choices(kinds, [0.35, 0.1, 0.25, 0.25, 0.05])[0]
            subject = rng.choice(SUBJECTS)
            title = {
                AgreementKind.COMPANY_FOUNDING: f"Gründung der Digital-{subject.split()[0]} GmbH",
                AgreementKind.EFA: f"EfA-Einzelvereinbarung {subject}",
                AgreementKind.ADMINISTRATIVE: f"Verwaltungsvereinbarung {subject}",
            }.get(kind, f"Kooperationsvereinbarung {subject}")
            state = rng.choices(list(AgreementState), [0.1, 0.1, 0.3, 0.35, 0.05, 0.1])[0]
            meeting_id = None
            concluded = None
            if state != AgreementState.NEGOTIATING:
                if self.held_meetings and rng.random() < 0.3:
                    meeting_id, concluded = rng.choice(self.held_meetings)
                else:
                    concluded = self.day_between(date(2015, 1, 1), self.today - timedelta(days=30))
            target = (concluded or self.today) + timedelta(days=rng.randint(60, 400))
            ended = None
            if state == AgreementState.ENDED and concluded is not None:
                ended = self.day_between(concluded, self.today)
            agreement_id = self.w.add(
                "agreement",
                {
                    "title": f"{title} ({done})",
                    "kind": kind,
                    "subject": f"Gemeinsame Umsetzung: {subject}.",
                    "concluded_on": concluded,
                    "target_date": target,
                    "ended_on": ended,
                    "state": state,
                    "conditions": None,
                    "meeting_id": meeting_id,
                },
            )
            parties = rng.sample(candidates, min(len(candidates), rng.randint(2, 8)))
            states = self._approval_states(state, len(parties))
            for index, (org, approval_state) in enumerate(zip(parties, states, strict=True)):
                role = {
                    AgreementKind.COMPANY_FOUNDING: PartyRole.FOUNDING_SHAREHOLDER,
                    AgreementKind.EFA: PartyRole.LEAD if index == 0 else PartyRole.SUPPORTER,
                }.get(kind, PartyRole.CONTRACTING_PARTY)
                party_id = self.w.add(
                    "agreement_party",
                    {
                        "agreement_id": agreement_id,
                        "organization_id": org.id,
                        "role": role,
                        "represented_by_id": None,
                    },
                )
                self.approval(party_id, org, approval_state, concluded)
            if done % 100 == 0 or done == total:
                self.progress("Vereinbarungen", done, total)

    def _approval_states(self, state: AgreementState, parties: int) -> list[ApprovalState]:
        rng = self.rng
        if state == AgreementState.NEGOTIATING:
            return [ApprovalState.PENDING] * parties
        settled = [
            rng.choices([ApprovalState.GRANTED, ApprovalState.NOT_REQUIRED], [0.9, 0.1])[0]
            for _ in range(parties)
        ]
        if state == AgreementState.AWAITING_APPROVAL:
            outstanding = rng.randint(1, parties)
            return [ApprovalState.PENDING] * outstanding + settled[outstanding:]
        if state == AgreementState.FAILED:
            return [ApprovalState.REFUSED, *settled[1:]]
        return settled

    def approval(
        self, party_id: int, org: _Org, state: ApprovalState, concluded: date | None
    ) -> None:
        rng = self.rng
        committee_id = self.council_of.get(org.id) or self.body_of.get(org.id)
        decided = None
        if state != ApprovalState.PENDING:
            decided = self.day_between(concluded or self.today, self.today)
        decision_id = None
        if committee_id is not None and state == ApprovalState.GRANTED and decided:
            fitting = [d for d, day in self.adopted.get(committee_id, []) if day <= decided]
            decision_id = rng.choice(fitting) if fitting else None
        name = None
        if committee_id is None:
            name = {
                OrganizationKind.LAND: f"Landesregierung {org.name}",
                OrganizationKind.MUNICIPALITY: f"Gemeinderat {_city(org.name)}",
            }.get(org.kind, f"Vorstand {org.name}")[:200]
        self.w.add(
            "approval",
            {
                "party_id": party_id,
                "approving_committee_id": committee_id,
                "approving_body_name": name,
                "state": state,
                "decided_on": decided,
                "decision_id": decision_id,
            },
        )

    def participations(self) -> None:
        rng = self.rng
        total = self.target("participations")
        orgs = self.all_orgs()
        länder = list(self.länder.values())
        used: set[tuple[int, int]] = set()
        rows = 0
        for topic_id, _name in self.topic_fields:
            # One Land leads a Themenfeld at a time; the lead may have changed once.
            first, second = rng.sample(länder, 2)
            handover = self.day_between(date(2019, 1, 1), self.today - timedelta(days=365))
            for org, valid_from, valid_to in (
                (first, date(2017, 1, 1), handover - DAY),
                (second, handover, None),
            ):
                self.w.add(
                    "participation",
                    {
                        "organization_id": org.id,
                        "topic_field_id": topic_id,
                        "role": ParticipationRole.LEAD,
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                        "note": None,
                    },
                )
                used.add((org.id, topic_id))
                rows += 1
        pairs = len(orgs) * len(self.topic_fields)
        wanted = min(total - rows, pairs - len(used))
        picks = rng.sample(range(pairs), min(pairs, wanted + len(used)))
        roles = [
            ParticipationRole.SUPPORTING,
            ParticipationRole.IMPLEMENTING,
            ParticipationRole.REUSING,
            ParticipationRole.INVOLVED,
        ]
        for pick in picks:
            if rows >= total:
                break
            org = orgs[pick // len(self.topic_fields)]
            topic_id = self.topic_fields[pick % len(self.topic_fields)][0]
            if (org.id, topic_id) in used:
                continue
            used.add((org.id, topic_id))
            role = (
                ParticipationRole.CO_LEAD
                if org.kind == OrganizationKind.LAND and rng.random() < 0.3
                else rng.choices(roles, [0.3, 0.3, 0.25, 0.15])[0]
            )
            valid_from = self.day_between(date(2017, 1, 1), self.today)
            valid_to = None
            if rng.random() < 0.2:
                valid_to = valid_from + timedelta(days=rng.randint(180, 4 * 365))
            self.w.add(
                "participation",
                {
                    "organization_id": org.id,
                    "topic_field_id": topic_id,
                    "role": role,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "note": None,
                },
            )
            rows += 1
            if rows % 10_000 == 0 or rows == total:
                self.progress("Beteiligungen", rows, total)


def _refuse_unless_empty(connection: Connection) -> None:
    filled = [
        table.name
        for table in SQLModel.metadata.sorted_tables
        if table.name not in NOT_DOMAIN
        and connection.execute(sa.select(table.c.id).limit(1)).first() is not None
    ]
    if filled:
        raise DomainError(
            "Die Datenbank enthält bereits Daten (in: "
            f"{', '.join(filled)}); ein synthetischer Arbeitsbereich wird nur in eine "
            "leere Datenbank erzeugt.",
            "database",
        )


def _reset_sequences(connection: Connection, tables: list[str]) -> None:
    if connection.dialect.name != "postgresql":
        return  # SQLite takes max(id) + 1 by itself.
    for name in tables:
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 1), "
                f"(SELECT MAX(id) FROM {name}) IS NOT NULL)"
            )
        )


def _audit(connection: Connection, counts: dict[str, int], now: datetime) -> None:
    # One event per table instead of one per row: two million events would double the load
    # and bury the real trail; the summary still says who filled the table, when, how much.
    events = [
        {
            "at": now,
            "actor": GENERATOR,
            "entity": table,
            "entity_id": 0,
            "action": AuditAction.CREATE,
            "changes": {"generated": [None, count]},
        }
        for table, count in counts.items()
    ]
    if events:
        connection.execute(sa.insert(AuditEvent.__table__), events)  # type: ignore[attr-defined]


def _ignore_progress(_step: str, _done: int, _total: int) -> None:
    return None


def generate(
    engine: Engine,
    *,
    scale: str = "small",
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    progress: Progress | None = None,
) -> GenerateReport:
    """Fill an empty database with a synthetic workspace of `scale`; all or nothing.

    The same scale, seed and `today` (the day meetings and deadlines are placed around)
    always give the same data.
    """
    if scale not in SCALES:
        raise DomainError(
            f"„Umfang“: „{scale}“ ist unbekannt; möglich sind {', '.join(SCALES)}.", "scale"
        )
    started = time.perf_counter()
    now = utcnow()
    with engine.begin() as connection:
        _refuse_unless_empty(connection)
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Index pages of two million rows stay in memory instead of being re-read.
            previous_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql("PRAGMA cache_size=-262144")
        writer = _Writer(connection, now)
        _Generator(
            writer,
            scale=SCALES[scale],
            seed=seed,
            today=today or date.today(),
            progress=progress or _ignore_progress,
        ).run()
        counts = {table: count for table, count in writer.counts.items() if count}
        _audit(connection, counts, now)
        _reset_sequences(connection, list(counts))
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(previous_cache or -2000)}")
    return GenerateReport(
        scale=scale, seed=seed, rows=counts, seconds=time.perf_counter() - started
    )
