"""Money rules: Renja and RKPD within their ceilings, Renja against Renstra, kecamatan share."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from selaras.domain.findings import Location, Severity
from selaras.engines.alignment.index import PlanIndex, ref
from selaras.engines.alignment.registry import AlignmentConfig, Hit, rule


@rule("money.renja_over_ceiling", Severity.ERROR,
      "A Renja's lines add up to more than the agency's indicative ceiling.")
def renja_over_ceiling(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for renja in sorted(ix.plan.renjas, key=lambda r: r.id):
        total = sum(line.budget for line in ix.renja_lines_of.get(renja.id, []))
        if renja.ceiling > 0 and total > renja.ceiling:
            yield (Location(document=ix.renja_document(renja.id), line=ref("renja", renja.id), year=ix.year),
                   {"agency": ix.agency_code(renja.agency_id), "total": total, "ceiling": renja.ceiling,
                    "excess": total - renja.ceiling})


@rule("money.rkpd_over_ceiling", Severity.ERROR,
      "All Renja lines of the year add up to more than the regional ceiling of the RKPD.")
def rkpd_over_ceiling(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    rkpd = ix.plan.rkpd
    if rkpd is None or rkpd.ceiling <= 0:
        return
    total = sum(line.budget for line in ix.plan.renja_lines)
    if total > rkpd.ceiling:
        yield (Location(document=ix.rkpd_document(), line=ref("rkpd", rkpd.id), year=ix.year),
               {"agency": "", "total": total, "ceiling": rkpd.ceiling, "excess": total - rkpd.ceiling})


@rule("money.renja_over_renstra_budget", Severity.WARNING,
      "A Renja line's budget exceeds its Renstra line's indicative budget for the year.")
def renja_over_renstra_budget(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    factor = 1 + config.renstra_budget_tolerance
    for line in sorted(ix.plan.renja_lines, key=lambda x: x.id):
        renstra_line = ix.renstra_line_of_renja_line(line)
        if renstra_line is None or renstra_line.code != line.code:
            continue
        entry = renstra_line.year(ix.year)
        if entry is None:
            continue
        if Decimal(line.budget) > Decimal(entry.budget) * factor:
            agency = ix.agency_of_renja_line(line)
            yield (ix.renja_line_location(line),
                   {"agency": agency.code if agency else "", "budget": line.budget,
                    "renstra_budget": entry.budget, "renstra_line": renstra_line.id})


@rule("money.district_share_below_minimum", Severity.WARNING,
      "The share of the year's budget managed by kecamatan is below the configured minimum.")
def district_share_below_minimum(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    total = 0
    managed = 0
    for line in ix.plan.renja_lines:
        total += line.budget
        agency = ix.agency_of_renja_line(line)
        if line.district_code or (agency is not None and agency.district_code):
            managed += line.budget
    if total <= 0:
        return
    share = Decimal(managed) / Decimal(total)
    if share < config.min_district_share:
        rkpd = ix.plan.rkpd
        yield (Location(document=ix.rkpd_document(), line=ref("rkpd", rkpd.id) if rkpd else "", year=ix.year),
               {"agency": "", "managed": managed, "total": total,
                "share": str(round(share * 100, 2)), "minimum": str(round(config.min_district_share * 100, 2))})
