"""Write a generated demo district (`selaras.demo`) into the database in one transaction, and
remove one again.

Plans go through `bulk_create`; proposals and decisions through the product's bulk writer
(`selaras.web.proposals.bulk`), so they carry the same numbers and audit rows as entered ones.
Then the known sinkronisasi flaws are planted (`selaras.web.demo.flaws`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models, transaction

from selaras.demo.model import DemoDistrict
from selaras.domain.errors import NotFound
from selaras.web.demo.flaws import inject_known_flaws
from selaras.web.demo.plans import write_plans
from selaras.web.demo.population import fill_district_population
from selaras.web.demo.proposals import write_proposals
from selaras.web.demo.realisation import write_realisation
from selaras.web.plans.models import LocalGovernment
from selaras.web.plans.selectors import government_by_code
from selaras.web.proposals.bulk import sqlite_cache
from selaras.web.proposals.models import Decision, Proposal

__all__ = ["Progress", "delete_district", "demo_government", "load_district"]

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total)."""

SQLITE_CACHE_KIB = 262_144  # 256 MiB: 160,000 rows into a dozen indexes


def demo_government(region_code: str, region_edition: str | None = None) -> LocalGovernment | None:
    """The government of `region_code` if one is in the database (with agencies: a loaded district),
    picked like every other command (`government_by_code`)."""
    try:
        return government_by_code(region_code, region_edition)
    except NotFound:
        return None


def load_district(district: DemoDistrict, progress: Progress | None = None) -> LocalGovernment:
    """Write every record of `district`; returns the new `LocalGovernment`."""
    report = progress or (lambda stage, done, total: None)
    with transaction.atomic(), sqlite_cache(SQLITE_CACHE_KIB):
        government = LocalGovernment.objects.create(
            region_code=district.region_code, region_edition=district.region_edition,
            name=district.region_name, level=district.level,
            nomenclature_edition=district.nomenclature_edition,
        )
        fill_district_population(government)  # synthetic kecamatan figures: the reference data has none
        plans = write_plans(government, district, report)
        write_proposals(government, district, plans, report)
        report("cacat", 0, 1)
        inject_known_flaws(government, district.seed)
        report("cacat", 1, 1)
        write_realisation(government, district, report)
    return government


def delete_district(government: LocalGovernment) -> None:
    """Remove a demo district with everything in it, to load a new one in its place.

    The decision log is append-only in the product; replacing a demo district is the one place
    that removes it, through the one named way to do so (`Decision.objects.purge_government`).
    """
    with transaction.atomic():
        Decision.objects.purge_government(government)
        proposals: Any = Proposal.objects.filter(government=government)
        for relation in Proposal._meta.related_objects:  # e.g. selection outcomes of the proposals
            if relation.related_model is Decision or not relation.field.concrete:
                continue
            related: Any = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": proposals.values("pk")})
            if relation.on_delete is models.SET_NULL:
                related.update(**{relation.field.name: None})
            else:
                related.delete()
        Proposal.history.filter(government_id=government.pk).delete()
        proposals._raw_delete(proposals.db)
        government.delete()
