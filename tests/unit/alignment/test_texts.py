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


def test_numbers_are_written_the_indonesian_way() -> None:
    """Decimals with a comma, thousands with a point; codes and years are left alone, and the comma
    after a whole number stays a comma ("target Renja 4, target ...")."""
    from selaras.domain.findings import Finding, Location, Severity

    differs = Finding("targets.renja_differs_from_renstra", Severity.WARNING,
                      Location(document="Renja DINKES 2026", code="1.02.02.2.01.0001", year=2026),
                      {"agency": "DINKES", "renja_target": "4", "renstra_target": "1300.5"})
    assert message(differs) == ("Sub kegiatan 1.02.02.2.01.0001 (DINKES): target Renja 4, target Renstra tahun 2026 "
                                "1.300,5.")
    band = Finding("targets.outside_higher_band", Severity.WARNING, Location(document="RPJMD", code="inflation", year=2027),
                   {"indicator": "Laju inflasi", "local": "2–4.25", "higher": "1.5–3.5",
                    "higher_plan": "RPJMD Provinsi 32 2025-2029"})
    assert message(band) == ("Indikator \"Laju inflasi\" tahun 2027: target daerah 2–4,25 tidak berada di dalam "
                             "rentang RPJMD Provinsi 32 2025-2029 1,5–3,5.")
    share = Finding("money.district_share_below_minimum", Severity.WARNING, Location(document="RKPD 2026", year=2026),
                    {"managed": 45_000_000, "total": 1_000_000_000, "share": "4.5", "minimum": "5.00"})
    assert message(share) == ("Anggaran yang dikelola kecamatan Rp 45.000.000 dari Rp 1.000.000.000 (4,5%), "
                              "di bawah batas minimal 5%.")
