"""Counts of what the database holds (used by `selaras stats` and the API)."""

from __future__ import annotations

from django.db.models import Count

from selaras.web.plans.models import Agency, LocalGovernment, RenjaLine, RenstraLine
from selaras.web.proposals.models import Proposal
from selaras.web.reference.models import NomenclatureItem, Region

REGION_LEVELS = {1: "provinces", 2: "regencies_cities", 3: "districts", 4: "villages"}
NOMENCLATURE_LEVELS = ["affair", "sector", "program", "activity", "sub_activity"]


def collect_stats() -> dict[str, object]:
    regions = dict(Region.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    nomenclature = dict(
        NomenclatureItem.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    channels = dict(Proposal.objects.values_list("channel").annotate(n=Count("id")).values_list("channel", "n"))
    return {
        "regions": {name: regions.get(level, 0) for level, name in REGION_LEVELS.items()},
        "nomenclature": {level: nomenclature.get(level, 0) for level in NOMENCLATURE_LEVELS},
        "governments": LocalGovernment.objects.count(),
        "agencies": Agency.objects.count(),
        "plan_lines": {"renstra": RenstraLine.objects.count(), "renja": RenjaLine.objects.count()},
        "proposals": {"total": sum(channels.values()), **dict(sorted(channels.items()))},
    }
