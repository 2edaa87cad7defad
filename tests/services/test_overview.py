"""What needs attention now: next meetings, overdue decisions, agreements still waiting."""

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from services import agreements, decisions, meetings
from services.overview import (
    overdue_decisions,
    upcoming_meetings,
    waiting_agreements,
    workspace_counts,
)
from tests.conftest import (
    ACTOR,
    make_agenda_item,
    make_agreement,
    make_committee,
    make_meeting,
    make_org,
    make_party,
)

TODAY = date(2026, 11, 28)


def test_upcoming_meetings_soonest_first_without_cancelled_or_archived(session: Session) -> None:
    body = make_committee(session, name="Lenkungsausschuss")
    make_meeting(session, body, start=datetime(2026, 11, 27, 10, 0))
    later = make_meeting(session, body, start=datetime(2027, 3, 17, 10, 0))
    today = make_meeting(session, body, start=datetime(2026, 11, 28, 9, 0))
    cancelled = make_meeting(session, body, start=datetime(2027, 1, 10, 10, 0))
    meetings.cancel_meeting(session=session, actor=ACTOR, row_id=cancelled.id)
    archived = make_meeting(session, body, start=datetime(2027, 2, 1, 10, 0))
    meetings.archive_meeting(session=session, actor=ACTOR, row_id=archived.id)

    page = upcoming_meetings(session, today=TODAY)
    assert page.total == 2
    assert page.rows["id"].tolist() == [today.id, later.id]
    assert page.rows["committee"].tolist() == ["Lenkungsausschuss", "Lenkungsausschuss"]
    assert upcoming_meetings(session, today=TODAY, limit=1).rows["id"].tolist() == [today.id]


def decide(session: Session, due_date: date | None, reference: str, **extra: Any) -> int:
    body = make_committee(session, name=f"Gremium {reference}")
    meeting = make_meeting(session, body, start=datetime(2019, 4, 10, 10, 0))
    item = make_agenda_item(session, meeting)
    decision = decisions.record_decision(
        session=session,
        actor=ACTOR,
        data={
            "meeting_id": meeting.id,
            "agenda_item_id": item.id,
            "reference": reference,
            "text": "Die Geschäftsstelle berichtet.",
            "due_date": due_date,
            **extra,
        },
    )
    return int(decision.id)


def test_overdue_decisions_with_days_overdue(session: Session) -> None:
    late = decide(session, date(2020, 1, 31), "LA-2019/05")
    later = decide(session, date(2020, 3, 31), "LA-2019/04", follow_up_status="in_progress")
    decide(session, date(2020, 1, 1), "LA-2019/03", follow_up_status="done")
    decide(session, date(2027, 1, 1), "LA-2026/01")
    decide(session, None, "LA-2019/01")

    page = overdue_decisions(session, today=TODAY)
    assert page.total == 2
    assert page.rows["id"].tolist() == [late, later]
    assert page.rows["days_overdue"].tolist() == [
        (TODAY - date(2020, 1, 31)).days,
        (TODAY - date(2020, 3, 31)).days,
    ]


def test_agreements_waiting_for_approvals_or_late(session: Session) -> None:
    pending = make_agreement(
        session, title="Nachnutzungsstelle", kind="administrative", state="awaiting_approval"
    )
    party = make_party(session, pending, _n="Greifswald")
    agreements.add_approval(
        session=session,
        actor=ACTOR,
        agreement_id=pending.id,
        data={"party_id": party.id, "approving_body_name": "Bürgerschaft"},
    )
    # Approved, but after its target date: in force and no longer waiting (like KOMM24).
    done = make_agreement(
        session, title="KOMM24", target_date=date(2019, 7, 1), concluded_on=date(2019, 4, 9)
    )
    done_party = make_party(session, done, _n="Leipzig")
    agreements.add_approval(
        session=session,
        actor=ACTOR,
        agreement_id=done.id,
        data={
            "party_id": done_party.id,
            "approving_body_name": "Ratsversammlung",
            "state": "granted",
            "decided_on": date(2019, 9, 4),
        },
    )
    agreements.update_agreement(
        session=session, actor=ACTOR, row_id=done.id, data={"state": "in_force"}
    )
    late = make_agreement(session, title="Verhandlung ohne Ende", target_date=date(2026, 6, 30))
    make_agreement(session, title="Verhandlung mit Zeit", target_date=date(2027, 6, 30))

    page = waiting_agreements(session, today=TODAY)
    assert page.total == 2
    rows = page.rows.set_index("title")
    assert rows.loc["Nachnutzungsstelle", "status"] == "1 von 1 Zustimmungen ausstehend"
    assert rows.loc["Nachnutzungsstelle", "approvals_outstanding"] == 1
    assert rows.loc["Verhandlung ohne Ende", "status"] == (
        "Zieltermin 30.06.2026 um 151 Tage überschritten"
    )
    assert rows.loc["Verhandlung ohne Ende", "id"] == late.id
    assert "KOMM24" not in rows.index


def test_workspace_counts(session: Session) -> None:
    assert workspace_counts(session) == {"committees": 0, "organizations": 0, "agreements": 0}
    make_org(session)
    make_committee(session)
    assert workspace_counts(session) == {"committees": 1, "organizations": 1, "agreements": 0}
