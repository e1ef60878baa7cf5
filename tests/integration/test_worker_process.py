"""The background-job worker as a real process: `selaras worker` on a file SQLite database.

One site (reference data, small demo district) in a temporary SELARAS_DATA_DIR; imports are
enqueued on the database backend by a subprocess and run by the worker. Then: a worker killed
with SIGKILL in the middle of writing leaves no proposal behind and, once restarted, marks the job
failed and removes its upload; and a cancel request stops a running import with nothing written.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLOW_ROWS = 6_000  # three batches of 2,000 in the write phase


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
            cwd=ROOT, env={**env, "SELARAS_IMPORT_TEST_DELAY": str(delay)}, text=True,
            stdout=subprocess.DEVNULL, stderr=handle)


def _log(env: dict[str, str]) -> str:
    return (Path(env["SELARAS_DATA_DIR"]) / "worker.log").read_text(encoding="utf-8")[-3000:]


def _status(data: Path, job: str) -> dict:
    try:
        return json.loads((data / "media" / "impor" / job / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _wait(data: Path, job: str, test, worker: subprocess.Popen[str], seconds: float = 40) -> dict:
    env = {"SELARAS_DATA_DIR": str(data)}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = _status(data, job)
        if test(status):
            return status
        assert worker.poll() is None, _log(env)
        time.sleep(0.05)
    raise AssertionError(f"job {job} stuck: {_status(data, job)}\n{_log(env)}")


def _stop(worker: subprocess.Popen[str]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _uploads(data: Path, job: str) -> list[str]:
    return [p.name for p in (data / "media" / "impor" / job).iterdir() if p.name.startswith("upload")]


def test_worker_runs_import_survives_kill_and_cancels(site):
    data, env = site
    worker = _worker(env)
    try:
        job = _run(env, "enqueue", "40")
        status = _wait(data, job, lambda s: s.get("state") in ("done", "failed"), worker)
        assert status["state"] == "done", status
        assert status["result"]["imported"] == 40 and status["pid"] == worker.pid
        assert _uploads(data, job) == []
    finally:
        _stop(worker)
    assert json.loads(_run(env, "count")) == {"proposals": 40, "decisions": 40}

    # kill -9 while the second batch is being written: the transaction never commits
    worker = _worker(env, delay=0.4)
    try:
        job = _run(env, "enqueue", str(SLOW_ROWS))
        _wait(data, job, lambda s: s.get("phase") == "simpan" and s.get("done", 0) >= 2_000, worker)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        _stop(worker)
    assert _status(data, job)["state"] == "running"
    assert json.loads(_run(env, "count")) == {"proposals": 40, "decisions": 40}

    # restart: the orphan is failed with a message, its upload removed; then a cancel
    worker = _worker(env, delay=0.4)
    try:
        failed = _wait(data, job, lambda s: s.get("state") == "failed", worker)
        assert failed["error"] == "Impor dihentikan karena server dimulai ulang; unggah ulang berkas."
        assert _uploads(data, job) == []
        job = _run(env, "enqueue", str(SLOW_ROWS))
        _wait(data, job, lambda s: s.get("phase") == "simpan" and s.get("done", 0) >= 2_000, worker)
        status_file = data / "media" / "impor" / job / "status.json"
        current = json.loads(status_file.read_text(encoding="utf-8"))
        status_file.write_text(json.dumps({**current, "cancel_requested": True}), encoding="utf-8")
        cancelled = _wait(data, job, lambda s: s.get("state") == "failed", worker)
        assert cancelled.get("cancelled") is True and "dibatalkan" in cancelled["error"]
        assert _uploads(data, job) == []
    finally:
        _stop(worker)
    assert json.loads(_run(env, "count")) == {"proposals": 40, "decisions": 40}


def test_memory_limit_in_the_worker_turns_a_huge_allocation_into_memory_error(monkeypatch):
    import resource

    from selaras.web.proposals.tasks import memory_limit

    before = resource.getrlimit(resource.RLIMIT_AS)
    monkeypatch.setenv("SELARAS_WORKER", "1")
    with pytest.raises(MemoryError), memory_limit(64):
        bytearray(1024 * 1024 * 1024)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    monkeypatch.delenv("SELARAS_WORKER")
    with memory_limit(64):  # outside the worker: no cap
        assert resource.getrlimit(resource.RLIMIT_AS) == before
