"""Themenfelder matrix, participants per kind, a field's timeline and the involvement sunburst:
the numbers behind the charts."""

from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session, select

from models import Organization, Participation, TopicField
from models.enums import FederalState, OrganizationKind, ParticipationRole
from services import participation as p
from services import topic_fields
from services.actor import Actor
from services.chart_style import ORGANIZATION_KIND_COLORS, PARTICIPATION_ROLE_COLORS
from services.seed import load_demo_data
from services.write import key
from tests.conftest import make_org

TODAY = date(2026, 1, 15)
LEAD = ParticipationRole.LEAD.label


@pytest.fixture
def demo(session: Session) -> Session:
    load_demo_data(session)
    return session


def org_id(session: Session, name: str) -> int:
    return key(session.exec(select(Organization).where(Organization.name == name)).one())


def field_id(session: Session, name: str) -> int:
    return key(session.exec(select(TopicField).where(TopicField.name == name)).one())


def roles_in(frame: pd.DataFrame, field: str) -> dict[str, str]:
    rows = frame[frame["topic_field"] == field]
    return dict(zip(rows["name"], rows["role"], strict=True))


# --- matrix ----------------------------------------------------------------------------


def test_matrix_shows_the_leads_of_the_demo_fields(demo: Session) -> None:
    frame = p.participation_matrix(demo, on=TODAY)
    assert frame.attrs == {"level": "organization", "organizations": 34, "truncated": False}
    bauen = roles_in(frame, "Bauen & Wohnen")
    assert bauen == {
        "Land Mecklenburg-Vorpommern": LEAD,
        "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen": LEAD,
        "Universitäts- und Hansestadt Greifswald": "nachnutzend",
        "Landkreis Nordwestmecklenburg": "beteiligt",
    }
    recht = roles_in(frame, "Recht & Ordnung")
    assert recht["Freistaat Sachsen"] == LEAD
    assert recht["Bundesministerium der Justiz und für Verbraucherschutz"] == "mitfederführend"
    assert recht["Stadt Leipzig"] == "umsetzend"
    assert "Forschung & Förderung" not in set(frame["topic_field"])


def test_reference_date_filters_by_from_and_to(demo: Session) -> None:
    bmi = "Bundesministerium des Innern, für Bau und Heimat"
    bmwsb = "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen"
    before = roles_in(p.participation_matrix(demo, on=date(2021, 1, 1)), "Bauen & Wohnen")
    after = roles_in(p.participation_matrix(demo, on=date(2022, 1, 1)), "Bauen & Wohnen")
    assert bmi in before
    assert bmwsb not in before
    assert bmwsb in after
    assert bmi not in after
    # The last and the first day of each period count.
    assert bmi in roles_in(p.participation_matrix(demo, on=date(2021, 12, 7)), "Bauen & Wohnen")
    assert bmwsb in roles_in(p.participation_matrix(demo, on=date(2021, 12, 8)), "Bauen & Wohnen")
    # Greifswald joined on 01.06.2020.
    assert "Universitäts- und Hansestadt Greifswald" in before
    assert "Universitäts- und Hansestadt Greifswald" not in roles_in(
        p.participation_matrix(demo, on=date(2020, 5, 31)), "Bauen & Wohnen"
    )


def test_hover_says_role_and_since(demo: Session) -> None:
    frame = p.participation_matrix(demo, on=TODAY)
    figure = p.matrix_figure(frame, fields=p.topic_field_names(demo))
    cells = figure.data[1]
    texts = list(cells.hovertext)
    assert (
        "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen – Bauen & Wohnen: "
        "federführend (seit 08.12.2021)"
    ) in texts
    assert "Land Mecklenburg-Vorpommern – Bauen & Wohnen: federführend" in texts


