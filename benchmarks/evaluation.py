"""Benchmark: monev on the Bekasi-scale demo district. E.81 of every agency (the selector and the
engine, all agencies in one call, and one agency at a time as the E.81 page does), and the
dashboard pages (Bappeda, one agency, public) through Django's test client. Prints one JSON object.

    .venv/bin/python benchmarks/evaluation.py [--data-dir DIR] [--repeat N]

Without --data-dir a Bekasi-scale demo district is generated into a temporary directory first
(not timed). Goals (issue 12): E.81 for all agencies < 3 s, a dashboard page < 500 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(function: Callable[[], Any], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3)}


def child(repeat: int) -> dict[str, Any]:
    from selaras.cli import _django

    _django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from selaras.domain.plans import LineLevel
    from selaras.web.evaluation.dashboards import default_year
    from selaras.web.evaluation.selectors import e81_all, e81_for_agency
    from selaras.web.plans.models import Agency, LocalGovernment, RenjaLine

    government = LocalGovernment.objects.filter(agencies__isnull=False).distinct().order_by("-pk").first()
    assert government is not None, "no demo district in the database"
    year = 2025 if RenjaLine.objects.filter(renja__rkpd__government=government, renja__rkpd__year=2025).exists() \
        else default_year(government)
    assert year is not None
    agencies = list(Agency.objects.filter(government=government).order_by("code").values_list("pk", flat=True))
    tables = e81_all(government, year)
    rows = sum(len(t.rows) for t in tables)
    sub_rows = sum(1 for t in tables for r in t.rows if r.level is LineLevel.SUB_ACTIVITY)

    user = get_user_model().objects.filter(is_superuser=True).first()
    assert user is not None, "no superuser in the demo database"
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    busiest = max(tables, key=lambda t: len(t.rows)).agency.pk
    pages = {
        "bappeda": f"/evaluasi/dasbor/?tahun={year}&pemda={government.pk}",
        "bappeda_next_year": f"/evaluasi/dasbor/?tahun={year + 1}&pemda={government.pk}",
        "agency": f"/evaluasi/dasbor/pd/{busiest}/?tahun={year}",
        "public": f"/evaluasi/publik/{government.region_code}/?tahun={year}",
        "e81_page_busiest_agency": f"/evaluasi/e81/{year}/pd/{busiest}/",
    }
    cold = {}
    for name, url in pages.items():  # first call: templates, connection, the funnel's cache
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        cold[name] = round(time.perf_counter() - start, 3)
    return {
        "government": government.name, "year": year, "agencies": len(agencies), "renja_tables": len(tables),
        "e81_rows": rows, "e81_sub_activity_rows": sub_rows,
        "e81_all_agencies_one_call": _timed(lambda: e81_all(government, year), repeat),
        "e81_all_agencies_one_by_one": _timed(
            lambda: [e81_for_agency(government, year, pk) for pk in agencies], max(1, repeat // 2)),
        "pages_first_call_s": cold,
        "pages": {name: _timed(lambda url=url: client.get(url), repeat) for name, url in pages.items()},
        # as after a new proposal or decision: the proposal aggregates are computed again
        "bappeda_proposal_aggregates_recomputed": _timed(
            lambda: (cache.clear(), client.get(pages["bappeda"])), repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.repeat)))
        return
    data_dir = args.data_dir
    tmp = None
    if not data_dir:
        tmp = tempfile.TemporaryDirectory()
        data_dir = tmp.name
        subprocess.run([sys.executable, "-c", "from selaras.cli import main; main()", "demo", "generate",
                        "--scale", "bekasi"], env={**os.environ, "SELARAS_DATA_DIR": data_dir}, check=True,
                       stdout=subprocess.DEVNULL)
    env = {**os.environ, "SELARAS_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "selaras.web.settings"}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", "--repeat", str(args.repeat)],
                         env=env, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps({"benchmark": "evaluation", "goals": {"e81_all_agencies_s": 3, "dashboard_page_s": 0.5},
                      **result}))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
