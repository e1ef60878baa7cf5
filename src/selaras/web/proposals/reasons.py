"""The reason of a decision (alasan): what a forum, an agency or Bappeda types to explain it.

Why: the reason is shown to the public on the proposal's page and in the tracker; it had no
limit, so a pasted document of any size was stored. One limit here, said under the field, checked
by the form and again by the service (`services.decide`, `services.resubmit`, the kecamatan's
forwarding), so every caller is held to it. A longer reason is refused, never cut. The decision's
internal note (not public, but stored and shown to officials alike) is held to the same rule.
"""

from __future__ import annotations

from selaras.domain.errors import InvalidInput

__all__ = ["MAX_REASON", "REASON_HELP", "check_internal_note", "check_reason"]

#: Longest reason a person may type (about a page of text).
MAX_REASON = 2_000


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


#: The limit as said under every reason field.
REASON_HELP = f"Paling banyak {_count(MAX_REASON)} karakter."


def _held(text: str | None, name: str, finding: str) -> str:
    """`text` without surrounding blanks; InvalidInput naming it when longer than `MAX_REASON`."""
    text = (text or "").strip()
    if len(text) > MAX_REASON:
        raise InvalidInput(f"{name.capitalize()} terlalu panjang: {_count(len(text))} karakter, paling banyak "
                           f"{_count(MAX_REASON)}. Ringkas {name}nya; rincian dapat dimuat di berita acara.",
                           finding=finding)
    return text


def check_reason(reason: str | None) -> str:
    """The reason without surrounding blanks; InvalidInput when it is longer than `MAX_REASON`."""
    return _held(reason, "alasan", "reason.too_long")


def check_internal_note(note: str | None) -> str:
    """The decision's internal note, held to the reason's rule (`MAX_REASON`, refused, never cut)."""
    return _held(note, "catatan internal", "internal_note.too_long")
