"""The document page: what the user may produce, and the form that starts the job."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from selaras.domain.errors import InvalidInput, NotFound
from selaras.web.documents import selectors, services
from selaras.web.documents.catalogue import DocKind, ScopeKind, check
from selaras.web.documents.jobs import KIND
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.jobs import service as jobs
from selaras.web.params import choice_param, int_param, text_param, year_param
from selaras.web.plans.models import LocalGovernment
from selaras.web.plans.selectors import SESSION_GOVERNMENT_KEY, government_for


def _government(request: AuthenticatedHttpRequest) -> LocalGovernment:
    government = government_for(request.user, request.session.get(SESSION_GOVERNMENT_KEY))
    if government is None:
        raise NotFound("Belum ada pemerintah daerah untuk akun ini.")
    return government


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    years = selectors.years(government)
    return render(request, "documents/index.html", {
        "government": government, "groups": selectors.offers(request.user, government), "years": years,
        "default_year": years[0] if years else None, "forum_kinds": set(_FORUM_OF_KIND),
    })


@login_required
@require_POST
def produce(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    kind = services.kind_of(choice_param(request.POST, "jenis", sorted(services.KINDS)) or "")
    fmt = choice_param(request.POST, "format", services.FORMATS, default="xlsx")
    year = year_param(request.POST, "tahun") or (selectors.years(government) or [0])[0]
    raw_scope = text_param(request.POST, "lingkup", max_length=20)
    if choice_param(request.POST, "aksi", ("forum",)) == "forum":
        return _open_meeting(request, government, kind, raw_scope, year)
    version = int_param(request.POST, "versi", min=1, max=1_000_000) if kind.versioned else None
    if raw_scope == services.ALL and kind.scope is not ScopeKind.GOVERNMENT:
        for scope in services.all_scopes(kind, government):
            check(request.user, kind, government, scope)
        label_scope = "semua"
    else:
        scope = services.resolve_scope(kind, government, raw_scope)
        check(request.user, kind, government, scope)
        label_scope = services.scope_label(scope)
    params = {"kind": kind.key, "format": fmt, "scope": raw_scope, "year": year, "version": version}
    job = jobs.submit(KIND, user=request.user, label=f"{kind.code} {kind.label} {label_scope} {year} ({fmt})".strip(),
                      params=params, government_id=government.pk,
                      dedupe_key=f"{kind.key}:{fmt}:{raw_scope}:{year}:{version or ''}",
                      back_url=reverse("documents:index"))
    return redirect("jobs:status", token=job.token)


_FORUM_KINDS = {"musrenbang_district": "ba_musrenbang_kecamatan", "agency_forum": "ba_forum_pd"}
_FORUM_OF_KIND = {kind: forum for forum, kind in _FORUM_KINDS.items()}


def _open_meeting(request: AuthenticatedHttpRequest, government: LocalGovernment, kind: DocKind,
                  raw_scope: str, year: int) -> HttpResponse:
    """The berita acara row's button "Isi tempat, tanggal dan daftar hadir": the same Lingkup and
    Tahun as its Excel/PDF buttons lead to that forum's meeting page."""
    forum = _FORUM_OF_KIND.get(kind.key)
    if forum is None:
        raise InvalidInput("Dokumen ini tidak memiliki data forum.", kind=kind.key)
    if raw_scope == services.ALL:
        messages.error(request, "Pilih satu kecamatan atau perangkat daerah untuk mengisi data forumnya.")
        return redirect("documents:index")
    scope = services.resolve_scope(kind, government, raw_scope)
    check(request.user, kind, government, scope)
    query = {"lingkup": raw_scope, **({"tahun": str(year)} if year else {})}
    return redirect(reverse("documents:meeting", args=[forum]) + "?" + urlencode(query))


@login_required
def meeting(request: AuthenticatedHttpRequest, forum: str) -> HttpResponse:
    """Place, date, chair and attendance of a forum, for its berita acara (?lingkup=...&tahun=...)."""
    from selaras.web.documents import meetings
    from selaras.web.documents.forms import MeetingForm

    government = _government(request)
    kind = services.kind_of(_FORUM_KINDS.get(forum, ""))
    raw_scope = text_param(request.GET, "lingkup", max_length=20)
    year = year_param(request.GET, "tahun") or (selectors.years(government) or [0])[0]
    scope = services.resolve_scope(kind, government, raw_scope)
    check(request.user, kind, government, scope)
    found = meetings.meeting_of(government, forum, year, scope)
    form = MeetingForm(request.POST or None, initial=meetings.initial(found))
    if request.method == "POST" and form.is_valid():
        try:
            meetings.save_meeting(government, forum, year, scope, form.cleaned_data)
        except InvalidInput as exc:  # the service's own check of the lengths; nothing was saved
            field = str(exc.params.get("field") or "")
            form.add_error(field if field in form.fields else None, str(exc.message))
        else:
            messages.success(request, "Data forum dan daftar hadir tersimpan.")
            return redirect(f"{request.path}?lingkup={raw_scope}&tahun={year}")
    return render(request, "documents/meeting.html", {
        "form": form, "kind": kind, "year": year, "scope_label": services.scope_title(government, scope),
        "government": government})
