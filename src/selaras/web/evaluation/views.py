"""Pages of monev (thin: reads in selectors/dashboards, writes in services)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from selaras.domain.errors import NotFound, NotPermitted, SelarasError
from selaras.domain.roles import Role
from selaras.engines.evaluation import E81Row
from selaras.formats.realisation_table import parse_money, parse_volume, write_form
from selaras.web.errors.messages import error_text
from selaras.web.evaluation import dashboards, selectors, services
from selaras.web.evaluation.access import Viewer, check_agency, public_government, viewer_for
from selaras.web.evaluation.models import (
    QUARTER_LABELS,
    QuarterClosure,
    Realisation,
    RealisationRevision,
)
from selaras.web.http import AnyUser, AuthenticatedHttpRequest
from selaras.web.params import int_param, parse_text, year_param
from selaras.web.plans.models import Agency, AgencyAnnualPlan, RenjaLine
from selaras.web.plans.selectors import SESSION_GOVERNMENT_KEY, government_by_code

MAX_UPLOAD = 10 * 1024 * 1024


#: Roles with no part in monev: they read what the public reads (access.py). Every other role
#: evaluates, so a refusal for one of them means its account lacks a link, said as such.
PUBLIC_ONLY_ROLES = frozenset({Role.COUNCILLOR, Role.VILLAGE_OPERATOR})

NO_AGENCY_TEXT = ("Akun Anda belum terhubung ke perangkat daerah, sehingga realisasi dan evaluasi "
                  "belum dapat dibuka. Hubungi admin Selaras untuk menautkan akun ke perangkat daerah Anda.")
NO_OFFICE_TEXT = ("Kantor kecamatan Anda belum terdaftar sebagai perangkat daerah di Selaras{code}, "
                  "sehingga realisasi dan evaluasi belum dapat dibuka. Hubungi admin Selaras untuk "
                  "menautkan akun ke kantor kecamatan Anda.")


def _role(user: AnyUser) -> Role | None:
    membership = getattr(user, "membership", None)
    try:
        return Role(membership.role) if membership is not None else None
    except ValueError:
        return None


def _public_only(user: AnyUser) -> bool:
    """Whether the user has no monev role at all (a councillor, a village operator, a signed-in
    account with no role that is not staff): /evaluasi/ sends them to the public dashboard."""
    membership = getattr(user, "membership", None)
    if membership is None:
        return not (user.is_superuser or user.is_staff)
    return _role(user) in PUBLIC_ONLY_ROLES


def _missing_link(user: AnyUser) -> str:
    """What an evaluating role's account lacks when monev refuses it; "" when nothing to say."""
    role = _role(user)
    if role is Role.AGENCY_PLANNER:
        return NO_AGENCY_TEXT
    if role is Role.DISTRICT_OPERATOR:
        code = str(getattr(getattr(user, "membership", None), "region_code", "") or "")
        return NO_OFFICE_TEXT.format(code=f" (kecamatan {code})" if code else "")
    return ""


def _viewer(request: AuthenticatedHttpRequest) -> Viewer:
    try:
        return viewer_for(request.user, request.session.get(SESSION_GOVERNMENT_KEY))
    except NotPermitted as exc:
        missing = _missing_link(request.user)
        if missing:
            raise NotPermitted(missing) from exc
        raise


def _year(request: HttpRequest, viewer_government: object) -> int:
    from selaras.web.plans.models import LocalGovernment
    assert isinstance(viewer_government, LocalGovernment)
    default = dashboards.default_year(viewer_government)
    year = year_param(request, "tahun", default=default)
    if year is None:
        raise Http404("Belum ada RKPD untuk dievaluasi.")
    return year


def _agency(viewer: Viewer, agency_id: int) -> Agency:
    check_agency(viewer, agency_id)
    agency = Agency.objects.filter(government=viewer.government, pk=agency_id).first()
    if agency is None:
        raise Http404("Perangkat daerah tidak ditemukan.")
    return agency


