"""The internal proposal list at /usulan/: filters, sorting, keyset pages, Excel export."""

from __future__ import annotations

import tempfile
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals import list_selectors as sel
from selaras.web.proposals.permissions import membership_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _government(request: AuthenticatedHttpRequest) -> LocalGovernment | None:
    membership = membership_of(request.user)
    if membership is not None:
        return membership.government
    return LocalGovernment.objects.order_by("region_code").first() if request.user.is_superuser else None


@login_required
def proposal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = sel.ListFilters.for_user(request.GET, request.user)
    qs = sel.filtered(sel.visible_proposals(request.user), filters)
    page = sel.page_of(qs, filters, after=request.GET.get("after", ""), before=request.GET.get("before", ""))
    count, capped = sel.count_capped(qs)
    query = filters.as_query()
    base = urlencode(query)
    context: dict[str, Any] = {
        "page": page, "filters": filters, "count": count, "capped": capped,
        "query": base, "choices": sel.filter_choices(_government(request), filters.district),
        "next_url": "?" + urlencode({**query, "after": page.next_token}) if page.next_token else "",
        "prev_url": "?" + urlencode({**query, "before": page.prev_token}) if page.prev_token else "",
        "export_limit": sel.EXPORT_LIMIT,
    }
    template = "proposals/list_rows.html" if request.headers.get("HX-Request") else "proposals/list.html"
    return render(request, template, context)


@login_required
def export(request: AuthenticatedHttpRequest) -> FileResponse:
    from selaras.formats.table_writer import write_xlsx
    from selaras.web.proposals.exports import MONEY_COLUMNS

    filters = sel.ListFilters.for_user(request.GET, request.user)
    qs = sel.filtered(sel.visible_proposals(request.user), filters)
    # write-only workbook into a spooled temp file: constant memory however many rows match
    out = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_xlsx(out, "Usulan", sel.EXPORT_HEADERS, sel.export_rows(qs, filters), sel.EXPORT_WIDTHS,
               money_columns=MONEY_COLUMNS)
    out.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(out, as_attachment=True, filename=f"usulan-{stamp}.xlsx", content_type=XLSX)
