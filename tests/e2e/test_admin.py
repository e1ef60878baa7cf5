"""Every admin page of every registered model renders for a superuser, in Bahasa Indonesia."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import connection
from django.forms.models import model_to_dict
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


def test_every_plan_row_reaches_its_document():
    from selaras.web.plans.admin import DOCUMENT_PATHS

    documents = {plan_models.LongTermPlan, plan_models.MediumTermPlan, plan_models.Renstra,
                 plan_models.AnnualPlan, plan_models.AgencyAnnualPlan}
    assert set(DOCUMENT_PATHS) == set(PLAN_MODELS) - {plan_models.LocalGovernment, plan_models.Agency}
    assert documents <= set(DOCUMENT_PATHS)


def _line_form(line: RenjaLine, **changes: object) -> dict[str, object]:
    data = {name: value for name, value in model_to_dict(line).items() if value is not None}
    data.update(changes)
    return data


def test_rows_of_an_issued_plan_are_read_only_in_the_admin(admin_client, world):
    line = world.renja_line
    url = reverse("admin:plans_renjaline_change", args=[line.pk])
    # a draft Renja's line is changed in the admin (the same POST is refused once issued)
    assert admin_client.post(url, _line_form(line, budget=1_400_000_000)).status_code == 302
    line.refresh_from_db()
    assert line.budget == 1_400_000_000
    plan_models.AgencyAnnualPlan.objects.filter(pk=world.renja.pk).update(stage="penetapan")

    html = ok(admin_client, url)
    assert "sudah ditetapkan" in html and 'name="budget"' not in html
    assert admin_client.post(url, _line_form(line, budget=999_000_000)).status_code == 403
    line.refresh_from_db()
    assert line.budget == 1_400_000_000
    assert admin_client.post(reverse("admin:plans_renjaline_delete", args=[line.pk]),
                             {"post": "yes"}).status_code == 403
    added = admin_client.post(reverse("admin:plans_renjaline_add"),
                              _line_form(line, code="1.02.02.2.02.0009", name="Baris baru"))
    assert added.status_code == 200 and "sudah ditetapkan" in added.content.decode()
    assert not RenjaLine.objects.filter(code="1.02.02.2.02.0009").exists()
    # the Renja itself: its page shows its lines read only, and a revert to an old version is refused
    renja_url = reverse("admin:plans_agencyannualplan_change", args=[world.renja.pk])
    html = ok(admin_client, renja_url)
    assert "sudah ditetapkan" in html and 'name="lines-0-budget"' not in html
    assert admin_client.post(renja_url, {"stage": "rancangan", "ceiling": "1"}).status_code == 403
    first = world.renja.history.earliest()
    revert = reverse("admin:plans_agencyannualplan_simple_history", args=[world.renja.pk, first.history_id])
    assert admin_client.post(revert, {"rkpd": world.rkpd.pk, "agency": world.dinkes.pk, "stage": "rancangan",
                                      "ceiling": "1"}).status_code == 403
    assert plan_models.AgencyAnnualPlan.objects.get(pk=world.renja.pk).stage == "penetapan"
    # a deletion that would cascade into the issued Renja is refused too
    response = admin_client.post(reverse("admin:plans_agency_delete", args=[world.dinkes.pk]), {"post": "yes"})
    assert response.status_code in (200, 403) and plan_models.Agency.objects.filter(pk=world.dinkes.pk).exists()
    # the other, unissued Renja stays editable
    assert 'name="lines-' in ok(admin_client, reverse("admin:plans_agencyannualplan_change",
                                                      args=[world.renja_pupr.pk]))


def test_rows_under_an_issued_rpjmd_and_renstra_are_read_only(admin_client, world):
    plan_models.MediumTermPlan.objects.filter(pk=world.rpjmd.pk).update(stage="penetapan")
    plan_models.Renstra.objects.filter(pk=world.renstra.pk).update(stage="penetapan")
    target = world.key.targets.get(year=2026)
    url = reverse("admin:plans_indicatortarget_change", args=[target.pk])
    assert admin_client.post(url, {"indicator": world.key.pk, "year": 2026, "value": "1"}).status_code == 403
    target.refresh_from_db()
    assert target.value == Decimal("18.5")
    year = world.sub.years.get(year=2026)
    url = reverse("admin:plans_renstralineyear_change", args=[year.pk])
    assert admin_client.post(url, {"line": world.sub.pk, "year": 2026, "budget": "1"}).status_code == 403
    assert admin_client.post(reverse("admin:plans_goal_delete", args=[world.goal.pk]),
                             {"post": "yes"}).status_code == 403
    assert plan_models.Goal.objects.filter(pk=world.goal.pk).exists()


def test_negative_targets_baselines_and_money_are_refused_in_the_admin(admin_client, world):
    """The admin forms apply the editor's and the import's rule (domain.targets.negative_problem,
    domain.plan_cells.money_problem): the change is refused with the field named, nothing saved."""
    line = world.renja_line
    url = reverse("admin:plans_renjaline_change", args=[line.pk])
    for changes in ({"budget": -1}, {"target": "-2"}, {"forward_estimate": -5}):
        answer = admin_client.post(url, _line_form(line, **changes))
        assert answer.status_code == 200 and "tidak boleh negatif" in answer.content.decode(), changes
    assert RenjaLine.objects.get(pk=line.pk).budget == line.budget
    year = world.sub.years.get(year=2026)
    url = reverse("admin:plans_renstralineyear_change", args=[year.pk])
    answer = admin_client.post(url, {"line": world.sub.pk, "year": 2026, "target": "-1", "budget": "1"})
    assert answer.status_code == 200 and "Target: " in answer.content.decode()
    sub_url = reverse("admin:plans_renstraline_change", args=[world.sub.pk])
    form = {k: v for k, v in model_to_dict(world.sub).items() if v is not None} | {"baseline": "-3"}
    form |= {"years-TOTAL_FORMS": 0, "years-INITIAL_FORMS": 0}
    answer = admin_client.post(sub_url, form)
    assert answer.status_code == 200 and "Kondisi awal: " in answer.content.decode()
    assert RenstraLine.objects.get(pk=world.sub.pk).baseline != Decimal(-3)
