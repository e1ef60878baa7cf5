"""The Excel round trip of plan documents in the official layouts (formats/plan_tables).

Export writes the document in its layout; import reads a file in the same layout and applies it
all-or-nothing: every problem is reported with its row and column and nothing is written unless
the whole file is clean. After an import the document reads back equal to the file (lines in the
file and not in the document are added, lines no longer in the file are removed — a Renja line
with accepted proposals is never removed: that is a problem of the file).

The Renja's 'catatan penting' and the forward year's (n+1) target and money are stored and read
back; the Renstra's 'Rp at the end of the period' is the sum of the five years, written on export
and not read back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from selaras.domain import plan_cells
from selaras.domain.codes import NomenclatureCode
from selaras.domain.errors import InvalidInput
from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.plan_documents import DocumentKind
from selaras.domain.plans import LineLevel
from selaras.domain.targets import line_target_problem, negative_problem
from selaras.formats import plan_tables
from selaras.formats.plan_tables import ReadResult, TableLayout
from selaras.web.errors.messages import error_text
from selaras.web.http import AnyUser
from selaras.web.planning import lines as line_rules
from selaras.web.planning.bulk import create_with_history
from selaras.web.planning.documents import Document
from selaras.web.planning.scope import check_edit
from selaras.web.plans.models import (
    Agency,
    RenjaLine,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
)

__all__ = ["layout_of", "export_rows", "export_document", "import_document", "ImportOutcome", "problem_text"]


def layout_of(doc: Document) -> TableLayout:
    if doc.kind is DocumentKind.RENSTRA:
        return plan_tables.renstra_tc27(list(range(doc.obj.start_year, doc.obj.end_year + 1)))
    if doc.kind is DocumentKind.RENJA:
        return plan_tables.renja_programme_table(doc.obj.rkpd.year)
    if doc.kind is DocumentKind.RKPD:
        return plan_tables.rkpd_programme_table(doc.obj.year)
    if doc.kind is DocumentKind.RPJMD:
        return plan_tables.rpjmd_tc14(list(range(doc.obj.start_year, doc.obj.end_year + 1)))
    raise InvalidInput("Dokumen ini tidak memiliki tabel program untuk Excel.")


# ----------------------------------------------------------------------------------- export

def _renstra_rows(renstra_ids: list[int], years: list[int], *, level: str | None = None) -> list[dict[str, Any]]:
    entries: dict[int, dict[int, tuple[Any, ...]]] = defaultdict(dict)
    qs = RenstraLineYear.objects.filter(line__renstra_id__in=renstra_ids)
    if level:
        qs = qs.filter(line__level=level)
    for line_id, year, target, low, high, budget in qs.values_list(
            "line_id", "year", "target", "target_min", "target_max", "budget"):
        entries[line_id][year] = ((target, low, high), budget)
    lines = RenstraLine.objects.filter(renstra_id__in=renstra_ids)
    if level:
        lines = lines.filter(level=level)
    rows = []
    for (pk, code, name, indicator, unit, direction, baseline, end_target, responsible, location, goal,
         objective, agency_code) in lines.order_by("renstra__agency__code", "code", "id").values_list(
            "id", "code", "name", "indicator", "unit", "direction", "baseline", "end_target", "responsible_unit",
            "location", "objective__goal__text", "objective__text", "renstra__agency__code"):
        row: dict[str, Any] = {"goal": goal or "", "objective": objective or "", "code": code, "name": name,
                               "indicator": indicator, "baseline": baseline, "unit": unit, "direction": direction,
                               "end_target": (end_target, None, None) if end_target is not None else None,
                               "responsible_unit": responsible, "location": location, "agency": agency_code}
        total = 0
        for year in years:
            target, budget = entries[pk].get(year, ((None, None, None), 0))
            row[f"target_{year}"] = target if any(v is not None for v in target) else None
            row[f"budget_{year}"] = budget
            total += budget
        row["end_budget"] = total
        rows.append(row)
    return rows


def _renja_rows(renja_filter: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for (code, name, indicator, unit, direction, target, low, high, budget, forward, source, location,
         agency_code, note, f_target, f_low, f_high) in RenjaLine.objects.filter(**renja_filter).order_by(
            "renja__agency__code", "code", "id").values_list(
            "code", "name", "indicator", "unit", "direction", "target", "target_min", "target_max", "budget",
            "forward_estimate", "funding_source", "location", "renja__agency__code", "note", "forward_target",
            "forward_target_min", "forward_target_max"):
        rows.append({"code": code, "name": name, "indicator": indicator, "unit": unit, "direction": direction,
                     "target": (target, low, high) if any(v is not None for v in (target, low, high)) else None,
                     "budget": budget, "forward_estimate": forward, "funding_source": source, "location": location,
                     "agency": agency_code, "note": note,
                     "forward_target": (f_target, f_low, f_high) if any(
                         v is not None for v in (f_target, f_low, f_high)) else None})
    return rows


def export_rows(doc: Document) -> list[dict[str, Any]]:
    if doc.kind is DocumentKind.RENSTRA:
        return _renstra_rows([doc.pk], list(range(doc.obj.start_year, doc.obj.end_year + 1)))
    if doc.kind is DocumentKind.RENJA:
        return _renja_rows({"renja_id": doc.pk})
    if doc.kind is DocumentKind.RKPD:
        return _renja_rows({"renja__rkpd_id": doc.pk})
    if doc.kind is DocumentKind.RPJMD:
        ids = list(doc.obj.renstras.values_list("id", flat=True))
        return _renstra_rows(ids, list(range(doc.obj.start_year, doc.obj.end_year + 1)), level=LineLevel.PROGRAM)
    raise InvalidInput("Dokumen ini tidak memiliki tabel program untuk Excel.")


def export_document(doc: Document) -> bytes:
    return plan_tables.write_table(layout_of(doc), export_rows(doc), subtitle=doc.title)


# ----------------------------------------------------------------------------------- import

@dataclass
class ImportOutcome:
    problems: list[Finding] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


_PROBLEM_TEXTS = {
    "plan_table.header": "judul kolom harus \"{expected}\" (tertulis \"{found}\")",
    "plan_table.no_header": "baris judul tidak ditemukan (baris 1–3 adalah judul, data mulai baris 4)",
    "plan_table.no_rows": "tidak ada baris data",
    "plan_table.duplicate": "kode {key} sudah ada di baris {first_row}",
    "plan_table.end_range": "target akhir periode harus satu nilai, bukan rentang",
    "plan_table.parent_missing": "induk {parent} tidak ada di berkas",
    "plan_table.unknown_objective": "sasaran ini tidak ada pada Renstra (tambahkan sasarannya di halaman Renstra, "
                                    "atau salin teksnya persis)",
    "plan_table.level": "kode {code} harus kode {level}",
    "plan_table.code": "{detail}",
    "plan_table.unknown_agency": "perangkat daerah {agency} tidak dikenal",
    "plan_table.no_renstra": "perangkat daerah {agency} belum memiliki Renstra untuk periode ini",
    "plan_table.unknown_line": "program {code} tidak ada di Renstra {agency}",
    "plan_table.no_renja": "perangkat daerah {agency} belum memiliki Renja tahun ini",
    "plan_table.has_proposals": "baris Renja {code} memuat usulan yang diterima dan tidak boleh hilang dari berkas",
}


def problem_text(finding: Finding) -> str:
    """'Baris 7, kolom F (Target): Isi dengan angka ...' for one problem of a file."""
    from selaras.web.errors.messages import TABLE_TEXTS
    from selaras.web.planning.messages import TEXTS

    params = dict(finding.params)
    template = _PROBLEM_TEXTS.get(finding.code) or TEXTS.get(finding.code) or TABLE_TEXTS.get(finding.code, finding.code)
    try:
        body = template.format(**params)
    except (KeyError, IndexError, ValueError):
        body = template
    where = []
    if finding.location.row:
        where.append(f"baris {finding.location.row}")
    if finding.location.column:
        header = params.get("header")
        where.append(f"kolom {finding.location.column}" + (f" ({header})" if header else ""))
    prefix = ", ".join(where)
    return f"{prefix[:1].upper()}{prefix[1:]}: {body}" if prefix else body[:1].upper() + body[1:]


def _at(problem: str, row: int, layout: TableLayout, column: str, /, **params: Any) -> Finding:
    from openpyxl.utils import get_column_letter

    index = [c.key for c in layout.columns].index(column) + 1
    header = layout.column(column).header
    return Finding(problem, Severity.ERROR, Location(row=row, column=get_column_letter(index)),
                   {"header": header, **params})


def _check_renstra_rows(layout: TableLayout, read: ReadResult, *, full: bool,
                        known: frozenset[str] = frozenset()) -> list[Finding]:
    """Codes valid, at the layout's level; a new line's parent in the file (a line already in the
    document keeps its place even when its parent is missing: a flaw sinkronisasi reports, which
    must not make the document's own export unreadable)."""
    problems: list[Finding] = []
    codes = {row["code"] for row in read.rows if row.get("code")}
    for row, number in zip(read.rows, read.row_numbers, strict=True):
        if not row.get("code"):
            continue
        try:
            code, level = line_rules.check_code(row["code"])
        except InvalidInput as exc:
            problems.append(_at("plan_table.code", number, layout, "code", detail=error_text(exc)))
            continue
        if not full and level is not LineLevel.PROGRAM:
            problems.append(_at("plan_table.level", number, layout, "code", code=code, level="program"))
        if full and level is not LineLevel.PROGRAM:
            parent = str(NomenclatureCode.parse(code).parent)
            if parent not in codes and code not in known:
                problems.append(_at("plan_table.parent_missing", number, layout, "code", parent=parent))
        end = row.get("end_target")
        if end is not None and end[0] is None and (end[1] is not None or end[2] is not None):
            problems.append(_at("plan_table.end_range", number, layout, "end_target"))
        problems += _sign_problems(layout, row, number)
    return problems


def _sign_problems(layout: TableLayout, row: dict[str, Any], number: int) -> list[Finding]:
    """A Renstra or T-C.14 line's baseline and targets are never negative (the editor's rule,
    `domain.targets.negative_problem`); money is refused negative as it is read."""
    problems = []
    for key in ("baseline", "end_target", *(f"target_{year}" for year in layout.years)):
        found = row.get(key)
        values = found if isinstance(found, tuple) else (found,)
        refused = line_target_problem(*values) if key.startswith("target_") and found else (
            negative_problem(*values))
        if refused is not None:
            problems.append(_at(refused, number, layout, key))
    return problems


def _check_new_codes(layout: TableLayout, rows: Iterable[tuple[dict[str, Any], int]], known: Iterable[str],
                     government: Any) -> list[Finding]:
    """The code of every new line lies in the government's nomenclature edition, at its level and
    active (`lines.nomenclature_problems`: the rule of a line added in the editor, shared with the
    proposals); each row at fault is named. A line already in the document keeps its code (an
    older edition's, say: sinkronisasi reports it), so the document's own export still reads back."""
    present = set(known)
    new: dict[str, list[int]] = defaultdict(list)
    for row, number in rows:
        code = row.get("code")
        if not code or code in present:
            continue
        try:
            line_rules.check_code(code)
        except InvalidInput:
            continue  # reported as a bad code
        new[code].append(number)
    refused = line_rules.nomenclature_problems(new, government)
    found = [(number, code) for code in refused for number in new[code]]
    return [_at("plan_table.code", number, layout, "code", detail=refused[code]) for number, code in sorted(found)]


_LINE_FIELDS = ("name", "indicator", "unit", "direction", "baseline", "end_target", "responsible_unit", "location",
                "objective_id")
_YEAR_FIELDS = ("target", "target_min", "target_max", "budget")


def _line_values(row: dict[str, Any], objectives: dict[str, int]) -> dict[str, Any]:
    end = row.get("end_target")
    return {"objective_id": objectives.get(" ".join(str(row.get("objective") or "").split())), "name": row["name"], "indicator": row.get("indicator") or "", "unit": row.get("unit") or "",
            "direction": row.get("direction") or "none", "baseline": row.get("baseline"),
            "end_target": end[0] if end else None, "responsible_unit": row.get("responsible_unit") or "",
            "location": row.get("location") or ""}


def _year_values(row: dict[str, Any], year: int) -> dict[str, Any]:
    target = row.get(f"target_{year}") or (None, None, None)
    return {"target": target[0], "target_min": target[1], "target_max": target[2],
            "budget": int(row.get(f"budget_{year}") or 0)}


def _keep_unit(line: Any, values: dict[str, Any]) -> None:
    """A stored unit the file writes in its normal form (m2 → m², lokal → ruang) is not a change."""
    stored = line.unit or ""
    if stored and stored != values["unit"] and plan_cells.parse_unit(stored)[0] == values["unit"]:
        values["unit"] = stored


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))
    return bool(a == b)


