"""A signed-in user whose role may not evaluate (a DPRD councillor, a village operator) who opens
/evaluasi/ is sent to the public dashboard of their own government, with a message in Bahasa
Indonesia, instead of a 403; anonymous visitors still go to the login page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

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
