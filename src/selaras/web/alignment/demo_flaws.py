"""Known inconsistencies planted in the demo district so the alignment check has something to find.

Owned by the alignment area; called by the demo loader after the district is loaded. Each flaw
touches objects no other flaw touches and that carry no accepted proposal, so that it produces
exactly the finding it announces and nothing else. What is planted is returned as a list of
dicts: `code` (the rule), `line` (the location reference the finding carries, e.g.
`renja_line:42`), `year` (the location's year or None), `agency` (agency code or "") and `what`
(a sentence in Bahasa Indonesia for the demo guide).
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import transaction

from selaras.domain.plans import Direction
from selaras.domain.proposals import Outcome, ProposalStatus, Stage

__all__ = ["inject_known_flaws", "planted_flaws", "planted_key"]

Planted = dict[str, object]


def planted_key(item: Planted) -> tuple[str, str, int | None]:
    """What a planted flaw and its finding have in common: (rule code, line reference, year)."""
    year = item.get("year")
    return str(item["code"]), str(item["line"]), int(str(year)) if year is not None else None


class _Planter:
    def __init__(self, government: Any, seed: int) -> None:
        from selaras.web.alignment.snapshot import rpjmd_for
        from selaras.web.plans.models import AnnualPlan

        self.government = government
        self.rng = random.Random(f"selaras-flaws:{seed}:{government.region_code}")
        self.rkpd = AnnualPlan.objects.filter(government=government).order_by("-year").first()
        self.year = self.rkpd.year if self.rkpd else None
        self.rpjmd = rpjmd_for(government, self.year) if self.year else None
        self.planted: list[Planted] = []
        self.used_lines: set[int] = set()  # Renja line ids already touched
        self.used_agencies: dict[str, set[int]] = {}  # flaw family -> agency ids used
        self.cache: dict[str, Any] = {}

    def plant(self, code: str, line: str, year: int | None, agency: str, what: str) -> None:
        self.planted.append({"code": code, "line": line, "year": year, "agency": agency, "what": what})

    def pick(self, candidates: list[Any]) -> Any | None:
        return self.rng.choice(candidates) if candidates else None


def inject_known_flaws(government: Any, seed: int) -> list[dict[str, object]]:
    """Plant the documented flaws in `government`'s plans; return what was planted."""
    planter = _Planter(government, seed)
    if planter.rkpd is None or planter.rpjmd is None:
        return []
    with transaction.atomic():
        _cascade_flaws(planter)
        _code_flaws(planter)
        _target_flaws(planter)
        _money_flaws(planter)
        _proposal_flaws(planter)
        _record(planter)
    return sorted(planter.planted, key=lambda p: (str(p["code"]), str(p["line"])))


def _record(p: _Planter) -> None:
    from selaras.web.alignment.models import PlantedFlaw

    PlantedFlaw.objects.filter(government=p.government).delete()
    PlantedFlaw.objects.bulk_create([
        PlantedFlaw(government=p.government, code=str(item["code"]), line=str(item["line"]),
                    year=item["year"], agency=str(item["agency"]), what=str(item["what"]))  # type: ignore[misc]
        for item in p.planted])


def planted_flaws(government: Any) -> list[dict[str, object]]:
    """The flaws planted in a demo district (empty for a real government)."""
    from selaras.web.alignment.models import PlantedFlaw

    return [{"code": code, "line": line, "year": year, "agency": agency, "what": what}
            for code, line, year, agency, what in PlantedFlaw.objects.filter(government=government)
            .order_by("code", "line").values_list("code", "line", "year", "agency", "what")]


# -- helpers --------------------------------------------------------------------------------------

def _free_renja_lines(p: _Planter) -> list[Any]:
    """Renja lines of the year, on sector codes (not supporting X.XX), without accepted proposals,
    backed by a Renstra line of the same code, whose program keeps other Renja lines."""
    if "free_lines" not in p.cache:
        from selaras.web.plans.models import RenjaLine
        from selaras.web.proposals.models import Proposal

        lines = list(RenjaLine.objects.filter(renja__rkpd=p.rkpd).select_related("renja__agency", "renstra_line")
                     .order_by("id"))
        with_proposals = set(Proposal.objects.filter(government=p.government, year=p.year,
                                                     status=ProposalStatus.ACCEPTED.value, renja_line__isnull=False)
                             .values_list("renja_line_id", flat=True))
        programs = Counter(_program(line.code) for line in lines)
        priority = set(p.rkpd.priority_programs.values_list("code", flat=True))
        p.cache["free_lines"] = [
            line for line in lines
            if line.pk not in with_proposals and not line.code.startswith("X.")
            and line.renstra_line is not None and line.renstra_line.code == line.code
            and (_program(line.code) not in priority or programs[_program(line.code)] >= 3)]
    # Lines touched by a flaw are left out (their codes may have changed since they were read).
    return [line for line in p.cache["free_lines"] if line.pk not in p.used_lines]


