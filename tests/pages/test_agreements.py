"""Vereinbarungen: list, the agreement view with parties, approvals and milestones, and edits."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from models import Agreement, AgreementParty, Approval, Decision, Organization
from models.db import make_engine
from models.enums import AgreementState, ApprovalState, Role
from services import agreements, organizations
from tests.conftest import ACTOR
from tests.pages.apptest import page_app
from tests.pages.test_committees import READER_NOTE, captions, edit_controls
from tests.workspaces import SECRETARIAT_AGREEMENT
from ui.format import plain

KOMM24 = "Gründung der KOMM24 GmbH"


def agreement_id(url: str, title: str) -> int:
    with Session(make_engine(url)) as session:
        return int(session.exec(select(Agreement.id).where(Agreement.title == title)).one())  # type: ignore[arg-type]


def open_agreement(tmp_path: Path, record_id: int, role: Role = Role.ADMIN) -> AppTest:
    at = page_app(tmp_path, "agreements", role)
    at.query_params["id"] = str(record_id)
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def texts(elements: object) -> str:
    return " ".join(e.value for e in elements)  # type: ignore[attr-defined]


def approvals_stored(url: str, record_id: int) -> list[Approval]:
    with Session(make_engine(url)) as session:
        return list(
            session.exec(
                select(Approval)
                .join(AgreementParty, col(Approval.party_id) == AgreementParty.id)
                .where(AgreementParty.agreement_id == record_id)
                .order_by(col(Approval.id))
            )
        )


def test_list_shows_komm24_with_its_delay(tmp_path: Path, demo_url: str) -> None:
    at = page_app(tmp_path, "agreements").run()
    assert not at.exception
    assert at.title[0].value == "Vereinbarungen"
    table = at.dataframe[0].value
    komm24 = table[table["Titel"] == KOMM24].iloc[0]
    assert komm24["Zieltermin"] == "01.07.2019"
    assert komm24["Parteien"] == "Dresden, Chemnitz, Leipzig, SAKD, KISA"
    assert "Zieltermin 01.07.2019 um 65 Tage überschritten" in komm24["Status"]

    at.multiselect(key="agreements.state").select("awaiting_approval").run()
    waiting = at.dataframe[0].value
    assert waiting["Titel"].tolist() == [
        "Verwaltungsvereinbarung über eine kommunale OZG-Nachnutzungsstelle M-V"
    ]
    assert waiting["Status"].iloc[0].startswith("2 von 5 Zustimmungen ausstehend")
    at.text_input(key="agreements.search").input("KOMM24").run()
    assert "Keine Vereinbarungen passen zu diesen Filtern." in texts(at.info)


def test_komm24_view_parties_approvals_and_timeline(tmp_path: Path, demo_url: str) -> None:
    record_id = agreement_id(demo_url, KOMM24)
    at = open_agreement(tmp_path, record_id)
    assert not at.exception
    assert at.title[0].value == plain(KOMM24)
    assert "alle 5 Zustimmungen liegen vor  \nZieltermin 01.07.2019 um 65 Tage überschritten" in [
        w.value for w in at.warning
    ]

    parties = at.dataframe[0].value
    assert len(parties) == 5
    leipzig = parties[parties["Partei (vertreten durch)"].str.startswith("Stadt Leipzig")]
    assert leipzig.values.tolist() == [
        ["Stadt Leipzig — vertreten durch Lecos GmbH", "Gründungsgesellschafter"]
    ]

    approvals = at.dataframe[1].value
    assert len(approvals) == 5
    row = approvals[approvals["Partei"] == "Stadt Leipzig"].iloc[0]
    assert row["Datum"] == "04.09.2019"
    assert row["Stand"] == "erteilt"
    assert row["Beschluss"] == "RV-2019/KOMM24"
    with Session(make_engine(demo_url)) as session:
        decision = session.exec(
            select(Decision).where(Decision.reference == "RV-2019/KOMM24")
        ).one()
    decision_links = [link for link in at.get("page_link") if link.proto.page.endswith("decisions")]
    assert [link.proto.query_string for link in decision_links] == [f"id={decision.id}"]
    assert "Beschluss RV-2019/KOMM24" in decision_links[0].proto.label
    committee_links = [
        link for link in at.get("page_link") if link.proto.page.endswith("committees")
    ]
    assert [link.proto.label for link in committee_links] == [
        "Gremium: Ratsversammlung der Stadt Leipzig"
    ]

    assert len(at.get("plotly_chart")) == 1
    assert "ohne Datum" in texts(at.markdown)
    assert "Zustimmung Stadtrat Chemnitz (Stadt Chemnitz): Zustimmung erteilt" in texts(at.markdown)


def test_create_agreement_add_parties_and_approvals(tmp_path: Path, database_url: str) -> None:
    with Session(make_engine(database_url)) as session:
        for name in ("Stadt Anhausen", "Stadt Behausen", "Anhausen IT GmbH"):
            organizations.create_organization(
                session=session, actor=ACTOR, data={"name": name, "kind": "district_free_city"}
            )
    at = page_app(tmp_path, "agreements").run()
    assert "Noch keine Vereinbarungen" in texts(at.info)
    at.text_input(key="agreement_new.title").input("Gründung der Beispiel GmbH")
    at.selectbox(key="agreement_new.kind").select("company_founding")
    at.date_input(key="agreement_new.target_date").set_value(date(2030, 1, 1))
    at.text_area(key="agreement_new.conditions").input("Zustimmung beider Stadträte")
    at = click(at, "Vereinbarung anlegen")
    assert not at.exception
    record_id = agreement_id(database_url, "Gründung der Beispiel GmbH")
    assert at.query_params["id"] == str(record_id)
    assert at.title[0].value == plain("Gründung der Beispiel GmbH")
    assert "Noch keine datierten Meilensteine" not in texts(at.info)  # the target date is one
    assert len(at.get("plotly_chart")) == 1

    org_ids = {}
    with Session(make_engine(database_url)) as session:
        for org in session.exec(select(Organization)):
            org_ids[org.name] = org.id
    form = f"party_new_{record_id}"
    at.selectbox(key=f"{form}.organization_id").select(org_ids["Stadt Anhausen"])
    at.selectbox(key=f"{form}.role").select("founding_shareholder")
    at.selectbox(key=f"{form}.represented_by_id").select(org_ids["Anhausen IT GmbH"])
    at = click(at, "Partei hinzufügen")
    at.selectbox(key=f"{form}.organization_id").select(org_ids["Stadt Behausen"])
    at = click(at, "Partei hinzufügen")
    assert not at.exception
    parties = at.dataframe[0].value["Partei (vertreten durch)"].tolist()
    assert parties == ["Stadt Anhausen — vertreten durch Anhausen IT GmbH", "Stadt Behausen"]

    with Session(make_engine(database_url)) as session:
        stored = {
            p.organization_id: p
            for p in session.exec(
                select(AgreementParty).where(AgreementParty.agreement_id == record_id)
            )
        }
    assert stored[org_ids["Stadt Anhausen"]].represented_by_id == org_ids["Anhausen IT GmbH"]
    anhausen, behausen = stored[org_ids["Stadt Anhausen"]], stored[org_ids["Stadt Behausen"]]

    form = f"approval_new_{record_id}"
    at.selectbox(key=f"{form}.party_id").select(anhausen.id)
    at.text_input(key=f"{form}.approving_body_name").input("Stadtrat Anhausen")
    at = click(at, "Zustimmung erfassen")
    assert "1 von 1 Zustimmungen ausstehend" in texts(at.warning)
    at.selectbox(key=f"{form}.party_id").select(behausen.id)
    at.text_input(key=f"{form}.approving_body_name").input("Stadtrat Behausen")
    at.selectbox(key=f"{form}.state").select("granted")
    at.date_input(key=f"{form}.decided_on").set_value(date(2029, 11, 5))
    at = click(at, "Zustimmung erfassen")
    assert not at.exception
    assert "1 von 2 Zustimmungen ausstehend" in texts(at.warning)
    stored_approvals = approvals_stored(database_url, record_id)
    assert [(a.approving_body_name, a.state, a.decided_on) for a in stored_approvals] == [
        ("Stadtrat Anhausen", ApprovalState.PENDING, None),
        ("Stadtrat Behausen", ApprovalState.GRANTED, date(2029, 11, 5)),
    ]

    # Update the outstanding one: granted, with its date; then nothing is outstanding.
    pending = stored_approvals[0]
    at.selectbox(key=f"approval_pick_{record_id}").select(pending.id).run()
    edit = f"approval_edit_{pending.id}_{pending.version}"
    at.selectbox(key=f"{edit}.state").select("granted")
    at.date_input(key=f"{edit}.decided_on").set_value(date(2029, 12, 1))
    at = click(at, "Zustimmung speichern")
    assert not at.exception
    assert "alle 2 Zustimmungen liegen vor" in texts(at.success)
    assert approvals_stored(database_url, record_id)[0].decided_on == date(2029, 12, 1)


def test_approval_for_a_foreign_party_is_refused(
    tmp_path: Path, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_id = agreement_id(demo_url, KOMM24)
    other_id = agreement_id(
        demo_url, "Verwaltungsvereinbarung über eine kommunale OZG-Nachnutzungsstelle M-V"
    )
    # The browser can only send a listed party, and the page lists this agreement's parties.
    # A stale or forged list is simulated by offering a party of another agreement as well.
    real_parties = agreements.agreement_parties

    def parties_with_a_foreign_one(
        session: Session, agreement: int, *, archived: bool = False
    ) -> pd.DataFrame:
        frame = real_parties(session, agreement, archived=archived)
        if agreement != record_id or archived:
            return frame
        foreign = real_parties(session, other_id).head(1)
        return pd.concat([frame, foreign], ignore_index=True)

    monkeypatch.setattr(agreements, "agreement_parties", parties_with_a_foreign_one)
    with Session(make_engine(demo_url)) as session:
        foreign = real_parties(session, other_id).iloc[0]
    before = len(approvals_stored(demo_url, other_id))
    at = open_agreement(tmp_path, record_id)
    form = f"approval_new_{record_id}"
    at.selectbox(key=f"{form}.party_id").select(int(foreign["id"]))
    at.text_input(key=f"{form}.approving_body_name").input("Bürgerschaft")
    at = click(at, "Zustimmung erfassen")
    assert not at.exception
    assert "„Partei“ ist keine Partei dieser Vereinbarung." in [e.value for e in at.error]
    assert len(approvals_stored(demo_url, other_id)) == before
    assert len(approvals_stored(demo_url, record_id)) == 5
    assert at.text_input(key=f"{form}.approving_body_name").value == "Bürgerschaft"


def test_approval_errors_body_and_date(tmp_path: Path, demo_url: str) -> None:
    record_id = agreement_id(demo_url, KOMM24)
    at = open_agreement(tmp_path, record_id)
    form = f"approval_new_{record_id}"
    party = at.selectbox(key=f"{form}.party_id")
    party.select(party.options[0])
    at = click(at, "Zustimmung erfassen")  # neither a committee nor a name
    assert any(e.value.startswith("Geben Sie genau eines an") for e in at.error)

    council = at.selectbox(key=f"{form}.approving_committee_id")
    council.select(next(o for o in council.options if "Leipzig" in o)).run()
    at.text_input(key=f"{form}.approving_body_name").input("Stadtrat")
    at = click(at, "Zustimmung erfassen")  # both
    assert any(e.value.startswith("Geben Sie genau eines an") for e in at.error)

    at.text_input(key=f"{form}.approving_body_name").input("")
    at.date_input(key=f"{form}.decided_on").set_value(date(2019, 9, 4))
    at = click(at, "Zustimmung erfassen")  # pending, but dated
    assert "„Datum“ gibt es erst, wenn die Zustimmung erteilt, abgelehnt oder entfallen ist." in [
        e.value for e in at.error
    ]
    decision = at.selectbox(key=f"{form}.decision_id")
    assert [o for o in decision.options if o != "—"] == [
        "RV-2019/KOMM24 – Ratsversammlung der Stadt Leipzig (04.09.2019)"
    ]
    assert len(approvals_stored(demo_url, record_id)) == 5


def test_in_force_is_refused_while_approvals_are_outstanding(tmp_path: Path, demo_url: str) -> None:
    title = "Verwaltungsvereinbarung über eine kommunale OZG-Nachnutzungsstelle M-V"
    record_id = agreement_id(demo_url, title)
    at = open_agreement(tmp_path, record_id)
    assert "2 von 5 Zustimmungen ausstehend" in texts(at.warning)
    with Session(make_engine(demo_url)) as session:
        version = session.get(Agreement, record_id).version  # type: ignore[union-attr]
    form = f"agreement_edit_{record_id}_{version}"
    at.selectbox(key=f"{form}.state").select("in_force")
    at = click(at, "Änderungen speichern")
    assert (
        "„Stand“ kann nicht „wirksam“ sein, solange 2 Zustimmung(en) ausstehen oder "
        "verweigert sind." in [e.value for e in at.error]
    )
    with Session(make_engine(demo_url)) as session:
        stored = session.get(Agreement, record_id)
        assert stored is not None
        assert stored.state == AgreementState.AWAITING_APPROVAL
        assert stored.version == version


def test_missing_title_shows_error_under_the_field(tmp_path: Path, database_url: str) -> None:
    at = page_app(tmp_path, "agreements").run()
    at.selectbox(key="agreement_new.kind").select("cooperation")
    at.text_area(key="agreement_new.subject").input("Gemeinsamer Betrieb")
    at = click(at, "Vereinbarung anlegen")
    assert not at.exception
    assert "„Titel“ ist ein Pflichtfeld." in [e.value for e in at.error]
    assert at.text_area(key="agreement_new.subject").value == "Gemeinsamer Betrieb"
    with Session(make_engine(database_url)) as session:
        assert session.exec(select(Agreement)).all() == []


def test_archive_and_restore_a_party(tmp_path: Path, demo_url: str) -> None:
    record_id = agreement_id(demo_url, KOMM24)
    at = open_agreement(tmp_path, record_id)
    pick = at.selectbox(key=f"party_pick_{record_id}")
    sakd = next(o for o in pick.options if "Datenverarbeitung" in o)
    pick.select(sakd).run()
    at = click(at, "Partei archivieren")
    assert not at.exception
    assert len(at.dataframe[0].value) == 4
    assert "4 von 4" not in texts(at.warning)
    with Session(make_engine(demo_url)) as session:
        archived = session.exec(
            select(AgreementParty).where(col(AgreementParty.archived).is_(True))
        ).all()
    assert len(archived) == 1
    at = click(at, "Wiederherstellen")
    assert len(at.dataframe[0].value) == 5


def test_empty_database(tmp_path: Path, database_url: str) -> None:
    at = page_app(tmp_path, "agreements").run()
    assert not at.exception
    assert "Noch keine Vereinbarungen. Legen Sie oben unter „Neue Vereinbarung“ die erste an." in [
        i.value for i in at.info
    ]


def test_unknown_agreement(tmp_path: Path, database_url: str) -> None:
    at = open_agreement(tmp_path, 999)
    assert not at.exception
    assert "Vereinbarung mit der Nummer 999 gibt es nicht." in [w.value for w in at.warning]


def test_agreement_without_dated_milestones_shows_the_empty_timeline(
    tmp_path: Path, database_url: str
) -> None:
    with Session(make_engine(database_url)) as session:
        agreement = agreements.create_agreement(
            session=session, actor=ACTOR, data={"title": "Ohne Termine", "kind": "other"}
        )
    at = open_agreement(tmp_path, int(agreement.id))  # type: ignore[arg-type]
    assert not at.exception
    assert not at.get("plotly_chart")
    assert any("Noch keine datierten Meilensteine" in i.value for i in at.info)
    assert any("fügen Sie zuerst unter „Parteien“ eine hinzu" in i.value for i in at.info)


def test_archive_and_restore_an_approval(tmp_path: Path, demo_url: str) -> None:
    record_id = agreement_id(demo_url, KOMM24)
    at = open_agreement(tmp_path, record_id)
    leipzig = next(a for a in approvals_stored(demo_url, record_id) if a.decided_on)
    at.selectbox(key=f"approval_pick_{record_id}").select(leipzig.id).run()
    at = click(at, "Zustimmung archivieren")
    assert not at.exception
    # Without Leipzig's dated approval nothing dates the delay any more.
    assert "alle 4 Zustimmungen liegen vor" in texts(at.success)
    with Session(make_engine(demo_url)) as session:
        assert session.get(Approval, leipzig.id).archived  # type: ignore[union-attr]
    at = click(at, "Wiederherstellen")
    assert "alle 5 Zustimmungen liegen vor" in texts(at.warning)
    with Session(make_engine(demo_url)) as session:
        assert not session.get(Approval, leipzig.id).archived  # type: ignore[union-attr]


def test_edit_agreement_updates_target_date_and_status(tmp_path: Path, demo_url: str) -> None:
    record_id = agreement_id(demo_url, KOMM24)
    at = open_agreement(tmp_path, record_id)
    with Session(make_engine(demo_url)) as session:
        version = session.get(Agreement, record_id).version  # type: ignore[union-attr]
    form = f"agreement_edit_{record_id}_{version}"
    assert at.text_input(key=f"{form}.title").value == KOMM24
    at.date_input(key=f"{form}.target_date").set_value(date(2019, 8, 31))
    at.text_area(key=f"{form}.conditions").input("Zustimmung der Räte; *Genehmigung* der Aufsicht")
    at = click(at, "Änderungen speichern")
    assert not at.exception
    assert "Zieltermin 31.08.2019 um 4 Tage überschritten" in texts(at.warning)
    assert plain("Zustimmung der Räte; *Genehmigung* der Aufsicht") in texts(at.markdown)
    with Session(make_engine(demo_url)) as session:
        stored = session.get(Agreement, record_id)
        assert stored is not None
        assert (stored.target_date, stored.version) == (date(2019, 8, 31), version + 1)
        assert stored.conditions == "Zustimmung der Räte; *Genehmigung* der Aufsicht"


# --- roles -----------------------------------------------------------------------------

RAHMEN = "Rahmenvereinbarung Kooperatives E-Government Mecklenburg-Vorpommern"


def test_a_reader_sees_no_edit_controls(tmp_path: Path, demo_url: str) -> None:
    listed = page_app(tmp_path, "agreements", Role.READER).run()
    assert edit_controls(listed) == []
    assert READER_NOTE in captions(listed)
    komm24 = agreement_id(demo_url, SECRETARIAT_AGREEMENT)
    at = open_agreement(tmp_path, komm24, Role.READER)
    assert not at.exception
    assert edit_controls(at) == []
    assert READER_NOTE in captions(at)
    assert f"action.party_archive_{komm24}" in edit_controls(open_agreement(tmp_path, komm24))


def test_the_secretariat_edits_only_its_agreements(tmp_path: Path, demo_url: str) -> None:
    listed = page_app(tmp_path, "agreements", Role.SECRETARIAT).run()
    assert any(key.startswith("FormSubmitter:agreement_new") for key in edit_controls(listed))
    komm24 = agreement_id(demo_url, SECRETARIAT_AGREEMENT)
    own = open_agreement(tmp_path, komm24, Role.SECRETARIAT)
    assert f"action.agreement_archive_{komm24}" in edit_controls(own)
    other = open_agreement(tmp_path, agreement_id(demo_url, RAHMEN), Role.SECRETARIAT)
    assert not other.exception
    assert edit_controls(other) == []
    assert "Nur lesend: Diese Vereinbarung ist Ihrem Konto nicht zugeordnet." in captions(other)


def test_delete_of_an_agreement_with_parties_is_refused(tmp_path: Path, demo_url: str) -> None:
    komm24 = agreement_id(demo_url, SECRETARIAT_AGREEMENT)
    with Session(make_engine(demo_url)) as session:
        agreements.archive_agreement(session=session, actor=ACTOR, row_id=komm24)
    at = open_agreement(tmp_path, komm24)
    at = click(at, "Endgültig löschen …")
    at = click(at, "Ja, endgültig löschen")
    assert not at.exception
    assert "Vertragspartei" in texts(at.error)
    with Session(make_engine(demo_url)) as session:
        assert session.get(Agreement, komm24) is not None


def test_admin_deletes_an_archived_agreement_without_parties(
    tmp_path: Path, database_url: str
) -> None:
    with Session(make_engine(database_url)) as session:
        row = agreements.create_agreement(
            session=session, actor=ACTOR, data={"title": "Entwurf", "kind": "company_founding"}
        )
        record_id = int(row.id or 0)
        agreements.archive_agreement(session=session, actor=ACTOR, row_id=record_id)
    at = click(open_agreement(tmp_path, record_id), "Endgültig löschen …")
    at = click(at, "Ja, endgültig löschen")
    assert not at.exception
    with Session(make_engine(database_url)) as session:
        assert session.get(Agreement, record_id) is None
    assert at.title[0].value == "Vereinbarungen"
    assert "Vereinbarung „Entwurf“ endgültig gelöscht." in texts(at.success)