def test_archived_participation_does_not_count(demo: Session, actor: Actor) -> None:
    mv = org_id(demo, "Land Mecklenburg-Vorpommern")
    bauen = field_id(demo, "Bauen & Wohnen")
    record = demo.exec(
        select(Participation).where(
            Participation.organization_id == mv, Participation.topic_field_id == bauen
        )
    ).one()
    topic_fields.archive_participation(session=demo, actor=actor, row_id=record.id)

    assert "Land Mecklenburg-Vorpommern" not in roles_in(
        p.participation_matrix(demo, on=TODAY), "Bauen & Wohnen"
    )
    by_kind = p.participants_by_kind(demo, on=TODAY)
    lands = by_kind[(by_kind["topic_field"] == "Bauen & Wohnen") & (by_kind["kind"] == "Land")]
    assert lands.empty
    overview = p.topic_field_overview(demo, on=TODAY).set_index("name")
    assert overview.loc["Bauen & Wohnen", "participants"] == 3
    assert "Mecklenburg" not in overview.loc["Bauen & Wohnen", "leads"]
    assert p.participation_records(demo, on=TODAY, topic_field_id=bauen).total == 3
    involved = p.involvement(demo, measure="participations", on=TODAY)
    assert "Land Mecklenburg-Vorpommern" not in set(involved["organization"])


def test_filters_by_land_kind_and_role(demo: Session) -> None:
    mv = p.participation_matrix(demo, on=TODAY, states=[FederalState.MV])
    assert set(mv["state"]) == {"Mecklenburg-Vorpommern"}
    assert set(mv["name"]) == {
        "Land Mecklenburg-Vorpommern",
        "Universitäts- und Hansestadt Greifswald",
        "Landkreis Nordwestmecklenburg",
    }
    # Rows carry the short names, so the matrix stays narrow.
    assert set(mv["row"]) == {"M-V", "Greifswald", "LK Nordwestmecklenburg"}
    federal = p.participation_matrix(demo, on=TODAY, states=[None])
    assert set(federal["state"]) == {p.FEDERAL}
    assert "Deutscher Städtetag" in set(federal["name"])
    both = p.participation_matrix(demo, on=TODAY, states=[FederalState.SN, None])
    assert set(both["state"]) == {"Sachsen", p.FEDERAL}
    leads = p.participation_matrix(
        demo, on=TODAY, roles=[ParticipationRole.LEAD], kinds=[OrganizationKind.LAND]
    )
    assert set(leads["role"]) == {LEAD}
    assert set(leads["kind"]) == {"Land"}
    assert len(leads) == 13  # one lead Land in every field but Forschung & Förderung
    per_land = leads.groupby("name").size()
    assert per_land["Land Hessen"] == 2  # Mobilität & Reisen, Steuern & Zoll
    assert per_land["Land Nordrhein-Westfalen"] == 2


def test_forschung_und_foerderung_has_no_participants(demo: Session) -> None:
    by_kind = p.participants_by_kind(demo, on=TODAY)
    assert "Forschung & Förderung" not in set(by_kind["topic_field"])
    overview = p.topic_field_overview(demo, on=TODAY).set_index("name")
    assert overview.loc["Forschung & Förderung", "participants"] == 0
    assert pd.isna(overview.loc["Forschung & Förderung", "leads"])
    assert len(overview) == 14
    forschung = field_id(demo, "Forschung & Förderung")
    assert p.topic_field_participations(demo, forschung).total == 0
    # The empty field still is a column of the matrix, so the gap is visible.
    figure = p.matrix_figure(
        p.participation_matrix(demo, on=TODAY), fields=p.topic_field_names(demo)
    )
    heatmap = figure.data[0]
    assert list(heatmap.x)[6] == "Forschung & Förderung"
    assert all(pd.isna(row[6]) for row in heatmap.z)


def test_matrix_figure_colours_cells_by_role(demo: Session) -> None:
    frame = p.participation_matrix(demo, on=TODAY)
    figure = p.matrix_figure(frame, fields=p.topic_field_names(demo))
    heatmap, cells = figure.data
    rows, columns = list(heatmap.y), list(heatmap.x)
    assert len(rows) == 34
    assert len(columns) == 14
    z = heatmap.z[rows.index("M-V")][columns.index("Bauen & Wohnen")]
    assert z == 1  # federführend
    z = heatmap.z[rows.index("Leipzig")][columns.index("Recht & Ordnung")]
    assert z == 4  # umsetzend
    assert [stop[1] for stop in heatmap.colorscale[::2]] == list(PARTICIPATION_ROLE_COLORS.values())
    assert list(heatmap.colorbar.ticktext) == list(PARTICIPATION_ROLE_COLORS)
    # Lands come before Bundesressorts (kind order), names sorted within a kind.
    assert rows.index("Sachsen") < rows.index("AA")
    assert len(cells.customdata) == len(frame)


