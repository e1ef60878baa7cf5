"""`selaras classify`: suggested agencies and sub-activities for a proposal text; `--retrain`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selaras.cli._government import RegionEdition, resolve_government

if TYPE_CHECKING:
    from selaras.engines.similarity.classify import Example

_TEXT_COLUMNS = ("usulan", "teks", "judul", "uraian")
_SUB_COLUMNS = ("kode_sub_kegiatan", "sub_kegiatan")
_AGENCY_COLUMNS = ("kode_perangkat_daerah", "perangkat_daerah", "kode_pd")


def read_kamus(path: Path) -> list[Example]:
    """Kamus usulan from a CSV file (comma or semicolon, header row): the proposal text, the
    sub-activity code and, optionally, the agency code of each entry."""
    from selaras.engines.similarity.classify import Example

    with path.open(encoding="utf-8-sig", newline="") as f:
        first = f.readline()
        f.seek(0)
        delimiter = max(",;\t", key=first.count)
        rows = list(csv.DictReader(f, delimiter=delimiter))
    if not rows:
        return []
    header = {h.strip().lower(): h for h in rows[0] if h}

    def column(names: tuple[str, ...]) -> str | None:
        return next((header[n] for n in names if n in header), None)

    text_col, sub_col, agency_col = column(_TEXT_COLUMNS), column(_SUB_COLUMNS), column(_AGENCY_COLUMNS)
    if text_col is None or sub_col is None:
        typer.echo("Kamus usulan perlu kolom 'usulan' dan 'kode_sub_kegiatan'.", err=True)
        raise typer.Exit(1)
    return [Example((r.get(text_col) or "").strip(), (r.get(agency_col) or "").strip() if agency_col else "",
                    (r.get(sub_col) or "").strip())
            for r in rows if (r.get(text_col) or "").strip() and (r.get(sub_col) or "").strip()]

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
