"""A signed-in user whose role may not evaluate (a DPRD councillor, a village operator) who opens
/evaluasi/ is sent to the public dashboard of their own government, with a message in Bahasa
Indonesia, instead of a 403; anonymous visitors still go to the login page. A role that does
evaluate but whose account lacks its link (an agency planner with no agency, a kecamatan operator
whose office is not found) is a perangkat daerah: it is not told monev is only for Bappeda, TAPD
and perangkat daerah, it gets a 403 page saying what its account lacks and whom to ask."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from selaras.domain.roles import Role
from selaras.web.accounts.models import Membership
from selaras.web.plans.models import Agency

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("short", ["dprd", "desa"])
def test_non_evaluator_is_sent_to_public_dashboard(demo_district, short: str) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username=demo_district.username(short)))
    response = client.get("/evaluasi/")
    public = reverse("evaluation:public", args=[demo_district.region_code])
    assert response.status_code == 302
    assert response["Location"] == public
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("terbuka untuk umum" in n for n in notes)
    page = client.get(public)
    assert page.status_code == 200
    assert "Evaluasi internal hanya untuk Bappeda" in page.content.decode()
    # hostile query strings on the landing page never give a 500
    for query in ["?tahun=abc", "?tahun=%00", "?x=" + "%ff" * 50]:
        assert client.get("/evaluasi/" + query).status_code == 302


def test_user_without_membership_goes_to_public_index(db) -> None:
    user = get_user_model().objects.create_user(username="lonely", password="x")
    client = Client()
    client.force_login(user)
    response = client.get("/evaluasi/")
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:public_index")


def test_anonymous_still_goes_to_login() -> None:
    response = Client().get("/evaluasi/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def _member(demo_district, username: str, role: Role, **scope: object):  # noqa: ANN001, ANN202
    user = get_user_model().objects.create_user(username=username, password="x-Selaras-2027!")
    Membership.objects.create(user=user, government_id=demo_district.government_id, role=role.value, **scope)
    client = Client()
    client.force_login(user)
    return client


def _refused_saying(client: Client, *needles: str) -> None:
    for path in ("/evaluasi/", reverse("evaluation:dashboard")):
        response = client.get(path)
        assert response.status_code == 403, (path, response.status_code, response.get("Location"))
        html = response.content.decode()
        assert "hanya untuk Bappeda" not in html and "terbuka untuk umum" not in html, path
        for needle in needles:
            assert needle in html, (path, needle)
        assert not [str(m) for m in get_messages(response.wsgi_request)], path


def test_agency_planner_without_agency_is_told_the_account_lacks_one(demo_district) -> None:  # noqa: ANN001
    client = _member(demo_district, "perencana_tanpa_pd", Role.AGENCY_PLANNER)
    _refused_saying(client, "belum terhubung ke perangkat daerah", "Hubungi admin")


def test_district_operator_whose_office_is_not_found_is_told_so(demo_district) -> None:  # noqa: ANN001
    code = "99.99.99"
    assert not Agency.objects.filter(government_id=demo_district.government_id, district_code=code).exists()
    client = _member(demo_district, "camat_tanpa_kantor", Role.DISTRICT_OPERATOR, region_code=code)
    _refused_saying(client, "Kantor kecamatan Anda belum terdaftar", f"kecamatan {code}", "Hubungi admin")


def test_evaluating_roles_with_their_link_still_reach_monev(demo_district) -> None:  # noqa: ANN001
    for short in ("pupr", "kecamatan", "bappeda", "tapd"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=demo_district.username(short)))
        response = client.get("/evaluasi/")
        assert response.status_code == 302, short
        assert not response["Location"].startswith(reverse("evaluation:public_index")), (short, response["Location"])
