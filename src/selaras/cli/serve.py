"""`selaras serve`: run the web application with the production server (gunicorn + WhiteNoise).

Before the server starts: migrations are applied and the static files are collected into the
data directory (hashed names, gzip), which WhiteNoise then serves from every worker. The
process then *becomes* gunicorn (exec), so a service manager sees and signals gunicorn itself.
`--dev` runs Django's development server with DEBUG on instead. Either way one background-job
worker (`selaras worker`, imports) is started alongside and stops with the server.
"""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console

from selaras.cli import _django

console = Console(stderr=True)

#: Gunicorn's rule of thumb (2 × cores + 1), capped: each worker holds a copy of the app.
MAX_WORKERS = 8
#: One thread per process: gunicorn's sync workers, one request at a time each (the kernel hands a
#: new connection to a free process). Measured with benchmarks/web_load.py, 200 operators on 2
#: cores: 189.8 and 195.3 entries/s, against 164.4-172.0 with 5 x 4 gthread threads (threads of one
#: process share its interpreter lock, and the thread pool's hand-offs cost CPU). A buffering proxy
#: in front (nginx, docs/deploy.md) keeps slow clients away from the processes. More than one
#: thread (--threads, SELARAS_THREADS) runs gthread workers instead.
DEFAULT_THREADS = 1
#: Bytes of a request line gunicorn accepts (its maximum; the default is 4,094).
LIMIT_REQUEST_LINE = 8190

#: Seconds a request may take before gunicorn restarts the worker (large exports included).
REQUEST_TIMEOUT = 120
#: Seconds an idle client connection is kept open: none. A kept-alive connection stays with the
#: worker that accepted it, so a few busy workers hold the queue while others idle (measured with
#: benchmarks/web_load.py, 50 operators: 113 writes/s with keep-alive, 181 without); a TLS proxy
#: in front keeps its own connections to the browsers.
KEEP_ALIVE = 0


def default_workers(cores: int | None = None) -> int:
    """Workers for `cores` CPUs (the machine's when None): 2 × cores + 1, at most MAX_WORKERS."""
    count = cores if cores is not None else (os.cpu_count() or 1)
    return max(1, min(2 * count + 1, MAX_WORKERS))


def prepare_environment(*, debug: bool | None, collected: bool) -> None:
    """Set what settings read before Django starts (settings are read once, per process)."""
    if debug is not None:
        os.environ["SELARAS_DEBUG"] = "1" if debug else "0"
    if collected:
        os.environ["SELARAS_STATIC_COLLECTED"] = "1"


def gunicorn_arguments(host: str, port: int, workers: int, threads: int, access_log: bool) -> list[str]:
    """The gunicorn command line (without the interpreter)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    arguments = [
        "-m", "gunicorn", "selaras.web.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "sync" if threads <= 1 else "gthread", "--timeout", str(REQUEST_TIMEOUT), "--graceful-timeout", "30",
        "--keep-alive", str(KEEP_ALIVE),
        # gunicorn's largest request line: a pasted long address reaches the application (and
        # its page in Bahasa Indonesia) instead of gunicorn's own "Request Line is too large"
        "--limit-request-line", str(LIMIT_REQUEST_LINE),
        "--name", "selaras", "--error-logfile", "-",
    ]
    if access_log:
        arguments += ["--access-logfile", "-"]
    return arguments


def start_production_server(host: str, port: int, workers: int = 0, threads: int = 0,
                            access_log: bool = False) -> None:
    """Migrate, collect static files, then exec gunicorn. Django must not be set up yet."""
    prepare_environment(debug=None, collected=True)
    _django.migrate()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", interactive=False, verbosity=0)
    workers = workers or settings.SERVER_WORKERS or default_workers()
    threads = threads or settings.SERVER_THREADS or DEFAULT_THREADS
    connections.close_all()  # the workers open their own
    from selaras.cli.worker import start_alongside

    start_alongside()  # background jobs; it stops by itself when gunicorn (this pid after exec) ends
    mode = "DEBUG NYALA (hanya untuk demo/pengembangan)" if settings.DEBUG else "produksi (DEBUG mati)"
    console.print(f"Selaras: gunicorn di http://{host}:{port}/ · {workers} proses × {threads} utas · {mode}",
                  soft_wrap=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, *gunicorn_arguments(host, port, workers, threads, access_log)])


def serve(
    host: str = typer.Option("127.0.0.1", help="Alamat yang didengarkan."),
    port: int = typer.Option(8000, help="Port."),
    workers: int = typer.Option(0, help="Jumlah proses gunicorn (0: 2 × inti + 1, paling banyak 8; "
                                          "atau SELARAS_WORKERS)."),
    threads: int = typer.Option(0, help="Utas per proses (0: 1, atau SELARAS_THREADS; lebih dari 1: pekerja gthread)."),
    access_log: bool = typer.Option(False, "--access-log", help="Catat setiap permintaan ke keluaran."),
    dev: bool = typer.Option(False, "--dev", help="Server pengembangan Django (runserver) dengan DEBUG nyala."),
) -> None:
    """Jalankan aplikasi web: gunicorn + WhiteNoise (produksi), atau runserver dengan --dev."""
    if dev:
        prepare_environment(debug=True, collected=False)
        _django.migrate()
        from django.core.management import call_command

        from selaras.cli.worker import start_alongside

        console.print("[yellow]Mode pengembangan: runserver, DEBUG nyala.[/yellow]")
        job_worker = start_alongside()
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
        finally:
            job_worker.terminate()
            job_worker.wait(30)
        return
    start_production_server(host, port, workers, threads, access_log)
