"""Bulk import of proposals from Excel/CSV: the database side (the import use case).

The pure part (columns, reading, row checks, rejects workbook) is `selaras.formats.proposal_table`.
Here: the sets of valid codes from the database, the scope check per row, numbering, and one
transaction that writes the proposals and their first decision ("submitted") in batches.
All or nothing by default; with `valid_only` the valid rows are written and the rejects are
returned as a workbook with a 'Masalah' column.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from selaras.domain import lifecycle
from selaras.domain.errors import NotPermitted, StageClosed
from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.proposals import Channel, Outcome
from selaras.formats import proposal_table as pt
from selaras.formats import proposal_workbooks as pw
from selaras.formats.upload_limits import DEFAULT_LIMITS, ReadLimits
from selaras.web.http import AnyUser
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals import bulk
from selaras.web.proposals.messages import describe
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.proposals.sub_activities import sub_activities
from selaras.web.reference.models import Region

__all__ = ["Progress", "ImportOutcome", "import_file", "reference_sets", "template_bytes", "describe",
           "check_import_channel", "read_limits"]

Progress = Callable[[str, int, int], None]
"""progress(phase, done, total); phase is "baca", "periksa", "simpan" or "akhir"."""

BATCH_SIZE = 2_000
ANALYZE_AFTER = 1_000  # imported rows from which the planner statistics are refreshed
SQLITE_CACHE_KIB = 131_072  # page cache during a big import, so index pages are not spilled mid-way

def _regions(government: LocalGovernment) -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
    prefix = government.region_code + "."
    rows = (Region.objects.filter(edition=government.region_edition, code__startswith=prefix, level__in=(3, 4))
            .order_by("code").values_list("code", "name", "level", "kind", "parent_code"))
    districts, villages = [], []
    for code, name, level, kind, parent in rows:
        if level == 3:
            districts.append((code, name))
        else:
            villages.append((code, name, kind, parent))
    return districts, villages


def reference_sets(government: LocalGovernment) -> pt.ReferenceSets:
    """The codes valid for `government`, read once per import."""
    districts, villages = _regions(government)
    good: set[str] = set()
    other: set[str] = set()
    for code, _name, ok in sub_activities(government):
        (good if ok else other).add(code)
    return pt.ReferenceSets(
        village_codes=frozenset(v[0] for v in villages),
        district_codes=frozenset(d[0] for d in districts),
        sub_activity_codes=frozenset(good),
        other_sub_activity_codes=frozenset(other - good),
        agency_codes=frozenset(Agency.objects.filter(government=government).values_list("code", flat=True)),
    )


def template_bytes(government: LocalGovernment, channel: Channel | str) -> bytes:
    """The .xlsx template of `channel`, with this government's lists as reference sheets."""
    districts, villages = _regions(government)
    subs = sorted((code, name) for code, name, ok in sub_activities(government) if ok)
    agencies = list(Agency.objects.filter(government=government).order_by("code").values_list("code", "name"))
    return pw.write_template(channel, pw.TemplateReference(
        government_name=government.name, districts=districts, villages=villages,
        agencies=agencies, sub_activities=subs))


# ---------------------------------------------------------------------------------- messages

# The text of every finding code lives in `messages` (shared with the entry form and service).


# ---------------------------------------------------------------------------------- import

@dataclass
class ImportOutcome:
    """What an import did. `imported` is 0 when anything failed and `valid_only` was off."""

    channel: str
    total_rows: int = 0
    imported: int = 0
    rejected: int = 0
    findings: list[Finding] = field(default_factory=list)
    first_number: str = ""
    last_number: str = ""
    rejects_xlsx: bytes | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # wall clock per phase
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # this process's CPU per phase

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self, limit: int | None = None) -> list[str]:
        items = self.findings if limit is None else self.findings[:limit]
        return [describe(f) for f in items]


def _role_label(user: AnyUser | None) -> str:
    if user is None:
        return "Impor sistem (baris perintah)"
    from selaras.web.proposals.audit import actor_role_label

    return actor_role_label(user)


