"""The alignment check over the demo district: every planted flaw is found, nothing is invented.

The demo generator is not perfectly clean on its own. Its own inconsistencies on the fixture
district (Kabupaten Karawang 32.15, scale "small", seed 1) are listed below one by one, so that
any change in them shows up here (they are reported to the demo generator's owner; when the
generator changes on purpose, update the list from the test's "new"/"gone" output):

- RPJMD objectives whose sectors have no agency at the small scale (6 sector agencies): no
  Renstra program serves them.
- Only 2 kecamatan offices at the small scale: kecamatan manage 2.42% of the budget (< 5%).
- Accepted proposals without a usable agency/sub-activity, hence without a Renja line.
- Renja lines whose accepted proposals cost more than the line's budget (the generator does not
  size Renja budgets to what it accepts).
"""

from __future__ import annotations

from collections import Counter

import pytest

from selaras.engines.alignment import RULES, run_alignment
from selaras.web.alignment.demo_flaws import planted_flaws, planted_key
from selaras.web.alignment.snapshot import build_plan_set
from selaras.web.plans.models import LocalGovernment

pytestmark = pytest.mark.django_db

YEAR = 2026

# (rule, natural key) of the generator's own inconsistencies; natural keys avoid database ids:
# an RPJMD objective number, a proposal number, "agency code|sub-activity code", or the RKPD.
GENERATOR_INCONSISTENCIES = sorted([
    *[("cascade.rpjmd_objective_unserved", n) for n in ("1.2.2", "1.3.1", "2.2.1", "3.1.1", "3.1.2", "5.1.2")],
    ("money.district_share_below_minimum", "RKPD 2026"),
    *[("proposals.accepted_unlinked", n) for n in (
        "2026-3215-M-000010", "2026-3215-M-000064", "2026-3215-M-000116", "2026-3215-M-000175",
        "2026-3215-P-000012", "2026-3215-P-000056")],
    *[("proposals.over_line_budget", k) for k in (
        "1.01.0.00.0.00.01.0000|1.01.02.2.01.0002", "1.02.0.00.0.00.01.0000|1.02.02.2.01.0009",
        "1.03.0.00.0.00.01.0000|1.03.06.2.01.0007", "1.03.0.00.0.00.01.0000|1.03.10.2.01.0009",
        "1.04.2.10.0.00.01.0000|1.04.04.2.01.0001", "1.04.2.10.0.00.01.0000|1.04.05.2.01.0002")],
])


def natural_key(finding) -> str:
    if finding.code == "cascade.rpjmd_objective_unserved":
        return finding.params["number"]
    if finding.code.startswith("proposals.") and "number" in finding.params:
        return finding.params["number"]
    if finding.code == "money.district_share_below_minimum":
        return finding.location.document
    return f"{finding.params.get('agency', '')}|{finding.location.code}"


@pytest.fixture
def checked(demo_district):
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    findings = run_alignment(build_plan_set(government, YEAR))
    return government, findings, planted_flaws(government)


def test_every_family_has_planted_flaws(checked) -> None:
    _government, _findings, planted = checked
    families = Counter(str(p["code"]).split(".")[0] for p in planted)
    assert set(families) == {"cascade", "codes", "targets", "money", "proposals"}
    assert all(count >= 3 for count in families.values()), families
    # every rule is planted at least once except those the demo cannot show (no other year's Renja;
    # the district share is already below the minimum at the small scale)
    assert {p["code"] for p in planted} == set(RULES) - {"proposals.line_of_other_year",
                                                         "money.district_share_below_minimum"}


def test_all_planted_flaws_are_found(checked) -> None:
    _government, findings, planted = checked
    found = {(f.code, f.location.line, f.location.year) for f in findings}
    assert sorted(planted_key(p) for p in planted if planted_key(p) not in found) == []


def test_nothing_is_invented(checked) -> None:
    """Findings = planted flaws + the generator's own, listed inconsistencies; nothing else."""
    _government, findings, planted = checked
    wanted = {planted_key(p) for p in planted}
    rest = sorted((f.code, natural_key(f)) for f in findings if (f.code, f.location.line, f.location.year) not in wanted)
    # Shown separately so that a change of the generator reads as "new" / "gone" inconsistencies.
    new = sorted(set(rest) - set(GENERATOR_INCONSISTENCIES))
    gone = sorted(set(GENERATOR_INCONSISTENCIES) - set(rest))
    assert (new, gone) == ([], [])
    assert len(rest) == len(GENERATOR_INCONSISTENCIES)


def test_planted_flaws_are_documented_in_bahasa(checked) -> None:
    _government, _findings, planted = checked
    assert all(p["what"] and str(p["what"])[0].isupper() for p in planted)
