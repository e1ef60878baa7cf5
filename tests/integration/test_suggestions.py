"""Suggestions in the web: candidates beside a proposal, merge through the `merged` decision,
"not a duplicate" remembered, no change without a person, CLI JSON."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.urls import reverse
from typer.testing import CliRunner

from selaras.domain.proposals import ProposalStatus
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.suggestions import services
from selaras.web.suggestions.models import NotDuplicate
from tests.browser.proposal_world import OTHER_VILLAGE, ROAD, build_world, village_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    services._indexes.clear()  # ids repeat between tests rolled back; the caches key on them
    services._classifiers.clear()
    return build_world()


def pair(world):
    a = village_proposal(world, title="Rehabilitasi jalan lingkungan Kp. Cibeber", address="RT 003/RW 002")
    b = village_proposal(world, title="rehab jln lingk. kp cibeber", address="RT 3/RW 2", estimated_cost=440_000_000)
    return a, b


def services_create(world, **kw):
    from selaras.web.proposals import services as proposal_services

    data = {"government": world.gov, "year": world.year, "channel": "musrenbang_village", "volume": "800",
            "unit": "meter", "estimated_cost": 450_000_000, "agency": world.pupr, "sub_activity_code": ROAD}
    data.update(kw)
    return proposal_services.create_proposal(world.users["desa_lain"], **data)


def snapshot():
    return list(Proposal.objects.order_by("id").values_list("id", "title", "status", "stage", "agency_id",
                                                            "sub_activity_code"))


def test_candidates_are_found_explained_and_change_nothing(world):
    a, b = pair(world)
    unrelated = services_create(world, title="Rehabilitasi jalan lingkungan Kp. Cibeber", village_code=OTHER_VILLAGE,
                                address="RT 003/RW 002")
    before, decisions = snapshot(), Decision.objects.count()
    [c] = services.candidates_for(b)
    assert c.other == a and c.mergeable and c.score >= 0.9
    assert "judul mirip" in c.reasons and "desa sama" in c.reasons and "RT sama (RT 3)" in c.reasons
    assert unrelated not in [x.other for x in services.candidates_for(a)]
    services.suggest(world.gov, b.title)
    services.pairs(world.gov, world.year)
    assert snapshot() == before and Decision.objects.count() == decisions


def test_merge_writes_the_merged_decision_citing_the_other(world):
    a, b = pair(world)
    decision = services.merge(world.camat, b, a, "Sama dengan usulan RT 3")
    b.refresh_from_db()
    assert decision.outcome == "merged" and decision.merged_into == a and decision.actor == world.camat
    assert decision.reason == f"Digabung dengan usulan {a.number} (usulan ganda): Sama dengan usulan RT 3"
    assert b.status == ProposalStatus.MERGED.value
    assert [d.outcome for d in b.decisions.all()] == ["submitted", "merged"]


def test_not_a_duplicate_is_remembered(world):
    a, b = pair(world)
    services.not_duplicate(world.camat, b, a, "Ruas jalan berbeda")
    services.not_duplicate(world.camat, a, b)  # idempotent, either order
    assert NotDuplicate.objects.count() == 1
    assert services.candidates_for(b) == [] and services.candidates_for(a) == []
    assert services.pairs(world.gov, world.year) == []


def test_empty_or_garbage_gives_no_suggestion(world):
    assert services.suggest(world.gov, "").is_empty()
    assert services.suggest(world.gov, "???").is_empty()
    assert services.check_new(world.gov, world.year, title="   ") == []


def test_pages_show_the_panel_and_the_actions(client, world):
    a, b = pair(world)
    client.force_login(world.camat)
    page = client.get(reverse("suggestions:panel", args=[b.number]))
    assert page.status_code == 200
    text = page.content.decode()
    assert a.number in text and "Gabungkan ke" in text and "Bukan usulan ganda" in text
    response = client.post(reverse("suggestions:not_duplicate", args=[b.number, a.number]))
    assert response.status_code == 302 and NotDuplicate.objects.count() == 1
    client.logout()
    client.force_login(world.desa)
    warn = client.get(reverse("suggestions:check"), {"title": "Rehab jalan lingkungan Kp Cibeber", "year": world.year,
                                                     "village_code": a.village_code, "address": "RT 03 RW 02",
                                                     "estimated_cost": 450_000_000})
    assert "mirip dengan usulan yang sudah ada" in warn.content.decode()
    assert client.post(reverse("suggestions:merge", args=[b.number, a.number])).status_code in (302, 403, 404)
    b.refresh_from_db()
    assert b.status != ProposalStatus.MERGED.value  # a village operator cannot merge at the kecamatan


def test_cli_json(world):
    from selaras.cli import app

    pair(world)
    runner = CliRunner()
    result = runner.invoke(app, ["duplicates", "--government", "32.16", "--year", str(world.year), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["pairs"]) == 1 and "judul mirip" in data["pairs"][0]["reasons"]
    result = runner.invoke(app, ["classify", "--government", "32.16", "--json", "rehab jalan desa"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"agencies", "sub_activities"}
    result = runner.invoke(app, ["classify", "--government", "32.16", "--retrain"])
    assert result.exit_code == 0 and "Model dilatih dari" in result.output


def test_proposal_page_queue_and_entry_form_include_the_suggestions(client, world):
    a, b = pair(world)
    client.force_login(world.camat)
    page = client.get(reverse("proposals:detail", args=[b.number])).content.decode()
    assert reverse("suggestions:panel", args=[b.number]) in page
    queue = client.get(reverse("proposals:district")).content.decode()
    assert reverse("suggestions:panel", args=[b.number]) + "?ringkas=1" in queue
    hint = client.get(reverse("suggestions:panel", args=[b.number]), {"ringkas": "1"}).content.decode()
    assert "Mungkin ganda" in hint and a.number in hint
    client.force_login(world.desa)
    form = client.get(reverse("proposals:new")).content.decode()
    assert reverse("suggestions:check") in form


def test_no_history_gets_suggestions_and_a_kamus_teaches_local_words(world, tmp_path):
    from selaras.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["classify", "--government", "32.16", "--json", "rehabilitasi jalan desa"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)["sub_activities"][0]
    assert first["code"] == ROAD and "jalan" in first["words"]  # nomenclature alone, no proposal yet
    kamus = tmp_path / "kamus.csv"
    kamus.write_text("usulan;kode_sub_kegiatan;kode_perangkat_daerah\n"
                     f"Telford gang sempit;{ROAD};{world.pupr.code}\n"
                     f"Telford jalan setapak;{ROAD};{world.pupr.code}\n", encoding="utf-8")
    before = snapshot()
    result = runner.invoke(app, ["classify", "--government", "32.16", "--retrain", "--kamus", str(kamus)])
    assert result.exit_code == 0 and "2 entri kamus usulan" in result.output, result.output
    result = runner.invoke(app, ["classify", "--government", "32.16", "--json", "telford"])
    data = json.loads(result.output)
    assert data["sub_activities"][0]["code"] == ROAD and data["sub_activities"][0]["words"] == ["telford"]
    assert data["agencies"][0]["code"] == world.pupr.code
    assert snapshot() == before
    bad = tmp_path / "bad.csv"
    bad.write_text("judul\nTelford\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", "--government", "32.16", "--retrain", "--kamus", str(bad)])
    assert result.exit_code == 1 and "kode_sub_kegiatan" in result.output


def test_a_proposal_saved_after_the_index_was_built_is_found_with_the_same_score(world):
    a = village_proposal(world, title="Rehabilitasi jalan lingkungan Kp. Cibeber", address="RT 003/RW 002")
    village_proposal(world, title="Pembangunan gedung posyandu", address="RT 001/RW 001")
    assert services.check_new(world.gov, world.year, title="Pelatihan menjahit") == []  # builds the index
    b = village_proposal(world, title="rehab jln lingk. kp cibeber", address="RT 3/RW 2", estimated_cost=440_000_000)
    live = services._live(world.gov.pk, (world.year - 1, world.year))
    assert live.delta is not None and len(live.delta) == 1  # the new one went into the small index
    [from_b] = services.candidates_for(b)
    [from_a] = services.candidates_for(a)
    assert from_b.other == a and from_a.other == b
    services._indexes.clear()  # a full rebuild scores the pair the same
    [again] = services.candidates_for(b)
    assert (again.other, again.score, again.reasons) == (a, from_b.score, from_b.reasons)
    assert [(c.a, c.b) for c in services.pairs(world.gov, world.year)] == [(a.pk, b.pk)]


def test_entry_warning_for_an_agency_line_without_a_village(world, client):
    from selaras.web.proposals import services as proposal_services

    planner = world.users["perencana_pupr"]
    line = proposal_services.create_proposal(
        planner, government=world.gov, year=world.year, channel="agency_draft", title="Penyediaan Gaji dan Tunjangan ASN",
        volume="12", unit="bulan", estimated_cost=120_000_000, agency=world.pupr, sub_activity_code=ROAD)
    client.force_login(planner)
    form = {"title": "PENYEDIAAN GAJI DAN TUNJANGAN ASN (lanjutan)", "year": world.year, "sub_activity_code": ROAD,
            "estimated_cost": 120_000_000, "volume": "12", "agency": world.pupr.pk}
    html = client.post(reverse("suggestions:check"), form).content.decode()
    assert line.number in html and "biaya sama persis" in html
    # the same words at another cost and unit price: an unrelated line of the agency, no warning
    html = client.post(reverse("suggestions:check"), {**form, "estimated_cost": 131_000_000, "volume": "11",
                                                      "agency": "x"}).content.decode()
    assert line.number not in html


@pytest.mark.django_db(transaction=True)
def test_after_a_restart_the_entry_warning_answers_at_once_while_the_index_is_built(world, client, monkeypatch):
    """The first check after a start reads the district's proposals (seconds at district scale): the
    entry form's check does not wait for it; it says the check is being prepared, and warns once
    the index is there."""
    a, _ = pair(world)
    started = []
    monkeypatch.setattr(services, "_build_in_background", lambda *args: started.append(args))
    client.force_login(world.desa)
    form = {"title": "Rehab jalan lingkungan Kp Cibeber", "year": world.year, "village_code": a.village_code,
            "address": "RT 03 RW 02", "estimated_cost": 450_000_000}
    first = client.get(reverse("suggestions:check"), form).content.decode()
    assert "sedang disiapkan" in first and a.number not in first and len(started) == 1
    services._live(world.gov.pk, (world.year - 1, world.year))  # the build (waited for here)
    later = client.get(reverse("suggestions:check"), form).content.decode()
    assert "mirip dengan usulan yang sudah ada" in later and a.number in later and len(started) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second thread reading the test database needs PostgreSQL")
def test_the_background_build_fills_the_index_once(world, monkeypatch):
    import threading
    import time

    a, _ = pair(world)
    years = (world.year - 1, world.year)
    # The build waits until both checks were made, so a fast build cannot answer the second one.
    release, builds, build = threading.Event(), [], services._build

    def held_build(*args):
        builds.append(args)
        assert release.wait(60)
        return build(*args)

    monkeypatch.setattr(services, "_build", held_build)
    assert services.check_new(world.gov, world.year, title=a.title, wait=False) is None
    assert services.check_new(world.gov, world.year, title=a.title, wait=False) is None
    release.set()
    deadline = time.monotonic() + 60
    while (world.gov.pk, years) not in services._indexes and time.monotonic() < deadline:
        time.sleep(0.05)
    found = services.check_new(world.gov, world.year, title=a.title, village_code=a.village_code, wait=False)
    assert found is not None and a.pk in {c.other.pk for c in found}
    assert len(builds) == 1  # one build, not two
