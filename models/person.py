"""Personen: Mitglieder, Gäste, Geschäftsstellen."""

from sqlmodel import Field

from models.base import KEY_RANGE, NAME_MAX, RecordFields, SourcedBase, partial_model


class PersonBase(SourcedBase):
    title: str | None = Field(default=None, max_length=40, title="Titel")
    given_name: str | None = Field(default=None, max_length=100, title="Vorname")
    family_name: str = Field(min_length=1, max_length=100, index=True, title="Nachname")
    function: str | None = Field(default=None, max_length=NAME_MAX, title="Funktion")
    email: str | None = Field(
        default=None,
        max_length=NAME_MAX,
        schema_extra={"pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
        title="E-Mail",
    )
    organization_id: int | None = Field(
        default=None,
        foreign_key="organization.id",
        schema_extra=KEY_RANGE,
        index=True,
        title="Organisation",
    )


class Person(PersonBase, RecordFields, table=True):
    @property
    def full_name(self) -> str:
        """Name as used in minutes: title, given and family name."""
        return " ".join(part for part in (self.title, self.given_name, self.family_name) if part)


class PersonCreate(PersonBase):
    pass


PersonUpdate = partial_model(PersonCreate, "PersonUpdate")
