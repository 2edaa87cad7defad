"""The Niederschrift as .docx, read back with python-docx: sections and numbers."""

import io
from datetime import date

import docx
import pytest
from sqlmodel import Session, select

from models import Committee, Meeting
from models.enums import MeetingState
from services import decisions, meetings
from services.errors import NotFoundError
from services.niederschrift import niederschrift_docx, signatories, vote_result
from services.seed import load_demo_data
from tests.conftest import ACTOR, make_agenda_item, make_voting_body

COMMITTEE = "Lenkungsausschuss E-Government Mecklenburg-Vorpommern"


def _demo_meeting(session: Session, number: int = 1) -> Meeting:
    committee = session.exec(select(Committee).where(Committee.name == COMMITTEE)).one()
    return session.exec(
        select(Meeting).where(Meeting.committee_id == committee.id, Meeting.number == number)
    ).one()


def _read(data: bytes) -> tuple[list[tuple[str, str]], list[list[list[str]]]]:
    document = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


@pytest.fixture
def demo(session: Session) -> Meeting:
    load_demo_data(session)
    return _demo_meeting(session)


def test_demo_niederschrift_has_every_section_and_number(session: Session, demo: Meeting) -> None:
    paragraphs, tables = _read(niederschrift_docx(session, demo.id))
    texts = [text for _, text in paragraphs]
    headings = [text for style, text in paragraphs if style.startswith(("Heading", "Title"))]
    assert headings[:2] == [COMMITTEE, "Niederschrift der Sitzung Nr. 1"]
    for section in (
        "Anwesenheit",
        "Anwesend",
        "Vertreten",
        "Entschuldigt",
        "Unentschuldigt",
        "Gäste",
        "Beschlussfähigkeit",
        "Tagesordnung",
        "Beratung und Beschlüsse",
        "Unterschriften",
    ):
        assert section in headings
    header = {row[0]: row[1] for row in tables[0]}
    assert header["Datum"] == "10.04.2019"
    assert header["Ort"] == "Schwerin"
    assert (header["Beginn"], header["Ende"]) == ("10:00 Uhr", "13:00 Uhr")
    assert any(t.startswith("Ina-Maria Ulbrich (Vorsitz") for t in texts)
    assert any(
        t.startswith("Martin Muster") and t.endswith("vertreten durch Tobias Testfeld")
        for t in texts
    )
    excused = texts.index("Entschuldigt")
    assert texts[excused + 1].startswith("Max Mustermann")
    assert (
        "Von 9 stimmberechtigten Mitgliedern sind 8 anwesend oder vertreten (erforderlich: 5). "
        "Das Gremium ist beschlussfähig." in texts
    )
    agenda_table = tables[1]
    assert agenda_table[0] == ["TOP", "Titel", "öffentlich"]
    assert [row[0] for row in agenda_table[1:]] == ["1", "2", "3", "4", "5"]
    assert "TOP 2: Wahl der stellvertretenden Vorsitzenden" in headings
    assert "Beschluss LA-2019/01:" in texts
    assert (
        "Abstimmungsergebnis: einstimmig angenommen (Ja 7, Nein 0, Enthaltung 0, befangen 0)"
        in texts
    )
    assert "Abstimmungsergebnis: zur Kenntnis genommen" in texts
    assert "Protokollnotiz: Keine Wortmeldungen." in texts
    assert "verantwortlich: Land Mecklenburg-Vorpommern; Frist: 31.12.2019" in texts
    signatures = tables[-1]
    assert signatures[1] == ["Vorsitz", "Schriftführung"]
    assert signatures[2] == ["Ina-Maria Ulbrich", "Lena Platzhalter"]


def test_majority_vote_in_words_and_numbers(session: Session, demo: Meeting) -> None:
    meetings.change_meeting_state(
        session=session, actor=ACTOR, row_id=demo.id, state=MeetingState.HELD
    )
    item = make_agenda_item(session, demo, number="6", order=6, title="Haushalt", public=True)
    decisions.record_decision(
        session=session,
        actor=ACTOR,
        data={
            "meeting_id": demo.id,
            "agenda_item_id": item.id,
            "reference": "LA-2019/98",
            "text": "Der Haushalt wird beschlossen.",
            "result": "adopted_by_majority",
            "votes_yes": 5,
            "votes_no": 1,
            "votes_abstain": 1,
            "votes_biased": 0,
        },
    )
    texts = [text for _, text in _read(niederschrift_docx(session, demo.id))[0]]
    assert (
        "Abstimmungsergebnis: mehrheitlich angenommen (Ja 5, Nein 1, Enthaltung 1, befangen 0)"
        in texts
    )
    public_only = [
        text for _, text in _read(niederschrift_docx(session, demo.id, include_non_public=False))[0]
    ]
    assert "TOP 6: Haushalt" in public_only
    assert not any(text.startswith("TOP 2") for text in public_only)


def test_circulation_lists_its_decisions(session: Session, demo: Meeting) -> None:
    circulation = _demo_meeting(session, 3)
    paragraphs, _ = _read(niederschrift_docx(session, circulation.id))
    texts = [text for _, text in paragraphs]
    assert "Beschlüsse im Umlaufverfahren" in texts
    assert "Umlaufbeschluss LA-2020/01:" in texts
    assert "Anwesenheit" not in texts
    assert (
        "Abstimmungsergebnis: einstimmig angenommen (Ja 8, Nein 0, Enthaltung 0, befangen 0)"
        in texts
    )


def test_signatories_without_chair_or_secretary_stay_blank(session: Session) -> None:
    body, meeting, _ = make_voting_body(session, voters=3, present=2)
    assert signatories(session, body.id, date(2026, 3, 10)).chair is None
    paragraphs, tables = _read(niederschrift_docx(session, meeting.id))
    assert tables[-1][2] == ["", ""]
    assert "Gäste" in [text for _, text in paragraphs]


def test_vote_result_without_counts_is_words_only() -> None:
    assert vote_result({"result_label": "vertagt"}) == "vertagt"
    assert (
        vote_result({"result_label": "abgelehnt", "votes_yes": 1, "votes_no": 4})
        == "abgelehnt (Ja 1, Nein 4, Enthaltung 0, befangen 0)"
    )


def test_unknown_meeting_is_a_german_error(session: Session) -> None:
    with pytest.raises(NotFoundError, match="gibt es nicht"):
        niederschrift_docx(session, 4711)
