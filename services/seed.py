"""Load the demo data in data/seed/ through the regular commands, idempotently.

Every record is looked up by its natural key first (a committee by name, a
meeting by committee and number, ...): loading twice changes nothing, and a
record a user has since edited is left as it is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlmodel import Session, SQLModel

from models import (
    AgendaItem,
    Agreement,
    AgreementParty,
    Approval,
    Attendance,
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
from models.base import DEMO_SOURCE
from models.db import DATA_DIR
from models.enums import MeetingState
from services import (
    agreements,
    committees,
    decisions,
    meetings,
    organizations,
    persons,
    topic_fields,
)
from services.actor import SEED_ACTOR, Actor
from services.permissions import require_admin
from services.write import find_one, get_row, key, table_name

SEED_DIR = DATA_DIR / "seed"
RowT = TypeVar("RowT", bound=SQLModel)


@dataclass
class SeedReport:
    """How many records each table gained."""

    created: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values())


class _Loader:
    def __init__(self, session: Session, actor: Actor, seed_dir: Path) -> None:
        self.session = session
        self.actor = actor
        self.seed_dir = seed_dir
        self.sources: dict[str, str] = self._read("sources")["sources"]
        self.orgs: dict[str, int] = {}
        self.persons: dict[str, int] = {}
        self.committees: dict[str, int] = {}
        self.topic_fields: dict[str, int] = {}
        self.report = SeedReport()

    def _read(self, name: str) -> Any:
        with (self.seed_dir / f"{name}.yaml").open(encoding="utf-8") as handle:
            return yaml.safe_load(handle) or []

    def _source(self, record: dict[str, Any]) -> str:
        key = record.get("source") or "demo"
        return DEMO_SOURCE if key == "demo" else self.sources[key]

    def _ensure(
        self,
        model: type[RowT],
        lookup: dict[str, Any],
        create: Callable[..., RowT],
        data: dict[str, Any],
        **kwargs: Any,
    ) -> RowT:
        existing = find_one(self.session, model, **lookup)
        if existing is not None:
            return existing
        row = create(session=self.session, actor=self.actor, data=data, **kwargs)
        table = table_name(model)
        self.report.created[table] = self.report.created.get(table, 0) + 1
        return row

    def _ref(self, mapping: dict[str, int], key: str | None) -> int | None:
        return mapping[key] if key else None

    def load(self) -> SeedReport:
        self._organizations()
        self._persons()
        self._topic_fields()
        self._participations()
        self._committees()
        self._meetings()
        self._agreements()
        return self.report

    def _organizations(self) -> None:
        for rec in self._read("organizations"):
            data = {
                "name": rec["name"],
                "short_name": rec.get("short_name"),
                "kind": rec["kind"],
                "state": rec.get("state"),
                "parent_id": self._ref(self.orgs, rec.get("parent")),
                "ags": str(rec["ags"]) if rec.get("ags") else None,
                "source": self._source(rec),
            }
            org = self._ensure(
                Organization, {"name": rec["name"]}, organizations.create_organization, data
            )
            self.orgs[rec["key"]] = key(org)

    def _persons(self) -> None:
        for rec in self._read("persons"):
            data = {
                "title": rec.get("title"),
                "given_name": rec.get("given_name"),
                "family_name": rec["family_name"],
                "function": rec.get("function"),
                "organization_id": self._ref(self.orgs, rec.get("organization")),
                "source": self._source(rec),
            }
            lookup = {"given_name": rec.get("given_name"), "family_name": rec["family_name"]}
            person = self._ensure(Person, lookup, persons.create_person, data)
            self.persons[rec["key"]] = key(person)

    def _topic_fields(self) -> None:
        for rec in self._read("topic_fields"):
            data = {
                "number": rec["number"],
                "name": rec["name"],
                "description": rec.get("description"),
                "source": self._source(rec),
            }
            topic = self._ensure(
                TopicField, {"name": rec["name"]}, topic_fields.create_topic_field, data
            )
            self.topic_fields[rec["key"]] = key(topic)

    def _participations(self) -> None:
        for rec in self._read("participations"):
            data = {
                "organization_id": self.orgs[rec["organization"]],
                "topic_field_id": self.topic_fields[rec["topic_field"]],
                "role": rec["role"],
                "valid_from": rec.get("valid_from"),
                "valid_to": rec.get("valid_to"),
                "note": rec.get("note"),
                "source": self._source(rec),
            }
            lookup = {
                k: data[k] for k in ("organization_id", "topic_field_id", "role", "valid_from")
            }
            self._ensure(Participation, lookup, topic_fields.add_participation, data)

    def _committees(self) -> None:
        for rec in self._read("committees"):
            data = {
                "name": rec["name"],
                "short_name": rec.get("short_name"),
                "kind": rec["kind"],
                "state": rec.get("state"),
                "host_organization_id": self._ref(self.orgs, rec.get("host")),
                "parent_id": self._ref(self.committees, rec.get("parent")),
                "purpose": rec.get("purpose"),
                "seat_count": rec.get("seat_count"),
                "quorum_rule": rec.get("quorum_rule", "more_than_half"),
                "majority_rule": rec.get("majority_rule", "simple"),
                "start_date": rec.get("start_date"),
                "end_date": rec.get("end_date"),
                "source": self._source(rec),
            }
            committee = self._ensure(
                Committee, {"name": rec["name"]}, committees.create_committee, data
            )
            self.committees[rec["key"]] = key(committee)
            self._memberships(key(committee), rec.get("memberships") or [])

    def _memberships(self, committee_id: int, records: list[dict[str, Any]]) -> None:
        by_person: dict[str, int] = {}
        for rec in records:
            data = {
                "person_id": self.persons[rec["person"]],
                "committee_id": committee_id,
                "role": rec.get("role", "member"),
                "deputy_rank": rec.get("deputy_rank"),
                "on_behalf_of_id": self._ref(self.orgs, rec.get("on_behalf_of")),
                "voting_right": rec.get("voting_right", True),
                "deputy_of_id": self._ref(by_person, rec.get("deputy_of")),
                "start_date": rec.get("start_date"),
                "end_date": rec.get("end_date"),
                "source": self._source(rec),
            }
            lookup = {k: data[k] for k in ("committee_id", "person_id", "role", "start_date")}
            membership = self._ensure(Membership, lookup, committees.add_membership, data)
            by_person[rec["person"]] = key(membership)

    def _meetings(self) -> None:
        for rec in self._read("meetings"):
            committee_id = self.committees[rec["committee"]]
            target = MeetingState(rec.get("state", "planned"))
            existing = find_one(
                self.session, Meeting, committee_id=committee_id, number=rec["number"]
            )
            if existing is not None:
                continue
            # Agenda, attendance and votes are recorded before the meeting is closed,
            # exactly as a secretary would do it.
            data = {
                "committee_id": committee_id,
                "number": rec["number"],
                "title": rec.get("title"),
                "kind": rec.get("kind", "in_person"),
                "start": _datetime(rec["start"]),
                "end": _datetime(rec["end"]) if rec.get("end") else None,
                "location": rec.get("location"),
                "state": MeetingState.HELD if target == MeetingState.CLOSED else target,
                "cancelled": rec.get("cancelled", False),
                "public": rec.get("public", False),
                "source": self._source(rec),
            }
            meeting = self._ensure(
                Meeting,
                {"committee_id": committee_id, "number": rec["number"]},
                meetings.create_meeting,
                data,
            )
            for attendance in rec.get("attendance") or []:
                self._attendance(key(meeting), attendance)
            for item in rec.get("agenda") or []:
                self._agenda_item(key(meeting), item)
            for decision in rec.get("decisions") or []:
                self._decision(key(meeting), None, decision)
            if target == MeetingState.CLOSED:
                meetings.change_meeting_state(
                    session=self.session,
                    actor=self.actor,
                    row_id=key(meeting),
                    state=target,
                )

    def _attendance(self, meeting_id: int, rec: dict[str, Any]) -> None:
        data = {
            "meeting_id": meeting_id,
            "person_id": self.persons[rec["person"]],
            "status": rec.get("status", "present"),
            "substitute_id": self._ref(self.persons, rec.get("substitute")),
            "source": self._source(rec),
        }
        lookup = {"meeting_id": meeting_id, "person_id": data["person_id"]}
        self._ensure(Attendance, lookup, meetings.record_attendance, data)

    def _agenda_item(self, meeting_id: int, rec: dict[str, Any]) -> None:
        data = {
            "meeting_id": meeting_id,
            "number": str(rec["number"]),
            "order": rec.get("order", 0),
            "title": rec["title"],
            "description": rec.get("description"),
            "public": rec.get("public", False),
            "minutes_note": rec.get("minutes_note"),
            "source": self._source(rec),
        }
        lookup = {"meeting_id": meeting_id, "number": data["number"]}
        item = self._ensure(AgendaItem, lookup, meetings.add_agenda_item, data)
        if rec.get("decision"):
            self._decision(meeting_id, item.id, rec["decision"])

    def _decision(self, meeting_id: int, agenda_item_id: int | None, rec: dict[str, Any]) -> None:
        data = {
            "meeting_id": meeting_id,
            "agenda_item_id": agenda_item_id,
            "reference": rec["reference"],
            "kind": rec.get("kind", "resolution"),
            "text": rec["text"],
            "result": rec.get("result"),
            "votes_yes": rec.get("votes_yes"),
            "votes_no": rec.get("votes_no"),
            "votes_abstain": rec.get("votes_abstain"),
            "votes_biased": rec.get("votes_biased"),
            "vote_mode": rec.get("vote_mode", "open"),
            "responsible_organization_id": self._ref(self.orgs, rec.get("responsible")),
            "due_date": rec.get("due_date"),
            "follow_up_status": rec.get("follow_up_status", "open"),
            "source": self._source(rec),
        }

        lookup = {
            "committee_id": get_row(self.session, Meeting, meeting_id).committee_id,
            "reference": rec["reference"],
        }
        decision = self._ensure(Decision, lookup, decisions.record_decision, data)
        for note in rec.get("notes") or []:
            note_data = {
                "decision_id": decision.id,
                "noted_on": note["date"],
                "status": note["status"],
                "text": note.get("text"),
                "source": self._source(note) if note.get("source") else data["source"],
            }
            note_lookup = {k: note_data[k] for k in ("decision_id", "noted_on", "status")}
            self._ensure(FollowUpNote, note_lookup, decisions.add_follow_up_note, note_data)
        if rec.get("follow_up_status") and decision.follow_up_status != rec["follow_up_status"]:
            decisions.update_decision(
                session=self.session,
                actor=self.actor,
                row_id=key(decision),
                data={"follow_up_status": rec["follow_up_status"]},
            )

    def _agreements(self) -> None:
        for rec in self._read("agreements"):
            meeting_id = None
            if rec.get("meeting"):
                meeting = find_one(
                    self.session,
                    Meeting,
                    committee_id=self.committees[rec["meeting"]["committee"]],
                    number=rec["meeting"]["number"],
                )
                meeting_id = meeting.id if meeting else None
            target_state = rec.get("state", "negotiating")
            data = {
                "title": rec["title"],
                "kind": rec["kind"],
                "subject": rec.get("subject"),
                "concluded_on": rec.get("concluded_on"),
                "target_date": rec.get("target_date"),
                "ended_on": rec.get("ended_on"),
                # In force only once its approvals are recorded: the rule the write path keeps.
                "state": "agreed" if target_state == "in_force" else target_state,
                "conditions": rec.get("conditions"),
                "meeting_id": meeting_id,
                "source": self._source(rec),
            }
            existing = find_one(self.session, Agreement, title=rec["title"])
            if existing is not None:
                continue
            agreement = self._ensure(
                Agreement, {"title": rec["title"]}, agreements.create_agreement, data
            )
            for party in rec.get("parties") or []:
                self._party(key(agreement), party)
            if target_state != data["state"]:
                agreements.update_agreement(
                    session=self.session,
                    actor=self.actor,
                    row_id=key(agreement),
                    data={"state": target_state},
                )

    def _party(self, agreement_id: int, rec: dict[str, Any]) -> None:
        data = {
            "agreement_id": agreement_id,
            "organization_id": self.orgs[rec["organization"]],
            "role": rec.get("role", "contracting_party"),
            "represented_by_id": self._ref(self.orgs, rec.get("represented_by")),
            "source": self._source(rec),
        }
        lookup = {"agreement_id": agreement_id, "organization_id": data["organization_id"]}
        party = self._ensure(AgreementParty, lookup, agreements.add_party, data)
        for approval in rec.get("approvals") or []:
            decision_id = None
            if approval.get("decision"):
                ref = approval["decision"]
                decision = find_one(
                    self.session,
                    Decision,
                    committee_id=self.committees[ref["committee"]],
                    reference=ref["reference"],
                )
                decision_id = decision.id if decision else None
            approval_data = {
                "party_id": party.id,
                "approving_committee_id": self._ref(self.committees, approval.get("committee")),
                "approving_body_name": approval.get("body"),
                "state": approval.get("state", "pending"),
                "decided_on": approval.get("decided_on"),
                "decision_id": decision_id,
                "source": self._source(approval),
            }
            approval_lookup = {
                k: approval_data[k]
                for k in ("party_id", "approving_committee_id", "approving_body_name")
            }
            self._ensure(
                Approval,
                approval_lookup,
                agreements.add_approval,
                approval_data,
                agreement_id=agreement_id,
            )


def _datetime(value: str | datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(value)


def load_demo_data(
    session: Session, *, actor: Actor = SEED_ACTOR, seed_dir: Path = SEED_DIR
) -> SeedReport:
    """Load every seed file; returns how many records were new."""
    # The seed commits record by record; checking up front keeps a refusal from half-loading.
    require_admin(actor, "Das Laden der Demo-Daten")
    return _Loader(session, actor, seed_dir).load()


def has_data(session: Session) -> bool:
    """True once anything is stored: the demo data loads on first start only."""
    return find_one(session, Organization) is not None
