"""Flaws in nomenclature codes: unknown, of the province, outside the agency's sectors, deactivated,
and a line still written in an older edition of the nomenclature."""

from __future__ import annotations

from selaras.web.demo.flaws.planter import (
    Planter,
    free_renja_lines,
    nomenclature,
    program_of,
    recode,
    take_line,
)


def plant_code_flaws(p: Planter) -> None:
    active = nomenclature(p)

    # A code that the edition does not know.
    line = take_line(p, "codes")
    if line is not None:
        code = line.code.rsplit(".", 1)[0] + ".9999"
        if (code, "kab/kota") not in active and (code, "provinsi") not in active:
            recode(line, code)
            p.plant("codes.unknown", f"renstra_line:{line.renstra_line_id}", None, line.renja.agency.code,
                    f"Kode {code} (tidak ada dalam nomenklatur) dipakai di Renstra {line.renja.agency}.")

    # A provincial (L=1) sub-activity in a regency's plan.
    candidates = [line for line in free_renja_lines(p)
                  if line.renja.agency_id not in p.used_agencies.setdefault("codes", set())
                  and (_to_province(line.code), "provinsi") in active
                  and (_to_province(line.code), "kab/kota") not in active]
    line = p.pick(candidates)
    if line is not None:
        p.used_lines.add(line.pk)
        p.used_agencies["codes"].add(line.renja.agency_id)
        recode(line, _to_province(line.code))
        p.plant("codes.wrong_government_level", f"renstra_line:{line.renstra_line_id}", None,
                line.renja.agency.code, f"Kode tingkat provinsi {line.code} dipakai di Renstra kabupaten.")

    # A sub-activity outside the agency's sectors.
    line = take_line(p, "codes")
    if line is not None:
        sectors = tuple(line.renja.agency.sector_codes)
        foreign = sorted(code for (code, level), ok in active.items()
                         if ok and level == "kab/kota" and not code.startswith("X.")
                         and ".".join(code.split(".")[:2]) not in sectors and code.split(".")[2] != "01"
                         and program_of(code) != program_of(line.code))
        code = p.pick(foreign)
        if code is not None:
            recode(line, code)
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
        for candidate in free_renja_lines(p):
            if candidate.renja.agency_id in used:
                continue
            dead = sorted(code for sector in candidate.renja.agency.sector_codes
                          for code in dead_by_sector.get(sector, ()))
            if dead:
                options.append((candidate, dead))
        choice = p.pick(options)
        if choice is not None:
            line, dead = choice
            code = p.choose(dead)
            p.used_lines.add(line.pk)
            used.add(line.renja.agency_id)
            recode(line, code)
            p.plant("codes.deactivated", f"renstra_line:{line.renstra_line_id}", None, line.renja.agency.code,
                    f"Kode {code} yang sudah dinonaktifkan dipakai di Renstra {line.renja.agency}.")


#: The edition before the government's (Permendagri 90/2019 as first published, before Kepmendagri
#: 050-3708/2020 updated it): a key no edition loaded in the demo carries.
OLDER_EDITION = "permendagri-90-2019"
OLDER_EDITION_NAME = "Permendagri 90/2019"


def plant_edition_flaws(p: Planter) -> None:
    """A Renja line copied from last year's Renja that still carries the older edition (its code is
    valid in the edition in force, only the edition was not carried over).

    Only a Renja line of the RKPD year: a Renstra line would also show in the next years' checks,
    which the edition move (Referensi › Pindah edisi) is tested on."""
    if p.government.nomenclature_edition == OLDER_EDITION:
        return
    line = take_line(p, "editions")
    if line is not None:
        line.nomenclature_edition = OLDER_EDITION
        line.save(update_fields=["nomenclature_edition"])
        p.plant("codes.superseded_edition", f"renja_line:{line.pk}", p.year, line.renja.agency.code,
                f"Baris Renja {line.code} {line.renja.agency} disalin dari Renja lama dan masih tercatat "
                f"pada edisi nomenklatur {OLDER_EDITION_NAME}.")


def _to_province(code: str) -> str:
    parts = code.split(".")
    if len(parts) >= 5:
        parts[3] = "1"
    return ".".join(parts)
