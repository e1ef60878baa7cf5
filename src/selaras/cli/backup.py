"""`selaras backup FILE` and `selaras restore FILE`: a copy of the whole database and back.

SQLite (the embedded default): the online backup API copies a consistent snapshot while the
server keeps running; the copy is checked (`PRAGMA integrity_check`) and marked as a Selaras
backup (`PRAGMA application_id`) before it is renamed into place. Restore checks the file the
same way, copies it to a temporary database beside the live one, checks that copy, and then
replaces the live database: by an atomic rename when none exists yet, else through the backup
API into the live database in one transaction (safe in WAL mode and while the server runs:
other connections see the old database or the new one, never a mix). The database as it was
before the restore is kept beside it (`<name>.sebelum-pulih-<time>`) unless `--no-keep`.

PostgreSQL: `pg_dump -Fc` into a temporary file, then a rename; restore with
`pg_restore --clean --if-exists --single-transaction` (all or nothing). The connection comes from
SELARAS_DATABASE_URL; the password goes to the tools through PGPASSWORD, never on the command
line. Both directions refuse a file that is not a Selaras backup, or one made from the other
kind of database.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from selaras.cli import _django

#: Marks a SQLite file as a Selaras backup (the header's application id: "SLRS").
APPLICATION_ID = 0x534C5253
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
#: Tables a database must hold to be taken for a Selaras database.
MARKER_TABLES = ("django_migrations", "proposals_proposal", "proposals_decision", "plans_localgovernment")
PAGES_PER_STEP = 1024

Report = Callable[[str], None]


class BackupError(Exception):
    """A refusal with its message in Bahasa Indonesia (printed as is by the commands)."""


# --- SQLite ---------------------------------------------------------------------------------------


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    return sqlite3.connect(str(path), timeout=30)


def _require_intact(conn: sqlite3.Connection, refusal: str) -> None:
    """Raise BackupError (`refusal`, its "{verdict}" replaced) unless PRAGMA integrity_check says ok."""
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    verdict = "; ".join(str(row[0]) for row in rows[:5])
    if verdict != "ok":
        raise BackupError(refusal.replace("{verdict}", verdict))


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, report: Report, label: str,
          live: bool = False) -> None:
    """Copy `source` into `target` with the online backup API.

    A `live` source (the server may be writing to it) is copied in one step, inside one read
    transaction: a consistent snapshot, and writers are not blocked in WAL mode. Copied in
    several steps, a write by another connection between two steps would restart the copy, and
    a busy server could keep restarting it for ever. A backup file nobody writes to is copied
    in steps, with progress.
    """
    pages = int(source.execute("PRAGMA page_count").fetchone()[0])
    if live:
        report(f"{label}: {pages} halaman dalam satu transaksi baca ...")
        source.backup(target, pages=-1)
        report(f"{label}: 100% ({pages}/{pages} halaman)")
        return
    last = [-1]

    def progress(status: int, remaining: int, total: int) -> None:
        percent = 100 if total == 0 else int(100 * (total - remaining) / total)
        if percent // 10 != last[0] // 10:
            last[0] = percent
            report(f"{label}: {percent}% ({total - remaining}/{total} halaman)")

    source.backup(target, pages=PAGES_PER_STEP, progress=progress)


def _check_sqlite_backup(path: Path) -> None:
    """Refuse `path` unless it is a sound SQLite file holding a Selaras database."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(PG_MAGIC):
        raise BackupError("Berkas ini cadangan PostgreSQL (pg_dump), sedangkan basis data Selaras di sini "
                          "SQLite. Pulihkan ke basis data PostgreSQL (SELARAS_DATABASE_URL).")
    if head != SQLITE_MAGIC:
        raise BackupError(f"{path} bukan berkas cadangan Selaras (bukan basis data SQLite).")
    conn = _connect(path, readonly=True)
    try:
        _require_intact(conn, f"Berkas cadangan {path} rusak (integrity_check: {{verdict}}).")
        missing = [t for t in MARKER_TABLES if t not in _tables(conn)]
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} tidak dapat dibaca sebagai basis data SQLite: {error}") from None
    finally:
        conn.close()
    if missing or app_id not in (APPLICATION_ID, 0):
        raise BackupError(f"{path} bukan cadangan Selaras (tabel tidak ada: {', '.join(missing) or '-'}).")


