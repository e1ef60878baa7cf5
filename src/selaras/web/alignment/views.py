"""Sinkronisasi pages: the findings of one government and year, and their Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from selaras.domain.errors import NotFound
from selaras.web.alignment import export, links, selectors
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.params import MAX_CODE, id_param, text_param, year_param
from selaras.web.plans import selectors as plan_selectors
from selaras.web.plans.models import LocalGovernment

ROWS_PER_RULE = 200  # a page stays readable; the Excel export has every finding


def _choose(request: AuthenticatedHttpRequest) -> tuple[LocalGovernment | None, int | None, list[int]]:
    chosen = id_param(request, "pemda") or request.session.get(plan_selectors.SESSION_GOVERNMENT_KEY)
    government = plan_selectors.government_for(request.user, chosen)
    if government is None:
        return None, None, []
    years = selectors.years_of(government)
    year = year_param(request, "tahun", default=years[0] if years else None)
    return government, year, years


@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    government, year, years = _choose(request)
    context: dict[str, object] = {
        "government": government, "year": year, "years": years,
        "choices": plan_selectors.governments_for_choice(request.user), "rows_per_rule": ROWS_PER_RULE,
        "agency_filter": text_param(request, "pd", max_length=MAX_CODE),
    }
    if government is not None and year is not None:
        result = selectors.run_report(government, year)
        agency = text_param(request, "pd", max_length=MAX_CODE)
        if agency:
            result.rows = [r for r in result.rows if r.agency == agency]
            context["agency_filter_name"] = selectors.agency_names(government).get(agency, "")
        result.rows = links.with_links(result.rows, request.user, government)
        context["report"] = result
    return render(request, "alignment/report.html", context)


@login_required
def export_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    government, year, _years = _choose(request)
    if government is None or year is None:
        raise NotFound("Pilih pemerintah daerah dan tahun.")  # the friendly 404 page
    content = export.report_workbook(selectors.run_report(government, year))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="sinkronisasi-{government.region_code}-{year}.xlsx"'
    return response
