"""`selaras demo`: generate, load and run a demo district (default: Kabupaten Bekasi, 32.16)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from selaras.cli import _django
from selaras.cli.serve import prepare_environment, start_production_server

app = typer.Typer(no_args_is_help=True)
console = Console()

DEMO_REGION = "32.16"
DEMO_SEED = 2025
DEMO_URL = "http://127.0.0.1:8000"
STAGE_LABELS = {"wilayah": "Memuat kode wilayah", "nomenklatur": "Memuat nomenklatur",
                "rencana": "Menulis rencana (RPJMD, Renstra, RKPD)", "usulan": "Menulis usulan",
                "keputusan": "Menulis keputusan", "cacat": "Menanam cacat sinkronisasi yang dikenal"}


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    tasks: dict[str, Any] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGE_LABELS.get(stage, stage), total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        yield report


def _ensure_reference() -> None:
    try:
        from selaras.web.reference.services import load_reference
    except ImportError:  # pragma: no cover - the reference area provides it
        console.print("[yellow]Pemuat data referensi belum tersedia; dilewati.[/yellow]")
        return
    with _progress() as report:
        load_reference(progress=report)


def _generate_and_load(region: str, scale: str, seed: int) -> Any:
    from selaras.demo import SCALES, UnknownRegionError, generate_district
    from selaras.web.demo.loader import load_district

    if scale not in SCALES:
        console.print(f"[red]Skala tidak dikenal: {scale!r}. Pilihan: {', '.join(sorted(SCALES))}.[/red]")
        raise typer.Exit(2)
    started = time.perf_counter()
    with console.status(f"Membuat daerah contoh {region} (skala {scale}, seed {seed}) ..."):
        try:
            district = generate_district(region, scale, seed)
        except UnknownRegionError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from None
    generated = time.perf_counter()
    count = f"{len(district.proposals):,}".replace(",", ".")
    console.print(f"Dibuat: {district.region_name}, {len(district.agencies)} perangkat daerah, "
                  f"{count} usulan ({generated - started:.1f} dtk)")
    with _progress() as report:
        government = load_district(district, progress=report)
    console.print(f"Dimuat ke basis data dalam {time.perf_counter() - generated:.1f} dtk.")
    return government


def _print_users(rows: list[tuple[str, str, str, str]]) -> None:
    table = Table(title="Akun demo")
    for column in ("Nama pengguna", "Kata sandi", "Peran", "Lingkup"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@app.command("generate")
def generate(
    region: str = typer.Option(DEMO_REGION, "--region", help="Kode kabupaten/kota, mis. 32.16."),
    scale: str = typer.Option("bekasi", "--scale", help="bekasi (skala nyata) atau small (uji cepat)."),
    seed: int = typer.Option(DEMO_SEED, "--seed", help="Benih acak; sama benih, sama data."),
    replace: bool = typer.Option(False, "--replace", help="Ganti daerah contoh yang sudah dimuat."),
    users: bool = typer.Option(True, "--users/--no-users", help="Buat akun demo untuk daerah ini."),
) -> None:
    """Buat dan muat daerah contoh yang lengkap (rencana dan usulan) untuk satu kabupaten/kota."""
    _django.migrate()
    _ensure_reference()
    from selaras.web.demo.loader import delete_district, demo_government
    from selaras.web.demo.users import create_demo_users

    existing = demo_government(region.strip())
    if existing is not None:
        if not replace:
            console.print(f"[red]{existing.name} ({existing.region_code}) sudah ada di basis data. "
                          "Gunakan --replace untuk menggantinya dengan data demo baru.[/red]")
            raise typer.Exit(1)
        with console.status(f"Menghapus data {existing.name} ..."):
            delete_district(existing)
    government = _generate_and_load(region.strip(), scale, seed)
    if users:
        _print_users(create_demo_users(government))


@app.command("users")
def users_command(region: str = typer.Option(DEMO_REGION, "--region", help="Kode kabupaten/kota.")) -> None:
    """Buat (bila belum ada) dan tampilkan akun demo."""
    _django.migrate()
    from selaras.web.demo.loader import demo_government
    from selaras.web.demo.users import create_demo_users

    government = demo_government(region.strip())
    if government is None:
        console.print(f"[red]Belum ada daerah contoh {region}. Jalankan: selaras demo generate[/red]")
        raise typer.Exit(1)
    _print_users(create_demo_users(government))


@app.command("up")
def up(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Jalankan server web sesudahnya."),
    scale: str = typer.Option("bekasi", "--scale", help="Skala bila daerah contoh belum ada."),
    port: int = typer.Option(8000, "--port", help="Port server web."),
) -> None:
    """Siapkan semuanya (migrasi, referensi, daerah contoh Bekasi, akun) lalu jalankan web."""
    if serve:
        # The demo server shows Django's error pages to whoever runs it: DEBUG on, said out loud.
        prepare_environment(debug=True, collected=True)
        console.print("[yellow]Demo: DEBUG dinyalakan (SELARAS_DEBUG=1). Untuk pemakaian sungguhan: "
                      "selaras serve (DEBUG mati).[/yellow]")
    with console.status("Migrasi basis data ..."):
        _django.migrate()
    _ensure_reference()
    from selaras.web.demo.loader import demo_government
    from selaras.web.demo.population import fill_district_population
    from selaras.web.demo.users import create_demo_users, open_demo_windows

    government = demo_government(DEMO_REGION)
    if government is None:
        government = _generate_and_load(DEMO_REGION, scale, DEMO_SEED)
    else:
        console.print(f"Daerah contoh {government.name} sudah dimuat.")
        # A demo loaded before the kecamatan had synthetic population: fill the ones still without
        # (figures already there, real or synthetic, are kept; a second run writes nothing).
        filled = fill_district_population(government)
        if filled:
            console.print(f"Jumlah penduduk contoh (sintetis) diisi untuk {filled} kecamatan yang belum punya.")
    rows = create_demo_users(government)
    opened = open_demo_windows(government)
    if opened:
        console.print(f"Jadwal tahapan usulan tahun {opened} dibuka 90 hari agar alur usulan dapat dicoba.")
    url = DEMO_URL if port == 8000 else f"http://127.0.0.1:{port}"
    console.print(f"\n[bold]Selaras siap:[/bold] {url}\n")
    _print_users(rows)
    if serve:
        start_production_server("127.0.0.1", port)
