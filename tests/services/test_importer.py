"""Import of Organisationen, Personen and Mitgliedschaften: preview, report, all-or-nothing commit."""

import io
import zipfile
from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session, func, select

from models import AuditEvent, Membership, Organization, Person
from models.enums import FederalState, MembershipRole, OrganizationKind
from services import importer, uploads
from services.csv_export import EXCEL_DE, RFC_4180
from services.errors import DomainError
from services.seed import load_demo_data
from tests.conftest import ACTOR, make_committee, make_org, make_person


def _count(session: Session, model: type) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def _csv(text: str, encoding: str = "utf-8-sig") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def test_valid_organizations_are_created_with_audit_events(session: Session) -> None:
    data = _csv(
        "Name;Kurzname;Art;Bundesland;übergeordnete Organisation;AGS\n"
        "Landkreis Rostock;LK Rostock;Landkreis;Mecklenburg-Vorpommern;Land M-V;13072\n"
        "Land M-V;;Land;MV;;13\n"
        "Hansestadt Rostock;;kreisfreie Stadt;Mecklenburg-Vorpommern;Land M-V;13003000\n"
    )
    preview = importer.preview_import(
        session, kind="organisationen", data=data, filename="orgs.csv"
    )
    assert not preview.has_errors, preview.messages
    assert [r.status for r in preview.reports] == ["neu", "neu", "neu"]
    assert [r.line for r in preview.reports] == [2, 3, 4]
    assert _count(session, Organization) == 0  # the preview stores nothing
    assert _count(session, AuditEvent) == 0

    result = importer.commit_import(session, actor=ACTOR, preview=preview)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    land = session.exec(select(Organization).where(Organization.ags == "13")).one()
    district = session.exec(select(Organization).where(Organization.ags == "13072")).one()
    assert district.kind == OrganizationKind.DISTRICT
    assert district.state == FederalState.MV
    assert district.parent_id == land.id  # the parent came later in the file
    events = session.exec(select(AuditEvent).where(AuditEvent.entity == "organization")).all()
    assert len(events) == 3
    assert {e.actor for e in events} == {ACTOR.username}


def test_changed_rows_are_updated_and_unchanged_rows_left_alone(session: Session) -> None:
    make_org(session, name="Stadt Schwerin", kind="district_free_city", ags="13004000")
    make_org(session, name="Landkreis Ludwigslust-Parchim", kind="district", ags="13076")
    data = _csv(
        "name,kind,state,ags\n"
        "Landeshauptstadt Schwerin,kreisfreie Stadt,MV,13004000\n"
        "Landkreis Ludwigslust-Parchim,district,MV,13076\n"
    )
    preview = importer.preview_import(session, kind="organisationen", data=data, filename="x.csv")
    assert [r.status for r in preview.reports] == ["geändert", "unverändert"]
    assert preview.reports[0].changed == ["Name"]
    events_before = _count(session, AuditEvent)
    importer.commit_import(session, actor=ACTOR, preview=preview)
    renamed = session.exec(select(Organization).where(Organization.ags == "13004000")).one()
    assert renamed.name == "Landeshauptstadt Schwerin"
    assert renamed.version == 2
    assert _count(session, AuditEvent) == events_before + 1


def test_wrong_columns_are_reported_up_front(session: Session) -> None:
    data = _csv("Titel;Vorname;Familienname;Organisation\nDr.;Erika;Muster;\n")
    preview = importer.preview_import(session, kind="personen", data=data, filename="p.csv")
    assert preview.has_errors
    assert not preview.reports
    assert preview.file_errors[0].startswith("Spalte „Familienname“ ist unbekannt; erwartet: Titel")
    assert any(
        m.startswith("Spalte „Nachname“ fehlt; erwartet: Titel, Vorname") for m in preview.messages
    )
    with pytest.raises(DomainError, match="nicht ausgeführt"):
        importer.commit_import(session, actor=ACTOR, preview=preview)
    assert _count(session, Person) == 0


