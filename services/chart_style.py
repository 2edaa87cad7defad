"""One look for every chart: a colour per organization kind and per participation role,
German number format, readable on a 1366×768 laptop screen."""

import plotly.graph_objects as go

from models.enums import OrganizationKind, ParticipationRole

# Fixed colours, so "Landkreis" or "federführend" look the same in every chart.
ORGANIZATION_KIND_COLORS = {
    OrganizationKind.LAND.label: "#1f4e79",
    OrganizationKind.FEDERAL_MINISTRY.label: "#000000",
    OrganizationKind.STATE_MINISTRY.label: "#2e75b6",
    OrganizationKind.DISTRICT.label: "#548235",
    OrganizationKind.DISTRICT_FREE_CITY.label: "#c55a11",
    OrganizationKind.MUNICIPALITY.label: "#a9d18e",
    OrganizationKind.SPECIAL_PURPOSE_ASSOCIATION.label: "#7030a0",
    OrganizationKind.PUBLIC_INSTITUTION.label: "#b4a7d6",
    OrganizationKind.MUNICIPAL_ASSOCIATION.label: "#bf9000",
    OrganizationKind.IT_PROVIDER.label: "#00b0f0",
    OrganizationKind.COMPANY.label: "#ff7c80",
    OrganizationKind.ASSOCIATION.label: "#ffd966",
    OrganizationKind.OTHER.label: "#a6a6a6",
    "Sonstige (zusammengefasst)": "#d9d9d9",
}

PARTICIPATION_ROLE_COLORS = {
    ParticipationRole.LEAD.label: "#08306b",
    ParticipationRole.CO_LEAD.label: "#2171b5",
    ParticipationRole.SUPPORTING.label: "#6baed6",
    ParticipationRole.IMPLEMENTING.label: "#41ab5d",
    ParticipationRole.REUSING.label: "#a1d99b",
    ParticipationRole.INVOLVED.label: "#bdbdbd",
}

# Strongest role first: where an organization has several roles in one field, it counts once.
PARTICIPATION_ROLE_ORDER = [role.label for role in ParticipationRole]


def style(figure: go.Figure, *, title: str | None = None, height: int = 480) -> go.Figure:
    """German separators, compact margins and a legend that fits a laptop screen."""
    figure.update_layout(
        title=title,
        height=height,
        separators=",.",
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        font={"size": 12},
        template="plotly_white",
    )
    return figure
