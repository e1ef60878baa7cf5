"""Every rule has its Bahasa Indonesia text, a row in docs/alignment.md, and messages render fully."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selaras.engines.alignment import RULES, run_alignment
from selaras.web.alignment.messages import FAMILY_TITLES, RULE_TEXTS, message
from tests.unit.alignment.plans import clean
from tests.unit.alignment.test_rules import BREAKS

DOC = Path(__file__).resolve().parents[3] / "docs" / "alignment.md"


def test_every_rule_has_a_text() -> None:
    assert set(RULE_TEXTS) == set(RULES)
    assert {rule.family for rule in RULES.values()} == set(FAMILY_TITLES)


def test_docs_table_lists_every_rule_with_its_severity() -> None:
    rows = re.findall(r"^\| `([a-z_.]+)` \| (error|warning|info) \|", DOC.read_text(), flags=re.M)
    assert dict(rows) == {code: rule.severity.value for code, rule in RULES.items()}


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_messages_render_without_gaps(code: str) -> None:
    for finding in run_alignment(BREAKS[code][0](clean())):
        text = message(finding)
        assert "?" not in text and "{" not in text and text.endswith("."), text


def test_rupiah_uses_indonesian_grouping() -> None:
    from dataclasses import replace

    breaker, _ = BREAKS["money.rkpd_over_ceiling"]
    (finding,) = run_alignment(breaker(clean()))
    finding = replace(finding, params={**finding.params, "total": 1_250_000_000, "ceiling": 1_000_000_000,
                                       "excess": 250_000_000})
    assert "Rp 1.250.000.000 melebihi pagu indikatif daerah Rp 1.000.000.000 (selisih Rp 250.000.000)." in message(finding)


def test_messages_name_agencies_when_names_are_given() -> None:
    breaker, _ = BREAKS["proposals.wrong_agency"]
    (finding,) = run_alignment(breaker(clean()))
    names = {"DPUPR": "Dinas PUPR", "KEC-A": "Kecamatan A"}
    assert message(finding, names) == "Usulan U-2 milik Dinas PUPR dikaitkan dengan baris Renja Kecamatan A."
    assert message(finding) == "Usulan U-2 milik DPUPR dikaitkan dengan baris Renja KEC-A."


def test_reason_names_the_other_agency_not_its_code() -> None:
    """A Renja line linked to another agency's Renstra line blocks a stage move; the message names
    both agencies as people know them, never by the raw agency code."""
    from selaras.domain.findings import Finding, Location, Severity

    finding = Finding("cascade.renja_line_renstra_mismatch", Severity.ERROR,
                      Location(document="Renja 1.03.0.00.0.00.01.0000 2027", code="1.03.10.2.01.0009", year=2027),
                      {"agency": "1.03.0.00.0.00.01.0000", "reason": "agency",
                       "renstra_agency": "1.02.0.00.0.00.01.0000"})
    names = {"1.03.0.00.0.00.01.0000": "Dinas PUPR", "1.02.0.00.0.00.01.0000": "Dinas Kesehatan"}
    text = message(finding, names)
    assert text == ("Sub kegiatan 1.03.10.2.01.0009 pada Renja Dinas PUPR: baris Renstra milik perangkat daerah "
                    "lain (Dinas Kesehatan).")
    assert "0.00" not in text
