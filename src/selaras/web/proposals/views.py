"""Pages of the proposal cycle (thin: forms in, services do the work, selectors read)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from selaras.domain.errors import InvalidInput, NotFound, NotPermitted, SelarasError
from selaras.domain.proposals import (
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    STAGE_LABELS,
    Channel,
    ProposalStatus,
    Stage,
)
from selaras.domain.roles import Role
from selaras.web.errors.messages import error_text
from selaras.web.errors.status import status_of
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.params import InvalidParameter, code_param, id_param, page_param, year_param
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals import selectors, services, windows
from selaras.web.proposals.forms import (
    AssignForm,
    CorrectionForm,
    DecisionForm,
    ExtendForm,
    ProposalForm,
    WindowForm,
)
from selaras.web.proposals.models import Proposal, StageWindow
from selaras.web.proposals.permissions import can, membership_of
from selaras.web.proposals.reasons import REASON_HELP
from selaras.web.proposals.sections import detail_sections_context


def _government(request: AuthenticatedHttpRequest) -> LocalGovernment:
    government = selectors.government_of(request.user)
    if government is None:
        raise NotPermitted("Akun Anda belum memiliki peran di pemerintah daerah mana pun.")
    return government


def _year(request: AuthenticatedHttpRequest) -> int:
    """The plan year of a page: `tahun` of the query string, else of the form, else the planning
    year. A query year that cannot be used is ignored (the page shows the planning year), as the
    list at /usulan/ ignores it; a form's own year is still refused when bad (a write must not
    fall on another year)."""
    try:
        asked = year_param(request.GET, "tahun")
    except InvalidParameter:
        asked = None
    return asked or year_param(request.POST, "tahun") or windows.planning_year(selectors.government_of(request.user))


def _role(request: AuthenticatedHttpRequest) -> Role | None:
    membership = membership_of(request.user)
    return Role(membership.role) if membership is not None else None


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = selectors.government_of(request.user)
    year = _year(request)
    recent = selectors.visible(request.user).filter(year=year).order_by("-id")[:25]
    return render(request, "proposals/index.html", {
        "government": government, "year": year, "recent": recent, "role": _role(request),
        "channels": selectors.channels_for(request.user),
        "may_schedule": government is not None and can(request.user, "manage_schedule", government=government),
    })


@login_required
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    channels = selectors.channels_for(request.user)
    if not channels:
        raise NotPermitted("Peran Anda tidak dapat mengajukan usulan.")
    form = ProposalForm(request.POST or None, user=request.user, government=government, channels=channels,
                        # a callable: the plan year is read only when the form is shown
                        initial={"year": lambda: windows.planning_year(government)})
    failed = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.create_proposal(
                request.user, government=government, year=data["year"], channel=data["channel"],
                title=data["title"], description=data["description"], village_code=data.get("village_code") or "",
                district_code=data.get("district_code") or "", address=data["address"],
                latitude=data["latitude"], longitude=data["longitude"], volume=data["volume"], unit=data["unit"],
                estimated_cost=data["estimated_cost"], priority_rank=data["priority_rank"],
                agency=data["agency"], sub_activity_code=data["sub_activity_code"],
                councillor_name=data.get("councillor_name") or "", entry_key=data.get("entry_key") or "")
        except SelarasError as exc:
            form.add_error(None, error_text(exc))
            failed = status_of(exc)
        else:
            if getattr(proposal, "entry_repeated", False):
                messages.info(request, f"Formulir ini sudah terkirim sebelumnya: usulan {proposal.number} tersimpan "
                                       "sekali saja, tidak dibuat ganda.")
                return redirect("proposals:detail", number=proposal.number)
            messages.success(request, f"Usulan {proposal.number} tersimpan dan diajukan.")
            for warning in getattr(proposal, "entry_warnings", []):
                messages.warning(request, f"Periksa kembali: {warning}")
            return redirect("proposals:detail", number=proposal.number)
    return render(request, "proposals/new.html", {"form": form},
                  status=failed or (400 if form.errors else 200))


def _visible_or_404(request: AuthenticatedHttpRequest, number: str) -> Proposal:
    proposal = selectors.get_visible(request.user, number)
    if proposal is None:
        raise NotFound("Usulan tidak ditemukan atau di luar lingkup Anda.")
    return proposal


@login_required
def detail(request: AuthenticatedHttpRequest, number: str, decision_form: DecisionForm | None = None,
           status: int = 200) -> HttpResponse:
    proposal = _visible_or_404(request, number)
    stages = selectors.stages_user_may_decide(request.user, proposal)
    if decision_form is None and stages:
        decision_form = DecisionForm(stages=stages)
    may_resubmit = proposal.status == ProposalStatus.RETURNED.value and can(
        request.user, "create", government=proposal.government_id, channel=proposal.channel,
        village_code=proposal.village_code, district_code=proposal.district_code, agency=proposal.agency_id,
        councillor_name=proposal.councillor_name)
    if may_resubmit:  # only while the stage that returned it is open (else the buttons would refuse)
        try:
            windows.ensure_stage_open(proposal.government_id, proposal.year, proposal.stage)
        except SelarasError:
            may_resubmit = False
    return render(request, "proposals/detail.html", {
        "p": proposal, "trail": selectors.decision_trail(proposal), "history": selectors.change_history(proposal),
        "decision_form": decision_form, "may_resubmit": may_resubmit, "reason_help": REASON_HELP,
        # a postponed proposal and its continuation in a later cycle point at each other
        "carried_from": (Proposal.objects.filter(pk=proposal.carried_from_id).only("number", "year").first()
                         if proposal.carried_from_id else None),
        "carried_into": list(proposal.carried_into.only("number", "year").order_by("year", "id")),
        "channel_label": CHANNEL_LABELS[Channel(proposal.channel)], "stage_label": STAGE_LABELS[Stage(proposal.stage)],
        "outcome_labels": {o.value: label for o, label in OUTCOME_LABELS.items()},
        "stage_labels": {s.value: label for s, label in STAGE_LABELS.items()},
        **detail_sections_context(proposal),
    }, status=status)


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    proposal = _visible_or_404(request, number)
    stages = selectors.stages_user_may_decide(request.user, proposal)
    if not stages:
        messages.error(request, "Anda tidak dapat memberi keputusan atas usulan ini pada tahap sekarang.")
        return detail(request, number, status=403)
    form = DecisionForm(request.POST, stages=stages)
    if form.is_valid():
        data = form.cleaned_data
        try:
            merged_into = None
            if data["merged_into"]:
                merged_into = selectors.visible(request.user).filter(
                    number=data["merged_into"].strip(), government_id=proposal.government_id).first()
                if merged_into is None:
                    raise InvalidInput("Usulan tujuan penggabungan tidak ditemukan.")
            services.decide(request.user, proposal, stage=data["stage"], outcome=data["outcome"],
                            reason=data["reason"], new_volume=data["new_volume"], new_cost=data["new_cost"],
                            merged_into=merged_into, postponed_to_year=data["postponed_to_year"],
                            internal_note=data["internal_note"], sub_activity_code=data["sub_activity_code"])
        except SelarasError as exc:
            form.add_error(None, error_text(exc))
            return detail(request, number, decision_form=form, status=status_of(exc))
        messages.success(request, "Keputusan tercatat.")
        return redirect("proposals:detail", number=number)
    return detail(request, number, decision_form=form, status=400)


@login_required
def correct(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """Correct a proposal returned for correction (then resubmit it from its page)."""
    proposal = _visible_or_404(request, number)
    fields = list(CorrectionForm.base_fields)
    form = CorrectionForm(request.POST or None, initial={f: getattr(proposal, f) for f in fields})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_returned(request.user, proposal, **form.cleaned_data)
            except SelarasError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "Perbaikan tersimpan; ajukan ulang bila sudah lengkap.")
                return redirect("proposals:detail", number=number)
        status = 400
    return render(request, "proposals/correct.html", {"p": proposal, "form": form}, status=status)


@login_required
@require_POST
def resubmit(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    proposal = _visible_or_404(request, number)
    try:
        services.resubmit(request.user, proposal, request.POST.get("reason", ""))
    except SelarasError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "Usulan diajukan ulang.")
    return redirect("proposals:detail", number=number)


def _typed_ranks(queue: list[Proposal]) -> dict[int, int | None]:
    """The ranks typed on the kecamatan page, by proposal id; one that is not a whole number is
    refused naming the proposals (signs are read: "-1" is a number, refused by the ranking rule)."""
    ranks: dict[int, int | None] = {}
    bad = []
    for proposal in queue:
        raw = proposal.typed_rank  # type: ignore[attr-defined]
        digits = raw[1:] if raw.startswith("-") else raw
        if raw and not (digits.isascii() and digits.isdigit() and len(digits) <= 9):
            bad.append(proposal.number)
            continue
        ranks[proposal.pk] = int(raw) if raw else None
    if bad:
        raise InvalidInput(f"Peringkat harus berupa angka. Periksa peringkat usulan {', '.join(bad)}.")
    return ranks


@login_required
def district(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Musrenbang Kecamatan: rank the villages' proposals and forward them to the agencies.

    Only proposals still awaiting the kecamatan can be ticked for forwarding; after a refusal the
    page comes back with everything typed (ranks, ticks, reason) kept."""
    government = _government(request)
    year = _year(request)
    membership = membership_of(request.user)
    district_code = code_param(request.GET, "kecamatan") or code_param(request.POST, "kecamatan") or (
        membership.region_code if membership is not None else "")
    queue = list(selectors.district_queue(request.user, year).filter(
        district_code=district_code) if district_code else selectors.district_queue(request.user, year))
    posted = request.method == "POST"
    for p in queue:
        p.may_forward = services.awaits_district(p)  # type: ignore[attr-defined]
        p.typed_rank = (str(request.POST.get(f"rank_{p.pk}", "")).strip() if posted  # type: ignore[attr-defined]
                        else str(p.district_rank or ""))
        p.ticked = posted and bool(request.POST.get(f"forward_{p.pk}"))  # type: ignore[attr-defined]
    status = 200
    if posted:
        try:
            with transaction.atomic():  # ranks and forwarding together: a refusal keeps neither
                services.rank_district(request.user, government, year, district_code, _typed_ranks(queue))
                chosen = [p for p in queue if p.ticked]  # type: ignore[attr-defined]
                if "forward" in request.POST:
                    if not chosen:
                        raise InvalidInput("Pilih usulan yang akan diteruskan.")
                    for p in chosen:
                        p.refresh_from_db()
                    services.forward_ranked(request.user, chosen, request.POST.get("reason", ""))
            if "forward" in request.POST:
                messages.success(request, f"{len(chosen)} usulan diteruskan ke perangkat daerah.")
            else:
                messages.success(request, "Peringkat tersimpan.")
            return redirect(f"{reverse('proposals:district')}?tahun={year}&kecamatan={district_code}")
        except SelarasError as exc:
            messages.error(request, error_text(exc))
            status = status_of(exc)
    return render(request, "proposals/district.html", {
        "queue": queue, "year": year, "district_code": district_code, "reason_help": REASON_HELP,
        "reason": request.POST.get("reason", "") if posted else "Disepakati dalam Musrenbang Kecamatan."},
        status=status)


