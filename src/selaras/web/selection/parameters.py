"""Parameters of a selection run: what the planner chooses, and the defaults read from the plans.

A run stores its parameters fully resolved (budget, every agency ceiling, every kecamatan floor,
weights, locus villages ...), so that it can be read, compared and rerun without the plans as
they were on that day.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from selaras.domain.errors import InvalidInput
from selaras.domain.proposals import Channel, ProposalStatus
from selaras.domain.selection import Utility
from selaras.engines.scoring import (
    DEFAULT_WEIGHTS,
    SPM_SECTOR_PREFIXES,
    Criterion,
    normalise_weights,
)
from selaras.engines.selection.ballots import DEFAULT_SUPPORTER_WEIGHTS
from selaras.engines.selection.model import MONEY_LIMIT
from selaras.engines.selection.variants import PRESET_TEXTS
from selaras.web.plans.models import AgencyAnnualPlan, AnnualPlan, LocalGovernment, PriorityProgram

__all__ = [
    "CRITERION_LABELS",
    "PRESET_LABELS",
    "SUPPORTER_LABELS",
    "SUPPORTER_KINDS",
    "MAX_SUPPORTER_WEIGHT",
    "DEFAULT_STATUSES",
    "RunParameters",
    "resolve",
    "unknown_villages",
    "check_locus_villages",
]

CRITERION_LABELS: dict[str, str] = {
    Criterion.URGENCY.value: "Urgensi (peringkat prioritas dari forum)",
    Criterion.PRIORITY_PROGRAM.value: "Kesesuaian dengan program prioritas RKPD/RPJMD",
    Criterion.SPM.value: "Standar Pelayanan Minimal (SPM)",
    Criterion.LOCUS.value: "Desa lokus stunting/kemiskinan",
    Criterion.BENEFICIARIES.value: "Perkiraan penerima manfaat (jumlah penduduk lokasi)",
    Criterion.COST.value: "Biaya (lebih murah lebih baik)",
}

#: Who supports a proposal (voters of the selection rules) and their default weight.
#: (The kinds and what each supports are the ballot rules: `selaras.engines.selection.ballots`.)
SUPPORTER_KINDS: dict[str, int] = dict(DEFAULT_SUPPORTER_WEIGHTS)
SUPPORTER_LABELS: dict[str, str] = {
    "village_forum": "Musrenbang Desa/Kelurahan lokasi usulan",
    "district_forum": "Musrenbang Kecamatan lokasi usulan",
    "councillor": "Anggota DPRD pengusul (Pokir)",
    "agency": "Perangkat daerah pengusul (Pra-Renja)",
}

#: Proposals in these statuses compete; the others are listed as not eligible.
DEFAULT_STATUSES: tuple[str, ...] = (ProposalStatus.IN_REVIEW.value, ProposalStatus.ACCEPTED.value)

#: The Equal Shares variants (`engines.selection.variants.PRESETS`, identifiers unchanged) by what
#: each does: the engine's one table (`PRESET_TEXTS`), which the command line says too.
PRESET_LABELS: dict[str, str] = PRESET_TEXTS

FLOOR_SPREAD_CHOICES = [("population", "Sebanding jumlah penduduk kecamatan"), ("equal", "Sama rata")]
FLOOR_SPREADS = tuple(key for key, _ in FLOOR_SPREAD_CHOICES)


@dataclass
class RunParameters:
    """What a run is asked to do. `None` means "take the default from the plans"."""

    budget: int | None = None  # default: the RKPD's regional ceiling (pagu indikatif daerah)
    channels: list[str] = field(default_factory=lambda: [c.value for c in Channel])
    statuses: list[str] = field(default_factory=lambda: list(DEFAULT_STATUSES))
    weights: dict[str, float] = field(default_factory=lambda: {k.value: v for k, v in DEFAULT_WEIGHTS.items()})
    supporter_weights: dict[str, int] = field(default_factory=lambda: dict(SUPPORTER_KINDS))
    ceilings: dict[str, int] | None = None  # agency code -> rupiah; default: Renja ceilings
    ceiling_scale_percent: float = 100.0  # applied to the default (Renja) ceilings only
    floors: dict[str, int] | None = None  # kecamatan code -> rupiah; default: share of the budget
    floor_share_percent: float = 5.0
    floor_spread: str = "population"  # "population" or "equal"
    locus_villages: list[str] = field(default_factory=list)
    spm_prefixes: list[str] = field(default_factory=lambda: list(SPM_SECTOR_PREFIXES))
    priority_programs: list[str] | None = None  # default: the RKPD's priority programs
    require_agency: bool = True
    utility: str = Utility.COST.value

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> RunParameters:
        known = {f for f in RunParameters.__dataclass_fields__}
        return RunParameters(**{k: v for k, v in data.items() if k in known})

    def with_changes(self, **changes: Any) -> RunParameters:
        return replace(self, **changes)


#: the agency ceilings may be scaled up to ten times their Renja amounts
MAX_CEILING_SCALE = 1000
TOO_MUCH_MONEY = "{what} terlalu besar: harus di bawah 4,6 juta triliun rupiah"
#: the largest weight of a kind of supporter (a weight is a whole number of votes per supporter; a
#: larger one overflowed the ballots and the job failed without saying why)
MAX_SUPPORTER_WEIGHT = 1_000_000


def _check(params: RunParameters) -> None:
    normalise_weights(params.weights)  # its ScoringInputError (an InvalidInput) keeps its own code
    unknown = set(params.supporter_weights) - set(SUPPORTER_KINDS)
    if unknown:
        raise InvalidInput(f"jenis pendukung tidak dikenal: {', '.join(sorted(unknown))}")
    if any(int(w) < 0 for w in params.supporter_weights.values()):
        raise InvalidInput("bobot pendukung harus bilangan bulat tidak negatif")
    if any(int(w) > MAX_SUPPORTER_WEIGHT for w in params.supporter_weights.values()):
        raise InvalidInput(f"bobot pendukung paling besar {MAX_SUPPORTER_WEIGHT:,}".replace(",", "."))
    bad = set(params.channels) - {c.value for c in Channel}
    if bad:
        raise InvalidInput(f"jalur tidak dikenal: {', '.join(sorted(bad))}")
    if not params.channels:
        raise InvalidInput("pilih paling sedikit satu jalur usulan")
    if params.floor_spread not in FLOOR_SPREADS:
        raise InvalidInput("sebaran batas bawah harus 'population' atau 'equal'")
    if not 0 <= params.floor_share_percent <= 100:
        raise InvalidInput("porsi batas bawah kecamatan harus 0-100 persen")
    if not math.isfinite(params.ceiling_scale_percent) or not 0 <= params.ceiling_scale_percent <= MAX_CEILING_SCALE:
        raise InvalidInput(f"skala pagu harus antara 0 dan {MAX_CEILING_SCALE:,} persen".replace(",", "."))
    if params.budget is not None and params.budget < 0:
        raise InvalidInput("anggaran tidak boleh negatif")
    if params.budget is not None and params.budget >= MONEY_LIMIT:
        raise InvalidInput(TOO_MUCH_MONEY.format(what="anggaran"))
    for mapping, what in ((params.ceilings, "pagu"), (params.floors, "batas bawah")):
        for key, value in (mapping or {}).items():
            if value is not None and int(value) < 0:
                raise InvalidInput(f"{what} {key} tidak boleh negatif")
            if value is not None and int(value) >= MONEY_LIMIT:
                raise InvalidInput(TOO_MUCH_MONEY.format(what=f"{what} {key}"))
    Utility(params.utility)


def unknown_villages(government: LocalGovernment, codes: list[str]) -> list[str]:
    """The codes among `codes` that are not a village (desa/kelurahan) of `government` in its region
    edition, in the order given (each once)."""
    from selaras.web.reference.models import Region

    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not wanted:
        return []
    prefix = government.region_code + "."
    known = set(Region.objects.filter(edition=government.region_edition, level=4, code__in=wanted,
                                      code__startswith=prefix).values_list("code", flat=True))
    return [c for c in wanted if c not in known]


def check_locus_villages(government: LocalGovernment, codes: list[str]) -> None:
    """Refuse locus village codes that are not villages of the government (InvalidInput, in Bahasa)."""
    bad = unknown_villages(government, codes)
    if bad:
        shown = ", ".join(bad[:20]) + (f" dan {len(bad) - 20} lainnya" if len(bad) > 20 else "")
        raise InvalidInput(f"kode berikut bukan kode desa/kelurahan {government.name} "
                           f"(edisi kode wilayah {government.region_edition}): {shown}")


def resolve(
    government: LocalGovernment, year: int, params: RunParameters, district_codes: list[str]
) -> RunParameters:
    """Fill every default from the plans: budget, agency ceilings, kecamatan floors, programs.

    `district_codes` are the kecamatan that appear among the proposals (floors are spread over
    them). Ceilings given explicitly are kept as they are; missing agencies get no ceiling.
    """
    _check(params)
    rkpd = AnnualPlan.objects.filter(government=government, year=year).first()
    budget = params.budget
    if budget is None:
        budget = int(rkpd.ceiling) if rkpd is not None else 0
    ceilings = params.ceilings
    if ceilings is None:
        scale = params.ceiling_scale_percent / 100.0
        rows = AgencyAnnualPlan.objects.filter(rkpd=rkpd).values_list("agency__code", "ceiling") if rkpd else []
        ceilings = {code: int(int(ceiling) * scale) for code, ceiling in rows}
    ceilings = {str(k): int(v) for k, v in ceilings.items() if v is not None}
    programs = params.priority_programs
    if programs is None:
        programs = sorted(
            PriorityProgram.objects.filter(rkpd=rkpd).values_list("code", flat=True)) if rkpd else []
    floors = params.floors
    if floors is None:
        floors = _default_floors(government, budget, params, district_codes)
    floors = {str(k): int(v) for k, v in floors.items() if v is not None}
    return params.with_changes(
        budget=int(budget), ceilings=dict(sorted(ceilings.items())), floors=dict(sorted(floors.items())),
        priority_programs=list(programs),
        locus_villages=sorted({v.strip() for v in params.locus_villages if v.strip()}),
        supporter_weights={k: int(params.supporter_weights.get(k, 0)) for k in SUPPORTER_KINDS},
        weights={k.value: float(params.weights.get(k.value, 0.0)) for k in Criterion},
    )


def _default_floors(
    government: LocalGovernment, budget: int, params: RunParameters, district_codes: list[str]
) -> dict[str, int]:
    codes = sorted({c for c in district_codes if c})
    total = int(budget * params.floor_share_percent / 100.0)
    if not codes or total <= 0:
        return {}
    shares = [1.0] * len(codes)
    if params.floor_spread == "population":
        from selaras.web.reference.models import Region

        population = dict(
            Region.objects.filter(edition=government.region_edition, code__in=codes)
            .values_list("code", "population"))
        known = [float(population.get(c) or 0) for c in codes]
        if sum(known) > 0:
            shares = known
    weight_sum = sum(shares)
    return {c: int(total * s / weight_sum) for c, s in zip(codes, shares, strict=True)}
