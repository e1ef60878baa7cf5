"""Which sub-activity codes a proposal may carry: the one rule for the entry, a decision, Bappeda's
assignment and the bulk import.

A code is taken when it is a sub-activity of the government's nomenclature edition, still active,
for the government's level (kab/kota, provinsi, or both): `reference.selectors.nomenclature_standing`,
the rule the plan editors share (`web.planning.lines.nomenclature_problem`); here for
sub-activities only (a proposal's code becomes a Renja line when it is accepted).
"""

from __future__ import annotations

from collections.abc import Iterator

from selaras.domain import proposal_entry
from selaras.domain.findings import Finding, Location, Severity
from selaras.web.plans.models import LocalGovernment
from selaras.web.reference.models import NomenclatureItem
from selaras.web.reference.selectors import nomenclature_applies, nomenclature_standing

__all__ = ["check_sub_activity", "sub_activities"]


def sub_activities(government: LocalGovernment) -> Iterator[tuple[str, str, bool]]:
    """(code, name, may a proposal carry it) of every sub-activity of the government's edition."""
    rows = NomenclatureItem.objects.filter(edition=government.nomenclature_edition, level="sub_activity")
    for code, name, government_level, active in rows.values_list("code", "name", "government_level", "active"):
        yield code, name, bool(active) and nomenclature_applies(government, government_level)


def check_sub_activity(government: LocalGovernment, code: str,
                       where: Location = proposal_entry.NOWHERE) -> list[Finding]:
    """Findings on a sub-activity code given for a proposal of `government` (empty: none; an empty
    code is allowed, the agency or Bappeda sets it later)."""
    code = (code or "").strip()
    found = proposal_entry.check_sub_activity_code(code, where)
    if found or not code:
        return found
    standing = nomenclature_standing(government, (code,), level="sub_activity")
    if standing == "ok":
        return []
    kind = "row.sub_activity_not_regency" if standing in ("other_level", "inactive") else "row.sub_activity_unknown"
    return [Finding(kind, Severity.ERROR, where, {"value": code})]
