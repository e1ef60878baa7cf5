"""Which sub-activity codes a proposal may carry: the one rule for the entry, a decision, Bappeda's
assignment and the bulk import.

A code is taken when it is a sub-activity of the government's nomenclature edition, still active,
for the government's level (kab/kota or provinsi). The plan editors apply the same test to every
line level (`web.planning.lines.nomenclature_problem`); this one is the proposal cycle's, for
sub-activities only (a proposal's code becomes a Renja line when it is accepted).
"""

from __future__ import annotations

from collections.abc import Iterator

from selaras.domain import proposal_entry
from selaras.domain.findings import Finding, Location, Severity
from selaras.web.plans.models import LocalGovernment
from selaras.web.reference.models import NomenclatureItem
from selaras.web.reference.selectors import government_level_for

__all__ = ["check_sub_activity", "sub_activities"]


def _applies(government: LocalGovernment, government_level: str, active: bool) -> bool:
    return bool(active) and government_level == government_level_for(government.level)


def sub_activities(government: LocalGovernment) -> Iterator[tuple[str, str, bool]]:
    """(code, name, may a proposal carry it) of every sub-activity of the government's edition."""
    rows = NomenclatureItem.objects.filter(edition=government.nomenclature_edition, level="sub_activity")
    for code, name, government_level, active in rows.values_list("code", "name", "government_level", "active"):
        yield code, name, _applies(government, government_level, active)


def check_sub_activity(government: LocalGovernment, code: str,
                       where: Location = proposal_entry.NOWHERE) -> list[Finding]:
    """Findings on a sub-activity code given for a proposal of `government` (empty: none; an empty
    code is allowed, the agency or Bappeda sets it later)."""
    code = (code or "").strip()
    found = proposal_entry.check_sub_activity_code(code, where)
    if found or not code:
        return found
    rows = list(NomenclatureItem.objects.filter(
        edition=government.nomenclature_edition, level="sub_activity", code=code).values_list(
        "government_level", "active"))
    if any(_applies(government, level, active) for level, active in rows):
        return []
    kind = "row.sub_activity_not_regency" if rows else "row.sub_activity_unknown"
    return [Finding(kind, Severity.ERROR, where, {"value": code})]
