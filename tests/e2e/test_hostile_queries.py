"""Hostile query strings and path values on every URL of the project: never a 500.

Every URL pattern (walked from the resolver, the API's included; the Django admin excepted) is
filled with valid sample values from the small demo district, then:
- each query parameter the view actually reads (recorded by watching `QueryDict` during a plain
  request) gets each hostile value in turn, as a privileged user;
- every user (anonymous and several roles) sends each hostile value in all those parameters and in
  a fixed list of common names at once;
- each path parameter gets each hostile path value.
No answer may be a 500, and every 400 page carries a Bahasa Indonesia message. Runs on SQLite and
PostgreSQL (NUL bytes are refused by PostgreSQL itself, so they must be refused before a query).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from selaras.web.errors.messages import ERROR_TEXTS, PARAMETER_REASONS
from selaras.web.errors.status import STATUS_TITLES

pytestmark = pytest.mark.django_db


def _b64(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


#: Hostile query values (raw: the client percent-encodes them).
HOSTILE_VALUES: list[str] = [
    "²", "١٢", "1e30", "-1", "99999999999999999999", "9" * 400, "a\x00b", "\x1f", "<script>alert(1)</script>",
    "x" * 3000, _b64("[1,\"x\"]"), _b64("[null,null]"), _b64("[{},1]"), _b64("[99999999999999999999999,1]"),
]

#: The few values every user sends in every name at once (one request each).
SHARP_VALUES = ["²", "a\x00b"]

#: Parameter names sent to every view whether it reads them or not.
COMMON_NAMES = ["tahun", "year", "after", "before", "sebelum", "agency", "q", "nomor", "page", "halaman",
                "hal", "offset", "limit", "status", "channel", "district", "village", "pemda", "pd", "id",
                "tingkat", "dalam", "aktif", "kedalaman", "kecamatan", "tampil", "a", "b", "sort", "stage",
                "cost_min", "cost_max", "sub_activity", "government", "selected", "before_id", "sebagian"]

#: Hostile path values (already URL-encoded where needed).
HOSTILE_PATH = ["0", "1e30", "99999999999999999999", "9" * 300, "%C2%B2", "%D9%A1%D9%A2", "a%00b", "%27",
                "x" * 300, "%20"]

ROLES = ["admin", "bappeda", "pupr", "kecamatan", "desa"]  # tapd reads as bappeda does

BAHASA_400 = [STATUS_TITLES[400]]
SKIP_PREFIXES = ("admin/", "keluar/")  # Django's admin; logout is a POST that ends the session


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "rencana/rkpd/<year:year>/"
    name: str  # namespace:name
    params: tuple[str, ...]


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern):
            template = prefix + str(p.pattern)
            yield Route(template, f"{namespace}:{p.name}", tuple(m["name"] for m in _PARAM.finditer(template)))


def all_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if not route.template.startswith(SKIP_PREFIXES):
            seen.setdefault(route.template, route)
    return list(seen.values())


def _fill(route: Route, values: dict[str, str]) -> str:
    return "/" + _PARAM.sub(lambda m: values.get(m["name"], "1"), route.template)  # a new parameter: "1"


class _Recorder:
    """Records the names a view reads from `request.GET` (patched QueryDict accessors)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self._saved: dict[str, Any] = {}

    def __enter__(self) -> _Recorder:
        names = self.names
        for attr in ("get", "__getitem__", "__contains__", "getlist"):
            original = getattr(QueryDict, attr)
            self._saved[attr] = original

            def wrapper(qd: QueryDict, key: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
                if isinstance(key, str):
                    names.add(key)
                return _original(qd, key, *args, **kwargs)

            setattr(QueryDict, attr, wrapper)
        return self

    def __exit__(self, *exc: object) -> None:
        for attr, original in self._saved.items():
            setattr(QueryDict, attr, original)


def _samples(demo: Any) -> dict[str, dict[str, str]]:
    """Valid path values per route name (falling back to per-parameter defaults)."""
    from selaras.web.plans.models import AgencyAnnualPlan, MediumTermPlan, Renstra
    from selaras.web.proposals.models import Proposal, StageWindow
    from selaras.web.reference.models import NomenclatureItem, Region
    from selaras.web.selection import services
    from selaras.web.selection.models import SelectionRun

    gov = demo.government_id
    number = Proposal.objects.filter(government_id=gov).order_by("number").values_list("number", flat=True)[0]
    renja = AgencyAnnualPlan.objects.filter(rkpd__government_id=gov).select_related("rkpd").first()
    rpjmd = MediumTermPlan.objects.filter(government_id=gov).first()
    renstra = Renstra.objects.filter(agency__government_id=gov).first()
    window = StageWindow.objects.filter(government_id=gov).first()
    district = Region.objects.filter(code__startswith=demo.region_code + ".", level=3).order_by("code").first()
    village = Region.objects.filter(code__startswith=demo.region_code + ".", level=4).order_by("code").first()
    sub_activity = NomenclatureItem.objects.filter(level="sub_activity").order_by("code").first()
    run = SelectionRun.objects.filter(government_id=gov).first()
    if run is None and renja is not None:
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.get(username=demo.username("admin"))
        run = services.start_run(renja.rkpd.government, renja.rkpd.year, user=admin)
    run_id = str(run.pk) if run else "1"
    year = str(renja.rkpd.year) if renja else "2026"
    return {
        "default": {"pk": "1", "year": year, "agency_id": str(renja.agency_id) if renja else "1",
                    "number": number, "code": demo.region_code, "channel": "desa", "job": "tidak-ada", "token": "tidak-ada",
                    "other": number, "kind": "renja", "line_id": "1", "note_id": "1", "row_id": "1",
                    "row_kind": "renja_line", "column": "budget", "forum": "musrenbang_district",
                    "item_kind": "strategy", "item_id": "1",
                    "run_id": run_id},
        "plans:rpjmd": {"pk": str(rpjmd.pk) if rpjmd else "1"},
        **{f"planning:{name}": {"pk": str(renja.pk) if renja else "1"} for name in (
            "document", "add_line", "add_indicator", "delete_line", "stage", "versions", "compare", "compare_xlsx",
            "add_note", "verification", "export", "upload", "delete_item")},
        "plans:renstra": {"agency_id": str(renstra.agency_id) if renstra else "1"},
        "proposals:extend_window": {"pk": str(window.pk) if window else "1"},
        "proposals:close_window": {"pk": str(window.pk) if window else "1"},
        "selection:detail": {"pk": run_id},
        "selection:what_if": {"pk": run_id},
        "public:district": {"code": district.code if district else demo.region_code},
        "public:village": {"code": village.code if village else demo.region_code},
        "api-1:village": {"code": village.code if village else demo.region_code},
        "reference:nomenclature_item": {"code": sub_activity.code if sub_activity else "1"},
    }


def _values_for(route: Route, samples: dict[str, dict[str, str]]) -> dict[str, str]:
    return {**samples["default"], **samples.get(route.name, {})}


@dataclass
class Tally:
    requests: int = 0
    by_status: dict[int, int] | None = None
    failures: list[str] | None = None

    def __post_init__(self) -> None:
        self.by_status, self.failures = {}, []

    def check(self, client: Client, who: str, url: str, query: dict[str, str] | None = None) -> None:
        response = client.get(url, query or {}, follow=False)
        if response.streaming:  # a file download: reading it to the end closes its temporary file
            b"".join(response.streaming_content)  # (response.close() would also close the test's connection)
        self.requests += 1
        assert self.by_status is not None and self.failures is not None
        self.by_status[response.status_code] = self.by_status.get(response.status_code, 0) + 1
        shown = f"{who} GET {url} {query!r:.200}"
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {shown}")
        elif response.status_code == 400:
            body = response.content.decode("utf-8", "replace")
            if response.get("Content-Type", "").startswith("application/json"):
                if '"detail"' not in body:
                    self.failures.append(f"400 without detail {shown}")
            elif not any(text in body for text in BAHASA_400):
                self.failures.append(f"400 without a Bahasa message {shown}")


def _client_for(who: str, demo: Any) -> Client:
    client = Client(raise_request_exception=False)
    if who != "anonim":
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=demo.username(who)))
    return client


