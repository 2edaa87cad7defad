"""Who performs a command: every write names its actor in the audit trail and is authorized."""

from dataclasses import dataclass

from models.enums import Role


@dataclass(frozen=True)
class Actor:
    username: str
    display_name: str
    role: Role
    # The signed-in account; None for the seed and the command line's system actor.
    account_id: int | None = None


SEED_ACTOR = Actor(username="demo-daten", display_name="Demo-Daten", role=Role.ADMIN)
SYSTEM_ACTOR = Actor(username="system", display_name="System", role=Role.ADMIN)
