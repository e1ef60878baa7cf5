"""Benchmark: load_reference() of all packaged reference data into a fresh SQLite database.

Creates a temporary data directory, migrates it (not timed), then times the first load
(91,599 regions + 6,938 nomenclature rows) and a second, idempotent load. Memory is the peak
resident set size of the measuring process (ru_maxrss) before and after the load, and, with
--tracemalloc, the peak of Python allocations during the first load (slower; run apart).
Goal: first load < 15 s, second < 1 s. Prints one JSON object.

    .venv/bin/python benchmarks/reference_load.py [--repeat 1] [--tracemalloc]
    SELARAS_DATABASE_URL=postgres://... .venv/bin/python benchmarks/reference_load.py  # PostgreSQL
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

GOAL_FIRST_SECONDS = 15.0
GOAL_SECOND_SECONDS = 1.0


def measure(use_tracemalloc: bool) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selaras.web.settings")
    from selaras.cli import _django

    _django.migrate()
    from django.db import connection

    from selaras.web.reference.services import load_reference

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    counts = load_reference()
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_python = None
    if use_tracemalloc:
        import tracemalloc

        peak_python = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    again = load_reference()
    second = time.perf_counter() - started
    result: dict[str, object] = {
        "database": connection.vendor,
        "first_load_s": round(first, 3),
        # CPU time of this process only (the database server's share is not in it on PostgreSQL);
        # it shows the cost apart from other work competing for the machine.
        "first_load_cpu_s": round(first_cpu, 3),
        "second_load_s": round(second, 3),
        "rows_written": counts["rows_written"],
        "regions": counts["regions"],
        "nomenclature": counts["nomenclature"],
        "second_load_rows_written": again["rows_written"],
        "peak_rss_before_mb": round(rss_before / 1024, 1),
        "peak_rss_after_mb": round(rss_after / 1024, 1),
    }
    if peak_python is not None:
        result["tracemalloc_peak_mb"] = round(peak_python / 1024 / 1024, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="Fresh databases to load (median reported).")
    parser.add_argument("--tracemalloc", action="store_true", help="Also trace Python allocations.")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.tracemalloc)))
        return

    runs = []
    for _ in range(max(1, args.repeat)):
        data_dir = tempfile.mkdtemp(prefix="selaras-bench-reference-")
        try:
            env = {**os.environ, "SELARAS_DATA_DIR": data_dir}
            command = [sys.executable, __file__, "--measure"] + (["--tracemalloc"] if args.tracemalloc else [])
            output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    first = [r["first_load_s"] for r in runs]
    summary = dict(runs[-1])
    summary.update({
        "benchmark": "reference_load",
        "runs": len(runs),
        "first_load_s": round(statistics.median(first), 3),
        "first_load_s_all": first,
        "goal_first_load_s": GOAL_FIRST_SECONDS,
        "goal_second_load_s": GOAL_SECOND_SECONDS,
        "meets_goal": statistics.median(first) < GOAL_FIRST_SECONDS
        and all(r["second_load_s"] < GOAL_SECOND_SECONDS for r in runs),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    })
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