def _program(code: str) -> str:
    return ".".join(code.split(".")[:3])


def _take_line(p: _Planter, family: str, exclude_agencies: bool = True) -> Any | None:
    used = p.used_agencies.setdefault(family, set())
    candidates = [line for line in _free_renja_lines(p)
                  if not exclude_agencies or line.renja.agency_id not in used]
    line = p.pick(candidates)
    if line is not None:
        p.used_lines.add(line.pk)
        used.add(line.renja.agency_id)
    return line


def _recode(line: Any, new_code: str) -> None:
    """Give a Renja line and its Renstra line a new code (as if entered wrongly in the Renstra)."""
    renstra_line = line.renstra_line
    renstra_line.code = new_code
    renstra_line.save(update_fields=["code"])
    line.code = new_code
    line.save(update_fields=["code"])


def _nomenclature(p: _Planter) -> dict[tuple[str, str], bool]:
    """(sub-activity code, government level) -> active, of the government's edition."""
    if "nomenclature" not in p.cache:
        from selaras.web.reference.models import NomenclatureItem

        p.cache["nomenclature"] = {(code, level): active for code, level, active in NomenclatureItem.objects.filter(
            edition=p.government.nomenclature_edition, level="sub_activity").values_list(
            "code", "government_level", "active")}
    return p.cache["nomenclature"]  # type: ignore[no-any-return]


# -- the flaws ------------------------------------------------------------------------------------

def _cascade_flaws(p: _Planter) -> None:
    from selaras.web.plans.models import (
        Goal,
        Objective,
        PriorityProgram,
        RenjaLine,
        RenstraObjective,
    )

    # A Renstra objective that links to no RPJMD objective (others still serve that objective).
    objectives = list(RenstraObjective.objects.filter(goal__renstra__agency__government=p.government,
                                                      number="1.2", rpjmd_objective__isnull=False)
                      .select_related("goal__renstra__agency").order_by("id"))
    chosen = p.pick(objectives)
    if chosen is not None and len(objectives) > 1:
        chosen.rpjmd_objective = None
        chosen.save(update_fields=["rpjmd_objective"])
        p.plant("cascade.renstra_objective_unlinked", f"renstra_objective:{chosen.pk}", None,
                chosen.goal.renstra.agency.code,
                f"Sasaran Renstra {chosen.number} {chosen.goal.renstra.agency} dilepas dari sasaran RPJMD.")

    # A new RPJMD objective that no Renstra program serves yet.
    goal = Goal.objects.filter(mission__rpjmd=p.rpjmd).order_by("number", "id").last()
    if goal is not None:
        number = f"{goal.number}.{goal.objectives.count() + 1}"
        objective = Objective.objects.create(goal=goal, number=number,
                                             text="Meningkatnya ketahanan pangan dan gizi masyarakat")
        p.plant("cascade.rpjmd_objective_unserved", f"objective:{objective.pk}", None, "",
                f"Sasaran RPJMD {number} ditambahkan tanpa program Renstra pendukung.")

    # A Renja line that is not in the agency's Renstra (a new sub-activity, budget moved from another line).
    donor = _take_line(p, "cascade")
    if donor is not None:
        agency = donor.renja.agency
        in_renstra = set(donor.renja.agency.renstras.values_list("lines__code", flat=True))
        active = _nomenclature(p)
        sectors = tuple(agency.sector_codes)
        candidates = sorted(code for (code, level), ok in active.items()
                            if ok and level == "kab/kota" and code not in in_renstra
                            and code.startswith(tuple(s + "." for s in sectors)))
        code = p.pick(candidates)
        if code is not None and donor.budget > 100_000_000:
            amount = 50_000_000
            donor.budget -= amount
            donor.save(update_fields=["budget"])
            new = RenjaLine.objects.create(renja=donor.renja, code=code, name=f"Sub kegiatan baru {code}",
                                           nomenclature_edition=donor.nomenclature_edition, budget=amount,
                                           target=Decimal(1), unit="kegiatan",
                                           district_code=donor.district_code)
            p.used_lines.add(new.pk)
            p.plant("cascade.renja_line_not_in_renstra", f"renja_line:{new.pk}", p.year, agency.code,
                    f"Renja {agency} memuat sub kegiatan {code} yang tidak ada di Renstra.")

    # A Renja line linked to another agency's Renstra line.
    line = _take_line(p, "cascade")
    if line is not None:
        from selaras.web.plans.models import RenstraLine

        others = list(RenstraLine.objects.filter(
            renstra__agency__government=p.government, level="sub_activity").exclude(
            renstra__agency=line.renja.agency).exclude(code=line.code).exclude(code__startswith="X.")
            .order_by("id").values_list("id", flat=True)[:50])
        other = p.pick(others)
        if other is not None:
            line.renstra_line_id = other
            line.save(update_fields=["renstra_line"])
            p.plant("cascade.renja_line_renstra_mismatch", f"renja_line:{line.pk}", p.year,
                    line.renja.agency.code,
                    f"Baris Renja {line.code} {line.renja.agency} dikaitkan ke baris Renstra perangkat daerah lain.")

    # A priority program of the RKPD that no Renja carries.
    used_programs = {_program(c) for c in RenjaLine.objects.filter(renja__rkpd=p.rkpd).values_list("code", flat=True)}
    from selaras.web.reference.models import NomenclatureItem

    programs = sorted(set(NomenclatureItem.objects.filter(
        edition=p.government.nomenclature_edition, level="program", government_level="kab/kota", active=True)
        .exclude(code__startswith="X.").values_list("code", flat=True)) - used_programs)
    program = p.pick(programs)
    if program is not None:
        name = NomenclatureItem.objects.filter(edition=p.government.nomenclature_edition,
                                               code=program).values_list("name", flat=True).first() or program
        priority = PriorityProgram.objects.create(rkpd=p.rkpd, code=program, name=name[:400])
        p.plant("cascade.priority_program_without_renja", f"priority_program:{priority.pk}", p.year, "",
                f"Program prioritas {program} ditambahkan ke RKPD tanpa baris Renja.")


