"""OParl 1.1 export: required fields, types and formats, references that resolve, deleted flags."""

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from models import Agreement, Committee, Meeting, Organization
from services import agreements, meetings, organizations
from services.oparl import export_oparl, oparl_zip, write_oparl
from services.seed import load_demo_data
from tests.conftest import ACTOR

BASE = "https://ris.example.org/kooperationsraum"
ROOT = f"{BASE}/oparl/v1"
SCHEMA = "https://schema.oparl.org/1.1/"
EXT = "kooperationsraum:"

# Required by the OParl 1.1 schema (id, type; System and Body lists) plus what this export
# promises on every object of the type (created/modified everywhere).
REQUIRED = {
    "System": {"id", "type", "oparlVersion", "body", "name", "created", "modified"},
    "Body": {
        "id",
        "type",
        "system",
        "name",
        "organization",
        "person",
        "meeting",
        "paper",
        "legislativeTerm",
        "agendaItem",
        "membership",
        "consultation",
        "file",
        "locationList",
        "legislativeTermList",
    },
    "Organization": {"id", "type", "body", "name", "organizationType", "classification"},
    "Person": {"id", "type", "body", "name", "familyName"},
    "Membership": {"id", "type", "person", "organization", "role", "votingRight"},
    "Meeting": {"id", "type", "name", "start", "organization", "cancelled", "meetingState"},
    "AgendaItem": {"id", "type", "meeting", "number", "order", "name", "public"},
    "Paper": {"id", "type", "body", "name", "paperType", "consultation"},
    "Consultation": {"id", "type", "paper", "role", "authoritative"},
    "Location": {"id", "type", "description"},
}
URL_FIELDS = {
    "id",
    "system",
    "body",
    "organization",
    "person",
    "meeting",
    "paper",
    "agendaItem",
    "consultation",
    "membership",
    "file",
    "locationList",
    "legislativeTermList",
    "onBehalfOf",
    "subOrganizationOf",
    "participant",
    "originatorOrganization",
    "meetings",
}
DATETIME_FIELDS = {"created", "modified", "start", "end"}
DATE_FIELDS = {"startDate", "endDate", "date"}
LIST_FIELDS = {
    "Body": {"legislativeTerm"},
    "Meeting": {"organization", "participant", "agendaItem"},
    "Person": {"membership", "title", "email", "status"},
    "Organization": {"membership"},
    "Paper": {"consultation", "originatorOrganization"},
    "Consultation": {"organization"},
}
BOOL_FIELDS = {"cancelled", "public", "votingRight", "authoritative", "deleted"}


