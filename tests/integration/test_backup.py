"""`selaras backup` → wipe → `selaras restore` gives back the same rows (issue 13).

Runs the real commands in subprocesses against a database of its own, on the database kind
of this pass of the suite: a SQLite file in a temporary folder, or (when SELARAS_DATABASE_URL
names PostgreSQL) a scratch database created on that server and dropped afterwards. It loads the
small demo district and a selection run, takes the count and a sha256 over the sorted rows of
every table, backs up, wipes (SQLite: flush, then the file removed; PostgreSQL: the schema
dropped), restores and compares. It also checks the refusals: a file that is not a Selaras
backup, a backup of the other database kind, and a restore answered "no", each leaving the
database as it was.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

SUITE_URL = os.environ.get("SELARAS_DATABASE_URL", "")
ON_POSTGRES = urlparse(SUITE_URL).scheme in ("postgres", "postgresql")

CLI = "from selaras.cli import main; main()"
CHECKSUMS = """
import hashlib, json, django
django.setup()
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = sorted(repr(row) for row in cursor.fetchall())
        out[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
print(json.dumps(out))
"""
# The tables the issue names, which must hold rows for the round trip to mean something.
MUST_HOLD_ROWS = ("proposals_proposal", "proposals_decision", "proposals_historicalproposal",
                  "plans_localgovernment", "plans_renjaline", "selection_selectionrun",
                  "selection_outcomeblock", "reference_region", "auth_user", "accounts_membership")


def _server_url(database: str) -> str:
    parts = urlparse(SUITE_URL)
    return urlunparse(parts._replace(path=f"/{database}"))


@pytest.fixture
def database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment for the commands: a database of this test's own."""
    env = {**os.environ, "SELARAS_DATA_DIR": str(tmp_path / "data"), "SELARAS_AXES": "0",
           "DJANGO_SETTINGS_MODULE": "selaras.web.settings", "SELARAS_DATABASE_URL": ""}
    if not ON_POSTGRES:
        yield env
        return
    import psycopg

    name = f"selaras_backup_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "SELARAS_DATABASE_URL": _server_url(name)}
    finally:
        with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(env: dict[str, str], *args: str, code: str = CLI, stdin: str | None = None,
        ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                            input=stdin, timeout=300, check=False)
    if ok:
        assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result


def checksums(env: dict[str, str]) -> dict[str, list[object]]:
    data: dict[str, list[object]] = json.loads(run(env, code=CHECKSUMS).stdout)
    return data


def wipe(env: dict[str, str]) -> None:
    if ON_POSTGRES:
        import psycopg

        with psycopg.connect(env["SELARAS_DATABASE_URL"], autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    else:
        run(env, "flush", "--noinput", code="from django.core.management import execute_from_command_line as "
            "run; import sys; run(['django-admin', *sys.argv[1:]])")


def test_backup_wipe_restore_round_trip(database: dict[str, str], tmp_path: Path) -> None:
    env = database
    run(env, "demo", "generate", "--region", "32.15", "--scale", "small", "--seed", "1")
    run(env, "select", "run", "--government", "32.15", "--year", "2026", "--rule", "mes")
    before = checksums(env)
    for table in MUST_HOLD_ROWS:
        assert before[table][0] > 0, table

    archive = tmp_path / "selaras.cadangan"
    done = run(env, "backup", str(archive))
    assert "Cadangan" in done.stdout and archive.stat().st_size > 0
    assert archive.read_bytes()[:5] == (b"PGDMP" if ON_POSTGRES else b"SQLit")

    wipe(env)
    wiped = checksums(env)
    assert wiped.get("proposals_proposal", [0])[0] == 0

    # Refusals leave the database as it is.
    junk = tmp_path / "bukan-cadangan.bin"
    junk.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    refused = run(env, "restore", str(junk), "--yes", ok=False)
    assert refused.returncode == 1 and "bukan berkas cadangan Selaras" in refused.stderr
    other = tmp_path / "lain.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE catatan (id INTEGER PRIMARY KEY, isi TEXT)")
    refused = run(env, "restore", str(other), "--yes", ok=False)
    assert refused.returncode == 1
    assert ("cadangan SQLite" in refused.stderr) if ON_POSTGRES else ("bukan cadangan Selaras" in refused.stderr)
    if not ON_POSTGRES:
        fake_dump = tmp_path / "palsu.dump"
        fake_dump.write_bytes(b"PGDMP" + bytes(200))
        refused = run(env, "restore", str(fake_dump), "--yes", ok=False)
        assert refused.returncode == 1 and "cadangan PostgreSQL" in refused.stderr
    declined = run(env, "restore", str(archive), stdin="n\n", ok=False)
    assert declined.returncode == 1 and "Dibatalkan" in declined.stdout
    assert checksums(env) == wiped

    restored = run(env, "restore", str(archive), "--yes")
    assert "Pemulihan selesai" in restored.stdout
    assert checksums(env) == before

    if not ON_POSTGRES:
        # The database file gone altogether: the restore puts a checked copy in its place.
        live = Path(env["SELARAS_DATA_DIR"]) / "selaras.sqlite3"
        kept = sorted(live.parent.glob("selaras.sqlite3.sebelum-pulih-*"))
        assert len(kept) == 1  # the wiped database, kept beside it
        for path in [live, *live.parent.glob("selaras.sqlite3-*"), *kept]:
            path.unlink()
        run(env, "restore", str(archive), "--yes", "--no-keep")
        assert checksums(env) == before
        assert not list(live.parent.glob("selaras.sqlite3.sebelum-pulih-*"))


def test_sqlite_backup_is_a_consistent_snapshot_while_writes_go_on(tmp_path: Path) -> None:
    """The server keeps writing during `selaras backup`: the copy is whole and consistent (every
    transaction in it completely or not at all), and the writer is not held up."""
    import threading
    import time

    from selaras.cli.backup import MARKER_TABLES, backup_sqlite, restore_sqlite

    live = tmp_path / "hidup.sqlite3"
    with sqlite3.connect(live) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        for table in MARKER_TABLES:
            conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, isi BLOB)")
        conn.executemany("INSERT INTO proposals_proposal (isi) VALUES (?)", [(bytes(400),)] * 40_000)
        conn.executemany("INSERT INTO proposals_decision (isi) VALUES (?)", [(bytes(400),)] * 40_000)
    stop = threading.Event()
    commits = [0]

    def writer() -> None:  # each transaction adds one proposal and its decision
        conn = sqlite3.connect(live, timeout=30, isolation_level=None)
        conn.execute("PRAGMA synchronous = OFF")
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO proposals_proposal (isi) VALUES (x'01')")
            conn.execute("INSERT INTO proposals_decision (isi) VALUES (x'01')")
            conn.execute("COMMIT")
            commits[0] += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while commits[0] < 20:
            time.sleep(0.01)
        before = commits[0]
        copy = tmp_path / "salinan.sqlite3"
        backup_sqlite(live, copy, lambda message: None)
        during = commits[0] - before
    finally:
        stop.set()
        thread.join()
    assert during > 0  # the writer kept committing while the copy was made
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        proposals = conn.execute("SELECT count(*) FROM proposals_proposal").fetchone()[0]
        decisions = conn.execute("SELECT count(*) FROM proposals_decision").fetchone()[0]
    assert proposals == decisions and proposals >= 40_020
    # and back: the restored database holds exactly the snapshot
    restore_sqlite(copy, live, lambda message: None, keep_previous=False)
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT count(*) FROM proposals_proposal").fetchone()[0] == proposals
        assert conn.execute("SELECT count(*) FROM proposals_decision").fetchone()[0] == decisions
