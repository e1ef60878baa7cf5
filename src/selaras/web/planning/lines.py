"""Adding and removing lines of a Renstra (programme -> activity -> sub-activity) or a Renja.

A line is picked by its nomenclature code; the code is checked as it is typed (grammar, level,
that it lies under its parent line, not twice in the document) and its name, indicator and unit
come from the nomenclature edition of the government when the planner leaves them empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from selaras.domain import plan_cells
from selaras.domain.codes import NomenclatureCode, NomenclatureLevel
from selaras.domain.errors import InvalidCode, InvalidInput, NotFound
from selaras.domain.plan_documents import DocumentKind
from selaras.domain.plans import LineLevel
from selaras.web.http import AnyUser
from selaras.web.planning.documents import Document
from selaras.web.planning.messages import text
from selaras.web.planning.scope import check_edit
from selaras.web.plans.models import (
    Indicator,
    Objective,
    PriorityProgram,
    RenjaLine,
    RenstraLine,
    RenstraObjective,
)
from selaras.web.proposals.audit import stamp
from selaras.web.reference.models import NomenclatureItem

__all__ = ["add_indicator", "add_priority_program", "check_code", "search_nomenclature", "add_renstra_line", "add_renja_line", "delete_line", "nomenclature_entry", "LEVEL_LABELS",
           "nomenclature_problem", "nomenclature_problems"]

_KEY = re.compile(r"^[a-z0-9_-]+$")
#: A letter other than the X of a supporting programme's X.XX, or a space: a name, not a code.
_NAME_TYPED = re.compile(r"[A-WYZa-wyz]|\S\s+\S")
_SUPPORTING_PROGRAM, _SUPPORTING_PREFIX = "01", "X.XX"  # U.BB.01… is listed as X.XX.01… (engines.alignment.codes)
LEVEL_LABELS = {LineLevel.PROGRAM: "program", LineLevel.ACTIVITY: "kegiatan", LineLevel.SUB_ACTIVITY: "sub kegiatan"}
_LEVELS = {NomenclatureLevel.PROGRAM: LineLevel.PROGRAM, NomenclatureLevel.ACTIVITY: LineLevel.ACTIVITY,
           NomenclatureLevel.SUB_ACTIVITY: LineLevel.SUB_ACTIVITY}


def check_code(raw: str) -> tuple[str, LineLevel]:
    """The code and its line level, or InvalidInput with the reason in Bahasa Indonesia."""
    try:
        code = NomenclatureCode.parse(raw.strip())
    except InvalidCode as exc:
        if _NAME_TYPED.search(raw):  # a name typed in the code field (the lookup offers codes by name)
            raise InvalidInput(text("cell.code_name_typed")) from None
        from selaras.web.errors.messages import error_text

        raise InvalidInput(text("cell.code", detail=error_text(exc))) from None
    level = _LEVELS.get(code.level)
    if level is None:
        raise InvalidInput(text("cell.code_level", code=str(code), level="program, kegiatan atau sub kegiatan"))
    return str(code), level


def _listed_as(code: str) -> tuple[str, ...]:
    """The codes a line's code is listed under: itself, and a sector's supporting programme under X.XX."""
    parts = code.split(".")
    if len(parts) >= 3 and parts[2] == _SUPPORTING_PROGRAM and parts[0] != "X":
        return code, ".".join([_SUPPORTING_PREFIX, *parts[2:]])
    return (code,)


def nomenclature_problem(code: str, government: Any) -> str | None:
    """Why a plan line may not carry `code` for `government` (Bahasa Indonesia), or None: the
    nomenclature rule shared with proposals (`reference.selectors.nomenclature_standing`), for
    every line level, after the L digit of an activity or sub-activity (1 provinsi, 2 kab/kota).
    When no nomenclature of the edition is loaded, only that digit is checked (nothing to compare
    with, as the sinkronisasi rule `codes.unknown`)."""
    return nomenclature_problems((code,), government).get(code)


def nomenclature_problems(codes: Iterable[str], government: Any) -> dict[str, str]:
    """`nomenclature_problem` of many codes at once (the new lines of an imported file): the codes
    refused, each with its reason."""
    from selaras.web.reference.selectors import (
        PROVINCIAL,
        government_level_for,
        nomenclature_standings,
    )

    level = government_level_for(government.level)
    expected_digit = "1" if level == PROVINCIAL else "2"
    edition = government.nomenclature_edition
    problems: dict[str, str] = {}
    listed: dict[str, tuple[str, ...]] = {}
    for code in codes:
        parts = code.split(".")
        if len(parts) >= 5 and parts[3] in ("1", "2") and parts[3] != expected_digit:
            problems[code] = text("cell.code_other_level", code=code, level=level)
        else:
            listed[code] = _listed_as(code)
    for code, standing in nomenclature_standings(government, listed).items():
        if standing == "unknown":
            problems[code] = text("cell.code_unknown", code=code, edition=edition)
        elif standing == "other_level":
            problems[code] = text("cell.code_other_level", code=code, level=level)
        elif standing == "inactive":
            problems[code] = text("cell.code_inactive", code=code, edition=edition)
    return problems


def _check_nomenclature(code: str, doc: Document) -> None:
    problem = nomenclature_problem(code, doc.government)
    if problem is not None:
        raise InvalidInput(problem)


def nomenclature_entry(code: str, edition: str) -> dict[str, str] | None:
    item = NomenclatureItem.objects.filter(code__in=_listed_as(code), edition=edition).order_by(
        "code").first() or NomenclatureItem.objects.filter(code=code).order_by("-id").first()
    if item is None:
        return None
    return {"name": item.name[:400], "indicator": (item.indicator or "")[:300], "unit": (item.unit or "")[:60]}


def search_nomenclature(words: str, edition: str, levels: tuple[str, ...], limit: int = 15,
                        government_level: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of the active nomenclature lines of the edition, at one of the levels (and of
    `government_level` when given: "kab/kota" or "provinsi"), whose name holds every typed word
    (case-insensitive), by code."""
    found = NomenclatureItem.objects.filter(edition=edition, level__in=levels, active=True)
    if government_level is not None:
        found = found.filter(government_level__in=(government_level, ""))
    for word in words.split()[:6]:
        found = found.filter(name__icontains=word)
    return list(found.order_by("code").values_list("code", "name").distinct()[:limit])


