"""The reason of a decision (alasan): what a forum, an agency or Bappeda types to explain it.

Why: the reason is shown to the public on the proposal's page and in the tracker; it had no
limit, so a pasted document of any size was stored. One limit here, said under the field, checked
by the form and again by the service (`services.decide`, `services.resubmit`, the kecamatan's
forwarding), so every caller is held to it. A longer reason is refused, never cut. The decision's
internal note (not public, but stored and shown to officials alike) is held to the same rule.
"""

from __future__ import annotations

from selaras.domain.errors import InvalidInput
from selaras.web.plans.templatetags.selaras_format import format_number

__all__ = ["MAX_REASON", "REASON_HELP", "check_internal_note", "check_reason", "limit_help", "too_long"]

#: Longest reason a person may type (about a page of text).
MAX_REASON = 2_000


def limit_help(limit: int) -> str:
    """A text field's limit as said under the field: 'Paling banyak 2.000 karakter.' (every form)."""
    return f"Paling banyak {format_number(limit)} karakter."


def too_long(length: int, limit: int, name: str = "") -> str:
    """A text `length` characters long refused by its `limit`, both said the Indonesian way (the form
    under its field: 'Terlalu panjang: 2.001 karakter, paling banyak 2.000.'; a service names the
    field: 'Alasan terlalu panjang: ...')."""
    said = f"{name.capitalize()} terlalu panjang" if name else "Terlalu panjang"
    return f"{said}: {format_number(length)} karakter, paling banyak {format_number(limit)}."


#: The limit as said under every reason field.
REASON_HELP = limit_help(MAX_REASON)


def _held(text: str | None, name: str, finding: str) -> str:
    """`text` without surrounding blanks; InvalidInput naming it when longer than `MAX_REASON`."""
    text = (text or "").strip()
    if len(text) > MAX_REASON:
        raise InvalidInput(f"{too_long(len(text), MAX_REASON, name)} Ringkas {name}nya; rincian dapat dimuat di "
                           "berita acara.", finding=finding)
    return text


def check_reason(reason: str | None) -> str:
    """The reason without surrounding blanks; InvalidInput when it is longer than `MAX_REASON`."""
    return _held(reason, "alasan", "reason.too_long")


def check_internal_note(note: str | None) -> str:
    """The decision's internal note, held to the reason's rule (`MAX_REASON`, refused, never cut)."""
    return _held(note, "catatan internal", "internal_note.too_long")
