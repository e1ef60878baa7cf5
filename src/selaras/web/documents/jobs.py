"""The background job that produces an official document (kind "documents.produce")."""

from __future__ import annotations

from django.utils import timezone

from selaras.domain.errors import NotFound
from selaras.web.documents import services
from selaras.web.jobs.registry import JobContext, JobOutcome, handler
from selaras.web.plans.models import LocalGovernment

KIND = "documents.produce"


@handler(KIND, label="Dokumen resmi")
def produce(ctx: JobContext) -> JobOutcome:
    params = ctx.params
    government = LocalGovernment.objects.filter(pk=ctx.government_id or 0).first()
    if government is None:
        raise NotFound("Pemerintah daerah dokumen ini tidak ditemukan.")
    version = params.get("version")
    path, name, message = services.produce_file(
        ctx.user, government, str(params.get("kind", "")), str(params.get("format", "")),
        str(params.get("scope", "")), int(params.get("year") or 0), int(version) if version else None,
        ctx.directory(), lambda phase, done, total, unit: ctx.progress(phase, done, total, unit=unit), timezone.localdate())
    return JobOutcome(message=message, file=path, download_name=name)