def _defaults(code: str, edition: str, name: str) -> dict[str, str]:
    found = nomenclature_entry(code, edition) or {}
    chosen = " ".join(name.split()) or found.get("name", "")
    if not chosen:
        raise InvalidInput(text("cell.required") + " (nama: kode tidak ada di nomenklatur)")
    return {"name": chosen[:400], "indicator": found.get("indicator", ""), "unit": found.get("unit", "")}


def add_renstra_line(user: AnyUser | None, doc: Document, raw_code: str, name: str = "") -> RenstraLine:
    """A new line of the Renstra; its parent line (programme of an activity, activity of a
    sub-activity) must already be there."""
    check_edit(user, doc)
    code, level = check_code(raw_code)
    _check_nomenclature(code, doc)
    renstra = doc.obj
    parent = None
    if level is not LineLevel.PROGRAM:
        parent_code = str(NomenclatureCode.parse(code).parent)
        parent = renstra.lines.filter(code=parent_code).order_by("id").first()
        if parent is None:
            raise InvalidInput(text("cell.code_parent", code=code, parent=parent_code)
                               + " Tambahkan baris induknya terlebih dahulu.")
    if renstra.lines.filter(code=code).exists():
        raise InvalidInput(text("cell.code_duplicate", code=code))
    edition = doc.government.nomenclature_edition
    values = _defaults(code, edition, name)
    with transaction.atomic():
        line = RenstraLine(renstra=renstra, parent=parent, level=level.value, code=code, nomenclature_edition=edition,
                           objective_id=parent.objective_id if parent else None, **values)
        stamp(line, user, "penyusunan: baris baru")
        line.save()
    return line


def add_renja_line(user: AnyUser | None, doc: Document, raw_code: str, name: str = "") -> RenjaLine:
    """A new sub-activity line of the Renja, linked to the Renstra line with the same code."""
    check_edit(user, doc)
    code, level = check_code(raw_code)
    if level is not LineLevel.SUB_ACTIVITY:
        raise InvalidInput(text("cell.code_level", code=code, level="sub kegiatan"))
    renja = doc.obj
    if renja.lines.filter(code=code).exists():
        raise InvalidInput(text("cell.code_duplicate", code=code))
    _check_nomenclature(code, doc)
    renstra_line = RenstraLine.objects.filter(
        renstra__agency_id=renja.agency_id, renstra__start_year__lte=renja.rkpd.year,
        renstra__end_year__gte=renja.rkpd.year, code=code).order_by("id").first()
    edition = doc.government.nomenclature_edition
    values = _defaults(code, edition, name or (renstra_line.name if renstra_line else ""))
    extra: dict[str, Any] = {}
    if renstra_line is not None:
        values["indicator"] = renstra_line.indicator or values["indicator"]
        values["unit"] = renstra_line.unit or values["unit"]
        extra["direction"] = renstra_line.direction
        year = renstra_line.years.filter(year=renja.rkpd.year).first()
        if year is not None:
            extra.update(target=year.target, target_min=year.target_min, target_max=year.target_max)
    with transaction.atomic():
        line = RenjaLine(renja=renja, renstra_line=renstra_line, code=code, nomenclature_edition=edition,
                         **values, **extra)
        stamp(line, user, "penyusunan: baris baru")
        line.save()
    return line


