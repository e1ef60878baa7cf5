"""`selaras serve` is the production server: gunicorn + WhiteNoise, DEBUG off, a kept secret key.

Runs the real command in a subprocess with a clean environment (nothing from the test session
leaks in), on a free loopback port and a temporary data directory, then stops it.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from selaras.cli.serve import DEFAULT_THREADS, MAX_WORKERS, default_workers, gunicorn_arguments

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Only what a fresh shell would have, plus the data directory and `extra`."""
    env = {"PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin", "HOME": str(data_dir), "LANG": "C.UTF-8",
           "SELARAS_DATA_DIR": str(data_dir)}
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    port: int
    data_dir: Path
    process: subprocess.Popen[bytes]

    def get(self, path: str, host: str = "127.0.0.1") -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": host})
            response = connection.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()


def settings_of(data_dir: Path, **extra: str) -> dict[str, object]:
    """Settings as a fresh process reads them (clean environment)."""
    code = ("import json, django; from django.conf import settings as s; django.setup(); "
            "print(json.dumps({k: getattr(s, k, None) for k in ('DEBUG', 'SECRET_KEY', 'ALLOWED_HOSTS', "
            "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', "
            "'CSRF_TRUSTED_ORIGINS')}))")
    env = clean_env(data_dir, DJANGO_SETTINGS_MODULE="selaras.web.settings", **extra)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=data_dir, timeout=120)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("serve")
    port = free_port()
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "selaras"), "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=clean_env(data_dir), stdout=log, stderr=subprocess.STDOUT, cwd=data_dir, start_new_session=True)
    running = Server(port, data_dir, process)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                pytest.fail("selaras serve stopped: " + (data_dir / "server.log").read_text(errors="replace"))
            try:
                if running.get("/sehat/").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("selaras serve did not answer /sehat/: "
                            + (data_dir / "server.log").read_text(errors="replace"))
            time.sleep(0.3)
        yield running
    finally:
        process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop (the process *is* gunicorn)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def test_health_is_ok_without_login(server: Server) -> None:
    answer = server.get("/sehat/")
    assert answer.status == 200 and json.loads(answer.body) == {"status": "ok", "database": "ok"}
    assert answer.headers["server"].startswith("gunicorn")


def test_pages_come_with_security_headers(server: Server) -> None:
    answer = server.get("/masuk/")
    assert answer.status == 200 and b"<form" in answer.body
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in answer.headers  # plain HTTP: no HSTS


def test_static_files_are_served_hashed_and_cached(server: Server) -> None:
    page = server.get("/masuk/").body.decode()
    found = re.search(r'href="(/static/selaras/selaras\.[0-9a-f]{12}\.css)"', page)
    assert found, "the stylesheet is referenced by its hashed name (collectstatic ran)"
    css = server.get(found.group(1))
    assert css.status == 200 and b"htmx-indicator" in css.body
    assert "immutable" in css.headers["cache-control"]
    assert server.get("/static/selaras/htmx.min.js").status == 200


def test_api_docs_load_from_our_own_server(server: Server) -> None:
    docs = server.get("/api/docs")
    html = docs.body.decode()
    assert docs.status == 200
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any("swagger-ui-bundle" in a for a in assets)
    for asset in assets:
        assert server.get(asset).status == 200, asset


def test_errors_show_no_debug_information(server: Server) -> None:
    missing = server.get("/tidak-ada-halaman-ini/")
    assert missing.status == 404
    assert b"URLconf" not in missing.body and b"[name=" not in missing.body and b"Traceback" not in missing.body
    api_missing = server.get("/api/tidak-ada")
    assert api_missing.status == 404 and b"Traceback" not in api_missing.body
    pasted = server.get("/publik/?nomor=" + "3216" * 1250)  # 5,000 characters pasted into the tracker
    assert pasted.status in (200, 400) and b"Request Line" not in pasted.body and b"Traceback" not in pasted.body
    assert b'lang="id"' in pasted.body
    bad_host = server.get("/masuk/", host="penyerang.example")
    assert bad_host.status == 400
    assert b"ALLOWED_HOSTS" not in bad_host.body and b"DisallowedHost" not in bad_host.body


def test_secret_key_was_generated_and_kept_private(server: Server) -> None:
    key_file = server.data_dir / "secret_key"
    assert key_file.exists() and len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_settings_default_to_production(tmp_path: Path) -> None:
    first = settings_of(tmp_path)
    assert first["DEBUG"] is False
    assert first["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]  # no "testserver"
    assert first["SESSION_COOKIE_SECURE"] is False and first["SECURE_HSTS_SECONDS"] == 0
    assert settings_of(tmp_path)["SECRET_KEY"] == first["SECRET_KEY"]  # reused, not regenerated
    given = settings_of(tmp_path, SELARAS_SECRET_KEY="k" * 40)
    assert given["SECRET_KEY"] == "k" * 40


def test_https_turns_on_hsts_and_secure_cookies(tmp_path: Path) -> None:
    seen = settings_of(tmp_path, SELARAS_HTTPS="1", SELARAS_ALLOWED_HOSTS="selaras.bekasikab.go.id",
                       SELARAS_CSRF_TRUSTED_ORIGINS="https://selaras.bekasikab.go.id")
    assert seen["SESSION_COOKIE_SECURE"] is True and seen["CSRF_COOKIE_SECURE"] is True
    assert seen["SECURE_HSTS_SECONDS"] == 31_536_000
    assert seen["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert seen["ALLOWED_HOSTS"] == ["selaras.bekasikab.go.id"]
    assert seen["CSRF_TRUSTED_ORIGINS"] == ["https://selaras.bekasikab.go.id"]


def test_debug_only_when_asked(tmp_path: Path) -> None:
    assert settings_of(tmp_path, SELARAS_DEBUG="1")["DEBUG"] is True


def test_workers_are_sized_to_the_cores() -> None:
    assert default_workers(1) == 3 and default_workers(2) == 5 and default_workers(64) == MAX_WORKERS
    arguments = gunicorn_arguments("::1", 9000, 3, 4, access_log=False)
    assert arguments[arguments.index("--bind") + 1] == "[::1]:9000"
    assert arguments[arguments.index("--worker-class") + 1] == "gthread"  # threads asked for
    single = gunicorn_arguments("127.0.0.1", 9000, 5, DEFAULT_THREADS, access_log=False)
    assert DEFAULT_THREADS == 1 and single[single.index("--worker-class") + 1] == "sync"
    assert arguments[arguments.index("--keep-alive") + 1] == "0"  # no connection stays with one busy worker
