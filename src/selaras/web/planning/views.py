"""Drafting pages (thin: the rules live in cells, lines, stages, versions, notes and scope)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_POST

from selaras.domain.errors import Conflict, InvalidInput, NotPermitted, StageClosed
from selaras.domain.plan_cells import Problem
from selaras.domain.plan_documents import DOCUMENT_KIND_LABELS, DocumentKind
from selaras.domain.plans import PLAN_STAGE_LABELS
from selaras.web.errors.messages import error_text
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.params import (
    InvalidParameter,
    id_param,
    page_param,
    parse_text,
    text_param,
    year_param,
)
from selaras.web.planning import (
    cells,
    documents,
    lines,
    notes,
    selectors,
    stages,
    structure,
    versions,
)
from selaras.web.planning.documents import Document
from selaras.web.planning.grid import cell as render_cell
from selaras.web.planning.messages import COLUMN_LABELS
from selaras.web.planning.models import DocumentVersion, NoteVerdict, VerificationStatus
from selaras.web.planning.scope import can_edit, can_note
from selaras.web.plans import selectors as plan_selectors
from selaras.web.plans.models import AgencyAnnualPlan, LocalGovernment, RenstraLine
from selaras.web.proposals import carry
from selaras.web.proposals.windows import planning_year
from selaras.web.reference.selectors import government_level_for

_MAX_NOTE_TEXT = 4000


def _government(request: AuthenticatedHttpRequest) -> LocalGovernment:
    government = plan_selectors.government_for(request.user, request.session.get(
        plan_selectors.SESSION_GOVERNMENT_KEY))
    if government is None:
        raise Http404("Akun Anda belum terhubung ke pemerintah daerah.")
    return government


def _document(request: AuthenticatedHttpRequest, kind: str, pk: int) -> Document:
    """The document, if it belongs to the user's government (else 404, as if it did not exist)."""
    doc = documents.load(kind, pk)
    membership = getattr(request.user, "membership", None)
    if membership is not None and membership.government_id != doc.government_id:
        raise Http404("Dokumen tidak ditemukan.")
    if membership is None and not (request.user.is_superuser or request.user.is_staff):
        raise Http404("Dokumen tidak ditemukan.")
    return doc


def _editor_url(doc: Document) -> str:
    return reverse("planning:document", args=[doc.kind.value, doc.pk])


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    docs = selectors.documents_for(request.user, government.pk)
    whole = "rkpd" in docs  # Bappeda (and the administrator) see the whole government
    open_notes = notes.open_notes_by_agency(government.pk) if whole else []
    year = planning_year(government)
    carry_count = len(carry.carryable(government, year)) if whole else 0
    return render(request, "planning/index.html", {"government": government, "docs": docs, "year": year,
                                                   "labels": DOCUMENT_KIND_LABELS, "open_notes": open_notes,
                                                   "carry_count": carry_count})


@login_required
@require_POST
def carry_postponed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Bappeda carries the proposals postponed to the open cycle's year into it."""
    government = _government(request)
    year = planning_year(government)
    try:
        result = carry.carry_postponed(request.user, government, year)
    except StageClosed as exc:
        messages.error(request, error_text(exc))
        return redirect("planning:index")
    messages.success(request, f"{len(result.carried)} usulan yang ditunda dibawa ke siklus tahun {year}.")
    for number, why in result.skipped[:20]:
        messages.warning(request, f"Usulan {number} tidak dibawa: {why}")
    if len(result.skipped) > 20:
        messages.warning(request, f"{len(result.skipped) - 20} usulan lain juga tidak dibawa karena alasan serupa.")
    return redirect("planning:index")


