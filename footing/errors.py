"""The one error type that services raise; each interface maps it once (API: JSON)."""

from __future__ import annotations


class FootingError(Exception):
    """A rule said no. `status` is the HTTP status an interface should answer with."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(FootingError):
    status = 404


class Conflict(FootingError):
    status = 409


class Invalid(FootingError):
    status = 422


class Forbidden(FootingError):
    status = 403
