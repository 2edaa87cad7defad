"""OZG-Themenfelder and Beteiligungen: commands and queries."""

import pandas as pd
from sqlmodel import Session, col, select

from models import (
    Organization,
    Participation,
    ParticipationCreate,
    ParticipationUpdate,
    TopicField,
    TopicFieldCreate,
    TopicFieldUpdate,
)
from services.errors import DomainError
from services.periods import overlaps
from services.write import EntityCommands, find_one, require_active


def _check_topic_field(
    session: Session, values: TopicFieldCreate, current: TopicField | None
) -> None:
    for field, label in (("number", "Nummer"), ("name", "Name")):
        other = find_one(session, TopicField, **{field: getattr(values, field)})
        if other is not None and (current is None or other.id != current.id):
            raise DomainError(
                f"„{label}“ {getattr(values, field)} hat schon ein Themenfeld.", field
            )


TOPIC_FIELDS = EntityCommands(TopicField, TopicFieldCreate, TopicFieldUpdate, _check_topic_field)
create_topic_field = TOPIC_FIELDS.create
update_topic_field = TOPIC_FIELDS.update


def _check_participation(
    session: Session, values: ParticipationCreate, current: Participation | None
) -> None:
    require_active(session, Organization, values.organization_id, "organization_id")
    require_active(session, TopicField, values.topic_field_id, "topic_field_id")
    others = session.exec(
        select(Participation).where(
            Participation.organization_id == values.organization_id,
            Participation.topic_field_id == values.topic_field_id,
            col(Participation.archived).is_(False),
        )
    )
    for other in others:
        if (current is None or other.id != current.id) and overlaps(
            values.valid_from, values.valid_to, other.valid_from, other.valid_to
        ):
            raise DomainError(
                "Die Organisation ist in diesem Zeitraum bereits an dem Themenfeld beteiligt "
                f"({other.role.label}); beenden Sie diese Beteiligung zuerst.",
                "valid_from",
            )


PARTICIPATIONS = EntityCommands(
    Participation, ParticipationCreate, ParticipationUpdate, _check_participation
)
add_participation = PARTICIPATIONS.create
update_participation = PARTICIPATIONS.update
archive_participation = PARTICIPATIONS.archive
restore_participation = PARTICIPATIONS.restore


def list_participations(session: Session, *, include_archived: bool = False) -> pd.DataFrame:
    """Every participation with organization and Themenfeld names."""
    statement = (
        select(Participation, Organization.name, TopicField.name)
        .join(Organization, col(Participation.organization_id) == Organization.id)
        .join(TopicField, col(Participation.topic_field_id) == TopicField.id)
        .order_by(col(TopicField.number), col(Organization.name))
    )
    if not include_archived:
        statement = statement.where(col(Participation.archived).is_(False))
    rows = [
        {
            "id": p.id,
            "topic_field": tf_name,
            "organization": org_name,
            "role": p.role.label,
            "valid_from": p.valid_from,
            "valid_to": p.valid_to,
            "note": p.note,
            "source": p.source,
        }
        for p, org_name, tf_name in session.exec(statement)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "topic_field",
            "organization",
            "role",
            "valid_from",
            "valid_to",
            "note",
            "source",
        ],
    )


def archived_participations(session: Session, topic_field_id: int) -> list[tuple[int, str, str]]:
    """The field's archived participations: (id, organization's name, role label), by name."""
    rows = session.exec(
        select(Participation, Organization.name)
        .join(Organization, col(Participation.organization_id) == Organization.id)
        .where(
            Participation.topic_field_id == topic_field_id,
            col(Participation.archived).is_(True),
        )
        .order_by(col(Organization.name), col(Participation.id))
    ).all()
    return [(int(row.id or 0), name, row.role.label) for row, name in rows]
