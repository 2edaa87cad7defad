"""Organisationen: list, filters, create with its error paths, edit, archive, the record view."""

from pathlib import Path

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Organization
from models.db import make_engine
from models.enums import Role
from services import organizations
from tests.conftest import ACTOR
from tests.pages.test_committees import READER_NOTE, edit_controls
from tests.pages.test_overview import captions, page_app, page_links, unescape


def stored(url: str, name: str) -> list[Organization]:
    with Session(make_engine(url)) as session:
        return list(session.exec(select(Organization).where(Organization.name == name)))


def org_id(url: str, name: str) -> int:
    return int(stored(url, name)[0].id)


def listed(at: AppTest) -> list[str]:
    return at.dataframe[0].value["Name"].tolist()


def fill_new(at: AppTest, **values: str) -> None:
    for field, value in values.items():
        key = f"organization_new.{field}"
        if field in {"kind", "state", "parent_id"}:
            at.selectbox(key=key).select(value)
        else:
            at.text_input(key=key).input(value)


def click(at: AppTest, label: str) -> AppTest:
    next(button for button in at.button if button.label == label).click()
    return at.run()


def test_list_search_and_filters(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "organizations").run()
    assert not at.exception
    assert at.title[0].value == "Organisationen"
    assert "Stadt Leipzig" in listed(at)
    assert "46 Organisationen" in captions(at)

    at.text_input(key="organizations.search").input("leip").run()
    assert listed(at) == ["Stadt Leipzig"]
    at.text_input(key="organizations.search").input("14713000").run()
    assert listed(at) == ["Stadt Leipzig"]

    at.text_input(key="organizations.search").input("").run()
    at.multiselect(key="organizations.kinds").select("land").run()
    at.multiselect(key="organizations.states").select("SN").run()
    assert listed(at) == ["Freistaat Sachsen"]

    at.toggle(key="organizations.archived").set_value(True).run()
    assert "Keine Organisation passt zu Suche und Filtern" in at.info[0].value


def test_empty_database_invites_the_first_organization(database_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "organizations").run()
    assert not at.exception
    assert "Noch keine Organisationen. Legen Sie unten die erste an." in at.info[0].value


def test_create_stores_the_organization_and_opens_it(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "organizations").run()
    # The search above the form narrows the parent choices (it reruns; the form does not).
    at.text_input(key="organization_new.parent_search").input("Freistaat Sachsen").run()
    assert at.selectbox(key="organization_new.parent_id").options == [
        "—",
        "Freistaat Sachsen (Sachsen)",
    ]
    fill_new(at, name="Stadt Wurzen", short_name="Wurzen", kind="municipality", state="SN")
    fill_new(at, ags="14729410", parent_id=org_id(demo_url, "Freistaat Sachsen"))
    click(at, "Anlegen")
    assert not at.exception
    [org] = stored(demo_url, "Stadt Wurzen")
    assert (org.short_name, org.kind, org.state, org.ags) == (
        "Wurzen",
        "municipality",
        "SN",
        "14729410",
    )
    assert org.parent_id == org_id(demo_url, "Freistaat Sachsen")
    assert org.created_by == "admin"
    assert at.title[0].value == "Stadt Wurzen"
    assert "Organisation „Stadt Wurzen“ angelegt." in [s.value for s in at.success]


def test_duplicate_official_key_is_refused_under_the_field(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "organizations").run()
    fill_new(at, name="Leipzig (Dublette)", kind="district_free_city", ags="14713000")
    click(at, "Anlegen")
    assert not at.exception
    assert [unescape(e.value) for e in at.error] == [
        "„Amtlicher Schlüssel (AGS)“ 14713000 ist bereits an „Stadt Leipzig“ vergeben."
    ]
    assert stored(demo_url, "Leipzig (Dublette)") == []
    assert at.text_input(key="organization_new.name").value == "Leipzig (Dublette)"
    assert at.text_input(key="organization_new.ags").value == "14713000"


def test_missing_name_keeps_what_was_typed(database_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "organizations").run()
    fill_new(at, short_name="KISA", kind="special_purpose_association")
    click(at, "Anlegen")
    assert [e.value for e in at.error] == ["„Name“ ist ein Pflichtfeld."]
    assert at.text_input(key="organization_new.short_name").value == "KISA"
    assert at.selectbox(key="organization_new.kind").value == "special_purpose_association"
    with Session(make_engine(database_url)) as session:
        assert session.exec(select(Organization)).all() == []


def test_edit_archive_and_restore(demo_url: str, tmp_path: Path) -> None:
    lecos = org_id(demo_url, "Lecos GmbH")
    at = page_app(tmp_path, "organizations")
    at.query_params["id"] = str(lecos)
    at.run()
    form = f"organization_edit_{lecos}_1"
    at.text_input(key=f"{form}.short_name").input("Lecos Leipzig")
    at.selectbox(key=f"{form}.kind").select("company")
    click(at, "Speichern")
    assert not at.exception
    [org] = stored(demo_url, "Lecos GmbH")
    assert (org.short_name, org.kind, org.version) == ("Lecos Leipzig", "company", 2)

    click(at, "Archivieren")
    assert stored(demo_url, "Lecos GmbH")[0].archived
    assert "archiviert" in at.warning[0].value

    click(at, "Wiederherstellen")
    [org] = stored(demo_url, "Lecos GmbH")
    assert not org.archived
    assert org.version == 4


