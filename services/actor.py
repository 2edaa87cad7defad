"""Who performs a command: every write names its actor in the audit trail."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    username: str
    display_name: str


SEED_ACTOR = Actor(username="demo-daten", display_name="Demo-Daten")
SYSTEM_ACTOR = Actor(username="system", display_name="System")
