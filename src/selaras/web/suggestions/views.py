"""Pages of /saran/: htmx partials beside a proposal and in the verifier's queue, the two actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from selaras.domain.errors import InvalidInput, NotFound, NotPermitted
from selaras.web.errors.messages import error_text
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.params import int_param, text_param, year_param
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals import selectors as proposal_selectors
from selaras.web.proposals.models import Proposal
from selaras.web.proposals.permissions import can
from selaras.web.suggestions import services


def _visible(request: AuthenticatedHttpRequest, number: str) -> Proposal:
    proposal = proposal_selectors.get_visible(request.user, number)
    if proposal is None:
        raise NotFound("Usulan tidak ditemukan atau di luar lingkup Anda.")
    return proposal


@login_required
def proposal_panel(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """Duplicate candidates and classification suggestions of one proposal (htmx partial)."""
    proposal = _visible(request, number)
    may_decide = bool(proposal_selectors.stages_user_may_decide(request.user, proposal))
    suggestion = services.suggest(proposal.government, proposal.title, proposal.district_code)
    compact = request.GET.get("ringkas") == "1"
    return render(request, "suggestions/_panel.html", {
        "proposal": proposal, "candidates": services.candidates_for(proposal), "suggestion": suggestion,
        "may_decide": may_decide, "compact": compact,
        "may_assign": can(request.user, "assign", government=proposal.government_id)})


def _back(proposal: Proposal) -> HttpResponse:
    return redirect(reverse("proposals:detail", args=[proposal.number]))


@login_required
@require_POST
def merge(request: AuthenticatedHttpRequest, number: str, other: str) -> HttpResponse:
    """A person merges this proposal into the other (`merged` decision, citing it)."""
    proposal, into = _visible(request, number), _visible(request, other)
    try:
        services.merge(request.user, proposal, into, text_param(request.POST, "alasan", max_length=500))
    except (InvalidInput, NotPermitted) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Usulan digabung ke {into.number}.")
    return _back(proposal)


@login_required
@require_POST
def not_duplicate(request: AuthenticatedHttpRequest, number: str, other: str) -> HttpResponse:
    """A person says the two proposals are different; the pair is not suggested again."""
    proposal, second = _visible(request, number), _visible(request, other)
    try:
        services.not_duplicate(request.user, proposal, second, text_param(request.POST, "alasan", max_length=500))
    except (InvalidInput, NotPermitted) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Dicatat: bukan usulan ganda dari {second.number}.")
    return _back(proposal)


@login_required
def check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Warning while entering a proposal: existing proposals that look like it (htmx partial)."""
    government = proposal_selectors.government_of(request.user)
    source = request.POST if request.method == "POST" else request.GET
    title = text_param(source, "title", max_length=300)
    found: list[services.Candidate] | None = []
    if government is not None and title.strip():
        year = year_param(source, "year") or year_param(source, "tahun")
        if year is not None:
            found = services.check_new(
                government, year, title=title, village_code=text_param(source, "village_code", max_length=13),
                address=text_param(source, "address", max_length=300),
                estimated_cost=int_param(source, "estimated_cost", min=0, default=0) or 0,
                description=text_param(source, "description", max_length=2000),
                # an agency's line without a village is compared within its agency and sub-activity
                sub_activity_code=text_param(source, "sub_activity_code", max_length=24).strip(),
                agency_code=_agency_code(request, government, source), volume=_volume(source), wait=False)
    # None: the district's proposals are still being read after a restart (seconds); say so
    return render(request, "suggestions/_check.html", {"candidates": found or [], "preparing": found is None})


def _agency_code(request: AuthenticatedHttpRequest, government: LocalGovernment, source: Any) -> str:
    """The agency chosen in the entry form (or the user's own, when the form fixes it)."""
    from selaras.web.plans.models import Agency
    from selaras.web.proposals.permissions import membership_of

    try:
        pk = int_param(source, "agency", min=1, default=None)
    except InvalidInput:
        pk = None
    if pk is not None:
        return Agency.objects.filter(pk=pk, government=government).values_list("code", flat=True).first() or ""
    membership = membership_of(request.user)
    return membership.agency.code if membership is not None and membership.agency is not None else ""


def _volume(source: Any) -> float:
    raw = text_param(source, "volume", max_length=32).strip().replace(",", ".")
    try:
        value = float(raw) if raw else 0.0
    except ValueError:
        return 0.0
    return value if value > 0 and value == value and value != float("inf") else 0.0


@login_required
def import_panel(request: AuthenticatedHttpRequest, job: str) -> HttpResponse:
    """Classification suggestions for the rows one bulk import stored without an agency or a
    sub-activity (htmx partial of the import's result page; only the import's own user)."""
    from selaras.web.jobs.models import Job, JobState
    from selaras.web.proposals import import_job

    found = Job.objects.filter(token=job, kind=import_job.KIND, state=JobState.DONE).first()
    if found is None or (found.user_id != request.user.pk and not getattr(request.user, "is_superuser", False)):
        raise Http404
    params, result = found.params or {}, found.result or {}
    government = LocalGovernment.objects.filter(pk=int(params.get("government") or 0)).first()
    if government is None:
        raise Http404
    review = services.import_review(government, year=int(params.get("year") or 0), channel=params.get("channel", ""),
                                    first_number=result.get("first_number") or "",
                                    last_number=result.get("last_number") or "")
    return render(request, "suggestions/_import_review.html", {"review": review, "params": params})
