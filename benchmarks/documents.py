"""Benchmark: official documents on the Bekasi-scale demo district. Prints one JSON object.

    .venv/bin/python benchmarks/documents.py [--data-dir DIR] [--parts tc27]

Part "tc27" (H-DOCS): T-C.27 of every agency (the whole Renstra, ~3,200 lines) produced the way
the "Semua perangkat daerah (ZIP)" job does it: the documents built from the database, then
written as Excel (sequentially) and as PDF (WeasyPrint, one process per CPU), each into a ZIP.
Goals: Excel < 5 s, PDF < 30 s. Each part runs in its own process; other parts (the evaluation
tables and dashboards, H-EVAL) add a function to PARTS.

Without --data-dir a Bekasi-scale demo district is generated into a temporary directory first
(not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


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
            start = time.perf_counter()
            path, _, message = services.produce_file(user, government, "tc27", fmt, services.ALL, year, None,
                                                     Path(tmp), lambda *a: None, timezone.localdate())
            out[f"{fmt}_seconds"] = round(time.perf_counter() - start, 2)
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


PARTS: dict[str, Callable[[], dict[str, Any]]] = {"tc27": part_tc27}
GOALS = {"tc27": {"xlsx_seconds": 5, "pdf_seconds": 30}}


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
    results: dict[str, Any] = {}
    for name in [p for p in args.parts.split(",") if p in PARTS]:
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", name], env=env, check=True,
                              capture_output=True, text=True)
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps({"benchmark": "documents", "goals": {k: GOALS.get(k, {}) for k in results}, **results}))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
