"""Sinkronisasi: consistency rules between plans of different levels and years.

`run_alignment(plan_set, config)` returns `Finding`s, each with a stable rule code, a severity,
the exact location and the values that disagree. Rules live one family per module and are
registered in `registry.RULES`; their Bahasa Indonesia texts are made at the edge.
"""

from selaras.engines.alignment.coverage import Coverage, Share, coverage
from selaras.engines.alignment.registry import FAMILIES, RULES, AlignmentConfig, Rule
from selaras.engines.alignment.runner import finding_sort_key, run_alignment

__all__ = ["AlignmentConfig", "Coverage", "FAMILIES", "RULES", "Rule", "Share", "coverage",
           "finding_sort_key", "run_alignment"]