def test_edit_with_an_empty_name_is_refused(demo_url: str, tmp_path: Path) -> None:
    lecos = org_id(demo_url, "Lecos GmbH")
    at = page_app(tmp_path, "organizations")
    at.query_params["id"] = str(lecos)
    at.run()
    at.text_input(key=f"organization_edit_{lecos}_1.name").input("")
    at.text_input(key=f"organization_edit_{lecos}_1.short_name").input("LC")
    click(at, "Speichern")
    assert "„Name“ ist ein Pflichtfeld." in [e.value for e in at.error]
    assert at.text_input(key=f"organization_edit_{lecos}_1.short_name").value == "LC"
    assert stored(demo_url, "Lecos GmbH")[0].short_name == "Lecos"


def test_view_of_leipzig_shows_its_committees_agreements_and_themenfelder(
    demo_url: str, tmp_path: Path
) -> None:
    at = page_app(tmp_path, "organizations")
    at.query_params["id"] = str(org_id(demo_url, "Stadt Leipzig"))
    at.run()
    assert not at.exception
    assert at.title[0].value == "Stadt Leipzig"
    links = {label: (page, query) for label, page, query in page_links(at)}
    assert links["Ratsversammlung der Stadt Leipzig"][0] == "committees"
    assert links["Gründung der KOMM24 GmbH"] == ("agreements", "id=1")
    assert links["Freistaat Sachsen"][1] == f"id={org_id(demo_url, 'Freistaat Sachsen')}"
    assert "Träger; entsendet 3 Mitglieder · Rat/Kreistag" in captions(at)
    assert any(
        "Partei (Gründungsgesellschafter), vertreten durch Lecos GmbH" in caption
        for caption in captions(at)
    )
    participations = at.dataframe[0].value
    assert participations["Themenfeld"].tolist() == ["Recht & Ordnung"]


def test_view_of_lecos_shows_komm24_as_representative(demo_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "organizations")
    at.query_params["id"] = str(org_id(demo_url, "Lecos GmbH"))
    at.run()
    assert not at.exception
    assert ("Gründung der KOMM24 GmbH", "agreements", "id=1") in page_links(at)
    assert any(
        caption.startswith("vertritt Stadt Leipzig (Gründungsgesellschafter)")
        for caption in captions(at)
    )


def test_unknown_organization_says_so(database_url: str, tmp_path: Path) -> None:
    at = page_app(tmp_path, "organizations")
    at.query_params["id"] = "4711"
    at.run()
    assert not at.exception
    assert at.error[0].value == "Organisation Nr. 4711 gibt es nicht."


def open_organization(tmp_path: Path, record_id: int, role: Role) -> AppTest:
    at = page_app(tmp_path, "organizations", role)
    at.query_params["id"] = str(record_id)
    return at.run()


def test_the_directory_is_edited_by_secretariats_not_readers(demo_url: str, tmp_path: Path) -> None:
    record_id = org_id(demo_url, "Freistaat Sachsen")
    reader = open_organization(tmp_path, record_id, Role.READER)
    assert not reader.exception
    assert edit_controls(reader) == []
    assert READER_NOTE in captions(reader)
    reader_list = page_app(tmp_path, "organizations", Role.READER).run()
    assert edit_controls(reader_list) == []
    secretariat = open_organization(tmp_path, record_id, Role.SECRETARIAT)
    assert f"action.organization_archive_{record_id}" in edit_controls(secretariat)
    listed = page_app(tmp_path, "organizations", Role.SECRETARIAT).run()
    assert "FormSubmitter:organization_new-Anlegen" in edit_controls(listed)


def test_admin_deletes_an_archived_organization_unless_referred_to(
    demo_url: str, tmp_path: Path
) -> None:
    with Session(make_engine(demo_url)) as session:
        row = organizations.create_organization(
            session=session, actor=ACTOR, data={"name": "Zweckverband Irrtum", "kind": "district"}
        )
        unused = int(row.id or 0)
        used = org_id(demo_url, "Freistaat Sachsen")
        for record_id in (unused, used):
            organizations.archive_organization(session=session, actor=ACTOR, row_id=record_id)
    secretariat = open_organization(tmp_path, unused, Role.SECRETARIAT)
    assert f"action.organization_restore_{unused}" in edit_controls(secretariat)
    assert f"action.organization_delete_{unused}.ask" not in edit_controls(secretariat)

    at = open_organization(tmp_path, used, Role.ADMIN)
    at.button(key=f"action.organization_delete_{used}.ask").click().run()
    at.button(key=f"action.organization_delete_{used}.confirm").click().run()
    assert any("kann nicht gelöscht werden" in error.value for error in at.error)
    assert stored(demo_url, "Freistaat Sachsen")

    at = open_organization(tmp_path, unused, Role.ADMIN)
    at.button(key=f"action.organization_delete_{unused}.ask").click().run()
    at.button(key=f"action.organization_delete_{unused}.confirm").click().run()
    assert not at.exception
    assert stored(demo_url, "Zweckverband Irrtum") == []
    assert at.title[0].value == "Organisationen"