def test_selected_cells_map_back_to_records(demo: Session) -> None:
    frame = p.participation_matrix(demo, on=TODAY)
    figure = p.matrix_figure(frame)
    cells_trace = figure.data[1]
    mv_row = next(
        i
        for i, (label, field) in enumerate(zip(cells_trace.y, cells_trace.x, strict=True))
        if label == "M-V" and field == "Bauen & Wohnen"
    )
    points = [{"customdata": list(cells_trace.customdata[mv_row])}, {"x": 1}]
    cells = p.cells_from_points(points)
    assert cells == [
        p.Cell(
            "organization",
            str(org_id(demo, "Land Mecklenburg-Vorpommern")),
            field_id(demo, "Bauen & Wohnen"),
        )
    ]
    records = p.participation_records(demo, on=TODAY, cells=cells).rows
    assert records[["organization", "topic_field", "role"]].values.tolist() == [
        ["Land Mecklenburg-Vorpommern", "Bauen & Wohnen", LEAD]
    ]
    assert "58 Leistungen" in records["note"].iloc[0]
    assert records["source"].iloc[0]

    # A bar segment: all federal ministries in Recht & Ordnung.
    recht = field_id(demo, "Recht & Ordnung")
    cells = p.cells_from_points([{"customdata": ["kind", "federal_ministry", recht]}])
    records = p.participation_records(demo, on=TODAY, cells=cells).rows
    assert set(records["organization"]) == {
        "Bundesministerium des Innern, für Bau und Heimat",
        "Bundesministerium der Justiz und für Verbraucherschutz",
    }
    # A Land row of the aggregated matrix, and "Bund/überregional".
    cells = p.cells_from_points([{"customdata": ["state", "SN", recht]}])
    assert p.participation_records(demo, on=TODAY, cells=cells).total == 4
    cells = p.cells_from_points([{"customdata": ["state", p.FEDERAL_KEY, recht]}])
    assert p.participation_records(demo, on=TODAY, cells=cells).total == 2


def test_participants_by_kind_counts_distinct_organizations(demo: Session) -> None:
    frame = p.participants_by_kind(demo, on=TODAY)
    counts = {
        (row.topic_field, row.kind): row.participants for row in frame.itertuples(index=False)
    }
    assert counts[("Bauen & Wohnen", "Land")] == 1
    assert counts[("Bauen & Wohnen", "Bundesressort")] == 1  # BMWSB only, BMI ended 2021
    assert counts[("Bauen & Wohnen", "Gemeinde")] == 1
    assert counts[("Bauen & Wohnen", "Landkreis")] == 1
    assert counts[("Recht & Ordnung", "Bundesressort")] == 2
    assert counts[("Engagement & Hobby", "kommunaler Spitzenverband")] == 3
    assert counts[("Unternehmensführung & -entwicklung", "Land")] == 4
    early = p.participants_by_kind(demo, on=date(2019, 6, 1))
    early_counts = {
        (row.topic_field, row.kind): row.participants for row in early.itertuples(index=False)
    }
    assert ("Bauen & Wohnen", "Gemeinde") not in early_counts  # Greifswald from 06/2020
    assert early_counts[("Bauen & Wohnen", "Bundesressort")] == 1  # BMI
    sachsen = p.participants_by_kind(demo, on=TODAY, states=[FederalState.SN])
    assert set(sachsen["topic_field"]) == {"Recht & Ordnung"}
    assert sachsen["participants"].sum() == 4

    figure = p.participants_figure(frame, fields=p.topic_field_names(demo))
    assert figure.layout.barmode == "stack"
    for trace in figure.data:
        assert trace.marker.color == ORGANIZATION_KIND_COLORS[trace.name]
    assert list(figure.layout.yaxis.categoryarray)[6] == "Forschung & Förderung"


def test_topic_field_overview_names_the_leads_on_the_date(demo: Session) -> None:
    now = p.topic_field_overview(demo, on=TODAY).set_index("name")
    bauen = now.loc["Bauen & Wohnen", "leads"]
    assert set(bauen.split("; ")) == {
        "Land Mecklenburg-Vorpommern",
        "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen",
    }
    assert now.loc["Bauen & Wohnen", "participants"] == 4
    assert now.loc["Recht & Ordnung", "leads"].count("; ") == 2  # Sachsen, BMI, BMJV
    then = p.topic_field_overview(demo, on=date(2021, 1, 1)).set_index("name")
    assert "Bundesministerium des Innern, für Bau und Heimat" in then.loc["Bauen & Wohnen", "leads"]


