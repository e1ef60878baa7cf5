"""Hostile query and path values on every /evaluasi/ page, for several roles: never a 500."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, get_resolver

from selaras.web.plans.models import AgencyAnnualPlan, RenjaLine

pytestmark = pytest.mark.django_db

VALUES = ["²", "١٢", "1e30", "-1", "0", "5", "99999999999999999999", "a\x00b", "<script>", "x" * 500]
PATH_VALUES = ["0", "99999999999999999999", "%C2%B2", "a%00b", "x" * 300]
NAMES = ["tahun", "triwulan", "ubah", "pemda"]
_PARAM = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")


def _routes() -> list[str]:
    for p in get_resolver().url_patterns:
        if str(getattr(p, "pattern", "")) == "evaluasi/":
            return ["evaluasi/" + str(q.pattern) for q in p.url_patterns if isinstance(q, URLPattern)]
    raise AssertionError("no /evaluasi/ in the URL map")


def test_hostile_values_never_500(demo_district) -> None:
    renja = AgencyAnnualPlan.objects.filter(rkpd__government_id=demo_district.government_id, rkpd__year=2025).first()
    assert renja is not None
    line = RenjaLine.objects.filter(renja=renja).first()
    assert line is not None
    good = {"year": "2025", "agency_id": str(renja.agency_id), "pk": str(line.pk), "code": demo_district.region_code}
    clients = {"anonim": Client(raise_request_exception=False)}
    for short in ("bappeda", "pupr", "desa"):
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username=demo_district.username(short)))
        clients[short] = client
    failures = []
    for template in _routes():
        url = "/" + _PARAM.sub(lambda m: good[m["name"]], template)
        for who, client in clients.items():
            for value in VALUES:
                for method in (client.get, client.post):
                    response = method(url + "?" + "&".join(f"{n}={value}" for n in NAMES)
                                      if "\x00" not in value else url, {n: value for n in NAMES})
                    if response.status_code >= 500:
                        failures.append(f"{who} {method.__name__} {url} {value!r}")
        for name in _PARAM.findall(template):
            for value in PATH_VALUES:
                bad = "/" + _PARAM.sub(lambda m, n=name, v=value: v if m["name"] == n else good[m["name"]], template)
                response = clients["bappeda"].get(bad)
                if response.status_code >= 500:
                    failures.append(f"path {bad[:80]}")
    assert not failures, failures[:20]