def renstra_objectives(renstra_id: int) -> dict[str, int]:
    """The Renstra's objectives by their text (as the T-C.27 'Sasaran' column writes them)."""
    found: dict[str, int] = {}
    for pk, statement in RenstraObjective.objects.filter(goal__renstra_id=renstra_id).order_by(
            "number", "id").values_list("id", "text"):
        found.setdefault(" ".join(statement.split()), pk)
    return found


def _check_objectives(layout: TableLayout, read: ReadResult, objectives: dict[str, int]) -> list[Finding]:
    problems = []
    for row, number in zip(read.rows, read.row_numbers, strict=True):
        text_value = " ".join(str(row.get("objective") or "").split())
        if row.get("code") and text_value and text_value not in objectives:
            problems.append(_at("plan_table.unknown_objective", number, layout, "objective"))
    return problems


def _apply_renstra(user: AnyUser | None, renstra: Any, rows: list[dict[str, Any]], years: list[int], *,
                   full: bool, outcome: ImportOutcome) -> None:
    existing = {line.code: line for line in RenstraLine.objects.filter(renstra=renstra).order_by("-id")}
    objectives = renstra_objectives(renstra.pk) if full else {}
    edition = renstra.agency.government.nomenclature_edition
    by_code = {row["code"]: row for row in rows}
    # new lines, parents first (a shorter code is never below a longer one)
    new_codes = sorted((c for c in by_code if c not in existing), key=lambda c: (c.count("."), c)) if full else []
    for depth in sorted({c.count(".") for c in new_codes}):
        batch = []
        for code in (c for c in new_codes if c.count(".") == depth):
            _, level = line_rules.check_code(code)
            parent = existing.get(str(NomenclatureCode.parse(code).parent)) if level is not LineLevel.PROGRAM else None
            values = _line_values(by_code[code], objectives)
            if values["objective_id"] is None and parent is not None:
                values["objective_id"] = parent.objective_id
            batch.append(RenstraLine(renstra=renstra, parent=parent, level=level.value, code=code,
                                     nomenclature_edition=edition, **values))
        for made in create_with_history(batch, RenstraLine, user=_user(user), reason="impor Excel"):
            existing[made.code] = made
        outcome.created += len(batch)
    changed_lines = []
    fields = _LINE_FIELDS if full else _LINE_FIELDS[:-1]  # T-C.14 has no objective column
    for code, row in by_code.items():
        line = existing.get(code)
        if line is None or code in new_codes:
            continue
        values = _line_values(row, objectives)
        _keep_unit(line, values)
        if any(not _same(getattr(line, f), values[f]) for f in fields):
            for f in fields:
                setattr(line, f, values[f])
            changed_lines.append(line)
    if changed_lines:
        bulk_update_with_history(changed_lines, RenstraLine, list(fields), default_user=_user(user),
                                 default_change_reason="impor Excel", batch_size=500)
    line_ids = {code: existing[code].pk for code in by_code if code in existing}
    entries = {(e.line_id, e.year): e for e in RenstraLineYear.objects.filter(line_id__in=line_ids.values())}
    create_years, update_years = [], []
    for code, row in by_code.items():
        line_id = line_ids.get(code)
        if line_id is None:
            continue
        for year in years:
            values = _year_values(row, year)
            entry = entries.get((line_id, year))
            if entry is None:
                if any(values[f] not in (None, 0) for f in _YEAR_FIELDS):
                    create_years.append(RenstraLineYear(line_id=line_id, year=year, **values))
            elif any(not _same(getattr(entry, f), values[f]) for f in _YEAR_FIELDS):
                for f in _YEAR_FIELDS:
                    setattr(entry, f, values[f])
                update_years.append(entry)
    new_ids = {existing[c].pk for c in new_codes}
    touched = {line.pk for line in changed_lines} | {e.line_id for e in (*create_years, *update_years)}
    outcome.updated += len(touched - new_ids)
    if create_years:
        create_with_history(create_years, RenstraLineYear, user=_user(user), reason="impor Excel")
    if update_years:
        bulk_update_with_history(update_years, RenstraLineYear, list(_YEAR_FIELDS), default_user=_user(user),
                                 default_change_reason="impor Excel", batch_size=500)
    if full:
        gone = [line.pk for code, line in existing.items() if code not in by_code]
        if gone:
            outcome.deleted += len(gone)
            RenstraLine.objects.filter(pk__in=gone).delete()


