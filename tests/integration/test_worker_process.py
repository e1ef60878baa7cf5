"""The background-job worker as a real process: `selaras worker` on a file SQLite database.

One site (reference data, small demo district) in a temporary SELARAS_DATA_DIR; imports are
submitted as jobs (kind proposals.import) on the database backend by a subprocess and run by the
worker; the test reads the Job rows from the database file. Then: a worker killed with SIGKILL
in the middle of writing (its write transaction open) leaves no proposal behind and, once
restarted, marks the job failed with a message and removes its upload; and a cancel request stops
a running import with nothing written.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLOW_ROWS = 6_000  # three batches of 2,000 in the write phase
CANCEL_ROWS = 16_000  # four progress steps while the rows are checked (every 5,000), before any write


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("worker-site")
    env = {**os.environ, "SELARAS_DATA_DIR": str(data), "SELARAS_DATABASE_URL": "", "SELARAS_TASKS_BACKEND": "database",
           "SELARAS_DEBUG": "1"}  # as in the demo, where the worker once died on the autoreloader
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH", "")])])
    _run(env, "setup")
    return data, env


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "tests.integration.worker_site", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def _worker(env: dict[str, str], delay: float = 0.0) -> subprocess.Popen[str]:
    log = Path(env["SELARAS_DATA_DIR"]) / "worker.log"
    with open(log, "a", encoding="utf-8") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-c", "from selaras.cli import main; main()", "worker", "--interval", "0.2"],
            cwd=ROOT, env={**env, "SELARAS_JOB_TEST_DELAY": str(delay)}, text=True,
            stdout=subprocess.DEVNULL, stderr=handle)


def _log(data: Path) -> str:
    return (data / "worker.log").read_text(encoding="utf-8")[-3000:]


def _db(data: Path) -> Path:
    return data / "selaras.sqlite3"


def _job(data: Path, token: str) -> dict:
    """The job's row as the pages read it (the worker commits its progress outside the import's write)."""
    with contextlib.closing(sqlite3.connect(_db(data), timeout=10)) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT state, phase, done, total, cancel_requested, message, result, pid, kind "
                         "FROM jobs_job WHERE token = ?", [token]).fetchone()
    if row is None:
        return {}
    found = dict(row)
    found["result"] = json.loads(found["result"] or "{}")
    return found


def _write_locked(data: Path) -> bool:
    """Whether a write transaction is open on the database (the import writing its rows)."""
    with contextlib.closing(sqlite3.connect(_db(data), timeout=0, isolation_level=None)) as db:
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error):
                return True
            raise
        db.execute("ROLLBACK")
    return False


def _wait(data: Path, token: str, test, worker: subprocess.Popen[str], seconds: float = 60, read=None) -> dict:
    read = read or (lambda t: _job(data, t))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = read(token)
        if test(job):
            return job
        assert worker.poll() is None, _log(data)
        time.sleep(0.05)
    raise AssertionError(f"job {token} stuck: {_brief(read(token))}\n{_log(data)}")


def _wait_for_write(data: Path, token: str, worker: subprocess.Popen[str]) -> None:
    """Wait until the rows are checked and the import's write transaction has been open for a while
    (two probes 0.15 s apart: a progress update holds the lock for a millisecond only)."""
    _wait(data, token, lambda j: j.get("phase") == "Memeriksa baris" and j["total"] and j["done"] == j["total"],
          worker)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert worker.poll() is None, _log(data)
        if _write_locked(data):
            time.sleep(0.15)
            if _write_locked(data):
                return
        time.sleep(0.02)
    raise AssertionError(f"the write never started: {_brief(_job(data, token))}\n{_log(data)}")


def _brief(job: dict) -> dict:
    return {k: v for k, v in job.items() if k != "result"}


def _stop(worker: subprocess.Popen[str]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _uploads(data: Path, token: str) -> list[str]:
    folder = data / "media" / "tugas" / token
    return [p.name for p in folder.iterdir() if p.name.startswith("upload")] if folder.is_dir() else []


def test_worker_runs_import_survives_kill_and_cancels(site):
    from selaras.web.jobs.service import RESTART_MESSAGE

    data, env = site
    worker = _worker(env)
    try:
        token = _run(env, "enqueue", "40")
        job = _wait(data, token, lambda j: j.get("state") in ("done", "failed", "cancelled"), worker)
        assert job["state"] == "done", job
        assert job["kind"] == "proposals.import" and job["result"]["imported"] == 40 and job["pid"] == worker.pid
        assert job["message"] == "40 usulan diimpor."
        assert _uploads(data, token) == []
    finally:
        _stop(worker)
    assert json.loads(_run(env, "count")) == {"proposals": 40, "decisions": 40}

    # kill -9 while the rows are being written: the transaction never commits
    worker = _worker(env, delay=0.4)
    try:
        token = _run(env, "enqueue", str(SLOW_ROWS))
        assert _uploads(data, token) == ["upload.csv"]
        _wait_for_write(data, token, worker)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        _stop(worker)
    assert _job(data, token)["state"] == "running"
    assert json.loads(_run(env, "count")) == {"proposals": 40, "decisions": 40}

    # restart: the orphan is failed with a message, its upload removed; then a cancel
    worker = _worker(env, delay=0.4)
    try:
        failed = _wait(data, token, lambda j: j.get("state") == "failed", worker)
        assert failed["message"] == RESTART_MESSAGE
        assert _uploads(data, token) == []
        token = _run(env, "enqueue", str(CANCEL_ROWS))
        _wait(data, token, lambda j: j.get("phase") == "Memeriksa baris" and j["done"] < j["total"], worker)
        with contextlib.closing(sqlite3.connect(_db(data), timeout=10)) as db, db:
            db.execute("UPDATE jobs_job SET cancel_requested = 1 WHERE token = ?", [token])
        cancelled = _wait(data, token, lambda j: j.get("state") in ("done", "failed", "cancelled"), worker)
        assert cancelled["state"] == "cancelled" and "dibatalkan" in cancelled["message"], cancelled
        assert _uploads(data, token) == []
    finally:
        _stop(worker)

    # cancel while the rows are being written (the import holds SQLite's only write lock; slow
    # batches leave time to start the cancelling process): the button answers at once, the import
    # stops and keeps nothing
    worker = _worker(env, delay=3.0)
    try:
        token = _run(env, "enqueue", str(SLOW_ROWS))
        _wait_for_write(data, token, worker)
        assert json.loads(_run(env, "cancel", token))["seconds"] < 5
        cancelled = _wait(data, token, lambda j: j.get("state") in ("done", "failed", "cancelled"), worker)
        assert cancelled["state"] == "cancelled" and "dibatalkan" in cancelled["message"], cancelled
        assert not (data / "media" / "tugas" / token / "batal").exists()
        assert _uploads(data, token) == []
    finally:
        _stop(worker)
    assert json.loads(_run(env, "count")) == {"proposals": 40, "decisions": 40}


@pytest.fixture
def pg_site(tmp_path):
    """The same site on a database of its own on the PostgreSQL server of this run (CI's second pass)."""
    url = os.environ.get("SELARAS_DATABASE_URL", "")
    if not url:
        pytest.skip("PostgreSQL only (SELARAS_DATABASE_URL)")
    import psycopg

    parts = urlsplit(url)
    name = f"selaras_worker_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    site_url = urlunsplit(parts._replace(path=f"/{name}"))
    env = {**os.environ, "SELARAS_DATA_DIR": str(tmp_path), "SELARAS_DATABASE_URL": site_url,
           "SELARAS_TASKS_BACKEND": "database"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH", "")])])
    _run(env, "setup")
    try:
        with psycopg.connect(site_url, autocommit=True) as db:
            yield tmp_path, env, db
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_worker_on_postgresql_shows_the_write_and_cancels_or_dies_in_it(pg_site):
    """On PostgreSQL the progress of the write is seen while its transaction is open (a second
    connection), a cancel request is written at once and stops the write; kill -9 in the write
    keeps nothing and the restarted worker fails the job."""
    from selaras.web.jobs.service import RESTART_MESSAGE

    data, env, db = pg_site

    def read(token: str) -> dict:
        row = db.execute("SELECT state, phase, done, total, message FROM jobs_job WHERE token = %s", [token]).fetchone()
        return dict(zip(("state", "phase", "done", "total", "message"), row, strict=True)) if row else {}

    def writing(job: dict) -> bool:
        return job.get("phase") == "Menyimpan usulan" and job["done"] >= 2_000

    worker = _worker(env, delay=0.4)
    try:
        token = _run(env, "enqueue", str(SLOW_ROWS))
        _wait(data, token, writing, worker, read=read)
        started = time.monotonic()
        db.execute("UPDATE jobs_job SET cancel_requested = true WHERE token = %s", [token])
        assert time.monotonic() - started < 2  # not blocked by the import's open transaction
        cancelled = _wait(data, token, lambda j: j.get("state") not in ("queued", "running"), worker, read=read)
        assert cancelled["state"] == "cancelled" and "dibatalkan" in cancelled["message"], cancelled
        assert _uploads(data, token) == []
        assert json.loads(_run(env, "count")) == {"proposals": 0, "decisions": 0}

        token = _run(env, "enqueue", str(SLOW_ROWS))
        _wait(data, token, writing, worker, read=read)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        _stop(worker)
    assert read(token)["state"] == "running"
    assert json.loads(_run(env, "count")) == {"proposals": 0, "decisions": 0}
    worker = _worker(env)
    try:
        failed = _wait(data, token, lambda j: j.get("state") == "failed", worker, read=read)
        assert failed["message"] == RESTART_MESSAGE and _uploads(data, token) == []
    finally:
        _stop(worker)


def test_memory_limit_in_the_worker_turns_a_huge_allocation_into_memory_error(monkeypatch):
    import resource

    from selaras.web.jobs.limits import memory_limit

    before = resource.getrlimit(resource.RLIMIT_AS)
    monkeypatch.setenv("SELARAS_WORKER", "1")
    with pytest.raises(MemoryError), memory_limit(64):
        bytearray(1024 * 1024 * 1024)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    monkeypatch.delenv("SELARAS_WORKER")
    with memory_limit(64):  # outside the worker: no cap
        assert resource.getrlimit(resource.RLIMIT_AS) == before