def backup_sqlite(database: Path, target: Path, report: Report) -> int:
    """Copy the live `database` into `target` (replaced atomically); returns its size in bytes."""
    if not database.exists():
        raise BackupError(f"Basis data {database} belum ada: tidak ada yang dicadangkan.")
    temp = target.with_name(f".{target.name}.sementara-{os.getpid()}")
    temp.unlink(missing_ok=True)
    try:
        source = _connect(database)  # read-only use; a read-only open can fail on a WAL database
        copy = _connect(temp)
        try:
            missing = [t for t in MARKER_TABLES if t not in _tables(source)]
            if missing:
                raise BackupError(f"{database} bukan basis data Selaras (tabel tidak ada: {', '.join(missing)}).")
            _copy(source, copy, report, "Menyalin", live=True)
            copy.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            copy.commit()
            report("Memeriksa salinan (integrity_check) ...")
            _require_intact(copy, "Salinan tidak utuh (integrity_check: {verdict}); cadangan dibatalkan.")
        finally:
            copy.close()
            source.close()
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target.stat().st_size


def _stage(backup: Path, temp: Path, report: Report) -> None:
    """Copy `backup` into the temporary database `temp` and check the copy."""
    source = _connect(backup, readonly=True)
    staged = _connect(temp)
    try:
        _copy(source, staged, report, "Menyiapkan")
        staged.execute("PRAGMA application_id = 0")
        staged.commit()
        report("Memeriksa salinan sementara (integrity_check) ...")
        _require_intact(staged, "Salinan sementara tidak utuh (integrity_check: {verdict}); basis data tidak diubah.")
    finally:
        staged.close()
        source.close()


def restore_sqlite(backup: Path, database: Path, report: Report, keep_previous: bool = True) -> Path | None:
    """Replace the live `database` with `backup`; returns where the previous database was kept."""
    _check_sqlite_backup(backup)
    database.parent.mkdir(parents=True, exist_ok=True)
    temp = database.with_name(f".{database.name}.pulih-{os.getpid()}")
    temp.unlink(missing_ok=True)
    kept: Path | None = None
    try:
        _stage(backup, temp, report)
        if not database.exists():
            for suffix in ("-wal", "-shm"):  # left over from a database removed by hand
                database.with_name(database.name + suffix).unlink(missing_ok=True)
            os.replace(temp, database)
            report(f"Basis data dipasang: {database}")
            return None
        live = _connect(database)
        staged = _connect(temp, readonly=True)
        try:
            if keep_previous:
                kept = database.with_name(f"{database.name}.sebelum-pulih-{time.strftime('%Y%m%d-%H%M%S')}")
                keeper = _connect(kept)
                try:
                    _copy(live, keeper, report, "Menyimpan basis data lama", live=True)
                    keeper.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                finally:
                    keeper.close()
            # One step is one transaction on the live database: other connections see the old
            # database or the new one. Safe in WAL mode, unlike renaming over a file in use.
            report("Mengganti basis data ...")
            try:
                staged.backup(live, pages=-1)
            except sqlite3.OperationalError as error:
                raise BackupError(f"Basis data tidak dapat diganti ({error}); isinya tidak diubah.") from None
            _require_intact(live, f"Basis data sesudah pemulihan tidak utuh ({{verdict}}); pulihkan dari {kept}.")
        finally:
            staged.close()
            live.close()
    finally:
        temp.unlink(missing_ok=True)
    return kept


# --- PostgreSQL -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PgTarget:
    name: str
    user: str
    password: str
    host: str
    port: str

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(PGHOST=self.host, PGPORT=self.port, PGUSER=self.user, PGDATABASE=self.name)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def pg_tool(name: str) -> str:
    """`name` (pg_dump, pg_restore) from SELARAS_PG_BIN, else the newest in /usr/lib/postgresql, else PATH."""
    chosen = os.environ.get("SELARAS_PG_BIN")
    if chosen and (Path(chosen) / name).exists():
        return str(Path(chosen) / name)
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                       key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if installed:
        return str(installed[-1])
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"Program {name} tidak ditemukan. Pasang klien PostgreSQL (paket postgresql-client) "
                      "atau isi SELARAS_PG_BIN dengan foldernya.")


