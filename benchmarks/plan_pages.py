"""Benchmark: plan pages, home pages per role and plan admin pages on a loaded demo district.

Sets up a temporary SELARAS_DATA_DIR (fresh SQLite), migrates, loads the reference data and the
demo district of the chosen scale with its demo users, then requests every page in-process with
Django's test client and prints one JSON object: per page the median milliseconds of a few runs,
the number of SQL queries and the response size. Goal: every page under 500 ms, queries bounded.

    .venv/bin/python benchmarks/plan_pages.py [--scale bekasi] [--seed 2025] [--region 32.16] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="bekasi")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--region", default="32.16")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="selaras-bench-pages-")
    os.environ["SELARAS_DATA_DIR"] = data_dir
    os.environ["SELARAS_AXES"] = "0"
    # As in production: DEBUG off, so templates are compiled once (cached loader).
    os.environ["SELARAS_DEBUG"] = "0"
    os.environ.setdefault("SELARAS_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selaras.web.settings")
    try:
        figures = run(args.region, args.scale, args.seed, args.runs)
        figures["database"] = "postgresql" if os.environ.get("SELARAS_DATABASE_URL") else "sqlite"
        print(json.dumps(figures, indent=2))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _time(client, url: str, runs: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    size = 0
    status = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries, size, status = len(captured), len(response.content), response.status_code
    return {"ms": round(statistics.median(timings), 1), "queries": queries, "kb": round(size / 1024, 1),
            "status": status}


def run(region: str, scale: str, seed: int, runs: int) -> dict[str, object]:
    from selaras.cli import _django

    _django.migrate()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]

    from selaras.demo import generate_district
    from selaras.web.demo.loader import load_district
    from selaras.web.demo.users import create_demo_users
    from selaras.web.reference.services import load_reference

    started = time.perf_counter()
    load_reference()
    government = load_district(generate_district(region, scale, seed))
    create_demo_users(government)
    loaded = time.perf_counter() - started

    from django.contrib.auth import get_user_model
    from django.test import Client

    from selaras.web.plans.models import AgencyAnnualPlan, AnnualPlan, MediumTermPlan, Renstra
    from selaras.web.proposals.models import Proposal

    users = get_user_model().objects
    rpjmd = MediumTermPlan.objects.filter(government=government).order_by("-start_year").first()
    rkpd = AnnualPlan.objects.filter(government=government).order_by("-year").first()
    renstra = Renstra.objects.filter(agency__government=government).order_by("agency__code").first()
    renja = AgencyAnnualPlan.objects.filter(rkpd=rkpd).order_by("agency__code").first()
    assert rpjmd and rkpd and renstra and renja

    pages: dict[str, dict[str, object]] = {}
    planner = Client()
    planner.force_login(users.get(username="bappeda"))
    for url in ["/rencana/", f"/rencana/rpjmd/{rpjmd.pk}/", "/rencana/perangkat-daerah/",
                f"/rencana/perangkat-daerah/{renstra.agency_id}/renstra/", f"/rencana/rkpd/{rkpd.year}/",
                f"/rencana/rkpd/{rkpd.year}/renja/{renja.agency_id}/"]:
        pages[url] = _time(planner, url, runs)
    for username in ["admin", "bappeda", "tapd", "dprd", "pupr", "kecamatan", "desa"]:
        client = Client()
        client.force_login(users.get(username=username))
        pages[f"/ ({username})"] = _time(client, "/", runs)
    admin_client = Client()
    admin_client.force_login(users.get(username="admin"))
    for model in ["renstraline", "renstralineyear", "renjaline", "indicator", "indicatortarget", "agency"]:
        pages[f"/admin/plans/{model}/"] = _time(admin_client, f"/admin/plans/{model}/", runs)
    pages[f"/admin/plans/renstra/{renstra.pk}/change/"] = _time(
        admin_client, f"/admin/plans/renstra/{renstra.pk}/change/", runs)
    pages[f"/admin/plans/agencyannualplan/{renja.pk}/change/"] = _time(
        admin_client, f"/admin/plans/agencyannualplan/{renja.pk}/change/", runs)
    pages["/admin/auth/user/"] = _time(admin_client, "/admin/auth/user/", runs)

    slowest = max(pages.items(), key=lambda kv: float(kv[1]["ms"]))  # type: ignore[arg-type]
    return {
        "scale": scale, "region": region, "seed": seed, "runs": runs,
        "load_seconds": round(loaded, 1),
        "proposals": Proposal.objects.filter(government=government).count(),
        "pages": pages,
        "slowest_page": slowest[0], "slowest_ms": slowest[1]["ms"],
        "max_queries": max(int(p["queries"]) for p in pages.values()),  # type: ignore[call-overload]
        "all_ok": all(p["status"] == 200 for p in pages.values()),
    }


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    main()
