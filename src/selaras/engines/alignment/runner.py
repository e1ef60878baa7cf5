"""Run the registered rules over a plan set, in a stated, deterministic order."""

from __future__ import annotations

from selaras.domain.cascade import PlanSet
from selaras.domain.findings import Finding
from selaras.engines.alignment import cascade, codes, money, proposals, targets  # noqa: F401  (registers)
from selaras.engines.alignment.index import PlanIndex
from selaras.engines.alignment.registry import RULES, AlignmentConfig

__all__ = ["run_alignment", "finding_sort_key"]

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def finding_sort_key(finding: Finding) -> tuple[str, str, str, int, str, str]:
    """Findings sort by rule code, document, line (numeric id), year, then code."""
    kind, _, number = finding.location.line.partition(":")
    return (finding.code, finding.location.document, kind, int(number) if number.isdigit() else 0,
            str(finding.location.year or 0).zfill(4), finding.location.code)


def run_alignment(plan: PlanSet, config: AlignmentConfig | None = None,
                  only: frozenset[str] | None = None) -> list[Finding]:
    """All findings of the registered rules (or of `only` those codes) over `plan`.

    Order: by rule code, then document, line, year. Same input, same output.
    """
    config = config or AlignmentConfig()
    index = PlanIndex(plan)
    findings: list[Finding] = []
    for code in sorted(RULES):
        if code in config.disabled or (only is not None and code not in only):
            continue
        rule = RULES[code]
        for location, params in rule.check(index, config):
            findings.append(Finding(code=rule.code, severity=rule.severity, location=location, params=params))
    findings.sort(key=finding_sort_key)
    return findings
