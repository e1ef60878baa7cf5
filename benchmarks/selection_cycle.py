"""Selection over a whole regency's proposals, through the database: build, rules, store, what-if.

Generates the Bekasi-scale demo district (~163k proposals), loads it into a fresh SQLite database in
a temporary data directory (after migrate and the reference data), then times building the
instance from the database, each rule in the engine, storing a run with one outcome per proposal,
and a what-if rerun. Prints one JSON object.

    .venv/bin/python benchmarks/selection_cycle.py [--scale bekasi] [--rules greedy,mes,exact]
        [--exact-time-limit 120] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Solver banners go to stderr so that stdout stays one JSON object."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


CPU: dict[str, float] = {}


def _timed(figures: dict[str, Any], key: str) -> contextlib.AbstractContextManager[None]:
    """Wall seconds into `figures[key]`, CPU seconds of this process into CPU[key] (the machine
    may be shared: CPU time is the steadier figure)."""
    @contextlib.contextmanager
    def timer() -> Iterator[None]:
        started = time.perf_counter()
        cpu = time.process_time()
        yield
        figures[key] = round(time.perf_counter() - started, 3)
        CPU[key] = round(time.process_time() - cpu, 3)
        print(f"{key}: {figures[key]} s (cpu {CPU[key]} s)", file=sys.stderr, flush=True)

    return timer()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="32.16")
    parser.add_argument("--scale", default="bekasi")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--rules", default="greedy,greedy-score,mes,exact")
    parser.add_argument("--exact-time-limit", type=float, default=120.0)
    parser.add_argument("--keep", help="use (and keep) this data directory instead of a temporary one")
    args = parser.parse_args()

    data_dir = args.keep or tempfile.mkdtemp(prefix="selaras-bench-")
    os.environ["SELARAS_DATA_DIR"] = data_dir
    os.environ.setdefault("SELARAS_AXES", "0")
    figures: dict[str, Any] = {"region": args.region, "scale": args.scale, "seed": args.seed, "seconds": {}}
    sec = figures["seconds"]
    try:
        from selaras.cli import _django

        with _timed(sec, "migrate"):
            _django.migrate()
        from selaras.demo import generate_district
        from selaras.engines.selection import select
        from selaras.web.demo.loader import demo_government, load_district
        from selaras.web.reference.services import load_reference
        from selaras.web.selection import services
        from selaras.web.selection.building import build_instance
        from selaras.web.selection.models import RunKind, SelectionOutcome
        from selaras.web.selection.selectors import compare_runs

        with _timed(sec, "load_reference"):
            load_reference()
        government = demo_government(args.region)
        if government is None:
            with _timed(sec, "generate_district"):
                district = generate_district(args.region, args.scale, args.seed)
            with _timed(sec, "load_district"):
                government = load_district(district)
        from selaras.web.plans.models import AnnualPlan

        year = AnnualPlan.objects.filter(government=government).values_list("year", flat=True).get()
        with _timed(sec, "build_instance"):
            built = build_instance(government, year)
        inst = built.instance
        figures.update({
            "proposals": inst.n_projects, "eligible": inst.n_projects - len(built.ineligible),
            "voters": built.voter_counts, "ballot_entries": int(len(inst.items)), "groups": len(inst.groups),
            "budget": inst.budget,
        })
        runs: dict[str, Any] = {}
        from selaras.engines.selection import prepare

        with _timed(sec, "load_mes_kernel"):
            prepare()  # the compiled MES kernel, once per process
        for rule in [r for r in args.rules.split(",") if r]:
            with _quiet_stdout(), _timed(sec, f"engine_{rule}"):
                result = select(inst, rule, time_limit=args.exact_time_limit)
            with _timed(sec, f"store_{rule}"):
                run = services.store_run(government, year, built, result)
            spent: dict[int | None, int] = {}
            for agency_id, cost in SelectionOutcome.objects.filter(run=run, selected=True).values_list(
                    "agency_id", "cost"):
                spent[agency_id] = spent.get(agency_id, 0) + cost
            ceilings = built.parameters.ceilings or {}
            over = [code for aid, code in built.agency_codes.items()
                    if code in ceilings and spent.get(aid, 0) > ceilings[code]]
            runs[rule] = {
                "run": run.pk, "selected": run.selected_count, "cost": run.selected_cost,
                "outcomes": SelectionOutcome.objects.filter(run=run).count(),
                "ceilings_exceeded": over, "floor_shortfalls": len(result.floor_shortfalls),
                "details": {k: v for k, v in result.details.items() if isinstance(v, int | float | str)},
            }
        figures["runs"] = runs
        base_rule = next(iter(runs), None)
        if base_rule is not None:
            from selaras.web.selection.models import SelectionRun

            base = SelectionRun.objects.get(pk=runs[base_rule]["run"])
            top = max((a for a in base.totals["agencies"] if a["code"]), key=lambda a: a["selected_cost"])
            with _quiet_stdout(), _timed(sec, f"what_if_{base_rule}"):
                whatif = services.what_if(base, ceilings={top["code"]: top["selected_cost"] // 2}, check=False)
            with _timed(sec, "compare"):
                comparison = compare_runs(base, whatif)
            figures["what_if"] = {"rule": base_rule, "agency": top["code"], "kind": RunKind(whatif.kind).value,
                                  "moved_in": len(comparison.only_b), "moved_out": len(comparison.only_a)}
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    figures["cpu_seconds"] = CPU
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
