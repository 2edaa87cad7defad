"""The whole workspace as OParl 1.1 JSON: one file per object list, plus the System object.

Mapping (OParl 1.1, https://schema.oparl.org/1.1/):

- One Body, "Kooperationsraum": the workspace spans Länder, Bund and Kommunen, and its
  committees (a Lenkungsausschuss of Land and Kommunen, a Spitzengespräch) belong to no single
  Körperschaft. The real Körperschaften (Länder, Städte, Zweckverbände, ...) are Organizations
  of organizationType "Institution"; committees are Organizations of type "Gremium".
  `classification` carries our kind label ("Landkreis", "Lenkungsausschuss").
- Each Vereinbarung is a Paper of paperType "Vereinbarung" with one Consultation per
  Zustimmung (role "Zustimmung", authoritative), pointing at the approving committee,
  and at the meeting and agenda item of its Beschluss where one is recorded.
- What OParl lacks sits in fields prefixed "kooperationsraum:" (OParl allows extra
  properties): vote counts and follow-up on AgendaItem, attendance on Meeting,
  Themenfeld participation on Organization, parties and state on Paper.
- ids are URLs under the configured base URL; each list file is an OParl object list
  (`data`, `pagination`, `links`) whose URL is the list URL the Body links.
- Archived records stay in the lists with `deleted: true`, so a client that mirrored them
  learns they are gone.
"""

import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from models import (
    AgendaItem,
    Agreement,
    AgreementParty,
    Approval,
    Attendance,
    Committee,
    Decision,
    Meeting,
    Membership,
    Organization,
    Participation,
    Person,
    TopicField,
)
from models.base import RecordFields
from models.enums import AttendanceStatus, MeetingState
from services.periods import BERLIN
from services.write import key

SCHEMA = "https://schema.oparl.org/1.1/"
OPARL_VERSION = SCHEMA
EXTENSION = "kooperationsraum:"
BODY_NAME = "Kooperationsraum"
BODY_KEY = "kooperationsraum"
API_PATH = "oparl/v1"
# The list files, in the order they are written; each is linked from the Body.
LISTS = (
    "body",
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaitem",
    "paper",
    "consultation",
    "location",
    "legislativeterm",
    "file",
)
# OParl recommends these three meetingState words; ours are finer (kept in an extension).
MEETING_STATES = {
    MeetingState.PLANNED: "terminiert",
    MeetingState.INVITED: "eingeladen",
    MeetingState.HELD: "durchgeführt",
    MeetingState.CLOSED: "durchgeführt",
}

Progress = Callable[[float], None]
Json = dict[str, Any]


def api_root(base_url: str) -> str:
    """The URL every OParl id starts with."""
    return f"{base_url.rstrip('/')}/{API_PATH}"


def list_url(base_url: str, name: str) -> str:
    """The URL of one object list (the file `<name>.json`)."""
    return f"{api_root(base_url)}/{name}"


def system_url(base_url: str) -> str:
    """The id of the System object (the file `system.json`)."""
    return f"{api_root(base_url)}/system"


def export_oparl(
    session: Session,
    *,
    base_url: str,
    include_non_public: bool = True,
    progress: Progress | None = None,
) -> dict[str, object]:
    """The workspace as OParl 1.1: file name → JSON-able object (system.json and one per list)."""
    return _Exporter(session, base_url, include_non_public, progress).run()


def write_oparl(files: dict[str, object], output_dir: Path | str) -> list[Path]:
    """Write each file as UTF-8 JSON (umlauts kept, indented); returns the paths written."""
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = folder / name
        path.write_text(_dumps(content), encoding="utf-8")
        written.append(path)
    return written


def oparl_zip(files: dict[str, object]) -> bytes:
    """The files as one .zip archive (for a browser download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"oparl/{name}", _dumps(content))
    return buffer.getvalue()


def _dumps(content: object) -> str:
    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"


def _stamp(moment: datetime | None) -> str | None:
    """A bookkeeping time (UTC; naive from SQLite) as ISO 8601 with the German offset."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BERLIN).isoformat(timespec="seconds")


def _wall_clock(moment: datetime | None) -> str | None:
    """A meeting time (German wall-clock, stored naive) as ISO 8601 with its offset."""
    if moment is None:
        return None
    return moment.replace(tzinfo=BERLIN).isoformat(timespec="seconds")


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _compact(obj: Json) -> Json:
    """Leave out empty optional properties (OParl: absent rather than null)."""
    return {k: v for k, v in obj.items() if v is not None and v != [] and v != {}}


