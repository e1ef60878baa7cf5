"""Export of the proposal list (the filters of /usulan/) to .xlsx or .csv as a background job.

The list page posts its filters here; the job streams the rows from the database into the file
(`formats.table_writer`, constant memory) and the job page offers the download. The same rows
and columns as the list's filters, within the user's scope at the time the job runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from selaras.domain.errors import InvalidInput
from selaras.formats.table_writer import write_csv, write_xlsx
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.jobs import service as jobs
from selaras.web.jobs.registry import JobContext, JobOutcome, handler
from selaras.web.proposals import list_selectors as sel

FORMATS = {"xlsx": "Excel (.xlsx)", "csv": "CSV"}
MONEY_COLUMNS = (sel.EXPORT_HEADERS.index("Perkiraan Biaya (Rp)"),)


def _query(params: dict[str, str]) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(params)
    return query


@login_required
@require_POST
def export_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start an export job with the list's filters (checked now, so a bad filter is a 400 at once)."""
    kind = request.POST.get("format", "xlsx")
    if kind not in FORMATS:
        raise InvalidInput("Format ekspor tidak dikenal; pilih xlsx atau csv.")
    filters = sel.ListFilters.for_user(request.POST, request.user).as_query()
    job = jobs.submit("proposals.export", user=request.user, label=f"Ekspor usulan ({FORMATS[kind]})",
                      params={"format": kind, "filters": filters}, dedupe_key=f"{kind}?{urlencode(filters)}",
                      back_url=reverse("proposals:list") + ("?" + urlencode(filters) if filters else ""))
    return redirect("jobs:status", token=job.token)


#: What the export's count counts (a row of the file is a proposal): "1.200 dari 5.000 usulan".
UNIT = "usulan"


@handler("proposals.export", label="Ekspor usulan")
def run_export(ctx: JobContext) -> JobOutcome:
    params = ctx.params
    kind = params.get("format", "xlsx")
    filters = sel.ListFilters.from_query(_query(params.get("filters") or {}))
    qs = sel.filtered(sel.visible_proposals(ctx.user), filters)
    total = min(qs.count(), sel.EXPORT_LIMIT)
    ctx.progress("Menyiapkan", 0, total, force=True, unit=UNIT)

    def progress(done: int) -> None:
        ctx.progress("Menulis baris", done, total, unit=UNIT)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    rows = sel.export_rows(qs, filters)
    if kind == "csv":
        path = ctx.output_path("usulan.csv")
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            written = write_csv(handle, sel.EXPORT_HEADERS, (_csv_row(r) for r in rows), progress=progress)
    else:
        path = ctx.output_path("usulan.xlsx")
        written = write_xlsx(path, "Usulan", sel.EXPORT_HEADERS, rows, sel.EXPORT_WIDTHS,
                             money_columns=MONEY_COLUMNS, progress=progress)
    ctx.progress("Selesai", written, written, force=True, unit=UNIT)
    more = " (dibatasi; persempit penyaring untuk sisanya)" if written >= sel.EXPORT_LIMIT else ""
    return JobOutcome(message=f"{written:,} usulan diekspor{more}.".replace(",", "."), file=path,
                      download_name=f"usulan-{stamp}.{kind}", data={"rows": written})


def _csv_row(row: list[Any]) -> list[Any]:
    return [v.strftime("%Y-%m-%d %H:%M") if isinstance(v, dt.datetime) else v for v in row]
