"""Synthetic population of a demo district's kecamatan.

The packaged population table (`wilayah_penduduk_2025`) gives provinces and regencies/cities only:
no kecamatan has a population in the reference data, so in the demo a selection run's fairness
table (money share against population share) showed no population share, and monev's
"Pemerataan antarkecamatan" had nothing to compare the money with.

The demo therefore splits the regency's real 2025 population over its kecamatan: in proportion
to each kecamatan's number of villages, times a factor between 0.6 and 1.4 drawn from the
kecamatan's code (SHA-256, so the same on every machine and independent of the seed).
These are SYNTHETIC DEMO FIGURES, not BPS or Dukcapil data: a real deployment enters the
kecamatan population in the reference data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["PEOPLE_PER_VILLAGE", "district_population"]

# Indonesia's 2025 population over its villages (284,973,643 / 83,762), for a regency without a figure.
PEOPLE_PER_VILLAGE = 3_400


def _factor(code: str) -> float:
    """A stable factor in [0.6, 1.4) from the kecamatan code."""
    value = int.from_bytes(hashlib.sha256(code.encode()).digest()[:4], "big") / 2**32
    return 0.6 + 0.8 * value


def district_population(districts: Sequence[tuple[str, int]], total: int | None) -> dict[str, int]:
    """Synthetic population per kecamatan code from (code, number of villages) pairs.

    With `total` (the people left to share out, e.g. the regency's population) the figures add up
    to it exactly; without, each village counts `PEOPLE_PER_VILLAGE` people. Every kecamatan gets
    at least one person.
    """
    weights = [(code, max(villages, 1) * _factor(code)) for code, villages in sorted(districts)]
    if not weights:
        return {}
    if total is None or total < len(weights):
        return {code: max(1, round(w * PEOPLE_PER_VILLAGE)) for code, w in weights}
    whole = sum(w for _, w in weights)
    figures = {code: max(1, int(total * w / whole)) for code, w in weights}
    # the rounding's remainder to the largest kecamatan, so the figures add up to the total
    largest = max(figures, key=lambda c: (figures[c], c))
    figures[largest] += total - sum(figures.values())
    return figures