def _code_flaws(p: _Planter) -> None:
    active = _nomenclature(p)

    # A code that the edition does not know.
    line = _take_line(p, "codes")
    if line is not None:
        code = line.code.rsplit(".", 1)[0] + ".9999"
        if (code, "kab/kota") not in active and (code, "provinsi") not in active:
            _recode(line, code)
            p.plant("codes.unknown", f"renstra_line:{line.renstra_line_id}", None, line.renja.agency.code,
                    f"Kode {code} (tidak ada dalam nomenklatur) dipakai di Renstra {line.renja.agency}.")

    # A provincial (L=1) sub-activity in a regency's plan.
    candidates = [line for line in _free_renja_lines(p)
                  if line.renja.agency_id not in p.used_agencies.setdefault("codes", set())
                  and (_to_province(line.code), "provinsi") in active
                  and (_to_province(line.code), "kab/kota") not in active]
    line = p.pick(candidates)
    if line is not None:
        p.used_lines.add(line.pk)
        p.used_agencies["codes"].add(line.renja.agency_id)
        _recode(line, _to_province(line.code))
        p.plant("codes.wrong_government_level", f"renstra_line:{line.renstra_line_id}", None,
                line.renja.agency.code, f"Kode tingkat provinsi {line.code} dipakai di Renstra kabupaten.")

    # A sub-activity outside the agency's sectors.
    line = _take_line(p, "codes")
    if line is not None:
        sectors = tuple(line.renja.agency.sector_codes)
        foreign = sorted(code for (code, level), ok in active.items()
                         if ok and level == "kab/kota" and not code.startswith("X.")
                         and ".".join(code.split(".")[:2]) not in sectors and code.split(".")[2] != "01"
                         and _program(code) != _program(line.code))
        code = p.pick(foreign)
        if code is not None:
            _recode(line, code)
            p.plant("codes.sector_not_of_agency", f"renstra_line:{line.renstra_line_id}", None,
                    line.renja.agency.code, f"Sub kegiatan {code} di luar bidang urusan {line.renja.agency}.")

    # A deactivated code of the agency's own sector.
    dead_by_sector: dict[str, list[str]] = {}
    for (code, level), ok in sorted(active.items()):
        if not ok and level == "kab/kota" and code.split(".")[2] != "01":
            dead_by_sector.setdefault(".".join(code.split(".")[:2]), []).append(code)
    for _ in range(1):
        used = p.used_agencies.setdefault("codes", set())
        options = []
        for candidate in _free_renja_lines(p):
            if candidate.renja.agency_id in used:
                continue
            dead = sorted(code for sector in candidate.renja.agency.sector_codes
                          for code in dead_by_sector.get(sector, ()))
            if dead:
                options.append((candidate, dead))
        choice = p.pick(options)
        if choice is not None:
            line, dead = choice
            code = p.pick(dead)
            p.used_lines.add(line.pk)
            used.add(line.renja.agency_id)
            _recode(line, code)
            p.plant("codes.deactivated", f"renstra_line:{line.renstra_line_id}", None, line.renja.agency.code,
                    f"Kode {code} yang sudah dinonaktifkan dipakai di Renstra {line.renja.agency}.")


