"""`selaras duplicates`: duplicate candidates of a government's proposals of one year."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from selaras.cli._government import RegionEdition, resolve_government

app = typer.Typer(invoke_without_command=True, no_args_is_help=False,
                  help="Usulan mirip (calon usulan ganda) dengan skor dan alasannya.")


@app.callback(invoke_without_command=True)
def duplicates(
    ctx: typer.Context,
    government: Annotated[str | None, typer.Option("--government", "-g", help="Kode wilayah pemda, mis. 32.16.")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Tahun rencana usulan.")] = None,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Skor minimal (bawaan 0,9).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Paling banyak sekian pasangan dicetak (0: semua).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak sebagai JSON.")] = False,
    region_edition: RegionEdition = None,
) -> None:
    """Cetak pasangan usulan mirip (tahun ini dan tahun sebelumnya); tidak mengubah apa pun."""
    if ctx.invoked_subcommand is not None:
        return
    if not government or year is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(2)
    from selaras.cli import _django

    _django.migrate()
    from selaras.engines.similarity.duplicates import DEFAULT_THRESHOLD
    from selaras.web.proposals.models import Proposal
    from selaras.web.suggestions import services

    chosen = resolve_government(government, region_edition, exit_code=1)
    found = services.pairs(chosen, year, DEFAULT_THRESHOLD if threshold is None else threshold)
    total = len(found)
    if limit:
        found = found[:limit]
    ids = {c.a for c in found} | {c.b for c in found}
    numbers = dict(Proposal.objects.filter(pk__in=ids).values_list("pk", "number"))
    if as_json:
        typer.echo(json.dumps({"government": chosen.region_code, "year": year, "total": total, "pairs": [
            {"a": numbers.get(c.a), "b": numbers.get(c.b), "score": c.score, "reasons": c.text(),
             "reason_codes": [r.code for r in c.reasons]} for c in found]}, ensure_ascii=False, indent=1))
        return
    for c in found:
        typer.echo(f"{c.score:.2f}  {numbers.get(c.a)}  {numbers.get(c.b)}  {c.text()}")
    shown = f"{len(found)} dari {total}" if len(found) < total else str(total)
    typer.echo(f"{shown} pasangan usulan mirip.")