def test_bad_dates_unknown_references_and_duplicates_name_row_and_column(session: Session) -> None:
    body = make_committee(session, name="Lenkungsausschuss E-Government")
    make_person(session, given_name="Ina-Maria", family_name="Ulbrich")
    make_person(session, given_name="Kerstin", family_name="Weiss")
    data = _csv(
        "Gremium;Person;Rolle;Rang;entsandt von;stimmberechtigt;Beginn;Ende\n"
        "Lenkungsausschuss E-Government;Ina-Maria Ulbrich;Vorsitz;;;ja;10.04.2019;\n"
        "Lenkungsausschuss E-Government;Kerstin Weiss;Mitglied;;Landkreis Irgendwo;ja;01.01.2020;\n"
        "Lenkungsausschuss E-Government;Weiss, Kerstin;Mitglied;;;ja;31.02.2020;\n"
        "Lenkungsausschuss E-Government;Ina-Maria Ulbrich;Vorsitz;;;ja;2019-04-10;\n"
        "Lenkungsausschuss E-Government;Max Unbekannt;Häuptling;;;vielleicht;;\n"
    )
    preview = importer.preview_import(session, kind="mitgliedschaften", data=data, filename="m.csv")
    statuses = {r.line: r.status for r in preview.reports}
    assert statuses == {2: "neu", 3: "Fehler", 4: "Fehler", 5: "Fehler", 6: "Fehler"}
    messages = preview.messages
    assert (
        "Zeile 3, Spalte „entsandt von“: Organisation „Landkreis Irgendwo“ ist nicht bekannt."
        in messages
    )
    assert (
        "Zeile 4, Spalte „Beginn“: „31.02.2020“ ist kein gültiges Datum (TT.MM.JJJJ)." in messages
    )
    assert any(
        m.startswith("Zeile 5: Dieselbe Mitgliedschaft steht schon in Zeile 2") for m in messages
    )
    assert "Zeile 6, Spalte „Person“: Person „Max Unbekannt“ ist nicht bekannt." in messages
    assert any(
        m.startswith("Zeile 6, Spalte „Rolle“: „Häuptling“ ist keine gültige") for m in messages
    )
    assert any(m.startswith("Zeile 6, Spalte „stimmberechtigt“") for m in messages)
    with pytest.raises(DomainError):
        importer.commit_import(session, actor=ACTOR, preview=preview)
    assert _count(session, Membership) == 0
    assert session.get(type(body), body.id) is not None


def test_invariant_checks_of_the_commands_apply_per_row(session: Session) -> None:
    make_committee(session, name="AG Test", start_date=date(2020, 1, 1))
    make_person(session, given_name="Anna", family_name="Erste")
    make_person(session, given_name="Berta", family_name="Zweite")
    data = _csv(
        "Gremium;Person;Rolle;Rang;Beginn\n"
        "AG Test;Anna Erste;Vorsitz;;01.01.2020\n"
        "AG Test;Berta Zweite;Vorsitz;;01.06.2020\n"
        "AG Test;Berta Zweite;stellv. Vorsitz;;01.01.2019\n"
    )
    preview = importer.preview_import(session, kind="mitgliedschaften", data=data, filename="m.csv")
    assert [r.status for r in preview.reports] == ["neu", "Fehler", "Fehler"]
    assert preview.reports[1].messages == [
        "Zeile 3, Spalte „Rolle“: Das Gremium hat in diesem Zeitraum bereits einen Vorsitz."
    ]
    assert (
        preview.reports[2].messages[0].startswith("Zeile 4, Spalte „Beginn“: „Beginn“ und „Ende“")
    )


def test_windows_1252_umlauts_are_read_correctly(session: Session) -> None:
    make_org(session, name="Landeshauptstadt Düsseldorf", kind="district_free_city", state="NW")
    data = _csv(
        "Titel;Vorname;Nachname;Funktion;E-Mail;Organisation\n"
        "Dr.;Jörg;Müßig;Leiter Bürgerservice;;Landeshauptstadt Düsseldorf\n",
        encoding="cp1252",
    )
    preview = importer.preview_import(session, kind="personen", data=data, filename="p.csv")
    assert not preview.has_errors, preview.messages
    importer.commit_import(session, actor=ACTOR, preview=preview)
    person = session.exec(select(Person)).one()
    assert (person.given_name, person.family_name, person.function) == (
        "Jörg",
        "Müßig",
        "Leiter Bürgerservice",
    )