def test_catalogue_has_every_parameter_reason() -> None:
    from selaras.web.errors.messages import error_text
    from selaras.web.params import InvalidParameter

    assert "invalid_parameter" in ERROR_TEXTS
    for reason in PARAMETER_REASONS:
        text = error_text(InvalidParameter(name="tahun", reason=reason, min=2000, max=2100, max_length=40))
        assert "ahun" in text and "{" not in text  # the field named ("Tahun"; the cursor names 'tahun')


def test_hostile_queries_and_paths_never_500(demo_district) -> None:
    routes = all_routes()
    samples = _samples(demo_district)
    tally = Tally()
    users = ["anonim", *ROLES]
    clients = {who: _client_for(who, demo_district) for who in users}

    # 1. which query names each view reads (as the most privileged user and as anonymous)
    reads: dict[str, set[str]] = {}
    started = time.perf_counter()
    for route in routes:
        url = _fill(route, _values_for(route, samples))
        names: set[str] = set()
        for who in ("admin", "anonim"):
            with _Recorder() as recorder:
                tally.check(clients[who], who, url)
            names |= recorder.names
        reads[route.template] = names

    # 2. each parameter a view reads, each hostile value, as the administrator (sees every page)
    for route in routes:
        url = _fill(route, _values_for(route, samples))
        for name in sorted(reads[route.template]):
            for value in HOSTILE_VALUES:
                tally.check(clients["admin"], "admin", url, {name: value})

    # 3. every user: all read and common names at once, per hostile value
    for route in routes:
        url = _fill(route, _values_for(route, samples))
        names = sorted(reads[route.template] | set(COMMON_NAMES))
        for who in users if not route.template.endswith(".xlsx") else ("admin", "desa"):
            for value in SHARP_VALUES:
                tally.check(clients[who], who, url, dict.fromkeys(names, value))

    # 4. hostile path values, one parameter at a time
    path_routes = [r for r in routes if r.params]
    for route in path_routes:
        for param in route.params:
            for value in HOSTILE_PATH:
                url = _fill(route, {**_values_for(route, samples), param: value})
                for who in ("admin", "anonim") if route.template.startswith(("publik/", "api/")) else ("admin",):
                    tally.check(clients[who], who, url)

    print(f"\nhostile queries: {len(routes)} URL patterns ({len(path_routes)} with path parameters), "
          f"{len(HOSTILE_VALUES)} query values, {len(HOSTILE_PATH)} path values, {len(users)} users, "
          f"{tally.requests} requests in {time.perf_counter() - started:.0f} s; statuses {dict(sorted((tally.by_status or {}).items()))}")
    assert not tally.failures, f"{len(tally.failures)} failures:\n" + "\n".join(tally.failures[:60])