def _to_province(code: str) -> str:
    parts = code.split(".")
    if len(parts) >= 5:
        parts[3] = "1"
    return ".".join(parts)


def _target_flaws(p: _Planter) -> None:
    from selaras.web.plans.models import Indicator, IndicatorTarget

    rpjmd_indicators = Indicator.objects.filter(rpjmd=p.rpjmd).order_by("id")
    objective_indicators = Indicator.objects.filter(objective__goal__mission__rpjmd=p.rpjmd).order_by("id")
    renstra_indicators = Indicator.objects.filter(
        renstra_objective__goal__renstra__agency__government=p.government).order_by("id")
    in_scope = [*rpjmd_indicators, *objective_indicators, *renstra_indicators]
    touched: set[int] = set()

    def take(queryset: Any) -> Any | None:
        options = [i for i in queryset if i.pk not in touched]
        chosen = p.pick(options)
        if chosen is not None:
            touched.add(chosen.pk)
        return chosen

    indicator = take(rpjmd_indicators)
    if indicator is not None:
        indicator.unit = ""
        indicator.save(update_fields=["unit"])
        p.plant("targets.indicator_without_unit", f"indicator:{indicator.pk}", None, "",
                f"Satuan indikator \"{indicator.name}\" dikosongkan.")

    indicator = take(renstra_indicators)
    if indicator is not None:
        indicator.baseline = None
        indicator.save(update_fields=["baseline"])
        agency = indicator.renstra_objective.goal.renstra.agency
        p.plant("targets.indicator_without_baseline", f"indicator:{indicator.pk}", None, agency.code,
                f"Kondisi awal indikator \"{indicator.name}\" di Renstra {agency} dikosongkan.")

    indicator = take(objective_indicators)
    missing_year = p.rpjmd.start_year + 3
    if indicator is not None and indicator.targets.filter(year=missing_year).exists():
        indicator.targets.filter(year=missing_year).delete()
        p.plant("targets.missing_year_target", f"indicator:{indicator.pk}", missing_year, "",
                f"Target tahun {missing_year} indikator \"{indicator.name}\" dihapus.")

    # A yearly target that steps back against the indicator's direction (mirror of the step before).
    for _ in range(1):
        options = []
        for candidate in objective_indicators:
            if candidate.pk in touched or candidate.direction == Direction.UNKNOWN.value:
                continue
            values = dict(candidate.targets.values_list("year", "value"))
            year = p.rpjmd.start_year + 2
            before, now, after = values.get(year - 1), values.get(year), values.get(year + 1)
            if None in (before, now, after):
                continue
            sign = 1 if candidate.direction == Direction.HIGHER_IS_BETTER.value else -1
            if sign * (now - before) > 0 and sign * (after - now) > 0:
                options.append((candidate, year, before - (now - before)))
        choice = p.pick(options)
        if choice is not None:
            indicator, year, value = choice
            touched.add(indicator.pk)
            IndicatorTarget.objects.filter(indicator=indicator, year=year).update(value=value)
            p.plant("targets.not_monotonic", f"indicator:{indicator.pk}", year, "",
                    f"Target {year} indikator \"{indicator.name}\" dibuat mundur ({value}).")

    # A Renja target that differs from its Renstra target.
    line = _take_line(p, "targets")
    if line is not None and line.target is not None:
        line.target = line.target + 1
        line.save(update_fields=["target"])
        p.plant("targets.renja_differs_from_renstra", f"renja_line:{line.pk}", p.year, line.renja.agency.code,
                f"Target Renja {line.code} {line.renja.agency} tidak sama dengan target Renstra.")

    # Keys whose indicators are untouched and agree on a known direction.
    by_key: dict[str, list[Any]] = {}
    for indicator in in_scope:
        if indicator.key:
            by_key.setdefault(indicator.key, []).append(indicator)
    usable = sorted(key for key, group in by_key.items()
                    if all(i.pk not in touched for i in group) and len({i.direction for i in group}) == 1
                    and group[0].direction != Direction.UNKNOWN.value)
    if len(usable) >= 2:
        aligned = p.pick(usable)
        lagging = p.pick([k for k in usable if k != aligned])
        _higher_targets(p, by_key[aligned], by_key[lagging])


