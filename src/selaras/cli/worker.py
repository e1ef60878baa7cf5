"""`selaras worker`: the background-job process (django-tasks' database worker).

On start, jobs left queued or running by a worker that died (a restart, a kill) are marked
failed with a message and their uploads removed; then `db_worker` runs tasks as they are
enqueued. `selaras serve` and `selaras demo up` start one worker alongside the web server
(`start_alongside`); it stops when the server stops.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import typer
from rich.console import Console

from selaras.cli import _django

console = Console(stderr=True)


def _follow_parent(parent: int) -> None:
    """Stop this worker (gracefully, SIGTERM) once `parent` is gone: the server it served stopped."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True, name="selaras-parent-watch").start()


def worker(
    interval: float = typer.Option(1.0, help="Detik antara pemeriksaan antrean."),
    max_tasks: int = typer.Option(0, help="Berhenti sesudah sekian tugas (0: tidak pernah)."),
    parent: int = typer.Option(0, hidden=True, help="Berhenti bila proses ini berakhir."),
) -> None:
    """Jalankan proses tugas latar (impor, ekspor, seleksi, dokumen) dari antrean di basis data."""
    os.environ["SELARAS_WORKER"] = "1"
    os.environ.setdefault("SELARAS_TASKS_BACKEND", "database")
    _django.migrate()
    from django.core.management import call_command

    from selaras.web.jobs.service import recover_orphans

    recovered = recover_orphans()
    if recovered:
        console.print(f"{recovered} tugas latar yang terhenti ditandai gagal; berkas unggahannya dihapus.")
    if parent:
        _follow_parent(parent)
    console.print(f"Selaras: proses tugas latar berjalan (pid {os.getpid()}).")
    sys.stderr.flush()
    # Never the autoreloader (its default follows DEBUG, which the demo turns on): it restarts
    # the process from argv, which a worker started by `selaras serve` does not have as a script.
    arguments = ["--interval", str(interval), "--no-startup-delay", "--no-reload"]
    if max_tasks:
        arguments += ["--max-tasks", str(max_tasks)]
    call_command("db_worker", *arguments)


def start_alongside() -> subprocess.Popen[bytes]:
    """Start `selaras worker` as a child that stops when this process (or what it execs) ends."""
    command = [sys.executable, "-c", "from selaras.cli import main; main()", "worker", "--parent", str(os.getpid())]
    return subprocess.Popen(command, env={**os.environ, "SELARAS_TASKS_BACKEND": "database"})
