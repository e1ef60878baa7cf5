"""The reason of a decision (alasan): what a forum, an agency or Bappeda types to explain it.

Why: the reason is shown to the public on the proposal's page and in the tracker; it had no
limit, so a pasted document of any size was stored. One limit here, said under the field, checked
by the form and again by the service (`services.decide`, `services.resubmit`, the kecamatan's
forwarding), so every caller is held to it. A longer reason is refused, never cut.
"""

from __future__ import annotations

from selaras.domain.errors import InvalidInput

__all__ = ["MAX_REASON", "REASON_HELP", "check_reason"]

#: Longest reason a person may type (about a page of text).
MAX_REASON = 2_000


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


#: The limit as said under every reason field.
REASON_HELP = f"Paling banyak {_count(MAX_REASON)} karakter."


def check_reason(reason: str | None) -> str:
    """The reason without surrounding blanks; InvalidInput when it is longer than `MAX_REASON`."""
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise InvalidInput(f"Alasan terlalu panjang: {_count(len(text))} karakter, paling banyak "
                           f"{_count(MAX_REASON)}. Ringkas alasannya; rincian dapat dimuat di berita acara.",
                           finding="reason.too_long")
    return text
