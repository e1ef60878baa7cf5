"""The bulk import's result page: classification suggestions for imported rows lacking an agency or
a sub-activity, advisory only (nothing changes), for the import's own user."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from selaras.web.jobs.models import Job, JobState
from selaras.web.proposals import import_job
from selaras.web.proposals.models import Proposal
from selaras.web.suggestions import services
from tests.browser.proposal_world import build_world, village_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    services._indexes.clear()
    services._classifiers.clear()
    return build_world()


def imported(world):
    before = village_proposal(world, title="Pelatihan menjahit")  # not part of the import
    rows = [
        village_proposal(world, title="Pengaspalan jln lingkungan RT 03", agency=None, sub_activity_code=""),
        village_proposal(world, title="Rehabilitasi jalan desa Sukamaju"),  # complete: not listed
        village_proposal(world, title="Perbaikan jalan rusak berlubang", sub_activity_code=""),
        village_proposal(world, title="zzzq xxv", agency=None, sub_activity_code=""),  # says nothing
    ]
    job = Job.objects.create(kind=import_job.KIND, label="Impor usulan: desa.xlsx", user=world.users["desa"],
                             government_id=world.gov.pk, state=JobState.DONE,
                             params={"government": world.gov.pk, "channel": "musrenbang_village",
                                     "year": world.year, "valid_only": False, "filename": "desa.xlsx"},
                             result={"imported": 4, "total_rows": 4, "rejected": 0, "messages": [], "more": 0,
                                     "first_number": rows[0].number, "last_number": rows[-1].number,
                                     "has_rejects": False})
    return before, rows, job


def snapshot():
    return list(Proposal.objects.order_by("id").values_list("id", "title", "status", "stage", "agency_id",
                                                            "sub_activity_code"))


def test_review_suggests_what_imported_rows_lack_and_changes_nothing(world):
    before, rows, job = imported(world)
    review = services.import_review(world.gov, year=world.year, channel="musrenbang_village",
                                    first_number=rows[0].number, last_number=rows[-1].number)
    assert (review.imported, review.lacking) == (4, 3)
    by_number = {r.proposal.number: r for r in review.rows}
    assert set(by_number) == {rows[0].number, rows[2].number, rows[3].number}
    first = by_number[rows[0].number]
    assert first.agency is not None and first.agency.code == world.pupr.code
    assert first.sub_activity is not None and first.sub_activity.code.startswith("1.03")
    assert by_number[rows[2].number].agency is None  # it has its agency already
    assert by_number[rows[2].number].sub_activity is not None
    assert by_number[rows[3].number].agency is None and by_number[rows[3].number].sub_activity is None

    state = snapshot()
    client = Client()
    client.force_login(world.users["desa"])
    page = client.get(reverse("proposals:import_status", kwargs={"job": job.token}))
    assert reverse("suggestions:import_panel", args=[job.token]) in page.content.decode()
    html = client.get(reverse("suggestions:import_panel", args=[job.token])).content.decode()
    assert "3 dari 4 usulan yang diimpor" in html and "usulan tidak diubah" in html
    assert rows[0].number in html and rows[1].number not in html and before.number not in html
    assert world.pupr.name in html and "tidak ada saran" in html
    assert snapshot() == state  # advisory only


def test_review_is_only_for_the_imports_user(world):
    _, _, job = imported(world)
    other = Client()
    other.force_login(world.users["desa_lain"])
    assert other.get(reverse("suggestions:import_panel", args=[job.token])).status_code == 404
    running = Job.objects.create(kind=import_job.KIND, label="x", user=world.users["desa"], state=JobState.RUNNING)
    own = Client()
    own.force_login(world.users["desa"])
    assert own.get(reverse("suggestions:import_panel", args=[running.token])).status_code == 404
