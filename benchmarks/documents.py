"""Benchmark: official documents on the Bekasi-scale demo district. Prints one JSON object.

    .venv/bin/python benchmarks/documents.py [--data-dir DIR] [--parts tc27,e81,dashboards]

Part "tc27" (H-DOCS): T-C.27 of every agency (the whole Renstra, ~3,200 lines) produced the way
the "Semua perangkat daerah (ZIP)" job does it: the documents built from the database, then
written as Excel (sequentially) and as PDF (WeasyPrint, one process per CPU), each into a ZIP.
Goals: Excel < 5 s, PDF < 30 s.
Part "e81": E.81 of all agencies computed in one call (goal < 3 s), and the ZIP job of every
agency's E.81 in Excel and PDF. Part "dashboards": the monev pages (Bappeda/TAPD, one agency,
public, E.81 page) as benchmarks/evaluation.py measures them (goal < 500 ms a page).
Each part runs in its own process; the load average is printed with the results.

Without --data-dir a Bekasi-scale demo district is generated into a temporary directory first
(not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the PDF pool)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _cpu_figures(fmt: str, since: float, cpus: int) -> dict[str, float]:
    """The CPU time of a step and the wall time it would take on `cpus` idle cores (a figure that
    other work on a shared machine does not inflate as much as the wall time)."""
    used = _cpu() - since
    return {f"{fmt}_cpu_seconds": round(used, 1), f"{fmt}_idle_estimate_seconds": round(used / max(1, cpus), 1)}


def part_tc27() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from selaras.web.documents import services
    from selaras.web.plans.models import LocalGovernment, Renstra, RenstraLine

    user = get_user_model().objects.filter(is_superuser=True).first()
    government = LocalGovernment.objects.filter(rpjmds__isnull=False).order_by("region_code").first()
    assert user is not None and government is not None, "no demo district in this data directory"
    year = Renstra.objects.filter(agency__government=government).order_by("-start_year").first().start_year
    lines = RenstraLine.objects.filter(renstra__agency__government=government).count()
    out: dict[str, Any] = {"government": government.name, "agencies": government.agencies.count(), "lines": lines,
                           "cpus": len(os.sched_getaffinity(0))}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("xlsx", "pdf"):
            start, cpu = time.perf_counter(), _cpu()
            path, _, message = services.produce_file(user, government, "tc27", fmt, services.ALL, year, None,
                                                     Path(tmp), lambda *a: None, timezone.localdate())
            out[f"{fmt}_seconds"] = round(time.perf_counter() - start, 2)
            out.update(_cpu_figures(fmt, cpu, out["cpus"] if fmt == "pdf" else 1))
            out[f"{fmt}_zip_mb"] = round(path.stat().st_size / 2**20, 2)
            out[f"{fmt}_message"] = message
        # the same documents built once, to separate reading the database from writing the files
        from selaras.web.documents.catalogue import KINDS

        start = time.perf_counter()
        for agency in services.agencies(government):
            try:
                KINDS["tc27"].build(government, year, agency, None, timezone.localdate())
            except Exception:  # noqa: BLE001 - an agency without a Renstra
                continue
        out["build_only_seconds"] = round(time.perf_counter() - start, 2)
    return out


def part_e81() -> dict[str, Any]:
    """E.81 of every agency: the table computed for all agencies at once (what the dashboards and
    the E.81 pages read), and the "Semua perangkat daerah (ZIP)" job in Excel and in PDF."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from selaras.web.documents import services
    from selaras.web.evaluation.selectors import e81_all
    from selaras.web.plans.models import LocalGovernment

    user = get_user_model().objects.filter(is_superuser=True).first()
    government = LocalGovernment.objects.filter(rpjmds__isnull=False).order_by("region_code").first()
    assert user is not None and government is not None, "no demo district in this data directory"
    year = 2025
    e81_all(government, year)  # warm: connection, imports
    times = []
    for _ in range(3):
        start = time.perf_counter()
        tables = e81_all(government, year)
        times.append(time.perf_counter() - start)
    out: dict[str, Any] = {"year": year, "agencies": len(tables), "rows": sum(len(t.rows) for t in tables),
                           "compute_all_agencies_seconds": round(min(times), 3),
                           "compute_all_agencies_seconds_all_runs": [round(t, 3) for t in times]}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("xlsx", "pdf"):
            start, cpu = time.perf_counter(), _cpu()
            path, _, message = services.produce_file(user, government, "e81", fmt, services.ALL, year, None,
                                                     Path(tmp), lambda *a: None, timezone.localdate())
            out[f"{fmt}_seconds"] = round(time.perf_counter() - start, 2)
            out.update(_cpu_figures(fmt, cpu, len(os.sched_getaffinity(0)) if fmt == "pdf" else 1))
            out[f"{fmt}_message"] = message
    return out


def part_dashboards() -> dict[str, Any]:
    """The monev dashboard pages (and the E.81 page of the largest agency), through Django's test
    client: see benchmarks/evaluation.py (median of 5 after a first call)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("evaluation_benchmark", Path(__file__).with_name("evaluation.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: dict[str, Any] = module.child(5)
    return result


PARTS: dict[str, Callable[[], dict[str, Any]]] = {"tc27": part_tc27, "e81": part_e81, "dashboards": part_dashboards}
GOALS = {"tc27": {"xlsx_seconds": 5, "pdf_seconds": 30}, "e81": {"compute_all_agencies_seconds": 3},
         "dashboards": {"pages.*.median_s": 0.5, "e81_all_agencies_one_call.median_s": 3}}


def child(name: str) -> None:
    from selaras.cli import _django

    _django.setup()
    print(json.dumps(PARTS[name]()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    data_dir, tmp = args.data_dir, None
    if not data_dir:
        tmp = tempfile.TemporaryDirectory()
        data_dir = tmp.name
        subprocess.run([sys.executable, "-c", "from selaras.cli import main; main()", "demo", "generate",
                        "--scale", "bekasi"], env={**os.environ, "SELARAS_DATA_DIR": data_dir}, check=True,
                       stdout=subprocess.DEVNULL)
    env = {**os.environ, "SELARAS_DATA_DIR": data_dir, "SELARAS_TASKS_BACKEND": "immediate"}
    results: dict[str, Any] = {"load_average_before": [round(x, 2) for x in os.getloadavg()]}
    for name in [p for p in args.parts.split(",") if p in PARTS]:
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", name], env=env, check=True,
                              capture_output=True, text=True)
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps({"benchmark": "documents", "goals": {k: GOALS.get(k, {}) for k in results}, **results,
                      "load_average": [round(x, 2) for x in os.getloadavg()]}))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
