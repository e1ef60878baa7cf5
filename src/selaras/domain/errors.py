"""The project's exception tree: exceptions are for 'cannot continue'.

Every error the project raises on purpose derives from `SelarasError` and has a stable `code`
(one per class, never reused) and `params` (the facts, for programs and for the text). The
domain never writes sentences: the Bahasa Indonesia text is rendered at the edge from one
catalogue (`selaras.web.errors.messages`) keyed by `code`. Edge code that already speaks to a
person (web services) may pass a ready `message`; the catalogue then uses it as it is.

Four families say what went wrong, so the edge maps each to one HTTP status without knowing
individual errors: `InvalidInput` (the request itself is wrong: 400), `NotPermitted` (the user
may not do this: 403), `NotFound` (the thing asked for does not exist: 404) and `Conflict` (the
request is fine but the state forbids it now, e.g. a closed stage or an append-only record: 409).
Errors that callers caught as `ValueError` before joining the tree stay `ValueError`s.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AppendOnly",
    "Conflict",
    "InvalidCode",
    "InvalidEditionFile",
    "InvalidInput",
    "NotFound",
    "NotPermitted",
    "SelarasError",
    "StageClosed",
    "TooManyJobs",
    "TransitionRefused",
]


class SelarasError(Exception):
    """Base of all Selaras errors: a stable `code`, `params`, and an optional ready `message`."""

    code: ClassVar[str] = "error"

    def __init__(self, message: str = "", /, **params: object) -> None:
        super().__init__(message or (f"{self.code} {params}" if params else self.code))
        self.message = message
        self.params = params


class InvalidInput(SelarasError, ValueError):
    """The input cannot be used as given (HTTP 400)."""

    code = "invalid_input"


class NotPermitted(SelarasError):
    """The user may not do this here (HTTP 403)."""

    code = "not_permitted"


class NotFound(SelarasError, LookupError):
    """What was asked for does not exist, or not for this user (HTTP 404)."""

    code = "not_found"


class Conflict(SelarasError):
    """The request is well formed but the current state forbids it (HTTP 409)."""

    code = "conflict"


class InvalidCode(InvalidInput):
    """A region, nomenclature or agency code that breaks its grammar.

    params: `kind` (region/nomenclature/agency label), `code`, `position` (1-based part or None),
    `part`, `reason` (a key of the catalogue's code reasons) and the reason's own numbers.
    """

    code = "invalid_code"


class InvalidEditionFile(InvalidInput):
    """A reference edition file that cannot be loaded (nothing of it is written).

    params: `row` (1-based line or row of the file, 0 for the file as a whole), `column`
    (the column's name, "" when none), `reason` (a key of the catalogue's edition-file reasons)
    and the reason's own facts (`value`, `detail` ...).
    """

    code = "invalid_edition_file"


class TransitionRefused(InvalidInput):
    """A decision the proposal lifecycle does not allow (params: `reason`, stages, outcome)."""

    code = "transition_refused"


class StageClosed(Conflict):
    """The stage's input window is not open (not set, not yet open, or closed)."""

    code = "stage_closed"


class AppendOnly(Conflict):
    """A record kept as history (a decision, a selection result) may not be changed or deleted.

    params: `record` ("decision" or "selection") and `action` ("change" or "delete").
    """

    code = "append_only"


class TooManyJobs(Conflict):
    """The user already has as many background jobs running as allowed (params: `limit`)."""

    code = "too_many_jobs"
