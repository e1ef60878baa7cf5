"""Web pages of the bulk import: templates to download, upload, progress, result, rejects.

An upload is stored under MEDIA_ROOT/impor/<job>/ and imported by a background task
(`tasks.run_import`, run by the worker process; with the immediate backend, in tests, in the
request); the status page polls a small fragment (htmx) that reads the job's status.json, and
its "Batalkan" button asks the task to stop between batches.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
import uuid
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

from selaras.domain.errors import NotPermitted
from selaras.domain.proposals import CHANNEL_LABELS, Channel
from selaras.formats.proposal_table import IMPORT_CHANNELS, columns_for
from selaras.web.http import AnyUser, AuthenticatedHttpRequest
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals import import_service
from selaras.web.proposals.permissions import membership_of

MAX_MESSAGES = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _jobs_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "impor"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _job_dir(job: str) -> Path:
    if not job.isalnum() or len(job) > 40:
        raise Http404
    path = _jobs_dir() / job
    if not path.is_dir():
        raise Http404
    return path


def _read_status(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((path / "status.json").read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return {"state": "queued", "phase": "", "done": 0, "total": 0}


def _write_status(path: Path, status: dict[str, Any]) -> None:
    tmp = path / "status.json.tmp"
    tmp.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path / "status.json")


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

ACTIVE_STATES = ("queued", "running")
STALE_SECONDS = 3600  # a job without a living process whose status has not moved for this long


def max_upload_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def too_large_message(size: int | None = None) -> str:
    limit = max_upload_bytes() // (1024 * 1024)
    got = f" ({size / (1024 * 1024):.1f} MB)".replace(".", ",") if size is not None else ""
    return (f"Berkas terlalu besar{got}: paling besar {limit} MB. Bagi berkas menjadi beberapa bagian, "
            "atau simpan sebagai .xlsx (lebih kecil daripada CSV).")


@contextlib.contextmanager
def _jobs_lock() -> Any:
    """One upload at a time decides whether a user's job may start (across server processes)."""
    with open(_jobs_dir() / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _orphaned(path: Path, status: dict[str, Any]) -> bool:
    """A running job whose worker is gone (a restart, a kill) or a job that has not moved for an hour."""
    pid = status.get("pid")
    if status.get("state") == "running" and isinstance(pid, int) and not _process_alive(pid):
        return True
    try:
        age = time.time() - (path / "status.json").stat().st_mtime
    except OSError:
        return True
    return age > STALE_SECONDS


def _fail_orphan(path: Path, status: dict[str, Any]) -> None:
    status.update(state="failed", error="impor terhenti sebelum selesai (server dimulai ulang atau proses "
                                        "dihentikan). Tidak ada usulan dari impor ini yang tersimpan; unggah "
                                        "berkas sekali lagi.")
    _write_status(path, status)
    _remove_upload(path)


def _remove_upload(path: Path) -> None:
    for p in path.iterdir():
        if p.name.startswith("upload"):
            p.unlink(missing_ok=True)


def _running_jobs(user_id: int) -> list[tuple[str, dict[str, Any]]]:
    """The user's imports still queued or running (orphans found on the way are marked failed)."""
    found = []
    for status_file in _jobs_dir().glob("*/status.json"):
        path = status_file.parent
        status = _read_status(path)
        if status.get("user_id") != user_id or status.get("state") not in ACTIVE_STATES:
            continue
        if _orphaned(path, status):
            _fail_orphan(path, status)
            continue
        found.append((path.name, status))
    return found


def _busy_message(job: str, status: dict[str, Any]) -> str:
    url = reverse("proposals:import_status", kwargs={"job": job})
    return (f"Impor Anda yang lain masih berjalan: berkas '{status.get('filename', '')}' (impor {job[:8]}, "
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
        job = uuid.uuid4().hex
        path = _jobs_dir() / job
        upload_file = form.cleaned_data["file"]
        filename = Path(upload_file.name).name
        params = {"government": form.cleaned_data["government"].pk, "channel": form.cleaned_data["channel"],
                  "year": form.cleaned_data["year"], "valid_only": form.cleaned_data["valid_only"],
                  "filename": filename, "user_id": request.user.pk}
        with _jobs_lock():
            running = _running_jobs(request.user.pk)
            if len(running) >= int(getattr(settings, "IMPORT_MAX_JOBS_PER_USER", 1)):
                _refuse(form, _busy_message(*running[0]))
                return render(request, "proposals/import_upload.html", {"form": form, **context}, status=409)
            path.mkdir()
            _write_status(path, {"state": "queued", "phase": "", "done": 0, "total": 0, "pid": None,
                                 **params})
        try:
            with open(path / ("upload" + Path(filename).suffix.lower()), "wb") as out:
                for chunk in upload_file.chunks():
                    out.write(chunk)
        except OSError:
            _fail_orphan(path, _read_status(path))
            raise
        from selaras.web.proposals.tasks import run_import

        run_import.enqueue(job)
        return redirect("proposals:import_status", job=job)
    return render(request, "proposals/import_upload.html", {"form": form, **context})


def _owned_status(request: AuthenticatedHttpRequest, job: str) -> tuple[Path, dict[str, Any]]:
    path = _job_dir(job)
    status = _read_status(path)
    if status.get("user_id") != request.user.pk and not getattr(request.user, "is_superuser", False):
        raise Http404
    if status.get("state") in ACTIVE_STATES and _orphaned(path, status):
        _fail_orphan(path, status)  # the page says so instead of polling for ever
    return path, status


def _context(job: str, status: dict[str, Any]) -> dict[str, Any]:
    total = status.get("total") or 0
    percent = int(100 * status.get("done", 0) / total) if total else 0
    phase_labels = {"baca": "Membaca berkas", "periksa": "Memeriksa baris", "simpan": "Menyimpan usulan",
                    "akhir": "Memperbarui statistik basis data"}
    channel = status.get("channel", "")
    return {"job": job, "status": status, "percent": percent,
            "phase_label": phase_labels.get(status.get("phase", ""), "Menunggu giliran"),
            "channel_label": CHANNEL_LABELS.get(Channel(channel), channel) if channel else "",
            "finished": status.get("state") in ("done", "failed")}


@login_required
def status_page(request: AuthenticatedHttpRequest, job: str) -> HttpResponse:
    _, status = _owned_status(request, job)
    return render(request, "proposals/import_status.html", _context(job, status))


@login_required
def progress_fragment(request: AuthenticatedHttpRequest, job: str) -> HttpResponse:
    _, status = _owned_status(request, job)
    response = render(request, "proposals/import_progress.html", _context(job, status))
    if status.get("state") in ("done", "failed"):
        response["HX-Refresh"] = "true"  # show the full result page
    return response


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, job: str) -> HttpResponse:
    """"Batalkan": a queued job stops at once; a running one at its next batch (nothing is kept)."""
    from selaras.web.proposals.tasks import CANCELLED_MESSAGE

    path, status = _owned_status(request, job)
    with _jobs_lock():
        status = _read_status(path)
        if status.get("state") == "queued":
            status.update(state="failed", cancelled=True, error=CANCELLED_MESSAGE)
            _write_status(path, status)
            _remove_upload(path)
        elif status.get("state") == "running":
            status["cancel_requested"] = True
            _write_status(path, status)
    return redirect("proposals:import_status", job=job)


@login_required
def rejects(request: AuthenticatedHttpRequest, job: str) -> FileResponse:
    path, _ = _owned_status(request, job)
    target = path / "ditolak.xlsx"
    if not target.exists():
        raise Http404
    return FileResponse(open(target, "rb"), as_attachment=True, filename=f"usulan-ditolak-{job[:8]}.xlsx",
                        content_type=XLSX)


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
