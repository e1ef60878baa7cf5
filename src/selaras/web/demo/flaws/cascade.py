"""Flaws in the cascade RPJMD -> Renstra -> Renja -> RKPD: links cut, served by nobody, crossed."""

from __future__ import annotations

from decimal import Decimal

from selaras.web.demo.flaws.planter import Planter, nomenclature, program_of, take_line
from selaras.web.plans.models import (
    Goal,
    Objective,
    PriorityProgram,
    RenjaLine,
    RenstraLine,
    RenstraObjective,
)
from selaras.web.reference.models import NomenclatureItem


def plant_cascade_flaws(p: Planter) -> None:
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
    donor = take_line(p, "cascade")
    if donor is not None:
        agency = donor.renja.agency
        in_renstra = set(donor.renja.agency.renstras.values_list("lines__code", flat=True))
        active = nomenclature(p)
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
    line = take_line(p, "cascade")
    if line is not None:
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
    used_programs = {program_of(c) for c in RenjaLine.objects.filter(renja__rkpd=p.rkpd).values_list("code", flat=True)}
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
