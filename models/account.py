"""Accounts that sign in, and the committees and agreements a Sekretariat is assigned to."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import KEY_RANGE, NAME_MAX, RecordFields, enum_type, partial_model
from models.enums import Role

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._@-]{1,99}$"


class AccountBase(SQLModel):
    username: str = Field(
        max_length=100,
        unique=True,
        index=True,
        title="Benutzername",
        schema_extra={"pattern": USERNAME_PATTERN},
    )
    display_name: str = Field(min_length=1, max_length=NAME_MAX, title="Name")
    email: str | None = Field(default=None, max_length=200, index=True, title="E-Mail")
    role: Role = Field(sa_type=enum_type(Role), title="Rolle")


class Account(AccountBase, RecordFields, table=True):
    __tablename__ = "user_account"

    # Argon2id hash (argon2-cffi) including its parameters and salt; None for accounts that
    # only sign in through single sign-on.
    password_hash: str | None = Field(default=None, max_length=255, title="Passwort-Hash")
    password_changed_at: datetime | None = Field(default=None, title="Passwort geändert am")
    failed_sign_ins: int = Field(default=0, title="Fehlversuche")
    locked_until: datetime | None = Field(default=None, title="gesperrt bis")
    last_sign_in_at: datetime | None = Field(default=None, title="letzte Anmeldung")


class AccountCreate(AccountBase):
    pass


AccountUpdate = partial_model(AccountCreate, "AccountUpdate")


class AssignmentBase(SQLModel):
    account_id: int = Field(
        foreign_key="user_account.id", index=True, schema_extra=KEY_RANGE, title="Konto"
    )
    committee_id: int | None = Field(
        default=None,
        foreign_key="committee.id",
        index=True,
        schema_extra=KEY_RANGE,
        title="Gremium",
    )
    agreement_id: int | None = Field(
        default=None,
        foreign_key="agreement.id",
        index=True,
        schema_extra=KEY_RANGE,
        title="Vereinbarung",
    )


class Assignment(AssignmentBase, RecordFields, table=True):
    """One committee or one agreement a Sekretariat account may change."""

    __tablename__ = "account_assignment"
    __table_args__ = (
        sa.CheckConstraint(
            "(committee_id IS NULL) <> (agreement_id IS NULL)", name="exactly_one_target"
        ),
    )


class AssignmentCreate(AssignmentBase):
    pass


AssignmentUpdate = partial_model(AssignmentCreate, "AssignmentUpdate")
