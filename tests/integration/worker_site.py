"""A throw-away Selaras site for the worker tests, driven as a subprocess (not a test module).

`python -m tests.integration.worker_site setup|enqueue ROWS|cancel TOKEN|count` with SELARAS_DATA_DIR set:
setup migrates and loads the reference data, a small demo district, a superuser and an open
entry window; enqueue submits a CSV of ROWS valid rows as an import job (`import_job.submit_import`,
as the upload view does) on the database backend and prints its token; count prints the
proposals of the test year.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from datetime import timedelta

YEAR = 2031
CHANNEL = "agency_draft"


def _setup() -> None:
    from selaras.cli import _django

    _django.migrate()


def setup() -> None:
    _setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from selaras.demo import generate_district
    from selaras.web.demo.loader import load_district
    from selaras.web.proposals.models import StageWindow
    from selaras.web.reference.services import load_reference

    load_reference()
    government = load_district(generate_district("32.15", "small", 1))
    user = get_user_model().objects.create(username="pengimpor", is_superuser=True)
    now = timezone.now()
    StageWindow.objects.create(government=government, year=YEAR, stage="agency_forum",
                               opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))
    print(json.dumps({"government": government.pk, "user": user.pk}))


def enqueue(rows: int) -> None:
    _setup()
    from django.contrib.auth import get_user_model

    from selaras.formats import proposal_table as pt
    from selaras.web.plans.models import LocalGovernment
    from selaras.web.proposals.import_job import submit_import
    from selaras.web.proposals.import_service import reference_sets

    government = LocalGovernment.objects.get()
    refs = reference_sets(government)
    rng = random.Random(rows)
    villages, subs, agencies = sorted(refs.village_codes), sorted(refs.sub_activity_codes), sorted(refs.agency_codes)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in pt.columns_for(CHANNEL)])
    for i in range(rows):
        village = rng.choice(villages)
        writer.writerow([rng.choice(agencies), rng.choice(subs), f"Usulan uji {i + 1}", "Kebutuhan lapangan",
                         village.rsplit(".", 1)[0], village, f"Lokasi {i}", rng.randint(1, 90), "paket",
                         rng.randint(1, 900) * 100_000, ""])
    user = get_user_model().objects.get(username="pengimpor")
    job = submit_import(user, government_id=government.pk, channel=CHANNEL, year=YEAR, valid_only=False,
                        filename="usulan.csv", upload=buffer.getvalue().encode("utf-8"))
    print(job.token)


def cancel(token: str) -> None:
    """The cancel button's service call (as the page makes it), timed."""
    import time

    _setup()
    from selaras.web.jobs.models import Job
    from selaras.web.jobs.service import request_cancel

    started = time.monotonic()
    request_cancel(Job.objects.get(token=token))
    print(json.dumps({"seconds": round(time.monotonic() - started, 3)}))


def count() -> None:
    _setup()
    from selaras.web.proposals.models import Decision, Proposal

    print(json.dumps({"proposals": Proposal.objects.filter(year=YEAR).count(),
                      "decisions": Decision.objects.filter(proposal__year=YEAR).count()}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        setup()
    elif command == "enqueue":
        enqueue(int(sys.argv[2]))
    elif command == "cancel":
        cancel(sys.argv[2])
    else:
        count()
