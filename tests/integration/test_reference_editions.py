"""Editions in the database: import from a file (one transaction, nothing half-loaded), the
derived mapping stored and diffed, and the demo district moved to the 2027 nomenclature
(preview, confirm, apply, sinkronisasi afterwards)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from selaras.domain.errors import Conflict, InvalidEditionFile
from selaras.engines.alignment import run_alignment
from selaras.reference import editions as E
from selaras.reference import read_regions
from selaras.web.alignment.snapshot import build_plan_set
from selaras.web.plans.models import LocalGovernment, RenjaLine, RenstraLine
from selaras.web.proposals.models import Proposal
from selaras.web.reference import mappings, selectors
from selaras.web.reference.models import CodeMapping, Edition, EditionMove, Region
from selaras.web.reference.moves import apply_move, preview_move
from selaras.web.reference.services import import_edition


def _csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["kode", "nama"])
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def loaded(demo_district):
    return demo_district


def test_import_region_edition_and_mapping(loaded, tmp_path):
    sample = [(r.code, r.name) for r in read_regions(E.REGION_EDITION_2023) if r.code.split(".")[0] in ("11", "92", "96")]
    result = import_edition(str(_csv(tmp_path / "w.csv", sample)), kind="region", key="uji-wilayah-2023",
                            regulation="Kepmendagri 100.1.1-6117/2022", valid_from=2023, valid_to=2024,
                            replaces="")
    assert result["rows"] == len(sample)
    edition = Edition.objects.get(key="uji-wilayah-2023")
    assert (edition.origin, edition.valid_from, edition.row_count) == ("imported", 2023, len(sample))
    counts = mappings.derive_and_store("uji-wilayah-2023", E.REGION_EDITION.key)
    assert counts["moved"] >= 6
    assert mappings.successor("92.01", "uji-wilayah-2023", E.REGION_EDITION.key).codes == ("96.01",)
    # 11.02.03.2002 Kisam is Kuta Buluh in 2025: the code still exists, yet nothing follows it
    # until a person confirms
    assert selectors.successor_codes("region", "11.02.03.2002", "uji-wilayah-2023", E.REGION_EDITION.key) == []
    assert mappings.successor("11.02.03.2002", "uji-wilayah-2023", E.REGION_EDITION.key).state == "needs_person"
    row = CodeMapping.objects.get(from_edition="uji-wilayah-2023", from_code="11.02.03.2002")
    mappings.confirm(row.pk, get_user_model().objects.create_user("pemeriksa_wilayah", password="x"))
    assert selectors.successor_codes("region", "11.02.03.2002", "uji-wilayah-2023",
                                     E.REGION_EDITION.key) == ["11.02.03.2002"]
    assert mappings.derive_and_store("uji-wilayah-2023", E.REGION_EDITION.key)["moved"] >= 6
    assert CodeMapping.objects.get(pk=row.pk).status == "confirmed"  # a new derivation keeps the decision
    with pytest.raises(Conflict):
        import_edition(str(_csv(tmp_path / "w.csv", sample)), kind="region", key="uji-wilayah-2023")


def test_malformed_file_loads_nothing(loaded, tmp_path):
    rows = [("32", "JAWA BARAT"), ("32.15", "KAB. KARAWANG"), ("32.15.01", "Satu"), ("32.1x.02", "Rusak")]
    with pytest.raises(InvalidEditionFile) as caught:
        import_edition(str(_csv(tmp_path / "bad.csv", rows)), kind="region", key="uji-rusak")
    assert caught.value.params["row"] == 5 and caught.value.params["column"] == "kode"
    assert not Edition.objects.filter(key="uji-rusak").exists()
    assert not Region.objects.filter(edition="uji-rusak").exists()


def test_demo_district_moved_to_the_2027_nomenclature(loaded):
    government = LocalGovernment.objects.get(pk=loaded.government_id)
    old, new = government.nomenclature_edition, E.NOMENCLATURE_EDITION_2027.key
    assert old == E.NOMENCLATURE_EDITION.key
    preview = preview_move(government.pk, "nomenclature", new)
    assert preview["from_edition"] == old and sum(preview["rows"].values()) > 0
    # the preview writes nothing
    assert LocalGovernment.objects.get(pk=government.pk).nomenclature_edition == old
    assert not EditionMove.objects.filter(government_id=government.pk).exists()
    waiting = [c for c in preview["changes"] if c["state"] == "needs_person"]
    assert waiting and preview["codes"]["maps"] > 0
    user = get_user_model().objects.create_user("pemeriksa", password="x")
    # A person confirms the first candidate of every code waiting for review.
    confirmed: dict[str, str] = {}
    for change in waiting:
        row = CodeMapping.objects.filter(from_edition=old, to_edition=new, from_code=change["code"],
                                         status="review").order_by("to_code").first()
        if row is not None:
            mappings.confirm(row.pk, user)
            confirmed[row.from_code] = row.to_code
    assert confirmed
    kept = CodeMapping.objects.filter(from_edition=old, to_edition=new, status="confirmed")
    assert kept.count() == len(confirmed) and all(r.reviewed_by == user and r.reviewed_at for r in kept)
    after_review = preview_move(government.pk, "nomenclature", new)
    assert after_review["codes"]["needs_person"] < preview["codes"]["needs_person"]
    proposals_before = dict(Proposal.objects.filter(government=government).values_list("pk", "sub_activity_code"))
    move = apply_move(government.pk, "nomenclature", new, user=user)
    assert EditionMove.objects.filter(pk=move.pk, user=user, from_edition=old, to_edition=new).exists()
    government.refresh_from_db()
    assert government.nomenclature_edition == new
    table, new_codes = mappings.successor_table(old, new)
    # Lines left on the old edition are exactly those without a successor a person confirmed.
    for code in RenstraLine.objects.filter(renstra__agency__government=government,
                                           nomenclature_edition=old).values_list("code", flat=True):
        state = table.get(code) or mappings.Successor("maps" if code in new_codes else "no_successor", (), "")
        assert state.state != "maps", code
    moved = {c["old"]: c["new"] for c in move.changes if c["table"] == "proposals.Proposal"}
    for pk, code in Proposal.objects.filter(government=government).values_list("pk", "sub_activity_code"):
        before = proposals_before[pk]
        assert code == moved.get(before, before)
    # every confirmed successor was applied
    applied = {(c["old"], c["new"]) for c in move.changes}
    assert any(pair in applied for pair in confirmed.items() if pair[0] != pair[1])
    assert {c["table"] for c in move.changes} >= {"plans.RenstraLine", "plans.RenjaLine", "proposals.Proposal"}
    findings = run_alignment(build_plan_set(government, 2027))
    # (a line of an edition older still, e.g. a demo flaw, is not part of this move: its own finding)
    superseded = [f for f in findings if f.code == "codes.superseded_edition" and f.params["edition"] == old]
    assert all(f.params["current"] == new for f in superseded)
    # No line on a superseded code that had a confirmed (or otherwise accepted) successor.
    accepted = set(CodeMapping.objects.filter(from_edition=old, to_edition=new,
                                              status__in=CodeMapping.ACCEPTED).exclude(to_code="").values_list(
        "from_code", flat=True))
    for finding in superseded:
        code = finding.location.code
        assert code not in confirmed, code
        state = table.get(code) or mappings.Successor("maps" if code in new_codes else "no_successor", (), "")
        assert state.state != "maps", code
        assert code not in accepted or state.state == "needs_person", code  # a split waits for a choice
    left = RenstraLine.objects.filter(renstra__agency__government=government, nomenclature_edition=old).count()
    left += RenjaLine.objects.filter(renja__rkpd__government=government, renja__rkpd__year=2027,
                                     nomenclature_edition=old).count()
    assert len(superseded) <= left
