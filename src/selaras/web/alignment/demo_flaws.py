"""Known inconsistencies planted in the demo district so the alignment check has something to find.

Owned by the alignment area; called by the demo loader after the district is loaded.
"""

from __future__ import annotations

from typing import Any


def inject_known_flaws(government: Any, seed: int) -> list[dict[str, object]]:
    """Plant the documented flaws in `government`'s plans; return what was planted."""
    return []
