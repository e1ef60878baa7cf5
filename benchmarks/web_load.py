"""Writes that hold under load: logged-in operators creating proposals through the real web form.

    python benchmarks/web_load.py [--operators 50,200] [--seconds 60] [--rate 150] [--sqlite-writers 20]
        [--modes saturated,paced,ceiling] [--conn-max-age SECONDS (a variant)] [--no-postgresql]

Loopback only, bounded (a fixed number of clients for a fixed time; every server and database
it starts is stopped at the end). Prints one JSON object.

What it does, per database:
- PostgreSQL: a throw-away 15 cluster (scripts/pg_cluster.py); the production server
  `selaras serve` (gunicorn, default workers and threads) on a free 127.0.0.1 port.
- A small demo district (Karawang, seed 1), the entry windows of the planning year open, and
  max(--operators) village operators ("beban000"...) spread over its villages, each with a
  session made directly in the database (no password hashing in the measured time).
- For each operator count N, three runs of --seconds each:
  * "saturated": N clients each posting the new-proposal form (CSRF token, POST /usulan/baru/)
    back to back: the capacity in writes/s (latency then follows from N / throughput);
  * "paced": the same N clients aiming at --rate writes/s in total (an operator who submits,
    then fills in the next form): the latency at that rate;
  * "ceiling": N clients posting to a bare view that inserts one row (same server, middleware,
    session and CSRF; a URL that exists only in this benchmark's settings module, never in the
    product): our saturated throughput as a ratio of it.
  Counted: successes (302 to the proposal), refusals (any other answer, by status), failures
  (exceptions: connection closed, timeout), rows stored by the run (must equal successes),
  numbers distinct and without gaps, writes/s, latency p50/p95/p99.
- SQLite (the default database, a file in WAL): --sqlite-writers clients saturated: zero 500s,
  zero lost.
- One create request profiled in-process (Django test client): queries by kind, time in SQL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from pg_cluster import throwaway_cluster  # noqa: E402

REGION, SCALE, SEED = "32.15", "small", 1
BENCH_PATH = "/uji-beban/tulis/"
FORM_PATH = "/usulan/baru/"

SETTINGS_MODULE = '''
from selaras.web.settings import *  # noqa: F401,F403

ROOT_URLCONF = "web_load_urls"
'''

URLS_MODULE = '''
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpResponseRedirect
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST


@require_POST
@login_required
def write_one_row(request):
    """The ceiling: one INSERT in a transaction, behind the same middleware, session and CSRF."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (user_id, title, created_at) VALUES (%s, %s, %s)",
                       [request.user.pk, request.POST.get("title", "")[:300], timezone.now()])
    return HttpResponseRedirect("/usulan/")


