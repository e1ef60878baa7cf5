"""Benchmark: generate the Bekasi-scale demo district and load it into a fresh SQLite database.

Sets up a temporary SELARAS_DATA_DIR (so a fresh SQLite file), migrates and loads the reference
data (reported, not part of the timed total), then times `generate_district` and `load_district`
and prints one JSON object: seconds per phase, total, peak memory, row counts. Goal: total < 120 s.

    .venv/bin/python benchmarks/demo_generate_load.py [--scale bekasi] [--seed 2025] [--region 32.16]

With SELARAS_DATABASE_URL set, the same runs against that PostgreSQL database instead (it must be
empty of the region's demo district).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="bekasi")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--region", default="32.16")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary data directory.")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="selaras-bench-demo-")
    os.environ["SELARAS_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selaras.web.settings")
    try:
        figures = run(args.region, args.scale, args.seed)
        figures["database"] = "postgresql" if os.environ.get("SELARAS_DATABASE_URL") else "sqlite"
        print(json.dumps(figures, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"data dir: {data_dir}", file=sys.stderr)


def run(region: str, scale: str, seed: int) -> dict[str, object]:
    from selaras.cli import _django

    started = time.perf_counter()
    _django.migrate()
    migrated = time.perf_counter()

    from selaras.web.reference.services import load_reference

    load_reference()
    referenced = time.perf_counter()

    from selaras.demo import generate_district
    from selaras.reference import read_nomenclature, read_regions

    regions, nomenclature = read_regions(), read_nomenclature()  # packaged files, read once
    read = time.perf_counter()
    cpu_read = time.process_time()
    district = generate_district(region, scale, seed, regions=regions, nomenclature=nomenclature)
    generated = time.perf_counter()
    cpu_generated = time.process_time()

    from selaras.web.demo.loader import load_district
    from selaras.web.demo.users import create_demo_users

    phases: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        phases.setdefault(stage, time.perf_counter())

    government = load_district(district, progress=progress)
    loaded = time.perf_counter()
    cpu_loaded = time.process_time()
    order = sorted(phases, key=phases.__getitem__)
    ends = [phases[name] for name in order[1:]] + [loaded]
    load_phases = {name: round(end - phases[name], 2) for name, end in zip(order, ends, strict=True)}
    create_demo_users(government)
    users = time.perf_counter()

    from selaras.web.api.stats import collect_stats

    stats = collect_stats()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "benchmark": "demo_generate_load",
        "region": region,
        "scale": scale,
        "seed": seed,
        "untimed": {
            "migrate_seconds": round(migrated - started, 2),
            "reference_load_seconds": round(referenced - migrated, 2),
            "read_packaged_reference_seconds": round(read - referenced, 2),
            "demo_users_seconds": round(users - loaded, 2),
        },
        "generate_seconds": round(generated - read, 2),
        "load_seconds": round(loaded - generated, 2),
        "load_phase_seconds": load_phases,
        "total_seconds": round(loaded - read, 2),
        "cpu_seconds": {"generate": round(cpu_generated - cpu_read, 2), "load": round(cpu_loaded - cpu_generated, 2)},
        "load_average_1min": round(os.getloadavg()[0], 2),
        "goal_seconds": 120,
        "within_goal": loaded - read < 120,
        "peak_memory_mib": round(peak_kib / 1024, 1),
        "counts": {
            "agencies": len(district.agencies),
            "renstra_lines": sum(len(r.lines) for r in district.renstras),
            "renja_lines": len(district.rkpd.renja_lines),
            "proposals": len(district.proposals),
            "decisions": len(district.decisions),
            "db": stats,
        },
    }


if __name__ == "__main__":
    main()