def test_known_500s_from_the_review_are_400s(demo_district) -> None:
    """The exact requests of issue 13 finding 6 answer 400 (or 404 for path values), never 500."""
    client = _client_for("admin", demo_district)
    samples = _samples(demo_district)
    village = samples["public:village"]["code"]
    year = samples["default"]["year"]
    expect_400 = [
        ("/", {"tahun": "²"}), ("/usulan/", {"year": "²"}), ("/seleksi/", {"tahun": "²"}),
        (f"/publik/desa/{village}/", {"halaman": "²"}),
        ("/usulan/", {"after": _b64('[1,"x"]')}), ("/usulan/", {"after": _b64("[null,null]")}),
        ("/usulan/", {"after": _b64("[{},1]")}), ("/usulan/", {"agency": "1e30"}),
        ("/sinkronisasi/", {"tahun": "1e30"}), ("/publik/", {"nomor": "\x00"}),
        ("/referensi/wilayah/", {"q": "\x00"}),
    ]
    for url, query in expect_400:
        response = client.get(url, query)
        assert response.status_code == 400, (url, query, response.status_code)
        assert STATUS_TITLES[400] in response.content.decode(), (url, query)
    for url in (f"/rencana/rkpd/{year}/renja/{'9' * 30}/", "/publik/usulan/%00/", "/publik/daerah/%00/"):
        assert client.get(url).status_code == 404, url
    response = client.get("/api/seleksi/proposals/%00/reason")
    assert response.status_code == 400 and response.json()["code"] == "invalid_parameter"
    run_id = samples["default"]["run_id"]
    for query in ({"offset": "1e30"}, {"offset": str(10**30)}, {"offset": "-1"}):
        response = client.get(f"/api/seleksi/runs/{run_id}/outcomes", query)
        assert response.status_code in (400, 422), (query, response.status_code)