def test_topic_field_page_data_and_timeline(demo: Session) -> None:
    bauen = field_id(demo, "Bauen & Wohnen")
    detail = p.topic_field_detail(demo, bauen)
    assert detail["number"] == 2
    assert "58 Leistungen" in detail["description"]
    everyone = p.topic_field_participations(demo, bauen).rows
    assert len(everyone) == 5  # BMI and BMWSB both, over all time
    bmi = everyone[everyone["organization"].str.startswith("Bundesministerium des Innern")]
    assert bmi["valid_to"].tolist() == [date(2021, 12, 7)]

    figure = p.participation_timeline(everyone, today=TODAY)
    bars = [trace for trace in figure.data if trace.type == "bar"]
    assert {trace.name for trace in bars} == {"federführend", "nachnutzend", "beteiligt"}
    lead_bars = next(trace for trace in bars if trace.name == "federführend")
    assert lead_bars.marker.color == PARTICIPATION_ROLE_COLORS["federführend"]
    spans = {
        label: (pd.Timestamp(base), pd.Timestamp(base) + pd.Timedelta(milliseconds=length))
        for label, base, length in zip(lead_bars.y, lead_bars.base, lead_bars.x, strict=True)
    }
    bmi_span = spans["BMI"]
    bmwsb_span = spans["BMWSB"]
    assert bmi_span[1] == pd.Timestamp("2021-12-08")  # through 07.12.2021
    assert bmwsb_span[0] == pd.Timestamp("2021-12-08")
    assert bmwsb_span[1] == pd.Timestamp(TODAY) + pd.Timedelta(days=1)  # open end runs to today
    markers = {trace.name: len(trace.y) for trace in figure.data if trace.type == "scatter"}
    assert markers == {"Beginn offen": 2, "Ende offen": 4}
    assert p.ids_from_points([{"customdata": [int(lead_bars.customdata[0][0]), "x", ""]}]) == [
        int(lead_bars.customdata[0][0])
    ]


# --- scale -------------------------------------------------------------------------------


def bulk_municipalities(session: Session, count: int, field: TopicField, states: list[str]) -> None:
    """`count` Gemeinden, each taking part in `field`, inserted directly (a scale fixture)."""
    organizations = [
        Organization(
            name=f"Gemeinde {number:04d}",
            kind=OrganizationKind.MUNICIPALITY,
            state=FederalState(states[number % len(states)]),
        )
        for number in range(count)
    ]
    session.add_all(organizations)
    session.flush()
    session.add_all(
        Participation(
            organization_id=organization.id,
            topic_field_id=field.id,
            role=ParticipationRole.REUSING if number % 3 else ParticipationRole.IMPLEMENTING,
        )
        for number, organization in enumerate(organizations)
    )
    session.commit()


def test_matrix_folds_many_organizations_into_kinds(demo: Session) -> None:
    bauen = demo.exec(select(TopicField).where(TopicField.name == "Bauen & Wohnen")).one()
    bulk_municipalities(demo, 200, bauen, ["MV", "SN"])

    frame = p.participation_matrix(demo, on=TODAY)
    assert frame.attrs["level"] == "kind"
    assert frame.attrs["organizations"] == 234
    assert frame["row"].nunique() <= len(OrganizationKind)
    cell = frame[(frame["row"] == "Gemeinde") & (frame["topic_field"] == "Bauen & Wohnen")]
    assert cell["count"].tolist() == [201]  # 200 + Greifswald
    figure = p.matrix_figure(frame)
    assert len(figure.data[0].y) == frame["row"].nunique()
    assert figure.layout.height <= 1100

    options = p.matrix_row_options(frame)
    assert list(options)[:2] == ["land", "federal_ministry"]  # the kinds in their fixed order
    assert options["municipality"] == "Gemeinde"
    by_state = p.participation_matrix(demo, on=TODAY, by="state")
    assert by_state.attrs["level"] == "state"
    assert p.FEDERAL in set(by_state["row"])
    assert by_state["row"].nunique() <= 17

    # Drill down into Gemeinden: still 201, spread over two Länder -> rows per Land.
    gemeinden = p.participation_matrix(demo, on=TODAY, kinds=[OrganizationKind.MUNICIPALITY])
    assert gemeinden.attrs["level"] == "state"
    bauen_rows = gemeinden[gemeinden["topic_field"] == "Bauen & Wohnen"]
    assert dict(zip(bauen_rows["row"], bauen_rows["count"], strict=True)) == {
        "Mecklenburg-Vorpommern": 101,
        "Sachsen": 100,
    }
    # One kind in one Land and still too many: the 40 with the strongest roles.
    one = p.participation_matrix(
        demo, on=TODAY, kinds=[OrganizationKind.MUNICIPALITY], states=[FederalState.SN]
    )
    assert one.attrs == {"level": "organization", "organizations": 101, "truncated": True}
    assert one["row_key"].nunique() == p.MATRIX_ROW_LIMIT
    # All 33 implementing Gemeinden in Sachsen rank before the reusing ones.
    assert (one["role"] == "umsetzend").sum() == 33

    cells = p.cells_from_points([{"customdata": ["kind", "municipality", bauen.id]}])
    assert p.participation_records(demo, on=TODAY, cells=cells, limit=10).total == 201

    # The Themenfeld's own page: the timeline takes the strongest 40 of 205 participations.
    timeline = p.topic_field_participations(demo, bauen.id)
    assert timeline.total == 205
    assert len(timeline.rows) == p.TIMELINE_ROWS
    assert timeline.rows["role"].tolist()[:2] == [LEAD, LEAD]
    figure = p.participation_timeline(timeline.rows, today=TODAY)
    assert figure.layout.height < 1500


