"""The Excel import of a plan document runs as a background job (the job page polls, can cancel)."""

from __future__ import annotations

from django.urls import reverse

from selaras.domain.errors import InvalidInput
from selaras.web.jobs.registry import JobContext, JobOutcome, handler
from selaras.web.planning import documents, excel

KIND = "planning.import"
SHOWN_PROBLEMS = 8


@handler(KIND, label="Impor tabel rencana (Excel)")
def import_plan_table(ctx: JobContext) -> JobOutcome:
    params = ctx.params
    doc = documents.load(str(params["kind"]), int(params["pk"]))
    upload = ctx.upload_path()
    if upload is None:
        raise InvalidInput("Berkas unggahan tidak ditemukan.")
    ctx.progress("Membaca dan memeriksa berkas", 0, 2, force=True)
    outcome = excel.import_document(ctx.user, doc, upload.read_bytes())
    url = reverse("planning:document", args=[doc.kind.value, doc.pk])
    if not outcome.ok:
        texts = [excel.problem_text(p) for p in outcome.problems]
        report = ctx.output_path("masalah-impor.txt")
        report.write_text("\n".join(texts) + "\n", encoding="utf-8")
        more = f" … dan {len(texts) - SHOWN_PROBLEMS} masalah lain (unduh daftarnya)." if len(texts) > SHOWN_PROBLEMS else ""
        return JobOutcome(message=f"Berkas tidak diterapkan: {len(texts)} masalah; tidak ada yang diubah. "
                                  + " · ".join(texts[:SHOWN_PROBLEMS]) + more,
                          file=report, download_name="masalah-impor.txt", result_url=url,
                          data={"ok": False, "problems": texts[:500]})
    ctx.progress("Selesai", 2, 2, force=True)
    return JobOutcome(message=f"Berkas diterapkan: {outcome.created} baris baru, {outcome.updated} baris diubah, "
                              f"{outcome.deleted} baris dihapus.", result_url=url,
                      data={"ok": True, "created": outcome.created, "updated": outcome.updated,
                            "deleted": outcome.deleted})
