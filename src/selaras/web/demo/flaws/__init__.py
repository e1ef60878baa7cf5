"""Known inconsistencies planted in a demo district so the sinkronisasi check has something to find.

Called by the demo loader after the district is loaded. Each flaw touches objects no other flaw
touches and that carry no accepted proposal, so that it produces exactly the finding it announces
and nothing else. What is planted is recorded (`PlantedFlaw`) and returned as a list of dicts:
`code` (the rule), `line` (the location reference the finding carries, e.g. `renja_line:42`),
`year` (the location's year or None), `agency` (agency code or "") and `what` (a sentence in
Bahasa Indonesia for the demo guide). The product never shows them: tests and benchmarks compare
them with the findings.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from selaras.web.demo.flaws.cascade import plant_cascade_flaws
from selaras.web.demo.flaws.codes import plant_code_flaws, plant_edition_flaws
from selaras.web.demo.flaws.money import plant_money_flaws, plant_proposal_flaws
from selaras.web.demo.flaws.planter import Planted, Planter, start_planting
from selaras.web.demo.flaws.targets import plant_range_flaws, plant_target_flaws
from selaras.web.demo.models import PlantedFlaw

__all__ = ["inject_known_flaws", "planted_flaws", "planted_key"]


def planted_key(item: Planted) -> tuple[str, str, int | None]:
    """What a planted flaw and its finding have in common: (rule code, line reference, year)."""
    year = item.get("year")
    return str(item["code"]), str(item["line"]), int(str(year)) if year is not None else None


def inject_known_flaws(government: Any, seed: int) -> list[dict[str, object]]:
    """Plant the documented flaws in `government`'s plans; return what was planted."""
    planter = start_planting(government, seed)
    if planter is None:
        return []
    with transaction.atomic():
        plant_cascade_flaws(planter)
        plant_code_flaws(planter)
        plant_target_flaws(planter)
        plant_money_flaws(planter)
        plant_proposal_flaws(planter)
        # Added later: planted last so that the flaws above keep the picks they always had.
        plant_edition_flaws(planter)
        plant_range_flaws(planter)
        _record(planter)
    return sorted(planter.planted, key=lambda p: (str(p["code"]), str(p["line"])))


def _record(p: Planter) -> None:
    PlantedFlaw.objects.filter(government=p.government).delete()
    PlantedFlaw.objects.bulk_create([
        PlantedFlaw(government=p.government, code=str(item["code"]), line=str(item["line"]),
                    year=item["year"], agency=str(item["agency"]), what=str(item["what"]))  # type: ignore[misc]
        for item in p.planted])


def planted_flaws(government: Any) -> list[dict[str, object]]:
    """The flaws planted in a demo district (empty for a real government)."""
    return [{"code": code, "line": line, "year": year, "agency": agency, "what": what}
            for code, line, year, agency, what in PlantedFlaw.objects.filter(government=government)
            .order_by("code", "line").values_list("code", "line", "year", "agency", "what")]
