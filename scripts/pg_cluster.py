"""Start and stop a throw-away PostgreSQL 15 cluster for tests.

PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_cluster_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(args)]


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Yield a database URL for a fresh cluster; remove the cluster afterwards."""
    if not (PG_BIN / "initdb").exists():
        raise SystemExit(f"PostgreSQL 15 tidak ditemukan di {PG_BIN}")
    base = Path(tempfile.mkdtemp(prefix="selaras-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run(
            _as_cluster_user([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust",
                              "-U", "postgres", "-E", "UTF8", "--no-sync"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run(
            _as_cluster_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l",
                              str(base / "log"), "-o", f"'{opts}'", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/selaras"
    finally:
        subprocess.run(
            _as_cluster_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(base, ignore_errors=True)
