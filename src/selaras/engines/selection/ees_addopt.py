"""Exact Equal Shares with the add-opt completion (placeholder; implemented next)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Reason
from selaras.engines.selection.ledger import Ledger, Support
from selaras.engines.selection.model import SelectionError
from selaras.engines.selection.variants import MesOptions

IntArray = npt.NDArray[np.int64]


def run_ees(
    support: Support, ledger: Ledger, open_idx: IntArray, options: MesOptions, details: dict[str, object]
) -> tuple[Ledger, Mapping[int, Reason]]:
    """Exact Equal Shares (and add-opt)."""
    raise SelectionError("aturan ees belum tersedia")