def _base(viewer: Viewer, year: int | None = None) -> dict[str, object]:
    return {"viewer": viewer, "government": viewer.government, "year": year,
            "years": selectors.evaluation_years(viewer.government)}


# ---------------------------------------------------------------------------- index


NOT_EVALUATOR_TEXT = ("Evaluasi internal hanya untuk Bappeda, TAPD dan perangkat daerah. "
                      "Berikut capaian kinerja daerah yang terbuka untuk umum.")


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        viewer = _viewer(request)
    except NotPermitted:
        if not _public_only(request.user):
            # an agency planner with no agency, a kecamatan operator whose office is not found:
            # they do evaluate, so the 403 page says what their account lacks
            raise
        # a councillor or village operator reads monev where the public does: the public dashboard
        messages.info(request, NOT_EVALUATOR_TEXT)
        government = public_government(request.user)
        if government is None:
            return redirect("evaluation:public_index")
        return redirect("evaluation:public", code=government.region_code)
    if viewer.agency_id is not None:
        return redirect("evaluation:agency_dashboard", agency_id=viewer.agency_id)
    return redirect("evaluation:dashboard")


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    if viewer.agency_id is not None:
        return redirect("evaluation:agency_dashboard", agency_id=viewer.agency_id)
    year = _year(request, viewer.government)
    context = {**_base(viewer, year), **dashboards.bappeda_dashboard(viewer.government, year)}
    return render(request, "evaluation/dashboard.html", context)


@login_required
def agency_dashboard(request: AuthenticatedHttpRequest, agency_id: int) -> HttpResponse:
    viewer = _viewer(request)
    agency = _agency(viewer, agency_id)
    year = _year(request, viewer.government)
    data = dashboards.agency_dashboard(viewer.government, year, agency.pk)
    if data is None:
        raise Http404(f"Renja {agency} tahun {year} tidak ditemukan.")
    return render(request, "evaluation/agency_dashboard.html", {**_base(viewer, year), **data})


def public_index(request: HttpRequest) -> HttpResponse:
    from selaras.web.plans.models import LocalGovernment
    governments = list(LocalGovernment.objects.filter(rkpds__isnull=False).distinct().order_by("region_code")[:600])
    if len(governments) == 1:
        return redirect("evaluation:public", code=governments[0].region_code)
    return render(request, "evaluation/public_index.html", {"governments": governments})


def public(request: HttpRequest, code: str) -> HttpResponse:
    try:
        government = government_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    year = _year(request, government)
    context = {"government": government, "years": selectors.evaluation_years(government),
               **dashboards.public_dashboard(government, year)}
    return render(request, "evaluation/public.html", context)


# ---------------------------------------------------------------------- realisation


@login_required
def renja_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    year = _year(request, viewer.government)
    renjas = (AgencyAnnualPlan.objects.filter(rkpd__government=viewer.government, rkpd__year=year)
              .select_related("agency").order_by("agency__code"))
    if viewer.agency_id is not None:
        renjas = renjas.filter(agency_id=viewer.agency_id)
    closed = services.closed_quarters(viewer.government.pk, year)
    renja_rows = list(renjas.annotate(lines_count=Count("lines")))
    reported = {(r["line__renja_id"], r["quarter"]): r["n"] for r in Realisation.objects.filter(
        line__renja__in=renja_rows).values("line__renja_id", "quarter").annotate(n=Count("id")).order_by()}
    rows = [(renja, [(q, reported.get((renja.pk, q), 0)) for q in (1, 2, 3, 4)]) for renja in renja_rows]
    return render(request, "evaluation/renja_list.html", {
        **_base(viewer, year), "rows": rows,
        "quarters": [(q, QUARTER_LABELS[q], q in closed) for q in (1, 2, 3, 4)]})


def _renja(viewer: Viewer, year: int, agency_id: int) -> AgencyAnnualPlan:
    _agency(viewer, agency_id)
    renja = selectors.renja_of(viewer.government, year, agency_id)
    if renja is None:
        raise Http404(f"Renja tahun {year} tidak ditemukan.")
    return renja


