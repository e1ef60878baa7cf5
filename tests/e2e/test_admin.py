"""Every admin page of every registered model renders for a superuser, in Bahasa Indonesia."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from selaras.web.plans import models as plan_models
from selaras.web.plans.models import RenjaLine, RenstraLine, RenstraLineYear
from tests.e2e.test_home import proposal
from tests.e2e.test_plan_pages import build_plan, member

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _ in REGISTERED]
PLAN_MODELS = [model for model, _ in REGISTERED if model._meta.app_label == "plans"]


@pytest.fixture
def world(db, django_user_model) -> SimpleNamespace:
    plan = build_plan()
    plan.member_user = member(django_user_model, "uji_desa_admin", plan, "village_operator",
                              region_code="91.99.01.2001")
    plan.proposal = proposal(plan, "UJI-ADM-1", "Rehabilitasi jalan desa")
    return plan


@pytest.fixture
def admin_client(client, django_user_model, world):
    client.force_login(django_user_model.objects.create_superuser("uji_admin", "a@example.org", None))
    return client


def ok(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_every_plan_model_is_registered_with_history():
    for model in plan_models.__dict__.values():
        if isinstance(model, type) and getattr(model, "_meta", None) and model.__module__ == plan_models.__name__ \
                and not model._meta.abstract:
            assert model in admin.site._registry, model
            assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model


def test_admin_index_speaks_indonesian(admin_client):
    html = ok(admin_client, "/admin/")
    assert "Selaras: Administrasi" in html
    assert "Rencana pembangunan" in html and "Pengguna dan peran" in html
    assert "Renstra" in html and "RPJMD" in html and "Perangkat daerah" in html


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_admin_pages_render(admin_client, model, model_admin):
    meta = model._meta
    base = f"admin:{meta.app_label}_{meta.model_name}"
    ok(admin_client, reverse(f"{base}_changelist"))
    if meta.app_label in ("plans", "accounts", "auth"):
        ok(admin_client, reverse(f"{base}_add"))
    instance = model._default_manager.order_by("pk").first()
    if instance is None:
        return
    ok(admin_client, reverse(f"{base}_change", args=[instance.pk]))
    if isinstance(model_admin, SimpleHistoryAdmin):
        ok(admin_client, reverse(f"{base}_history", args=[instance.pk]))


def test_plan_changelists_search(admin_client):
    for model in PLAN_MODELS:
        html = ok(admin_client, reverse(f"admin:plans_{model._meta.model_name}_changelist") + "?q=kesehatan")
        assert 'id="searchbar"' in html


def test_user_admin_has_membership_inline(admin_client, world):
    html = ok(admin_client, reverse("admin:auth_user_change", args=[world.member_user.pk]))
    assert "peran dan lingkup kerja" in html.lower()
    assert "91.99.01.2001" in html
    listing = ok(admin_client, reverse("admin:auth_user_changelist"))
    assert "Operator Desa/Kelurahan" in listing


def test_rpjmd_change_page_has_missions_and_key_indicators(admin_client, world):
    html = ok(admin_client, reverse("admin:plans_mediumtermplan_change", args=[world.rpjmd.pk]))
    assert "Meningkatkan kualitas sumber daya manusia" in html
    assert "Prevalensi stunting" in html
    assert "Pemerintah daerah" in html  # label given in the admin, the model field has none
    history = ok(admin_client, reverse("admin:plans_mediumtermplan_history", args=[world.rpjmd.pk]))
    assert 'id="change-history"' in history and "Dibuat" in history


def test_renstra_line_change_page_has_yearly_values(admin_client, world):
    html = ok(admin_client, reverse("admin:plans_renstraline_change", args=[world.sub.pk]))
    assert "1250000000" in html.replace(".", "").replace(",", "")


def test_big_changelists_cost_a_fixed_number_of_queries(admin_client, world):
    urls = [reverse("admin:plans_renstraline_changelist"), reverse("admin:plans_renjaline_changelist"),
            reverse("admin:plans_renstralineyear_changelist"), reverse("admin:plans_indicator_changelist"),
            reverse("admin:plans_renstra_change", args=[world.renstra.pk]),
            reverse("admin:plans_agencyannualplan_change", args=[world.renja.pk])]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                ok(admin_client, url)
            result.append(len(queries))
        return result

    before = counts()
    for i in range(20):
        line = RenstraLine.objects.create(renstra=world.renstra, parent=world.activity, level="sub_activity",
                                          code=f"1.02.02.2.02.{i + 2:04d}", name=f"Sub kegiatan {i}")
        RenstraLineYear.objects.create(line=line, year=2026, budget=1_000_000)
        RenjaLine.objects.create(renja=world.renja, renstra_line=line, code=line.code, name=line.name)
    after = counts()
    # twenty more rows each: a per-row query would add twenty (one or two of slack for lookups
    # whose presence depends on what else the worker's database holds)
    assert all(a - b <= 2 for a, b in zip(after, before, strict=True)), (before, after)


def test_plan_admin_on_demo_district(client, django_user_model, demo_district):
    """With a realistic district loaded, the big lists and the cascade pages stay within a few queries."""
    from selaras.web.plans.models import AgencyAnnualPlan, AnnualPlan, MediumTermPlan, Renstra

    client.force_login(django_user_model.objects.create_superuser("uji_admin_demo", "d@example.org", None))
    gov = demo_district.government_id
    urls = [reverse(f"admin:plans_{name}_changelist")
            for name in ("renstraline", "renstralineyear", "renjaline", "indicator", "indicatortarget")]
    for model, lookup in [(MediumTermPlan, "government_id"), (Renstra, "agency__government_id"),
                          (AnnualPlan, "government_id"), (AgencyAnnualPlan, "agency__government_id")]:
        instance = model.objects.filter(**{lookup: gov}).order_by("pk").first()
        urls.append(reverse(f"admin:plans_{model._meta.model_name}_change", args=[instance.pk]))
    costs = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            ok(client, url)
        costs[url] = len(queries)
    assert max(costs.values()) <= 40, costs
