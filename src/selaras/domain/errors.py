"""The project's exception tree: exceptions are for 'cannot continue'."""

from __future__ import annotations

__all__ = ["SelarasError", "InvalidCode", "NotPermitted", "StageClosed", "InvalidInput"]


class SelarasError(Exception):
    """Base of all Selaras errors. `code` is stable; `message` is Bahasa Indonesia."""

    code = "error"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class InvalidCode(SelarasError, ValueError):
    code = "invalid_code"


class NotPermitted(SelarasError):
    code = "not_permitted"


class StageClosed(SelarasError):
    code = "stage_closed"


class InvalidInput(SelarasError, ValueError):
    code = "invalid_input"