def _run(args: list[str], target: PgTarget, what: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=target.environment(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} gagal: " + (" / ".join(detail[-3:]) or f"kode keluar {result.returncode}"))
    return result


def _check_pg_backup(path: Path, target: PgTarget) -> None:
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head == SQLITE_MAGIC:
        raise BackupError("Berkas ini cadangan SQLite, sedangkan basis data Selaras di sini PostgreSQL. "
                          "Pulihkan tanpa SELARAS_DATABASE_URL (basis data SQLite bawaan).")
    if not head.startswith(PG_MAGIC):
        raise BackupError(f"{path} bukan berkas cadangan Selaras (bukan arsip pg_dump -Fc).")
    listing = _run([pg_tool("pg_restore"), "--list", str(path)], target, "Membaca daftar isi cadangan").stdout
    missing = [t for t in MARKER_TABLES if f" TABLE public {t} " not in listing]
    if missing:
        raise BackupError(f"{path} bukan cadangan Selaras (tabel tidak ada: {', '.join(missing)}).")


def backup_postgres(target: PgTarget, path: Path, report: Report) -> int:
    temp = path.with_name(f".{path.name}.sementara-{os.getpid()}")
    temp.unlink(missing_ok=True)
    try:
        report(f"pg_dump basis data {target.name} di {target.host}:{target.port} ...")
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={temp}"],
             target, "pg_dump")
        _check_pg_backup(temp, target)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return path.stat().st_size


def restore_postgres(path: Path, target: PgTarget, report: Report) -> None:
    _check_pg_backup(path, target)
    report(f"pg_restore ke {target.name} di {target.host}:{target.port} (satu transaksi) ...")
    _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={target.name}", str(path)],
         target, "pg_restore")


# --- commands -------------------------------------------------------------------------------------


def _configured() -> tuple[str, Path | PgTarget]:
    _django.setup()
    from django.conf import settings

    db = settings.DATABASES["default"]
    engine = str(db["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite", Path(str(db["NAME"]))
    if engine.endswith("postgresql"):
        return "postgresql", PgTarget(name=str(db["NAME"]), user=str(db.get("USER") or ""),
                                      password=str(db.get("PASSWORD") or ""), host=str(db.get("HOST") or ""),
                                      port=str(db.get("PORT") or "5432"))
    raise BackupError(f"Mesin basis data {engine} tidak didukung untuk cadangan.")


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _size(count: int) -> str:
    return f"{count / 1_048_576:.1f} MB".replace(".", ",")


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except BackupError as error:
        typer.secho(f"Gagal: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None


def backup(file: Annotated[Path, typer.Argument(dir_okay=False, help="Berkas cadangan yang dibuat (ditimpa bila ada).")]) -> None:
    """Cadangkan seluruh basis data ke FILE (aman selagi server berjalan)."""
    with _refusals():
        kind, where = _configured()
        file = file.expanduser().resolve()
        if not file.parent.is_dir():
            raise BackupError(f"Folder {file.parent} tidak ada.")
        started = time.perf_counter()
        if isinstance(where, Path):
            _say(f"Mencadangkan basis data SQLite {where} ...")
            size = backup_sqlite(where, file, _say)
        else:
            size = backup_postgres(where, file, _say)
        typer.echo(f"Cadangan {kind} selesai: {file} ({_size(size)}, {time.perf_counter() - started:.1f} dtk).")


def restore(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Berkas cadangan dari `selaras backup`.")],
    yes: bool = typer.Option(False, "--yes", "-y", help="Jangan minta konfirmasi."),
    keep: bool = typer.Option(True, "--keep/--no-keep",
                              help="SQLite: simpan basis data lama di sebelahnya (.sebelum-pulih-...)."),
) -> None:
    """Pulihkan basis data dari FILE: seluruh isi basis data sekarang DIGANTI."""
    with _refusals():
        kind, where = _configured()
        file = file.expanduser().resolve()
        if not file.is_file():
            raise BackupError(f"Berkas cadangan {file} tidak ada.")
        label = str(where) if isinstance(where, Path) else f"{where.name} di {where.host}:{where.port}"
        if not yes and not typer.confirm(f"Seluruh isi basis data {kind} {label} akan diganti dengan isi {file}. "
                                         "Lanjutkan?", default=False):
            typer.echo("Dibatalkan; basis data tidak diubah.")
            raise typer.Exit(1)
        started = time.perf_counter()
        if isinstance(where, Path):
            kept = restore_sqlite(file, where, _say, keep_previous=keep)
            if kept is not None:
                _say(f"Basis data lama disimpan di {kept}")
        else:
            restore_postgres(file, where, _say)
        _say("Menerapkan migrasi (bila cadangan dari versi lebih lama) ...")
        _django.migrate()
        typer.echo(f"Pemulihan selesai dari {file} ({time.perf_counter() - started:.1f} dtk).")
