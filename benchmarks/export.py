"""Benchmark: export every proposal of the demo district to .xlsx and .csv through the export job.

Each format runs in its own process (so its peak memory is its own): Django set up on the data
directory, one export job of all proposals run inline, timed. Prints one JSON object.

    .venv/bin/python benchmarks/export.py [--data-dir DIR]

Without --data-dir a Bekasi-scale demo district is generated into a temporary directory first
(about 20 s, not timed).
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
from pathlib import Path


def child(kind: str) -> None:
    from selaras.cli import _django

    _django.setup()
    from django.contrib.auth import get_user_model

    from selaras.web.jobs import service

    user = get_user_model().objects.filter(is_superuser=True).first()
    assert user is not None, "no superuser in the demo database"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    job = service.submit("proposals.export", user=user, label="bench", params={"format": kind, "filters": {}})
    seconds = time.perf_counter() - start
    path = service.jobs_root() / job.result_file
    print(json.dumps({"format": kind, "state": job.state, "rows": job.result.get("rows"),
                      "seconds": round(seconds, 2), "size_mb": round(path.stat().st_size / 2**20, 1),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "rss_before_mb": round(before / 1024, 1)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    data_dir = args.data_dir
    tmp = None
    if not data_dir:
        tmp = tempfile.TemporaryDirectory()
        data_dir = tmp.name
        subprocess.run([sys.executable, "-c", "from selaras.cli import main; main()", "demo", "generate",
                        "--scale", "bekasi"], env={**os.environ, "SELARAS_DATA_DIR": data_dir}, check=True,
                       stdout=subprocess.DEVNULL)
    env = {**os.environ, "SELARAS_DATA_DIR": data_dir, "SELARAS_TASKS_BACKEND": "immediate"}
    results = {}
    for kind in ("csv", "xlsx"):
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", kind], env=env,
                             check=True, capture_output=True, text=True)
        results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps({"benchmark": "export", "goals": {"xlsx_seconds": 15, "csv_seconds": 3, "peak_rss_mb": 500},
                      **results}))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
