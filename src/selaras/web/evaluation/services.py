"""Writes of monev: a quarter's realisation of a Renja line (web form or Excel import), and the
closing of a quarter by Bappeda.

Every write checks the viewer's scope (`access`), keeps the current figures in `Realisation`
and appends a `RealisationRevision`. After Bappeda closed a quarter a change is a correction and
needs a reason. The import writes all its rows or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from selaras.domain.errors import Conflict, InvalidInput, NotPermitted
from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.realisation import spent_over_budget
from selaras.formats.realisation_table import (
    MAX_SPENT,
    MAX_VOLUME,
    RealisationRow,
    check_note,
    read_decimal,
    read_realisation,
)
from selaras.formats.upload_limits import ReadLimits
from selaras.web.evaluation.access import Viewer, check_agency
from selaras.web.evaluation.messages import FINDING_TEXTS, finding_text
from selaras.web.evaluation.models import (
    SOURCE_IMPORT,
    SOURCE_WEB,
    IndicatorRealisation,
    QuarterClosure,
    Realisation,
    RealisationRevision,
)
from selaras.web.plans.models import AgencyAnnualPlan, Indicator, MediumTermPlan, RenjaLine
from selaras.web.plans.templatetags.selaras_format import format_rupiah

#: An agency's Renja has at most a few hundred lines: four quarters each fit well within these.
IMPORT_LIMITS = ReadLimits(max_rows=20_000, max_columns=40, max_cells=800_000)

__all__ = ["Entry", "ImportRefused", "OverBudget", "ReasonRequired", "close_quarter", "closed_quarters", "import_realisation",
           "indicators_for", "parse_indicator_value", "record", "record_indicator_values"]


class ReasonRequired(InvalidInput):
    """A change to a closed quarter without a reason (params: quarter)."""

    code: ClassVar[str] = "realisation_reason_required"


class InvalidEntry(InvalidInput):
    code: ClassVar[str] = "realisation_invalid"


class OverBudget(InvalidEntry):
    """The year's financial realisation would exceed the line's pagu (params: line, total, budget,
    excess; field 'spent'). Nothing is written."""

    code: ClassVar[str] = "realisation_over_budget"


def _over_budget_params(line: RenjaLine, total: int, excess: int) -> dict[str, object]:
    return {"value": line.code, "total": format_rupiah(total), "budget": format_rupiah(line.budget),
            "excess": format_rupiah(excess)}


class ImportRefused(InvalidInput):
    """The workbook has problems; nothing was written. `findings` lists them with row and column."""

    code: ClassVar[str] = "realisation_import_refused"

    def __init__(self, findings: Sequence[Finding]) -> None:
        texts = [finding_text(f) for f in findings]
        super().__init__("Impor dibatalkan, tidak ada data yang disimpan: " + " ".join(texts[:3]), count=len(texts))
        self.findings = list(findings)
        self.texts = texts


@dataclass(frozen=True)
class Entry:
    """What the agency reports for one line in one quarter."""

    volume: Decimal | None = None
    spent: int | None = None
    helped: str = ""
    hindered: str = ""
    follow_up: str = ""

    def check(self) -> None:
        if self.volume is not None and (not self.volume.is_finite() or self.volume < 0 or self.volume > MAX_VOLUME):
            raise InvalidEntry("Realisasi kinerja harus angka tidak negatif.", field="volume")
        if self.spent is not None and not 0 <= self.spent <= MAX_SPENT:
            raise InvalidEntry("Realisasi keuangan harus jumlah rupiah tidak negatif.", field="spent")
        for text in (self.helped, self.hindered, self.follow_up):
            if code := check_note(text):
                raise InvalidEntry(FINDING_TEXTS[code].format(limit=2000), field="note")


def closed_quarters(government_id: int, year: int) -> set[int]:
    return set(QuarterClosure.objects.filter(government_id=government_id, year=year).values_list("quarter", flat=True))


def _same(current: Realisation | None, entry: Entry) -> bool:
    """True when writing `entry` would change nothing (an empty entry for an unreported quarter too)."""
    if current is None:
        return entry == Entry()
    return (current.volume == entry.volume and current.spent == entry.spent and current.helped == entry.helped
            and current.hindered == entry.hindered and current.follow_up == entry.follow_up)


def _write(viewer: Viewer, line: RenjaLine, quarter: int, entry: Entry, *, reason: str, closed: bool,
           source: str) -> Realisation | None:
    current = Realisation.objects.select_for_update().filter(line=line, quarter=quarter).first()
    if _same(current, entry):
        return current
    if closed and not reason.strip():
        raise ReasonRequired(FINDING_TEXTS["realisation.reason_required"].format(quarter=quarter), quarter=quarter)
    if entry.spent is not None and (current is None or current.spent != entry.spent):
        spent = dict(Realisation.objects.select_for_update().filter(line=line).exclude(quarter=quarter)
                     .values_list("quarter", "spent"))
        spent[quarter] = entry.spent
        excess = spent_over_budget(line.budget, spent)
        if excess:
            params = _over_budget_params(line, line.budget + excess, excess)
            raise OverBudget(FINDING_TEXTS["realisation.over_budget"].format(**params), field="spent",
                             line=line.code, excess=excess)
    user = viewer.user if viewer.user.is_authenticated else None
    if current is None:
        current = Realisation(line=line, quarter=quarter)
    current.volume, current.spent = entry.volume, entry.spent
    current.helped, current.hindered, current.follow_up = entry.helped, entry.hindered, entry.follow_up
    current.updated_by = user
    current.save()
    RealisationRevision.objects.create(
        line=line, quarter=quarter, volume=entry.volume, spent=entry.spent, helped=entry.helped,
        hindered=entry.hindered, follow_up=entry.follow_up, reason=reason.strip(), after_closing=closed,
        source=source, created_by=user,
    )
    return current


def record(viewer: Viewer, line: RenjaLine, quarter: int, entry: Entry, *, reason: str = "",
           source: str = SOURCE_WEB) -> Realisation | None:
    """Save one line's quarter (a no-op when nothing changed; None for an empty entry of a quarter
    never reported). Raises NotPermitted, InvalidEntry, ReasonRequired."""
    renja = line.renja
    if renja.rkpd.government_id != viewer.government.pk:
        raise NotPermitted("Baris Renja ini bukan milik pemerintah daerah Anda.")
    check_agency(viewer, renja.agency_id, write=True)
    if quarter not in (1, 2, 3, 4):
        raise InvalidEntry("Triwulan harus 1 sampai 4.", field="quarter")
    entry.check()
    if check_note(reason):
        raise InvalidEntry("Alasan koreksi tidak sah.", field="reason")
    closed = quarter in closed_quarters(viewer.government.pk, renja.rkpd.year)
    try:
        with transaction.atomic():
            return _write(viewer, line, quarter, entry, reason=reason, closed=closed, source=source)
    except IntegrityError as exc:  # two first entries of the same quarter at once
        raise Conflict("Realisasi triwulan ini baru saja diisi pengguna lain; muat ulang lalu periksa.") from exc


def close_quarter(viewer: Viewer, year: int, quarter: int) -> QuarterClosure:
    """Bappeda closes a quarter of a year for the whole government (Conflict when already closed)."""
    if not viewer.can_close:
        raise NotPermitted("Hanya Bappeda yang dapat menutup triwulan.")
    if quarter not in (1, 2, 3, 4):
        raise InvalidEntry("Triwulan harus 1 sampai 4.", field="quarter")
    with transaction.atomic():
        closure, created = QuarterClosure.objects.get_or_create(
            government=viewer.government, year=year, quarter=quarter,
            defaults={"closed_by": viewer.user if viewer.user.is_authenticated else None})
    if not created:
        raise Conflict(f"Triwulan {quarter} tahun {year} sudah ditutup.", year=year, quarter=quarter)
    return closure


def _bad(row: int, column: str, code: str, **params: object) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, location=Location(row=row, column=column), params=params)


def check_rows(rows: Sequence[RealisationRow], lines: dict[str, RenjaLine], closed: set[int],
               current: dict[tuple[int, int], Realisation]) -> list[Finding]:
    """Findings of rows that name a code outside the Renja, repeat a (code, quarter), change a
    closed quarter without a reason, or bring a line's year of financial realisation above its
    pagu (the file's quarters over the ones already reported)."""
    findings: list[Finding] = []
    first: dict[tuple[str, int], int] = {}
    spent: dict[int, dict[int, int | None]] = {}
    changed_spent: dict[int, RealisationRow] = {}
    for (line_id, quarter), realisation in current.items():
        spent.setdefault(line_id, {})[quarter] = realisation.spent
    for row in rows:
        line = lines.get(row.code)
        if line is None:
            findings.append(_bad(row.row, "kode_sub_kegiatan", "realisation.unknown_code", value=row.code))
            continue
        key = (row.code, row.quarter)
        if key in first:
            findings.append(_bad(row.row, "kode_sub_kegiatan", "realisation.duplicate", value=row.code,
                                 quarter=row.quarter, first=first[key]))
            continue
        first[key] = row.row
        entry = _entry(row)
        if row.quarter in closed and not row.reason.strip() and not _same(current.get((line.pk, row.quarter)), entry):
            findings.append(_bad(row.row, "alasan_koreksi", "realisation.reason_required", quarter=row.quarter))
        quarters = spent.setdefault(line.pk, {})
        if row.spent is not None and quarters.get(row.quarter) != row.spent:
            changed_spent[line.pk] = row
        quarters[row.quarter] = row.spent
    by_id = {line.pk: line for line in lines.values()}
    for line_id, row in changed_spent.items():
        line = by_id[line_id]
        excess = spent_over_budget(line.budget, spent[line_id])
        if excess:
            findings.append(_bad(row.row, "realisasi_keuangan", "realisation.over_budget",
                                 **_over_budget_params(line, line.budget + excess, excess)))
    return findings


def _entry(row: RealisationRow) -> Entry:
    return Entry(volume=row.volume, spent=row.spent, helped=row.helped, hindered=row.hindered,
                 follow_up=row.follow_up)


def import_realisation(viewer: Viewer, renja: AgencyAnnualPlan, data: bytes) -> int:
    """Write every row of the workbook for `renja`, or nothing; returns the rows that changed.

    Raises NotPermitted outside the viewer's scope and ImportRefused (with the findings, each with
    its row and column) when any row is wrong.
    """
    if renja.rkpd.government_id != viewer.government.pk:
        raise NotPermitted("Renja ini bukan milik pemerintah daerah Anda.")
    check_agency(viewer, renja.agency_id, write=True)
    rows, findings = read_realisation(data, IMPORT_LIMITS)
    lines = {line.code: line for line in RenjaLine.objects.filter(renja=renja)}
    closed = closed_quarters(viewer.government.pk, renja.rkpd.year)
    current = {(r.line_id, r.quarter): r for r in Realisation.objects.filter(line__renja=renja)}
    findings.extend(check_rows(rows, lines, closed, current))
    if findings:
        findings.sort(key=lambda f: (f.location.row or 0, f.location.column))
        raise ImportRefused(findings)
    changed = 0
    try:
        with transaction.atomic():
            for row in rows:
                line = lines[row.code]
                entry = _entry(row)
                if _same(current.get((line.pk, row.quarter)), entry):
                    continue
                _write(viewer, line, row.quarter, entry, reason=row.reason, closed=row.quarter in closed,
                       source=SOURCE_IMPORT)
                changed += 1
    except IntegrityError as exc:
        raise Conflict("Realisasi Renja ini baru saja diubah pengguna lain; impor lagi.") from exc
    return changed


# ------------------------------------------------------------------ plan indicators


def indicators_for(viewer: Viewer) -> QuerySet[Indicator]:
    """The plan indicators whose yearly realisation the viewer enters: the RPJMD's (key and
    objective indicators) for Bappeda, the agency's Renstra objective indicators for an agency."""
    if viewer.agency_id is not None:
        return Indicator.objects.filter(renstra_objective__goal__renstra__agency_id=viewer.agency_id).order_by("id")
    rpjmd = MediumTermPlan.objects.filter(government=viewer.government).order_by("-start_year", "-id").first()
    if rpjmd is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(Q(rpjmd=rpjmd) | Q(objective__goal__mission__rpjmd=rpjmd)).order_by("id")


def parse_indicator_value(text: str) -> Decimal:
    """A measured value: may be negative (a growth rate), decimal comma or point, thousands grouped
    with points the Indonesian way ('1.500' is 1500, as in the plan editor) (ValueError)."""
    value = read_decimal(text)
    if abs(value) > MAX_VOLUME:
        raise ValueError(text)
    return value.quantize(Decimal("0.0001"))


def record_indicator_values(viewer: Viewer, year: int, values: dict[int, tuple[Decimal, str]]) -> int:
    """Save the year's value of each indicator in `values` (id -> (value, source)), all or none;
    returns how many changed. Raises NotPermitted for an indicator outside the viewer's scope."""
    if not viewer.can_write:
        raise NotPermitted("Anda tidak berwenang mengisi realisasi indikator.")
    allowed = set(indicators_for(viewer).filter(pk__in=list(values)).values_list("pk", flat=True))
    if set(values) - allowed:
        raise NotPermitted("Indikator ini di luar lingkup Anda.")
    changed = 0
    user = viewer.user if viewer.user.is_authenticated else None
    with transaction.atomic():
        current = {r.indicator_id: r for r in IndicatorRealisation.objects.select_for_update().filter(
            indicator_id__in=list(values), year=year)}
        for indicator_id, (value, source) in values.items():
            row = current.get(indicator_id)
            if row is not None and row.value == value and row.source == source:
                continue
            if row is None:
                row = IndicatorRealisation(indicator_id=indicator_id, year=year)
            row.value, row.source, row.updated_by = value, source, user
            row.save()
            changed += 1
    return changed
