"""Excel download and upload of a plan document in its official layout."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from selaras.formats.upload_limits import DEFAULT_LIMITS
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.jobs.service import submit
from selaras.web.planning import excel, jobs
from selaras.web.planning.scope import check_edit
from selaras.web.planning.views import _document

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 20 * 1024 * 1024


@login_required
def export(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    layout = excel.layout_of(doc)
    response = HttpResponse(excel.export_document(doc), content_type=_XLSX)
    name = f"{layout.name.replace('.', '')}-{doc.kind.value}-{doc.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def upload(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    check_edit(request.user, doc)
    layout = excel.layout_of(doc)
    context: dict[str, object] = {"doc": doc, "layout": layout, "max_rows": DEFAULT_LIMITS.max_rows}
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None:
            context["error"] = "Pilih berkas Excel (.xlsx) untuk diunggah."
            return render(request, "planning/upload.html", context, status=400)
        if upload.size is not None and upload.size > MAX_UPLOAD:
            context["error"] = "Berkas terlalu besar (paling besar 20 MB)."
            return render(request, "planning/upload.html", context, status=400)
        job = submit(jobs.KIND, user=request.user, label=f"Impor {layout.name}: {doc.title}",
                     params={"kind": doc.kind.value, "pk": doc.pk}, government_id=doc.government_id,
                     back_url=reverse("planning:document", args=[doc.kind.value, doc.pk]),
                     upload=(upload.name or "berkas.xlsx", upload.read()))
        return redirect(reverse("jobs:status", args=[job.token]))
    return render(request, "planning/upload.html", context)