class _Exporter:
    def __init__(
        self,
        session: Session,
        base_url: str,
        include_non_public: bool,
        progress: Progress | None,
    ) -> None:
        self.session = session
        self.base_url = base_url
        self.root = api_root(base_url)
        self.include_non_public = include_non_public
        self.progress = progress
        self.body_id = f"{self.root}/body/{BODY_KEY}"
        self.records: list[RecordFields] = []
        # Filled by one list, used by a later one (embedded objects, back-links).
        self.person_memberships: dict[int, list[Json]] = defaultdict(list)
        self.item_ids: set[int] = set()
        self.meeting_items: dict[int, list[Json]] = defaultdict(list)
        self.paper_consultations: dict[int, list[Json]] = defaultdict(list)
        self.locations: list[Json] = []

    # --- ids -------------------------------------------------------------------------

    def url(self, kind: str, row_id: int | str | None) -> str | None:
        return None if row_id is None else f"{self.root}/{kind}/{row_id}"

    def committee_url(self, committee_id: int | None) -> str | None:
        return self.url("organization", f"gremium-{committee_id}" if committee_id else None)

    def institution_url(self, organization_id: int | None) -> str | None:
        return self.url(
            "organization", f"institution-{organization_id}" if organization_id else None
        )

    def base(self, kind: str, type_name: str, row: RecordFields, row_key: int | str) -> Json:
        """id, type, created, modified and (for archived rows) deleted."""
        self.records.append(row)
        obj: Json = {
            "id": self.url(kind, row_key),
            "type": f"{SCHEMA}{type_name}",
            "created": _stamp(row.created_at),
            "modified": _stamp(row.updated_at),
        }
        if row.archived:
            obj["deleted"] = True
        return obj

    # --- run -------------------------------------------------------------------------

    def run(self) -> dict[str, object]:
        steps: list[tuple[str, Callable[[], list[Json]]]] = [
            ("organization", self.organizations),
            ("membership", self.memberships),
            ("person", self.persons),
            ("agendaitem", self.agenda_items),
            ("consultation", self.consultations),
            ("meeting", self.meetings),
            ("paper", self.papers),
        ]
        lists: dict[str, list[Json]] = {}
        for done, (name, build) in enumerate(steps):
            lists[name] = build()
            self._report(done + 1, len(steps) + 1)
        lists["location"] = self.locations
        lists["legislativeterm"] = []
        lists["file"] = []
        lists["body"] = [self.body()]
        files: dict[str, object] = {"system.json": self.system()}
        for name in LISTS:
            files[f"{name}.json"] = self.object_list(name, lists[name])
        self._report(1, 1)
        return files

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done / total)

    def object_list(self, name: str, data: list[Json]) -> Json:
        url = list_url(self.base_url, name)
        return {
            "data": data,
            "pagination": {
                "totalElements": len(data),
                "elementsPerPage": max(len(data), 1),
                "currentPage": 1,
                "totalPages": 1,
            },
            "links": {"first": url, "last": url},
        }

    def _span(self) -> tuple[str | None, str | None]:
        created = [r.created_at for r in self.records]
        modified = [r.updated_at for r in self.records]
        now = datetime.now(UTC)
        first = min((_aware(m) for m in created), default=now)
        last = max((_aware(m) for m in modified), default=now)
        return _stamp(first), _stamp(last)

    def system(self) -> Json:
        created, modified = self._span()
        return {
            "id": system_url(self.base_url),
            "type": f"{SCHEMA}System",
            "oparlVersion": OPARL_VERSION,
            "body": list_url(self.base_url, "body"),
            "name": f"{BODY_NAME} – Gremien, Sitzungen und Vereinbarungen",
            "created": created,
            "modified": modified,
        }

    def body(self) -> Json:
        created, modified = self._span()
        lists = {
            "organization": "organization",
            "person": "person",
            "meeting": "meeting",
            "paper": "paper",
            "agendaItem": "agendaitem",
            "consultation": "consultation",
            "membership": "membership",
            "file": "file",
            "locationList": "location",
            "legislativeTermList": "legislativeterm",
        }
        return {
            "id": self.body_id,
            "type": f"{SCHEMA}Body",
            "system": system_url(self.base_url),
            "name": BODY_NAME,
            "shortName": BODY_NAME,
            "classification": "Kooperationsraum von Bund, Ländern und Kommunen",
            **{field: list_url(self.base_url, name) for field, name in lists.items()},
            "legislativeTerm": [],
            "created": created,
            "modified": modified,
        }

    # --- Organization ----------------------------------------------------------------

    def organizations(self) -> list[Json]:
        members: dict[int, list[str]] = defaultdict(list)
        for membership in self.session.exec(select(Membership).order_by(col(Membership.id))):
            members[membership.committee_id].append(str(self.url("membership", key(membership))))
        result = []
        for committee in self.session.exec(select(Committee).order_by(col(Committee.id))):
            obj = self.base("organization", "Organization", committee, f"gremium-{key(committee)}")
            obj.update(
                body=self.body_id,
                name=committee.name,
                shortName=committee.short_name,
                organizationType="Gremium",
                classification=committee.kind.label,
                startDate=_day(committee.start_date),
                endDate=_day(committee.end_date),
                subOrganizationOf=self.committee_url(committee.parent_id),
                membership=members.get(key(committee), []),
            )
            obj[f"{EXTENSION}hostOrganization"] = self.institution_url(
                committee.host_organization_id
            )
            obj[f"{EXTENSION}state"] = committee.state.label if committee.state else None
            obj[f"{EXTENSION}purpose"] = committee.purpose
            result.append(_compact(obj))
        participations = self._participations()
        for organization in self.session.exec(select(Organization).order_by(col(Organization.id))):
            obj = self.base(
                "organization", "Organization", organization, f"institution-{key(organization)}"
            )
            obj.update(
                body=self.body_id,
                name=organization.name,
                shortName=organization.short_name,
                organizationType="Institution",
                classification=organization.kind.label,
                subOrganizationOf=self.institution_url(organization.parent_id),
            )
            obj[f"{EXTENSION}ags"] = organization.ags
            obj[f"{EXTENSION}state"] = organization.state.label if organization.state else None
            obj[f"{EXTENSION}participations"] = participations.get(key(organization), [])
            result.append(_compact(obj))
        return result

    def _participations(self) -> dict[int, list[Json]]:
        rows = self.session.exec(
            select(Participation, TopicField)
            .join(TopicField, col(Participation.topic_field_id) == TopicField.id)
            .where(col(Participation.archived).is_(False), col(TopicField.archived).is_(False))
            .order_by(col(TopicField.number), col(Participation.valid_from), col(Participation.id))
        )
        result: dict[int, list[Json]] = defaultdict(list)
        for participation, field in rows:
            result[participation.organization_id].append(
                _compact(
                    {
                        "topicField": field.name,
                        "topicFieldNumber": field.number,
                        "role": participation.role.label,
                        "validFrom": _day(participation.valid_from),
                        "validTo": _day(participation.valid_to),
                    }
                )
            )
        return result

    # --- Person and Membership -------------------------------------------------------

    def memberships(self) -> list[Json]:
        result = []
        for membership in self.session.exec(select(Membership).order_by(col(Membership.id))):
            obj = self.base("membership", "Membership", membership, key(membership))
            obj.update(
                person=self.url("person", membership.person_id),
                organization=self.committee_url(membership.committee_id),
                role=membership.role.label,
                votingRight=membership.voting_right,
                startDate=_day(membership.start_date),
                endDate=_day(membership.end_date),
                onBehalfOf=self.institution_url(membership.on_behalf_of_id),
            )
            obj[f"{EXTENSION}deputyRank"] = membership.deputy_rank
            obj[f"{EXTENSION}deputyOf"] = self.url("membership", membership.deputy_of_id)
            obj = _compact(obj)
            self.person_memberships[membership.person_id].append(obj)
            result.append(obj)
        return result

    def persons(self) -> list[Json]:
        result = []
        for person in self.session.exec(select(Person).order_by(col(Person.id))):
            obj = self.base("person", "Person", person, key(person))
            obj.update(
                body=self.body_id,
                name=person.full_name,
                familyName=person.family_name,
                givenName=person.given_name,
                title=[person.title] if person.title else [],
                email=[person.email] if person.email else [],
                status=[person.function] if person.function else [],
                membership=self.person_memberships.get(key(person), []),
            )
            obj[f"{EXTENSION}organization"] = self.institution_url(person.organization_id)
            result.append(_compact(obj))
        return result

    # --- AgendaItem, Consultation, Meeting -------------------------------------------

    def _shown(self, public: bool) -> bool:
        return public or self.include_non_public

    def agenda_items(self) -> list[Json]:
        decisions = {
            decision.agenda_item_id: decision
            for decision in self.session.exec(
                select(Decision).where(
                    col(Decision.archived).is_(False), col(Decision.agenda_item_id).is_not(None)
                )
            )
        }
        approvals = self.session.exec(select(Approval, Decision).join(Decision))
        decision_items = {
            decision.agenda_item_id: key(approval)
            for approval, decision in approvals
            if decision.agenda_item_id is not None
        }
        result = []
        items = self.session.exec(
            select(AgendaItem).order_by(
                col(AgendaItem.meeting_id), col(AgendaItem.order), col(AgendaItem.id)
            )
        )
        for item in items:
            if not self._shown(item.public):
                continue
            item_id = key(item)
            self.item_ids.add(item_id)
            obj = self.base("agendaitem", "AgendaItem", item, item_id)
            obj.update(
                meeting=self.url("meeting", item.meeting_id),
                number=item.number,
                order=item.order,
                name=item.title,
                public=item.public,
                consultation=self.url("consultation", decision_items.get(item_id)),
            )
            obj[f"{EXTENSION}description"] = item.description
            obj[f"{EXTENSION}minutesNote"] = item.minutes_note
            decision = decisions.get(item_id)
            if decision is not None:
                obj.update(
                    result=decision.result.label if decision.result else None,
                    resolutionText=decision.text,
                )
                obj.update(self._decision_extensions(decision))
            obj = _compact(obj)
            result.append(obj)
            if not item.archived:
                self.meeting_items[item.meeting_id].append(obj)
        return result

    def _decision_extensions(self, decision: Decision) -> Json:
        votes = {
            "yes": decision.votes_yes,
            "no": decision.votes_no,
            "abstain": decision.votes_abstain,
            "biased": decision.votes_biased,
        }
        return {
            f"{EXTENSION}decision": _compact(
                {
                    "reference": decision.reference,
                    "kind": decision.kind.label,
                    "voteMode": decision.vote_mode.label,
                }
            ),
            f"{EXTENSION}votes": votes if any(v is not None for v in votes.values()) else None,
            f"{EXTENSION}followUp": _compact(
                {
                    "status": decision.follow_up_status.label,
                    "responsible": self.institution_url(decision.responsible_organization_id),
                    "dueDate": _day(decision.due_date),
                }
            ),
        }

    def consultations(self) -> list[Json]:
        rows = self.session.exec(
            select(Approval, AgreementParty)
            .join(AgreementParty, col(Approval.party_id) == AgreementParty.id)
            .order_by(col(AgreementParty.agreement_id), col(AgreementParty.id), col(Approval.id))
        )
        result = []
        for approval, party in rows:
            decision = (
                self.session.get(Decision, approval.decision_id) if approval.decision_id else None
            )
            obj = self.base("consultation", "Consultation", approval, key(approval))
            if party.archived:
                obj["deleted"] = True
            item_id = decision.agenda_item_id if decision else None
            obj.update(
                paper=self.url("paper", party.agreement_id),
                meeting=self.url("meeting", decision.meeting_id) if decision else None,
                agendaItem=self.url("agendaitem", item_id) if item_id in self.item_ids else None,
                organization=(
                    [self.committee_url(approval.approving_committee_id)]
                    if approval.approving_committee_id
                    else []
                ),
                role="Zustimmung",
                authoritative=True,
            )
            obj[f"{EXTENSION}approvingBody"] = approval.approving_body_name
            obj[f"{EXTENSION}approvalState"] = approval.state.label
            obj[f"{EXTENSION}decidedOn"] = _day(approval.decided_on)
            obj[f"{EXTENSION}party"] = self.institution_url(party.organization_id)
            obj[f"{EXTENSION}decision"] = decision.reference if decision else None
            obj = _compact(obj)
            result.append(obj)
            self.paper_consultations[party.agreement_id].append(obj)
        return result

    def meetings(self) -> list[Json]:
        attendance: dict[int, list[Attendance]] = defaultdict(list)
        for row in self.session.exec(
            select(Attendance)
            .where(col(Attendance.archived).is_(False))
            .order_by(col(Attendance.id))
        ):
            attendance[row.meeting_id].append(row)
        circular: dict[int, list[Decision]] = defaultdict(list)
        for decision in self.session.exec(
            select(Decision)
            .where(col(Decision.archived).is_(False), col(Decision.agenda_item_id).is_(None))
            .order_by(col(Decision.id))
        ):
            circular[decision.meeting_id].append(decision)
        result = []
        for meeting in self.session.exec(select(Meeting).order_by(col(Meeting.id))):
            meeting_id = key(meeting)
            obj = self.base("meeting", "Meeting", meeting, meeting_id)
            shows_details = self._shown(meeting.public)
            present = [
                row
                for row in attendance.get(meeting_id, [])
                if row.status in (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED)
            ]
            participants = [
                self.url("person", row.substitute_id or row.person_id)
                if row.status == AttendanceStatus.REPRESENTED
                else self.url("person", row.person_id)
                for row in present
            ]
            obj.update(
                name=meeting.title or f"Sitzung Nr. {meeting.number}",
                meetingState=MEETING_STATES[meeting.state],
                cancelled=meeting.cancelled,
                start=_wall_clock(meeting.start),
                end=_wall_clock(meeting.end),
                location=self._location(meeting),
                organization=[self.committee_url(meeting.committee_id)],
                participant=participants if shows_details else [],
                agendaItem=self.meeting_items.get(meeting_id, []),
            )
            obj[f"{EXTENSION}number"] = meeting.number
            obj[f"{EXTENSION}kind"] = meeting.kind.label
            obj[f"{EXTENSION}state"] = meeting.state.label
            obj[f"{EXTENSION}public"] = meeting.public
            if shows_details:
                obj[f"{EXTENSION}attendance"] = [
                    _compact(
                        {
                            "person": self.url("person", row.person_id),
                            "status": row.status.label,
                            "substitute": self.url("person", row.substitute_id),
                        }
                    )
                    for row in attendance.get(meeting_id, [])
                ]
                obj[f"{EXTENSION}circularResolutions"] = [
                    _compact(
                        {
                            "resolutionText": decision.text,
                            "result": decision.result.label if decision.result else None,
                            **self._decision_extensions(decision),
                        }
                    )
                    for decision in circular.get(meeting_id, [])
                ]
            result.append(_compact(obj))
        return result

    def _location(self, meeting: Meeting) -> Json | None:
        if not meeting.location:
            return None
        location = _compact(
            {
                "id": self.url("location", f"sitzung-{key(meeting)}"),
                "type": f"{SCHEMA}Location",
                "description": meeting.location,
                "meetings": [self.url("meeting", key(meeting))],
                "created": _stamp(meeting.created_at),
                "modified": _stamp(meeting.updated_at),
                "deleted": True if meeting.archived else None,
            }
        )
        self.locations.append(location)
        return location

    # --- Paper -----------------------------------------------------------------------

    def papers(self) -> list[Json]:
        parties: dict[int, list[AgreementParty]] = defaultdict(list)
        for party in self.session.exec(select(AgreementParty).order_by(col(AgreementParty.id))):
            parties[party.agreement_id].append(party)
        result = []
        for agreement in self.session.exec(select(Agreement).order_by(col(Agreement.id))):
            agreement_id = key(agreement)
            active = [p for p in parties.get(agreement_id, []) if not p.archived]
            obj = self.base("paper", "Paper", agreement, agreement_id)
            obj.update(
                body=self.body_id,
                name=agreement.title,
                date=_day(agreement.concluded_on),
                paperType="Vereinbarung",
                originatorOrganization=_unique(
                    self.institution_url(p.organization_id) for p in active
                ),
                consultation=self.paper_consultations.get(agreement_id, []),
            )
            obj[f"{EXTENSION}kind"] = agreement.kind.label
            obj[f"{EXTENSION}state"] = agreement.state.label
            obj[f"{EXTENSION}subject"] = agreement.subject
            obj[f"{EXTENSION}conditions"] = agreement.conditions
            obj[f"{EXTENSION}targetDate"] = _day(agreement.target_date)
            obj[f"{EXTENSION}endedOn"] = _day(agreement.ended_on)
            obj[f"{EXTENSION}agreedAt"] = self.url("meeting", agreement.meeting_id)
            obj[f"{EXTENSION}parties"] = [
                _compact(
                    {
                        "organization": self.institution_url(p.organization_id),
                        "role": p.role.label,
                        "representedBy": self.institution_url(p.represented_by_id),
                    }
                )
                for p in active
            ]
            # The consultation list stays even when empty: "needs no approval" is information.
            result.append({**_compact(obj), "consultation": obj["consultation"]})
        return result


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _unique(urls: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(url for url in urls if url))