urlpatterns = [path("uji-beban/tulis/", write_one_row), path("", include("selaras.web.urls"))]
'''


# --- inside Django (subprocesses with the benchmark's settings) --------------------------------

def _django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "web_load_settings"
    import django

    django.setup()


def prepare(operators: int) -> dict[str, Any]:
    """Migrate, load the district, make the operators and their sessions, profile one create."""
    _django()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from selaras.demo import generate_district
    from selaras.domain.proposals import Channel, Stage
    from selaras.web.accounts.models import Membership
    from selaras.web.demo.loader import demo_government, load_district
    from selaras.web.proposals.models import Proposal, StageWindow
    from selaras.web.proposals.windows import planning_year
    from selaras.web.reference.models import Region
    from selaras.web.reference.services import load_reference

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.exists():
        load_reference()
    government = demo_government(REGION) or load_district(generate_district(REGION, SCALE, SEED))
    year = planning_year()
    now = timezone.now()
    for stage in Stage:
        StageWindow.objects.update_or_create(government=government, year=year, stage=stage.value, defaults={
            "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=30),
            "closed_manually": False, "closed_at": None})
    villages = sorted(set(Proposal.objects.filter(government=government, channel=Channel.VILLAGE_MUSRENBANG.value)
                          .exclude(village_code="").values_list("village_code", flat=True)))
    user_model = get_user_model()
    sessions = []
    for i in range(operators):
        user, _ = user_model.objects.get_or_create(username=f"beban{i:03d}", defaults={"first_name": f"Operator {i}"})
        Membership.objects.get_or_create(user=user, defaults={
            "government": government, "role": "village_operator", "region_code": villages[i % len(villages)]})
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    table = ("id bigserial PRIMARY KEY" if connection.vendor == "postgresql"
             else "id integer PRIMARY KEY AUTOINCREMENT")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS bench_row ({table}, user_id bigint NOT NULL, "
                       "title varchar(300) NOT NULL, created_at timestamp with time zone NOT NULL)")
    return {"sessions": sessions, "year": year, "villages": len(villages), "government_id": government.pk,
            "prepare_s": round(time.perf_counter() - started, 1), "profile": profile(year)}


def profile(year: int) -> dict[str, Any]:
    """One create request through the form, in-process: queries by kind and where the time goes."""
    import cProfile
    import pstats
    from collections import Counter

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="beban000"))
    client.get(FORM_PATH)  # warm: templates, first queries
    plain = []
    for k in range(4):  # the first one warms up; the median of the others without the profiler
        started = time.perf_counter()
        client.post(FORM_PATH, _form(year, f"Profil {k}"))
        plain.append(time.perf_counter() - started)
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        profiler.enable()
        response = client.post(FORM_PATH, _form(year, "Profil 9"))
        profiler.disable()
        elapsed = time.perf_counter() - started
    kinds: Counter[str] = Counter()
    for query in queries.captured_queries:
        sql = query["sql"]
        verb = sql.split(None, 1)[0].upper()
        match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_]+)"?', sql, re.I)
        kinds[f"{verb} {match.group(1) if match else ''}".strip()] += 1
    stats = pstats.Stats(profiler)
    spent = {}
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if name in {"create_proposal", "check_can", "ensure_stage_open", "check_entry", "_apply_state", "_record",
                    "next_number", "is_valid", "render", "save", "_replay", "_sync_renja"} and "selaras" in filename \
                or name in {"render"} and "django/shortcuts" in filename:
            key = f"{Path(filename).stem}.{name}"
            spent[key] = round(spent.get(key, 0.0) + row[3] * 1000, 2)  # cumulative ms
    errors = re.findall(r'class="errorlist[^"]*"[^>]*>\s*<li>([^<]+)', response.content.decode())
    return {"status": response.status_code, "errors": errors[:3], "ms": round(statistics.median(plain[1:]) * 1000, 1),
            "ms_under_profiler": round(elapsed * 1000, 1), "queries": len(queries),
            "sql_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1),
            "by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1])), "cumulative_ms": spent}


def count(tag: str) -> dict[str, Any]:
    """What one run left in the database."""
    _django()
    from django.db import connection

    from selaras.web.proposals.models import Decision, Proposal

    rows = Proposal.objects.filter(title__startswith=f"Beban {tag} ")
    numbers = list(rows.values_list("number", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_row WHERE title LIKE %s", [f"Beban {tag} %"])
        bench_rows = cursor.fetchone()[0]
    every = sorted(int(n.rsplit("-", 1)[1]) for n in Proposal.objects.filter(
        number__startswith=numbers[0].rsplit("-", 1)[0] + "-").values_list("number", flat=True)) if numbers else []
    return {"proposals": len(numbers), "distinct_numbers": len(set(numbers)),
            "decisions": Decision.objects.filter(proposal__in=rows).count(), "bench_rows": bench_rows,
            "series_gap_free": every == list(range(1, len(every) + 1))}


# --- the load client (plain http.client, one connection per operator, keep-alive) -------------

def _form(year: int, title: str) -> dict[str, str]:
    return {"channel": "musrenbang_village", "year": str(year), "title": title,
            "description": "Jalan rusak, dilalui anak sekolah.", "address": "RT 01 RW 02", "volume": "120",
            "unit": "m", "estimated_cost": "150000000", "priority_rank": "1"}


class Operator:
    def __init__(self, port: int, session: str) -> None:
        self.port, self.session = port, session
        self.cookies = {"sessionid": session}
        self.connection: http.client.HTTPConnection | None = None
        self.token = ""
        self.reconnects = 0

    def _request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (0, 1):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server had closed before reading the request.
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
                self.reconnects += 1
                continue
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return response.status, dict(response.getheaders()), content
        raise AssertionError("unreachable")

    def start(self) -> None:
        status, _, content = self._request("GET", FORM_PATH)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or found is None:
            raise RuntimeError(f"form page answered {status}")
        self.token = found.group(1).decode()

    def post(self, path: str, fields: dict[str, str]) -> int:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, **fields})
        status, headers, _ = self._request("POST", path, body)
        if status == 302 and path == FORM_PATH and "/usulan/" not in headers.get("Location", ""):
            return -status  # redirected elsewhere (e.g. to the login page): not a write
        # A browser follows the redirect, and the page it lands on shows (and so clears) the
        # "Usulan ... tersimpan" message; without this the message cookie would pile up.
        self.cookies.pop("messages", None)
        return status

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _machine_cpu() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores so far (/proc/stat; zeros where it does not exist)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def _sample_database(url: str, until: float, out: dict[str, int]) -> None:
    """Every 0.2 s: what each server connection of the database is doing (state and wait event).
    'idle in transaction: Client/ClientRead' = waiting for Python; 'active: Lock/...' = waiting for
    a row lock (e.g. the number counter); 'active: -' = running a statement."""
    import psycopg

    parts = urllib.parse.urlparse(url)
    with psycopg.connect(host=parts.hostname, port=parts.port, user=parts.username or "postgres",
                         dbname=parts.path.lstrip("/"), autocommit=True) as connection:
        while time.perf_counter() < until:
            for state, kind, event in connection.execute(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"):
                key = f"{state}: {kind or '-'}/{event or '-'}"
                out[key] = out.get(key, 0) + 1
            out["_samples"] = out.get("_samples", 0) + 1
            time.sleep(0.2)


def load(port: int, sessions: list[str], year: int, *, seconds: float, tag: str, path: str,
         rate: float = 0.0, sample_url: str = "") -> dict[str, Any]:
    """len(sessions) operators posting for `seconds`; `rate` > 0 paces them to that many writes/s
    in total (each operator sends on its own schedule, at once when late)."""
    n = len(sessions)
    operators = [Operator(port, key) for key in sessions]
    latencies: list[list[float]] = [[] for _ in range(n)]
    statuses: list[dict[int, int]] = [{} for _ in range(n)]
    failures: list[list[str]] = [[] for _ in range(n)]
    window: dict[str, float] = {}

    def open_window() -> None:  # once every operator has its form (GET) and waits: the clock starts
        window["start"] = time.perf_counter() + 0.5
        window["end"] = window["start"] + seconds

    ready = threading.Barrier(n + 1, action=open_window)

    def run(i: int) -> None:
        operator = operators[i]
        try:
            operator.start()
        except Exception as exc:  # noqa: BLE001 - counted
            failures[i].append(f"start: {exc!r}")
        ready.wait()
        if failures[i]:
            return
        interval = n / rate if rate > 0 else 0.0
        due = window["start"] + (interval * i / n)
        k = 0
        while True:
            now = time.perf_counter()
            if now >= window["end"]:
                break
            if due > now:
                time.sleep(min(due - now, window["end"] - now))
                continue
            fields = _form(year, f"Beban {tag} {i:03d}-{k:05d}")
            k += 1
            sent = time.perf_counter()
            try:
                status = operator.post(path, fields)
            except Exception as exc:  # noqa: BLE001 - counted
                failures[i].append(repr(exc))
                operator.connection = None
            else:
                latencies[i].append(time.perf_counter() - sent)
                statuses[i][status] = statuses[i].get(status, 0) + 1
            due += interval
        operator.close()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    ready.wait()
    cpu_before, machine_before = resource.getrusage(resource.RUSAGE_SELF), _machine_cpu()
    sampled: dict[str, int] = {}
    sampler = None
    if sample_url:
        sampler = threading.Thread(target=_sample_database, args=(sample_url, window["end"], sampled), daemon=True)
        sampler.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    if sampler is not None:
        sampler.join(timeout=10)
    elapsed = time.perf_counter() - window["start"]
    cpu_after, machine_after = resource.getrusage(resource.RUSAGE_SELF), _machine_cpu()
    client_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    busy = [after - before for before, after in zip(machine_before, machine_after, strict=True)]
    merged: dict[int, int] = {}
    for s in statuses:
        for status, c in s.items():
            merged[status] = merged.get(status, 0) + c
    all_latencies = sorted(x for xs in latencies for x in xs)
    successes = merged.get(302, 0)
    errors = [e for fs in failures for e in fs]
    return {
        "operators": n, "seconds": round(elapsed, 1), "target_rate": rate or None,
        "successes": successes,
        "refused": sum(c for status, c in merged.items() if status != 302),
        "refused_by_status": {str(k): v for k, v in sorted(merged.items()) if k != 302},
        "failed": len(errors), "failure_examples": sorted(set(errors))[:3],
        "reconnects": sum(o.reconnects for o in operators),
        "writes_per_s": round(successes / elapsed, 1),
        "p50_ms": round(_percentile(all_latencies, 50) * 1000, 1),
        "p95_ms": round(_percentile(all_latencies, 95) * 1000, 1),
        "p99_ms": round(_percentile(all_latencies, 99) * 1000, 1),
        "max_ms": round((all_latencies[-1] if all_latencies else 0) * 1000, 1),
        "mean_ms": round(statistics.fmean(all_latencies) * 1000, 1) if all_latencies else 0.0,
        # CPU of the whole machine (both cores: 1.0 = all busy) and the load client's share of it
        "machine_cpu_busy": round(busy[0] / busy[1], 2) if busy[1] else None,
        "load_client_cpu_share": round(client_cpu / (busy[0] / os.sysconf("SC_CLK_TCK")), 2) if busy[0] else None,
        **({"db_connections_busy_avg": {k: round(v / sampled["_samples"], 1) for k, v in
                                        sorted(sampled.items(), key=lambda kv: -kv[1]) if k != "_samples"}}
           if sampled.get("_samples") else {}),
    }


# --- orchestration ----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Site:
    """The benchmark's settings and URL modules in a temporary folder, and the environment.
    `conn_max_age` (a variant, not the product's setting) keeps database connections open."""

    def __init__(self, base: Path, database_url: str, conn_max_age: int | None = None) -> None:
        self.base = base
        (base / "site").mkdir(parents=True, exist_ok=True)
        settings = SETTINGS_MODULE
        if conn_max_age is not None:
            settings += f'\nDATABASES["default"]["CONN_MAX_AGE"] = {int(conn_max_age)}\n'
        (base / "site" / "web_load_settings.py").write_text(settings, encoding="utf-8")
        (base / "site" / "web_load_urls.py").write_text(URLS_MODULE, encoding="utf-8")
        self.env = {**os.environ, "SELARAS_DATABASE_URL": database_url, "SELARAS_DATA_DIR": str(base / "data"),
                    "DJANGO_SETTINGS_MODULE": "web_load_settings", "SELARAS_DEBUG": "0",
                    "PYTHONPATH": os.pathsep.join([str(base / "site"), os.environ.get("PYTHONPATH", "")])}

    def call(self, *args: str) -> Any:
        out = subprocess.run([sys.executable, __file__, *args], env=self.env, check=True, capture_output=True,
                             text=True, timeout=900)
        return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    """`selaras serve` (the production server) on a free loopback port, stopped on exit."""

    def __init__(self, site: Site) -> None:
        self.port = _free_port()
        selaras = Path(sys.executable).with_name("selaras")
        self.log = open(site.base / f"server-{self.port}.log", "w+b")  # noqa: SIM115
        self.process = subprocess.Popen([str(selaras), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                        env=site.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server stopped: " + self.tail())
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/sehat/")
                if connection.getresponse().status in (200, 404):
                    connection.close()
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("server did not answer: " + self.tail())
        self.first_line = self.tail().strip().splitlines()[0] if self.tail().strip() else ""

    def tail(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # gunicorn and its workers: our own group
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def _create_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    with psycopg.connect(host=parts.hostname, port=parts.port, user=parts.username or "postgres",
                         dbname="postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {parts.path.lstrip('/')}")


def _checked(run: dict[str, Any], counted: dict[str, Any], ceiling: bool = False) -> dict[str, Any]:
    stored = counted["bench_rows"] if ceiling else counted["proposals"]
    run["rows"] = stored
    run["rows_equal_successes"] = stored == run["successes"]
    if not ceiling:
        run["numbers_distinct"] = counted["distinct_numbers"] == stored
        run["decisions"] = counted["decisions"]
        run["series_gap_free"] = counted["series_gap_free"]
    return run


def bench_database(label: str, database_url: str, base: Path, operator_counts: list[int], seconds: float,
                   rate: float, modes: tuple[str, ...], conn_max_age: int | None = None) -> dict[str, Any]:
    site = Site(base, database_url, conn_max_age)
    prepared = site.call("_prepare", str(max(operator_counts)))
    server = Server(site)
    out: dict[str, Any] = {"server": server.first_line, "villages": prepared["villages"],
                           "prepare_s": prepared["prepare_s"], "profile_one_create": prepared["profile"], "runs": {}}
    try:
        for n in operator_counts:
            sessions = prepared["sessions"][:n]
            runs: dict[str, Any] = {}
            for mode in modes:
                tag = f"{label}{n}{mode[0]}"
                ceiling = mode == "ceiling"
                run = load(server.port, sessions, prepared["year"], seconds=seconds, tag=tag,
                           path=BENCH_PATH if ceiling else FORM_PATH, rate=rate if mode == "paced" else 0.0,
                           sample_url=database_url)
                runs[mode] = _checked(run, site.call("_count", tag), ceiling)
                print(f"# {label} {n} {mode}: {json.dumps(runs[mode])}", file=sys.stderr, flush=True)
            if "ceiling" in runs and "saturated" in runs and runs["ceiling"]["writes_per_s"]:
                runs["ratio_to_ceiling"] = round(runs["saturated"]["writes_per_s"] / runs["ceiling"]["writes_per_s"], 2)
            out["runs"][str(n)] = runs
    finally:
        server.stop()
    errors = [line for line in server_log_lines(base) if "Traceback" in line or " 500 " in line][:5]
    out["server_errors_logged"] = errors
    return out


def server_log_lines(base: Path) -> list[str]:
    lines: list[str] = []
    for log in base.glob("server-*.log"):
        lines += log.read_text(errors="replace").splitlines()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operators", default="50,200", help="operator counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=150.0, help="paced runs: writes/s in total")
    parser.add_argument("--sqlite-writers", type=int, default=20, help="0 skips the SQLite run")
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--modes", default="saturated,paced,ceiling", help="PostgreSQL runs per operator count")
    parser.add_argument("--conn-max-age", type=int, default=None,
                        help="variant: keep database connections open (CONN_MAX_AGE); default: the product's")
    args = parser.parse_args()
    counts = [int(x) for x in args.operators.split(",") if x.strip()]
    if not 0 < max(counts) <= 400 or not 0 < args.seconds <= 600:
        parser.error("at most 400 operators and 600 seconds per run")
    started = time.perf_counter()
    result: dict[str, Any] = {"benchmark": "web_load", "cores": os.cpu_count(), "seconds_per_run": args.seconds,
                              "paced_rate": args.rate, "district": f"{REGION} {SCALE} seed {SEED}",
                              "conn_max_age": args.conn_max_age, "load_average_at_start": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="selaras-web-load-") as tmp:
        if not args.no_postgresql:
            with throwaway_cluster() as url:
                _create_database(url)
                result["postgresql"] = bench_database("pg", url, Path(tmp) / "pg", counts, args.seconds, args.rate,
                                                      tuple(args.modes.split(",")), args.conn_max_age)
        if args.sqlite_writers:
            result["sqlite"] = bench_database("sq", "", Path(tmp) / "sqlite", [args.sqlite_writers], args.seconds,
                                              args.rate, ("saturated",), args.conn_max_age)
    result["total_s"] = round(time.perf_counter() - started, 1)
    result["load_average_at_end"] = os.getloadavg()
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_prepare":
        print(json.dumps(prepare(int(sys.argv[2]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "_count":
        print(json.dumps(count(sys.argv[2])))
    else:
        main()
