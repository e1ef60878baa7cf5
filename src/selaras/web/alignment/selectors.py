"""Read side of the alignment area: run the check for a government and year, group the findings."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from selaras.domain.findings import Finding, Severity
from selaras.domain.plan_documents import DOCUMENT_KIND_LABELS, DocumentKind
from selaras.engines.alignment import RULES, AlignmentConfig, Coverage, coverage, run_alignment
from selaras.engines.memory import gc_paused
from selaras.web.alignment.messages import FAMILY_TITLES, SEVERITY_LABELS, message, title
from selaras.web.alignment.snapshot import build_plan_set
from selaras.web.plans.models import AnnualPlan, LocalGovernment

__all__ = ["AlignmentReport", "FindingRow", "default_config", "document_label", "place_label", "run_report",
           "years_of"]

def default_config() -> AlignmentConfig:
    """The check's configuration; SELARAS_MIN_DISTRICT_SHARE (e.g. "0.05") may be set in settings."""
    share = getattr(settings, "SELARAS_MIN_DISTRICT_SHARE", None)
    return AlignmentConfig(min_district_share=Decimal(str(share))) if share is not None else AlignmentConfig()


@dataclass(frozen=True)
class FindingRow:
    """A finding with its words: `agency` is the agency code (filters, export), `agency_name`,
    `document` and `place` are what people read; `link` is set by `links.with_links` for a page."""

    finding: Finding
    title: str
    message: str
    agency: str
    agency_name: str = ""
    document: str = ""
    place: str = ""
    link: str = ""

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.finding.severity]


@dataclass
class RuleGroup:
    code: str
    title: str
    family: str
    family_title: str
    severity: Severity
    rows: list[FindingRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


@dataclass
class AgencyGroup:
    code: str
    name: str
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.errors + self.warnings + self.infos


@dataclass
class AlignmentReport:
    government: LocalGovernment
    year: int
    findings: list[Finding]
    rows: list[FindingRow]
    coverage: Coverage
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def by_rule(self) -> list[RuleGroup]:
        groups: dict[str, RuleGroup] = {}
        for row in self.rows:
            code = row.finding.code
            if code not in groups:
                rule = RULES[code]
                groups[code] = RuleGroup(code, row.title, rule.family, FAMILY_TITLES[rule.family], rule.severity)
            groups[code].rows.append(row)
        return [groups[c] for c in sorted(groups)]

    @property
    def by_agency(self) -> list[AgencyGroup]:
        names = agency_names(self.government)
        groups: dict[str, AgencyGroup] = {}
        for row in self.rows:
            group = groups.setdefault(row.agency, AgencyGroup(row.agency, names.get(row.agency, "")
                                                              or ("Pemerintah daerah" if not row.agency else "")))
            severity = row.finding.severity
            if severity is Severity.ERROR:
                group.errors += 1
            elif severity is Severity.WARNING:
                group.warnings += 1
            else:
                group.infos += 1
            group.by_rule[row.finding.code] += 1
        return sorted(groups.values(), key=lambda g: (g.code != "", g.code))

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity.value for f in self.findings)
        return {"error": counted.get("error", 0), "warning": counted.get("warning", 0),
                "info": counted.get("info", 0), "total": len(self.findings)}

    def coverage_rows(self) -> list[tuple[str, Any]]:
        labels = {
            "rpjmd_objectives_served": "Sasaran RPJMD yang didukung program Renstra",
            "renstra_objectives_linked": "Sasaran Renstra yang terhubung ke sasaran RPJMD",
            "indicators_complete": "Indikator dengan satuan, kondisi awal dan target lengkap",
            "renja_lines_in_renstra": "Baris Renja yang ada di Renstra",
            "proposals_linked": "Usulan diterima yang terkait baris Renja",
        }
        return [(labels[name], share) for name, share in self.coverage.as_dict().items()]


def years_of(government: LocalGovernment) -> list[int]:
    return list(AnnualPlan.objects.filter(government=government).order_by("-year").values_list("year", flat=True))


def document_label(document: str, names: dict[str, str]) -> str:
    """'Renja 1.03.0.00.0.00.01.0000 2026' -> 'Renja Dinas PUPR 2026' (agency codes by name)."""
    return " ".join(names.get(word, word) for word in document.split(" "))


def place_label(finding: Finding) -> str:
    """What the Kode column shows: the nomenclature code or number of the line, the indicator's
    name (not its key), or the document's kind for a finding on a whole Renja or RKPD."""
    location = finding.location
    kind = location.line.partition(":")[0]
    if kind == "indicator":
        return str(finding.params.get("indicator") or "Indikator")
    if kind in (DocumentKind.RENJA.value, DocumentKind.RKPD.value):
        return DOCUMENT_KIND_LABELS[DocumentKind(kind)]
    return location.code or "-"


def to_rows(findings: list[Finding], agency_names: dict[str, str] | None = None) -> list[FindingRow]:
    names = agency_names or {}
    rows = []
    for f in findings:
        agency = str(f.params.get("agency", ""))
        rows.append(FindingRow(f, title(f.code), message(f, names), agency,
                               agency_name=names.get(agency, agency) if agency else "",
                               document=document_label(f.location.document, names), place=place_label(f)))
    return rows


def agency_names(government: LocalGovernment) -> dict[str, str]:
    """Agency code -> the name people use (short name, else full name)."""
    return {code: short or name for code, short, name in
            government.agencies.values_list("code", "short_name", "name")}


def run_report(government: LocalGovernment, year: int, config: AlignmentConfig | None = None) -> AlignmentReport:
    """Snapshot the plans, run every rule and summarise coverage (timed, for the page and benchmark)."""
    with gc_paused():  # many small objects, no garbage: see snapshot.build_plan_set
        started = time.perf_counter()
        plan = build_plan_set(government, year)
        snapshot_done = time.perf_counter()
        findings = run_alignment(plan, config or default_config())
        rules_done = time.perf_counter()
        summary = coverage(plan)
        rows = to_rows(findings, agency_names(government))
        finished = time.perf_counter()
    timings = {"snapshot": snapshot_done - started, "rules": rules_done - snapshot_done,
               "coverage_and_texts": finished - rules_done}
    return AlignmentReport(government, year, findings, rows, summary, finished - started, timings)


def group_rows_by_agency(rows: list[FindingRow]) -> dict[str, list[FindingRow]]:
    grouped: dict[str, list[FindingRow]] = defaultdict(list)
    for row in rows:
        grouped[row.agency].append(row)
    return grouped

