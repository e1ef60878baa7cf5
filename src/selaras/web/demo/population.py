"""Give a demo district's kecamatan a population where the reference data has none.

The figures are SYNTHETIC DEMO FIGURES (`selaras.demo.population`): the packaged reference data
has population for provinces and regencies only. Kecamatan that already have a population keep
it; the regency's population less theirs is shared out over the others.
"""

from __future__ import annotations

from selaras.demo.population import district_population
from selaras.web.plans.models import LocalGovernment
from selaras.web.reference.models import Region

__all__ = ["fill_district_population"]

DISTRICT_LEVEL = 3


def fill_district_population(government: LocalGovernment) -> int:
    """Write a synthetic population on the government's kecamatan without one; the rows written."""
    edition, code = government.region_edition, government.region_code
    districts = list(Region.objects.filter(edition=edition, level=DISTRICT_LEVEL, code__startswith=f"{code}.")
                     .only("pk", "code", "village_count", "population", "population_synthetic"))
    missing = [d for d in districts if d.population is None]
    if not missing:
        return 0
    regency = Region.objects.filter(edition=edition, code=code).values_list("population", flat=True).first()
    known = sum(d.population or 0 for d in districts)
    left = regency - known if regency is not None and regency > known else None
    figures = district_population([(d.code, d.village_count) for d in missing], left)
    for d in missing:
        d.population = figures[d.code]
        d.population_synthetic = True
    Region.objects.bulk_update(missing, ["population", "population_synthetic"])
    return len(missing)
