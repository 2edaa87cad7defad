"""Errors users can act on: German messages that name the field."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str | None
    message: str


class DomainError(Exception):
    """A command refused; every message is German and names the field where there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.errors: list[FieldError] = [FieldError(field, message)]
        super().__init__(message)

    @classmethod
    def many(cls, errors: list[FieldError]) -> "DomainError":
        error = cls(" ".join(e.message for e in errors), errors[0].field if errors else None)
        error.errors = list(errors)
        return error

    @property
    def field(self) -> str | None:
        return self.errors[0].field

    @property
    def message(self) -> str:
        return str(self)


class NotFoundError(DomainError):
    """The record a command refers to does not exist."""


class ConflictError(DomainError):
    """Someone else saved the record since it was loaded."""


class PermissionDeniedError(DomainError):
    """The actor's role or assignments do not allow this command; nothing was written."""