# --- Beteiligung -------------------------------------------------------------------------


def values(frame: pd.DataFrame) -> dict[str, int]:
    return dict(zip(frame["organization"], frame["value"], strict=True))


def test_komm24_parties_each_count_one_agreement(demo: Session) -> None:
    frame = p.involvement(demo, measure="agreements", on=TODAY)
    sachsen = frame[frame["state"] == "Sachsen"]
    assert values(sachsen) == {
        "Stadt Chemnitz": 1,
        "Landeshauptstadt Dresden": 1,
        "Stadt Leipzig": 1,
        "Zweckverband Kommunale Informationsverarbeitung Sachsen": 1,
        "Sächsische Anstalt für kommunale Datenverarbeitung": 1,
    }
    assert "Lecos GmbH" not in values(frame)  # represents Leipzig, is no party itself
    mv = values(frame[frame["state"] == "Mecklenburg-Vorpommern"])
    assert mv["Land Mecklenburg-Vorpommern"] == 2
    assert mv["Landkreis Vorpommern-Greifswald"] == 1
    # Before KOMM24 was agreed on 09.04.2019 it does not count.
    early = p.involvement(demo, measure="agreements", on=date(2019, 4, 8))
    assert "Stadt Chemnitz" not in values(early)


def test_lenkungsausschuss_seats_count_for_the_sending_organizations(demo: Session) -> None:
    frame = p.involvement(demo, measure="seats", on=TODAY)
    mv = values(frame[frame["state"] == "Mecklenburg-Vorpommern"])
    assert mv == {
        "Land Mecklenburg-Vorpommern": 3,  # chair and two members; the deputy holds no seat
        "Landkreistag Mecklenburg-Vorpommern": 2,
        "Städte- und Gemeindetag Mecklenburg-Vorpommern": 2,
        "Universitäts- und Hansestadt Greifswald": 1,
        "Landkreis Nordwestmecklenburg": 1,
    }
    # The Geschäftsstelle (Ministerium) holds no seat; the Spitzengespräch is over.
    assert "Ministerium für Energie, Infrastruktur und Digitalisierung" not in " ".join(mv)
    assert "Stadt Chemnitz" not in values(frame)
    summit = values(p.involvement(demo, measure="seats", on=date(2019, 4, 9)))
    assert summit["Stadt Chemnitz"] == 1
    assert "Landkreistag Mecklenburg-Vorpommern" not in summit  # LA from 10.04.2019


def test_involvement_by_participations_and_federal_bodies(demo: Session) -> None:
    frame = p.involvement(demo, measure="participations", on=TODAY)
    federal = frame[frame["state"] == p.FEDERAL]
    assert set(federal["kind"]) == {"Bundesressort", "kommunaler Spitzenverband", "Verband"}
    assert values(federal)["Bundesministerium des Innern, für Bau und Heimat"] == 3
    assert values(frame)["Land Nordrhein-Westfalen"] == 3
    assert frame["value"].sum() == 44
    only_mv = p.involvement(demo, measure="participations", on=TODAY, states=[FederalState.MV])
    assert set(only_mv["state"]) == {"Mecklenburg-Vorpommern"}


