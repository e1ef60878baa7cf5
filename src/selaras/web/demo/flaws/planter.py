"""What every family of planted flaws shares: the seeded chooser, the list of what was planted,
and the Renja lines still free to spoil (each flaw touches objects no other flaw touches)."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any, TypeVar

from selaras.domain.proposals import ProposalStatus
from selaras.web.alignment.snapshot import rpjmd_for
from selaras.web.plans.models import AnnualPlan, MediumTermPlan, RenjaLine
from selaras.web.proposals.models import Proposal
from selaras.web.reference.models import NomenclatureItem

Planted = dict[str, object]
T = TypeVar("T")


class Planter:
    """The state of one planting run over one government: its latest RKPD and the RPJMD of that
    year, a random generator seeded by the demo seed and the region (same seed, same flaws) and
    what was used."""

    def __init__(self, government: Any, seed: int, rkpd: AnnualPlan, rpjmd: MediumTermPlan) -> None:
        self.government = government
        self.rng = random.Random(f"selaras-flaws:{seed}:{government.region_code}")
        self.rkpd = rkpd
        self.year: int = rkpd.year
        self.rpjmd = rpjmd
        self.planted: list[Planted] = []
        self.used_lines: set[int] = set()  # Renja line ids already touched
        self.used_agencies: dict[str, set[int]] = {}  # flaw family -> agency ids used
        self.cache: dict[str, Any] = {}

    def plant(self, code: str, line: str, year: int | None, agency: str, what: str) -> None:
        self.planted.append({"code": code, "line": line, "year": year, "agency": agency, "what": what})

    def pick(self, candidates: list[T]) -> T | None:
        return self.rng.choice(candidates) if candidates else None

    def choose(self, candidates: list[T]) -> T:
        """`pick` from a list known not to be empty."""
        return self.rng.choice(candidates)


def start_planting(government: Any, seed: int) -> Planter | None:
    """A planter for `government`'s latest RKPD and its RPJMD; None when it lacks either."""
    rkpd = AnnualPlan.objects.filter(government=government).order_by("-year").first()
    rpjmd = rpjmd_for(government, rkpd.year) if rkpd is not None and rkpd.year else None
    if rkpd is None or rpjmd is None:
        return None
    return Planter(government, seed, rkpd, rpjmd)


def free_renja_lines(p: Planter) -> list[Any]:
    """Renja lines of the year, on sector codes (not supporting X.XX), without accepted proposals,
    backed by a Renstra line of the same code, whose program keeps other Renja lines."""
    if "free_lines" not in p.cache:
        lines = list(RenjaLine.objects.filter(renja__rkpd=p.rkpd).select_related("renja__agency", "renstra_line")
                     .order_by("id"))
        with_proposals = set(Proposal.objects.filter(government=p.government, year=p.year,
                                                     status=ProposalStatus.ACCEPTED.value, renja_line__isnull=False)
                             .values_list("renja_line_id", flat=True))
        programs = Counter(program_of(line.code) for line in lines)
        priority = set(p.rkpd.priority_programs.values_list("code", flat=True))
        p.cache["free_lines"] = [
            line for line in lines
            if line.pk not in with_proposals and not line.code.startswith("X.")
            and line.renstra_line is not None and line.renstra_line.code == line.code
            and (program_of(line.code) not in priority or programs[program_of(line.code)] >= 3)]
    # Lines touched by a flaw are left out (their codes may have changed since they were read).
    return [line for line in p.cache["free_lines"] if line.pk not in p.used_lines]


def program_of(code: str) -> str:
    return ".".join(code.split(".")[:3])


def take_line(p: Planter, family: str, exclude_agencies: bool = True) -> Any | None:
    used = p.used_agencies.setdefault(family, set())
    candidates = [line for line in free_renja_lines(p)
                  if not exclude_agencies or line.renja.agency_id not in used]
    line = p.pick(candidates)
    if line is not None:
        p.used_lines.add(line.pk)
        used.add(line.renja.agency_id)
    return line


def recode(line: Any, new_code: str) -> None:
    """Give a Renja line and its Renstra line a new code (as if entered wrongly in the Renstra)."""
    renstra_line = line.renstra_line
    renstra_line.code = new_code
    renstra_line.save(update_fields=["code"])
    line.code = new_code
    line.save(update_fields=["code"])


def nomenclature(p: Planter) -> dict[tuple[str, str], bool]:
    """(sub-activity code, government level) -> active, of the government's edition."""
    if "nomenclature" not in p.cache:
        p.cache["nomenclature"] = {(code, level): active for code, level, active in NomenclatureItem.objects.filter(
            edition=p.government.nomenclature_edition, level="sub_activity").values_list(
            "code", "government_level", "active")}
    return p.cache["nomenclature"]