def _higher_targets(p: _Planter, aligned: list[Any], lagging: list[Any]) -> None:
    """Provincial targets for two indicator keys (as data, mapped to the local keys): one met by every
    local indicator with that key, one missed by all of them in one year."""
    from selaras.web.alignment.models import (
        HigherLevelIndicator,
        HigherLevelPlan,
        HigherLevelTarget,
    )
    from selaras.web.alignment.services import map_indicator

    province = p.government.region_code.split(".")[0]
    plan, _ = HigherLevelPlan.objects.get_or_create(
        name=f"RPJMD Provinsi {province} {p.rpjmd.start_year}-{p.rpjmd.end_year} (contoh)",
        defaults={"kind": "rpjmd_provinsi", "level": HigherLevelPlan.LEVEL_PROVINCE, "region_code": province,
                  "start_year": p.rpjmd.start_year, "end_year": p.rpjmd.end_year})
    suffix = p.government.region_code.replace(".", "")
    for group, lag_year in ((aligned, None), (lagging, p.rpjmd.start_year + 1)):
        local = group[0]
        # Keys are per district so that districts of one province in one database stay independent.
        higher, _ = HigherLevelIndicator.objects.update_or_create(
            plan=plan, key=f"{local.key}-{suffix}"[:80],
            defaults={"name": f"{local.name} (target provinsi untuk {p.government.name})", "unit": local.unit,
                      "direction": local.direction})
        map_indicator(p.government, higher, local.key)
        up = local.direction == Direction.HIGHER_IS_BETTER.value
        values: dict[int, list[Decimal]] = {}
        for indicator in group:
            for year, value in indicator.targets.values_list("year", "value"):
                values.setdefault(year, []).append(value)
        for year in sorted(values):
            if year == lag_year:  # more ambitious than every local target of that year
                wanted = max(values[year]) + Decimal("0.5") if up else min(values[year]) - Decimal("0.5")
            else:  # no more ambitious than any local target
                wanted = min(values[year]) if up else max(values[year])
            HigherLevelTarget.objects.update_or_create(indicator=higher, year=year, defaults={"value": wanted})
        if lag_year is not None:
            for indicator in sorted(group, key=lambda i: i.pk):
                if lag_year not in values or not indicator.targets.filter(year=lag_year).exists():
                    continue
                agency = (indicator.renstra_objective.goal.renstra.agency.code
                          if indicator.renstra_objective_id else "")
                p.plant("targets.less_ambitious_than_higher", f"indicator:{indicator.pk}", lag_year, agency,
                        f"Target {lag_year} indikator \"{indicator.name}\" kurang ambisius dibanding target "
                        "provinsi.")


