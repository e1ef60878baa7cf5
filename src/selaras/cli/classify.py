"""`selaras classify`: suggested agencies and sub-activities for a proposal text; `--retrain`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selaras.cli._government import RegionEdition, resolve_government

if TYPE_CHECKING:
    from selaras.engines.similarity.classify import Example

def read_kamus(path: Path) -> list[Example]:
    """Kamus usulan from a CSV file (comma, semicolon or tab, header row): the proposal text, the
    sub-activity code and, optionally, the agency code of each entry (`similarity.kamus.parse_kamus`)."""
    from selaras.engines.similarity.kamus import KamusError, parse_kamus

    try:
        return parse_kamus(path.read_text(encoding="utf-8-sig"))
    except KamusError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error

app = typer.Typer(invoke_without_command=True, no_args_is_help=False,
                  help="Saran perangkat daerah dan sub kegiatan untuk teks usulan.")


@app.callback(invoke_without_command=True)
def classify(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="Judul/uraian usulan.")] = None,
    government: Annotated[str | None, typer.Option("--government", "-g", help="Kode wilayah pemda, mis. 32.16.")] = None,
    retrain: Annotated[bool, typer.Option("--retrain", help="Latih ulang model dari usulan yang sudah diputuskan.")] = False,
    before_year: Annotated[int | None, typer.Option(
        "--before-year", help="Dengan --retrain: hanya usulan tahun sebelum tahun ini.")] = None,
    kamus: Annotated[Path | None, typer.Option(
        "--kamus", help="Dengan --retrain: kamus usulan CSV (kolom usulan, kode_sub_kegiatan[, kode_perangkat_daerah]).",
        exists=True, dir_okay=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak sebagai JSON.")] = False,
    region_edition: RegionEdition = None,
) -> None:
    """Tiga perangkat daerah dan sub kegiatan teratas dengan keyakinan dan kata penentunya."""
    if ctx.invoked_subcommand is not None:
        return
    if not government or (text is None and not retrain):
        typer.echo(ctx.get_help())
        raise typer.Exit(2)
    from selaras.cli import _django

    _django.migrate()
    from selaras.web.suggestions import services

    chosen = resolve_government(government, region_edition, exit_code=1)
    if kamus is not None and not retrain:
        typer.echo("--kamus hanya dipakai bersama --retrain.", err=True)
        raise typer.Exit(2)
    if retrain:
        entries = read_kamus(kamus) if kamus is not None else []
        row = services.retrain(chosen, before_year, entries)
        extra = f", {len(entries)} entri kamus usulan" if entries else ""
        extra += " dan kamus usulan bawaan Selaras"
        typer.echo(f"Model dilatih dari {row.examples} usulan (tahun {', '.join(map(str, row.years)) or '-'}){extra}.",
                   err=as_json)
        if text is None:
            return
    suggestion = services.suggest(chosen, text or "")
    if as_json:
        typer.echo(json.dumps({
            "government": chosen.region_code, "text": text,
            "agencies": [{"code": c.code, "name": c.name, "confidence": c.confidence, "words": list(c.words)}
                         for c in suggestion.agencies],
            "sub_activities": [{"code": c.code, "name": c.name, "confidence": c.confidence, "words": list(c.words)}
                               for c in suggestion.sub_activities]}, ensure_ascii=False, indent=1))
        return
    if suggestion.is_empty():
        typer.echo("Tidak ada saran untuk teks ini.")
        return
    for title, choices in (("Perangkat daerah", suggestion.agencies), ("Sub kegiatan", suggestion.sub_activities)):
        typer.echo(title + ":")
        for c in choices:
            typer.echo(f"  {c.confidence:.2f}  {c.code}  {c.name}  [{', '.join(c.words)}]")
