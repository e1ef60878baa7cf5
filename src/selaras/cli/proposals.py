"""`selaras import ...`: bulk import of proposals from Excel/CSV, and the templates to fill in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from selaras.cli import _django
from selaras.cli._government import RegionEdition, resolve_government
from selaras.domain.channels import IMPORT_CHANNELS

app = typer.Typer(no_args_is_help=True)
console = Console(stderr=True)

PHASES = {"baca": "Membaca berkas", "periksa": "Memeriksa baris", "simpan": "Menyimpan usulan",
          "akhir": "Memperbarui statistik"}


@app.command("proposals", help="Impor usulan dari berkas .xlsx atau .csv (semua baris diperiksa dulu).")
def import_proposals(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Berkas .xlsx atau .csv")],
    government: Annotated[str, typer.Option("--government", "-g", help="Kode wilayah pemda, mis. 32.16")],
    channel: Annotated[str, typer.Option(
        "--channel", "-c", help=" | ".join(c.value for c in IMPORT_CHANNELS))],
    year: Annotated[int, typer.Option("--year", "-y", help="Tahun rencana (bawaan: tahun depan)")] = 0,
    valid_only: Annotated[bool, typer.Option("--valid-only", help="Impor baris yang valid saja")] = False,
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", help="Tulis baris yang ditolak (dengan kolom Masalah) ke berkas .xlsx ini")] = None,
    user: Annotated[str, typer.Option("--user", help="Nama pengguna pengimpor (cakupan perannya diperiksa)")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Cetak hasil sebagai JSON")] = False,
    limit: Annotated[int, typer.Option("--show", help="Jumlah masalah yang ditampilkan")] = 50,
    region_edition: RegionEdition = None,
) -> None:
    if channel not in {c.value for c in IMPORT_CHANNELS}:
        console.print(f"[red]Jalur '{channel}' tidak dikenal. Pilih: "
                      f"{', '.join(c.value for c in IMPORT_CHANNELS)}[/red]")
        raise typer.Exit(2)
    _django.migrate()
    from django.contrib.auth import get_user_model

    from selaras.web.proposals.import_service import import_file
    from selaras.web.proposals.windows import planning_year

    gov = resolve_government(government, region_edition)
    actor = None
    if user:
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            console.print(f"[red]Pengguna '{user}' tidak ditemukan.[/red]")
            raise typer.Exit(2)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False, disable=as_json) as bar:
        tasks: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(PHASES.get(phase, phase), total=max(total, 1))
            bar.update(tasks[phase], completed=done, total=max(total, 1))

        outcome = import_file(file, file.name, government=gov, channel=channel, year=year or planning_year(gov),
                              user=actor, valid_only=valid_only, want_rejects=rejects is not None,
                              progress=progress)
    if rejects is not None and outcome.rejects_xlsx is not None:
        rejects.write_bytes(outcome.rejects_xlsx)
    result: dict[str, Any] = {
        "file": str(file), "channel": channel, "rows": outcome.total_rows, "imported": outcome.imported,
        "rejected": outcome.rejected, "first_number": outcome.first_number,
        "last_number": outcome.last_number, "seconds": outcome.seconds, "cpu_seconds": outcome.cpu_seconds,
        "problems": outcome.messages(limit)}
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        for text in result["problems"]:
            console.print(f"[red]•[/red] {text}")
        if len(outcome.findings) > limit:
            console.print(f"… dan {len(outcome.findings) - limit} masalah lain.")
        if outcome.imported:
            console.print(f"[green]{outcome.imported} usulan diimpor[/green] "
                          f"({outcome.first_number} s.d. {outcome.last_number}); ditolak: {outcome.rejected}.")
        else:
            console.print("[red]Tidak ada usulan yang diimpor.[/red] Perbaiki masalah di atas, atau pakai "
                          "--valid-only untuk mengimpor baris yang valid saja.")
        if rejects is not None and outcome.rejected:
            console.print(f"Baris yang ditolak ditulis ke {rejects}.")
    if not outcome.imported:
        raise typer.Exit(1)


@app.command("template", help="Tulis templat Excel impor usulan untuk satu jalur.")
def template(
    out: Annotated[Path, typer.Argument(dir_okay=False, help="Berkas .xlsx tujuan")],
    government: Annotated[str, typer.Option("--government", "-g", help="Kode wilayah pemda, mis. 32.16")],
    channel: Annotated[str, typer.Option("--channel", "-c", help="Jalur usulan, mis. musrenbang_village")],
    region_edition: RegionEdition = None,
) -> None:
    _django.migrate()
    from selaras.web.proposals.import_service import template_bytes

    out.write_bytes(template_bytes(resolve_government(government, region_edition), channel))
    console.print(f"Templat ditulis ke {out}.")