@login_required
def document(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    editable = can_edit(request.user, doc)
    context = {"doc": doc, "editable": editable, "may_note": can_note(request.user, doc),
               "notes": notes.notes_of(doc), "verification": notes.verification_of(doc),
               "verification_choices": VerificationStatus.choices, "verdicts": NoteVerdict.choices,
               "next_stages": [(s.value, PLAN_STAGE_LABELS[s]) for s in stages.movable_stages(request.user, doc)],
               "versions": DocumentVersion.objects.filter(kind=doc.kind.value, document_id=doc.pk).order_by("-number")}
    term = text_param(request, "cari", max_length=80)
    context["term"] = term
    if doc.kind in (DocumentKind.RPJMD, DocumentKind.RENSTRA):
        context["items"] = structure.tree(doc, editable=editable)
        context["item_forms"] = structure.parent_choices(doc) if editable else []
    if doc.kind in (DocumentKind.RPJMD, DocumentKind.RPJPD):
        row_kind = doc.kind.value
        context["vision_cell"] = render_cell(row_kind, doc.pk, "vision", doc.obj.vision, editable=editable,
                                             label="Visi")
        if doc.kind is DocumentKind.RPJPD:
            context["missions_cell"] = render_cell(row_kind, doc.pk, "missions", doc.obj.missions,
                                                   editable=editable, label="Misi (satu per baris)")
    if doc.kind is DocumentKind.RENSTRA:
        context.update(selectors.renstra_rows(doc, editable=editable, term=term, page=page_param(request)))
        template = "planning/renstra.html"
    elif doc.kind is DocumentKind.RENJA:
        context.update(selectors.renja_rows(doc, editable=editable, term=term, csrf=get_token(request)))
        template = "planning/renja.html"
    elif doc.kind is DocumentKind.RPJMD:
        context.update(selectors.rpjmd_rows(doc, editable=editable, user=request.user))
        template = "planning/rpjmd.html"
    elif doc.kind is DocumentKind.RKPD:
        context.update(selectors.rkpd_rows(doc, editable=editable))
        template = "planning/rkpd.html"
    else:
        context.update(selectors.rpjpd_rows(doc, editable=editable))
        template = "planning/rpjpd.html"
    return render(request, template, context)


_CELL_MAX = 4000
#: Columns whose change moves the Renja editor's summary (totals, remaining pagu).
_SUMMARY_COLUMNS = frozenset({"budget", "forward_estimate"})


def _cell_value(request: AuthenticatedHttpRequest, column: str) -> tuple[str | list[str], Problem | None]:
    """The typed value, or why it cannot be read as text (answered in the cell like any refusal)."""
    posted = request.POST.get("nilai", "")
    try:
        if column in ("missions", "priorities"):  # one per line (line breaks are refused in every other cell)
            return [parse_text(line, name="nilai", max_length=_CELL_MAX) for line in str(posted).splitlines()], None
        return text_param(request.POST, "nilai", max_length=_CELL_MAX), None
    except InvalidParameter as exc:
        if exc.params.get("reason") == "too_long":
            return str(posted)[:_CELL_MAX], ("cell.too_long", {"max": _CELL_MAX})
        return "", ("cell.control_character", {})


@login_required
@require_POST
def cell(request: AuthenticatedHttpRequest, row_kind: str, row_id: int, column: str) -> HttpResponse:
    """Save one cell (htmx); answers the cell's input again, and a status line out of band (and,
    for a Renja line's pagu, the editor's summary). A refused value answers 422 with the input
    marked and its message: htmx swaps it in (static/selaras/selaras.js), nothing is written."""
    year = year_param(request)
    raw, unreadable = _cell_value(request, column)
    result = cells.save_cell(request.user, row_kind, row_id, column, raw, year, refused=unreadable,
                             seen=_seen(request))
    shown = "\n".join(raw) if isinstance(raw, list) else raw
    options = None
    if row_kind == cells.RowKind.RENSTRA_LINE and column == "objective":
        options = selectors.objective_options(RenstraLine.objects.values_list("renstra_id", flat=True).get(pk=row_id))
    if result.conflict:  # changed by someone else meanwhile: the stored value is shown again
        html = str(render_cell(row_kind, row_id, column, result.current, editable=True, year=year,
                               error=result.error, options=options))
    else:
        html = str(render_cell(row_kind, row_id, column, result.value, editable=True, year=year, error=result.error,
                               saved=result.ok, raw=None if result.ok else shown, options=options,
                               seen=None if result.ok else cells.seen_text(column, result.current)))
    where = COLUMN_LABELS.get(column, column) + (f" {year}" if year else "")
    status = escape(f"{where}: {result.error}") if result.error else escape(f"{where}: tersimpan.")
    html += f'<p id="status-sel" class="cell-status" role="status" hx-swap-oob="true">{status}</p>'
    if result.ok and row_kind == cells.RowKind.RENJA_LINE and column in _SUMMARY_COLUMNS:
        renja = AgencyAnnualPlan.objects.get(lines__pk=row_id)
        html += render_to_string("planning/_renja_summary.html",
                                 {"summary": selectors.renja_summary(renja), "oob": True})
    if result.conflict:
        # 409, and the cell re-rendered: selaras.js swaps an answer marked as a fragment like a 422
        response = HttpResponse(html, status=409)
        response["X-Selaras-Fragment"] = "1"
        return response
    return HttpResponse(html, status=200 if result.ok else 422)


def _seen(request: AuthenticatedHttpRequest) -> str | None:
    """The cell's text when the editor showed it (`sebelum`, sent by static/selaras/selaras.js);
    None when not sent or unreadable (then the save is not compared)."""
    posted = request.POST.get("sebelum")
    if posted is None:
        return None
    try:  # line breaks (a textarea's) count as spaces: spacing is not compared
        return parse_text(" ".join(str(posted).split()), name="sebelum", max_length=_CELL_MAX * 2)
    except InvalidParameter:
        return None


@login_required
@require_POST
def add_line(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    code = text_param(request.POST, "kode", max_length=80)
    name = text_param(request.POST, "nama", max_length=400)
    try:
        if doc.kind is DocumentKind.RENSTRA:
            added = lines.add_renstra_line(request.user, doc, code, name).code
        elif doc.kind is DocumentKind.RENJA:
            added = lines.add_renja_line(request.user, doc, code, name).code
        elif doc.kind is DocumentKind.RKPD:
            added = lines.add_priority_program(request.user, doc, code, name).code
        else:
            raise InvalidInput("Dokumen ini tidak memiliki baris program/kegiatan.")
        messages.success(request, f"Baris {added} ditambahkan.")
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
    return redirect(f"{_editor_url(doc)}?cari={code}" if code else _editor_url(doc))


@login_required
@require_POST
def add_indicator(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    try:
        lines.add_indicator(request.user, doc, text_param(request.POST, "nama", max_length=300),
                            key=text_param(request.POST, "kunci", max_length=80),
                            unit=text_param(request.POST, "satuan", max_length=60),
                            direction=text_param(request.POST, "arah", max_length=8, default="up"),
                            objective_id=id_param(request.POST, "sasaran"))
        messages.success(request, "Indikator ditambahkan.")
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
    return redirect(_editor_url(doc))


@login_required
@require_POST
def add_item(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    """A mission, goal, objective, strategy or policy direction under its parent."""
    doc = _document(request, kind, pk)
    item_kind = text_param(request.POST, "jenis", max_length=20)
    try:
        structure.add_item(request.user, doc, item_kind, text_param(request.POST, "uraian", max_length=4000),
                           parent_id=id_param(request.POST, "induk"),
                           number=text_param(request.POST, "nomor", max_length=16))
        messages.success(request, f"{structure.ITEM_LABELS.get(item_kind, 'Butir').capitalize()} ditambahkan.")
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
    return redirect(_editor_url(doc) + "#struktur")


@login_required
@require_POST
def delete_item(request: AuthenticatedHttpRequest, kind: str, pk: int, item_kind: str, item_id: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    try:
        structure.delete_item(request.user, doc, item_kind, item_id)
        messages.success(request, f"{structure.ITEM_LABELS.get(item_kind, 'Butir').capitalize()} dihapus.")
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
    return redirect(_editor_url(doc) + "#struktur")


@login_required
@require_POST
def delete_line(request: AuthenticatedHttpRequest, kind: str, pk: int, line_id: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    try:
        lines.delete_line(request.user, doc, line_id)
        messages.success(request, "Baris dihapus.")
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
    return redirect(_editor_url(doc))


@login_required
def code_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """As the code is typed: whether it is valid and its nomenclature name (htmx fragment)."""
    raw = text_param(request, "kode", max_length=80)
    if not raw:
        return HttpResponse("")
    if any(ch.isalpha() for ch in raw):  # a name typed: offer the matching nomenclature lines
        return _name_search(request, raw)
    try:
        code, level = lines.check_code(raw)
    except InvalidInput as exc:
        return HttpResponse(f'<span class="error">{escape(error_text(exc))}</span>')
    government = _government(request)
    problem = lines.nomenclature_problem(code, government)
    if problem is not None:
        return HttpResponse(f'<span class="error">{escape(problem)}</span>')
    entry = lines.nomenclature_entry(code, government.nomenclature_edition)
    if entry is None:  # no nomenclature of the edition loaded: the planner names the line
        return HttpResponse(f'<span class="warning">{escape(code)}: tidak ada di nomenklatur; isi nama sendiri.</span>')
    label = lines.LEVEL_LABELS[level]
    return HttpResponse(f'<span class="ok">{escape(label.capitalize())}: {escape(entry["name"])}'
                        + (f' · satuan {escape(entry["unit"])}' if entry["unit"] else "") + "</span>")


_LEVELS = {"program": ("program",), "sub_activity": ("sub_activity",), "": ("program", "activity", "sub_activity")}


def _name_search(request: AuthenticatedHttpRequest, raw: str) -> HttpResponse:
    """Nomenclature lines whose name holds the typed words, as the options of the code field's
    <datalist> (swapped out of band: choosing one fills the code)."""
    government = _government(request)
    level = text_param(request, "tingkat", max_length=20)
    found = lines.search_nomenclature(raw, government.nomenclature_edition, _LEVELS.get(level, _LEVELS[""]),
                                      government_level=government_level_for(government.level))
    options = "".join(f'<option value="{escape(code)}">{escape(name[:120])}</option>' for code, name in found)
    if found:
        info = f'<span class="ok">{len(found)} baris nomenklatur cocok: pilih dari daftar kode.</span>'
    else:
        info = f'<span class="warning">Tidak ada nomenklatur dengan nama "{escape(raw)}".</span>'
    return HttpResponse(info + f'<datalist id="kode-saran" hx-swap-oob="true">{options}</datalist>')


@login_required
def stage(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    context: dict[str, object] = {"doc": doc, "preview": stages.preview(doc, request.user)}
    if request.method == "POST":
        to = text_param(request.POST, "tahap", max_length=20)
        reason = text_param(request.POST, "alasan", max_length=2000)
        try:
            stages.move(request.user, doc, to, override_reason=reason)
        except Conflict as exc:
            context.update(error=error_text(exc), blocking=exc.params.get("findings", []), reason=reason)
            return render(request, "planning/stage.html", context, status=409)
        except InvalidInput as exc:
            context.update(error=error_text(exc), reason=reason)
            return render(request, "planning/stage.html", context, status=400)
        messages.success(request, f"{doc.title} dipindah ke tahap {PLAN_STAGE_LABELS[stages.stage_of(to)]}.")
        return redirect(_editor_url(doc))
    return render(request, "planning/stage.html", context)


@login_required
def version_list(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    found = DocumentVersion.objects.filter(kind=doc.kind.value, document_id=doc.pk).select_related(
        "created_by").order_by("-number")
    return render(request, "planning/versions.html", {"doc": doc, "versions": found})


def _comparison(request: AuthenticatedHttpRequest, doc: Document) -> tuple[versions.Comparison, str, str]:
    """Versions `a` and `b` (numbers) of the document; `b` empty means the document as it is now."""
    a = id_param(request, "a")
    b = id_param(request, "b")
    found = {v.number: v for v in DocumentVersion.objects.filter(kind=doc.kind.value, document_id=doc.pk,
                                                                 number__in=[n for n in (a, b) if n])}
    if a is None or a not in found or (b is not None and b not in found):
        raise Http404("Versi tidak ditemukan.")
    before = found[a]
    after_payload = found[b].payload if b is not None else versions.payload_of(doc)
    label_b = f"versi {b}" if b is not None else "keadaan sekarang"
    return versions.compare(before.payload, after_payload), f"versi {a}", label_b


@login_required
def compare(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    comparison, label_a, label_b = _comparison(request, doc)
    return render(request, "planning/compare.html", {"doc": doc, "cmp": comparison, "label_a": label_a,
                                                     "label_b": label_b, "query": request.GET.urlencode()})


@login_required
def compare_xlsx(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    from selaras.formats.plan_comparison import write_comparison

    doc = _document(request, kind, pk)
    comparison, label_a, label_b = _comparison(request, doc)
    totals = [(versions.column_label(c, "money"), a, b, d) for c, a, b, d in comparison.totals]
    data = write_comparison(doc.title, label_a, label_b, versions.comparison_rows(comparison), totals)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="perbandingan-{doc.kind.value}-{doc.pk}.xlsx"'
    return response


@login_required
@require_POST
def add_note(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    line_kind = text_param(request.POST, "jenis_baris", max_length=24)
    line_id = id_param(request.POST, "baris")
    verdict = text_param(request.POST, "penilaian", max_length=20, default=NoteVerdict.NEEDS_CORRECTION)
    try:
        notes.add_note(request.user, doc, text_param(request.POST, "catatan", max_length=_MAX_NOTE_TEXT),
                       verdict=verdict, line_kind=line_kind if line_id else "", line_id=line_id)
        messages.success(request, "Catatan verifikasi disimpan.")
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
    return redirect(_editor_url(doc) + "#catatan")


@login_required
@require_POST
def answer_note(request: AuthenticatedHttpRequest, note_id: int) -> HttpResponse:
    resolve = text_param(request.POST, "selesai", max_length=4) == "1"
    try:
        note = notes.answer_note(request.user, note_id, text_param(request.POST, "jawaban",
                                                                    max_length=_MAX_NOTE_TEXT), resolve=resolve)
    except (InvalidInput, Conflict) as exc:
        if isinstance(exc, NotPermitted):
            raise
        messages.error(request, error_text(exc))
        return redirect("planning:index")
    messages.success(request, "Jawaban disimpan.")
    return redirect(reverse("planning:document", args=[note.kind, note.document_id]) + "#catatan")


@login_required
@require_POST
def resolve_note(request: AuthenticatedHttpRequest, note_id: int) -> HttpResponse:
    try:
        note = notes.resolve_note(request.user, note_id)
    except Conflict as exc:
        messages.error(request, error_text(exc))
        return redirect("planning:index")
    messages.success(request, "Catatan diselesaikan.")
    return redirect(reverse("planning:document", args=[note.kind, note.document_id]) + "#catatan")


@login_required
@require_POST
def verification(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    doc = _document(request, kind, pk)
    try:
        notes.set_verification(request.user, doc, text_param(request.POST, "status", max_length=20))
        messages.success(request, "Status verifikasi disimpan.")
    except (InvalidInput, Conflict) as exc:
        messages.error(request, error_text(exc))
    return redirect(_editor_url(doc) + "#catatan")


@login_required
def open_notes(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    return render(request, "planning/open_notes.html", {
        "government": government, "rows": notes.open_notes_by_agency(government.pk),
        "notes": notes.open_notes(government.pk, id_param(request, "pd"))})
