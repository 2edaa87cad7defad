"""Vereinbarungen: parties, who represents whom, approvals and the derived status."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from models import Agreement, AgreementParty, Approval
from models.enums import AgreementState
from services import agreements
from services.actor import Actor
from services.errors import DomainError
from tests.conftest import (
    ACTOR,
    make_agenda_item,
    make_agreement,
    make_committee,
    make_meeting,
    make_org,
    make_party,
)


def approve(
    session: Session, agreement: Agreement, party: AgreementParty, **overrides: Any
) -> Approval:
    data = {"party_id": party.id, "approving_body_name": "Stadtrat", **overrides}
    return agreements.add_approval(
        session=session, actor=ACTOR, agreement_id=agreement.id, data=data
    )


def test_party_once_per_agreement_and_not_represented_by_itself(session: Session) -> None:
    agreement = make_agreement(session)
    leipzig = make_org(session, name="Stadt Leipzig", kind="district_free_city")
    lecos = make_org(session, name="Lecos GmbH", kind="it_provider")
    party = make_party(
        session, agreement, leipzig, role="founding_shareholder", represented_by_id=lecos.id
    )
    assert party.represented_by_id == lecos.id
    with pytest.raises(DomainError, match="bereits beteiligt") as info:
        make_party(session, agreement, leipzig)
    assert info.value.field == "organization_id"
    with pytest.raises(DomainError) as info:
        make_party(
            session, make_agreement(session, title="Andere"), leipzig, represented_by_id=leipzig.id
        )
    assert info.value.field == "represented_by_id"


def test_approval_only_for_a_party_of_that_agreement(session: Session) -> None:
    komm24, other = make_agreement(session), make_agreement(session, title="Andere Vereinbarung")
    foreign_party = make_party(session, other)
    with pytest.raises(DomainError, match="keine Partei dieser Vereinbarung") as info:
        approve(session, komm24, foreign_party)
    assert info.value.field == "party_id"


def test_approving_body_is_a_committee_or_a_name_never_both(session: Session) -> None:
    agreement = make_agreement(session)
    party = make_party(session, agreement)
    council = make_committee(session, name="Ratsversammlung Leipzig", kind="council")
    with pytest.raises(DomainError, match="genau eines"):
        approve(session, agreement, party, approving_committee_id=council.id)
    with pytest.raises(DomainError, match="genau eines"):
        approve(session, agreement, party, approving_body_name="  ")
    assert approve(
        session, agreement, party, approving_body_name=None, approving_committee_id=council.id
    )


def test_pending_approval_has_no_date(session: Session) -> None:
    agreement = make_agreement(session)
    party = make_party(session, agreement)
    with pytest.raises(DomainError) as info:
        approve(session, agreement, party, state="pending", decided_on=date(2019, 9, 4))
    assert info.value.field == "decided_on"


def test_linked_decision_must_come_from_the_approving_committee(session: Session) -> None:
    council, other = (
        make_committee(session, name="Ratsversammlung", kind="council"),
        make_committee(session, name="AG"),
    )
    meeting = make_meeting(session, other)
    from services.decisions import record_decision

    decision = record_decision(
        session=session,
        actor=ACTOR,
        data={
            "meeting_id": meeting.id,
            "agenda_item_id": make_agenda_item(session, meeting).id,
            "reference": "X",
            "text": "Zustimmung",
        },
    )
    agreement = make_agreement(session)
    party = make_party(session, agreement)
    with pytest.raises(DomainError, match="nicht vom zustimmenden Gremium") as info:
        approve(
            session,
            agreement,
            party,
            approving_body_name=None,
            approving_committee_id=council.id,
            state="granted",
            decided_on=date(2019, 9, 4),
            decision_id=decision.id,
        )
    assert info.value.field == "decision_id"


def test_in_force_is_refused_while_approvals_are_outstanding(
    session: Session, actor: Actor
) -> None:
    agreement = make_agreement(session, state="awaiting_approval")
    party = make_party(session, agreement)
    approval = approve(session, agreement, party)
    with pytest.raises(DomainError, match="1 Zustimmung") as info:
        agreements.update_agreement(
            session=session, actor=actor, row_id=agreement.id, data={"state": "in_force"}
        )
    assert info.value.field == "state"
    agreements.update_approval(
        session=session,
        actor=actor,
        row_id=approval.id,
        data={"state": "granted", "decided_on": date(2019, 9, 4)},
    )
    assert agreements.update_agreement(
        session=session, actor=actor, row_id=agreement.id, data={"state": "in_force"}
    )


def test_status_in_words_counts_outstanding_and_days_late(session: Session, actor: Actor) -> None:
    agreement = make_agreement(
        session,
        concluded_on=date(2019, 4, 9),
        target_date=date(2019, 7, 1),
        state="awaiting_approval",
    )
    approvals = [
        approve(session, agreement, make_party(session, agreement, _n=str(n))) for n in range(5)
    ]
    for approval in approvals[:3]:
        agreements.update_approval(
            session=session,
            actor=actor,
            row_id=approval.id,
            data={"state": "granted", "decided_on": date(2019, 6, 20)},
        )
    status = agreements.agreement_status(session, agreement.id, today=date(2019, 8, 1))
    assert status.sentences() == [
        "2 von 5 Zustimmungen ausstehend",
        "Zieltermin 01.07.2019 um 31 Tage überschritten",
    ]
    for approval in approvals[3:]:
        agreements.update_approval(
            session=session,
            actor=actor,
            row_id=approval.id,
            data={"state": "granted", "decided_on": date(2019, 9, 4)},
        )
    status = agreements.agreement_status(session, agreement.id, today=date(2026, 11, 28))
    # Effective with the last approval (Leipzig, 04.09.2019): 65 days after the target, not counting today.
    assert status.effective_on == date(2019, 9, 4)
    assert status.sentences() == [
        "alle 5 Zustimmungen liegen vor",
        "Zieltermin 01.07.2019 um 65 Tage überschritten",
    ]


def test_status_on_time_and_refused(session: Session, actor: Actor) -> None:
    agreement = make_agreement(session, target_date=date(2030, 1, 1))
    party = make_party(session, agreement)
    approval = approve(session, agreement, party)
    agreements.update_approval(
        session=session,
        actor=actor,
        row_id=approval.id,
        data={"state": "refused", "decided_on": date(2026, 1, 1)},
    )
    status = agreements.agreement_status(session, agreement.id, today=date(2026, 2, 1))
    assert status.sentences() == ["1 von 1 Zustimmungen abgelehnt"]
    assert status.days_late is None


def test_failed_agreement_is_never_late(session: Session, actor: Actor) -> None:
    agreement = make_agreement(session, target_date=date(2019, 7, 1), state="failed")
    assert (
        agreements.agreement_status(session, agreement.id, today=date(2026, 1, 1)).days_late is None
    )


def test_list_agreements_shows_parties_and_status(session: Session) -> None:
    agreement = make_agreement(
        session,
        title="Gründung der KOMM24 GmbH",
        target_date=date(2019, 7, 1),
        concluded_on=date(2019, 4, 9),
    )
    make_party(
        session,
        agreement,
        make_org(session, name="Stadt Leipzig", short_name="Leipzig", kind="district_free_city"),
    )
    frame = agreements.list_agreements(session, today=date(2019, 7, 11))
    assert frame.loc[0, "parties"] == "Leipzig"
    assert frame.loc[0, "status"] == "Zieltermin 01.07.2019 um 10 Tage überschritten"


def test_parties_and_approvals_cannot_be_moved(session: Session, actor: Actor) -> None:
    agreement, other = make_agreement(session), make_agreement(session, title="Andere")
    party, second = make_party(session, agreement, _n="A"), make_party(session, agreement, _n="B")
    with pytest.raises(DomainError) as info:
        agreements.update_party(
            session=session, actor=actor, row_id=party.id, data={"agreement_id": other.id}
        )
    assert info.value.field == "agreement_id"
    approval = approve(session, agreement, party)
    with pytest.raises(DomainError) as info:
        agreements.update_approval(
            session=session, actor=actor, row_id=approval.id, data={"party_id": second.id}
        )
    assert info.value.field == "party_id"


def test_agreement_meeting_must_exist(session: Session) -> None:
    with pytest.raises(DomainError) as info:
        make_agreement(session, meeting_id=999)
    assert info.value.field == "meeting_id"


def test_komm24_milestones_from_the_demo_data(session: Session) -> None:
    from services.seed import load_demo_data

    load_demo_data(session)
    komm24 = session.exec(
        select(Agreement).where(Agreement.title == "Gründung der KOMM24 GmbH")
    ).one()
    frame = agreements.agreement_milestones(session, komm24.id)
    assert list(frame.columns) == ["date", "milestone", "party", "kind"]
    dated = frame[frame["date"].notna()]
    assert list(zip(dated["date"], dated["kind"], strict=True)) == [
        (date(2019, 4, 9), "vereinbart"),
        (date(2019, 7, 1), "Zieltermin"),
        (date(2019, 9, 4), "Zustimmung erteilt"),
        (date(2019, 9, 4), "wirksam"),
    ]
    leipzig = dated[dated["kind"] == "Zustimmung erteilt"].iloc[0]
    assert leipzig["party"] == "Stadt Leipzig"
    assert leipzig["milestone"] == "Zustimmung Ratsversammlung der Stadt Leipzig"
    undated = frame[frame["date"].isna()]
    assert sorted(undated["milestone"]) == [
        "Zustimmung Stadtrat Chemnitz",
        "Zustimmung Stadtrat Dresden",
        "Zustimmung Verbandsversammlung KISA",
        "Zustimmung Verwaltungsrat SAKD",
    ]

    figure = agreements.milestone_figure(frame)
    hover_dates = {d for trace in figure.data for d, _party in trace.customdata}
    assert hover_dates == {"09.04.2019", "01.07.2019", "04.09.2019"}
    assert figure.layout.xaxis.tickformat == "%d.%m.%Y"
    assert {trace.name for trace in figure.data} == {
        "vereinbart",
        "Zieltermin",
        "Zustimmung erteilt",
        "wirksam",
    }


def test_komm24_parties_and_approvals_from_the_demo_data(session: Session) -> None:
    from services.seed import load_demo_data

    load_demo_data(session)
    komm24 = session.exec(
        select(Agreement).where(Agreement.title == "Gründung der KOMM24 GmbH")
    ).one()
    parties = agreements.agreement_parties(session, komm24.id)
    assert len(parties) == 5
    leipzig = parties[parties["organization"] == "Stadt Leipzig"].iloc[0]
    assert leipzig["party"] == "Stadt Leipzig — vertreten durch Lecos GmbH"
    assert leipzig["role"] == "Gründungsgesellschafter"
    approvals = agreements.agreement_approvals(session, komm24.id)
    linked = approvals[approvals["decision"].notna()]
    assert linked[["party", "body", "decided_on", "decision"]].values.tolist() == [
        ["Stadt Leipzig", "Ratsversammlung der Stadt Leipzig", date(2019, 9, 4), "RV-2019/KOMM24"]
    ]
    detail = agreements.agreement_detail(session, komm24.id)
    assert (detail["state"], detail["target_date"]) == ("wirksam", date(2019, 7, 1))
    assert detail["meeting"].startswith("Spitzengespräch")


def test_milestones_list_undated_and_pending_approvals_without_a_date(
    session: Session, actor: Actor
) -> None:
    agreement = make_agreement(session)
    party = make_party(session, agreement)
    approve(session, agreement, party)
    frame = agreements.agreement_milestones(session, agreement.id)
    assert frame.values.tolist() == [
        [None, "Zustimmung Stadtrat", "Stadt A", "Zustimmung ausstehend"]
    ]
    # Nothing dated: the figure is still a valid, empty timeline.
    assert agreements.milestone_figure(frame).data == ()


def test_search_agreements_pages_in_sql_with_status_for_the_page(session: Session) -> None:
    for n in range(5):
        make_agreement(
            session,
            title=f"Vereinbarung {n}",
            target_date=date(2019, 7, 1),
            state="failed" if n % 2 else "negotiating",
        )
    archived = make_agreement(session, title="Vereinbarung alt")
    agreements.archive_agreement(session=session, actor=ACTOR, row_id=archived.id)
    page = agreements.search_agreements(session, today=date(2019, 7, 11), limit=2, offset=2)
    assert (page.total, page.page_count) == (5, 3)
    assert page.rows["title"].tolist() == ["Vereinbarung 2", "Vereinbarung 3"]
    # A failed agreement is never late.
    assert page.rows["status"].tolist() == ["Zieltermin 01.07.2019 um 10 Tage überschritten", ""]
    failed = agreements.search_agreements(session, states=[AgreementState.FAILED])
    assert failed.rows["title"].tolist() == ["Vereinbarung 1", "Vereinbarung 3"]
    assert agreements.search_agreements(session, search="ung 4").rows["title"].tolist() == [
        "Vereinbarung 4"
    ]
    with_archived = agreements.search_agreements(session, include_archived=True)
    assert with_archived.total == 6
    assert agreements.search_agreements(session, search="nichts").rows.empty


def test_awaiting_approval_without_any_recorded_is_late_after_the_target(session: Session) -> None:
    agreement = make_agreement(session, target_date=date(2026, 6, 30), state="awaiting_approval")
    status = agreements.agreement_status(session, agreement.id, today=date(2026, 7, 10))
    assert status.effective_on is None
    assert status.days_late == 10