def test_hostile_api_bodies_never_500(demo_district) -> None:
    """POST /api/seleksi/runs with hostile bodies (schemathesis is not installed: hand-written)."""
    import json

    client = _client_for("bappeda", demo_district)
    year = int(_samples(demo_district)["default"]["year"])
    base = {"government": demo_district.region_code, "year": year}
    bodies: list[Any] = [
        {}, [], "x", None, {"government": "\x00", "year": year}, {**base, "year": 10**30},
        {**base, "year": "²"}, {**base, "note": "\x00"}, {**base, "note": "x" * 5000},
        {**base, "budget": 10**30}, {**base, "budget": -1}, {**base, "ceilings": {"\x00": 1}},
        {**base, "ceilings": {"1.01": 10**30}}, {**base, "weights": {"cost": 1e308}},
        {**base, "rule": "\x00"}, {**base, "completion": "x" * 1000}, {**base, "region_edition": "\x00"},
        {**base, "government": "9" * 100}, {**base, "government": "32.15\x00"},
    ]
    raw = ['{"government": "32.15", "year": 2026, "weights": {"cost": NaN}}',
           '{"government": "32.15", "year": 2026, "weights": {"cost": Infinity}}', "{" * 10000, "\x00"]
    failures = []
    for body in [json.dumps(b) for b in bodies] + raw:
        response = client.post("/api/seleksi/runs", body, content_type="application/json")
        if response.status_code >= 500:
            failures.append((response.status_code, body[:200]))
    assert not failures, failures


def test_path_values_are_quoted_in_reverse() -> None:
    """Sanity: a real proposal number survives the token converter (reverse and resolve)."""
    from django.urls import resolve, reverse

    url = reverse("public:proposal", kwargs={"number": "3215-2026-DES-000001"})
    assert resolve(url).kwargs == {"number": "3215-2026-DES-000001"}
    assert quote("a b") == "a%20b"


def test_too_long_for_the_login_redirect_is_a_bahasa_400(client) -> None:
    """Anonymous, an address too long to carry to the login page: Django's 400, with our Bahasa page."""
    response = client.get("/usulan/", {"q": "x" * 20_000})
    assert response.status_code == 400
    assert STATUS_TITLES[400] in response.content.decode()


@pytest.mark.parametrize("value", ["²", "0", "abc", "99999999999999999999"])
def test_page_numbers_are_strict(client, django_user_model, value: str) -> None:
    client.force_login(django_user_model.objects.create_user("uji_halaman"))
    response = client.get("/referensi/wilayah/", {"q": "jawa", "halaman": value})
    assert response.status_code == 400 and "halaman" in response.content.decode()
