"""Which HTTP status each family of `SelarasError` gets (the one place that decides it).

400 bad input, 403 refused, 404 missing, 409 conflict or locked stage; an error outside the four
families is treated as bad input. The Bahasa title of each status is here too, for the pages.
"""

from __future__ import annotations

from selaras.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted, SelarasError

__all__ = ["STATUS_BY_FAMILY", "STATUS_TITLES", "status_of"]

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
}


def status_of(error: SelarasError) -> int:
    """The HTTP status of `error` (400 when it belongs to no family)."""
    for family, status in STATUS_BY_FAMILY:
        if isinstance(error, family):
            return status
    return 400
