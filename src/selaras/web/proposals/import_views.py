"""Web pages of the bulk import: templates to download, upload, progress, result, rejects.

An upload becomes a background job of kind "proposals.import" (`import_job`, run by the worker
process; with the immediate backend, in tests, in the request); the result page reads the Job
row and, while the job runs, polls a small fragment (htmx); its "Batalkan" button asks the job
to stop at its next step (the write is one transaction: nothing is kept).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from selaras.domain.errors import NotPermitted, TooManyJobs
from selaras.domain.proposals import CHANNEL_LABELS, Channel
from selaras.formats.proposal_table import IMPORT_CHANNELS, columns_for
from selaras.web.http import AnyUser, AuthenticatedHttpRequest
from selaras.web.jobs import service as jobs
from selaras.web.jobs.models import Job, JobState
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals import import_job, import_service
from selaras.web.proposals.permissions import membership_of

MAX_MESSAGES = import_job.MAX_MESSAGES
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _governments(user: AnyUser) -> list[LocalGovernment]:
    membership = membership_of(user)
    if membership is not None:
        return [membership.government]
    if getattr(user, "is_superuser", False):
        return list(LocalGovernment.objects.order_by("region_code"))
    return []


# ---------------------------------------------------------------------------------- limits
# Upload size (SELARAS_IMPORT_MAX_UPLOAD_MB) and running imports per user (SELARAS_IMPORT_MAX_JOBS);
# the rows and the sheet's size are checked by the import itself (formats.upload_limits).


def max_upload_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def too_large_message(size: int | None = None) -> str:
    limit = max_upload_bytes() // (1024 * 1024)
    got = f" ({size / (1024 * 1024):.1f} MB)".replace(".", ",") if size is not None else ""
    return (f"Berkas terlalu besar{got}: paling besar {limit} MB. Bagi berkas menjadi beberapa bagian, "
            "atau simpan sebagai .xlsx (lebih kecil daripada CSV).")


def _busy_message(job: Job) -> str:
    url = reverse("proposals:import_status", kwargs={"job": job.token})
    return (f"Impor Anda yang lain masih berjalan: berkas '{job.params.get('filename', '')}' (impor {job.token[:8]}, "
            f"lihat {url}). Tunggu sampai selesai sebelum mengunggah berkas baru.")


def _refuse(form: forms.Form, message: str) -> None:
    """Show `message` above the form (also on a form that was not bound: the body was not read)."""
    if not form.is_bound:
        form._errors = ErrorDict()  # type: ignore[attr-defined]  # stubs omit the private attribute
        form.cleaned_data = {}
    form.add_error(None, message)


class UploadForm(forms.Form):
    government = forms.ModelChoiceField(queryset=LocalGovernment.objects.none(), label="Pemerintah daerah")
    channel = forms.ChoiceField(label="Jalur usulan", choices=[(c.value, CHANNEL_LABELS[c]) for c in IMPORT_CHANNELS])
    year = forms.IntegerField(label="Tahun rencana", min_value=2000, max_value=2100)
    file = forms.FileField(label="Berkas Excel (.xlsx) atau CSV")
    valid_only = forms.BooleanField(
        label="Impor baris yang valid saja (baris yang salah dikembalikan sebagai berkas Excel)", required=False)

    def __init__(self, *args: Any, governments: list[LocalGovernment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["government"]
        field.queryset = LocalGovernment.objects.filter(pk__in=[g.pk for g in governments])
        if len(governments) == 1:
            self.initial.setdefault("government", governments[0].pk)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".xlsm", ".xls", ".ods", ".csv")):
            raise forms.ValidationError("Berkas harus .xlsx atau .csv (unduh templat di halaman ini).")
        if upload.size is not None and upload.size > max_upload_bytes():
            raise forms.ValidationError(too_large_message(upload.size))
        return upload


def _allowed_channels(user: AnyUser, government: LocalGovernment | None) -> list[Channel]:
    if government is None:
        return []
    # whether the role may import the channel at all; row places are checked during the import
    return [c for c in IMPORT_CHANNELS if _channel_possible(user, government, c)]


def _channel_possible(user: AnyUser, government: LocalGovernment, channel: Channel) -> bool:
    try:
        import_service.check_import_channel(user, government, channel)
    except NotPermitted:
        return False
    return True


class _UploadLimit(FileUploadHandler):
    """Stops reading a file once it passes the limit; the rest of the body is read and discarded."""

    def __init__(self, request: Any, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.seen = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > self.limit:
            self.request.selaras_upload_refused = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _content_length(request: HttpRequest) -> int:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    return int(raw) if raw.isascii() and raw.isdigit() else 0


@csrf_exempt  # only so the size is checked before the CSRF check reads the body; the page is csrf_protect
@login_required
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        length = _content_length(request)
        if length > max_upload_bytes() + 64 * 1024:  # refused before the body is read
            return _upload_page(request, refused=too_large_message(length))
        with contextlib.suppress(AttributeError):  # the body was read already: the form checks the size
            request.upload_handlers.insert(0, _UploadLimit(request, max_upload_bytes()))
    return _upload_page(request)


@csrf_protect
def _upload_page(request: AuthenticatedHttpRequest, refused: str = "") -> HttpResponse:
    from selaras.web.proposals.windows import planning_year

    governments = _governments(request.user)
    government = governments[0] if governments else None
    channels = _allowed_channels(request.user, government)
    initial = {"year": planning_year(government), "channel": channels[0].value if channels else ""}
    context = {"government": government,
               "channels": [(c.value, CHANNEL_LABELS[c], columns_for(c)) for c in channels]}
    if refused:
        form = UploadForm(governments=governments, initial=initial)
        _refuse(form, refused)
        return render(request, "proposals/import_upload.html", {"form": form, **context}, status=413)
    form = UploadForm(request.POST or None, request.FILES or None, governments=governments, initial=initial)
    if getattr(request, "selaras_upload_refused", False):
        form = UploadForm(governments=governments, initial=initial)
        _refuse(form, too_large_message())
        return render(request, "proposals/import_upload.html", {"form": form, **context}, status=413)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            job = import_job.submit_import(
                request.user, government_id=form.cleaned_data["government"].pk,
                channel=form.cleaned_data["channel"], year=form.cleaned_data["year"],
                valid_only=form.cleaned_data["valid_only"], filename=Path(upload_file.name).name, upload=upload_file)
        except jobs.KindBusy as busy:
            _refuse(form, _busy_message(busy.job))
            return render(request, "proposals/import_upload.html", {"form": form, **context}, status=409)
        except TooManyJobs as error:
            from selaras.web.errors.messages import error_text

            _refuse(form, error_text(error))
            return render(request, "proposals/import_upload.html", {"form": form, **context}, status=409)
        return redirect("proposals:import_status", job=job.token)
    return render(request, "proposals/import_upload.html", {"form": form, **context})


def _owned_job(request: AuthenticatedHttpRequest, token: str) -> Job:
    """The import job `token` if it is the user's (a superuser sees all); anyone else gets a 404.
    An orphan (its worker gone) is marked failed here, so the page says so instead of polling for ever."""
    if not token.isalnum() or len(token) > 40:
        raise Http404
    job = Job.objects.filter(token=token, kind=import_job.KIND).first()
    if job is None or (job.user_id != request.user.pk and not getattr(request.user, "is_superuser", False)):
        raise Http404
    jobs.fail_if_orphaned(job, message=import_job.ORPHAN_MESSAGE, stale_seconds=import_job.STALE_SECONDS)
    return job


def _context(job: Job) -> dict[str, Any]:
    params = job.params or {}
    channel = params.get("channel", "")
    try:
        channel_label = CHANNEL_LABELS[Channel(channel)] if channel else ""
    except ValueError:
        channel_label = channel
    return {"job": job, "params": params, "result": job.result or {}, "percent": job.percent,
            "phase_label": job.phase if job.state == JobState.RUNNING and job.phase else "Menunggu giliran",
            "channel_label": channel_label, "finished": not job.active}


@login_required
def status_page(request: AuthenticatedHttpRequest, job: str) -> HttpResponse:
    return render(request, "proposals/import_status.html", _context(_owned_job(request, job)))


@login_required
def progress_fragment(request: AuthenticatedHttpRequest, job: str) -> HttpResponse:
    found = _owned_job(request, job)
    response = render(request, "proposals/import_progress.html", _context(found))
    if not found.active:
        response["HX-Refresh"] = "true"  # show the full result page
    return response


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, job: str) -> HttpResponse:
    """"Batalkan": a queued import stops at once; a running one at its next step (nothing is kept)."""
    found = _owned_job(request, job)
    jobs.request_cancel(found)
    return redirect("proposals:import_status", job=found.token)


@login_required
def rejects(request: AuthenticatedHttpRequest, job: str) -> FileResponse:
    found = _owned_job(request, job)
    if found.state != JobState.DONE or not found.result_file:
        raise Http404
    root = jobs.jobs_root().resolve()
    target = (root / found.result_file).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404
    return FileResponse(open(target, "rb"), as_attachment=True,
                        filename=found.download_name or f"usulan-ditolak-{found.token[:8]}.xlsx", content_type=XLSX)


@login_required
def template(request: AuthenticatedHttpRequest, channel: str) -> HttpResponse:
    if channel not in {c.value for c in IMPORT_CHANNELS}:
        raise Http404
    governments = _governments(request.user)
    wanted = request.GET.get("government")
    government = next((g for g in governments if str(g.pk) == wanted), governments[0] if governments else None)
    if government is None:
        raise Http404
    data = import_service.template_bytes(government, channel)
    response = HttpResponse(data, content_type=XLSX)
    code = government.region_code.replace(".", "")
    response["Content-Disposition"] = f'attachment; filename="templat-usulan-{channel}-{code}.xlsx"'
    return response