def _quarter(request: HttpRequest) -> int:
    return int_param(request, "triwulan", min=1, max=4, default=1) or 1


@login_required
def entry(request: AuthenticatedHttpRequest, year: int, agency_id: int) -> HttpResponse:
    viewer = _viewer(request)
    renja = _renja(viewer, year, agency_id)
    quarter = _quarter(request)
    closed = quarter in services.closed_quarters(viewer.government.pk, year)
    return render(request, "evaluation/entry.html", {
        **_base(viewer, year), "renja": renja, "quarter": quarter, "quarter_label": QUARTER_LABELS[quarter],
        "quarters": list(QUARTER_LABELS.items()), "closed": closed,
        "can_write": viewer.writes_agency(agency_id), "rows": selectors.quarter_lines(renja, quarter)})


def _line(viewer: Viewer, line_id: int) -> RenjaLine:
    line = (RenjaLine.objects.select_related("renja__agency", "renja__rkpd")
            .filter(pk=line_id, renja__rkpd__government=viewer.government).first())
    if line is None:
        raise Http404("Baris Renja tidak ditemukan.")
    check_agency(viewer, line.renja.agency_id)
    return line


def _parse_entry(data: QueryDict) -> tuple[services.Entry, str]:
    get = data.get
    volume_text = parse_text(get("volume"), name="volume", max_length=40)
    spent_text = parse_text(get("spent"), name="spent", max_length=40)
    try:
        volume: Decimal | None = parse_volume(volume_text) if volume_text else None
    except ValueError as exc:
        raise services.InvalidEntry("Realisasi kinerja harus angka tidak negatif, mis. 12,5.", field="volume") from exc
    try:
        spent = parse_money(spent_text) if spent_text else None
    except ValueError as exc:
        raise services.InvalidEntry("Realisasi keuangan harus jumlah rupiah tanpa desimal, mis. 1.500.000.",
                                    field="spent") from exc
    notes = [parse_text(get(name), name=name, max_length=2000) for name in ("helped", "hindered", "follow_up")]
    reason = parse_text(get("reason"), name="reason", max_length=2000)
    return services.Entry(volume=volume, spent=spent, helped=notes[0], hindered=notes[1], follow_up=notes[2]), reason


