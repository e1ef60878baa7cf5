"""Cascade rules: RPJMD objectives -> Renstra -> Renja -> RKPD priority programs."""

from __future__ import annotations

from collections.abc import Iterator

from selaras.domain.findings import Location, Severity
from selaras.engines.alignment.index import PlanIndex, ref
from selaras.engines.alignment.registry import AlignmentConfig, Hit, rule


@rule("cascade.renstra_objective_unlinked", Severity.ERROR,
      "A Renstra objective links to no objective of the RPJMD in force.")
def renstra_objective_unlinked(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for objective in sorted(ix.plan.renstra_objectives, key=lambda o: o.id):
        target = objective.rpjmd_objective_id
        if target is not None and target in ix.objective_ids:
            continue
        renstra = ix.renstras.get(objective.renstra_id)
        yield (Location(document=ix.renstra_document(objective.renstra_id),
                        line=ref("renstra_objective", objective.id), code=objective.number),
               {"agency": ix.agency_code(renstra.agency_id if renstra else None),
                "number": objective.number, "linked_to": target})


@rule("cascade.rpjmd_objective_unserved", Severity.WARNING,
      "An RPJMD objective is served by no Renstra program.")
def rpjmd_objective_unserved(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    served = ix.served_objective_ids
    for objective in sorted(ix.plan.objectives, key=lambda o: o.id):
        if objective.id not in served:
            yield (Location(document=ix.rpjmd_document(), line=ref("objective", objective.id),
                            code=objective.number),
                   {"agency": "", "number": objective.number})


@rule("cascade.renja_line_not_in_renstra", Severity.WARNING,
      "A Renja line has no Renstra line for the year: it is flagged as new.")
def renja_line_not_in_renstra(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for line in sorted(ix.plan.renja_lines, key=lambda x: x.id):
        if line.renstra_line_id is not None:
            continue  # a link is checked by cascade.renja_line_renstra_mismatch
        agency = ix.agency_of_renja_line(line)
        renstra_line = ix.renstra_line_of_renja_line(line)
        if renstra_line is not None and renstra_line.year(ix.year) is not None:
            continue
        yield (ix.renja_line_location(line),
               {"agency": agency.code if agency else "",
                "reason": "no_year" if renstra_line is not None else "absent"})


@rule("cascade.renja_line_renstra_mismatch", Severity.ERROR,
      "A Renja line links to a Renstra line of another agency, another code, or without the year.")
def renja_line_renstra_mismatch(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for line in sorted(ix.plan.renja_lines, key=lambda x: x.id):
        if line.renstra_line_id is None:
            continue
        agency = ix.agency_of_renja_line(line)
        params = {"agency": agency.code if agency else "", "renstra_line": line.renstra_line_id}
        renstra_line = ix.renstra_lines.get(line.renstra_line_id)
        if renstra_line is None:
            yield ix.renja_line_location(line), {**params, "reason": "missing"}
            continue
        renstra_agency = ix.agency_of_renstra(renstra_line.renstra_id)
        if agency is None or renstra_agency is None or renstra_agency.id != agency.id:
            yield (ix.renja_line_location(line),
                   {**params, "reason": "agency",
                    "renstra_agency": renstra_agency.code if renstra_agency else ""})
        elif renstra_line.code != line.code:
            yield (ix.renja_line_location(line),
                   {**params, "reason": "code", "renstra_code": renstra_line.code})
        elif renstra_line.year(ix.year) is None:
            yield ix.renja_line_location(line), {**params, "reason": "no_year"}


@rule("cascade.priority_program_without_renja", Severity.ERROR,
      "An RKPD priority program has no Renja line under it.")
def priority_program_without_renja(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    programs = {_program_code(line.code) for line in ix.plan.renja_lines}
    for program in sorted(ix.plan.priority_programs, key=lambda p: p.id):
        if program.code not in programs:
            yield (Location(document=ix.rkpd_document(), line=ref("priority_program", program.id),
                            code=program.code, year=ix.year),
                   {"agency": "", "name": program.name})


def _program_code(code: str) -> str:
    return ".".join(code.split(".")[:3])