def _money_flaws(p: _Planter) -> None:
    from django.db.models import Sum

    from selaras.web.plans.models import AgencyAnnualPlan, RenjaLine, RenstraLineYear

    # A Renja over its agency's ceiling.
    renjas = list(AgencyAnnualPlan.objects.filter(rkpd=p.rkpd).select_related("agency").annotate(
        total=Sum("lines__budget")).order_by("id"))
    renja = p.pick([r for r in renjas if (r.total or 0) > 1_000_000_000])
    if renja is not None:
        renja.ceiling = (renja.total // 1_000_000 - 100) * 1_000_000
        renja.save(update_fields=["ceiling"])
        p.plant("money.renja_over_ceiling", f"renja:{renja.pk}", p.year, renja.agency.code,
                f"Pagu indikatif {renja.agency} diturunkan di bawah total Renja-nya.")

    # The RKPD over the regional ceiling.
    total = RenjaLine.objects.filter(renja__rkpd=p.rkpd).aggregate(total=Sum("budget"))["total"] or 0
    if total > 0:
        p.rkpd.ceiling = (total // 1_000_000_000 - 1) * 1_000_000_000
        p.rkpd.save(update_fields=["ceiling"])
        p.plant("money.rkpd_over_ceiling", f"rkpd:{p.rkpd.pk}", p.year, "",
                "Pagu indikatif daerah diturunkan di bawah total seluruh Renja.")

    # A Renja line over its Renstra line's indicative budget for the year.
    line = _take_line(p, "money")
    if line is not None:
        RenstraLineYear.objects.filter(line=line.renstra_line, year=p.year).update(
            budget=max(0, line.budget - 25_000_000))
        p.plant("money.renja_over_renstra_budget", f"renja_line:{line.pk}", p.year, line.renja.agency.code,
                f"Pagu Renstra {p.year} untuk {line.code} {line.renja.agency} diturunkan di bawah pagu Renja.")


def _proposal_flaws(p: _Planter) -> None:
    from selaras.web.plans.models import Agency, RenjaLine
    from selaras.web.proposals.models import Decision, Proposal

    accepted = Proposal.objects.filter(government=p.government, year=p.year, status=ProposalStatus.ACCEPTED.value,
                                       renja_line__isnull=False, agency__isnull=False)
    # The cost that counts is the latest decided one, else the estimate (as in the snapshot).
    cost = dict(accepted.values_list("pk", "estimated_cost"))
    for proposal_id, decided in Decision.objects.filter(proposal__in=accepted, new_cost__isnull=False).order_by(
            "created_at", "id").values_list("proposal_id", "new_cost"):
        cost[proposal_id] = decided
    line_of = dict(accepted.values_list("pk", "renja_line_id"))
    totals: Counter[int] = Counter()
    for proposal_id, line_id in line_of.items():
        totals[line_id] += cost[proposal_id]
    budgets = dict(RenjaLine.objects.filter(pk__in=list(totals)).values_list("pk", "budget"))
    # Lines within budget: changing one proposal on them changes exactly one thing.
    fitting = sorted(line for line, total in totals.items() if total <= budgets[line] and line not in p.used_lines)
    proposals = list(accepted.filter(renja_line__in=fitting).select_related("agency", "renja_line__renja__agency")
                     .order_by("id"))
    if not proposals:
        return

    # Accepted proposals now costing more than their line's budget (a decision raised one cost).
    proposal = p.pick(proposals)
    line = proposal.renja_line
    new_cost = line.budget - totals[line.pk] + cost[proposal.pk] + 10_000_000
    Decision.objects.create(proposal=proposal, stage=Stage.AGENCY_FORUM.value,
                            outcome=Outcome.ACCEPTED_WITH_CHANGES.value, actor_role="agency",
                            reason="Volume ditambah sesuai kebutuhan lapangan", new_cost=new_cost)
    p.plant("proposals.over_line_budget", f"renja_line:{line.pk}", p.year, line.renja.agency.code,
            f"Biaya usulan {proposal.number} dinaikkan sehingga melebihi pagu baris Renja {line.code}.")
    rest = [x for x in proposals if x.renja_line_id != line.pk]

    def take() -> Any | None:
        chosen = p.pick(rest)
        if chosen is not None:
            rest.remove(chosen)
        return chosen

    proposal = take()
    if proposal is not None:
        proposal.renja_line = None
        proposal.save(update_fields=["renja_line"])
        p.plant("proposals.accepted_unlinked", f"proposal:{proposal.pk}", p.year, proposal.agency.code,
                f"Usulan {proposal.number} diterima tetapi kaitannya ke baris Renja dilepas.")

    proposal = take()
    if proposal is not None:
        other = Agency.objects.filter(government=p.government).exclude(
            pk=proposal.renja_line.renja.agency_id).order_by("id").first()
        if other is not None:
            original = proposal.renja_line.renja.agency
            proposal.agency = other
            proposal.save(update_fields=["agency"])
            p.plant("proposals.wrong_agency", f"proposal:{proposal.pk}", p.year, other.code,
                    f"Usulan {proposal.number} dipindah ke {other} padahal baris Renja-nya milik {original}.")

    proposal = take()
    if proposal is not None:
        code = proposal.renja_line.code.rsplit(".", 1)[0] + ".9998"
        proposal.sub_activity_code = code
        proposal.save(update_fields=["sub_activity_code"])
        p.plant("proposals.wrong_sub_activity", f"proposal:{proposal.pk}", p.year, proposal.agency.code,
                f"Sub kegiatan usulan {proposal.number} diubah sehingga tidak sama dengan baris Renja-nya.")
