"""Schema validation with German messages naming the field."""

from enum import Enum
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from services.errors import DomainError, FieldError

SchemaT = TypeVar("SchemaT", bound=BaseModel)


def validate(schema: type[SchemaT], data: BaseModel | dict[str, Any]) -> SchemaT:
    """Validate `data` against `schema`; raise DomainError with German field messages."""
    if isinstance(data, BaseModel):
        data = data.model_dump(exclude_unset=True)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise DomainError.many([_field_error(schema, err) for err in exc.errors()]) from None


def field_label(schema: type[BaseModel], field: str) -> str:
    """The German label of a schema field (its title), falling back to its name."""
    info = schema.model_fields.get(field)
    return (info.title if info and info.title else field) if info else field


def _field_error(schema: type[BaseModel], error: Any) -> FieldError:
    ctx = error.get("ctx") or {}
    field = ctx.get("field") or (str(error["loc"][0]) if error["loc"] else None)
    label = field_label(schema, field) if field else "Eingabe"
    kind = error["type"]
    if error["loc"] and error.get("input") is None:
        kind = "missing"  # a required field set to empty, e.g. by an update
    return FieldError(field, f"„{label}“ {_predicate(schema, field, kind, ctx)}.")


def _predicate(schema: type[BaseModel], field: str | None, kind: str, ctx: dict[str, Any]) -> str:
    if kind == "missing":
        return "ist ein Pflichtfeld"
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "darf nicht leer sein"
        return f"muss mindestens {ctx.get('min_length')} Zeichen lang sein"
    if kind == "string_too_long":
        return f"darf höchstens {ctx.get('max_length')} Zeichen lang sein"
    if kind == "string_pattern_mismatch":
        return "hat kein gültiges Format"
    if kind == "enum":
        return f"muss einer dieser Werte sein: {_allowed_labels(schema, field)}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "muss eine ganze Zahl sein"
    if kind == "greater_than_equal":
        return f"muss mindestens {ctx.get('ge')} sein"
    if kind == "less_than_equal":
        return f"darf höchstens {ctx.get('le')} sein"
    if kind.startswith("date") and not kind.startswith("datetime"):
        return "muss ein Datum sein (TT.MM.JJJJ)"
    if kind.startswith("datetime"):
        return "muss Datum und Uhrzeit sein (TT.MM.JJJJ HH:MM)"
    if kind.startswith("bool"):
        return "muss ja oder nein sein"
    if kind in {"string_type", "string_unicode"}:
        return "muss ein Text sein"
    if kind == "end_before_start":
        return "darf nicht vor dem Beginn liegen"
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return "ist ungültig"


def _allowed_labels(schema: type[BaseModel], field: str | None) -> str:
    info = schema.model_fields.get(field or "")
    if info is None:
        return "?"
    for candidate in (info.annotation, *get_args(info.annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return ", ".join(getattr(m, "label", m.value) for m in candidate)
    return "?"
