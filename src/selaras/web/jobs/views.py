"""The pages of a background job: its status (polled while it runs), cancel, download, and my jobs."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.jobs import service
from selaras.web.jobs.models import Job


def _own_job(request: AuthenticatedHttpRequest, token: str) -> Job:
    """The job `token` if it is the user's (a superuser sees all); anyone else gets a 404."""
    if not token.isalnum():
        raise Http404
    job = Job.objects.filter(token=token).first()
    if job is None or (job.user_id != request.user.pk and not request.user.is_superuser):
        raise Http404
    return job


@login_required
def status(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    job = _own_job(request, token)
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/status.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    job = _own_job(request, token)
    service.request_cancel(job)
    return redirect("jobs:status", token=job.token)


@login_required
def download(request: AuthenticatedHttpRequest, token: str) -> FileResponse:
    job = _own_job(request, token)
    if not job.result_file:
        raise Http404
    path = (service.jobs_root() / job.result_file).resolve()
    if service.jobs_root().resolve() not in path.parents or not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=job.download_name or Path(path).name)


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(user=request.user)[:50]
    return render(request, "jobs/list.html", {"jobs": jobs})