@pytest.fixture
def demo(session: Session) -> dict[str, Any]:
    load_demo_data(session)
    return export_oparl(session, base_url=BASE + "/")


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every OParl object in a file, embedded ones included."""
    if isinstance(value, dict):
        if str(value.get("type", "")).startswith(SCHEMA):
            yield value
        for child in value.values():
            yield from _objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from _objects(child)


def _all_objects(files: dict[str, Any]) -> list[dict[str, Any]]:
    return [obj for content in files.values() for obj in _objects(content)]


def _type(obj: dict[str, Any]) -> str:
    return str(obj["type"]).removeprefix(SCHEMA)


def _urls(value: Any) -> Iterator[str]:
    if isinstance(value, str) and value.startswith(BASE):
        yield value
    elif isinstance(value, dict):
        for child in value.values():
            yield from _urls(child)
    elif isinstance(value, list):
        for child in value:
            yield from _urls(child)


def _list(files: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return list(files[f"{name}.json"]["data"])


def _by_id(files: dict[str, Any], name: str, row_id: str) -> dict[str, Any]:
    return next(obj for obj in _list(files, name) if obj["id"] == f"{ROOT}/{name}/{row_id}")


def test_files_are_the_system_and_one_object_list_per_type(demo: dict[str, Any]) -> None:
    assert set(demo) >= {
        "system.json",
        "body.json",
        "organization.json",
        "person.json",
        "membership.json",
        "meeting.json",
        "agendaitem.json",
        "paper.json",
        "consultation.json",
    }
    system = demo["system.json"]
    assert system["type"] == f"{SCHEMA}System"
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    assert system["body"] == f"{ROOT}/body"
    for name, content in demo.items():
        if name == "system.json":
            continue
        assert set(content) == {"data", "pagination", "links"}, name
        assert content["pagination"]["totalElements"] == len(content["data"])
        assert content["links"]["first"] == f"{ROOT}/{name.removesuffix('.json')}"
    (body,) = _list(demo, "body")
    assert body["system"] == system["id"]
    assert body["legislativeTerm"] == []


def test_every_object_has_its_required_fields_with_the_right_types(
    demo: dict[str, Any],
) -> None:
    objects = _all_objects(demo)
    assert {_type(obj) for obj in objects} == set(REQUIRED)
    for obj in objects:
        kind = _type(obj)
        missing = REQUIRED[kind] - set(obj)
        assert not missing, f"{obj['id']}: {missing}"
        if kind not in ("System", "Body", "Location"):
            assert {"created", "modified"} <= set(obj), obj["id"]
        for field, value in obj.items():
            if field in URL_FIELDS:
                for url in value if isinstance(value, list) else [value]:
                    if isinstance(url, dict):  # embedded object: checked on its own
                        continue
                    assert isinstance(url, str), (field, url)
                    assert url.startswith(ROOT + "/"), (field, url)
            if field in DATETIME_FIELDS:
                moment = datetime.fromisoformat(value)
                assert moment.tzinfo is not None, (obj["id"], field, value)
            if field in DATE_FIELDS:
                assert date.fromisoformat(value).isoformat() == value
            if field in BOOL_FIELDS:
                assert isinstance(value, bool), (obj["id"], field)
            if field in LIST_FIELDS.get(kind, set()):
                assert isinstance(value, list), (obj["id"], field)
            if field.startswith(EXT):
                assert field.count(":") == 1
            else:
                assert ":" not in field, f"unprefixed extension {field}"
        if kind == "AgendaItem":
            assert isinstance(obj["order"], int)
            assert isinstance(obj["number"], str)


def test_every_referenced_url_exists_in_some_file(demo: dict[str, Any]) -> None:
    known = {obj["id"] for obj in _all_objects(demo)}
    known |= {f"{ROOT}/{name.removesuffix('.json')}" for name in demo if name != "system.json"}
    referenced = set(_urls(demo))
    assert referenced - known == set()
    # ...and every embedded object is also in its own list file.
    listed = {obj["id"] for name, c in demo.items() if name != "system.json" for obj in c["data"]}
    assert {obj["id"] for obj in _all_objects(demo)} - listed == {demo["system.json"]["id"]}


def test_komm24_is_a_paper_with_five_consultations(session: Session, demo: dict[str, Any]) -> None:
    agreement = session.exec(select(Agreement).where(Agreement.title.contains("KOMM24"))).one()  # type: ignore[attr-defined]
    paper = _by_id(demo, "paper", str(agreement.id))
    assert paper["paperType"] == "Vereinbarung"
    assert paper["date"] == "2019-04-09"
    assert len(paper["originatorOrganization"]) == 5
    consultations = [c for c in _list(demo, "consultation") if c["paper"] == paper["id"]]
    assert len(consultations) == 5
    assert [c["id"] for c in paper["consultation"]] == [c["id"] for c in consultations]
    assert {c["role"] for c in consultations} == {"Zustimmung"}
    assert all(c["authoritative"] is True for c in consultations)
    leipzig = session.exec(select(Committee).where(Committee.name.contains("Leipzig"))).one()  # type: ignore[attr-defined]
    (council,) = [c for c in consultations if "organization" in c]
    assert council["organization"] == [f"{ROOT}/organization/gremium-{leipzig.id}"]
    assert council["meeting"].startswith(f"{ROOT}/meeting/")
    assert council[f"{EXT}decidedOn"] == "2019-09-04"
    assert {c.get(f"{EXT}approvingBody") for c in consultations} >= {
        "Stadtrat Chemnitz",
        "Stadtrat Dresden",
    }


def test_demo_meeting_has_its_agenda_votes_and_attendance(
    session: Session, demo: dict[str, Any]
) -> None:
    committee = session.exec(
        select(Committee).where(Committee.name.startswith("Lenkungsausschuss"))  # type: ignore[attr-defined]
    ).one()
    meeting_row = session.exec(
        select(Meeting).where(Meeting.committee_id == committee.id, Meeting.number == 1)
    ).one()
    meeting = _by_id(demo, "meeting", str(meeting_row.id))
    assert meeting["start"] == "2019-04-10T10:00:00+02:00"
    assert meeting["end"] == "2019-04-10T13:00:00+02:00"
    assert meeting["location"]["description"] == "Schwerin"
    assert meeting["organization"] == [f"{ROOT}/organization/gremium-{committee.id}"]
    assert meeting["cancelled"] is False
    assert meeting["meetingState"] == "durchgeführt"
    assert meeting[f"{EXT}state"] == "abgeschlossen"
    numbers = [item["number"] for item in meeting["agendaItem"]]
    assert numbers == ["1", "2", "3", "4", "5"]
    listed = [i for i in _list(demo, "agendaitem") if i["meeting"] == meeting["id"]]
    assert [i["id"] for i in listed] == [i["id"] for i in meeting["agendaItem"]]
    election = meeting["agendaItem"][1]
    assert election["result"] == "einstimmig angenommen"
    assert election[f"{EXT}votes"] == {"yes": 7, "no": 0, "abstain": 0, "biased": 0}
    assert election[f"{EXT}decision"]["reference"] == "LA-2019/01"
    assert election[f"{EXT}followUp"]["status"] == "erledigt"
    attendance = meeting[f"{EXT}attendance"]
    assert attendance
    assert {"person", "status"} <= set(attendance[0])
    assert meeting["participant"]
    organization = _by_id(demo, "organization", f"gremium-{committee.id}")
    assert organization["organizationType"] == "Gremium"
    assert organization["classification"] == "Lenkungsausschuss"


def test_participations_ride_on_organizations(demo: dict[str, Any]) -> None:
    institutions = [
        o for o in _list(demo, "organization") if o["organizationType"] == "Institution"
    ]
    with_fields = [o for o in institutions if o.get(f"{EXT}participations")]
    assert with_fields
    entry = with_fields[0][f"{EXT}participations"][0]
    assert {"topicField", "role"} <= set(entry)


def test_non_public_items_stay_out_for_a_restricted_reader(session: Session) -> None:
    load_demo_data(session)
    files = export_oparl(session, base_url=BASE, include_non_public=False)
    assert all(item["public"] for item in _list(files, "agendaitem"))
    first = _list(files, "meeting")[0]
    assert f"{EXT}attendance" not in first
    assert "agendaItem" not in first
    known = {obj["id"] for obj in _all_objects(files)}
    known |= {f"{ROOT}/{name.removesuffix('.json')}" for name in files if name != "system.json"}
    assert set(_urls(files)) - known == set()


def test_archived_records_are_marked_deleted(session: Session) -> None:
    org = organizations.create_organization(
        session=session, actor=ACTOR, data={"name": "Zweckverband Alt", "kind": "other"}
    )
    kept = organizations.create_organization(
        session=session, actor=ACTOR, data={"name": "Stadt Bleibt", "kind": "municipality"}
    )
    organizations.archive_organization(session=session, actor=ACTOR, row_id=org.id)  # type: ignore[arg-type]
    agreement = agreements.create_agreement(
        session=session, actor=ACTOR, data={"title": "Alte Vereinbarung", "kind": "other"}
    )
    agreements.archive_agreement(session=session, actor=ACTOR, row_id=agreement.id)  # type: ignore[arg-type]
    progress: list[float] = []
    files = export_oparl(session, base_url=BASE, progress=progress.append)

    assert _by_id(files, "organization", f"institution-{org.id}")["deleted"] is True
    assert "deleted" not in _by_id(files, "organization", f"institution-{kept.id}")
    assert _by_id(files, "paper", str(agreement.id))["deleted"] is True
    assert progress == sorted(progress)
    assert progress[-1] == 1.0
    assert session.get(Organization, org.id) is not None


def test_archived_meeting_stays_with_deleted_true(session: Session) -> None:
    load_demo_data(session)
    meeting = session.exec(select(Meeting).order_by(Meeting.id.desc())).first()  # type: ignore[union-attr]
    assert meeting is not None
    meetings.archive_meeting(session=session, actor=ACTOR, row_id=meeting.id)  # type: ignore[arg-type]
    files = export_oparl(session, base_url=BASE)
    assert _by_id(files, "meeting", str(meeting.id))["deleted"] is True


def test_write_oparl_writes_utf8_json_per_list(demo: dict[str, Any], tmp_path: Path) -> None:
    paths = write_oparl(demo, tmp_path / "oparl")
    assert sorted(p.name for p in paths) == sorted(demo)
    text = (tmp_path / "oparl" / "organization.json").read_text(encoding="utf-8")
    assert "Spitzengespräch" in text  # umlauts written as they are, not \u escapes
    assert text.startswith("{\n  ")
    for path in paths:
        assert json.loads(path.read_text(encoding="utf-8")) == demo[path.name]
    with zipfile.ZipFile(io.BytesIO(oparl_zip(demo))) as archive:
        assert sorted(archive.namelist()) == sorted(f"oparl/{name}" for name in demo)
