"""Pausing Python's cyclic garbage collector around bulk work.

Building an instance, running a rule, storing a run or snapshotting plans each make hundreds of
thousands of small objects (rows, reasons, arrays) and none of them is cyclic garbage: plain
reference counting frees them. The cyclic collector would still rescan the whole process heap again
and again while they are made (measured on a 163,000-proposal selection run: 0.5 s of 2.8 s).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off; restored as it was (nesting is safe)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
