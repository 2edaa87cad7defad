"""Schema validation with German messages naming the field."""

import unicodedata
from datetime import date
from enum import Enum
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from models.base import DATE_MAX, DATE_MIN, multiline
from services.errors import DomainError, FieldError
from services.periods import format_date

SchemaT = TypeVar("SchemaT", bound=BaseModel)

# Control characters (C0, C1, DEL), invisible format characters (zero-width spaces, joiners,
# bidirectional overrides, the byte order mark, soft hyphens) and lone surrogates: none
# belongs in office text, some hide or reorder what a reader sees, and PostgreSQL refuses NUL.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
_LINE_BREAKS = frozenset({"Zl", "Zp"})


def validate(schema: type[SchemaT], data: BaseModel | dict[str, Any]) -> SchemaT:
    """Clean the texts of `data`, validate it against `schema`; German field messages."""
    if isinstance(data, BaseModel):
        data = data.model_dump(exclude_unset=True)
    try:
        return schema.model_validate(_cleaned(schema, data))
    except ValidationError as exc:
        raise DomainError.many([_field_error(schema, err) for err in exc.errors()]) from None


def clean_text(text: str, *, multiline: bool = False) -> str | None:
    """Text as stored: no control or invisible characters, NFC, trimmed; None when empty.

    Multi-line texts keep line breaks and tabs; in a single-line text they become spaces.
    """
    if text.isprintable():  # the usual case, checked in C: nothing to remove
        cleaned = text
    else:
        kept = []
        for char in text.replace("\r\n", "\n").replace("\r", "\n"):
            category = unicodedata.category(char)
            if char in "\n\t" or category in _LINE_BREAKS:
                kept.append(("\t" if char == "\t" else "\n") if multiline else " ")
            elif category not in _INVISIBLE:
                kept.append(char)
        cleaned = "".join(kept)
    return unicodedata.normalize("NFC", cleaned).strip() or None


def _cleaned(schema: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    for name, value in data.items():
        info = schema.model_fields.get(name)
        if info is None or not isinstance(value, str):
            continue
        limit = _max_length(info)
        if limit is not None and len(value) > 4 * limit:
            continue  # far too long in any case: the length check refuses it without a scan
        cleaned[name] = clean_text(value, multiline=multiline(info))
    return cleaned


def _max_length(info: Any) -> int | None:
    return next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)


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
        return f"muss mindestens {ctx.get('min_length')} Zeichen lang sein"
    if kind == "string_too_long":
        return f"darf höchstens {ctx.get('max_length')} Zeichen lang sein"
    if kind == "string_pattern_mismatch":
        return "hat kein gültiges Format"
    if kind == "enum":
        return f"muss einer dieser Werte sein: {_allowed_labels(schema, field)}"
    if kind == "int_parsing_size":
        return "ist zu groß"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "muss eine ganze Zahl sein"
    if kind in {"greater_than_equal", "less_than_equal"} and _is_date(schema, field):
        return f"muss zwischen dem {format_date(DATE_MIN)} und dem {format_date(DATE_MAX)} liegen"
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


def _is_date(schema: type[BaseModel], field: str | None) -> bool:
    info = schema.model_fields.get(field or "")
    bounds = [getattr(m, "ge", None) for m in info.metadata] if info else []
    return any(isinstance(bound, date) for bound in bounds)


def _allowed_labels(schema: type[BaseModel], field: str | None) -> str:
    info = schema.model_fields.get(field or "")
    if info is None:
        return "?"
    for candidate in (info.annotation, *get_args(info.annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return ", ".join(getattr(m, "label", m.value) for m in candidate)
    return "?"