def _user(user: AnyUser | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def _check_renja_rows(layout: TableLayout, read: ReadResult) -> list[Finding]:
    problems: list[Finding] = []
    for row, number in zip(read.rows, read.row_numbers, strict=True):
        if not row.get("code"):
            continue
        try:
            code, level = line_rules.check_code(row["code"])
        except InvalidInput as exc:
            problems.append(_at("plan_table.code", number, layout, "code", detail=error_text(exc)))
            continue
        if level is not LineLevel.SUB_ACTIVITY:
            problems.append(_at("plan_table.level", number, layout, "code", code=code, level="sub kegiatan"))
        for key in ("target", "forward_target"):
            found = row.get(key)
            refused = line_target_problem(*found) if found else None
            if refused is not None:
                problems.append(_at(refused, number, layout, key))
    return problems


_RENJA_FIELDS = ("name", "indicator", "unit", "direction", "target", "target_min", "target_max", "budget",
                 "forward_estimate", "funding_source", "location", "note", "forward_target", "forward_target_min",
                 "forward_target_max")


def _renja_values(row: dict[str, Any]) -> dict[str, Any]:
    target = row.get("target") or (None, None, None)
    forward = row.get("forward_target") or (None, None, None)
    return {"note": row.get("note") or "", "forward_target": forward[0], "forward_target_min": forward[1],
            "forward_target_max": forward[2],
            "name": row["name"], "indicator": row.get("indicator") or "", "unit": row.get("unit") or "",
            "direction": row.get("direction") or "none", "target": target[0], "target_min": target[1],
            "target_max": target[2], "budget": int(row.get("budget") or 0),
            "forward_estimate": int(row.get("forward_estimate") or 0),
            "funding_source": row.get("funding_source") or "", "location": row.get("location") or ""}


def _plan_renja(renja: Any, rows: list[tuple[dict[str, Any], int]], layout: TableLayout,
                problems: list[Finding]) -> tuple[list[RenjaLine], list[RenjaLine], list[int]]:
    existing = {line.code: line for line in RenjaLine.objects.filter(renja=renja).order_by("-id")}
    problems += _check_new_codes(layout, rows, existing, renja.rkpd.government)
    in_file = {row["code"] for row, _ in rows}
    gone = [line for code, line in existing.items() if code not in in_file]
    with_proposals = set(RenjaLine.objects.filter(pk__in=[g.pk for g in gone], proposals__isnull=False)
                         .values_list("code", flat=True))
    for code in sorted(with_proposals):
        problems.append(Finding("plan_table.has_proposals", Severity.ERROR, Location(column="A"), {"code": code}))
    renstra_lines = dict(RenstraLine.objects.filter(
        renstra__agency_id=renja.agency_id, renstra__start_year__lte=renja.rkpd.year,
        renstra__end_year__gte=renja.rkpd.year, code__in=in_file).values_list("code", "id"))
    edition = renja.rkpd.government.nomenclature_edition
    create, update = [], []
    for row, _number in rows:
        values = _renja_values(row)
        line = existing.get(row["code"])
        if line is None:
            create.append(RenjaLine(renja=renja, code=row["code"], nomenclature_edition=edition,
                                    renstra_line_id=renstra_lines.get(row["code"]), **values))
            continue
        _keep_unit(line, values)
        if any(not _same(getattr(line, f), values[f]) for f in _RENJA_FIELDS):
            if values["budget"] != line.budget:
                line.budget_from_proposals = False  # the planner now owns the pagu (as in the editor)
            for f in _RENJA_FIELDS:
                setattr(line, f, values[f])
            update.append(line)
    return create, update, [g.pk for g in gone]


def import_document(user: AnyUser | None, doc: Document, data: bytes) -> ImportOutcome:
    """Apply a file in the document's layout, all or nothing."""
    check_edit(user, doc)
    layout = layout_of(doc)
    read = plan_tables.read_table(layout, data)
    outcome = ImportOutcome(problems=list(read.problems))
    if doc.kind in (DocumentKind.RENSTRA, DocumentKind.RPJMD):
        full = doc.kind is DocumentKind.RENSTRA
        known = frozenset(RenstraLine.objects.filter(renstra=doc.obj).values_list("code", flat=True)) if full \
            else frozenset()
        outcome.problems += _check_renstra_rows(layout, read, full=full, known=known)
        if full:
            outcome.problems += _check_objectives(layout, read, renstra_objectives(doc.pk))
            outcome.problems += _check_new_codes(layout, zip(read.rows, read.row_numbers, strict=True), known,
                                                 doc.government)
    else:
        outcome.problems += _check_renja_rows(layout, read)
    if outcome.problems:
        return outcome
    years = list(layout.years)
    if doc.kind is DocumentKind.RENSTRA:
        with transaction.atomic():
            _apply_renstra(user, doc.obj, read.rows, years, full=True, outcome=outcome)
        return outcome
    if doc.kind is DocumentKind.RPJMD:
        return _import_tc14(user, doc, layout, read, outcome)
    return _import_annual(user, doc, layout, read, outcome)


def _agencies(doc: Document) -> dict[str, Agency]:
    return {a.code: a for a in Agency.objects.filter(government_id=doc.government_id)}


def _import_tc14(user: AnyUser | None, doc: Document, layout: TableLayout, read: ReadResult,
                 outcome: ImportOutcome) -> ImportOutcome:
    """T-C.14 updates the programme lines of each agency's Renstra (no lines added or removed)."""
    agencies = _agencies(doc)
    renstras = {r.agency.code: r for r in doc.obj.renstras.select_related("agency__government")}
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row, number in zip(read.rows, read.row_numbers, strict=True):
        agency = str(row.get("agency") or "")
        if agency not in agencies:
            outcome.problems.append(_at("plan_table.unknown_agency", number, layout, "agency", agency=agency))
        elif agency not in renstras:
            outcome.problems.append(_at("plan_table.no_renstra", number, layout, "agency", agency=agency))
        else:
            known = set(renstras[agency].lines.filter(level=LineLevel.PROGRAM).values_list("code", flat=True))
            if row["code"] not in known:
                outcome.problems.append(_at("plan_table.unknown_line", number, layout, "code", code=row["code"],
                                            agency=agency))
            grouped[agency].append(row)
    if outcome.problems:
        return outcome
    with transaction.atomic():
        for agency, rows in grouped.items():
            _apply_renstra(user, renstras[agency], rows, list(layout.years), full=False, outcome=outcome)
    return outcome


def _import_annual(user: AnyUser | None, doc: Document, layout: TableLayout, read: ReadResult,
                   outcome: ImportOutcome) -> ImportOutcome:
    """Renja (its own lines) or RKPD (the lines of every agency's Renja of the year)."""
    grouped: dict[Any, list[tuple[dict[str, Any], int]]] = defaultdict(list)
    if doc.kind is DocumentKind.RENJA:
        grouped[doc.obj] = list(zip(read.rows, read.row_numbers, strict=True))
    else:
        renjas = {r.agency.code: r for r in doc.obj.renjas.select_related("agency", "rkpd__government")}
        agencies = _agencies(doc)
        for renja in renjas.values():
            grouped[renja] = []
        for row, number in zip(read.rows, read.row_numbers, strict=True):
            agency = str(row.get("agency") or "")
            if agency not in agencies:
                outcome.problems.append(_at("plan_table.unknown_agency", number, layout, "agency", agency=agency))
            elif agency not in renjas:
                outcome.problems.append(_at("plan_table.no_renja", number, layout, "agency", agency=agency))
            else:
                grouped[renjas[agency]].append((row, number))
    plans = {renja: _plan_renja(renja, rows, layout, outcome.problems) for renja, rows in grouped.items()}
    if outcome.problems:
        return outcome
    with transaction.atomic():
        for create, update, gone in plans.values():
            if create:
                bulk_create_with_history(create, RenjaLine, default_user=_user(user),
                                         default_change_reason="impor Excel")
            if update:
                bulk_update_with_history(update, RenjaLine, [*_RENJA_FIELDS, "budget_from_proposals"],
                                         default_user=_user(user), default_change_reason="impor Excel",
                                         batch_size=500)
            if gone:
                RenjaLine.objects.filter(pk__in=gone).delete()
            outcome.created += len(create)
            outcome.updated += len(update)
            outcome.deleted += len(gone)
    return outcome
