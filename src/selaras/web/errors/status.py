"""Which HTTP status each family of `SelarasError` gets (the one place that decides it).

400 bad input, 403 refused, 404 missing, 409 conflict or locked stage; an error outside the four
families is treated as bad input. The Bahasa title of each status is here too, for the pages.
A database lock that is still held when the wait ends (SQLite "database is locked", a PostgreSQL
lock timeout or deadlock) is not a bug of the request: 503 with `Retry-After`, "coba lagi".
"""

from __future__ import annotations

from selaras.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted, SelarasError

__all__ = ["BUSY_CODE", "BUSY_RETRY_AFTER", "STATUS_BY_FAMILY", "STATUS_TITLES", "is_database_busy", "status_of"]

#: Checked in order; the first family the error belongs to decides.
STATUS_BY_FAMILY: tuple[tuple[type[SelarasError], int], ...] = (
    (NotFound, 404),
    (NotPermitted, 403),
    (Conflict, 409),
    (InvalidInput, 400),
)

STATUS_TITLES: dict[int, str] = {
    400: "Isian tidak dapat diproses",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    409: "Belum dapat dijalankan",
    503: "Layanan sedang sibuk",
}

#: The code (text in messages.ERROR_TEXTS) and `Retry-After` seconds of a busy database.
BUSY_CODE = "database_busy"
BUSY_RETRY_AFTER = 5
_BUSY_MARKERS = ("database is locked", "database table is locked", "lock timeout", "deadlock detected")


def is_database_busy(exception: BaseException) -> bool:
    """Whether `exception` is a database lock that timed out (answer 503, not 500)."""
    from django.db import OperationalError

    return isinstance(exception, OperationalError) and any(m in str(exception).lower() for m in _BUSY_MARKERS)


def status_of(error: SelarasError) -> int:
    """The HTTP status of `error` (400 when it belongs to no family)."""
    for family, status in STATUS_BY_FAMILY:
        if isinstance(error, family):
            return status
    return 400