def test_invalid_values_of_the_schema_name_the_column(session: Session) -> None:
    data = _csv("Vorname;Nachname;E-Mail\nJana;;\nJens;Muster;keine-adresse\n")
    preview = importer.preview_import(session, kind="personen", data=data, filename="p.csv")
    assert preview.messages == [
        "Zeile 2, Spalte „Nachname“: „Nachname“ ist ein Pflichtfeld.",
        "Zeile 3, Spalte „E-Mail“: „E-Mail“ hat kein gültiges Format.",
    ]


@pytest.mark.parametrize("dialect", [EXCEL_DE, RFC_4180], ids=["excel", "rfc4180"])
def test_reimporting_an_export_changes_nothing(session: Session, dialect: object) -> None:
    load_demo_data(session)
    events = _count(session, AuditEvent)
    for kind, export in importer.EXPORTERS.items():
        data = export(session, dialect)
        preview = importer.preview_import(session, kind=kind, data=data, filename=f"{kind}.csv")
        assert not preview.has_errors, preview.messages
        assert {r.status for r in preview.reports} == {"unverändert"}, kind
        result = importer.commit_import(session, actor=ACTOR, preview=preview)
        assert result.created == result.updated == 0
    assert _count(session, AuditEvent) == events


def test_exported_layout_is_the_import_layout(session: Session) -> None:
    load_demo_data(session)
    text = importer.memberships_csv(session).decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header == "Gremium;Person;Rolle;Rang;entsandt von;stimmberechtigt;Beginn;Ende;Quelle"
    assert "Ina-Maria Ulbrich;Vorsitz;;" in text
    rfc = importer.organizations_csv(session, RFC_4180).decode("utf-8")
    assert rfc.splitlines()[0] == "name,short_name,kind,state,parent,ags,source"


