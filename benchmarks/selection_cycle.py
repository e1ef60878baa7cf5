"""Selection over a whole regency's proposals, through the database: build, rules, store, what-if.

Generates the Bekasi-scale demo district (~163k proposals), loads it into a fresh database in a
temporary data directory (SQLite, or a throwaway PostgreSQL cluster with --database postgresql),
after migrate and the reference data. Then times building the instance from the database, each
rule in the engine, storing a run (compressed outcome blocks: stored bytes reported), MES end to
end as the web job and the CLI run it (`services.start_run`: build + engine + store), reading
one proposal's outcome (`reason_for_proposal`, cold and warm), a what-if rerun, the comparison,
and applying a run to the proposals (preview and apply). Prints one JSON object.

    .venv/bin/python benchmarks/selection_cycle.py [--database sqlite|postgresql] [--scale bekasi]
        [--rules greedy,mes,exact] [--exact-time-limit 120] [--keep DIR] [--no-apply]
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
    parser.add_argument("--keep", help="use (and keep) this data directory instead of a temporary one (SQLite)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--no-apply", action="store_true", help="skip applying a run to the proposals")
    args = parser.parse_args()
    if args.database == "postgresql":
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
        from pg_cluster import throwaway_cluster

        with throwaway_cluster() as url:
            import urllib.parse

            import psycopg

            parts = urllib.parse.urlparse(url)
            with psycopg.connect(host=parts.hostname, port=parts.port, user=parts.username or "postgres",
                                 dbname="postgres", autocommit=True) as connection:
                connection.execute(f"CREATE DATABASE {parts.path.lstrip('/')}")
            os.environ["SELARAS_DATABASE_URL"] = url
            _bench(args)
        return
    os.environ["SELARAS_DATABASE_URL"] = ""
    _bench(args)


def _bench(args: argparse.Namespace) -> None:

    data_dir = args.keep or tempfile.mkdtemp(prefix="selaras-bench-")
    os.environ["SELARAS_DATA_DIR"] = data_dir
    os.environ.setdefault("SELARAS_AXES", "0")
    figures: dict[str, Any] = {"region": args.region, "scale": args.scale, "seed": args.seed,
                               "database": args.database, "seconds": {}}
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
        from selaras.web.selection.models import OutcomeBlock, RunKind
        from selaras.web.selection.selectors import compare_runs, reason_for_proposal, records_of
        from selaras.web.selection.storage import CACHE

        with _timed(sec, "load_reference"):
            load_reference()
        government = demo_government(args.region)
        if government is None:
            with _timed(sec, "generate_district"):
                district = generate_district(args.region, args.scale, args.seed)
            with _timed(sec, "load_district"):
                government = load_district(district)
        from django.db.models import Count

        from selaras.web.plans.models import AnnualPlan
        from selaras.web.proposals.models import Proposal

        # the plan year with the proposals (the demo may carry the next year's RKPD too)
        year = (Proposal.objects.filter(government=government).values("year").annotate(n=Count("id"))
                .order_by("-n").values_list("year", flat=True).first())
        assert year is not None and AnnualPlan.objects.filter(government=government, year=year).exists()
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
            for o in records_of(run):
                if o.selected:
                    spent[o.agency_id] = spent.get(o.agency_id, 0) + o.cost
            ceilings = built.parameters.ceilings or {}
            over = [code for aid, code in built.agency_codes.items()
                    if code in ceilings and spent.get(aid, 0) > ceilings[code]]
            runs[rule] = {
                "run": run.pk, "selected": run.selected_count, "cost": run.selected_cost,
                "outcomes": sum(OutcomeBlock.objects.filter(run=run).values_list("count", flat=True)),
                "stored_bytes": run.totals["timing"]["stored_bytes"], "blocks": run.totals["timing"]["blocks"],
                "store_timing": {k: v for k, v in run.totals["timing"].items() if k.startswith("store")},
                "ceilings_exceeded": over, "floor_shortfalls": len(result.floor_shortfalls),
                "fairness": {k: run.totals["fairness"][k] for k in ("cohesive_groups", "violations",
                                                                    "violations_up_to_one")},
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
        # MES end to end as the web job and the CLI run it: build + engine + store
        with _quiet_stdout(), _timed(sec, "end_to_end_mes"):
            e2e = services.start_run(government, year, rule="mes", check=False)
        figures["end_to_end_mes"] = {"run": e2e.pk, "timing": e2e.totals["timing"]}
        probe = records_of(e2e)[len(records_of(e2e)) // 2].proposal_id
        CACHE.items.clear()
        with _timed(sec, "reason_for_proposal_first"):
            reason_for_proposal(probe)
        with _timed(sec, "reason_for_proposal"):
            reason_for_proposal(probe)
        if not args.no_apply:
            _apply(figures, sec, government, year, e2e)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    figures["cpu_seconds"] = CPU
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, ensure_ascii=False))


def _apply(figures: dict[str, Any], sec: dict[str, Any], government: Any, year: int, run: Any) -> None:
    """Preview and apply `run` as an administrator, with the regency stage window open."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from selaras.web.proposals.models import StageWindow
    from selaras.web.selection import apply

    now = timezone.now()
    StageWindow.objects.update_or_create(government=government, year=year, stage="regency", defaults={
        "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=1), "closed_manually": False})
    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "bench-admin", "", None)
    with _timed(sec, "apply_preview"):
        preview = apply.plan(run)
    with _timed(sec, "apply"):
        application = apply.apply_run(admin, run)
    figures["apply"] = {"judged": preview.judged, "decisions": application.decisions,
                        "skipped": dict(preview.skipped), "seconds": application.seconds}


if __name__ == "__main__":
    main()