@login_required
@require_http_methods(["GET", "POST"])
def line_quarter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One line's quarter: GET the row (`?ubah=1`: its form), POST saves. htmx swaps the row in
    place; without htmx the form is a page of its own and saving goes back to the list. A refused
    entry comes back as the form with its message and the refused field marked: 422 to htmx (which
    swaps it in, static/selaras/selaras.js), 400 as a page; nothing is written."""
    viewer = _viewer(request)
    line = _line(viewer, pk)
    quarter = _quarter(request)
    partial = request.headers.get("HX-Request") == "true"
    closed = quarter in services.closed_quarters(viewer.government.pk, line.renja.rkpd.year)
    current = Realisation.objects.filter(line=line, quarter=quarter).first()
    context: dict[str, object] = {"row": selectors.LineView(line, current), "quarter": quarter, "closed": closed,
                                  "can_write": viewer.writes_agency(line.renja.agency_id), "error": "",
                                  "error_field": ""}
    editing = request.method == "POST" or int_param(request, "ubah", min=0, max=1, default=0) == 1
    if request.method == "POST":
        check_agency(viewer, line.renja.agency_id, write=True)
        try:
            entry_data, reason = _parse_entry(request.POST)
            saved = services.record(viewer, line, quarter, entry_data, reason=reason)
        except SelarasError as exc:
            if isinstance(exc, NotPermitted):
                raise
            context["error"] = error_text(exc)
            context["error_field"] = str(exc.params.get("field") or exc.params.get("name") or "")
            context["posted"] = request.POST
            status = 422 if partial else 400
        else:
            context["row"] = selectors.LineView(line, saved)
            editing, status = False, 200
            if not partial:
                messages.success(request, f"Realisasi {line.code} {QUARTER_LABELS[quarter]} disimpan.")
                return redirect(reverse("evaluation:entry", args=[line.renja.rkpd.year, line.renja.agency_id])
                                + f"?triwulan={quarter}")
    else:
        status = 200
    if editing and not context["can_write"]:
        raise NotPermitted("Anda tidak berwenang mengisi realisasi ini.")
    template = "evaluation/_line_form.html" if editing else "evaluation/_line_row.html"
    if not partial:
        return render(request, "evaluation/line_page.html", {**_base(viewer, line.renja.rkpd.year), **context,
                                                              "template": template, "line": line,
                                                              "quarter_label": QUARTER_LABELS[quarter]},
                      status=status)
    return render(request, template, context, status=status)


@login_required
def line_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    line = _line(viewer, pk)
    revisions = RealisationRevision.objects.filter(line=line).select_related("created_by").order_by("quarter", "id")
    return render(request, "evaluation/history.html", {**_base(viewer, line.renja.rkpd.year), "line": line,
                                                        "revisions": revisions})


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: AuthenticatedHttpRequest, year: int, agency_id: int) -> HttpResponse:
    viewer = _viewer(request)
    renja = _renja(viewer, year, agency_id)
    check_agency(viewer, agency_id, write=True)
    context: dict[str, object] = {**_base(viewer, year), "renja": renja, "problems": []}
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None:
            context["problems"] = ["Pilih berkas Excel (.xlsx) untuk diimpor."]
            return render(request, "evaluation/import.html", context, status=400)
        if upload.size is not None and upload.size > MAX_UPLOAD:
            context["problems"] = ["Berkas terlalu besar (paling besar 10 MB)."]
            return render(request, "evaluation/import.html", context, status=400)
        try:
            changed = services.import_realisation(viewer, renja, upload.read())
        except services.ImportRefused as exc:
            context["problems"] = exc.texts
            return render(request, "evaluation/import.html", context, status=400)
        messages.success(request, f"Impor berhasil: {changed} isian realisasi berubah.")
        return redirect("evaluation:entry", year=year, agency_id=agency_id)
    return render(request, "evaluation/import.html", context)


@login_required
def import_form(request: AuthenticatedHttpRequest, year: int, agency_id: int) -> HttpResponse:
    """The workbook to fill in: one row per line and quarter, with what is already reported."""
    viewer = _viewer(request)
    renja = _renja(viewer, year, agency_id)
    lines = RenjaLine.objects.filter(renja=renja).order_by("code").prefetch_related(
        Prefetch("realisations", queryset=Realisation.objects.order_by("quarter")))
    rows = []
    for line in lines:
        by_quarter = {r.quarter: r for r in line.realisations.all()}
        for q in (1, 2, 3, 4):
            r = by_quarter.get(q)
            rows.append([line.code, q, r.volume if r and r.volume is not None else None,
                         r.spent if r else None, r.helped if r else "", r.hindered if r else "",
                         r.follow_up if r else "", "", line.name, line.unit,
                         line.target, line.budget])
    response = HttpResponse(write_form(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="realisasi-{year}-{renja.agency.code}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def quarters(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    year = _year(request, viewer.government)
    if request.method == "POST":
        quarter = int_param(request.POST, "triwulan", min=1, max=4)
        if quarter is None:
            messages.error(request, "Pilih triwulan yang akan ditutup.")
        else:
            try:
                services.close_quarter(viewer, year, quarter)
            except NotPermitted:
                raise
            except SelarasError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, f"{QUARTER_LABELS[quarter]} tahun {year} ditutup.")
        return redirect(reverse("evaluation:quarters") + f"?tahun={year}")
    closures = {c.quarter: c for c in QuarterClosure.objects.filter(government=viewer.government, year=year)
                .select_related("closed_by")}
    return render(request, "evaluation/quarters.html", {
        **_base(viewer, year), "rows": [(q, label, closures.get(q)) for q, label in QUARTER_LABELS.items()]})


# --------------------------------------------------------------------------- tables


def _marked(rows: list[E81Row]) -> list[tuple[E81Row, bool]]:
    """Each row with whether its objective (sasaran) differs from the row above: the column is
    printed once per group, as the annex merges it."""
    out, previous = [], None
    for row in rows:
        out.append((row, row.objective != previous))
        previous = row.objective
    return out


@login_required
def e81(request: AuthenticatedHttpRequest, year: int, agency_id: int) -> HttpResponse:
    viewer = _viewer(request)
    agency = _agency(viewer, agency_id)
    found = selectors.e81_for_agency(viewer.government, year, agency.pk)
    if found is None:
        raise Http404(f"Renja {agency} tahun {year} tidak ditemukan.")
    return render(request, "evaluation/e81.html", {**_base(viewer, year), "agency": agency, "table": found,
                                                    "rows": _marked(found.rows)})


@login_required
def e79(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    viewer = _viewer(request)
    if not viewer.whole_government:
        raise NotPermitted("E.79 mencakup semua perangkat daerah; hanya Bappeda dan TAPD yang dapat melihatnya.")
    found = selectors.e79(viewer.government, year)
    if found is None:
        raise Http404(f"RKPD tahun {year} tidak ditemukan.")
    rows, total = found
    return render(request, "evaluation/e79.html", {**_base(viewer, year), "rows": _marked(rows), "total": total})


@login_required
def e80(request: AuthenticatedHttpRequest, agency_id: int) -> HttpResponse:
    viewer = _viewer(request)
    agency = _agency(viewer, agency_id)
    found = selectors.e80(agency)
    if found is None:
        raise Http404(f"Renstra {agency} tidak ditemukan.")
    renstra, lines, indicators = found
    return render(request, "evaluation/e80.html", {**_base(viewer), "agency": agency, "renstra": renstra,
                                                    "years": list(range(renstra.start_year, renstra.end_year + 1)),
                                                    "lines": lines, "indicators": indicators})


@login_required
def e78(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    found = selectors.e78(viewer.government)
    if found is None:
        raise Http404("Belum ada RPJMD.")
    rpjmd, rows = found
    return render(request, "evaluation/e78.html", {**_base(viewer), "rpjmd": rpjmd, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def indicators(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The yearly realisation of plan indicators (RPJMD for Bappeda, Renstra for an agency)."""
    viewer = _viewer(request)
    year = _year(request, viewer.government)
    items = list(services.indicators_for(viewer).prefetch_related("targets", "realisations"))
    problems: dict[int, str] = {}
    posted: dict[int, str] = {}
    if request.method == "POST":
        if not viewer.can_write:
            raise NotPermitted("Anda tidak berwenang mengisi realisasi indikator.")
        values: dict[int, tuple[Decimal, str]] = {}
        for item in items:
            text = parse_text(request.POST.get(f"nilai_{item.pk}"), name="nilai", max_length=40)
            source = parse_text(request.POST.get(f"sumber_{item.pk}"), name="sumber", max_length=200)
            if not text:
                continue
            posted[item.pk] = text
            try:
                values[item.pk] = (services.parse_indicator_value(text), source)
            except ValueError:
                problems[item.pk] = f"'{text}' bukan angka yang sah."
        if not problems:
            changed = services.record_indicator_values(viewer, year, values)
            messages.success(request, f"{changed} realisasi indikator tahun {year} disimpan.")
            return redirect(reverse("evaluation:indicators") + f"?tahun={year}")
    rows = []
    for item in items:
        target = next((t for t in item.targets.all() if t.year == year), None)
        current = next((r for r in item.realisations.all() if r.year == year), None)
        rows.append({"indicator": item, "target": target, "current": current, "problem": problems.get(item.pk, ""),
                     "posted": posted.get(item.pk, "")})
    return render(request, "evaluation/indicators.html", {**_base(viewer, year), "rows": rows},
                  status=400 if problems else 200)
