"""`generate_district`: a deterministic, believable planning cycle for any regency or city.

Determinism: every random draw comes from `random.Random` instances seeded with a string made of
the seed, region code and scale (string seeds are hashed with SHA-512, so they do not depend on
PYTHONHASHSEED); iteration is always over sorted sequences, never over sets; no clock is read.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from functools import lru_cache

from selaras.demo.codes import CodeIndex, region_slice
from selaras.demo.duplicates import plant_duplicates
from selaras.demo.fitting import fit_budgets, serve_all_objectives
from selaras.demo.model import DemoDistrict, Scale
from selaras.demo.plans import make_agencies, make_renstras, make_rkpd, make_rpjmd, make_rpjpd
from selaras.demo.proposals import ProposalBuilder, make_councillors
from selaras.demo.regional import (
    budget_factor,
    fit_scale,
    refuse_without_council,
    regional_agencies,
    regional_words,
    scale_renstra_budgets,
)
from selaras.domain.plans import GovernmentLevel
from selaras.reference import (
    NOMENCLATURE_EDITION,
    REGION_EDITION,
    NomenclatureRecord,
    RegionRecord,
    read_nomenclature,
    read_regions,
)

__all__ = ["SCALES", "generate_district"]

SCALES: dict[str, Scale] = {
    # One real regency's cycle (Kabupaten Bekasi, RKPD 2021): 9,946 / 9,883 / 143,101 proposals;
    # other districts get counts in proportion to their population (selaras.demo.regional).
    "bekasi": Scale(
        name="bekasi", sector_agencies=None, district_offices=None, village_proposals=9_946,
        pokir_proposals=9_883, agency_draft_proposals=143_101, councillors=50, sub_activities_per_agency=36,
    ),
    # Small enough for fast tests: 6 agencies + 2 kecamatan offices, a few hundred proposals.
    "small": Scale(
        name="small", sector_agencies=6, district_offices=2, village_proposals=240, pokir_proposals=60,
        agency_draft_proposals=300, councillors=8, sub_activities_per_agency=8,
    ),
}


@lru_cache(maxsize=1)
def _packaged() -> tuple[tuple[RegionRecord, ...], tuple[NomenclatureRecord, ...]]:
    """The packaged reference records, read once per process (they never change at run time)."""
    return tuple(read_regions()), tuple(read_nomenclature())


def generate_district(
    region_code: str,
    scale: str | Scale = "bekasi",
    seed: int = 2025,
    regions: Iterable[RegionRecord] | None = None,
    nomenclature: Iterable[NomenclatureRecord] | None = None,
) -> DemoDistrict:
    """Build a full demo cycle (agencies, RPJMD, Renstra, RKPD/Renja, proposals) for a regency/city.

    At the full ("bekasi") scale, counts and budgets follow the district's population, and cities
    get city agencies and wording (`selaras.demo.regional`).

    Raises `UnknownRegionError` (a `ValueError`) when `region_code` is not a regency or city of the
    packaged region edition or is one of Jakarta's administrative areas (no council, no budget of
    their own), and `KeyError` for an unknown scale name.
    """
    spec = scale if isinstance(scale, Scale) else SCALES[scale]
    region = region_slice(region_code, regions if regions is not None else _packaged()[0])
    refuse_without_council(region)
    words = regional_words(region)
    codes = CodeIndex(nomenclature if nomenclature is not None else _packaged()[1],
                      without_word="desa" if words.city else "")

    def rng(part: str) -> random.Random:
        return random.Random(f"selaras-demo:{seed}:{region.code}:{spec.name}:{part}")

    agencies = regional_agencies(make_agencies(region, spec), region)
    fitted = fit_scale(spec, region, len(agencies))
    rpjmd = make_rpjmd(rng("rpjmd"), region)
    renstras = make_renstras(rng("renstra"), agencies, rpjmd, codes, spec)
    if fitted is not spec and region.population:  # budgets follow the population as the counts do
        renstras = scale_renstra_budgets(renstras, budget_factor(region.population))
    spec = fitted
    renstras = serve_all_objectives(renstras, agencies, rpjmd)
    rkpd = make_rkpd(rng("rkpd"), region, agencies, renstras)

    office_districts = {a.district_code for a in agencies if a.district_code}
    villages = region.villages
    if spec.district_offices is not None:  # a small district keeps to the kecamatan it has offices for
        villages = tuple(v for v in villages if v[3] in office_districts)
    councillors = make_councillors(rng("councillors"), region, spec.councillors)
    builder = ProposalBuilder(rng("proposals"), region, villages, agencies, renstras, codes, words)
    builder.village_musrenbang(spec.village_proposals)
    builder.pokir(spec.pokir_proposals, councillors)
    builder.agency_drafts(spec.agency_draft_proposals)
    proposals, decisions = builder.finish()
    places = {v[0]: (f"{words.village_head(v[2])} {v[1]}", f"{words.village_label(v[2])} {v[1]}") for v in villages}
    truth = plant_duplicates(rng("duplicates"), proposals, decisions, builder.copied, places=places)
    # the plans fit what was accepted: the district is clean before flaws are planted on purpose
    rkpd, renstras = fit_budgets(rkpd, renstras, agencies, proposals, decisions)

    return DemoDistrict(
        region_code=region.code, region_name=region.name,
        level=(GovernmentLevel.CITY if region.kind == "kota" else GovernmentLevel.REGENCY).value,
        province_code=region.province_code, province_name=region.province_name, seed=seed, scale=spec,
        region_edition=REGION_EDITION.key, nomenclature_edition=NOMENCLATURE_EDITION.key,
        agencies=agencies, long_term_plan=make_rpjpd(region), rpjmd=rpjmd, renstras=renstras, rkpd=rkpd,
        councillors=councillors, proposals=proposals, decisions=decisions, duplicate_truth=truth,
        district_codes=tuple(sorted({v[3] for v in villages})), village_codes=tuple(v[0] for v in villages),
    )