@login_required
def agency_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    page = Paginator(selectors.agency_queue(request.user, year), 100).get_page(page_param(request, "halaman"))
    return render(request, "proposals/agency_queue.html", {"queue": page.object_list, "page": page, "year": year})


@login_required
def assignment(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    year = _year(request)
    if not can(request.user, "assign", government=government):
        raise NotPermitted("Hanya Bappeda yang dapat menetapkan perangkat daerah.")
    status = 200
    if request.method == "POST":
        # a hand-made or stale form: not an id is a 400, an unknown or foreign one a 404 (was a 500)
        pk = id_param(request.POST, "proposal")
        if pk is None:
            raise InvalidInput("Pilih usulan yang ditugaskan.")
        proposal = get_object_or_404(selectors.visible(request.user), pk=pk)
        form = AssignForm(request.POST, government=government)
        if form.is_valid():
            try:
                services.assign(request.user, proposal, agency=form.cleaned_data["agency"],
                                sub_activity_code=form.cleaned_data["sub_activity_code"])
            except SelarasError as exc:
                messages.error(request, error_text(exc))
                status = status_of(exc)
            else:
                messages.success(request, f"Usulan {proposal.number} ditugaskan.")
                return redirect(f"{reverse('proposals:assignment')}?tahun={year}")
        else:
            messages.error(request, "Isian penugasan tidak sah.")
            status = 400
    rows = list(selectors.unassigned(request.user, year)[:200])
    return render(request, "proposals/assignment.html", {"rows": rows, "year": year,
                                                         "agencies": Agency.objects.filter(government=government)},
                  status=status)


@login_required
def schedule(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    year = _year(request)
    may_manage = can(request.user, "manage_schedule", government=government)
    form = WindowForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_manage:
            raise NotPermitted("Hanya Bappeda yang dapat mengatur jadwal tahapan.")
        if form.is_valid():
            try:
                windows.open_window(request.user, government, year, form.cleaned_data["stage"],
                                    form.cleaned_data["opens_at"], form.cleaned_data["closes_at"])
            except SelarasError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "Jadwal tahapan tersimpan.")
                return redirect(f"{reverse('proposals:schedule')}?tahun={year}")
        status = 400
    return render(request, "proposals/schedule.html", {
        "rows": selectors.schedule(government, year), "year": year, "form": form, "may_manage": may_manage,
        "extend_form": ExtendForm()}, status=status)


def _window(request: AuthenticatedHttpRequest, pk: int) -> StageWindow:
    government = _government(request)
    return get_object_or_404(StageWindow, pk=pk, government=government)


def _change_window(request: AuthenticatedHttpRequest, window: StageWindow, change: Callable[[], object],
                   done: str) -> HttpResponse:
    """Run `change`; its refusal or `done` becomes a message on the schedule page of the window's year."""
    try:
        change()
    except SelarasError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect(f"{reverse('proposals:schedule')}?tahun={window.year}")


@login_required
@require_POST
def extend_window(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    window = _window(request, pk)
    form = ExtendForm(request.POST)

    def extend() -> object:
        if not form.is_valid():
            raise InvalidInput("Waktu perpanjangan tidak sah.")
        return windows.extend_window(request.user, window, form.cleaned_data["closes_at"])

    return _change_window(request, window, extend, f"Jadwal {window} diperpanjang.")


@login_required
@require_POST
def close_window(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    window = _window(request, pk)
    return _change_window(request, window, lambda: windows.close_window(request.user, window),
                          f"Tahap {window} ditutup.")


@login_required
def renja(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Daftar usulan masuk Renja: accepted proposals on the lines of an agency's draft Renja."""
    government = _government(request)
    year = _year(request)
    membership = membership_of(request.user)
    agency: Any = None
    if membership is not None and membership.role == Role.AGENCY_PLANNER.value:
        agency = membership.agency
    elif (agency_id := id_param(request, "pd")) is not None:
        agency = get_object_or_404(Agency, pk=agency_id, government=government)
    whole = membership is None or membership.role in (Role.PLANNING_AGENCY.value, Role.ADMIN.value,
                                                      Role.BUDGET_TEAM.value)
    if agency is None and not whole:
        raise NotPermitted("Daftar Renja hanya untuk perangkat daerah, Bappeda dan TAPD.")
    if agency is not None and not whole and (membership is None or membership.agency_id != agency.pk):
        raise NotPermitted("Di luar lingkup Anda.")
    groups = selectors.renja_draft(agency, year) if agency is not None else []
    return render(request, "proposals/renja.html", {
        "agency": agency, "year": year, "groups": groups, "total": sum(g.total_cost for g in groups),
        "agencies": Agency.objects.filter(government=government) if whole else []})


