"""Domain exceptions. Services raise them; one set of handlers in create_app() turns them into responses."""

from __future__ import annotations


class ForumError(Exception):
    """Base class: carries a message a user can read."""

    status_code = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(ForumError):
    status_code = 403


class NotFound(ForumError):
    status_code = 404


class InvalidTransition(ForumError):
    status_code = 409


class StaleObject(ForumError):
    status_code = 409


class ValidationFailed(ForumError):
    """Rules the form cannot see: `errors` maps a field name (or "" for the whole form) to a message."""

    status_code = 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
