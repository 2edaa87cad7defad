"""Organisationen: Länder, Ressorts, Kreise, Städte, Verbände, IT-Dienstleister."""

from sqlmodel import Field

from models.base import (
    KEY_RANGE,
    NAME_MAX,
    SHORT_MAX,
    RecordFields,
    SourcedBase,
    enum_type,
    partial_model,
)
from models.enums import FederalState, OrganizationKind


class OrganizationBase(SourcedBase):
    name: str = Field(min_length=1, max_length=NAME_MAX, index=True, title="Name")
    short_name: str | None = Field(default=None, max_length=SHORT_MAX, title="Kurzname")
    kind: OrganizationKind = Field(sa_type=enum_type(OrganizationKind), title="Art")
    state: FederalState | None = Field(
        default=None, sa_type=enum_type(FederalState), index=True, title="Bundesland"
    )
    parent_id: int | None = Field(
        default=None,
        foreign_key="organization.id",
        schema_extra=KEY_RANGE,
        title="übergeordnete Organisation",
    )
    # Amtlicher Gemeinde-/Kreis-/Landesschlüssel: the stable key of the official directory.
    ags: str | None = Field(
        default=None,
        min_length=2,
        max_length=8,
        schema_extra={"pattern": r"^[0-9]+$"},
        index=True,
        title="Amtlicher Schlüssel (AGS)",
    )


class Organization(OrganizationBase, RecordFields, table=True):
    pass


class OrganizationCreate(OrganizationBase):
    pass


OrganizationUpdate = partial_model(OrganizationCreate, "OrganizationUpdate")