def test_top_n_folds_the_rest_into_sonstige(session: Session, actor: Actor) -> None:
    fields = [
        topic_fields.create_topic_field(
            session=session, actor=actor, data={"number": n, "name": f"Feld {n}"}
        )
        for n in range(1, 16)
    ]
    # Gemeinde i takes part in i fields: values 1..15 within one Land and kind.
    for i in range(1, 16):
        town = make_org(session, name=f"Gemeinde {i:02d}", kind="municipality", state="SN")
        for field in fields[:i]:
            topic_fields.add_participation(
                session=session,
                actor=actor,
                data={"organization_id": town.id, "topic_field_id": field.id, "role": "reusing"},
            )
    make_org(session, name="Landkreis ohne Beteiligung", kind="district", state="SN")

    frame = p.involvement(session, measure="participations", top=10)
    assert len(frame) == 11
    kept = frame[frame["organization_id"].notna()]
    assert kept["value"].tolist() == list(range(15, 5, -1))
    rest = frame[frame["organization"] == p.FOLDED]
    assert rest[["value", "organizations"]].values.tolist() == [[1 + 2 + 3 + 4 + 5, 5]]
    assert frame["value"].sum() == sum(range(1, 16))

    figure = p.involvement_figure(frame, measure="participations")
    sunburst = figure.data[0]
    ids = list(sunburst.ids)
    assert ids[:2] == ["s:SN", "s:SN/k:municipality"]
    assert "s:SN/k:municipality/o:rest" in ids
    assert sunburst.values[0] == 120  # the Land is the sum of its kinds
    colours = dict(zip(ids, sunburst.marker.colors, strict=True))
    assert colours["s:SN/k:municipality"] == ORGANIZATION_KIND_COLORS["Gemeinde"]
    assert colours["s:SN/k:municipality/o:rest"] == ORGANIZATION_KIND_COLORS[p.FOLDED]
    treemap = p.involvement_figure(frame, measure="participations", chart="treemap")
    assert treemap.data[0].type == "treemap"

    folded = p.sector_from_point({"id": "s:SN/k:municipality/o:rest", "label": p.FOLDED})
    assert folded == p.Sector("SN", "municipality", None, folded=True)
    page = p.involvement_organizations(session, measure="participations", sector=folded, top=10)
    assert page.rows["organization"].tolist() == [f"Gemeinde {i:02d}" for i in range(5, 0, -1)]
    land = p.sector_from_point({"id": "s:SN"})
    assert (
        p.involvement_organizations(session, measure="participations", sector=land, limit=3).total
        == 15
    )
    assert p.sector_from_point({"x": 1}) is None
    assert p.sector_label(folded, frame) == f"Sachsen › Gemeinde › {p.FOLDED}"


def test_everything_is_empty_without_data(session: Session) -> None:
    assert p.participation_matrix(session, on=TODAY).empty
    assert p.participants_by_kind(session, on=TODAY).empty
    assert p.topic_field_overview(session, on=TODAY).empty
    assert p.topic_field_names(session) == []
    for measure in p.MEASURES:
        frame = p.involvement(session, measure=measure, on=TODAY)
        assert frame.empty
        assert not p.involvement_figure(frame, measure=measure).data
    assert not p.matrix_figure(p.participation_matrix(session)).data
    assert not p.participation_timeline(pd.DataFrame(columns=p.RECORD_COLUMNS)).data


def test_namesakes_keep_their_own_matrix_rows(session: Session, actor: Actor) -> None:
    field = topic_fields.create_topic_field(
        session=session, actor=actor, data={"number": 2, "name": "Bauen & Wohnen"}
    )
    for state in ("SN", "TH"):
        town = make_org(session, name="Stadt Neustadt", kind="municipality", state=state)
        topic_fields.add_participation(
            session=session,
            actor=actor,
            data={"organization_id": town.id, "topic_field_id": field.id, "role": "reusing"},
        )
    frame = p.participation_matrix(session, on=TODAY)
    assert frame["row"].nunique() == 2
    assert all(label.startswith("Stadt Neustadt (") for label in frame["row"])
    assert len(p.matrix_figure(frame).data[0].y) == 2