def delete_line(user: AnyUser | None, doc: Document, line_id: int) -> None:
    """Remove a line (and, for a Renstra, the lines below it). A Renja line that accepted
    proposals point to cannot be removed."""
    check_edit(user, doc)
    if doc.kind.value == "renstra":
        line: Any = doc.obj.lines.filter(pk=line_id).first()
    else:
        line = doc.obj.lines.filter(pk=line_id).first()
        if line is not None and line.proposals.exists():
            raise InvalidInput("Baris Renja ini memuat usulan yang diterima; tidak dapat dihapus.")
    if line is None:
        raise NotFound("Baris tidak ditemukan pada dokumen ini.")
    stamp(line, user, "penyusunan: baris dihapus")
    line.delete()


def add_indicator(user: AnyUser | None, doc: Document, name: str, key: str = "", unit: str = "",
                  direction: str = "up", objective_id: int | None = None) -> Indicator:
    """A key indicator of the RPJMD (or of one of its objectives, `objective_id`), a long-term
    indicator of the RPJPD (Bappeda), or the indicator of a Renstra objective (`objective_id`, the
    agency)."""
    check_edit(user, doc)
    if doc.kind not in (DocumentKind.RPJPD, DocumentKind.RPJMD, DocumentKind.RENSTRA):
        raise InvalidInput("Indikator ditambahkan pada RPJPD, RPJMD atau sasaran Renstra.")
    clean_name, problem = plan_cells.parse_text(name, max_length=300, required=True)
    if problem is not None or not clean_name:
        raise InvalidInput(text("cell.required") + " (nama indikator)")
    clean_unit, problem = plan_cells.parse_unit(unit)
    if problem is not None:
        raise InvalidInput(text(problem[0], **problem[1]))
    found, problem = plan_cells.parse_direction(direction)
    if problem is not None or found is None:
        raise InvalidInput(text("cell.direction"))
    slug = key.strip().lower()
    if slug and not _KEY.match(slug):
        raise InvalidInput("Kunci indikator hanya huruf kecil, angka, garis bawah atau tanda hubung.")
    owner: dict[str, Any] = {"long_term_plan": doc.obj} if doc.kind is DocumentKind.RPJPD else {"rpjmd": doc.obj}
    if objective_id is not None and doc.kind is DocumentKind.RPJMD:
        objective = Objective.objects.filter(pk=objective_id, goal__mission__rpjmd=doc.obj).first()
        if objective is None:
            raise InvalidInput("Sasaran tidak ditemukan pada RPJMD ini.")
        owner = {"objective": objective}
    if doc.kind is DocumentKind.RENSTRA:  # the indicator of one of the Renstra's objectives
        renstra_objective = RenstraObjective.objects.filter(pk=objective_id, goal__renstra=doc.obj).first() \
            if objective_id is not None else None
        if renstra_objective is None:
            raise InvalidInput("Pilih sasaran Renstra untuk indikator ini.")
        owner = {"renstra_objective": renstra_objective}
    indicator = Indicator(key=slug[:80], name=clean_name, unit=clean_unit or "", direction=found.value, **owner)
    stamp(indicator, user, "penyusunan: indikator baru")
    indicator.save()
    return indicator


def add_priority_program(user: AnyUser | None, doc: Document, raw_code: str, name: str = "") -> PriorityProgram:
    """A priority programme of the RKPD year, picked by its programme code (Bappeda)."""
    check_edit(user, doc)
    if doc.kind is not DocumentKind.RKPD:
        raise InvalidInput("Program prioritas ditambahkan pada RKPD.")
    code, level = check_code(raw_code)
    if level is not LineLevel.PROGRAM:
        raise InvalidInput(text("cell.code_level", code=code, level="program"))
    if doc.obj.priority_programs.filter(code=code).exists():
        raise InvalidInput(text("cell.code_duplicate", code=code))
    _check_nomenclature(code, doc)
    values = _defaults(code, doc.government.nomenclature_edition, name)
    program = PriorityProgram(rkpd=doc.obj, code=code, name=values["name"])
    stamp(program, user, "penyusunan: program prioritas")
    program.save()
    return program
