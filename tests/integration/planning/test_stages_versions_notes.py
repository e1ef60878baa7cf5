"""Stage moves (who, what blocks them, the kept override), versions and their comparison, notes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from selaras.domain.errors import AppendOnly, Conflict, InvalidInput, NotPermitted
from selaras.domain.plans import PlanStage
from selaras.web.planning import cells, documents, notes, stages, versions
from selaras.web.planning.models import DocumentVersion, NoteStatus, StageMove
from selaras.web.plans.models import RenjaLine
from tests.planning_world import PlanWorld, build_plan_world, set_rkpd_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw() -> PlanWorld:
    return build_plan_world()


def renja(pw: PlanWorld, key: str = "pupr") -> documents.Document:
    return documents.load("renja", pw.renja[key].pk)


def test_agency_submits_bappeda_moves_on(pw):
    doc = renja(pw)
    move = stages.move(pw.perencana_pupr, doc, PlanStage.DRAFT)
    assert move.version.number == 1 and move.version.stage == "rancangan"
    with pytest.raises(NotPermitted):
        stages.move(pw.perencana_pupr, renja(pw), PlanStage.FINAL_DRAFT)
    # the Renja's final draft follows the enacted RKPD
    with pytest.raises(Conflict, match="RKPD .* harus lebih dulu berada pada tahap Penetapan"):
        stages.move(pw.bappeda, renja(pw), PlanStage.FINAL_DRAFT)
    assert renja(pw).stage is PlanStage.DRAFT
    set_rkpd_stage(pw)
    stages.move(pw.bappeda, renja(pw), PlanStage.FINAL_DRAFT)
    assert renja(pw).stage is PlanStage.FINAL_DRAFT


def test_stage_path_is_fixed(pw):
    with pytest.raises(NotPermitted):
        stages.move(pw.bappeda, renja(pw), PlanStage.ENACTED)  # skips two stages
    with pytest.raises(InvalidInput):
        stages.move(pw.bappeda, renja(pw), "selesai")


def test_sinkronisasi_error_blocks_until_fixed_or_overridden(pw):
    set_rkpd_stage(pw)
    for to in (PlanStage.DRAFT, PlanStage.FINAL_DRAFT):
        stages.move(pw.bappeda, renja(pw), to)
    line = pw.renja["pupr"].lines.get()
    cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "budget", "9000000000")  # over the 5 bn ceiling
    with pytest.raises(stages.MoveBlocked) as blocked:
        stages.move(pw.bappeda, renja(pw), PlanStage.ENACTED)
    assert [f["code"] for f in blocked.value.params["findings"]] == ["money.renja_over_ceiling"]
    assert renja(pw).stage is PlanStage.FINAL_DRAFT
    with pytest.raises(InvalidInput):
        stages.move(pw.bappeda, renja(pw), PlanStage.ENACTED, override_reason="singkat")
    # fixed: moves without a reason
    cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "budget", "4000000000")
    move = stages.move(pw.bappeda, renja(pw), PlanStage.ENACTED)
    assert move.blocking_findings == [] and move.override_reason == ""


def test_override_is_bappedas_and_kept(pw):
    set_rkpd_stage(pw)
    stages.move(pw.bappeda, renja(pw), PlanStage.DRAFT)
    line = pw.renja["pupr"].lines.get()
    cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "budget", "9000000000")
    reason = "Disepakati dalam Forum Perangkat Daerah; pagu disesuaikan di KUA-PPAS."
    move = stages.move(pw.bappeda, renja(pw), PlanStage.FINAL_DRAFT, override_reason=reason)
    assert move.override_reason == reason and move.blocking_findings[0]["code"] == "money.renja_over_ceiling"
    with pytest.raises(AppendOnly):
        move.save()


def test_enacted_is_locked_until_amendment(pw):
    set_rkpd_stage(pw)
    for to in (PlanStage.DRAFT, PlanStage.FINAL_DRAFT, PlanStage.ENACTED):
        stages.move(pw.bappeda, renja(pw), to)
    line = pw.renja["pupr"].lines.get()
    for user in (pw.perencana_pupr, pw.bappeda):
        with pytest.raises(NotPermitted):
            cells.save_cell(user, "renja_line", line.pk, "budget", "1")
    with pytest.raises(NotPermitted):
        stages.move(pw.perencana_pupr, renja(pw), PlanStage.AMENDMENT)
    with pytest.raises(Conflict):  # a Renja's perubahan opens with the RKPD's
        stages.move(pw.bappeda, renja(pw), PlanStage.AMENDMENT)
    set_rkpd_stage(pw, "perubahan")
    stages.move(pw.bappeda, renja(pw), PlanStage.AMENDMENT)
    assert cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "budget", "2000000000").ok
    # a Renstra has no perubahan
    doc = documents.load("renstra", pw.renstra["pupr"].pk)
    assert stages.next_stages_of(doc) == (PlanStage.DRAFT,)


def test_versions_are_immutable_and_compared_exactly(pw):
    set_rkpd_stage(pw)
    v1 = stages.move(pw.perencana_pupr, renja(pw), PlanStage.DRAFT).version
    line = pw.renja["pupr"].lines.get()
    cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "budget", "1500000000")
    cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "target", "")
    cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "target_min", "2")
    cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "target_max", "4")
    RenjaLine.objects.create(renja=pw.renja["pupr"], code="1.03.10.2.01.0001", name="Pembangunan Jalan",
                             budget=700_000_000)
    v2 = stages.move(pw.bappeda, renja(pw), PlanStage.FINAL_DRAFT).version
    with pytest.raises(AppendOnly):
        v1.delete()
    cmp = versions.compare(v1, v2)
    assert [c.code for c in cmp.added] == ["1.03.10.2.01.0001"] and cmp.removed == []
    changed = cmp.changed[0]
    assert {(c.column, c.before, c.after) for c in changed.cells} == {
        ("target", "3", "2 – 4"), ("budget", 1_000_000_000, 1_500_000_000)}
    assert dict((c, (a, b)) for c, a, b, _ in cmp.totals)["budget"] == (1_000_000_000, 2_200_000_000)
    assert versions.compare(v2, v2).is_empty
    assert DocumentVersion.objects.filter(document_id=pw.renja["pupr"].pk, kind="renja").count() == 2
    assert StageMove.objects.filter(document_id=pw.renja["pupr"].pk).count() == 2


def test_a_renja_over_its_ceiling_is_not_submitted(pw):
    """Negative remaining pagu refuses the submission with the overrun named; nothing moves, no
    version is stored; within the ceiling it goes."""
    line = pw.renja["pupr"].lines.get()
    assert cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "budget", "5.000.000.001").ok
    for user in (pw.perencana_pupr, pw.bappeda):
        with pytest.raises(Conflict) as refused:
            stages.move(user, renja(pw), PlanStage.DRAFT)
        text = refused.value.message
        assert "Rp 5.000.000.001" in text and "Rp 5.000.000.000" in text and "sebesar Rp 1 " in text, text
    assert renja(pw).stage is PlanStage.INITIAL_DRAFT
    assert not DocumentVersion.objects.filter(kind="renja", document_id=pw.renja["pupr"].pk).exists()
    assert cells.save_cell(pw.perencana_pupr, "renja_line", line.pk, "budget", "5.000.000.000").ok
    assert stages.move(pw.perencana_pupr, renja(pw), PlanStage.DRAFT).to_stage == "rancangan"


def test_renstra_final_draft_follows_the_enacted_rpjmd(pw):
    doc = documents.load("renstra", pw.renstra["pupr"].pk)
    stages.move(pw.bappeda, doc, PlanStage.DRAFT)
    with pytest.raises(Conflict, match="RPJMD .* harus lebih dulu berada pada tahap Penetapan"):
        stages.move(pw.bappeda, documents.load("renstra", pw.renstra["pupr"].pk), PlanStage.FINAL_DRAFT)
    type(pw.rpjmd).objects.filter(pk=pw.rpjmd.pk).update(stage="penetapan")
    stages.move(pw.bappeda, documents.load("renstra", pw.renstra["pupr"].pk), PlanStage.FINAL_DRAFT)


def test_review_note_cycle(pw):
    doc = renja(pw)
    line = pw.renja["pupr"].lines.get()
    with pytest.raises(NotPermitted):
        notes.add_note(pw.perencana_pupr, doc, "Catatan sendiri")
    note = notes.add_note(pw.bappeda, doc, "Target belum sesuai Renstra.", line_kind="renja_line", line_id=line.pk)
    assert note.line_code == line.code and notes.verification_of(doc) == "needs_correction"
    assert notes.open_notes_by_agency(pw.gov.pk)[0]["open"] == 1
    with pytest.raises(NotPermitted):
        notes.answer_note(pw.perencana_dinkes, note.pk, "bukan milik saya")
    with pytest.raises(Conflict):
        notes.set_verification(pw.bappeda, doc, "verified")
    notes.answer_note(pw.perencana_pupr, note.pk, "Sudah disesuaikan.", resolve=True)
    note.refresh_from_db()
    assert note.status == NoteStatus.RESOLVED and note.answer == "Sudah disesuaikan."
    notes.set_verification(pw.bappeda, doc, "verified")
    assert notes.verification_of(doc) == "verified"
    assert notes.open_notes_by_agency(pw.gov.pk) == []
    with pytest.raises(InvalidInput):
        notes.add_note(pw.bappeda, doc, "   ")


def test_payload_of_every_kind(pw):
    for kind, pk in (("rpjmd", pw.rpjmd.pk), ("renstra", pw.renstra["pupr"].pk), ("rkpd", pw.rkpd.pk),
                     ("renja", pw.renja["pupr"].pk)):
        payload = versions.payload_of(documents.load(kind, pk))
        assert payload["lines"], kind
    rpjmd = versions.payload_of(documents.load("rpjmd", pw.rpjmd.pk))
    by_key = {line["key"]: line for line in rpjmd["lines"]}
    indicator = next(line for key, line in by_key.items() if key.startswith("indicator:"))
    assert indicator["targets"][str(pw.rpjmd.start_year)] == "72"  # indicator targets as text
    assert Decimal(72)
    # the statements are part of the version: mission, goal and objective
    assert by_key["mission:1"]["name"] == "Infrastruktur merata"
    assert by_key["objective:1.1"]["name"] == "Jalan mantap meningkat"


def test_penetapan_waits_for_the_verification(pw):
    """Walkthrough: a Renja set to "Perlu perbaikan" with an open note could be enacted. Now the move
    is refused (409, named reason, nothing moved) until the note is resolved and the verification
    no longer says "perlu perbaikan"."""
    set_rkpd_stage(pw)
    for to in (PlanStage.DRAFT, PlanStage.FINAL_DRAFT):
        stages.move(pw.bappeda, renja(pw), to)
    note = notes.add_note(pw.bappeda, renja(pw), "Indikator belum sesuai Renstra.")
    with pytest.raises(Conflict, match="verifikasi Bappeda belum selesai .*1 catatan verifikasi belum "
                                       "diselesaikan; status verifikasi: Perlu perbaikan") as refused:
        stages.move(pw.bappeda, renja(pw), PlanStage.ENACTED)
    assert refused.value.params["reason"] == "plan.verification_open"
    with pytest.raises(Conflict):  # a reason for sinkronisasi errors does not pass it
        stages.move(pw.bappeda, renja(pw), PlanStage.ENACTED, override_reason="Sudah dibahas di forum.")
    notes.answer_note(pw.perencana_pupr, note.pk, "Sudah disesuaikan.", resolve=True)
    with pytest.raises(Conflict, match="status verifikasi: Perlu perbaikan"):
        stages.move(pw.bappeda, renja(pw), PlanStage.ENACTED)
    assert renja(pw).stage is PlanStage.FINAL_DRAFT
    notes.set_verification(pw.bappeda, renja(pw), "verified")
    assert stages.move(pw.bappeda, renja(pw), PlanStage.ENACTED).to_stage == "penetapan"


def test_rkpd_final_draft_and_penetapan_follow_the_enacted_rpjmd(pw):
    """Walkthrough: the RKPD reached penetapan while the RPJMD was still rancangan awal; it now waits
    like the Renstra, with the same message."""
    def rkpd() -> documents.Document:
        return documents.load("rkpd", pw.rkpd.pk)

    stages.move(pw.bappeda, rkpd(), PlanStage.DRAFT)  # drafting does not wait
    with pytest.raises(Conflict, match="RKPD belum dapat dipindah ke tahap Rancangan Akhir: RPJMD .* harus lebih "
                                       "dulu berada pada tahap Penetapan"):
        stages.move(pw.bappeda, rkpd(), PlanStage.FINAL_DRAFT)
    type(pw.rpjmd).objects.filter(pk=pw.rpjmd.pk).update(stage="penetapan")
    stages.move(pw.bappeda, rkpd(), PlanStage.FINAL_DRAFT)
    type(pw.rpjmd).objects.filter(pk=pw.rpjmd.pk).update(stage="rancangan_akhir")  # e.g. data fixed by hand
    with pytest.raises(Conflict, match="harus lebih dulu berada pada tahap Penetapan"):
        stages.move(pw.bappeda, rkpd(), PlanStage.ENACTED)
    # an RKPD that names no RPJMD follows the government's RPJMD of its year
    type(pw.rkpd).objects.filter(pk=pw.rkpd.pk).update(rpjmd=None)
    with pytest.raises(Conflict, match="RPJMD .* harus lebih dulu"):
        stages.move(pw.bappeda, rkpd(), PlanStage.ENACTED)
    type(pw.rpjmd).objects.filter(pk=pw.rpjmd.pk).update(stage="penetapan")
    assert stages.move(pw.bappeda, rkpd(), PlanStage.ENACTED).to_stage == "penetapan"
