"""Per-job resource limits in the worker process."""

from __future__ import annotations

import contextlib
import os
import resource
from collections.abc import Iterator


def in_worker() -> bool:
    return os.environ.get("SELARAS_WORKER") == "1"


@contextlib.contextmanager
def memory_limit(limit_mb: int) -> Iterator[None]:
    """Cap this process's address space at its current size + `limit_mb` while the block runs
    (only in the worker: the web process and tests are left alone); restored afterwards."""
    if not in_worker() or limit_mb <= 0:
        yield
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm", encoding="ascii") as handle:
            current = int(handle.read().split()[0]) * resource.getpagesize()
        wanted = current + limit_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (OSError, ValueError):  # no /proc or no permission: run without a cap
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
