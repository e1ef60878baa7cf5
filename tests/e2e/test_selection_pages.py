"""Selection pages under /seleksi/ and the API under /api/seleksi/ (Django test client, demo district)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client

from selaras.engines.scoring import Criterion
from selaras.web.jobs.models import Job
from selaras.web.plans.models import Agency, AnnualPlan, LocalGovernment
from selaras.web.proposals.models import Proposal
from selaras.web.selection import selectors, services
from selaras.web.selection.models import RunKind, SelectionRun
from selaras.web.selection.parameters import SUPPORTER_KINDS, RunParameters
from selaras.web.selection.selectors import compare_runs, reason_for_proposal, records_of

pytestmark = pytest.mark.django_db

BUDGET = 60_000_000_000


def _client(demo, short: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(get_user_model().objects.get(username=demo.username(short)))
    return client


def _gov_year(demo) -> tuple[LocalGovernment, int]:  # noqa: ANN001
    gov = LocalGovernment.objects.get(pk=demo.government_id)
    return gov, AnnualPlan.objects.filter(government=gov).order_by("-year").values_list("year", flat=True)[0]


def _form(year: int, rule: str = "greedy") -> dict[str, object]:
    data: dict[str, object] = {
        "year": year, "rule": rule, "completion": "greedy", "budget": BUDGET,
        "channels": ["musrenbang_village", "pokir", "agency_draft"], "ceiling_scale_percent": 5,
        "floor_share_percent": 5, "floor_spread": "population", "locus_villages": "", "require_agency": "on",
        "note": "uji",
    }
    data.update({f"w_{c.value}": 1 for c in Criterion})
    data.update({f"s_{k}": 1 for k in SUPPORTER_KINDS})
    return data


def test_pages_need_login(demo_district) -> None:  # noqa: ANN001
    response = Client().get("/seleksi/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_village_operator_sees_runs_but_cannot_start_one(demo_district) -> None:  # noqa: ANN001
    gov, year = _gov_year(demo_district)
    client = _client(demo_district, "desa")
    assert client.get("/seleksi/").status_code == 200
    assert client.get("/seleksi/baru/").status_code == 403
    assert client.post("/seleksi/baru/", _form(year)).status_code == 403
    run = services.start_run(gov, year, rule="greedy", params=RunParameters(budget=BUDGET), check=False)
    assert client.post(f"/seleksi/{run.pk}/simulasi/", {"budget": BUDGET}).status_code == 403
    assert client.get(f"/seleksi/{run.pk}/").status_code == 200


def test_planner_starts_a_run_and_reads_its_result(demo_district) -> None:  # noqa: ANN001
    gov, year = _gov_year(demo_district)
    client = _client(demo_district, "bappeda")
    page = client.get("/seleksi/baru/")
    assert page.status_code == 200 and "Bobot kriteria skor" in page.content.decode()
    response = client.post("/seleksi/baru/", _form(year, "mes"))
    assert response.status_code == 302, response.content.decode()[:2000]
    run = SelectionRun.objects.filter(government=gov).latest("id")
    # the run is a background job (inline under pytest): its status page links to the result
    job = Job.objects.get(kind="selection.run")
    assert response["Location"] == f"/tugas/{job.token}/"
    assert job.state == "done" and job.result_url == f"/seleksi/{run.pk}/" and job.result == {"run": run.pk}
    assert client.get(response["Location"]).status_code == 200
    # a double click while the first job still waits is the same job: no second run
    Job.objects.filter(pk=job.pk).update(state="queued")
    again = client.post("/seleksi/baru/", _form(year, "mes"))
    assert again["Location"] == f"/tugas/{job.token}/"
    assert SelectionRun.objects.filter(government=gov).count() == 1 and Job.objects.count() == 1
    assert run.rule == "mes" and run.completion == "greedy" and run.parameters["ceiling_scale_percent"] == 5
    assert run.created_by.username == demo_district.username("bappeda")
    html = client.get(f"/seleksi/{run.pk}/").content.decode()
    assert "Per perangkat daerah" in html and "Per kecamatan" in html and "Dipilih" in html
    # on a phone the tables become cards: each cell says what it is
    assert 'data-label="Hasil dan alasan"' in html and html.count('<table class="cards">') == 4
    # the stored parameters in words: labels, rupiah, no bare codes outside the technical JSON
    panel = html[html.index("Parameter seleksi (tersimpan)"):html.index("Data lengkap (JSON")]
    assert "Forum desa/kelurahan" in panel and "Rp 60.000.000.000" in panel and "Musrenbang" in panel
    assert "village_forum" not in panel and "rejected_" not in panel and "selected_" not in panel
    # without kecamatan population the page says so instead of judging shares against it
    fairness = selectors.fairness_view(run)
    assert fairness is not None
    told = "Data jumlah penduduk kecamatan belum ada" in html
    assert told == (not fairness["has_population"])
    assert ("Tidak ada kecamatan yang jauh di bawah bagiannya" in html) <= fairness["has_population"]
    html = client.get(f"/seleksi/{run.pk}/?tampil=tidak&hal=2").content.decode()
    assert "Tidak terpilih" in html
    assert f"#{run.pk}" in client.get("/seleksi/").content.decode()


@pytest.mark.parametrize("field, value, message", [
    ("budget", 10**30, "Anggaran terlalu besar: harus di bawah 4,6 juta triliun rupiah."),
    ("budget", 2**63 - 1, "Anggaran terlalu besar: harus di bawah 4,6 juta triliun rupiah."),
    ("ceiling_scale_percent", "1e308", "Skala pagu paling besar 1.000 persen."),
    # once accepted: the job then failed with 'kesalahan yang tidak terduga' (the ballots overflowed)
    ("s_village_forum", "99999999999999999999", "Bobot pendukung paling besar 1.000.000."),
    ("s_councillor", 1_000_001, "Bobot pendukung paling besar 1.000.000."),
    ("year", 2099, "Belum ada usulan untuk tahun 2099"),  # was a run of 0 proposals after the wait
])
def test_amounts_too_large_are_refused_on_the_form(demo_district, field: str, value: object,  # noqa: ANN001
                                                   message: str) -> None:
    _, year = _gov_year(demo_district)
    response = _client(demo_district, "bappeda").post("/seleksi/baru/", {**_form(year), field: value})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Job.objects.exists() and not SelectionRun.objects.exists()


def test_rules_by_score_with_every_weight_zero_are_refused_on_the_form(demo_district) -> None:  # noqa: ANN001
    _, year = _gov_year(demo_district)
    data = {**_form(year, "exact"), **{f"w_{c.value}": 0 for c in Criterion}}
    response = _client(demo_district, "bappeda").post("/seleksi/baru/", data)
    assert response.status_code == 200
    assert "Aturan ini memilih menurut skor: paling sedikit satu bobot kriteria harus lebih dari 0." in (
        response.content.decode())
    assert not Job.objects.exists()


def test_compare_and_what_if_pages(demo_district) -> None:  # noqa: ANN001
    gov, year = _gov_year(demo_district)
    client = _client(demo_district, "tapd")  # the budget team may run selections too
    base = services.start_run(gov, year, rule="greedy", params=RunParameters(budget=BUDGET, ceiling_scale_percent=5),
                              check=False)
    other = services.start_run(gov, year, rule="exact", params=RunParameters(budget=BUDGET, ceiling_scale_percent=5),
                               check=False)
    html = client.get(f"/seleksi/bandingkan/?a={base.pk}&b={other.pk}").content.decode()
    assert "Per kecamatan" in html and "Usulan yang berbeda" in html
    assert html.count('<table class="cards">') == 4 and 'data-label="B: hasil dan alasan"' in html
    assert f"Tabel dan pemeriksaan di bagian ini untuk seleksi A (#{base.pk})" in html
    assert client.get("/seleksi/bandingkan/").status_code == 200
    same = client.get(f"/seleksi/bandingkan/?a={base.pk}&b={base.pk}")
    assert same.status_code == 200 and "Pilih dua seleksi yang berbeda" in same.content.decode()
    form = client.get(f"/seleksi/{base.pk}/simulasi/")
    assert form.status_code == 200
    # close the agency that got the most money: its proposals must move out
    top = max((a for a in base.totals["agencies"] if a["code"]), key=lambda a: a["selected_cost"])
    index = [a["code"] for a in base.totals["agencies"] if a["code"]].index(top["code"])
    response = client.post(f"/seleksi/{base.pk}/simulasi/", {"budget": BUDGET, f"c_{index}": 0, "note": "tutup"})
    assert response.status_code == 302
    whatif = SelectionRun.objects.get(base_run=base)
    assert whatif.kind == RunKind.WHAT_IF and whatif.parameters["ceilings"][top["code"]] == 0
    job = Job.objects.get(kind="selection.what_if")
    assert response["Location"] == f"/tugas/{job.token}/"
    assert job.result_url == f"/seleksi/bandingkan/?a={base.pk}&b={whatif.pk}"
    html = client.get(job.result_url + "&tampil=keluar").content.decode()
    top_agency = Agency.objects.get(government=base.government, code=top["code"]).pk
    moved_out = sum(1 for o in records_of(base) if o.selected and o.agency_id == top_agency)
    comparison = compare_runs(base, whatif)
    assert moved_out > 0 and len(comparison.only_a) >= moved_out
    assert f"Keluar di B ({len(comparison.only_a)})" in html
    assert not any(o.selected and o.agency_id == top_agency for o in records_of(whatif))


def test_reason_snippet_and_api(demo_district) -> None:  # noqa: ANN001
    gov, year = _gov_year(demo_district)
    run = services.start_run(gov, year, rule="mes", params=RunParameters(budget=BUDGET), check=False)
    first = next(o for o in records_of(run) if o.selected)
    outcome = SimpleNamespace(proposal=Proposal.objects.get(pk=first.proposal_id))
    reason = reason_for_proposal(outcome.proposal)
    html = render_to_string("selection/proposal_reason.html", {"reason": reason})
    assert "Hasil seleksi usulan" in html and "Terpilih" in html and reason["reason"] in html
    assert render_to_string("selection/proposal_reason.html", {"reason": None}).strip() == ""
    client = _client(demo_district, "bappeda")  # staff read every run, trials too
    runs = client.get(f"/api/seleksi/runs?government={gov.region_code}").json()
    assert runs[0]["id"] == run.pk
    page = client.get(f"/api/seleksi/runs/{run.pk}/outcomes?selected=true&limit=5").json()
    assert page["count"] == run.selected_count and len(page["items"]) == 5
    assert page["items"][0]["reason"].startswith("Dipilih")
    got = client.get(f"/api/seleksi/proposals/{outcome.proposal.number}/reason").json()
    assert got["run_id"] == run.pk and got["selected"] is True
    assert Client().post("/api/seleksi/runs", {"government": gov.region_code, "year": year},
                         content_type="application/json").status_code in (401, 403)


def test_public_api_never_shows_a_run_bappeda_has_not_applied(demo_district) -> None:  # noqa: ANN001
    gov, year = _gov_year(demo_district)
    trial = services.start_run(gov, year, rule="greedy", params=RunParameters(budget=BUDGET), check=False)
    other = services.start_run(gov, year, rule="exact", params=RunParameters(budget=BUDGET), check=False)
    number = Proposal.objects.get(pk=next(o.proposal_id for o in records_of(trial) if o.selected)).number
    public = Client()
    assert public.get(f"/api/seleksi/runs?government={gov.region_code}").json() == []
    assert public.get(f"/api/seleksi/runs/{trial.pk}").status_code == 404
    assert public.get(f"/api/seleksi/runs/{trial.pk}/outcomes").status_code == 404
    assert public.get(f"/api/seleksi/compare?a={trial.pk}&b={other.pk}").status_code == 404
    assert public.get(f"/api/seleksi/proposals/{number}/reason").status_code == 404
    staff = _client(demo_district, "desa")  # any signed-in member sees the trials, as on the pages
    assert {r["id"] for r in staff.get(f"/api/seleksi/runs?government={gov.region_code}").json()} == {
        trial.pk, other.pk}
    assert staff.get(f"/api/seleksi/proposals/{number}/reason").json()["applied"] is False


def test_admin_lists_runs_read_only(demo_district) -> None:  # noqa: ANN001
    gov, year = _gov_year(demo_district)
    run = services.start_run(gov, year, rule="greedy", params=RunParameters(budget=BUDGET), check=False)
    client = _client(demo_district, "admin")
    assert client.get("/admin/selection/selectionrun/").status_code == 200
    assert client.get(f"/admin/selection/selectionrun/{run.pk}/change/").status_code == 200
    assert client.get(f"/admin/selection/selectionrun/{run.pk}/delete/").status_code == 403


def test_reason_shown_on_proposal_page_and_public_tracker(demo_district) -> None:  # noqa: ANN001
    gov, year = _gov_year(demo_district)
    run = services.start_run(gov, year, rule="greedy", params=RunParameters(budget=BUDGET), check=False)
    records = records_of(run)
    in_review = set(Proposal.objects.filter(government=gov, year=year, status="in_review").values_list("pk", flat=True))
    chosen = SimpleNamespace(proposal=Proposal.objects.get(pk=next(o.proposal_id for o in records if o.selected)))
    dropped = SimpleNamespace(proposal=Proposal.objects.get(pk=next(
        o.proposal_id for o in records if not o.selected and o.proposal_id in in_review)))
    for outcome, badge in ((chosen, "Terpilih"), (dropped, "Tidak terpilih")):
        reason = reason_for_proposal(outcome.proposal)["reason"]
        # a trial Bappeda has not applied is never shown to citizens: no outcome, no reason
        public = Client().get(f"/publik/usulan/{outcome.proposal.number}/").content.decode()
        assert "Hasil seleksi usulan" not in public and reason not in public
        assert "Terpilih" not in public and "percobaan" not in public
        assert reason_for_proposal(outcome.proposal, public=True) is None
        # staff see it, marked as a trial
        internal = _client(demo_district, "bappeda").get(f"/usulan/{outcome.proposal.number}/").content.decode()
        assert "Hasil seleksi usulan" in internal and reason in internal and badge in internal
        assert "percobaan yang belum diterapkan" in internal


def test_locus_villages_must_be_villages_of_the_government(demo_district) -> None:  # noqa: ANN001
    from selaras.web.reference.models import Region

    gov, year = _gov_year(demo_district)
    client = _client(demo_district, "bappeda")
    village, district = (Region.objects.filter(edition=gov.region_edition, level=4,
                                               code__startswith=gov.region_code + ".")
                         .order_by("code").values_list("code", "parent_code").first())
    elsewhere = (Region.objects.filter(edition=gov.region_edition, level=4).exclude(
        code__startswith=gov.region_code + ".").values_list("code", flat=True).first())
    bad = ["abc", "99.99.99.9999", district, *([elsewhere] if elsewhere else [])]
    response = client.post("/seleksi/baru/", {**_form(year), "locus_villages": "\n".join([village, *bad])})
    assert response.status_code == 200
    html = response.content.decode()
    assert "bukan kode desa/kelurahan" in html
    for code in bad:
        assert code in html[html.index("bukan kode desa/kelurahan") - 300:], code
    assert not Job.objects.exists() and not SelectionRun.objects.exists()
    # the villages of the government pass, and are stored once each
    response = client.post("/seleksi/baru/", {**_form(year), "locus_villages": f"{village}\n{village}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    run = SelectionRun.objects.get(government=gov)
    assert run.parameters["locus_villages"] == [village]


def test_selection_pages_speak_bahasa_and_show_real_json(demo_district) -> None:  # noqa: ANN001
    import json
    import re
    from html import unescape

    gov, year = _gov_year(demo_district)
    client = _client(demo_district, "bappeda")
    def text(url: str) -> str:  # what a reader sees: option values and other attributes keep their identifiers
        return re.sub(r"<[^>]+>", " ", client.get(url).content.decode())

    form = text("/seleksi/baru/")
    for technical in ("Greedy:", "pabutools", "what-if", "MILP"):
        assert technical not in form, technical
    assert "Urut skor tertinggi" in form and "Metode Bagi Rata" in form and "(greedy)" not in form
    base = services.start_run(gov, year, rule="greedy", params=RunParameters(budget=BUDGET), check=False)
    whatif = services.what_if(base, ceilings={}, budget=BUDGET // 2, check=False)
    for url in ("/seleksi/", f"/seleksi/{base.pk}/", f"/seleksi/{whatif.pk}/",
                f"/seleksi/bandingkan/?a={base.pk}&b={whatif.pk}", f"/seleksi/{base.pk}/simulasi/"):
        seen = text(url)
        for technical in ("Greedy:", "what-if", "pabutools", "lexico_tie_breaking"):
            assert technical not in seen, (url, technical)
    html = client.get(f"/seleksi/{base.pk}/").content.decode()
    if "Data lengkap (JSON" in html:  # a raw block, when shown, is JSON that parses back to the parameters
        block = html[html.index("Data lengkap (JSON"):]
        block = block[block.index("<pre"):block.index("</pre>")]
        assert json.loads(unescape(block[block.index(">") + 1:])) == base.parameters


def test_exact_equal_shares_starts_from_the_form(demo_district) -> None:  # noqa: ANN001
    """Exact Equal Shares is a rule of the form; its exact variant picked under Equal Shares runs it
    (the job once failed with 'pelengkap add-opt hanya untuk aturan ees'), and a step-by-step
    variant under it is refused on the form, before any job."""
    gov, year = _gov_year(demo_district)
    client = _client(demo_district, "bappeda")
    assert "Metode Bagi Rata Eksak" in client.get("/seleksi/baru/").content.decode()
    refused = client.post("/seleksi/baru/", {**_form(year, "ees"), "preset": "pabutools"})
    assert refused.status_code == 200 and "Varian ini hanya untuk Metode Bagi Rata" in refused.content.decode()
    assert not Job.objects.exists()
    for rule in ("mes", "ees"):
        response = client.post("/seleksi/baru/", {**_form(year, rule), "preset": "ees-add-opt", "note": rule})
        assert response.status_code == 302, response.content.decode()[:2000]
    assert not Job.objects.exclude(state="done").exists(), list(Job.objects.values("state", "message"))
    runs = SelectionRun.objects.filter(government=gov)
    assert sorted(runs.values_list("rule", flat=True)) == ["ees", "ees"]
    assert all(r.parameters["mes_options"]["completion"] == "add-opt" for r in runs)
    index = client.get("/seleksi/").content.decode()
    assert "Metode Bagi Rata Eksak" in index
    assert '<table class="cards">' in index and 'data-label="Aturan"' in index  # cards on a phone
    page = client.get(f"/seleksi/{runs[0].pk}/").content.decode()
    # the header names the variant, as it does for MES, and that it keeps the leftover
    assert "Jatah tiap pendukung langsung dinaikkan ke titik terbaik, sisa anggaran tidak diisi" in page
    form = client.get("/seleksi/baru/").content.decode()
    assert 'value="add-opt"' not in form[form.index('id="id_completion"'):form.index("</select>",
                                                                                   form.index('id="id_completion"'))]


def test_run_stopped_at_its_time_limit_says_so() -> None:
    run = SelectionRun(rule="ees", completion="add-opt", totals={"details": {
        "add_opt_stopped": "time_limit", "add_opt_steps": 1078, "mes_options": {"max_seconds": 120.0}}})
    assert run.stopped_at_time_limit.startswith("Kenaikan jatah berhenti pada batas waktu 2 menit setelah 1.078 langkah")
    assert SelectionRun(rule="ees", totals={"details": {"add_opt_stopped": "no_change"}}).stopped_at_time_limit == ""
    assert SelectionRun(rule="mes", totals={}).stopped_at_time_limit == ""
    html = render_to_string("selection/detail.html", {"run": run, "totals": run.totals})
    assert 'id="stopped-early"' in html and "hasil terakhir yang muat anggaran" in html