def check_import_channel(user: AnyUser | None, government: LocalGovernment, channel: Channel | str) -> None:
    """Raise NotPermitted unless `user` may import `channel` at all (rows are checked one by one later).

    Asked as "import in the user's own place", since the scope rules look at a place.
    """
    from selaras.web.proposals.permissions import check_can, membership_of

    membership = membership_of(user)
    region = membership.region_code if membership is not None else ""
    is_village = region.count(".") == 3
    check_can(user, "import", government=government, channel=channel,
              village_code=region if is_village else "", district_code="" if is_village else region,
              agency=membership.agency_id if membership is not None else None,
              councillor_name=membership.councillor_name if membership is not None else "")


def _scope_check(rows: list[pt.ProposalRow], report: pt.ValidationReport, table: pt.Table, user: AnyUser | None,
                 government: LocalGovernment, channel: Channel, agency_ids: dict[str, int]) -> list[pt.ProposalRow]:
    """Per-row scope check (rules of 'create'), cached per distinct place."""
    from selaras.web.proposals.permissions import check_can

    cache: dict[tuple[str, str, str, str], str | None] = {}
    kept = []
    for row in rows:
        key = (row.village_code, row.district_code, row.agency_code, row.councillor_name)
        if key not in cache:
            try:
                check_can(user, "import", government=government, channel=channel,
                          village_code=row.village_code, district_code=row.district_code,
                          agency=agency_ids.get(row.agency_code), councillor_name=row.councillor_name)
                cache[key] = None
            except NotPermitted as exc:
                cache[key] = exc.message
        reason = cache[key]
        if reason is None:
            kept.append(row)
        else:
            report.findings.append(Finding("row.out_of_scope", Severity.ERROR, Location(row=row.row),
                                           {"reason": reason}))
            report.rejected_rows[row.row] = list(table.rows[row.row - 2])
    return kept


PROPOSAL_FIELDS = (
    "year", "channel", "stage", "status", "title", "description", "village_code", "district_code", "address",
    "latitude", "longitude", "volume", "unit", "estimated_cost", "priority_rank", "proposer_name",
    "proposer_role", "councillor_name", "agency", "sub_activity_code",
)


def _write(rows: list[pt.ProposalRow], *, government: LocalGovernment, channel: Channel, year: int,
           user: AnyUser | None, filename: str, agency_ids: dict[str, int], agency_names: dict[str, str],
           progress: Progress | None) -> tuple[str, str]:
    """Write the valid rows and their "submitted" decisions through the bulk writer, in one
    transaction; returns the first and last proposal numbers."""
    entry = lifecycle.ENTRY_STAGE[channel]
    state = lifecycle.apply(channel, lifecycle.initial_state(channel), entry, Outcome.SUBMITTED)
    stage, current_stage, status = entry.value, state.stage.value, state.status.value
    reason = f"Diajukan melalui impor berkas {filename}"[:300] if filename else "Diajukan melalui impor berkas"
    total = len(rows)
    with transaction.atomic(), bulk.sqlite_cache(SQLITE_CACHE_KIB if total >= ANALYZE_AFTER else 0):
        writer = bulk.BulkWriter(government, actor=user, actor_role=_role_label(user),
                                 history_reason="usulan diajukan melalui impor berkas")
        entry_decision = bulk.EntryDecision(stage, Outcome.SUBMITTED.value, reason)
        for start in range(0, total, BATCH_SIZE):
            batch = rows[start:start + BATCH_SIZE]
            writer.add_proposals([
                (year, channel.value, current_stage, status, r.title, r.description, r.village_code,
                 r.district_code, r.address, r.latitude, r.longitude, r.volume, r.unit, r.estimated_cost,
                 r.priority_rank,
                 (r.proposer_name or r.councillor_name or agency_names.get(r.agency_code, ""))[:200],
                 r.proposer_role, r.councillor_name, agency_ids.get(r.agency_code), r.sub_activity_code)
                for r in batch], PROPOSAL_FIELDS, entry_decision=entry_decision)
            if progress is not None:
                progress("simpan", min(start + BATCH_SIZE, total), total)
    return writer.first_number, writer.last_number


def read_limits() -> ReadLimits:
    """The file limits of an import: rows from settings (SELARAS_IMPORT_MAX_ROWS), the rest fixed."""
    from django.conf import settings

    return ReadLimits(max_rows=getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_LIMITS.max_rows))


