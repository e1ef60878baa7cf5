"""Code rules: nomenclature edition in force, government level, agency sectors, deactivation.

Renstra lines are checked at every level. A Renja line is checked only when no Renstra line of
the same code stands behind it, so that one wrong code is reported once, where it was entered.
"""

from __future__ import annotations

from collections.abc import Iterator

from selaras.domain.cascade import NomenclatureEntry
from selaras.domain.findings import Location, Severity
from selaras.domain.plans import GovernmentLevel, LineLevel
from selaras.engines.alignment.index import PlanIndex
from selaras.engines.alignment.registry import AlignmentConfig, Hit, rule

SUPPORTING_PROGRAM = "01"  # U.BB.01: Program Penunjang Urusan Pemerintahan Daerah
SUPPORTING_PREFIX = "X.XX"


def _coded_lines(ix: PlanIndex) -> list[tuple[Location, str, str, str]]:
    """(location, code, level, agency code) of every Renstra line and unbacked Renja line."""
    return ix.memo("codes.coded_lines", lambda: list(_collect(ix)))


def _collect(ix: PlanIndex) -> Iterator[tuple[Location, str, str, str]]:
    for line in sorted(ix.plan.renstra_lines, key=lambda x: x.id):
        agency = ix.agency_of_renstra(line.renstra_id)
        yield ix.renstra_line_location(line), line.code, line.level.value, agency.code if agency else ""
    for rline in sorted(ix.plan.renja_lines, key=lambda x: x.id):
        backing = ix.renstra_line_of_renja_line(rline)
        if backing is not None and backing.code == rline.code:
            continue
        agency = ix.agency_of_renja_line(rline)
        yield ix.renja_line_location(rline), rline.code, LineLevel.SUB_ACTIVITY.value, agency.code if agency else ""


def lookup(ix: PlanIndex, code: str) -> NomenclatureEntry | None:
    """The nomenclature entry of a code; a sector's supporting program is found under X.XX."""
    view = ix.plan.nomenclature
    entry = view.lookup(code, ix.nomenclature_level)
    if entry is None:
        parts = code.split(".")
        if len(parts) >= 3 and parts[2] == SUPPORTING_PROGRAM:
            entry = view.lookup(".".join([SUPPORTING_PREFIX, *parts[2:]]), ix.nomenclature_level)
    return entry


def _known_anywhere(ix: PlanIndex, code: str) -> bool:
    view = ix.plan.nomenclature
    parts = code.split(".")
    if view.knows(code):
        return True
    return len(parts) >= 3 and parts[2] == SUPPORTING_PROGRAM and view.knows(
        ".".join([SUPPORTING_PREFIX, *parts[2:]]))


def _level_digit(code: str) -> str:
    parts = code.split(".")
    return parts[3] if len(parts) >= 5 else ""


def _expected_digit(level: GovernmentLevel) -> str:
    return "1" if level is GovernmentLevel.PROVINCE else "2"


@rule("codes.unknown", Severity.ERROR,
      "A code is not in the nomenclature edition in force.")
def unknown(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    if not ix.plan.nomenclature.entries:
        return  # no edition loaded: nothing to compare with
    for location, code, _level, agency in _coded_lines(ix):
        if not _known_anywhere(ix, code):
            yield location, {"agency": agency, "edition": ix.plan.nomenclature.edition}


@rule("codes.wrong_government_level", Severity.ERROR,
      "An activity or sub-activity code is of the other government level (L digit).")
def wrong_government_level(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    expected = _expected_digit(ix.plan.government.level)
    for location, code, _level, agency in _coded_lines(ix):
        digit = _level_digit(code)
        if digit in ("1", "2") and digit != expected:  # 3..9 (editions from 2023): either level
            yield location, {"agency": agency, "found": digit, "expected": expected}


@rule("codes.sector_not_of_agency", Severity.ERROR,
      "A sub-activity's sector is not one of its agency's sectors (supporting programs excepted).")
def sector_not_of_agency(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for location, code, level, agency_code in _coded_lines(ix):
        if level != LineLevel.SUB_ACTIVITY.value:
            continue
        parts = code.split(".")
        if len(parts) < 3 or parts[2] == SUPPORTING_PROGRAM or parts[0] == "X":
            continue
        sector = ".".join(parts[:2])
        agency = ix.agency_by_code.get(agency_code)
        if agency is None or not agency.sector_codes:
            continue  # an agency without sectors on record cannot be checked
        if sector not in agency.sector_codes:
            yield location, {"agency": agency_code, "sector": sector,
                             "agency_sectors": ", ".join(agency.sector_codes)}


@rule("codes.deactivated", Severity.WARNING,
      "A code is deactivated in the nomenclature edition in force.")
def deactivated(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for location, code, _level, agency in _coded_lines(ix):
        entry = lookup(ix, code)
        if entry is not None and not entry.active:
            yield location, {"agency": agency, "edition": ix.plan.nomenclature.edition}



@rule("codes.superseded_edition", Severity.WARNING,
      "A Renstra or Renja line is still on a nomenclature edition other than the government's.")
def superseded_edition(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    current = ix.plan.nomenclature.edition
    for line in sorted(ix.plan.renstra_lines, key=lambda x: x.id):
        if current and line.edition and line.edition != current:
            agency = ix.agency_of_renstra(line.renstra_id)
            yield ix.renstra_line_location(line), {"agency": agency.code if agency else "", "edition": line.edition,
                                                   "current": current}
    for rline in sorted(ix.plan.renja_lines, key=lambda x: x.id):
        if current and rline.edition and rline.edition != current:
            agency = ix.agency_of_renja_line(rline)
            yield ix.renja_line_location(rline), {"agency": agency.code if agency else "", "edition": rline.edition,
                                                  "current": current}