def test_xlsx_files_are_imported(session: Session) -> None:
    make_org(session, name="Freistaat Sachsen", kind="land", state="SN", ags="14")
    make_committee(session, name="Spitzengespräch Digitale Verwaltung")
    make_person(session, given_name="Michael", family_name="Kretschmer")
    frame = pd.DataFrame(
        {
            "Gremium": ["Spitzengespräch Digitale Verwaltung"],
            "Person": ["Kretschmer, Michael"],
            "Rolle": ["Vorsitz"],
            "entsandt von": ["Freistaat Sachsen"],
            "stimmberechtigt": [True],
            "Beginn": [pd.Timestamp(2019, 4, 9)],
        }
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    preview = importer.preview_import(
        session, kind="Mitgliedschaften", data=buffer.getvalue(), filename="liste.xlsx"
    )
    assert not preview.has_errors, preview.messages
    importer.commit_import(session, actor=ACTOR, preview=preview)
    membership = session.exec(select(Membership)).one()
    assert membership.role == MembershipRole.CHAIR
    assert membership.start_date == date(2019, 4, 9)
    assert membership.on_behalf_of_id is not None


def test_commit_refuses_when_the_data_changed_since_the_preview(session: Session) -> None:
    make_org(session, name="Land Berlin", kind="land", state="BE")
    data = _csv("Vorname;Nachname;Organisation\nJana;Muster;Land Berlin\n")
    preview = importer.preview_import(session, kind="personen", data=data, filename="p.csv")
    assert not preview.has_errors
    org = session.exec(select(Organization)).one()
    from services.organizations import archive_organization

    archive_organization(session=session, actor=ACTOR, row_id=org.id)  # type: ignore[arg-type]
    with pytest.raises(DomainError, match="Zeile 2"):
        importer.commit_import(session, actor=ACTOR, preview=preview)
    assert _count(session, Person) == 0


def test_dates_are_read_german_or_iso() -> None:
    assert importer.parse_date("01.07.2019") == date(2019, 7, 1)
    assert importer.parse_date("1.7.2019") == date(2019, 7, 1)
    assert importer.parse_date("2019-07-01") == date(2019, 7, 1)
    with pytest.raises(ValueError, match="07/01/2019"):
        importer.parse_date("07/01/2019")


# --- files that are too large, mislabelled or hostile ----------------------------------


def _xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (
            b"Name;Art\r\nAmt\x00Nord;Land\r\n",
            "orgs.csv",
            "Die Importdatei ist keine Textdatei (sie enthält Nullbytes)",
        ),
        ("Name;Art\r\n".encode("utf-16"), "orgs.csv", "enthält Nullbytes"),
        (b"Name;Art\r\nAmt \x81 Nord;Land\r\n", "orgs.csv", "weder UTF-8- noch Windows-1252"),
        (b"Name;Art\r\n", "orgs.xlsx", "Die Importdatei heißt .xlsx, ist aber keine Excel-Datei."),
        (b"PK\x03\x04 kaputt", "orgs.xlsx", "Die Importdatei ist keine gültige ZIP-Datei."),
        (_zip({"word/document.xml": b"<w/>"}), "orgs.xlsx", "keine Excel-Arbeitsmappe (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "orgs.xls", "alte Excel-Format (.xls)"),
        (b"x" * (21 * 1024 * 1024), "orgs.csv", "ist 21 MB groß; erlaubt sind höchstens 20 MB."),
    ],
    ids=["nul", "utf16", "binary", "not-a-zip", "broken-zip", "docx", "xls", "too-large"],
)
def test_unreadable_files_are_refused_by_their_content(
    data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(DomainError) as info:
        importer.read_rows(data, filename)
    assert message in info.value.message
    assert info.value.field == "file"


def test_the_content_decides_not_the_name() -> None:
    frame = pd.DataFrame({"Name": ["Land Berlin"], "Art": ["Land"]})
    assert importer.read_rows(_xlsx(frame), "orgs.csv") == [
        (1, ["Name", "Art"]),
        (2, ["Land Berlin", "Land"]),
    ]
    assert importer.read_rows(b"Name;Art\r\nLand Berlin;Land\r\n", "orgs.xls")[1] == (
        2,
        ["Land Berlin", "Land"],
    )


def test_a_zip_bomb_posing_as_xlsx_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "XLSX_MAX_UNPACKED_BYTES", uploads.MB)
    bomb = _zip(
        {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(8 * uploads.MB)}
    )
    with pytest.raises(DomainError, match="Die Importdatei ist entpackt zu groß \\(8,0 MB"):
        importer.read_rows(bomb, "orgs.xlsx")


def test_file_problems_are_shown_in_the_preview(session: Session) -> None:
    preview = importer.preview_import(
        session, kind="organisationen", data=b"Name;Art\r\n\x00", filename="orgs.csv"
    )
    assert preview.has_errors
    assert preview.summary == "Organisationen: Die Datei kann so nicht eingelesen werden."
    assert "Nullbytes" in preview.file_errors[0]


def test_too_many_rows_are_refused(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "IMPORT_MAX_ROWS", 2)
    data = _csv("Name;Art\nA;Land\nB;Land\nC;Land\n")
    preview = importer.preview_import(session, kind="organisationen", data=data, filename="o.csv")
    assert preview.file_errors == [
        "Die Datei hat 3 Datenzeilen; ein Import liest höchstens 2. "
        "Bitte in mehrere Dateien aufteilen."
    ]


def test_invisible_characters_in_cells_are_not_imported(session: Session) -> None:
    data = _csv("Name;Art\nAmt\u200b für\u202e Digitales\x07;Land\n")
    preview = importer.preview_import(session, kind="organisationen", data=data, filename="o.csv")
    assert not preview.has_errors, preview.messages
    importer.commit_import(session, actor=ACTOR, preview=preview)
    assert session.exec(select(Organization)).one().name == "Amt für Digitales"
    again = importer.preview_import(session, kind="organisationen", data=data, filename="o.csv")
    assert [r.status for r in again.reports] == ["unverändert"]