def _refresh_statistics() -> None:
    """Let the query planner see the new rows: without statistics SQLite picks the government index
    for every list filter (10x slower at 163k rows). PostgreSQL's autovacuum would get there too, later."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in (Proposal, Decision)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def _lap(outcome: ImportOutcome, phase: str, clock: float, cpu: float) -> None:
    outcome.seconds[phase] = round(time.perf_counter() - clock, 3)
    outcome.cpu_seconds[phase] = round(time.process_time() - cpu, 3)


def import_file(
    source: bytes | str | Any,
    filename: str,
    *,
    government: LocalGovernment,
    channel: Channel | str,
    year: int,
    user: AnyUser | None = None,
    valid_only: bool = False,
    check_scope: bool = True,
    want_rejects: bool | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Read, validate and (when allowed) write one file of proposals of one channel.

    `user` None means a system import (CLI without --user): no scope check, actor left empty.
    The rejects workbook is built in valid-only mode, or whenever `want_rejects` is true.
    """
    channel = Channel(channel)
    outcome = ImportOutcome(channel=channel.value)
    clock, cpu = time.perf_counter(), time.process_time()
    if user is not None and check_scope:
        try:
            check_import_channel(user, government, channel)
        except NotPermitted as exc:
            outcome.findings.append(Finding("import.not_permitted", Severity.ERROR, Location(),
                                            {"reason": exc.message}))
            return outcome
        from selaras.web.proposals.windows import ensure_stage_open

        try:
            ensure_stage_open(government, year, lifecycle.ENTRY_STAGE[channel])
        except StageClosed as exc:
            outcome.findings.append(Finding("import.stage_closed", Severity.ERROR, Location(),
                                            {"reason": exc.message}))
            return outcome
    if progress is not None:
        progress("baca", 0, 1)
    try:
        table = pt.read_table(source, filename, read_limits())
    except pt.TableError as exc:
        outcome.findings.append(exc.finding)
        return outcome
    _lap(outcome, "read", clock, cpu)
    if progress is not None:
        progress("baca", 1, 1)

    clock, cpu = time.perf_counter(), time.process_time()
    refs = reference_sets(government)
    report = pt.validate_rows(table, channel, refs,
                              progress=(lambda d, t: progress("periksa", d, t)) if progress else None)
    outcome.total_rows = report.total_rows
    header_errors = [f for f in report.findings if f.code.startswith("header.") and f.severity == Severity.ERROR]
    if not header_errors and report.total_rows == 0:
        report.findings.append(Finding("table.no_rows", Severity.ERROR, Location()))
    agencies = list(Agency.objects.filter(government=government).values_list("code", "id", "name"))
    agency_ids = {code: pk for code, pk, _ in agencies}
    agency_names = {code: name for code, _, name in agencies}
    valid = report.valid
    if user is not None and check_scope and valid:
        valid = _scope_check(valid, report, table, user, government, channel, agency_ids)
        if len(valid) != len(report.valid):
            report.findings.sort(key=lambda f: (f.location.row or 0))
    outcome.findings = report.findings
    outcome.rejected = len(report.rejected_rows)
    _lap(outcome, "validate", clock, cpu)

    if report.rejected_rows and (valid_only if want_rejects is None else want_rejects):
        buffer = pw.write_rejects(table, report, describe)
        outcome.rejects_xlsx = buffer.getvalue() if isinstance(buffer, io.BytesIO) else None
    fatal = bool(header_errors) or any(f.code.startswith("table.") for f in report.findings)
    if fatal or not valid or (outcome.rejected and not valid_only):
        return outcome

    clock, cpu = time.perf_counter(), time.process_time()
    outcome.first_number, outcome.last_number = _write(
        valid, government=government, channel=channel, year=year, user=user, filename=filename,
        agency_ids=agency_ids, agency_names=agency_names, progress=progress)
    outcome.imported = len(valid)
    if outcome.imported >= ANALYZE_AFTER:
        if progress is not None:
            progress("akhir", 0, 1)
        _refresh_statistics()
        if progress is not None:
            progress("akhir", 1, 1)
    _lap(outcome, "write", clock, cpu)
    return outcome
